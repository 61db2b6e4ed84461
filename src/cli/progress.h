// A progress line on stderr for long runs: records and sentences done, their rate, and, when
// the input's size is known, a bar with the share done and the time left. Drawn only when
// stderr is a terminal (and not with --quiet), at most five times a second, and erased at
// the end so the summary line stands alone.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace dyad::cli {

class Progress {
 public:
  // `total_bytes`: the input's size, 0 when unknown (stdin). `enabled`: false for --quiet;
  // the bar is also off when stderr is not a terminal.
  Progress(bool enabled, uint64_t total_bytes);
  ~Progress();
  // `bytes`: how much of the input has been read.
  void Update(uint64_t records, uint64_t sentences, uint64_t bytes);
  void Finish();  // erases the line
  bool active() const { return active_; }

  // The line Update() draws, for tests: without the carriage return.
  static std::string Line(uint64_t records, uint64_t sentences, uint64_t bytes,
                          uint64_t total_bytes, double seconds, int width);

 private:
  bool active_ = false;
  uint64_t total_ = 0;
  std::chrono::steady_clock::time_point start_, last_;
  bool drawn_ = false;
};

}  // namespace dyad::cli
