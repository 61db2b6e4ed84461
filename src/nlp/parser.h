// Labeled dependency parser (UD v2 relations): fills Word::head and Word::deprel of a tagged
// sentence.
//
// Trained on any UD treebank. Immutable after training or loading; Parse() is const and
// thread-safe.
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

struct ParserOptions {
  int epochs = 15;      // upper bound; the best epoch on dev is kept
  int beam = 8;         // beam width used in training and parsing
  uint64_t seed = 1;    // training is deterministic for a seed
  bool verbose = true;  // per-epoch figures on stderr
};

class Parser {
 public:
  // `train` and `dev` carry the tags the parser will see at run time (ideally predicted,
  // jackknifed tags on train), and gold heads and relations.
  static Result<Parser> Train(const std::vector<Sentence>& train,
                              const std::vector<Sentence>& dev, const ParserOptions& opts);
  void Parse(Sentence* s) const;

  void Serialize(BinaryWriter* w) const;
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
