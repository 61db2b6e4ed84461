#include "dyad/pipeline.h"

#include <algorithm>
#include <utility>

#include "pipeline/ordered_pool.h"

namespace dyad::pipeline {

Runner::Runner(const Pipeline& nlp, const coder::Coder& coder, Options options)
    : nlp_(nlp), coder_(coder), options_(options) {}

void Runner::CodeDocument(Input& in, Output* out) const {
  out->origin = std::move(in.origin);
  out->reject = std::move(in.reject);
  out->doc = std::move(in.doc);
  if (!out->reject.empty()) return;
  Document& doc = out->doc;
  // FEATS matter to the parser only: decided for the sentences that get parsed. The trace
  // prints every sentence's tags, so it gets them all.
  const bool lazy_feats = !options_.parse_all && !options_.trace;
  if (in.pretokenized && !in.preparsed) {
    for (Sentence& s : doc.sentences) nlp_.TagWords(&s);
  } else if (!in.preparsed) {
    doc.sentences.clear();
    // The segmenter cuts runs of text without a sentence end at a length that bounds its own
    // work; what is still longer than the limit below is reported, not coded.
    text::SegmenterOptions seg;
    seg.max_sentence_tokens =
        static_cast<int>(std::min<size_t>(options_.max_sentence_words * 4 + 1, 1 << 20));
    nlp_.TagText(doc.text, &doc.sentences, seg, /*with_feats=*/!lazy_feats);
  }
  for (size_t i = 0; i < doc.sentences.size(); ++i) {
    Sentence& s = doc.sentences[i];
    if (s.words.size() <= options_.max_sentence_words) continue;
    out->problems.push_back(
        "sentence " + std::to_string(i) + " not coded: " + std::to_string(s.words.size()) +
        " words, more than the limit of " + std::to_string(options_.max_sentence_words) +
        " (--max-sentence-words)");
    // Not worth tagging, let alone parsing; the coder leaves it alone.
    for (Word& w : s.words) w.head = 0, w.deprel.clear();
    s.parse_skipped = true;
  }
  if (!in.preparsed) {
    std::vector<uint8_t> need;
    if (!options_.parse_all) need = coder_.SentencesToParse(doc);
    for (size_t i = 0; i < doc.sentences.size(); ++i) {
      Sentence& s = doc.sentences[i];
      if (s.parse_skipped) continue;
      if (!options_.parse_all && !need[i]) {
        s.parse_skipped = true;
        continue;
      }
      if (lazy_feats && !in.pretokenized) nlp_.AddFeats(&s);
      nlp_.Parse(&s);
      ++out->parsed;
    }
  }
  out->sentences = doc.sentences.size();
  out->events = coder_.Code(doc, options_.trace ? &out->trace : nullptr);
  for (Event& e : out->events) {
    if (e.doc_id.empty()) e.doc_id = doc.id;
    if (e.date.empty()) e.date = doc.date;
  }
  if (options_.locator && !out->events.empty()) options_.locator->Locate(doc, &out->events);
}

void Runner::Run(int threads, const Hooks& hooks, const std::atomic<bool>* stop) const {
  OrderedParallel<Input, Output>(
      threads,
      [&]() -> std::optional<Input> {
        if (stop && stop->load()) return std::nullopt;
        return hooks.next();
      },
      [&](Input& in) {
        Output out;
        CodeDocument(in, &out);
        if (hooks.finish) hooks.finish(out);
        return out;
      },
      [&](Output& out) { hooks.consume(out); });
}

}  // namespace dyad::pipeline
