// Word-form analysis shared by the tagger and the lemmatiser: Unicode lowercasing, affixes by
// code point, word shapes. Language-neutral (Unicode categories and simple case mappings only).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dyad::nlp::internal {

// Simple (one-to-one) Unicode lowercase mapping; invalid UTF-8 bytes are copied unchanged.
std::string Lowercase(std::string_view s);

// The last / first `k` code points of `s` (all of `s` when it is shorter).
std::string_view SuffixChars(std::string_view s, int k);
std::string_view PrefixChars(std::string_view s, int k);

// Number of code points (invalid bytes count one each).
int CountChars(std::string_view s);

// Character classes of a form, as bits.
enum WordFlag : uint32_t {
  kHasUpper = 1u << 0,
  kHasLower = 1u << 1,
  kHasDigit = 1u << 2,
  kHasHyphen = 1u << 3,  // '-' anywhere but alone
  kHasPunct = 1u << 4,   // a punctuation or symbol code point
  kFirstUpper = 1u << 5,
  kAllUpper = 1u << 6,  // has upper, has no lower
  kAllDigit = 1u << 7,  // every code point a digit
  kHasOther = 1u << 8,  // a letter without case, a mark, ...
};
uint32_t WordFlags(std::string_view s);

// "Xxxx" -> "Xx", "1,000.5" -> "d,d.d", "iPhone" -> "xXx": upper X, lower x, digit d,
// ASCII punctuation kept, anything else 'o'; runs of the same class collapse to one.
std::string ShortShape(std::string_view s);
// Like ShortShape, but runs collapse only beyond 4 ("Xxxx", "Xxxxx" -> "Xxxxx").
std::string LongShape(std::string_view s);

}  // namespace dyad::nlp::internal
