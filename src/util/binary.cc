#include "util/binary.h"

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace dyad {

std::string HexFingerprint(uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

Result<std::string> ReadFile(const std::string& path) {
  // One read into a buffer of the file's size: a model is tens of megabytes, and growing a
  // stream buffer copies it several times over.
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  std::string out;
  if (std::fseek(f, 0, SEEK_END) == 0) {
    long size = std::ftell(f);
    if (size > 0) out.reserve(static_cast<size_t>(size));
    std::rewind(f);
  }
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Status::Error(path + ": read error");
  return out;
}

Status WriteFileAtomic(const std::string& path, std::string_view data) {
  // Write to a temporary file and rename, so a crash never leaves a half-written model.
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Error(tmp + ": cannot create: " + std::strerror(errno));
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) return Status::Error(tmp + ": write error");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return Status::Error(path + ": cannot rename from " + tmp + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace dyad
