// Tagger and lemmatiser: fills Word::upos, xpos, feats and lemma of a segmented sentence.
//
// Trained on any UD treebank (nothing language-specific in code). Immutable after training or
// loading; Tag() is const and thread-safe.
#pragma once

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
  int epochs = 10;        // upper bound; the best epoch on dev is kept
  uint64_t seed = 1;      // shuffling order; training is deterministic for a seed
  bool verbose = true;    // per-epoch figures on stderr
};

class Tagger {
 public:
  static Result<Tagger> Train(const std::vector<Sentence>& train, const std::vector<Sentence>& dev,
                              const TaggerOptions& opts);
  void Tag(Sentence* s) const;

  void Serialize(BinaryWriter* w) const;
  static Result<Tagger> Parse(BinaryReader* r);

  Tagger();
  ~Tagger();
  Tagger(Tagger&&) noexcept;
  Tagger& operator=(Tagger&&) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dyad::nlp
