// Internal to the text layer: splitting one white-space-delimited chunk ("(Reuters)-based,")
// into tokens.
//
// Rules from the language data give a first answer at every position (peel opening and closing
// punctuation, keep abbreviations, numbers, URLs, e-mail addresses, emoticons and clitics whole,
// split hyphens except after listed prefixes). When a model was trained, an averaged
// perceptron decides at every candidate position instead, with the rules' answer as one of its
// features, so it learns where a treebank departs from the rules.
#pragma once

#include <cstdint>
#include <vector>

#include "ml/linear_model.h"
#include "text/language.h"
#include "text/unicode.h"

namespace dyad::text {

struct Cp {
  char32_t cp;
  uint32_t off;  // byte offset in the text
  CharClass cls;
};

class ChunkSplitter {
 public:
  // `model` may be null (rules only). Both must outlive the splitter.
  ChunkSplitter(const LanguageData* lang, const ml::LinearModel* model)
      : lang_(lang), model_(model) {}

  // Positions 1..n-1 of `cps` (a chunk of n code points) where a token boundary goes, in
  // increasing order, appended to *cuts.
  void Split(const Cp* cps, size_t n, std::vector<uint32_t>* cuts) const;

  // The pieces, exposed for training.
  // Whether a boundary at position i (between cps[i-1] and cps[i]) is possible at all.
  static bool IsCandidate(const Cp* cps, size_t i);
  // Whether the chunk has any candidate position (most words do not).
  static bool AnyCandidate(const Cp* cps, size_t n);
  // The rules' boundaries: rule[i] = 1 when the rules split at i; rule has n + 1 entries.
  void RuleCuts(const Cp* cps, size_t n, uint8_t* rule) const;
  // What the features need to know about the whole chunk, computed once per chunk.
  struct ChunkInfo {
    bool url = false;
    uint64_t shape = 0;  // hash of the collapsed shape
    uint64_t whole = 0;  // hash of the lower-cased chunk when it is short, else 0
  };
  ChunkInfo Info(const Cp* cps, size_t n) const;
  // Features for the decision at candidate i when the current token started at `start`.
  void Features(const Cp* cps, size_t n, const ChunkInfo& info, size_t i, size_t start,
                bool rule_split, std::vector<uint64_t>* f) const;

 private:
  bool Protected(const Cp* cps, size_t lo, size_t hi) const;
  bool IsUrl(const Cp* cps, size_t n) const;
  size_t KnownTokenAt(const Cp* cps, size_t lo, size_t hi, bool from_end) const;

  const LanguageData* lang_;
  const ml::LinearModel* model_;
};

// Hash of the lower-cased code points [b, e), as a feature value.
uint64_t LowerHash(const Cp* cps, size_t b, size_t e);

}  // namespace dyad::text
