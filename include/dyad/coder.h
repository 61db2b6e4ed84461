// The event coder: CAMEO events from tagged and parsed sentences.
//
// For each sentence the coder finds actor mentions (longest dictionary match over noun
// phrases, country + agent composition, date-restricted codes resolved by the document date,
// discards honoured), matches each verb against its dictionary patterns on the dependency
// parse, and assigns the source (subject, or the agent of a passive) and the target (object,
// passive subject, or the prepositional phrase the pattern names). Compound actors give one
// event per actor; negated verbs give no event; verb chains and reported speech follow the
// dictionary's combination and transformation rules; pronouns resolve to the nearest
// compatible actor. Every Event carries its provenance (spans, the pattern that fired).
//
// A Coder is immutable after Create(); Code() is const and thread-safe. The Dictionary is
// shared, not copied.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dyad/dict.h"
#include "dyad/status.h"
#include "dyad/types.h"

namespace dyad::coder {

// The options PETRARCH's configuration and validation records set, with their defaults.
struct CoderOptions {
  bool require_dyad = true;   // an event needs both a source and a target
  int new_actor_length = 0;   // 0: never invent actors from unknown noun phrases
  // Comma-delimited clause handling (PETRARCH's comma_* options); 0 disables each.
  int comma_min = 2, comma_max = 8;
  int comma_bmin = 0, comma_bmax = 0;
  int comma_emin = 2, comma_emax = 8;
  std::string default_date;   // YYYYMMDD used when a document has no date
};

// Human-readable trace of what the coder did with one sentence (`dyad code --explain`).
struct SentenceTrace {
  uint32_t sentence = 0;
  std::string text;           // the rendered explanation, several lines
};

class Coder {
 public:
  static Result<Coder> Create(std::shared_ptr<const dict::Dictionary> dictionary,
                              const CoderOptions& options = {});

  // Codes a document whose sentences are tagged and parsed (Pipeline::AnnotateText). Events
  // come in sentence order, deterministic. When `trace` is given, one entry per sentence.
  std::vector<Event> Code(const Document& doc, std::vector<SentenceTrace>* trace = nullptr) const;

  const dict::Dictionary& dictionary() const;
  const CoderOptions& options() const;

  Coder();
  ~Coder();
  Coder(Coder&&) noexcept;
  Coder& operator=(Coder&&) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dyad::coder
