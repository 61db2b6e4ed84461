#include "cli/checkpoint.h"

#include <sys/stat.h>

#include <cinttypes>
#include <cstdio>
#include <filesystem>

#include "util/binary.h"

namespace dyad::cli {

namespace fs = std::filesystem;

namespace {
constexpr char kMagic[] = "dyad-resume 1";
}

Result<std::optional<Checkpoint>> Checkpoint::Read(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::optional<Checkpoint>();
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  Checkpoint c;
  char magic[32] = {}, identity[17] = {};
  unsigned long long records = 0, out = 0, rej = 0;
  int n = std::sscanf(
      text->c_str(), "%31[^\n]\nrecords %llu\noutput_bytes %llu\nrejects_bytes %llu\nidentity %16s",
      magic, &records, &out, &rej, identity);
  if (n != 5 || std::string(magic) != kMagic)
    return Status::Error(path + ": not a dyad resume checkpoint (delete it to start afresh)");
  c.records = records;
  c.output_bytes = out;
  c.rejects_bytes = rej;
  c.identity = identity;
  return std::optional<Checkpoint>(c);
}

Status Checkpoint::Write(const std::string& path) const {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%s\nrecords %" PRIu64 "\noutput_bytes %" PRIu64 "\nrejects_bytes %" PRIu64
                "\nidentity %s\n",
                kMagic, records, output_bytes, rejects_bytes, identity.c_str());
  return WriteFileAtomic(path, buf);
}

std::string RunIdentity(const std::vector<std::string>& files, const std::string& options) {
  uint64_t h = Fnv1a64(options);
  for (const auto& f : files) {
    h = Fnv1a64(f, h);
    struct stat st {};
    if (f != "-" && ::stat(f.c_str(), &st) == 0) {
      std::string meta = std::to_string(st.st_size) + "/" + std::to_string(st.st_mtime);
      h = Fnv1a64(meta, h);
    }
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016" PRIx64, h);
  return hex;
}

}  // namespace dyad::cli
