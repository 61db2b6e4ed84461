#include "dyad/store.h"

namespace dyad::store {

Result<std::unique_ptr<Writer>> Writer::Begin(Store* store, const RunInfo& info,
                                              size_t batch_events, size_t batch_documents) {
  if (!store) return Status::Error("store: no store");
  DYAD_ASSIGN_OR_RETURN(int64_t run, store->BeginRun(info));
  std::unique_ptr<Writer> w(new Writer());
  w->store_ = store;
  w->run_ = run;
  w->info_ = info;
  w->batch_events_ = std::max<size_t>(1, batch_events);
  w->batch_documents_ = std::max<size_t>(1, batch_documents);
  return w;
}

Writer::~Writer() = default;

Status Writer::Add(const Document& document, std::span<const dyad::Event> events) {
  // Only what the store keeps: tokens and words would triple the memory of a batch.
  Document d;
  d.id = document.id;
  d.date = document.date;
  d.title = document.title;
  d.source = document.source;
  d.url = document.url;
  d.sentences.resize(document.sentences.size());
  for (size_t i = 0; i < document.sentences.size(); ++i) {
    d.sentences[i].span = document.sentences[i].span;
    d.sentences[i].text = document.sentences[i].text;
  }
  // A document coded twice in one run (the same id twice in the input): the later one wins,
  // as it would across batches.
  auto [it, fresh] = index_.emplace(d.id, docs_.size());
  if (!fresh) {
    buffered_events_ -= events_[it->second].size();
    docs_[it->second] = std::move(d);
    events_[it->second].assign(events.begin(), events.end());
  } else {
    docs_.push_back(std::move(d));
    events_.emplace_back(events.begin(), events.end());
  }
  buffered_events_ += events.size();
  if (buffered_events_ >= batch_events_ || docs_.size() >= batch_documents_) return Flush();
  return Status::Ok();
}

Status Writer::Flush() {
  if (docs_.empty()) return Status::Ok();
  std::vector<IngestItem> items(docs_.size());
  for (size_t i = 0; i < docs_.size(); ++i) items[i] = {&docs_[i], events_[i]};
  DYAD_ASSIGN_OR_RETURN(IngestStats s, store_->Ingest(items, run_, info_));
  stats_ += s;
  docs_.clear();
  events_.clear();
  index_.clear();
  buffered_events_ = 0;
  return Status::Ok();
}

Status Writer::Finish() {
  DYAD_RETURN_IF_ERROR(Flush());
  return store_->FinishRun(run_);
}

}  // namespace dyad::store
