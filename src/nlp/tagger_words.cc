#include "nlp/tagger_words.h"

#include <utf8proc.h>

namespace dyad::nlp::internal {
namespace {

// Decodes the code point at s[i]; returns its byte length (>= 1). Invalid bytes decode to -1
// with length 1, so every caller advances and never reads past the end.
inline int Next(std::string_view s, size_t i, int32_t* cp) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  utf8proc_int32_t v = -1;
  utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                        static_cast<utf8proc_ssize_t>(s.size() - i), &v);
  if (n <= 0) {
    *cp = -1;
    return 1;
  }
  *cp = v;
  return static_cast<int>(n);
}

inline bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

enum CharClass : char { kUpper = 'X', kLower = 'x', kDigit = 'd', kOther = 'o' };

char ClassOf(int32_t cp) {
  if (cp < 0) return kOther;
  if (cp < 0x80) {
    if (cp >= 'A' && cp <= 'Z') return kUpper;
    if (cp >= 'a' && cp <= 'z') return kLower;
    if (cp >= '0' && cp <= '9') return kDigit;
    return static_cast<char>(cp);  // ASCII punctuation is kept as itself
  }
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT:
      return kUpper;
    case UTF8PROC_CATEGORY_LL:
      return kLower;
    case UTF8PROC_CATEGORY_ND:
      return kDigit;
    default:
      return kOther;
  }
}

std::string Shape(std::string_view s, int max_run) {
  std::string out;
  char last = 0;
  int run = 0;
  for (size_t i = 0; i < s.size();) {
    int32_t cp;
    i += Next(s, i, &cp);
    char c = ClassOf(cp);
    run = c == last ? run + 1 : 1;
    last = c;
    if (run <= max_run) out += c;
  }
  return out;
}

}  // namespace

std::string Lowercase(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : static_cast<char>(c);
      ++i;
      continue;
    }
    int32_t cp;
    int n = Next(s, i, &cp);
    if (cp < 0) {
      out += s[i];
    } else {
      utf8proc_uint8_t buf[4];
      utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(cp), buf);
      out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(m));
    }
    i += n;
  }
  return out;
}

std::string_view SuffixChars(std::string_view s, int k) {
  size_t i = s.size();
  while (i > 0 && k > 0) {
    --i;
    // Step back over continuation bytes, but at most 3 (a stray one counts as a character).
    int steps = 0;
    while (i > 0 && steps < 3 && IsContinuation(static_cast<unsigned char>(s[i]))) {
      --i;
      ++steps;
    }
    --k;
  }
  return s.substr(i);
}

std::string_view PrefixChars(std::string_view s, int k) {
  size_t i = 0;
  while (i < s.size() && k > 0) {
    int32_t cp;
    i += Next(s, i, &cp);
    --k;
  }
  return s.substr(0, i);
}

int CountChars(std::string_view s) {
  int n = 0;
  for (size_t i = 0; i < s.size(); ++n) {
    int32_t cp;
    i += Next(s, i, &cp);
  }
  return n;
}

uint32_t WordFlags(std::string_view s) {
  uint32_t f = 0;
  bool all_digit = !s.empty(), first = true;
  for (size_t i = 0; i < s.size();) {
    int32_t cp;
    i += Next(s, i, &cp);
    char c = ClassOf(cp);
    if (c == kUpper) {
      f |= kHasUpper;
      if (first) f |= kFirstUpper;
    } else if (c == kLower) {
      f |= kHasLower;
    } else if (c == kDigit) {
      f |= kHasDigit;
    } else if (c == '-') {
      if (s.size() > 1) f |= kHasHyphen;
    } else if (c == kOther) {
      if (cp >= 0 && utf8proc_category(cp) >= UTF8PROC_CATEGORY_PC &&
          utf8proc_category(cp) <= UTF8PROC_CATEGORY_SO)
        f |= kHasPunct;
      else
        f |= kHasOther;
    } else {
      f |= kHasPunct;  // ASCII punctuation
    }
    if (c != kDigit) all_digit = false;
    first = false;
  }
  if ((f & kHasUpper) && !(f & kHasLower)) f |= kAllUpper;
  if (all_digit) f |= kAllDigit;
  return f;
}

std::string ShortShape(std::string_view s) { return Shape(s, 1); }
std::string LongShape(std::string_view s) { return Shape(s, 4); }

}  // namespace dyad::nlp::internal
