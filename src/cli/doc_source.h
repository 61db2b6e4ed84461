// Reads the documents named on a command line (files, or stdin for none or "-") as plain text
// or JSONL, one at a time, so large inputs stream. Bad JSONL lines are reported with file and
// line and counted, never silently dropped.
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dyad/types.h"

namespace dyad::cli {

struct SourceDoc {
  Document doc;
  std::string origin;  // "file:line" for messages
};

class DocSource {
 public:
  // format: "text", "jsonl", or "" to choose by extension (.jsonl/.json -> jsonl).
  DocSource(std::vector<std::string> files, std::string format);
  ~DocSource();
  // Next document, or nullopt at the end. Text files are cut at blank lines into chunks of
  // about chunk_bytes so that one huge file still spreads over threads.
  std::optional<SourceDoc> Next();
  size_t rejected() const { return rejected_; }
  bool open_failed() const { return open_failed_; }
  size_t chunk_bytes = 1 << 16;
  // When set, rejected records (and files that cannot be opened) are handed to it, with their
  // "file:line" origin and the reason, instead of being printed to stderr.
  std::function<void(const std::string& origin, const std::string& reason)> on_reject;

 private:
  bool OpenNext();
  bool ReadLine(std::string* line);
  std::vector<std::string> files_;
  std::string format_;
  size_t next_file_ = 0;
  FILE* f_ = nullptr;
  std::string name_, cur_format_;
  size_t line_no_ = 0, chunk_no_ = 0;
  size_t rejected_ = 0;
  bool open_failed_ = false;
  std::string pending_;  // text input read ahead
};

}  // namespace dyad::cli
