// Helpers for the dictionary tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "dyad/dict.h"

namespace dyad::dict::testing {

// The 1-based number of the first line of `text` containing `needle` (0 if none).
inline uint32_t LineOf(std::string_view text, std::string_view needle) {
  size_t at = text.find(needle);
  if (at == std::string_view::npos) return 0;
  uint32_t line = 1;
  for (size_t i = 0; i < at; ++i) line += text[i] == '\n';
  return line;
}

// Builds a dictionary from in-memory files.
struct Built {
  std::shared_ptr<const Dictionary> dict;
  ImportReport report;

  // True if a diagnostic "file:line: <severity>: ..." contains `text`.
  bool Has(Diagnostic::Severity sev, const std::string& file, uint32_t line,
           std::string_view text) const {
    for (const auto& d : report.diagnostics)
      if (d.severity == sev && d.file == file && d.line == line &&
          d.message.find(text) != std::string::npos)
        return true;
    return false;
  }
  std::string AllDiagnostics() const {
    std::string s;
    for (const auto& d : report.diagnostics) s += d.ToString() + "\n";
    return s;
  }
};

inline Built BuildOne(DictKind kind, std::string_view text, const std::string& name) {
  DictionaryBuilder b;
  b.Add(kind, text, name);
  Built out;
  out.dict = b.Build();
  out.report = b.report();
  return out;
}

// Word ids of a blank-separated phrase (kNoWord for unknown words).
inline std::vector<WordId> Words(const Dictionary& d, std::string_view phrase) {
  std::vector<WordId> out;
  size_t i = 0;
  while (i < phrase.size()) {
    size_t j = phrase.find(' ', i);
    if (j == std::string_view::npos) j = phrase.size();
    if (j > i) out.push_back(d.FindWord(phrase.substr(i, j - i)));
    i = j + 1;
  }
  return out;
}

// ../shared, or $DYAD_SHARED; "" when absent (the test should skip).
inline std::string SharedDir() {
  std::string dir;
  if (const char* e = std::getenv("DYAD_SHARED"); e && *e) {
    dir = e;
  } else {
    dir = std::string(DYAD_SOURCE_DIR) + "/../shared";
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(dir + "/data/petrarch2/dictionaries", ec)) return "";
  return dir;
}

}  // namespace dyad::dict::testing
