#include "server/json_out.h"

#include <charconv>
#include <cmath>

#include "dyad/json.h"

namespace dyad::server {

void AppendNumber(double value, std::string* out) {
  if (!std::isfinite(value)) {
    *out += "null";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec != std::errc()) {
    *out += "null";
    return;
  }
  out->append(buf, end);
}

std::string* JsonObject::Key(std::string_view key) {
  if (!first_) *out_ += ',';
  first_ = false;
  AppendJsonString(key, out_);
  *out_ += ':';
  return out_;
}

JsonObject& JsonObject::Str(std::string_view key, std::string_view value) {
  AppendJsonString(value, Key(key));
  return *this;
}

JsonObject& JsonObject::Int(std::string_view key, int64_t value) {
  *Key(key) += std::to_string(value);
  return *this;
}

JsonObject& JsonObject::Num(std::string_view key, double value) {
  AppendNumber(value, Key(key));
  return *this;
}

JsonObject& JsonObject::Bool(std::string_view key, bool value) {
  *Key(key) += value ? "true" : "false";
  return *this;
}

JsonObject& JsonObject::Null(std::string_view key) {
  *Key(key) += "null";
  return *this;
}

JsonObject& JsonObject::SpanOrNull(std::string_view key, Span s) {
  std::string* o = Key(key);
  if (s.end <= s.begin) {
    *o += "null";
  } else {
    *o += '[' + std::to_string(s.begin) + ',' + std::to_string(s.end) + ']';
  }
  return *this;
}

JsonObject& JsonObject::Strings(std::string_view key, const std::vector<std::string>& values) {
  std::string* o = Key(key);
  *o += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) *o += ',';
    AppendJsonString(values[i], o);
  }
  *o += ']';
  return *this;
}

namespace {

void EventFields(const Event& e, JsonObject& j) {
  j.Str("doc_id", e.doc_id)
      .Int("sentence", e.sentence)
      .Str("date", e.date)
      .Str("source", e.source)
      .Str("target", e.target)
      .Str("code", e.code)
      .Str("root", e.root)
      .Int("quad_class", e.quad_class)
      .Num("goldstein", e.goldstein)
      .Strings("issues", e.issues)
      .Str("source_text", e.source_text)
      .Str("target_text", e.target_text)
      .Str("verb_text", e.verb_text);
}

}  // namespace

void AppendEventRow(const store::EventRow& row, std::string* out) {
  JsonObject j(out);
  j.Int("id", row.id);
  EventFields(row.event, j);
  j.Str("text", row.event.text).Int("reports", row.reports);
  j.End();
}

void AppendEventDetail(const store::EventRow& row, std::string* out) {
  const Event& e = row.event;
  JsonObject j(out);
  j.Int("id", row.id);
  EventFields(e, j);
  j.Str("text", e.text)
      .Int("reports", row.reports)
      .Int("ordinal", row.ordinal)
      .SpanOrNull("source_span", e.source_span)
      .SpanOrNull("target_span", e.target_span)
      .SpanOrNull("verb_span", e.verb_span);
  {
    std::string* o = j.Key("highlight");
    JsonObject h(o);
    h.SpanOrNull("source", row.InSentence(e.source_span))
        .SpanOrNull("target", row.InSentence(e.target_span))
        .SpanOrNull("verb", row.InSentence(e.verb_span));
    h.End();
  }
  j.Str("pattern", e.pattern).Str("pattern_where", e.pattern_where);
  j.End();
}

void AppendCodedEvent(const Event& e, std::string* out) {
  JsonObject j(out);
  EventFields(e, j);
  j.Str("text", e.text)
      .SpanOrNull("source_span", e.source_span)
      .SpanOrNull("target_span", e.target_span)
      .SpanOrNull("verb_span", e.verb_span)
      .Str("pattern", e.pattern)
      .Str("pattern_where", e.pattern_where);
  j.End();
}

}  // namespace dyad::server
