// The NLP pipeline: text -> sentences -> tokens -> tags, lemmas -> dependency trees.
//
// A Pipeline is loaded once from a model file (models/en-ewt.dyadm by default) and is then
// immutable: every method is const and safe to call from many threads at once. Components
// missing from the model file are skipped (a model with only a tokenizer and tagger yields
// untagged heads, head = -1).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/status.h"
#include "dyad/text.h"
#include "dyad/types.h"

namespace dyad {

namespace nlp {
class Tagger;
class Parser;
struct ModelFile;
}  // namespace nlp

class Pipeline {
 public:
  static Result<std::shared_ptr<const Pipeline>> Load(const std::string& path);
  static Result<std::shared_ptr<const Pipeline>> FromModel(nlp::ModelFile model,
                                                           const std::string& origin);

  // Segments, tags and parses `text`; appends sentences whose spans point into `text`.
  void AnnotateText(std::string_view text, std::vector<Sentence>* out,
                    const text::SegmenterOptions& opts = {}) const;
  // AnnotateText without the parse: segments, tags and lemmatises (heads stay unset), so a
  // caller can choose which sentences to Parse.
  // With `with_feats` false, FEATS stay empty (the coder's pre-pass does not read them, and
  // they are a fifth of the tagging time); AddFeats() decides them later, before Parse(), with
  // the values TagText would have given.
  void TagText(std::string_view text, std::vector<Sentence>* out,
               const text::SegmenterOptions& opts = {}, bool with_feats = true) const;
  void AddFeats(Sentence* s) const;
  // Tags and parses one sentence whose words already have their forms (gold tokenisation).
  void AnnotateWords(Sentence* s) const;
  // AnnotateWords without the parse.
  void TagWords(Sentence* s) const;
  void Tag(Sentence* s) const;
  void Parse(Sentence* s) const;

  bool has_tagger() const { return tagger_ != nullptr; }
  bool has_parser() const { return parser_ != nullptr; }
  uint64_t fingerprint() const { return fingerprint_; }
  const std::map<std::string, std::string>& meta() const { return meta_; }

  ~Pipeline();

 private:
  Pipeline();
  std::unique_ptr<text::Segmenter> segmenter_;
  std::unique_ptr<nlp::Tagger> tagger_;
  std::unique_ptr<nlp::Parser> parser_;
  uint64_t fingerprint_ = 0;
  std::map<std::string, std::string> meta_;
};

}  // namespace dyad
