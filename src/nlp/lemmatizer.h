// Lemmatiser used by the Tagger (internal to src/nlp).
//
// A lemma is produced by a suffix-rewrite rule applied to the form: optionally lowercase it,
// strip a suffix, append another ("studies" -> lowercase no, strip "ies", append "y"). Rules
// are learnt from the training pairs. At run time a (form, tag) pair seen in training gets
// its most frequent rule (looked up by exact form, then by lowercased form); an unseen one
// gets the rule an averaged perceptron over suffix and tag features scores best among the
// rules that apply to its ending. Immutable after Train/Parse; Lemmatize() is thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/status.h"
#include "ml/linear_model.h"
#include "nlp/tagger_table.h"

namespace dyad {
class BinaryWriter;
class BinaryReader;
}  // namespace dyad

namespace dyad::nlp::internal {

struct LemmaRule {
  bool lower = false;  // lowercase the form first
  std::string strip;   // suffix removed from the (lowercased) form
  std::string append;  // then appended

  bool operator==(const LemmaRule&) const = default;
};

// The rule that turns `form` into `lemma` keeping the longest common prefix (lowercasing
// first when that keeps more of it).
LemmaRule DeriveRule(std::string_view form, std::string_view lemma);

class Lemmatizer {
 public:
  struct Example {
    std::string_view form;
    int tag;  // the tagger's tag class
    std::string_view lemma;
  };
  struct Options {
    int epochs = 8;
    uint64_t seed = 1;
    int min_rule_types = 2;  // a rule the classifier may choose must lemmatise this many types
  };

  Lemmatizer() = default;
  // `examples` are tokens (duplicates welcome: they decide the most frequent rule).
  static Lemmatizer Train(const std::vector<Example>& examples, const Options& opts);

  // `lower` must be Lowercase(form).
  std::string Lemmatize(std::string_view form, std::string_view lower, int tag) const;

  void Serialize(BinaryWriter* w) const;
  static Result<Lemmatizer> Parse(BinaryReader* r);

  size_t num_rules() const { return rules_.size(); }

 private:
  static uint64_t Key(std::string_view form, int tag);
  static constexpr int kMaxFeatures = 16;
  // Writes the classifier's features to out[0, n) and returns n (<= kMaxFeatures).
  static int Features(std::string_view lower, uint32_t flags, int tag, uint64_t* out);
  static bool Applies(const LemmaRule& r, std::string_view form, std::string_view lower);
  static std::string Apply(const LemmaRule& r, std::string_view form, std::string_view lower);
  void BuildIndex();

  std::vector<LemmaRule> rules_;      // classifier classes are rules [0, num_classes)
  std::vector<uint64_t> exact_keys_;  // Key(form, tag), sorted; parallel to exact_rules_
  std::vector<uint32_t> exact_rules_;
  std::vector<uint64_t> lower_keys_;  // Key(lowercased form, tag): rule for the lowercased form
  std::vector<uint32_t> lower_rules_;
  ml::LinearModel model_;
  FlatTable<uint32_t> exact_, lower_;  // built from the vectors
};

}  // namespace dyad::nlp::internal
