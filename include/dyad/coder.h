// The event coder: CAMEO events from tagged and parsed sentences.
//
// Input: a Document whose sentences are tagged, lemmatised and parsed in UD v2 (what
// Pipeline::AnnotateText gives). Output: events in sentence order, each with its provenance.
//
// What the coder does with one sentence (the trace shows every step, see SentenceTrace):
//   1. Discards. A story discard phrase ("+TYPHOON") anywhere drops the whole document; a
//      sentence discard the sentence. TABARI's comma-delimited clauses (the comma_* options)
//      are dropped from coding, except list commas and the clause holding the root.
//   2. Actors. The longest dictionary match of actors and agents over the words (forms, then
//      lemmas for plurals), gathered into the noun phrases of the parse. A phrase's code is its
//      leftmost actor (or its possessor's: "Gondor's government") on the document's date, with
//      its agents added: suffix agents ("~GOV") after, prefix agents ("NGO~") before, parts the
//      code already has left out ("White House officials" stays USAGOV). An agent takes its
//      country from an "of/in/from/at" modifier ("ambassadors of Arnor and Rohan" -> ARNGOV,
//      ROHGOV), from a country shared across a coordination ("Iraqi police and soldiers"), or
//      has none ("---GOV"). Conjoined phrases form compounds; coded compounds ([ELF/DWF]) are
//      several actors. Pronouns (he, she, it, they, its, his, her, their) stand for the actor
//      before them in the sentence (TABARI's rules), else the previous sentence's first actor;
//      an extraposed "it" ("it is likely that") stands for nothing. With new_actor_length > 0,
//      an uncoded subject or object of at most that many words becomes an actor coded by its
//      text ("\"THE GUILD\"").
//   3. Verbs. Every word tagged as a verb that the dictionary spells (form, or lemma for
//      irregular forms), multi-word verbs first. Its patterns, most specific first, are matched
//      in text order against the verb's clause: the verb's subtree, extended up through
//      complements (xcomp, ccomp, advcl, parataxis) to the clause that governs them, without
//      coordinated clauses or dropped comma clauses. Words match forms exactly (inside
//      PETRARCH-2 {noun} and (prep) phrases also lemmas); `_` demands adjacency; `$ + % ^`
//      bind the first actor at that point. No match: the verb's own code.
//   4. Roles. Source: what `$` (or a leading `%`) bound, else the `by` agent of a passive, else
//      the subject, found through xcomp control (object, else subject of the governing verb),
//      coordination, relative clauses and participles. A passive without an agent has no
//      source. Target: what `+` (or `%`) bound, else the passive subject, else the first actor
//      after the verb in its subtree whose code differs from the source's, outside the subject
//      and outside complement clauses that have an event of their own. A compound source with
//      no target acts on itself ("Arnor and Gondor met": ARN->GON, GON->ARN).
//   5. Verb chains. A verb under a coded verb through xcomp is folded into it ("agreed to
//      restore"): CAMEO's intent (030) and threat (130) combine with the lower code
//      ("promised to help" 033, "threatened to attack" 138). Under a verb whose code is null
//      ("ordered X to attack") the lower verb stands. The dictionary's transformations ("~ a
//      (a b ATTACK) SAY = a b 015") rewrite a verb and its complement when one matches.
//      Reported speech: a complement with its own event keeps it and the reporting verb takes
//      no actors from it, so "X said that Y attacked Z" codes Y->Z only.
//   6. Events. One per (source, target) pair of actors; [x:y] adds target->source y; [---],
//      [###] and [+++] give none; a negated verb (not, n't, never) gives none unless its pattern
//      spelled the negation; with require_dyad both actors must be present, else at least one;
//      a source equal to its target is dropped; a subordinate code ([023?]) stands only when
//      nothing else in the sentence was coded. Issues (the issue dictionary's phrases in the
//      sentence) are attached to the sentence's events.
//
// Events: `source`/`target` are full codes ("" when absent), `code` is the dictionary's code,
// `root`/`quad_class`/`goldstein` come from the nearest valid CAMEO code (dyad/cameo.h), spans
// point into Document::text, `pattern`/`pattern_where` name the dictionary line that fired
// (the pattern, or the verb's own line) and its file:line, `date` is the document's date
// (or options.default_date) as YYYY-MM-DD.
//
// A Coder is immutable after Create(); Code() is const and thread-safe (it keeps per-thread
// scratch buffers, so its cost does not grow with the dictionary). The Dictionary is shared,
// not copied.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dyad/dict.h"
#include "dyad/status.h"
#include "dyad/types.h"

namespace dyad::coder {

// The options PETRARCH's configuration and validation records set, with their defaults.
struct CoderOptions {
  bool require_dyad = true;  // an event needs both a source and a target
  int new_actor_length = 0;  // 0: never invent actors from unknown noun phrases
  // Comma-delimited clauses dropped from coding when their length in words is within
  // [min, max]: internal (between commas), initial ("b") and terminal ("e"). A max of 0
  // disables that kind.
  int comma_min = 2, comma_max = 8;
  int comma_bmin = 0, comma_bmax = 0;
  int comma_emin = 2, comma_emax = 8;
  std::string default_date;  // YYYYMMDD or YYYY-MM-DD, for documents without a date
};

// Human-readable trace of what the coder did with one sentence (`dyad code --explain`): the
// parse, the actors with their dictionary entries and file:line, each dictionary verb with the
// pattern that fired (or why none did), its source and target, and the events.
struct SentenceTrace {
  uint32_t sentence = 0;
  std::string text;  // the rendered explanation, several lines
};

class Coder {
 public:
  // Errors: no dictionary, or a default_date that is not a date.
  static Result<Coder> Create(std::shared_ptr<const dict::Dictionary> dictionary,
                              const CoderOptions& options = {});

  // Codes a document whose sentences are tagged and parsed (Pipeline::AnnotateText). Events
  // come in sentence order, deterministic. When `trace` is given, one entry per sentence
  // (a single entry when a story discard drops the document).
  std::vector<Event> Code(const Document& doc, std::vector<SentenceTrace>* trace = nullptr) const;

  // The pre-pass: for a document whose sentences are tagged and lemmatised but not parsed,
  // which sentences need a parse (1) because an event could come from them, or because a
  // later sentence's pronouns and definite agents ("he", "the regime") may refer to their
  // actors. A sentence with no dictionary verb, or with neither an actor, an agent nor a
  // pronoun, cannot yield an event whatever its parse, so the events of the document are the
  // same when the others are marked Sentence::parse_skipped and left unparsed. Every
  // sentence is needed when new_actor_length > 0 (any noun phrase may become an actor).
  std::vector<uint8_t> SentencesToParse(const Document& doc) const;

  const dict::Dictionary& dictionary() const;
  const CoderOptions& options() const;

  Coder();
  ~Coder();
  Coder(Coder&&) noexcept;
  Coder& operator=(Coder&&) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dyad::coder
