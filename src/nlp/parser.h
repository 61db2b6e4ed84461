// Labeled dependency parser (UD v2 relations): fills Word::head and Word::deprel of a tagged
// sentence.
//
// A transition-based parser (arc-standard, no root token) with a global beam and an averaged
// perceptron over hashed features of the words' form, lemma, UPOS, XPOS and morphological
// features (see parser.cc for the design and the dev figures behind it). Relations carry their
// subtypes ("obl:tmod", "nmod:poss"), exactly as the training treebank spells them.
//
// Every parsed sentence gets a well-formed tree: exactly one word with head 0 (relation
// "root"), no cycles, every head in [0, n], whatever the tags (even empty or garbage ones).
// Trees are projective; the few non-projective training trees are made projective by lifting.
//
// Trained on any UD treebank. Immutable after training or loading; Parse() is const and
// thread-safe (scratch memory is per thread).
#pragma once

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

struct ParserOptions {
  int epochs = 15;      // upper bound; the best epoch on dev (by LAS) is kept
  int train_beam = 8;   // beam width in training (max-violation updates)
  int beam = 4;         // beam width at parse time (and for the dev figures), kept in the model
  uint64_t seed = 1;    // training is deterministic for a seed (it only shuffles the order)
  bool verbose = true;  // per-epoch figures on stderr
  // The shipped model keeps this many features, those with the most weight (it bounds the
  // model's size: about 24 bytes a feature; 0 keeps everything).
  size_t max_features = 0;
  // Stop early when dev LAS has not improved for this many epochs (0: never stop early).
  int patience = 3;
};

// Attachment scores the way the CoNLL 2018 shared task computes them with gold tokenisation:
// over all words (punctuation included); LAS compares the head and the universal part of the
// relation (before ':').
struct AttachmentScore {
  size_t words = 0;
  size_t head_correct = 0;
  size_t labeled_correct = 0;
  double uas() const { return words ? 100.0 * head_correct / words : 0; }
  double las() const { return words ? 100.0 * labeled_correct / words : 0; }
};
// Adds `pred` against `gold` (same words, in order) to *score.
void AddAttachmentScore(const Sentence& gold, const Sentence& pred, AttachmentScore* score);

class Parser {
 public:
  // `train` and `dev` carry the tags the parser will see at run time (ideally predicted,
  // jackknifed tags on train), and gold heads and relations. Training sentences whose trees
  // are malformed (no single root, a cycle, a head out of range) are skipped. `dev` may be
  // empty (then the last epoch is kept).
  static Result<Parser> Train(const std::vector<Sentence>& train, const std::vector<Sentence>& dev,
                              const ParserOptions& opts);

  // Fills head and deprel of every word of *s from form, lemma, upos, xpos and feats.
  void Parse(Sentence* s) const;

  // Parses a copy of each sentence and scores it against the original.
  AttachmentScore Evaluate(const std::vector<Sentence>& gold) const;

  // Test hook (slow): parses a copy of `s` and checks that every class score the search used
  // equals the plain sum of the state's feature weights, i.e. that the per-sentence memo of
  // feature groups (the fast path, see parser.cc) changes nothing.
  Status CheckScoring(const Sentence& s) const;

  // One parser whose weights are the sum of `parts`' (trained on the same relations, e.g. with
  // other seeds): an ensemble at the cost of one parser. Keeps `max_features` features (0: all).
  static Result<Parser> Combine(const std::vector<const Parser*>& parts, size_t max_features);

  int beam() const;
  size_t num_features() const;  // distinct hashed features kept in the model

  // The parser's section of a model file (format versioned; see parser.cc).
  void Serialize(BinaryWriter* w) const;
  // Reads what Serialize wrote; truncated or corrupted bytes give an error naming the problem.
  static Result<Parser> Load(BinaryReader* r);

  Parser();
  ~Parser();
  Parser(Parser&&) noexcept;
  Parser& operator=(Parser&&) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dyad::nlp
