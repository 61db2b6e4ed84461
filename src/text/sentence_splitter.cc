#include "text/sentence_splitter.h"

#include <algorithm>
#include <iterator>
#include <limits>

#include "util/binary.h"

namespace dyad::text {
namespace {

using ml::FeatureHash;

constexpr uint64_t kBos = 0x5b0c5b0c5b0cull;  // stands for "no previous token in the sentence"
constexpr uint64_t kEop = 0xe0be0be0be0bull;  // "no next token in the paragraph"

uint32_t ShapeOf(char32_t cp, CharClass c) {
  switch (c) {
    case CharClass::kUpper:
      return 'X';
    case CharClass::kLower:
      return 'x';
    case CharClass::kLetter:
      return 'L';
    case CharClass::kDigit:
      return 'd';
    case CharClass::kMark:
      return 0;  // invisible in the shape
    default:
      return cp;
  }
}

int LengthBucket(size_t len) {
  if (len <= 3) return static_cast<int>(len);
  if (len <= 6) return 4;
  if (len <= 12) return 5;
  if (len <= 25) return 6;
  if (len <= 50) return 7;
  return 8;
}

}  // namespace

uint8_t WordStats::StartBucket(uint32_t start, uint32_t mid_cap) {
  const uint32_t n = start + mid_cap;
  if (n < kMinCount) return 0;
  return static_cast<uint8_t>(1 + std::min<uint32_t>(4, 5 * start / n));
}

uint8_t WordStats::EndBucket(uint32_t end, uint32_t total) {
  if (total < kMinCount) return 0;
  const double r = static_cast<double>(end) / total;
  return r < 0.02 ? 1 : r < 0.1 ? 2 : r < 0.3 ? 3 : 4;
}

void WordStats::Prune() {
  for (auto it = map_.begin(); it != map_.end();)
    it = it->second.total < kMinCount ? map_.erase(it) : std::next(it);
}

void WordStats::Serialize(BinaryWriter* w) const {
  // Sorted, so that the bytes do not depend on hash-map order.
  std::vector<std::pair<uint64_t, Counts>> v(map_.begin(), map_.end());
  std::sort(v.begin(), v.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  w->U64(v.size());
  for (const auto& [k, c] : v) {
    w->U64(k);
    w->U32(c.start);
    w->U32(c.mid_cap);
    w->U32(c.end);
    w->U32(c.total);
  }
}

Status WordStats::Parse(BinaryReader* r) {
  map_.clear();
  const uint64_t n = r->U64();
  if (n > r->remaining() / 24) r->Fail("word statistics do not fit");
  for (uint64_t i = 0; i < n && r->ok(); ++i) {
    const uint64_t k = r->U64();
    Counts c;
    c.start = r->U32();
    c.mid_cap = r->U32();
    c.end = r->U32();
    c.total = r->U32();
    map_[k] = c;
  }
  return r->status();
}

void DescribeTok(const LanguageData& lang, Tok* t) {
  uint64_t lower = 1469598103934665603ull;
  uint64_t shape = FeatureHash::Start(100);
  uint32_t prev_shape = 0;
  int shape_len = 0;
  bool first = true, dotted = true, all_dash = true;
  size_t ncp = 0, upper = 0, lower_letters = 0;
  for (size_t i = 0; i < t->form.size();) {
    Decoded d = DecodeAt(t->form, i);
    i += d.len;
    const CharClass c = ClassOf(d.cp);
    lower = (lower ^ ToLower(d.cp)) * 1099511628211ull;
    const uint32_t s = ShapeOf(d.cp, c);
    if (s && s != prev_shape && shape_len < 12) shape = FeatureHash::Add(shape, s), ++shape_len;
    if (s) prev_shape = s;
    if (first) t->first = d.cp, t->first_cls = c, first = false;
    if (c != CharClass::kMark) t->last = d.cp, t->last_cls = c;
    // Initials: letter, period, letter, period...
    if (ncp % 2 == 0 ? !IsLetterClass(c) : d.cp != '.') dotted = false;
    if (d.cp != '-') all_dash = false;
    upper += c == CharClass::kUpper;
    lower_letters += c == CharClass::kLower;
    ++ncp;
  }
  t->lower = lower;
  t->shape = shape;
  t->abbreviation = (dotted && ncp >= 2 && ncp % 2 == 0) || lang.IsAbbreviation(t->form);
  t->title = lang.IsTitle(t->form);
  t->quote = t->form == "\"";
  t->dash = all_dash && ncp > 0;
  t->all_caps = upper >= 2 && lower_letters == 0;
}

bool SentenceSplitter::IsCandidate(const Tok* toks, size_t n, size_t g) const {
  if (g + 1 >= n) return false;
  const Tok& a = toks[g];
  const Tok& b = toks[g + 1];
  if (b.newlines > 0) return true;
  // Closing punctuation, commas and the like never start a sentence.
  if (b.first_cls == CharClass::kPunct)
    return lang_->IsOpening(b.first) || lang_->IsBullet(b.first) || b.dash;
  if (!IsWordClass(a.last_cls) && a.last != ',') return true;
  return b.first_cls != CharClass::kLower && b.first_cls != CharClass::kMark;
}

bool SentenceSplitter::RuleSays(const Tok* toks, size_t n, size_t g) const {
  if (g + 1 >= n) return true;
  const Tok& a = toks[g];
  const Tok& b = toks[g + 1];
  if (lang_->IsClosing(b.first) && !b.space_before) return false;  // the quote comes along
  bool ends = lang_->IsFinal(a.last) && !a.abbreviation;
  if (!ends && g > 0 && !a.space_before && lang_->IsClosing(a.first) && lang_->IsClosing(a.last)) {
    const Tok& p = toks[g - 1];
    ends = lang_->IsFinal(p.last) && !p.abbreviation;
  }
  if (!ends) return false;
  return b.first_cls != CharClass::kLower && b.first_cls != CharClass::kMark;
}

void SentenceSplitter::Buckets(const Tok& a, const Tok& b, uint8_t* end_a, uint8_t* start_b) const {
  *end_a = *start_b = 0;
  if (!stats_) return;
  if (IsWordClass(a.last_cls))
    if (const auto* c = stats_->Find(a.lower)) *end_a = WordStats::EndBucket(c->end, c->total);
  if (b.first_cls == CharClass::kUpper)
    if (const auto* c = stats_->Find(b.lower))
      *start_b = WordStats::StartBucket(c->start, c->mid_cap);
}

void SentenceSplitter::Features(const Tok* toks, size_t n, size_t g, size_t start, int quotes,
                                int para_quotes, uint8_t end_a, uint8_t start_b,
                                std::vector<uint64_t>* f) const {
  f->clear();
  const Tok& a = toks[g];
  const Tok& b = toks[g + 1];
  const uint64_t p_lower = g > start ? toks[g - 1].lower : kBos;
  const uint64_t p_shape = g > start ? toks[g - 1].shape : kBos;
  const uint64_t q_lower = g + 2 < n ? toks[g + 2].lower : kEop;
  const uint64_t q_shape = g + 2 < n ? toks[g + 2].shape : kEop;
  auto T = [](uint32_t id) { return FeatureHash::Start(id); };
  auto A = [](uint64_t h, uint64_t v) { return FeatureHash::Add(h, v); };
  const bool a_final = lang_->IsFinal(a.last);

  f->push_back(T(1));
  f->push_back(A(T(2), a.lower));
  f->push_back(A(T(3), b.lower));
  f->push_back(A(T(4), p_lower));
  f->push_back(A(T(5), q_lower));
  f->push_back(A(A(T(6), a.lower), b.lower));
  f->push_back(A(A(T(7), a.shape), b.shape));
  f->push_back(A(A(A(T(8), p_shape), a.shape), b.shape));
  f->push_back(A(A(A(T(9), a.shape), b.shape), q_shape));
  f->push_back(A(A(T(10), p_lower), a.lower));
  f->push_back(A(A(A(T(11), a.abbreviation), a.title), b.shape));
  f->push_back(A(A(T(12), LengthBucket(g + 1 - start)), a_final));
  f->push_back(A(A(A(A(T(13), quotes & 1), a.quote), b.quote), b.space_before));
  f->push_back(A(A(A(A(A(T(21), para_quotes & 1), a.quote), b.quote), b.space_before),
                 static_cast<uint64_t>(b.first_cls)));
  f->push_back(A(A(A(T(14), b.space_before), b.newlines > 0), static_cast<uint64_t>(b.first_cls)));
  f->push_back(A(A(T(15), b.lower), a.shape));
  f->push_back(A(A(T(16), a.last), static_cast<uint64_t>(b.first_cls)));
  f->push_back(A(T(17), RuleSays(toks, n, g)));
  // What the treebank says about the two words, with the gap's punctuation.
  const uint64_t punct = IsWordClass(a.last_cls) ? 0 : a_final ? 1 : 2;
  f->push_back(A(A(A(T(18), start_b), punct), static_cast<uint64_t>(b.first_cls)));
  f->push_back(A(A(A(T(19), end_a), punct), static_cast<uint64_t>(b.first_cls)));
  f->push_back(A(A(A(T(20), end_a), start_b), punct));
}

void SentenceSplitter::Split(const Tok* toks, size_t n, const GapRule* rules, size_t max_tokens,
                             bool split_unpunctuated, std::vector<uint32_t>* ends) const {
  if (n == 0) return;
  if (max_tokens < 1) max_tokens = 1;
  thread_local std::vector<uint64_t> feats;
  size_t start = 0;
  int quotes = 0, para_quotes = 0;
  size_t best_gap = n;  // best candidate in the second half of the current sentence
  float best_score = -std::numeric_limits<float>::infinity();
  auto cut = [&](size_t g, size_t now) {
    ends->push_back(static_cast<uint32_t>(g));
    start = g + 1;
    quotes = 0;
    for (size_t k = start; k <= now; ++k) quotes += toks[k].quote;
    best_gap = n;
    best_score = -std::numeric_limits<float>::infinity();
  };
  for (size_t g = 0; g + 1 < n; ++g) {
    quotes += toks[g].quote;
    para_quotes += toks[g].quote;
    const size_t len = g + 1 - start;
    bool brk = false;
    if (rules[g] == GapRule::kBreak) {
      brk = true;
    } else if (rules[g] == GapRule::kFree && IsCandidate(toks, n, g)) {
      const bool bare = Unpunctuated(toks, g);
      // A bare gap that may not end a sentence is only scored when the sentence may need a cut.
      if (bare && !split_unpunctuated && 2 * len < max_tokens) continue;
      float score;
      if (model_) {
        uint8_t end_a, start_b;
        Buckets(toks[g], toks[g + 1], &end_a, &start_b);
        Features(toks, n, g, start, quotes, para_quotes, end_a, start_b, &feats);
        float s[2] = {0, 0};
        model_->Score(feats.data(), feats.size(), s);
        score = s[1] - s[0] - (bare ? threshold_bare_ : threshold_);
      } else {
        score = RuleSays(toks, n, g) ? 1.f : -1.f;
      }
      brk = score > 0 && (!bare || split_unpunctuated);
      if (!brk && 2 * len >= max_tokens && score > best_score) best_score = score, best_gap = g;
    }
    if (brk) {
      cut(g, g);
    } else if (len >= max_tokens) {
      cut(best_gap < n ? best_gap : g, g);
    }
  }
  ends->push_back(static_cast<uint32_t>(n - 1));
}

}  // namespace dyad::text
