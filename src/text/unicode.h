// Internal to the text layer: UTF-8 decoding and the character classes the tokeniser and the
// sentence splitter reason about. Decoding never fails: an invalid byte decodes as U+FFFD with
// length 1, so offsets stay valid on any input.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dyad::text {

inline constexpr char32_t kReplacement = 0xFFFD;

// One decoded code point: its value and its length in bytes (1..4). `valid` is false for a
// byte that does not start a well-formed sequence (then cp == U+FFFD and len == 1).
struct Decoded {
  char32_t cp;
  uint8_t len;
  bool valid;
};

// Decodes the code point at s[i] (i < s.size()). Rejects overlongs, surrogates, values above
// U+10FFFF and truncated sequences, as the Unicode standard requires.
Decoded DecodeAt(std::string_view s, size_t i);

void AppendUtf8(char32_t cp, std::string* out);

// Character classes, coarse on purpose: what a tokeniser needs to know about a code point.
enum class CharClass : uint8_t {
  kSpace,   // white space, control characters, zero-width space, byte-order mark
  kUpper,   // Lu, Lt
  kLower,   // Ll
  kLetter,  // other letters (Lm, Lo): scripts without case, e.g. Arabic, Hebrew, CJK
  kDigit,   // Nd, Nl, No
  kMark,    // combining marks, joiners, variation selectors, emoji modifiers: never split
  kPunct,   // P*
  kSymbol,  // S*, private use, unassigned, invalid bytes
};

CharClass ClassOf(char32_t cp);

inline bool IsWordClass(CharClass c) {
  return c == CharClass::kUpper || c == CharClass::kLower || c == CharClass::kLetter ||
         c == CharClass::kDigit || c == CharClass::kMark;
}
inline bool IsLetterClass(CharClass c) {
  return c == CharClass::kUpper || c == CharClass::kLower || c == CharClass::kLetter;
}

// Simple (one-to-one) lower-casing; ASCII is handled without a table lookup.
char32_t ToLower(char32_t cp);

char32_t ToUpper(char32_t cp);

// Lower-cases a whole string code point by code point (invalid bytes pass through as U+FFFD).
std::string LowerUtf8(std::string_view s);

}  // namespace dyad::text
