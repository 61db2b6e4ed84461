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
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::Error(path + ": read error");
  return ss.str();
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
