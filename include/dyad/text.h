// The text layer: raw bytes -> sentences of tokens with offsets.
//
//   RepairUtf8   invalid byte sequences -> U+FFFD, counted (never a crash, never dropped text)
//   Normalize    a token's form: curly quotes -> ", ', dashes -> -/--, NFC, whitespace
//   Segmenter    sentence splitting + UD-style tokenisation + multiword-token expansion
//
// What is language-specific (abbreviations, clitic and multiword-token rules, ...) lives in
// LanguageData, read from data/lang/<code>/ and embedded in the model at training time, so a
// model is self-contained. A Segmenter is immutable after construction and thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/conllu.h"
#include "dyad/status.h"
#include "dyad/types.h"

namespace dyad {
class BinaryWriter;
class BinaryReader;
}  // namespace dyad

namespace dyad::text {

// Replaces each maximal invalid UTF-8 subsequence with U+FFFD. `repaired` (optional) receives
// the number of replacements. Valid input is returned unchanged.
std::string RepairUtf8(std::string_view in, size_t* repaired = nullptr);

// Normalises one token's form (see above). Pure function of its input.
std::string Normalize(std::string_view form);

struct LanguageData;  // defined in src/text/language.h

struct SegmenterOptions {
  // A sentence longer than this many tokens is cut (news never needs more; it protects the
  // parser from pathological input).
  int max_sentence_tokens = 250;
};

class Segmenter {
 public:
  // Loads data/lang/<code>/ (the files and their format are described in
  // data/lang/README.md).
  static Result<Segmenter> FromLanguageDir(const std::string& dir);
  // Learns what can be learnt from a treebank (multiword-token expansions, sentence-boundary
  // decisions) on top of the language data.
  static Result<Segmenter> Train(const std::string& language_dir, const ConlluCorpus& train,
                                 const ConlluCorpus* dev);

  // Splits `text` into sentences; every token's span points into `text`; words are filled
  // (form only) with multiword tokens expanded. Appends to *out.
  void Segment(std::string_view text, std::vector<Sentence>* out,
               const SegmenterOptions& opts = {}) const;

  void Serialize(BinaryWriter* w) const;
  static Result<Segmenter> Parse(BinaryReader* r);

  Segmenter();
  ~Segmenter();
  Segmenter(Segmenter&&) noexcept;
  Segmenter& operator=(Segmenter&&) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dyad::text
