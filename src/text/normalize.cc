// Token-form normalisation: the tagger and the dictionaries should see one spelling for what
// writers type in several ways. The mapping follows the ASCII forms the UD English treebank uses
// most: straight quotes, "-" and "--" for dashes, "..." for the ellipsis character.
#include <utf8proc.h>

#include <cstdlib>

#include "dyad/text.h"
#include "text/unicode.h"

namespace dyad::text {
namespace {

// Returns the replacement for `cp`, or nullptr to keep it. "" drops the code point.
const char* Replacement(char32_t cp) {
  switch (cp) {
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:  // “ ” „ ‟
    case 0x00AB:
    case 0x00BB:  // « »
      return "\"";
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:  // ‘ ’ ‚ ‛
    case 0x2039:
    case 0x203A:  // ‹ ›
      return "'";
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:  // hyphens, figure dash, en dash
    case 0x2212:
    case 0xFE63:
    case 0xFF0D:  // minus signs
      return "-";
    case 0x2014:
    case 0x2015:  // em dash, horizontal bar
      return "--";
    case 0x2026:
      return "...";
    case 0x00AD:  // soft hyphen
    case 0x200B:
    case 0x200E:
    case 0x200F:
    case 0xFEFF:  // zero width space, LRM, RLM, BOM
    case 0x202A:
    case 0x202B:
    case 0x202C:
    case 0x202D:
    case 0x202E:  // bidi embeddings
    case 0x2066:
    case 0x2067:
    case 0x2068:
    case 0x2069:  // bidi isolates
      return "";
    default:
      return nullptr;
  }
}

}  // namespace

std::string Normalize(std::string_view form) {
  // Fast path: printable ASCII without the two-character quote spellings is already normal.
  bool plain = !form.empty();
  for (unsigned char c : form) {
    if (c < 0x21 || c >= 0x7F) {
      plain = false;
      break;
    }
  }
  if (plain && form != "``" && form != "''") return std::string(form);

  std::string out;
  out.reserve(form.size());
  bool need_nfc = false;
  bool pending_space = false;
  for (size_t i = 0; i < form.size();) {
    Decoded d = DecodeAt(form, i);
    i += d.len;
    char32_t cp = d.cp;
    if (const char* r = Replacement(cp)) {
      if (*r) {
        if (pending_space && !out.empty()) out.push_back(' ');
        pending_space = false;
        out += r;
      }
      continue;
    }
    if (ClassOf(cp) == CharClass::kSpace) {  // any white space or control character
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    if (cp >= 0x300) need_nfc = true;
    AppendUtf8(cp, &out);  // invalid bytes arrive here as U+FFFD
  }
  if (out == "``" || out == "''") out = "\"";
  if (need_nfc) {
    utf8proc_uint8_t* dst = nullptr;
    utf8proc_ssize_t n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(out.data()),
                     static_cast<utf8proc_ssize_t>(out.size()), &dst,
                     static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    if (n >= 0 && dst) out.assign(reinterpret_cast<const char*>(dst), static_cast<size_t>(n));
    std::free(dst);
  }
  return out;
}

}  // namespace dyad::text
