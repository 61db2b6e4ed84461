#include "text/tokenizer.h"

#include <algorithm>
#include <cstddef>
#include <string>

namespace dyad::text {
namespace {

using ml::FeatureHash;

constexpr size_t kMaxProtectedLength = 32;  // code points; longer chunks are no known token
constexpr size_t kMaxSegment = 20;          // code points hashed into word features

bool IsApostrophe(char32_t c) { return c == '\'' || c == 0x2019 || c == 0x02BC; }
bool IsHyphen(char32_t c) {
  return c == '-' || c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013 || c == 0x2212;
}

// Spelling variants of the same punctuation share statistics.
char32_t Canonical(char32_t c) {
  switch (c) {
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x00AB:
    case 0x00BB:
      return '"';
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x02BC:
      return '\'';
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2212:
      return '-';
    default:
      return c;
  }
}

// A code point's shape: its class for letters and digits, itself for punctuation.
uint32_t Shape(const Cp& c) {
  switch (c.cls) {
    case CharClass::kUpper:
      return 'X';
    case CharClass::kLower:
      return 'x';
    case CharClass::kLetter:
      return 'L';
    case CharClass::kDigit:
      return 'd';
    case CharClass::kMark:
      return 'm';
    case CharClass::kSpace:
      return ' ';
    default:
      return Canonical(c.cp);
  }
}

uint32_t Low(const Cp& c) { return IsLetterClass(c.cls) ? ToLower(c.cp) : Canonical(c.cp); }

void AppendRange(const Cp* cps, size_t b, size_t e, bool lower, std::string* out) {
  for (size_t k = b; k < e; ++k) AppendUtf8(lower ? ToLower(cps[k].cp) : cps[k].cp, out);
}

}  // namespace

uint64_t LowerHash(const Cp* cps, size_t b, size_t e) {
  uint64_t h = 1469598103934665603ull;
  for (size_t k = b; k < e; ++k) h = (h ^ Low(cps[k])) * 1099511628211ull;
  return h;
}

bool ChunkSplitter::IsCandidate(const Cp* cps, size_t i) {
  const Cp& a = cps[i - 1];
  const Cp& b = cps[i];
  if (b.cls == CharClass::kMark || a.cp == 0x200D) return false;  // marks and joiners attach
  const bool aw = IsWordClass(a.cls), bw = IsWordClass(b.cls);
  if (!aw || !bw) return true;
  // Inside a word only a change between digits and letters can be a boundary ("5pm").
  return (a.cls == CharClass::kDigit && IsLetterClass(b.cls)) ||
         (IsLetterClass(a.cls) && b.cls == CharClass::kDigit);
}

bool ChunkSplitter::AnyCandidate(const Cp* cps, size_t n) {
  for (size_t i = 1; i < n; ++i)
    if (IsCandidate(cps, i)) return true;
  return false;
}

bool ChunkSplitter::Protected(const Cp* cps, size_t lo, size_t hi) const {
  const size_t len = hi - lo;
  if (len == 0 || len > kMaxProtectedLength) return false;
  // Initials and dotted abbreviations: "J.", "U.S.", "e.g."
  if (len >= 2 && len % 2 == 0) {
    bool dotted = true;
    for (size_t k = lo; k < hi && dotted; k += 2)
      dotted = IsLetterClass(cps[k].cls) && cps[k + 1].cp == '.';
    if (dotted) return true;
  }
  std::string s;
  AppendRange(cps, lo, hi, false, &s);
  if (lang_->IsAbbreviation(s)) return true;
  s.clear();
  AppendRange(cps, lo, hi, true, &s);
  return lang_->IsToken(s);
}

bool ChunkSplitter::IsUrl(const Cp* cps, size_t n) const {
  size_t b = 0;
  while (b < n && !IsWordClass(cps[b].cls)) ++b;
  auto at = [&](size_t k, const char* lit) {
    for (size_t j = 0; lit[j]; ++j)
      if (k + j >= n || ToLower(cps[k + j].cp) != static_cast<unsigned char>(lit[j])) return false;
    return true;
  };
  if (at(b, "www.")) return true;
  size_t at_sign = n;
  for (size_t k = b; k + 2 < n; ++k) {
    if (cps[k].cp == ':' && cps[k + 1].cp == '/' && cps[k + 2].cp == '/' && k > b) return true;
    if (cps[k].cp == '@' && at_sign == n && k > b) at_sign = k;
  }
  // name@host.domain
  if (at_sign < n) {
    for (size_t k = at_sign + 2; k + 1 < n; ++k)
      if (cps[k].cp == '.' && IsLetterClass(cps[k + 1].cls) && IsWordClass(cps[at_sign + 1].cls))
        return true;
  }
  return false;
}

size_t ChunkSplitter::KnownTokenAt(const Cp* cps, size_t lo, size_t hi, bool from_end) const {
  std::string s;
  for (size_t k = std::min<size_t>(4, hi - lo); k >= 2; --k) {
    s.clear();
    if (from_end)
      AppendRange(cps, hi - k, hi, true, &s);
    else
      AppendRange(cps, lo, lo + k, true, &s);
    if (lang_->IsToken(s)) return k;
  }
  return 0;
}

void ChunkSplitter::RuleCuts(const Cp* cps, size_t n, uint8_t* rule) const {
  std::fill(rule, rule + n + 1, 0);
  auto word = [&](size_t k) { return IsWordClass(cps[k].cls); };
  const bool url = IsUrl(cps, n);
  size_t lo = 0, hi = n;
  // Peel punctuation off both ends until what is left is a word or something known.
  while (lo < hi) {
    if (Protected(cps, lo, hi)) return;
    if (!word(lo)) {
      size_t j = KnownTokenAt(cps, lo, hi, false);
      if (j) {
        j += lo;
      } else {
        j = lo + 1;
        while (j < hi && (cps[j].cp == cps[lo].cp || cps[j].cls == CharClass::kMark)) ++j;
      }
      if (j < hi) rule[j] = 1;
      lo = j;
      continue;
    }
    size_t last = hi - 1;
    while (last > lo && cps[last].cls == CharClass::kMark) --last;
    if (!word(last)) {
      const char32_t p = cps[last].cp;
      if (url && !lang_->IsFinal(p) && !lang_->IsClosing(p) && p != ',' && p != ';' && p != ':')
        return;  // "http://example.org/": the slash belongs to the address
      size_t j = KnownTokenAt(cps, lo, hi, true);
      if (j) {
        j = hi - j;
      } else {
        j = last;
        while (j > lo &&
               (cps[j - 1].cp == p || (lang_->IsFinal(p) && lang_->IsFinal(cps[j - 1].cp))))
          --j;
        // "Inc..": the first period belongs to the abbreviation.
        if (cps[j].cp == '.' && last > j && Protected(cps, lo, j + 1)) ++j;
      }
      if (j > lo) rule[j] = 1;
      hi = j;
      continue;
    }
    break;
  }
  if (url || lo >= hi) return;
  // Punctuation inside the core.
  size_t seg = lo;
  for (size_t i = lo + 1; i < hi;) {
    if (word(i)) {
      ++i;
      continue;
    }
    size_t s = i, e = i;
    while (e < hi && !word(e)) ++e;
    bool keep = false;
    if (e == s + 1 && e < hi) {
      const char32_t p = cps[s].cp;
      const CharClass l = cps[s - 1].cls, r = cps[e].cls;
      const bool ld = l == CharClass::kDigit, rd = r == CharClass::kDigit;
      const bool ll = IsLetterClass(l), rl = IsLetterClass(r);
      if ((p == '.' || p == ',' || p == ':' || p == '/') && ld && rd) {
        keep = true;  // 3.5, 1,000, 10:30, 9/11
      } else if (p == '.' && ll && rl) {
        keep = true;  // e.g, example.org
      } else if (IsApostrophe(p) && (ll || ld) && rl) {
        keep = true;  // don't, O'Neill, 1990's: clitics are multiword tokens, not tokens
      } else if (IsHyphen(p)) {
        if (ld || rd || !lang_->split_hyphens) {
          keep = true;  // F-16, 555-0100
        } else {
          std::string prefix;
          if (s - seg <= kMaxSegment) AppendRange(cps, seg, s, true, &prefix);
          keep = !prefix.empty() && lang_->IsHyphenPrefix(prefix);
        }
      } else if ((p == '&' || p == '_' || p == '@') && (ll || ld) && (rl || rd)) {
        keep = true;  // AT&T
      }
    }
    if (!keep) {
      // A period that closes an abbreviation stays with it ("U.S.-based").
      if (cps[s].cp == '.' && Protected(cps, seg, s + 1)) ++s;
      if (s > seg) rule[s] = 1;
      for (size_t k = s + 1; k < e; ++k)
        if (cps[k].cp != cps[k - 1].cp) rule[k] = 1;
      if (e < hi) rule[e] = 1;
      seg = e;
    }
    i = e;
  }
}

ChunkSplitter::ChunkInfo ChunkSplitter::Info(const Cp* cps, size_t n) const {
  ChunkInfo info;
  info.url = IsUrl(cps, n);
  uint64_t shape = FeatureHash::Start(12);
  uint32_t prev = 0;
  for (size_t k = 0, m = 0; k < n && m < 16; ++k) {
    const uint32_t s = Shape(cps[k]);
    if (s != prev) shape = FeatureHash::Add(shape, s), ++m;
    prev = s;
  }
  info.shape = shape;
  if (n <= 24) info.whole = LowerHash(cps, 0, n);
  return info;
}

void ChunkSplitter::Features(const Cp* cps, size_t n, const ChunkInfo& info, size_t i, size_t start,
                             bool rule_split, std::vector<uint64_t>* f) const {
  f->clear();
  auto sh = [&](std::ptrdiff_t k) -> uint32_t {
    return k < 0 || k >= static_cast<std::ptrdiff_t>(n) ? '^' : Shape(cps[k]);
  };
  const std::ptrdiff_t ii = static_cast<std::ptrdiff_t>(i);
  const uint64_t L1 = sh(ii - 1), L2 = sh(ii - 2), R1 = sh(ii), R2 = sh(ii + 1);
  const bool at_end = i + 1 == n;
  auto T = [](uint32_t id) { return FeatureHash::Start(id); };
  auto A = [](uint64_t h, uint64_t v) { return FeatureHash::Add(h, v); };

  f->push_back(A(T(1), rule_split));
  f->push_back(A(A(T(2), L1), R1));
  f->push_back(A(A(A(A(T(3), L2), L1), R1), R2));
  f->push_back(A(A(A(A(A(A(T(4), sh(ii - 3)), L2), L1), R1), R2), sh(ii + 2)));
  f->push_back(A(A(T(5), Low(cps[i - 1])), Low(cps[i])));

  // The word-like segments around the position ("e" | "-mail", "Mr" | "."): a punctuation
  // character next to the position comes with the word beyond it.
  size_t lb = i - 1;
  while (lb > 0 && IsWordClass(cps[lb - 1].cls) && i - lb < kMaxSegment) --lb;
  size_t re = i + 1;
  while (re < n && IsWordClass(cps[re].cls) && re - i < kMaxSegment) ++re;
  const uint64_t left = LowerHash(cps, lb, i), right = LowerHash(cps, i, re);
  f->push_back(A(A(T(6), left), R1));
  f->push_back(A(A(T(7), L1), right));
  f->push_back(A(A(T(8), left), right));
  const size_t tb = i - start > kMaxSegment ? i - kMaxSegment : start;
  f->push_back(A(A(A(T(9), LowerHash(cps, tb, i)), R1), at_end));
  if (info.whole) f->push_back(A(A(T(10), info.whole), i));

  // Is the token so far plus this period a known abbreviation?
  if (cps[i].cp == '.' && i - start < kMaxProtectedLength) {
    std::string s;
    AppendRange(cps, start, i + 1, false, &s);
    f->push_back(A(A(T(11), lang_->IsAbbreviation(s)), at_end));
  }
  f->push_back(A(A(A(info.shape, std::min<size_t>(n - i, 4)), L1), R1));
  f->push_back(A(A(A(T(13), info.url), L1), R1));
  f->push_back(A(A(A(A(T(14), std::min<size_t>(i - start, 4)), L1), R1), at_end));
}

void ChunkSplitter::Split(const Cp* cps, size_t n, std::vector<uint32_t>* cuts) const {
  if (n < 2 || !AnyCandidate(cps, n)) return;
  thread_local std::vector<uint8_t> rule;
  thread_local std::vector<uint64_t> feats;
  rule.resize(n + 1);
  RuleCuts(cps, n, rule.data());
  if (!model_) {
    for (size_t i = 1; i < n; ++i)
      if (rule[i]) cuts->push_back(static_cast<uint32_t>(i));
    return;
  }
  const ChunkInfo info = Info(cps, n);
  size_t start = 0;
  for (size_t i = 1; i < n; ++i) {
    if (!IsCandidate(cps, i)) continue;
    Features(cps, n, info, i, start, rule[i] != 0, &feats);
    float score[2] = {0, 0};
    model_->Score(feats.data(), feats.size(), score);
    if (score[1] > score[0]) {
      cuts->push_back(static_cast<uint32_t>(i));
      start = i;
    }
  }
}

}  // namespace dyad::text
