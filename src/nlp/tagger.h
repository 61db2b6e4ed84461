// Tagger and lemmatiser: fills Word::upos, xpos, feats and lemma of a segmented sentence.
//
// Trained on any UD treebank (nothing language-specific in code: UPOS names are universal, and
// casing and affixes are handled by Unicode category). Three models, applied in order:
//   1. POS: one class per (UPOS, XPOS) pair seen in training. Two greedy averaged-perceptron
//      decoders, left to right and right to left, each seeing its two previously chosen tags,
//      share one linear model (one lookup per static feature serves both) and their scores
//      are added. Static features: the word, its lowercase form, prefixes and suffixes, shape,
//      case flags, neighbouring words, and "ambiguity classes" (the tags the training data
//      allows for a form) of this and nearby words. Frequent forms that nearly always carry one
//      tag ("the", ",") get it without being scored.
//   2. FEATS: the whole FEATS string, chosen among those seen in training with this word and
//      tag (or, for a new word, with this tag) by a second perceptron that also sees the
//      neighbours and the nearest nominal to the left (agreement).
//   3. Lemma: the most frequent lemma rule of this (form, tag) in training, else a learnt
//      suffix-rewrite rule (see nlp/lemmatizer.h).
// Trained on UD English EWT it scores about 95.6 UPOS, 95.0 XPOS, 95.4 UFeats and 97.2
// lemma accuracy on its test set (gold tokenisation), tags about 200,000 words a second on
// one core, and serialises to about 7 MB.
//
// A Tagger is immutable after Train() or Parse(); Tag() is const and thread-safe (concurrent
// calls on one Tagger are fine; scratch space is per thread). A default-constructed Tagger is
// empty: Tag() leaves sentences unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dyad/status.h"
#include "dyad/types.h"

namespace dyad {
class BinaryWriter;
class BinaryReader;
}  // namespace dyad

namespace dyad::nlp {

struct TaggerOptions {
  // Upper bound on passes over the training data for the POS and FEATS models; after each the
  // averaged model is scored on `dev` and the best epoch is kept (with no dev sentences, the
  // last one). On EWT the POS model peaks after 5-6 passes.
  int epochs = 10;
  int lemma_epochs = 8;  // passes of the lemma-rule classifier (no dev selection)
  // POS features seen fewer times than this along the gold path are not learnt: a much
  // smaller model at no cost in accuracy.
  int min_feature_count = 2;
  // Averaged POS weights smaller than this are dropped: on EWT 0.5 removes 15% of the weights
  // at no cost in accuracy; 1.0 removes 60% for about -0.1 UPOS.
  float prune = 0.5f;
  // Decode right to left as well as left to right and add the scores (+0.3 UPOS on EWT; twice
  // the POS decoding work).
  bool bidirectional = true;
  uint64_t seed = 1;    // shuffling order; training is deterministic for a seed
  bool verbose = true;  // per-epoch figures on stderr
};

// Per-word accuracy counts (gold tokenisation: word i of a predicted sentence is compared with
// word i of the gold one). `feats` is an exact match of the whole FEATS string.
struct TagScores {
  size_t words = 0, upos = 0, xpos = 0, feats = 0, lemma = 0, all_tags = 0;
  static double Percent(size_t n, size_t total) { return total ? 100.0 * n / total : 0.0; }
  std::string ToString() const;  // "UPOS 95.61 XPOS 95.20 UFeats 95.90 ..."
};
// Compares sentence by sentence and word by word; extra or missing words count as errors.
TagScores ScoreTags(const std::vector<Sentence>& gold, const std::vector<Sentence>& predicted);

class Tagger {
 public:
  // `train` must carry UPOS (XPOS, FEATS and LEMMA may be "_"); `dev` may be empty.
  // Errors: empty training data, a word without UPOS, too many distinct tags.
  static Result<Tagger> Train(const std::vector<Sentence>& train, const std::vector<Sentence>& dev,
                              const TaggerOptions& opts);

  // Overwrites upos, xpos, feats and lemma of every word of `s` from the words' forms.
  void Tag(Sentence* s) const;
  // Tag() without FEATS (left empty), the costliest part the coder's pre-pass does not need;
  // AddFeats() then gives a sentence so tagged exactly the FEATS Tag() would have given it.
  void TagWithoutFeats(Sentence* s) const;
  void AddFeats(Sentence* s) const;

  // Format: u32 magic "DTAG", u32 version, then the tag and feature tables, the word
  // dictionary, the three linear models and the lemmatiser. Parse() reads exactly that and
  // validates every index, so corrupted or truncated bytes give an error, never UB; the
  // caller checks for trailing bytes with BinaryReader::Finish().
  void Serialize(BinaryWriter* w) const;
  static Result<Tagger> Parse(BinaryReader* r);

  bool empty() const { return impl_ == nullptr; }
  // The epoch kept by Train() (0 when parsed from bytes).
  int best_epoch() const;

  Tagger();
  ~Tagger();
  Tagger(Tagger&&) noexcept;
  Tagger& operator=(Tagger&&) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// For training a parser on realistic tags: splits `train` into `folds` parts (sentence i goes
// to part i % folds), trains a tagger on all parts but one with `opts` (no dev set, so
// opts.epochs passes: set it to the epoch count that worked on dev), and tags that part.
// Returns `train` in its original order with upos, xpos, feats and lemma predicted and
// everything else (forms, heads, relations, tokens) preserved. folds must be >= 2.
Result<std::vector<Sentence>> JackknifeTags(const std::vector<Sentence>& train, int folds,
                                            const TaggerOptions& opts);

}  // namespace dyad::nlp
