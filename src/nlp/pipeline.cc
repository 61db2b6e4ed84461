#include "dyad/nlp.h"
#include "nlp/model_file.h"
#include "nlp/parser.h"
#include "nlp/tagger.h"
#include "util/binary.h"

namespace dyad {

Pipeline::Pipeline() = default;
Pipeline::~Pipeline() = default;

Result<std::shared_ptr<const Pipeline>> Pipeline::Load(const std::string& path) {
  DYAD_ASSIGN_OR_RETURN(nlp::ModelFile m, nlp::ModelFile::Load(path));
  return FromModel(std::move(m), path);
}

Result<std::shared_ptr<const Pipeline>> Pipeline::FromModel(nlp::ModelFile m,
                                                            const std::string& origin) {
  std::shared_ptr<Pipeline> p(new Pipeline());
  p->fingerprint_ = m.fingerprint;
  p->meta_ = m.meta;
  if (!m.has("tokenizer"))
    return Status::Error(origin + ": model has no tokenizer section; retrain with `dyad train`");
  {
    BinaryReader r(m.sections["tokenizer"], origin + " tokenizer");
    auto s = text::Segmenter::Parse(&r);
    if (!s.ok()) return s.status();
    DYAD_RETURN_IF_ERROR(r.Finish());
    p->segmenter_ = std::make_unique<text::Segmenter>(std::move(s).value());
  }
  if (m.has("tagger")) {
    BinaryReader r(m.sections["tagger"], origin + " tagger");
    auto t = nlp::Tagger::Parse(&r);
    if (!t.ok()) return t.status().With(origin + " tagger");
    DYAD_RETURN_IF_ERROR(r.Finish());
    p->tagger_ = std::make_unique<nlp::Tagger>(std::move(t).value());
  }
  if (m.has("parser")) {
    BinaryReader r(m.sections["parser"], origin + " parser");
    auto t = nlp::Parser::Load(&r);
    if (!t.ok()) return t.status().With(origin + " parser");
    DYAD_RETURN_IF_ERROR(r.Finish());
    p->parser_ = std::make_unique<nlp::Parser>(std::move(t).value());
  }
  return std::shared_ptr<const Pipeline>(std::move(p));
}

namespace {
// The models were trained on normalised forms (see cmd_train); gold tokenisation from
// elsewhere gets the same treatment, so "“" and "\"" look alike to the tagger.
void NormalizeForms(Sentence* s) {
  for (Word& w : s->words) w.form = text::Normalize(w.form);
}
}  // namespace

void Pipeline::AnnotateText(std::string_view text, std::vector<Sentence>* out,
                            const text::SegmenterOptions& opts) const {
  size_t first = out->size();
  segmenter_->Segment(text, out, opts);
  for (size_t i = first; i < out->size(); ++i) AnnotateWords(&(*out)[i]);
}

void Pipeline::TagText(std::string_view text, std::vector<Sentence>* out,
                       const text::SegmenterOptions& opts, bool with_feats) const {
  size_t first = out->size();
  segmenter_->Segment(text, out, opts);
  for (size_t i = first; i < out->size(); ++i) {
    if (with_feats) {
      TagWords(&(*out)[i]);
      continue;
    }
    Sentence* s = &(*out)[i];
    NormalizeForms(s);
    if (tagger_ && !s->words.empty()) tagger_->TagWithoutFeats(s);
  }
}

void Pipeline::AddFeats(Sentence* s) const {
  if (tagger_) tagger_->AddFeats(s);
}

void Pipeline::AnnotateWords(Sentence* s) const {
  TagWords(s);
  Parse(s);
}

void Pipeline::TagWords(Sentence* s) const {
  NormalizeForms(s);
  Tag(s);
}

void Pipeline::Tag(Sentence* s) const {
  if (tagger_ && !s->words.empty()) tagger_->Tag(s);
}

void Pipeline::Parse(Sentence* s) const {
  if (parser_ && !s->words.empty()) parser_->Parse(s);
}

}  // namespace dyad
