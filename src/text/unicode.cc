#include "text/unicode.h"

#include <utf8proc.h>

#include "dyad/text.h"

namespace dyad::text {

Decoded DecodeAt(std::string_view s, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  const size_t left = s.size() - i;
  const unsigned char b0 = p[0];
  if (b0 < 0x80) return {b0, 1, true};
  // Well-formed sequences (Unicode table 3-7): the lead byte fixes the length and the range
  // of the second byte; later bytes are plain continuation bytes.
  int need;
  unsigned char lo = 0x80, hi = 0xBF;
  char32_t cp;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1, cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2, cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3, cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return {kReplacement, 1, false};
  }
  // On failure the maximal subpart (the lead byte and the continuation bytes that were still
  // acceptable) is replaced as one unit, as the Unicode standard recommends.
  for (int k = 1; k <= need; ++k) {
    if (static_cast<size_t>(k) >= left) return {kReplacement, static_cast<uint8_t>(k), false};
    const unsigned char b = p[k];
    if (b < lo || b > hi) return {kReplacement, static_cast<uint8_t>(k), false};
    lo = 0x80, hi = 0xBF;
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, static_cast<uint8_t>(need + 1), true};
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

namespace {

struct AsciiTable {
  CharClass c[128];
  constexpr AsciiTable() : c() {
    for (int i = 0; i < 128; ++i) {
      CharClass k = CharClass::kPunct;
      if (i <= 0x20 || i == 0x7F)
        k = CharClass::kSpace;
      else if (i >= '0' && i <= '9')
        k = CharClass::kDigit;
      else if (i >= 'A' && i <= 'Z')
        k = CharClass::kUpper;
      else if (i >= 'a' && i <= 'z')
        k = CharClass::kLower;
      else if (i == '$' || i == '+' || i == '<' || i == '=' || i == '>' || i == '^' || i == '`' ||
               i == '|' || i == '~')
        k = CharClass::kSymbol;
      c[i] = k;
    }
  }
};
constexpr AsciiTable kAscii;

}  // namespace

CharClass ClassOf(char32_t cp) {
  if (cp < 0x80) return kAscii.c[cp];
  switch (cp) {
    case 0x200B:  // zero-width space
    case 0xFEFF:  // byte-order mark / zero-width no-break space
    case 0x0085:  // next line
    case 0x2028:  // line separator
    case 0x2029:  // paragraph separator
      return CharClass::kSpace;
    case 0x200C:  // zero-width non-joiner
    case 0x200D:  // zero-width joiner (emoji sequences, Indic and Arabic scripts)
      return CharClass::kMark;
    default:
      break;
  }
  if (cp >= 0x1F3FB && cp <= 0x1F3FF) return CharClass::kMark;  // emoji skin-tone modifiers
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT:
      return CharClass::kUpper;
    case UTF8PROC_CATEGORY_LL:
      return CharClass::kLower;
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      return CharClass::kLetter;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return CharClass::kDigit;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_CF:  // bidi marks, soft hyphen: invisible, belong to their word
      return CharClass::kMark;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
      return CharClass::kSpace;
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
      return CharClass::kPunct;
    default:
      return CharClass::kSymbol;
  }
}

char32_t ToLower(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp)));
}

char32_t ToUpper(char32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') ? cp - 32 : cp;
  return static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(cp)));
}

std::string LowerUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      out.push_back(static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b));
      ++i;
      continue;
    }
    Decoded d = DecodeAt(s, i);
    AppendUtf8(ToLower(d.cp), &out);
    i += d.len;
  }
  return out;
}

std::string RepairUtf8(std::string_view in, size_t* repaired) {
  size_t count = 0;
  size_t i = 0;
  // Fast path: find the first invalid sequence; valid input is copied once.
  while (i < in.size()) {
    if (static_cast<unsigned char>(in[i]) < 0x80) {
      ++i;
      continue;
    }
    Decoded d = DecodeAt(in, i);
    if (!d.valid) break;
    i += d.len;
  }
  std::string out(in.substr(0, i));
  if (i < in.size()) out.reserve(in.size() + 16);
  while (i < in.size()) {
    Decoded d = DecodeAt(in, i);
    if (d.valid) {
      out.append(in.data() + i, d.len);
    } else {
      out.append("\xEF\xBF\xBD");
      ++count;
    }
    i += d.len;
  }
  if (repaired) *repaired = count;
  return out;
}

}  // namespace dyad::text
