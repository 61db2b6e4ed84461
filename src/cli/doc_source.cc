#include "cli/doc_source.h"

#include <cerrno>
#include <cstring>

#include "dyad/json.h"
#include "dyad/text.h"

namespace dyad::cli {

DocSource::DocSource(std::vector<std::string> files, std::string format)
    : files_(std::move(files)), format_(std::move(format)) {
  if (files_.empty()) files_.push_back("-");
}

DocSource::~DocSource() {
  if (f_ && f_ != stdin) std::fclose(f_);
}

bool DocSource::OpenNext() {
  while (next_file_ < files_.size()) {
    name_ = files_[next_file_++];
    line_no_ = chunk_no_ = 0;
    if (name_ == "-") {
      f_ = stdin;
      name_ = "<stdin>";
    } else {
      f_ = std::fopen(name_.c_str(), "rb");
      if (!f_) {
        if (on_reject)
          on_reject(name_, std::string("cannot open: ") + std::strerror(errno));
        else
          std::fprintf(stderr, "dyad: %s: cannot open: %s\n", name_.c_str(), std::strerror(errno));
        open_failed_ = true;
        ++rejected_;
        continue;
      }
    }
    cur_format_ = format_;
    if (cur_format_.empty()) {
      bool jsonl = name_.ends_with(".jsonl") || name_.ends_with(".json");
      cur_format_ = jsonl ? "jsonl" : "text";
    }
    return true;
  }
  return false;
}

bool DocSource::ReadLine(std::string* line) {
  line->clear();
  char buf[1 << 16];
  while (std::fgets(buf, sizeof buf, f_)) {
    line->append(buf);
    if (!line->empty() && line->back() == '\n') break;
  }
  if (line->empty()) return false;
  ++line_no_;
  if (line->back() == '\n') line->pop_back();
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

std::optional<SourceDoc> DocSource::Next() {
  while (true) {
    if (!f_ && !OpenNext()) return std::nullopt;
    std::string line;
    if (cur_format_ == "jsonl") {
      if (!ReadLine(&line)) {
        if (f_ != stdin) std::fclose(f_);
        f_ = nullptr;
        continue;
      }
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      std::string where = name_ + ":" + std::to_string(line_no_);
      auto v = ParseJson(line);
      const JsonValue* text = v.ok() ? v->Find("text") : nullptr;
      if (!v.ok() || v->type != JsonValue::Type::kObject || !text || !text->is_string()) {
        std::string why = !v.ok() ? v.status().message()
                          : v->type != JsonValue::Type::kObject ? "not a JSON object"
                                                                : "missing string field \"text\"";
        if (on_reject)
          on_reject(where, why);
        else
          std::fprintf(stderr, "dyad: %s: rejected: %s\n", where.c_str(), why.c_str());
        ++rejected_;
        continue;
      }
      SourceDoc d;
      d.origin = where;
      d.doc.text = text::RepairUtf8(text->str);
      const JsonValue* id = v->Find("id");
      d.doc.id = id ? id->AsText() : where;
      for (const char* k : {"date", "title", "source", "url"}) {
        const JsonValue* x = v->Find(k);
        std::string val = x ? x->AsText() : "";
        if (std::strcmp(k, "date") == 0) d.doc.date = val;
        if (std::strcmp(k, "title") == 0) d.doc.title = val;
        if (std::strcmp(k, "source") == 0) d.doc.source = val;
        if (std::strcmp(k, "url") == 0) d.doc.url = val;
      }
      return d;
    }
    // Plain text: paragraphs accumulated into chunks; a blank line always ends a sentence,
    // so cutting there never splits one.
    std::string chunk;
    size_t first_line = line_no_ + 1;
    bool eof = false;
    while (true) {
      if (!ReadLine(&line)) {
        eof = true;
        break;
      }
      chunk += line;
      chunk += '\n';
      if (line.find_first_not_of(" \t") == std::string::npos && chunk.size() >= chunk_bytes)
        break;
    }
    if (eof) {
      if (f_ != stdin) std::fclose(f_);
      f_ = nullptr;
    }
    if (chunk.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    SourceDoc d;
    d.origin = name_ + ":" + std::to_string(first_line);
    d.doc.id = chunk_no_ == 0 ? name_ : name_ + "#" + std::to_string(chunk_no_);
    ++chunk_no_;
    size_t repaired = 0;
    d.doc.text = text::RepairUtf8(chunk, &repaired);
    if (repaired)
      std::fprintf(stderr, "dyad: %s: repaired %zu invalid UTF-8 sequence(s)\n",
                   d.origin.c_str(), repaired);
    return d;
  }
}

}  // namespace dyad::cli
