// Internal to the text layer: multiword-token expansion ("don't" -> "do" "n't").
//
// Two sources, both keyed by the lower-cased normalised token form:
//   - a table of whole forms: from multiword.txt, and counted in a treebank (a form is expanded
//     when the treebank wrote it as a multiword token more often than not: "cannot" is, "its"
//     is not);
//   - suffix rules ("n't", "'s"): from multiword.txt, and learnt from a treebank when most
//     tokens ending in the suffix were split before it.
// Expansion takes the words' characters from the token itself when the words spell the token
// (English always does), so case and spelling survive; otherwise the stored words are used
// with the token's capitalisation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dyad/conllu.h"
#include "dyad/status.h"
#include "text/language.h"

namespace dyad::text {

class MultiwordTable {
 public:
  // Rules from the language data only.
  void AddLanguageRules(const LanguageData& lang);
  // Counts multiword tokens in `corpus` (token forms are normalised with Normalize()) and
  // learns the table and suffix rules; language rules the treebank never contradicts stay.
  void Learn(const ConlluCorpus& corpus);

  // Appends the words of `form` (already normalised) to *words and returns true when it is a
  // multiword token; otherwise leaves *words alone and returns false.
  bool Expand(std::string_view form, std::vector<std::string>* words) const;

  size_t size() const { return entries_.size(); }
  size_t num_suffixes() const { return suffixes_.size(); }

  void Serialize(BinaryWriter* w) const;
  static Result<MultiwordTable> Parse(BinaryReader* r);

 private:
  struct Entry {
    std::string form;                // lower-cased
    std::vector<std::string> words;  // lower-cased; empty: the form is never expanded
  };
  void Index();

  std::vector<Entry> entries_;         // sorted by form
  std::vector<std::string> suffixes_;  // longest first
  std::unordered_map<uint64_t, uint32_t> index_;
};

}  // namespace dyad::text
