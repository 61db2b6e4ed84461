// A small, strict JSON reader and string escaper (RFC 8259) for JSONL documents and events.
//
// ParseJson never recurses deeper than max_depth (hostile input cannot blow the stack) and
// reports the column of the first error. Invalid UTF-8 inside strings is passed through for
// the text layer to repair; "\u" escapes, including surrogate pairs, are decoded.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/status.h"

namespace dyad {

struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  double number = 0;
  std::string str;  // string value, or the number's source text
  std::vector<JsonValue> array;
  std::vector<std::pair<std::string, JsonValue>> object;  // in input order

  // Out of line: the members hold the type itself, which clang (with libstdc++'s constexpr
  // containers in C++20) refuses to destroy inside the class definition.
  JsonValue();
  JsonValue(const JsonValue&);
  JsonValue(JsonValue&&) noexcept;
  JsonValue& operator=(const JsonValue&);
  JsonValue& operator=(JsonValue&&) noexcept;
  ~JsonValue();

  // The member `key` of an object, or nullptr.
  const JsonValue* Find(std::string_view key) const;
  bool is_string() const { return type == Type::kString; }
  // Scalars as text: strings as-is, numbers as written, true/false, "" for null.
  std::string AsText() const;
};

Result<JsonValue> ParseJson(std::string_view text, int max_depth = 64);

// Appends `s` as a JSON string literal (with quotes) to *out.
void AppendJsonString(std::string_view s, std::string* out);

}  // namespace dyad
