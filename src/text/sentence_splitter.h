// Internal to the text layer: deciding where sentences end, within one paragraph of tokens.
//
// Every gap between two tokens is one of: forced (a line break that ends a line item or a
// title, decided by the caller from the layout), forbidden (after a title abbreviation such as
// "Mr.", inside a dateline), a candidate, or impossible. Candidates are gaps after punctuation
// and symbols other than a comma, before a capitalised word, digit, punctuation or symbol, and
// at line breaks: that covers text without final punctuation while leaving most gaps (before a
// lower-case word) out. At a candidate an averaged perceptron decides when a model was
// trained; otherwise rules do (final punctuation, not an abbreviation, followed by a capital).
// Sentences longer than the limit are cut at their best-scoring candidate in their second
// half, or at the limit.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "ml/linear_model.h"
#include "text/language.h"
#include "text/unicode.h"

namespace dyad::text {

// A token as the sentence splitter sees it.
struct Tok {
  uint32_t begin = 0, end = 0;  // bytes in the text
  std::string form;             // normalised
  uint64_t lower = 0;           // hash of the lower-cased form
  uint64_t shape = 0;           // hash of the collapsed shape ("Xx", "X.X.", "d,d")
  char32_t first = 0, last = 0;
  CharClass first_cls = CharClass::kSymbol, last_cls = CharClass::kSymbol;
  uint8_t newlines = 0;  // line breaks in the white space before the token
  bool space_before = false;
  bool abbreviation = false;  // listed abbreviation or initial ("J.")
  bool title = false;         // never ends a sentence ("Mr.")
  bool quote = false;         // a straight or curly double quote
  int8_t quote_side = 0;      // as written: 1 opening (“), -1 closing (”), 0 either (")
  bool dash = false;
  bool all_caps = false;  // two or more letters, all upper-case ("NCRI", "BAGHDAD")
};

// Fills the fields derived from `form`.
void DescribeTok(const LanguageData& lang, Tok* t);

enum class GapRule : uint8_t { kFree, kBreak, kNoBreak };

// How often, in the training treebank, a word began a sentence when capitalised and how often
// it ended one: tells a sentence starter ("Thanks", "The") from a name that goes on ("Radio",
// "Holdings") where no punctuation helps. Keyed by Tok::lower.
class WordStats {
 public:
  struct Counts {
    uint32_t start = 0;    // capitalised, first in its sentence
    uint32_t mid_cap = 0;  // capitalised, not first
    uint32_t end = 0;      // last in its sentence
    uint32_t total = 0;
  };
  static constexpr uint32_t kMinCount = 3;  // rarer words are not kept

  Counts& At(uint64_t lower) { return map_[lower]; }
  // Drops words seen fewer than kMinCount times.
  void Prune();
  const Counts* Find(uint64_t lower) const {
    auto it = map_.find(lower);
    return it == map_.end() ? nullptr : &it->second;
  }
  size_t size() const { return map_.size(); }
  // Coarse feature values (0: unknown or rare).
  static uint8_t StartBucket(uint32_t start, uint32_t mid_cap);
  static uint8_t EndBucket(uint32_t end, uint32_t total);

  void Serialize(BinaryWriter* w) const;
  Status Parse(BinaryReader* r);

 private:
  std::unordered_map<uint64_t, Counts> map_;
};

class SentenceSplitter {
 public:
  // `model` may be null (rules only); both must outlive the splitter.
  // The model says "boundary" when its margin exceeds `threshold`, or `threshold_bare` at an
  // unpunctuated gap (see Unpunctuated).
  SentenceSplitter(const LanguageData* lang, const ml::LinearModel* model, const WordStats* stats,
                   float threshold, float threshold_bare)
      : lang_(lang),
        model_(model),
        stats_(stats),
        threshold_(threshold),
        threshold_bare_(threshold_bare) {}

  // Appends to *ends the index of the last token of every sentence of toks[0, n): the last
  // entry is always n - 1. `rules[g]` constrains the gap after toks[g]. Unpunctuated gaps
  // end a sentence only with `split_unpunctuated` (they are still scored, to choose where an
  // over-long sentence is cut).
  void Split(const Tok* toks, size_t n, const GapRule* rules, size_t max_tokens,
             bool split_unpunctuated, std::vector<uint32_t>* ends) const;

  // A gap with no punctuation before it. (Line breaks that end a sentence were forced by the
  // layout rules before this; one left to the model is a wrapped line, as good as a space.)
  // A boundary there is rare in edited text, and a false one splits a clause ("told BBC |
  // Radio 4"), so such gaps have a threshold of their own, chosen for precision, and end
  // sentences only on request.
  static bool Unpunctuated(const Tok* toks, size_t g) { return IsWordClass(toks[g].last_cls); }

  // Exposed for training.
  bool IsCandidate(const Tok* toks, size_t n, size_t g) const;
  bool RuleSays(const Tok* toks, size_t n, size_t g) const;
  // The WordStats buckets of the gap's two tokens (what Split passes to Features).
  void Buckets(const Tok& a, const Tok& b, uint8_t* end_a, uint8_t* start_b) const;
  // `quotes`: double quotes since the sentence started, through toks[g]; `para_quotes`: since
  // the paragraph started (a quotation may span sentences).
  void Features(const Tok* toks, size_t n, size_t g, size_t start, int quotes, int para_quotes,
                uint8_t end_a, uint8_t start_b, std::vector<uint64_t>* f) const;

 private:
  const LanguageData* lang_;
  const ml::LinearModel* model_;
  const WordStats* stats_;
  float threshold_;
  float threshold_bare_;
};

}  // namespace dyad::text
