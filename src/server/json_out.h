// JSON bodies of the HTTP API: events as the API shows them, and a small object writer.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/store.h"
#include "dyad/types.h"

namespace dyad::server {

// Writes one JSON object member by member: {"a":1,"b":"x"}. Keys are trusted (ours); string
// values are escaped (dyad::AppendJsonString).
class JsonObject {
 public:
  explicit JsonObject(std::string* out) : out_(out) { *out_ += '{'; }
  JsonObject& Str(std::string_view key, std::string_view value);
  JsonObject& Int(std::string_view key, int64_t value);
  JsonObject& Num(std::string_view key, double value);  // null for NaN and infinities
  JsonObject& Bool(std::string_view key, bool value);
  JsonObject& Null(std::string_view key);
  JsonObject& SpanOrNull(std::string_view key, Span s);  // [begin,end] or null when empty
  JsonObject& Strings(std::string_view key, const std::vector<std::string>& values);
  // The value is written by the caller right after (an object, an array, a number...).
  std::string* Key(std::string_view key);
  void End() { *out_ += '}'; }

 private:
  std::string* out_;
  bool first_ = true;
};

void AppendNumber(double value, std::string* out);

// An event in a list (/api/events): the fields of the table, the sentence and `reports`.
void AppendEventRow(const store::EventRow& row, std::string* out);
// An event in full (/api/events/{id}): the row's fields, its spans in the document
// (source_span, ...) and in the sentence ("highlight": {"source": [b,e], ...}), the pattern,
// and the fingerprints.
void AppendEventDetail(const store::EventRow& row, std::string* out);
// A freshly coded event (/api/code): spans are in the posted text.
void AppendCodedEvent(const Event& e, std::string* out);

}  // namespace dyad::server
