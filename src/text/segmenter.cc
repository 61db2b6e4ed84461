// Segmenter: text -> paragraphs -> white-space chunks -> tokens -> sentences -> words.
#include <algorithm>
#include <cmath>
#include <random>

#include "dyad/text.h"
#include "ml/linear_model.h"
#include "text/language.h"
#include "text/multiword.h"
#include "text/sentence_splitter.h"
#include "text/tokenizer.h"
#include "text/unicode.h"
#include "util/binary.h"

namespace dyad::text {
namespace {

constexpr uint32_t kSegmenterMagic = 0x47455344;  // "DSEG"
constexpr uint32_t kSegmenterVersion = 1;
// A white-space-free run longer than this is handled in pieces (bounded work and memory).
constexpr size_t kMaxChunk = 4096;
// Tokens buffered before the sentences decided so far are emitted (bounded memory on text
// without blank lines).
constexpr size_t kFlushTokens = 8192;
// Layout heuristics for single line breaks: hard-wrapped text has lines of similar length
// below this many bytes; a line much shorter than the longest is a title or ends a paragraph.
constexpr uint32_t kMaxWrappedLine = 160;

bool IsNewline(char32_t cp) { return cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029; }

Tok MakeTok(const LanguageData& lang, std::string_view text, uint32_t b, uint32_t e,
            uint8_t newlines, bool space_before) {
  Tok t;
  t.begin = b;
  t.end = e;
  t.form = Normalize(text.substr(b, e - b));
  // A token of invisible characters only (a stray bidi mark) keeps its bytes, repaired.
  if (t.form.empty()) t.form = RepairUtf8(text.substr(b, e - b));
  DescribeTok(lang, &t);
  if (t.quote) {
    const char32_t q = DecodeAt(text, b).cp;
    t.quote_side = static_cast<int8_t>(lang.IsOpening(q) - lang.IsClosing(q));
  }
  t.newlines = newlines;
  t.space_before = space_before;
  return t;
}

// Whether `t` starts a list item: a bullet character, or a number followed by "." or ")".
bool StartsItem(const LanguageData& lang, const Tok* toks, size_t n, size_t j) {
  if (lang.IsBullet(toks[j].first) && toks[j].form.size() <= 3) return true;
  if (toks[j].dash && j + 1 < n && toks[j + 1].space_before) return true;
  return toks[j].first_cls == CharClass::kDigit && j + 1 < n && !toks[j + 1].space_before &&
         (toks[j + 1].form == "." || toks[j + 1].form == ")") && toks[j].form.size() <= 3;
}

// What the layout and the language data say about each gap of a paragraph's tokens.
void GapRules(const LanguageData& lang, const Tok* toks, size_t n, bool paragraph_start,
              std::vector<GapRule>* rules) {
  rules->assign(n, GapRule::kFree);
  // Lines: a single line break ends a line when the text is not hard-wrapped.
  uint32_t max_line = 0;
  for (size_t j = 0, line_start = 0; j <= n; ++j) {
    if (j == n || (j > 0 && toks[j].newlines > 0)) {
      max_line = std::max(max_line, toks[j - 1].end - toks[line_start].begin);
      line_start = j;
    }
  }
  for (size_t j = 1, line_start = 0; j < n; ++j) {
    if (toks[j].newlines == 0) continue;
    const uint32_t len = toks[j - 1].end - toks[line_start].begin;
    line_start = j;
    GapRule r = GapRule::kFree;
    if (toks[j].first_cls == CharClass::kLower) {
      r = GapRule::kFree;  // the sentence goes on
    } else if (StartsItem(lang, toks, n, j) || max_line > kMaxWrappedLine ||
               static_cast<uint64_t>(len) * 10 < static_cast<uint64_t>(max_line) * 6) {
      r = GapRule::kBreak;
    }
    (*rules)[j - 1] = r;
  }
  // A quote written as closing (”) stays with the sentence before it. (Straight quotes are
  // left to the model: counting them is no guide in news, where a quotation running over
  // several paragraphs reopens each one without closing the last.)
  for (size_t g = 0; g + 1 < n; ++g) {
    const bool closes = toks[g + 1].quote && toks[g + 1].quote_side < 0;
    if ((*rules)[g] == GapRule::kFree && (toks[g].title || closes)) (*rules)[g] = GapRule::kNoBreak;
  }
  // A dateline ("ARNOR CITY, May 2 (Newswire) -") is a sentence of its own, as UD English
  // writes it: it cannot then become the subject of the sentence it introduces.
  if (paragraph_start) {
    bool shout = false;  // a word in capitals or an agency in parentheses
    for (size_t j = 0; j < n && j < 12; ++j) {
      const Tok& t = toks[j];
      if (t.dash) {
        if (j > 0 && shout && j + 1 < n && toks[j + 1].space_before &&
            toks[j + 1].first_cls != CharClass::kLower && (*rules)[j] != GapRule::kNoBreak) {
          for (size_t g = 0; g < j; ++g)
            if ((*rules)[g] == GapRule::kFree) (*rules)[g] = GapRule::kNoBreak;
          (*rules)[j] = GapRule::kBreak;
        }
        break;
      }
      if (t.first_cls == CharClass::kLower || (lang.IsFinal(t.last) && !t.abbreviation) ||
          (j > 0 && t.newlines > 0))
        break;
      shout |= t.all_caps || t.form == "(";
    }
  }
}

struct Example {
  uint32_t feat_begin, feat_end;
  bool label;
  bool bare = false;  // an unpunctuated gap (sentence examples)
};

// Averaged-perceptron training over stored examples, with the number of epochs chosen on dev
// (when there is one) by `evaluate`, a score to maximise.
template <typename Eval>
ml::LinearModel TrainBinary(const std::vector<uint64_t>& feats, const std::vector<Example>& ex,
                            int max_epochs, uint64_t seed, Eval evaluate) {
  ml::PerceptronTrainer trainer(2);
  std::vector<uint32_t> order(ex.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937_64 rng(seed);
  ml::LinearModel best;
  double best_score = -1;
  for (int epoch = 0; epoch < max_epochs; ++epoch) {
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
    for (uint32_t k : order) {
      const Example& e = ex[k];
      const uint64_t* f = feats.data() + e.feat_begin;
      const size_t nf = e.feat_end - e.feat_begin;
      float s[2] = {0, 0};
      trainer.Score(f, nf, s);
      const int guess = s[1] > s[0] ? 1 : 0;
      if (guess != static_cast<int>(e.label)) {
        trainer.Update(f, nf, e.label ? 1 : 0, 1.f);
        trainer.Update(f, nf, guess, -1.f);
      }
      trainer.Tick();
    }
    ml::LinearModel m = trainer.Finalize();
    const double score = evaluate(m);
    if (score > best_score) best_score = score, best = std::move(m);
  }
  return best;
}

// Splits `text` into white-space-delimited chunks and calls fn(chunk code points, count,
// newlines before, space before).
template <typename Fn>
void ForEachChunk(std::string_view text, std::vector<Cp>* chunk, Fn fn) {
  uint8_t newlines = 0;
  bool space = false;
  size_t i = 0;
  while (i < text.size()) {
    Decoded d = DecodeAt(text, i);
    CharClass c = ClassOf(d.cp);
    if (c == CharClass::kSpace) {
      if (IsNewline(d.cp) || (d.cp == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')))
        newlines = static_cast<uint8_t>(std::min(newlines + 1, 2));
      space = true;
      i += d.len;
      continue;
    }
    chunk->clear();
    while (true) {
      chunk->push_back({d.cp, static_cast<uint32_t>(i), c});
      i += d.len;
      if (i >= text.size() || chunk->size() >= kMaxChunk) break;
      d = DecodeAt(text, i);
      c = ClassOf(d.cp);
      if (c == CharClass::kSpace) break;
    }
    chunk->push_back({0, static_cast<uint32_t>(i), CharClass::kSpace});  // sentinel: end offset
    fn(chunk->data(), chunk->size() - 1, newlines, space);
    newlines = 0;
    space = false;
  }
}

}  // namespace

struct Segmenter::Impl {
  LanguageData lang;
  MultiwordTable multiword;
  bool has_token_model = false;
  ml::LinearModel token_model;
  bool has_sentence_model = false;
  ml::LinearModel sentence_model;
  WordStats word_stats;
  float sentence_threshold = 0;       // margin needed for a boundary
  float sentence_threshold_bare = 0;  // ... at an unpunctuated gap

  ChunkSplitter splitter() const {
    return ChunkSplitter(&lang, has_token_model ? &token_model : nullptr);
  }
  SentenceSplitter sentences() const {
    return SentenceSplitter(&lang, has_sentence_model ? &sentence_model : nullptr, &word_stats,
                            sentence_threshold, sentence_threshold_bare);
  }
  void Emit(std::string_view text, std::vector<Tok>* para, bool* paragraph_start, bool final,
            const SegmenterOptions& opts, std::vector<Sentence>* out) const;
};

Segmenter::Segmenter() : impl_(std::make_unique<Impl>()) {}
Segmenter::~Segmenter() = default;
Segmenter::Segmenter(Segmenter&&) noexcept = default;
Segmenter& Segmenter::operator=(Segmenter&&) noexcept = default;

Result<Segmenter> Segmenter::FromLanguageDir(const std::string& dir) {
  Segmenter s;
  DYAD_ASSIGN_OR_RETURN(s.impl_->lang, LanguageData::Load(dir));
  s.impl_->multiword.AddLanguageRules(s.impl_->lang);
  return s;
}

// Turns the buffered tokens of a paragraph into sentences. Unless `final`, the last sentence
// stays buffered: more tokens may belong to it.
void Segmenter::Impl::Emit(std::string_view text, std::vector<Tok>* para, bool* paragraph_start,
                           bool final, const SegmenterOptions& opts,
                           std::vector<Sentence>* out) const {
  if (para->empty()) return;
  const size_t n = para->size();
  Tok* toks = para->data();
  std::vector<GapRule> rules;
  GapRules(lang, toks, n, *paragraph_start, &rules);
  std::vector<uint32_t> ends;
  sentences().Split(toks, n, rules.data(),
                    static_cast<size_t>(std::max(1, opts.max_sentence_tokens)),
                    opts.split_unpunctuated, &ends);
  size_t keep_from = n;
  if (!final) {
    if (ends.size() < 2) return;
    keep_from = ends[ends.size() - 2] + 1;
    ends.pop_back();
  }
  std::vector<std::string> words;
  size_t s = 0;
  for (uint32_t e : ends) {
    Sentence sent;
    sent.new_paragraph = *paragraph_start;
    *paragraph_start = false;
    sent.span = {toks[s].begin, toks[e].end};
    sent.text = std::string(text.substr(sent.span.begin, sent.span.end - sent.span.begin));
    sent.tokens.reserve(e - s + 1);
    sent.words.reserve(e - s + 1);
    for (size_t k = s; k <= e; ++k) {
      Tok& t = toks[k];
      Token tok;
      tok.span = {t.begin, t.end};
      tok.space_after = k + 1 < n ? toks[k + 1].space_before
                                  : (t.end >= text.size() ||
                                     ClassOf(DecodeAt(text, t.end).cp) == CharClass::kSpace);
      tok.first_word = static_cast<uint32_t>(sent.words.size());
      words.clear();
      if (!multiword.Expand(t.form, &words)) words.push_back(t.form);
      tok.form = std::move(toks[k].form);  // the buffered token is done with
      for (auto& w : words) {
        Word word;
        word.form = std::move(w);
        word.token = static_cast<uint32_t>(sent.tokens.size());
        sent.words.push_back(std::move(word));
      }
      tok.last_word = static_cast<uint32_t>(sent.words.size() - 1);
      sent.tokens.push_back(std::move(tok));
    }
    out->push_back(std::move(sent));
    s = e + 1;
  }
  para->erase(para->begin(), para->begin() + static_cast<std::ptrdiff_t>(keep_from));
}

void Segmenter::Segment(std::string_view text, std::vector<Sentence>* out,
                        const SegmenterOptions& opts) const {
  // Offsets are 32-bit (types.h); text beyond 4 GiB is not segmented.
  if (text.size() > 0xFFFFFFF0u) text = text.substr(0, 0xFFFFFFF0u);
  const Impl& m = *impl_;
  const ChunkSplitter splitter = m.splitter();
  const size_t max_bytes = static_cast<size_t>(std::max(4, opts.max_token_bytes));
  std::vector<Cp> chunk;
  std::vector<uint32_t> cuts;
  std::vector<Tok> para;
  bool paragraph_start = true;
  size_t flush_at = kFlushTokens;
  ForEachChunk(text, &chunk, [&](const Cp* cps, size_t n, uint8_t newlines, bool space) {
    if (newlines >= 2 && !para.empty()) {
      m.Emit(text, &para, &paragraph_start, true, opts, out);
      paragraph_start = true;
      flush_at = kFlushTokens;
    }
    cuts.clear();
    splitter.Split(cps, n, &cuts);
    cuts.push_back(static_cast<uint32_t>(n));
    size_t b = 0;
    for (uint32_t e : cuts) {
      // Over-long tokens are cut at code point boundaries.
      while (b < e) {
        size_t end = e;
        if (cps[e].off - cps[b].off > max_bytes) {
          end = b + 1;
          while (end < e && cps[end + 1].off - cps[b].off <= max_bytes) ++end;
        }
        para.push_back(MakeTok(m.lang, text, cps[b].off, cps[end].off, b == 0 ? newlines : 0,
                               b == 0 ? space : false));
        b = end;
      }
    }
    if (para.size() >= flush_at) {
      m.Emit(text, &para, &paragraph_start, false, opts, out);
      flush_at = para.size() + kFlushTokens;  // grows when nothing could be emitted yet
    }
  });
  m.Emit(text, &para, &paragraph_start, true, opts, out);
}

std::string Segmenter::Summary() const {
  const Impl& m = *impl_;
  std::string s = "language " + m.lang.code + ", " + std::to_string(m.multiword.size()) +
                  " multiword forms, " + std::to_string(m.multiword.num_suffixes()) +
                  " multiword suffixes, ";
  s += m.has_token_model
           ? "token model " + std::to_string(m.token_model.num_features()) + " features, "
           : "token rules, ";
  s += m.has_sentence_model
           ? "sentence model " + std::to_string(m.sentence_model.num_features()) + " features"
           : "sentence rules";
  return s;
}

// ---------------------------------------------------------------------------------------------
// Training

namespace {

// Token boundaries inside white-space chunks, from a treebank's rebuilt text.
struct TokenData {
  std::vector<uint64_t> feats;
  std::vector<Example> ex;
};

void CollectTokenExamples(const LanguageData& lang, const ConlluCorpus& c, TokenData* out) {
  std::vector<uint32_t> bounds;
  for (const auto& s : c.sentences)
    for (const auto& t : s.tokens) bounds.push_back(t.span.begin), bounds.push_back(t.span.end);
  std::sort(bounds.begin(), bounds.end());
  const ChunkSplitter splitter(&lang, nullptr);
  std::vector<Cp> chunk;
  std::vector<uint8_t> rule;
  std::vector<uint64_t> f;
  ForEachChunk(c.text, &chunk, [&](const Cp* cps, size_t n, uint8_t, bool) {
    if (n < 2 || !ChunkSplitter::AnyCandidate(cps, n)) return;
    rule.resize(n + 1);
    splitter.RuleCuts(cps, n, rule.data());
    const auto info = splitter.Info(cps, n);
    size_t start = 0;
    for (size_t i = 1; i < n; ++i) {
      const bool gold = std::binary_search(bounds.begin(), bounds.end(), cps[i].off);
      if (!ChunkSplitter::IsCandidate(cps, i)) {
        if (gold) start = i;  // a boundary the candidates cannot produce: follow the gold
        continue;
      }
      splitter.Features(cps, n, info, i, start, rule[i] != 0, &f);
      out->ex.push_back({static_cast<uint32_t>(out->feats.size()),
                         static_cast<uint32_t>(out->feats.size() + f.size()), gold});
      out->feats.insert(out->feats.end(), f.begin(), f.end());
      if (gold) start = i;
    }
  });
}

// Sentence boundaries inside paragraphs, from a treebank's gold tokens.
struct SentenceData {
  std::vector<uint64_t> feats;
  std::vector<Example> ex;
  size_t boundaries = 0;  // gold boundaries inside paragraphs
  size_t missed = 0;      // ... of which not candidates or ruled out
};

// A treebank's paragraphs as the sentence splitter sees them, with the gold sentence ends.
struct Paragraphs {
  std::vector<Tok> toks;
  std::vector<uint8_t> is_end;  // toks[i] ends a gold sentence
  std::vector<size_t> starts;   // first token of each paragraph, plus toks.size()
};

void CollectParagraphs(const LanguageData& lang, const ConlluCorpus& c, Paragraphs* out) {
  uint32_t prev_end = 0;
  for (const auto& s : c.sentences) {
    if (s.new_paragraph || s.new_document || out->starts.empty())
      out->starts.push_back(out->toks.size());
    const size_t para_begin = out->starts.back();
    for (size_t k = 0; k < s.tokens.size(); ++k) {
      const Token& t = s.tokens[k];
      if (t.span.end <= t.span.begin || t.span.end > c.text.size()) continue;
      uint8_t newlines = 0;
      bool space = false;
      for (uint32_t p = prev_end; p < t.span.begin && p < c.text.size(); ++p) {
        space = true;
        if (c.text[p] == '\n') newlines = static_cast<uint8_t>(std::min(newlines + 1, 2));
      }
      const bool first_in_para = out->toks.size() == para_begin;
      out->toks.push_back(
          MakeTok(lang, c.text, t.span.begin, t.span.end, first_in_para ? 0 : newlines, space));
      out->is_end.push_back(k + 1 == s.tokens.size());
      prev_end = t.span.end;
    }
  }
  out->starts.push_back(out->toks.size());
}

// Which token starts a gold sentence: the first of a paragraph or the one after an end.
bool StartsSentence(const Paragraphs& p, size_t i, size_t para_begin) {
  return i == para_begin || p.is_end[i - 1];
}

void CountWords(const Paragraphs& p, WordStats* stats) {
  for (size_t k = 0; k + 1 < p.starts.size(); ++k)
    for (size_t i = p.starts[k]; i < p.starts[k + 1]; ++i) {
      const Tok& t = p.toks[i];
      WordStats::Counts& c = stats->At(t.lower);
      ++c.total;
      c.end += p.is_end[i];
      if (t.first_cls == CharClass::kUpper)
        ++(StartsSentence(p, i, p.starts[k]) ? c.start : c.mid_cap);
    }
}

// `leave_one_out`: the statistics were counted on these very paragraphs, so each gap's own
// tokens are taken out of them, as they will be on unseen text.
void CollectSentenceExamples(const LanguageData& lang, const Paragraphs& p, const WordStats& stats,
                             bool leave_one_out, SentenceData* out) {
  const SentenceSplitter splitter(&lang, nullptr, &stats, 0, 0);
  std::vector<GapRule> rules;
  std::vector<uint64_t> f;
  for (size_t k = 0; k + 1 < p.starts.size(); ++k) {
    const size_t b = p.starts[k];
    const Tok* toks = p.toks.data() + b;
    const size_t n = p.starts[k + 1] - b;
    if (n == 0) continue;
    GapRules(lang, toks, n, true, &rules);
    size_t start = 0;
    int quotes = 0, para_quotes = 0;
    for (size_t g = 0; g + 1 < n; ++g) {
      quotes += toks[g].quote;
      para_quotes += toks[g].quote;
      const bool gold = p.is_end[b + g];
      out->boundaries += gold;
      if (rules[g] != GapRule::kFree || !splitter.IsCandidate(toks, n, g)) {
        out->missed += gold && rules[g] != GapRule::kBreak;
      } else {
        uint8_t end_a = 0, start_b = 0;
        if (!leave_one_out) {
          splitter.Buckets(toks[g], toks[g + 1], &end_a, &start_b);
        } else {
          const Tok& a = toks[g];
          const Tok& nb = toks[g + 1];
          if (IsWordClass(a.last_cls))
            if (const auto* c = stats.Find(a.lower))
              end_a = WordStats::EndBucket(c->end - gold, c->total - 1);
          if (nb.first_cls == CharClass::kUpper)
            if (const auto* c = stats.Find(nb.lower))
              start_b = WordStats::StartBucket(c->start - gold, c->mid_cap - !gold);
        }
        splitter.Features(toks, n, g, start, quotes, para_quotes, end_a, start_b, &f);
        out->ex.push_back({static_cast<uint32_t>(out->feats.size()),
                           static_cast<uint32_t>(out->feats.size() + f.size()), gold,
                           SentenceSplitter::Unpunctuated(toks, g)});
        out->feats.insert(out->feats.end(), f.begin(), f.end());
      }
      if (gold) start = g + 1, quotes = 0;
    }
  }
}

double Accuracy(const ml::LinearModel& m, const std::vector<uint64_t>& feats,
                const std::vector<Example>& ex) {
  if (ex.empty()) return 0;
  size_t right = 0;
  for (const Example& e : ex) {
    float s[2] = {0, 0};
    m.Score(feats.data() + e.feat_begin, e.feat_end - e.feat_begin, s);
    right += (s[1] > s[0]) == e.label;
  }
  return static_cast<double>(right) / static_cast<double>(ex.size());
}

// Boundary F-score (beta weighs recall) over the examples selected by `bare`, at threshold t;
// `missed` gold boundaries were never candidates.
double BoundaryF(const std::vector<float>& margins, const std::vector<Example>& ex, bool bare,
                 size_t missed, float t, double beta) {
  size_t tp = 0, fp = 0, fn = missed;
  for (size_t i = 0; i < ex.size(); ++i) {
    if (ex[i].bare != bare) continue;
    const bool guess = margins[i] > t;
    tp += guess && ex[i].label;
    fp += guess && !ex[i].label;
    fn += !guess && ex[i].label;
  }
  const double b2 = beta * beta;
  const double num = (1 + b2) * static_cast<double>(tp);
  return tp == 0 ? 0 : num / (num + b2 * static_cast<double>(fn) + static_cast<double>(fp));
}

// All decisions together, at the two thresholds.
double BoundaryF1(const std::vector<float>& margins, const std::vector<Example>& ex, size_t missed,
                  float t, float t_bare) {
  size_t tp = 0, fp = 0, fn = missed;
  for (size_t i = 0; i < ex.size(); ++i) {
    const bool guess = margins[i] > (ex[i].bare ? t_bare : t);
    tp += guess && ex[i].label;
    fp += guess && !ex[i].label;
    fn += !guess && ex[i].label;
  }
  return tp == 0 ? 0 : 2.0 * static_cast<double>(tp) / static_cast<double>(2 * tp + fp + fn);
}

// The threshold in [-scale, 3 scale] that maximises BoundaryF for the `bare` examples.
float TuneThreshold(const std::vector<float>& margins, const std::vector<Example>& ex, bool bare,
                    double beta) {
  double scale = 0;
  size_t count = 0;
  for (size_t i = 0; i < ex.size(); ++i)
    if (ex[i].bare == bare) scale += std::fabs(margins[i]), ++count;
  if (count == 0) return 0;
  scale /= static_cast<double>(count);
  float best_t = 0;
  double best = BoundaryF(margins, ex, bare, 0, 0.f, beta);
  for (int k = -20; k <= 60; ++k) {
    const float t = static_cast<float>(k * scale / 20.0);
    const double f = BoundaryF(margins, ex, bare, 0, t, beta);
    if (f > best + 1e-9) best = f, best_t = t;
  }
  return best_t;
}

std::vector<float> Margins(const ml::LinearModel& m, const SentenceData& d) {
  std::vector<float> out(d.ex.size());
  for (size_t i = 0; i < d.ex.size(); ++i) {
    float s[2] = {0, 0};
    m.Score(d.feats.data() + d.ex[i].feat_begin, d.ex[i].feat_end - d.ex[i].feat_begin, s);
    out[i] = s[1] - s[0];
  }
  return out;
}

constexpr int kTokenEpochs = 10;
constexpr int kSentenceEpochs = 10;
constexpr uint64_t kSeed = 20240229;

}  // namespace

Result<Segmenter> Segmenter::Train(const std::string& language_dir, const ConlluCorpus& train,
                                   const ConlluCorpus* dev) {
  DYAD_ASSIGN_OR_RETURN(Segmenter seg, FromLanguageDir(language_dir));
  Impl& m = *seg.impl_;
  if (train.sentences.empty()) return Status::Error("segmenter: empty training corpus");
  m.multiword.Learn(train);

  TokenData tok_train, tok_dev;
  CollectTokenExamples(m.lang, train, &tok_train);
  if (dev) CollectTokenExamples(m.lang, *dev, &tok_dev);
  if (!tok_train.ex.empty()) {
    const bool use_dev = !tok_dev.ex.empty();
    m.token_model = TrainBinary(tok_train.feats, tok_train.ex, use_dev ? kTokenEpochs : 6, kSeed,
                                [&](const ml::LinearModel& lm) {
                                  return use_dev ? Accuracy(lm, tok_dev.feats, tok_dev.ex) : 0.0;
                                });
    m.has_token_model = true;
  }

  Paragraphs para_train, para_dev;
  CollectParagraphs(m.lang, train, &para_train);
  if (dev) CollectParagraphs(m.lang, *dev, &para_dev);
  CountWords(para_train, &m.word_stats);
  SentenceData sent_train, sent_dev;
  CollectSentenceExamples(m.lang, para_train, m.word_stats, true, &sent_train);
  m.word_stats.Prune();
  if (dev) CollectSentenceExamples(m.lang, para_dev, m.word_stats, false, &sent_dev);
  size_t positives = 0;
  for (const auto& e : sent_train.ex) positives += e.label;
  if (positives > 0) {
    const bool use_dev = !sent_dev.ex.empty();
    m.sentence_model = TrainBinary(sent_train.feats, sent_train.ex, use_dev ? kSentenceEpochs : 6,
                                   kSeed + 1, [&](const ml::LinearModel& lm) {
                                     return use_dev ? BoundaryF1(Margins(lm, sent_dev), sent_dev.ex,
                                                                 sent_dev.missed, 0.f, 0.f)
                                                    : 0.0;
                                   });
    m.has_sentence_model = true;
    // Decision thresholds from dev: F1 where punctuation or a line break is there; F0.5 at
    // unpunctuated gaps, where a false boundary (splitting a clause) costs the parser and the
    // event coder more than a missed one.
    if (use_dev) {
      const std::vector<float> margins = Margins(m.sentence_model, sent_dev);
      m.sentence_threshold = TuneThreshold(margins, sent_dev.ex, false, 1.0);
      m.sentence_threshold_bare = TuneThreshold(margins, sent_dev.ex, true, 0.5);
    }
  }
  return seg;
}

// ---------------------------------------------------------------------------------------------
// Serialisation

void Segmenter::Serialize(BinaryWriter* w) const {
  const Impl& m = *impl_;
  w->U32(kSegmenterMagic);
  w->U32(kSegmenterVersion);
  m.lang.Serialize(w);
  m.multiword.Serialize(w);
  w->U8(m.has_token_model ? 1 : 0);
  if (m.has_token_model) m.token_model.Serialize(w);
  w->U8(m.has_sentence_model ? 1 : 0);
  if (m.has_sentence_model) m.sentence_model.Serialize(w);
  m.word_stats.Serialize(w);
  w->F32(m.sentence_threshold);
  w->F32(m.sentence_threshold_bare);
}

Result<Segmenter> Segmenter::Parse(BinaryReader* r) {
  Segmenter seg;
  Impl& m = *seg.impl_;
  const uint32_t magic = r->U32();
  const uint32_t version = r->U32();
  DYAD_RETURN_IF_ERROR(r->status());
  if (magic != kSegmenterMagic) return Status::Error("segmenter: not a segmenter section");
  if (version != kSegmenterVersion)
    return Status::Error("segmenter: format version " + std::to_string(version) +
                         " is not supported (this build reads version " +
                         std::to_string(kSegmenterVersion) + "); retrain the model");
  DYAD_ASSIGN_OR_RETURN(m.lang, LanguageData::Parse(r));
  DYAD_ASSIGN_OR_RETURN(m.multiword, MultiwordTable::Parse(r));
  auto model = [&](bool* has, ml::LinearModel* lm) -> Status {
    const uint8_t flag = r->U8();
    DYAD_RETURN_IF_ERROR(r->status());
    if (flag > 1) return Status::Error("segmenter: bad model flag");
    *has = flag == 1;
    if (!*has) return Status::Ok();
    DYAD_ASSIGN_OR_RETURN(*lm, ml::LinearModel::Parse(r));
    if (lm->num_classes() != 2) return Status::Error("segmenter: model is not binary");
    return Status::Ok();
  };
  DYAD_RETURN_IF_ERROR(model(&m.has_token_model, &m.token_model));
  DYAD_RETURN_IF_ERROR(model(&m.has_sentence_model, &m.sentence_model));
  DYAD_RETURN_IF_ERROR(m.word_stats.Parse(r));
  m.sentence_threshold = r->F32();
  m.sentence_threshold_bare = r->F32();
  DYAD_RETURN_IF_ERROR(r->status());
  if (!std::isfinite(m.sentence_threshold) || !std::isfinite(m.sentence_threshold_bare))
    return Status::Error("segmenter: bad sentence threshold");
  return seg;
}

}  // namespace dyad::text
