#include "cli/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>

namespace dyad::cli {

namespace {

std::string Clock(double seconds) {
  long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

int TerminalWidth() {
  winsize ws{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
  return 80;
}

}  // namespace

Progress::Progress(bool enabled, uint64_t total_bytes)
    : active_(enabled && isatty(STDERR_FILENO)), total_(total_bytes) {
  start_ = last_ = std::chrono::steady_clock::now();
}

Progress::~Progress() { Finish(); }

std::string Progress::Line(uint64_t records, uint64_t sentences, uint64_t bytes,
                           uint64_t total_bytes, double seconds, int width) {
  char head[160];
  double rate = seconds > 0 ? records / seconds : 0, srate = seconds > 0 ? sentences / seconds : 0;
  std::snprintf(head, sizeof head, "%llu docs  %.0f docs/s  %.0f sentences/s",
                static_cast<unsigned long long>(records), rate, srate);
  std::string line = head;
  if (total_bytes == 0) return line + "  " + Clock(seconds);
  double done = bytes >= total_bytes ? 1.0 : static_cast<double>(bytes) / total_bytes;
  std::string tail;
  char pct[16];
  std::snprintf(pct, sizeof pct, " %3.0f%%", done * 100);
  tail = pct;
  if (done > 0.001 && seconds > 1)
    tail += "  ETA " + Clock(seconds * (1 - done) / done);
  else
    tail += "  ETA --:--";
  int bar = width - static_cast<int>(line.size() + tail.size()) - 5;
  if (bar >= 10) {
    bar = std::min(bar, 40);
    int fill = static_cast<int>(done * bar);
    line += "  [" + std::string(fill, '#') + std::string(bar - fill, '.') + "]";
  }
  return line + tail;
}

void Progress::Update(uint64_t records, uint64_t sentences, uint64_t bytes) {
  if (!active_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  int width = TerminalWidth();
  std::string line = Line(records, sentences, bytes, total_,
                          std::chrono::duration<double>(now - start_).count(), width - 1);
  if (static_cast<int>(line.size()) > width - 1) line.resize(width - 1);
  std::fprintf(stderr, "\r%s\033[K", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Finish() {
  if (!active_ || !drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace dyad::cli
