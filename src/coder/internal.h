// Internals of the event coder, shared by its translation units (not a public header).
//
// Per sentence the coder builds, in this order:
//   SentenceView  the dependency tree in index form, the words' dictionary ids, the
//                 comma-delimited clauses that TABARI/PETRARCH drop, and the discards;
//   Units         noun phrases that carry actor codes ("Iraqi police" -> IRQCOP), compound
//                 groups ("Arnor and Gondor"), resolved pronouns;
//   VerbHits      each dictionary verb with the pattern that fired (matcher.cc), its roles
//                 and whether it is negated;
// and then turns the verb hits into events (coder.cc), resolving verb chains.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/coder.h"
#include "dyad/dict.h"
#include "dyad/types.h"

namespace dyad::coder::internal {

using dict::WordId;

// ---------------------------------------------------------------------------------------------
// The sentence as the coder sees it.

struct SentenceView {
  const Sentence* s = nullptr;
  const dict::Dictionary* d = nullptr;
  int n = 0;
  std::vector<int> head;       // 0-based head, -1 for the root (or unparsed)
  std::vector<int> kid_begin;  // CSR children lists: kids[kid_begin[i] .. kid_begin[i+1])
  std::vector<int> kids;
  std::vector<WordId> form, lemma;  // dictionary ids (kNoWord when unknown)
  std::vector<uint8_t> removed;     // inside an eliminated comma-delimited clause
  std::vector<uint8_t> skip;        // punctuation and possessive 's: invisible to patterns

  void Build(const Sentence& sentence, const dict::Dictionary& dict, const CoderOptions& opt);

  std::span<const int> Kids(int i) const {
    return std::span<const int>(kids).subspan(kid_begin[i], kid_begin[i + 1] - kid_begin[i]);
  }
  const Word& W(int i) const { return s->words[i]; }
  const std::string& Rel(int i) const { return s->words[i].deprel; }
  std::string_view BaseRel(int i) const;  // "nsubj:pass" -> "nsubj"
  bool RelIs(int i, std::string_view r) const { return Rel(i) == r; }
  // The first child with relation `rel` (exact, or base relation when `base`), or -1.
  int Child(int i, std::string_view rel, bool base = false) const;
  bool IsVerbal(int i) const;   // VERB/AUX, or a predicate with a subject
  bool IsNominal(int i) const;  // NOUN/PROPN/PRON/NUM (and X/SYM heads of nominal relations)
  bool InSubtree(int w, int root) const;
  // Lower-case form, for closed-class tests ("not", "by", "its").
  std::string Lower(int i) const;
  // The preposition (case child) of a nominal, lower case, or "".
  std::string CaseOf(int i) const;
};

// ---------------------------------------------------------------------------------------------
// Actor units.

struct Unit {
  int head = -1;                   // the noun phrase's head word
  int first = 0, last = 0;         // extent in words (own words and absorbed phrases)
  std::vector<std::string> codes;  // full codes; empty: not an actor
  bool null_actor = false;         // a dictionary actor whose code is null on this date
  bool pronoun = false;
  int absorbed_into = -1;         // folded into another unit ("of Arnor" in "ambassadors of Arnor")
  int group = -1;                 // compound group: units joined by conj share it
  std::string entries;            // dictionary entries that matched, for the trace
  std::vector<std::string> base;  // the actor codes before agents were added
  bool shared_modifier = false;   // the actor is a modifier ("Danish media and government")
  bool agent_only = false;        // agents without a country: "---GOV"
  std::string anaphor;            // "the regime": the earlier actor it refers to
  bool active() const { return absorbed_into < 0 && !codes.empty(); }
};

struct PhraseHit {
  enum Kind : uint8_t { kActor, kAgent } kind = kActor;
  uint32_t owner = 0;
  int first = 0, last = 0;
};

struct Units {
  std::vector<Unit> units;
  std::vector<int> unit_of_head;  // word -> unit whose head it is, or -1
  std::vector<PhraseHit> hits;
  // The units of `u`'s compound group, in text order (just `u` when it has none).
  std::vector<int> Group(int u) const;
  // All codes of `u`'s compound group, each once, with the unit each came from.
  void GroupCodes(int u, std::vector<std::pair<std::string, int>>* out) const;
};

// What a previous sentence leaves for pronouns in the next one.
struct Discourse {
  std::vector<std::string> topic;  // codes of the previous sentence's first actor
  std::string topic_text;
  int first = 0;                   // word index of that actor in its sentence
  std::vector<std::string> codes;  // every actor code of the previous sentence
};

void FindUnits(const SentenceView& v, int32_t date, const Discourse& prev, Units* out);

// Word `i` is one of the pronouns FindUnits resolves to an earlier actor (by spelling only).
bool IsAnaphoricPronoun(const SentenceView& v, int i);

// The unit that stands for word `w` as a role filler: the unit headed by `w`, the unit that
// absorbed it, or (for a head without codes) the first coded unit among its "of" modifiers.
int RoleUnit(const SentenceView& v, const Units& u, int w);

// ---------------------------------------------------------------------------------------------
// Pattern matching.

// The words a verb's patterns are matched against, in text order.
struct Window {
  std::vector<int> words;  // sentence word indexes
  std::vector<int> pos;    // word -> index in `words`, or -1
  // After IndexWords(): one bit per form and lemma id of `words` (WindowBit), so that
  // MatchPattern can reject a pattern whose word is not in the window without scanning it.
  uint64_t word_bits = 0;
  bool indexed = false;
  static uint64_t WindowBit(uint32_t id) { return 1ull << ((id * 0x9E3779B97F4A7C15ull) >> 58); }
  void IndexWords(const SentenceView& v);
};

struct Bindings {
  int source = -1, target = -1, compound = -1;  // unit indexes
  std::vector<int> matched;                     // words the pattern's literal elements consumed
};

// Tries `p` with the verb at words [vfirst, vlast] (a multi-word verb spans several words).
bool MatchPattern(const SentenceView& v, const Units& units, const Window& win,
                  const dict::Pattern& p, int vfirst, int vlast, Bindings* out);

}  // namespace dyad::coder::internal
