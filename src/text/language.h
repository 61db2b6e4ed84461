// Internal to the text layer: what the segmenter knows about a language before it has seen a
// treebank. Read from data/lang/<code>/ (format in data/lang/README.md), serialised into the
// model so a model never depends on files beside it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "dyad/status.h"

namespace dyad {
class BinaryWriter;
class BinaryReader;
}  // namespace dyad

namespace dyad::text {

// One multiword-token rule from multiword.txt: either a whole token ("cannot" -> can not) or,
// when `suffix` is set, any token ending in `form` ("n't": don't -> do n't).
struct MultiwordRule {
  std::string form;  // lower-cased
  std::vector<std::string> words;
  bool suffix = false;
};

struct LanguageData {
  std::string code;                          // "en": the directory name
  std::u32string sentence_final;             // may end a sentence: . ! ?
  std::u32string closing;                    // may follow a sentence end inside it: " ) ’
  std::u32string opening;                    // may start a sentence before its first word: " (
  std::u32string bullets;                    // start a new line item: * • ·
  bool split_hyphens = false;                // letter-letter hyphens are tokens of their own
  std::vector<std::string> hyphen_prefixes;  // ... except after these (lower-cased): "co", "non"
  std::vector<std::string> abbreviations;    // exact forms with their period: "Mr.", "etc."
  std::vector<std::string> titles;           // abbreviations that never end a sentence: "Mr."
  std::vector<std::string> tokens;           // kept whole though they contain punctuation (lower)
  std::vector<MultiwordRule> multiwords;

  // Reads settings.txt, abbreviations.txt, tokens.txt and multiword.txt from `dir` (each
  // optional except settings.txt). Errors name the file and line.
  static Result<LanguageData> Load(const std::string& dir);

  void Serialize(BinaryWriter* w) const;
  static Result<LanguageData> Parse(BinaryReader* r);

  // Lookup sets built from the lists above (call after Load/Parse or after editing the lists).
  void Index();
  bool IsAbbreviation(std::string_view s) const {
    return !s.empty() && abbrev_last_[static_cast<unsigned char>(s.back())] &&
           abbrev_set_.count(Hash(s)) > 0;
  }
  bool IsTitle(std::string_view s) const {
    return !s.empty() && abbrev_last_[static_cast<unsigned char>(s.back())] &&
           title_set_.count(Hash(s)) > 0;
  }
  bool IsToken(std::string_view lower) const { return token_set_.count(Hash(lower)) > 0; }
  bool IsHyphenPrefix(std::string_view lower) const { return prefix_set_.count(Hash(lower)) > 0; }
  bool IsFinal(char32_t c) const { return sentence_final.find(c) != std::u32string::npos; }
  bool IsClosing(char32_t c) const { return closing.find(c) != std::u32string::npos; }
  bool IsOpening(char32_t c) const { return opening.find(c) != std::u32string::npos; }
  bool IsBullet(char32_t c) const { return bullets.find(c) != std::u32string::npos; }

  static uint64_t Hash(std::string_view s);

 private:
  std::unordered_set<uint64_t> abbrev_set_, title_set_, token_set_, prefix_set_;
  bool abbrev_last_[256] = {};  // the last bytes of abbreviations: most words need no lookup
};

}  // namespace dyad::text
