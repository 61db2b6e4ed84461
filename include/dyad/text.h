// The text layer: raw bytes -> sentences of tokens with offsets.
//
//   RepairUtf8   invalid byte sequences -> U+FFFD, counted (never a crash, never dropped text)
//   Normalize    a token's form: curly quotes -> ", ', dashes -> -/--, NFC, whitespace
//   Segmenter    sentence splitting + UD-style tokenisation + multiword-token expansion
//
// What is language-specific (abbreviations, clitic and multiword-token rules, ...) lives in
// data/lang/<code>/ (see data/lang/README.md) and is embedded in the model, so a
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

// Replaces each maximal invalid UTF-8 subsequence (the Unicode "maximal subpart": a bad lead
// byte, or a lead byte with the continuation bytes that were still acceptable) with U+FFFD.
// Overlong forms, surrogates (ED A0..BF ..), values above U+10FFFF and truncated sequences are
// invalid. `repaired` (optional) receives the number of replacements. Valid input is returned
// unchanged.
std::string RepairUtf8(std::string_view in, size_t* repaired = nullptr);

// Normalises one token's form. Pure function of its input, thread-safe:
//   “ ” „ ‟ « » -> "      ‘ ’ ‚ ‛ ‹ › -> '      the tokens `` and '' -> "
//   ‐ ‑ ‒ – − -> -        — ― -> --             … -> ...
//   white space runs (NBSP included) -> one space, trimmed; soft hyphens, zero-width spaces,
//   bidi controls and byte-order marks dropped; invalid UTF-8 -> U+FFFD; then NFC.
// Forms already in printable ASCII are returned as they are.
std::string Normalize(std::string_view form);

struct SegmenterOptions {
  // A sentence longer than this many tokens is cut (news never needs more; it protects the
  // parser from pathological input), at its most likely boundary in its second half.
  int max_sentence_tokens = 250;
  // A token longer than this many bytes is cut (at a code point boundary).
  int max_token_bytes = 1024;
  // Web text written without punctuation (comments, e-mail flattened to one line): also end
  // sentences where no punctuation precedes the gap (and the layout forces no break), when
  // the trained model is confident enough (a threshold tuned on dev for precision). Off by
  // default: in edited text such a boundary is nearly always a name or a
  // title going on ("He told BBC | Radio 4", "Home Secretary | David Blunkett"), and a false
  // boundary splits a clause and loses its event. (UD treebanks rebuilt as raw text have
  // many such boundaries because their line breaks were lost.)
  bool split_unpunctuated = false;
};

// Segmenter: text -> sentences of tokens (with byte spans into the text) -> words.
//
//   * Paragraphs: a blank line always ends a sentence. A single line break ends one when the
//     text is not hard-wrapped (lines longer than 160 bytes), when the line is much shorter
//     than the longest line of its paragraph (a title), or when a list item follows (never
//     before a lower-case word); other line breaks count as spaces.
//   * Tokens: white space separates chunks; inside a chunk, rules from the language data
//     (abbreviations, numbers, URLs, e-mail addresses, emoticons, clitics, hyphens) and, in a
//     trained segmenter, a classifier learnt from the treebank decide the boundaries.
//   * Sentences: after final punctuation, before a capital, at line breaks, ... a classifier
//     (or, untrained, rules) decides. "Mr." never ends a sentence; a closing quote written as
//     such (”) stays with the sentence before it. A dateline that opens a
//     paragraph ("ARNOR CITY, May 2 (Newswire) -") is a sentence of its own, as UD English
//     writes it, so it can never become the subject of the sentence it introduces.
//   * Words: multiword tokens are expanded ("don't" -> "do" "n't").
// Token::form and Word::form are normalised (see Normalize); spans point into the original
// text. Sentence::new_paragraph marks the first sentence after a blank line (and the first of
// the text); Sentence::id is left empty.
//
// Thread safety: immutable after construction; Segment() may be called concurrently.

class Segmenter {
 public:
  // Loads data/lang/<code>/ (the files and their format are described in
  // data/lang/README.md).
  static Result<Segmenter> FromLanguageDir(const std::string& dir);
  // Learns what can be learnt from a treebank on top of the language data: multiword-token
  // expansions, where tokens end inside white-space-free chunks, where sentences end (both
  // averaged perceptrons over the treebank's rebuilt raw text, ConlluCorpus::text), and how
  // often words start and end sentences. `dev` (optional, recommended) chooses the number of
  // epochs and the sentence thresholds. Deterministic. Works on any UD treebank.
  static Result<Segmenter> Train(const std::string& language_dir, const ConlluCorpus& train,
                                 const ConlluCorpus* dev);

  // Splits `text` into sentences; every token's span points into `text`; words are filled
  // (form only) with multiword tokens expanded. Appends to *out.
  void Segment(std::string_view text, std::vector<Sentence>* out,
               const SegmenterOptions& opts = {}) const;

  // The model-file section ("tokenizer"): a magic, a format version, the language data, the
  // multiword table and the two classifiers. Parse reads exactly one section from `r` (the
  // caller checks r->Finish()); corrupted or truncated bytes give an error, never UB.
  void Serialize(BinaryWriter* w) const;
  static Result<Segmenter> Parse(BinaryReader* r);

  // One line describing what the segmenter contains (for model cards and --version).
  std::string Summary() const;

  // No language data: splits at white space and punctuation, ends sentences at blank lines.
  Segmenter();
  ~Segmenter();
  Segmenter(Segmenter&&) noexcept;
  Segmenter& operator=(Segmenter&&) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dyad::text
