// Helpers shared by the libFuzzer targets.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "dyad/reader.h"

namespace dyad::fuzz {

// Writes `data` to a per-process scratch file (in /dev/shm when it exists) named with
// `suffix`, so that readers that take paths see it; returns the path.
inline std::string ScratchFile(std::string_view data, const std::string& suffix) {
  static const std::string dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  std::string path = dir + "/dyad-fuzz-" + std::to_string(getpid()) + suffix;
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data.data(), 1, data.size(), f);
    std::fclose(f);
  }
  return path;
}

// Reads every record of `path` and checks the reader's promises: it ends, every record is a
// document or a rejection with an origin naming the file, and documents respect the limit.
inline void ReadAll(const std::string& path, ReaderOptions opt) {
  opt.max_document_bytes = 64u << 10;
  opt.max_line_bytes = 128u << 10;
  opt.max_file_bytes = 256u << 10;
  opt.text_chunk_bytes = 4u << 10;
  DocumentReader reader({path}, opt);
  size_t n = 0;
  while (auto r = reader.Next()) {
    if (r->origin.rfind(path, 0) != 0) __builtin_trap();  // names the file
    if (r->ok() && r->doc.text.size() > opt.max_document_bytes) __builtin_trap();
    if (!r->ok() && r->reject.empty()) __builtin_trap();
    for (const auto& s : r->doc.sentences)
      for (const auto& t : s.tokens)
        if (t.span.end > r->doc.text.size() || t.span.begin > t.span.end) __builtin_trap();
    if (++n > 10'000'000) __builtin_trap();  // no endless stream of records
  }
  if (n == 0) __builtin_trap();  // every input yields at least one record
  if (reader.documents() + reader.rejections() != n) __builtin_trap();
}

}  // namespace dyad::fuzz
