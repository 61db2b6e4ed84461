// The event pipeline: documents in, events out, in input order, on any number of threads.
//
// One document goes through: segment, tokenise, tag and lemmatise (dyad/nlp.h) -> the
// pre-pass (coder::Coder::SentencesToParse) -> parse only the sentences that can hold an
// event -> code (dyad/coder.h) -> locate (dyad/geo.h, when a Locator is given). Documents read from CoNLL-U arrive tagged and parsed and skip
// straight to coding.
//
// A Runner holds references to an immutable Pipeline and Coder and is itself immutable:
// CodeDocument() may be called from many threads at once. Run() streams: at most a few
// documents per thread are in memory at any time, whatever the size of the input, and the
// results reach `consume` in input order, so the output is the same bytes for any number of
// threads.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dyad/coder.h"
#include "dyad/geo.h"
#include "dyad/nlp.h"
#include "dyad/types.h"

namespace dyad::pipeline {

struct Options {
  // Parse every sentence, not only those the pre-pass keeps. The events are the same either
  // way (tests/cli/prepass.sh checks it on the BBC corpus); this is for measuring, and for
  // `dyad parse`-like uses of the trace.
  bool parse_all = false;
  // Sentences longer than this many words are neither parsed nor coded, and are reported:
  // parsing cost grows with length, and a 1,000-word "sentence" is a list, a table or a
  // broken document, not a sentence a reporter wrote (news sentences stay under ~150). Text
  // with no sentence end at all is cut every 4x this many tokens first, so that no single
  // piece costs more than that to segment and tag.
  size_t max_sentence_words = 250;
  // Keep the coder's per-sentence trace (dyad code --explain).
  bool trace = false;
  // Places each event (Event::location) when set; it must outlive the Runner.
  const geo::Locator* locator = nullptr;
};

// One input record as a reader hands it over.
struct Input {
  Document doc;
  std::string origin;      // "file:line" or "file", for messages
  std::string reject;      // non-empty: the reader rejected the record, for this reason
  // CoNLL-U input: doc.sentences hold the words (`pretokenized`: to tag and parse; also
  // `preparsed`: tagged and parsed already, coded as they are).
  bool pretokenized = false;
  bool preparsed = false;
};

// What became of one record.
struct Output {
  Document doc;  // with its sentences (tagged; parsed unless skipped)
  std::string origin;
  std::string reject;                       // the reader's rejection, passed through
  std::vector<std::string> problems;        // sentences not coded, with the reason
  std::vector<Event> events;                // doc_id and date filled in
  std::vector<coder::SentenceTrace> trace;  // with Options::trace
  size_t sentences = 0, parsed = 0;
  // For the caller's `finish` hook (run on the worker thread): formatted output.
  std::string text, extra;
};

class Runner {
 public:
  Runner(const Pipeline& nlp, const coder::Coder& coder, Options options);

  // Codes one record. Thread-safe.
  void CodeDocument(Input& in, Output* out) const;

  struct Hooks {
    // The next record, or nullopt at the end. Called on the calling thread only.
    std::function<std::optional<Input>()> next;
    // Runs on the worker thread right after coding (format the output here so that it is
    // done in parallel). May be empty.
    std::function<void(Output&)> finish;
    // Receives each result in input order, on the calling thread.
    std::function<void(Output&)> consume;
  };
  // Codes every record `next` yields on `threads` threads (1: on the calling thread). When
  // `stop` becomes true, no further record is read; those already read are finished and
  // consumed, so the output ends at a record boundary.
  void Run(int threads, const Hooks& hooks, const std::atomic<bool>* stop = nullptr) const;

  const Options& options() const { return options_; }

 private:
  const Pipeline& nlp_;
  const coder::Coder& coder_;
  Options options_;
};

}  // namespace dyad::pipeline
