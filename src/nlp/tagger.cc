#include "nlp/tagger.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <unordered_map>

#include "ml/linear_model.h"
#include "nlp/lemmatizer.h"
#include "nlp/tagger_table.h"
#include "nlp/tagger_words.h"
#include "util/binary.h"

namespace dyad::nlp {
namespace {

using ml::FeatureHash;

constexpr uint32_t kMagic = 0x47415444;  // "DTAG" in a little-endian dump
constexpr uint32_t kVersion = 1;
constexpr size_t kMaxTags = 4000;  // 2 x tags (+ padding ids) must fit a uint16 class id
constexpr size_t kMaxFeats = 65000;

// Tag dictionary: a form seen at least this often gets its set of tags as a feature (its
// "ambiguity class"); rarer forms look unknown, as they mostly will at run time.
constexpr int kAmbMinCount = 2;
// Tags below this share of a form's occurrences are left out of its ambiguity class.
constexpr double kAmbMinShare = 0.01;
// A form seen this often, with one tag in this share of its occurrences, always gets that tag
// without being scored: a third of running text, so a third less work.
constexpr int kFixedMinCount = 20;
constexpr double kFixedMinShare = 0.995;
// A lookup for the nearest nominal to the left (agreement) goes back this far.
constexpr int kAgreementWindow = 8;

inline uint64_t H(std::string_view s) { return FeatureHash::String(s); }
inline uint64_t F(uint32_t t, uint64_t a) { return FeatureHash::Add(FeatureHash::Start(t), a); }
inline uint64_t F(uint32_t t, uint64_t a, uint64_t b) {
  return FeatureHash::Add(FeatureHash::Add(FeatureHash::Start(t), a), b);
}
inline uint64_t F(uint32_t t, uint64_t a, uint64_t b, uint64_t c) {
  return FeatureHash::Add(FeatureHash::Add(FeatureHash::Add(FeatureHash::Start(t), a), b), c);
}

// What the feature templates need to know about one word, computed once per sentence.
struct WordCtx {
  uint64_t form = 0, lower = 0, shape = 0, sshape = 0;
  uint64_t amb = 0, xamb = 0;       // ambiguity classes of the lowercased and the exact form
  uint64_t head = 0, head_amb = 0;  // the part after the last hyphen, when there is one
  uint64_t pre[4] = {}, suf[5] = {};
  uint32_t flags = 0;
  int fixed = -1;  // the tag of a frequent unambiguous form, or -1
};

WordCtx PadCtx(std::string_view what) {
  WordCtx c;
  const uint64_t h = H(what);
  c.form = c.lower = c.shape = c.sshape = c.amb = c.xamb = c.head = c.head_amb = h;
  for (auto& p : c.pre) p = h;
  for (auto& s : c.suf) s = h;
  c.flags = 1u << 30;
  return c;
}
const WordCtx kBos = PadCtx("<s>");
const WordCtx kEos = PadCtx("</s>");

int Bucket(int count) {
  if (count <= 1) return 1;
  if (count <= 3) return 2;
  if (count <= 9) return 3;
  if (count <= 99) return 4;
  return 5;
}

// Feature templates. POS static 1-59; POS tag-dependent 60-79 (left to right) and 80-99
// (right to left); lemmatiser 100-199; FEATS 200-299.
enum : uint32_t {
  kBias = 1,
  kForm,
  kLower,
  kPre,             // + k, k < 4
  kSuf = kPre + 4,  // + k, k < 5
  kShape = kSuf + 5,
  kSShape,
  kFlags,
  kLowerM1,
  kLowerM2,
  kLowerP1,
  kLowerP2,
  kLowerP3,
  kSuf3M1,
  kSuf3P1,
  kBigramM1,
  kBigramP1,
  kBigramP1P2,
  kSkip,
  kAmb,
  kXAmb,
  kAmbM1,
  kAmbP1,
  kAmbP2,
  kAmbP3,
  kAmbPair,
  kAmbP1P2,
  kSShapeM1,
  kSShapeP1,
  kFlagsSuf,
  kFlagsM1,
  kFlagsP1,
  kHead,
  kHeadAmb,
};
// Tag-dependent templates, relative to kDynBase + 20 * direction. "Previous" means the
// previous word in decoding order (left neighbour left to right, right neighbour right to
// left); "next" the following one.
constexpr uint32_t kDynBase = 60;
enum : uint32_t {
  kDTag1 = 0,  // previous tag
  kDTag21,     // the two previous tags
  kDTag2,
  kDTag1Lower,  // previous tag + this word
  kDTag1Amb,    // previous tag + this word's ambiguity class
  kDTag1Suf3,
  kDTag1NextAmb,  // previous tag + the next word's ambiguity class
  kDTag1NextLower,
};

enum : uint32_t {
  kFTag = 200,
  kFLower,
  kFForm,
  kFFlags,
  kFSuf,  // + k, k < 4
  kFTagM1 = kFSuf + 4,
  kFTagP1,
  kFTagM2M1,
  kFLowerM1,
  kFLowerP1,
  kFLowerM2,
  kFFeatsM1,
  kFNomFeats,
  kFNomLower,
  kFNomTag,
  kFNomDist,
};

// The ambiguity class and fixed tag of an exact form.
struct FormInfo {
  uint64_t amb = 0;
  int32_t fixed = -1;
};

// Per-call scratch space, reused across sentences by each thread.
struct Workspace {
  std::vector<WordCtx> ctx;
  std::vector<std::string> lowers;
  std::vector<uint64_t> sfeats, dyn, all;
  std::vector<uint32_t> offsets;
  std::vector<int32_t> stat, fwd, bwd, row;
  std::vector<float> frow, fscores;
  std::vector<int> tags, other, fpred;
  std::string key;  // AddFeats' "UPOS\tXPOS" lookup key
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

struct Tagger::Impl {
  // Tag classes: the (UPOS, XPOS) pairs of the training data, sorted.
  std::vector<std::string> upos, xpos;
  // Per class: UPOS is NOUN, PROPN or PRON (UPOS is universal: no language knowledge here).
  std::vector<uint8_t> nominal;
  std::vector<std::string> feats;  // FEATS classes, sorted
  // Dictionaries (serialised as parallel vectors, looked up through the tables below).
  std::vector<uint64_t> lower_keys, lower_amb;  // H(lowercased form) -> ambiguity class
  std::vector<uint64_t> form_keys, form_amb;    // H(form) -> ambiguity class, fixed tag
  std::vector<int16_t> form_fixed;
  // Candidate FEATS classes: runs in `cands`, per tag class and per (lowercased form, tag).
  std::vector<uint16_t> cands;
  std::vector<uint32_t> tag_start;
  std::vector<uint16_t> tag_count;
  std::vector<uint64_t> fw_keys;
  std::vector<uint32_t> fw_start;
  std::vector<uint16_t> fw_count;
  // The POS model has num_tags() classes (left to right only) or 2 * num_tags() (classes
  // [0, nt) left to right, [nt, 2nt) right to left: the two directions share every static
  // feature's lookup).
  ml::LinearModel pos, fmodel;
  internal::Lemmatizer lemmatizer;
  int best_epoch = 0;

  internal::FlatTable<uint64_t> lower_table;
  internal::FlatTable<FormInfo> form_table;
  internal::FlatTable<uint32_t> fw_table;
  uint64_t unknown_amb = H("<unk>");

  int num_tags() const { return static_cast<int>(upos.size()); }
  bool bidirectional() const { return pos.num_classes() == 2 * num_tags(); }

  void BuildIndex() {
    nominal.clear();
    for (const auto& u : upos) nominal.push_back(u == "NOUN" || u == "PROPN" || u == "PRON");
    lower_table.Build(lower_keys, lower_amb);
    std::vector<FormInfo> info(form_keys.size());
    for (size_t i = 0; i < info.size(); ++i) info[i] = {form_amb[i], form_fixed[i]};
    form_table.Build(form_keys, info);
    std::vector<uint32_t> idx(fw_keys.size());
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<uint32_t>(i);
    fw_table.Build(fw_keys, idx);
  }

  static uint64_t WordTagKey(uint64_t lower, int tag) {
    return FeatureHash::Add(lower, static_cast<uint64_t>(tag) + 1);
  }

  uint64_t Amb(uint64_t lower) const {
    const uint64_t* a = lower_table.Find(lower);
    return a ? *a : unknown_amb;
  }

  void BuildCtx(const Sentence& s, std::vector<WordCtx>* ctx,
                std::vector<std::string>* lowers) const {
    const size_t n = s.words.size();
    ctx->resize(n);
    lowers->resize(n);
    int alpha = 0, capital = 0;
    for (size_t i = 0; i < n; ++i) {
      const std::string& form = s.words[i].form;
      std::string& lower = (*lowers)[i];
      lower = internal::Lowercase(form);
      WordCtx& c = (*ctx)[i];
      c.form = H(form);
      c.lower = H(lower);
      for (int k = 0; k < 4; ++k) c.pre[k] = H(internal::PrefixChars(lower, k + 1));
      for (int k = 0; k < 5; ++k) c.suf[k] = H(internal::SuffixChars(lower, k + 1));
      c.shape = H(internal::LongShape(form));
      c.sshape = H(internal::ShortShape(form));
      c.flags = internal::WordFlags(form) | (i == 0 ? 1u << 16 : 0u);
      c.amb = Amb(c.lower);
      const FormInfo* fi = form_table.Find(c.form);
      c.xamb = fi ? fi->amb : unknown_amb;
      c.fixed = fi ? fi->fixed : -1;
      c.head = c.lower;
      c.head_amb = c.amb;
      if (size_t dash = lower.rfind('-');
          dash != std::string::npos && dash > 0 && dash + 1 < lower.size()) {
        c.head = H(std::string_view(lower).substr(dash + 1));
        c.head_amb = Amb(c.head);
      }
      if (c.flags & (internal::kHasUpper | internal::kHasLower)) ++alpha;
      if (c.flags & internal::kFirstUpper) ++capital;
    }
    // The sentence's use of capitals (none, a few, most words): a capital means less in a
    // headline in title case, and more in text written all in lower case.
    const uint32_t profile = capital == 0 ? 1 : 2 * capital < alpha ? 2 : 3;
    for (WordCtx& c : *ctx) c.flags |= profile << 20;
  }

  // Tag-independent POS features of word i, shared by both directions.
  static void PosStatic(const std::vector<WordCtx>& ctx, int i, std::vector<uint64_t>* out) {
    const int n = static_cast<int>(ctx.size());
    auto at = [&](int j) -> const WordCtx& { return j < 0 ? kBos : j >= n ? kEos : ctx[j]; };
    const WordCtx& w = ctx[i];
    const WordCtx &m1 = at(i - 1), &m2 = at(i - 2), &p1 = at(i + 1), &p2 = at(i + 2),
                  &p3 = at(i + 3);
    out->push_back(FeatureHash::Start(kBias));
    out->push_back(F(kForm, w.form));
    out->push_back(F(kLower, w.lower));
    for (int k = 0; k < 4; ++k) out->push_back(F(kPre + k, w.pre[k]));
    for (int k = 0; k < 5; ++k) out->push_back(F(kSuf + k, w.suf[k]));
    out->push_back(F(kShape, w.shape));
    out->push_back(F(kSShape, w.sshape));
    out->push_back(F(kFlags, w.flags));
    out->push_back(F(kLowerM1, m1.lower));
    out->push_back(F(kLowerM2, m2.lower));
    out->push_back(F(kLowerP1, p1.lower));
    out->push_back(F(kLowerP2, p2.lower));
    out->push_back(F(kLowerP3, p3.lower));
    out->push_back(F(kSuf3M1, m1.suf[2]));
    out->push_back(F(kSuf3P1, p1.suf[2]));
    out->push_back(F(kBigramM1, m1.lower, w.lower));
    out->push_back(F(kBigramP1, w.lower, p1.lower));
    out->push_back(F(kBigramP1P2, p1.lower, p2.lower));
    out->push_back(F(kSkip, m1.lower, p1.lower));
    out->push_back(F(kAmb, w.amb));
    out->push_back(F(kXAmb, w.xamb));
    out->push_back(F(kAmbM1, m1.amb));
    out->push_back(F(kAmbP1, p1.amb));
    out->push_back(F(kAmbP2, p2.amb));
    out->push_back(F(kAmbP3, p3.amb));
    out->push_back(F(kAmbPair, w.amb, p1.amb));
    out->push_back(F(kAmbP1P2, p1.amb, p2.amb));
    out->push_back(F(kSShapeM1, m1.sshape));
    out->push_back(F(kSShapeP1, p1.sshape));
    out->push_back(F(kFlagsSuf, w.flags, w.suf[2]));
    out->push_back(F(kFlagsM1, m1.flags, w.flags));
    out->push_back(F(kFlagsP1, w.flags, p1.flags));
    if (w.head != w.lower) {
      out->push_back(F(kHead, w.head));
      out->push_back(F(kHeadAmb, w.head_amb));
    }
  }

  // Features of word i that depend on the two previously chosen tags t1, t2 (nt for "outside
  // the sentence") in direction `dir` (0 left to right, 1 right to left).
  static void PosDynamic(const std::vector<WordCtx>& ctx, int i, int dir, int t1, int t2,
                         std::vector<uint64_t>* out) {
    const int n = static_cast<int>(ctx.size());
    const uint32_t base = kDynBase + 20 * static_cast<uint32_t>(dir);
    const WordCtx& w = ctx[i];
    const int next = dir == 0 ? i + 1 : i - 1;
    const WordCtx& nx = next < 0 ? kBos : next >= n ? kEos : ctx[next];
    const auto a1 = static_cast<uint64_t>(t1), a2 = static_cast<uint64_t>(t2);
    out->push_back(F(base + kDTag1, a1));
    out->push_back(F(base + kDTag21, a2, a1));
    out->push_back(F(base + kDTag2, a2));
    out->push_back(F(base + kDTag1Lower, a1, w.lower));
    out->push_back(F(base + kDTag1Amb, a1, w.amb));
    out->push_back(F(base + kDTag1Suf3, a1, w.suf[2]));
    out->push_back(F(base + kDTag1NextAmb, a1, nx.amb));
    out->push_back(F(base + kDTag1NextLower, a1, nx.lower));
  }

  // Static features of every word whose tag is not fixed: word i's are
  // sfeats[offsets[i], offsets[i + 1]).
  static void PosFeaturesOf(const std::vector<WordCtx>& ctx, std::vector<uint64_t>* sfeats,
                            std::vector<uint32_t>* offsets) {
    sfeats->clear();
    offsets->assign(1, 0);
    for (int i = 0; i < static_cast<int>(ctx.size()); ++i) {
      if (ctx[i].fixed < 0) PosStatic(ctx, i, sfeats);
      offsets->push_back(static_cast<uint32_t>(sfeats->size()));
    }
  }

  // Greedy decoding in direction `dir`. score(i, dyn) returns word i's scores (a row of
  // pos.num_classes() values, float or quantised int) given its tag-dependent features `dyn`;
  // the best class of this direction's half goes to on_word(i, tag, dyn), which returns the tag
  // to keep.
  template <typename ScoreFn, typename OnWord>
  void Decode(const std::vector<WordCtx>& ctx, int dir, ScoreFn score, OnWord on_word,
              std::vector<uint64_t>* dyn, std::vector<int>* tags) const {
    const int n = static_cast<int>(ctx.size()), nt = num_tags();
    tags->assign(static_cast<size_t>(n), -1);
    const int offset = dir * nt;
    const int step = dir == 0 ? -1 : 1;
    for (int k = 0; k < n; ++k) {
      const int i = dir == 0 ? k : n - 1 - k;
      if (ctx[i].fixed >= 0) {
        (*tags)[i] = ctx[i].fixed;
        continue;
      }
      const int j1 = i + step, j2 = i + 2 * step;
      const int t1 = j1 < 0 || j1 >= n ? nt : (*tags)[j1];
      const int t2 = j2 < 0 || j2 >= n ? nt : (*tags)[j2];
      dyn->clear();
      PosDynamic(ctx, i, dir, t1, t2, dyn);
      const auto* row = score(i, *dyn) + offset;
      int best = 0;
      for (int c = 1; c < nt; ++c)
        if (row[c] > row[best]) best = c;
      (*tags)[i] = on_word(i, best, *dyn);
    }
  }

  // POS tags of a sentence whose contexts are in ws->ctx. Scores stay quantised (both
  // directions are halves of one model, so their integer scores add up).
  void TagPos(Workspace* ws) const {
    const std::vector<WordCtx>& ctx = ws->ctx;
    const int n = static_cast<int>(ctx.size()), nt = num_tags();
    const int nc = pos.num_classes();
    PosFeaturesOf(ctx, &ws->sfeats, &ws->offsets);
    // Static scores once per word, for both directions.
    ws->stat.assign(static_cast<size_t>(n) * nc, 0);
    for (int i = 0; i < n; ++i)
      if (ctx[i].fixed < 0)
        pos.ScoreQuantized(ws->sfeats.data() + ws->offsets[i], ws->offsets[i + 1] - ws->offsets[i],
                           &ws->stat[static_cast<size_t>(i) * nc]);
    ws->row.resize(static_cast<size_t>(nc));
    auto run = [&](int dir, std::vector<int32_t>* keep, std::vector<int>* tags) {
      keep->resize(static_cast<size_t>(n) * nt);
      Decode(
          ctx, dir,
          [&](int i, const std::vector<uint64_t>& dyn) {
            int32_t* row = ws->row.data();
            std::copy_n(&ws->stat[static_cast<size_t>(i) * nc], nc, row);
            pos.ScoreQuantized(dyn.data(), dyn.size(), row);
            std::copy_n(row + dir * nt, nt, &(*keep)[static_cast<size_t>(i) * nt]);
            return static_cast<const int32_t*>(row);
          },
          [](int, int best, const std::vector<uint64_t>&) { return best; }, &ws->dyn, tags);
    };
    run(0, &ws->fwd, &ws->tags);
    if (!bidirectional()) return;
    run(1, &ws->bwd, &ws->other);
    for (int i = 0; i < n; ++i) {
      if (ctx[i].fixed >= 0) continue;
      const int32_t* a = &ws->fwd[static_cast<size_t>(i) * nt];
      const int32_t* b = &ws->bwd[static_cast<size_t>(i) * nt];
      int best = 0;
      for (int c = 1; c < nt; ++c)
        if (a[c] + b[c] > a[best] + b[best]) best = c;
      ws->tags[i] = best;
    }
  }

  // Candidate FEATS classes of a word with tag `tag`: [first, first + count) in `cands`.
  std::pair<uint32_t, uint32_t> Candidates(uint64_t lower, int tag) const {
    if (const uint32_t* i = fw_table.Find(WordTagKey(lower, tag)))
      return {fw_start[*i], fw_count[*i]};
    return {tag_start[tag], tag_count[tag]};
  }

  void FeatsFeatures(const std::vector<WordCtx>& ctx, const std::vector<int>& tags,
                     const std::vector<int>& fpred, int i, std::vector<uint64_t>* out) const {
    const int n = static_cast<int>(ctx.size());
    const int nt = num_tags();
    const WordCtx& w = ctx[i];
    const auto t = static_cast<uint64_t>(tags[i]);
    const auto tm1 = static_cast<uint64_t>(i >= 1 ? tags[i - 1] : nt);
    const auto tm2 = static_cast<uint64_t>(i >= 2 ? tags[i - 2] : nt);
    const auto tp1 = static_cast<uint64_t>(i + 1 < n ? tags[i + 1] : nt + 1);
    out->clear();
    out->push_back(F(kFTag, t));
    out->push_back(F(kFLower, w.lower, t));
    out->push_back(F(kFForm, w.form, t));
    out->push_back(F(kFFlags, w.flags, t));
    for (int k = 0; k < 4; ++k) out->push_back(F(kFSuf + k, w.suf[k], t));
    out->push_back(F(kFTagM1, tm1, t));
    out->push_back(F(kFTagP1, tp1, t));
    out->push_back(F(kFTagM2M1, tm2, tm1, t));
    out->push_back(F(kFLowerM1, i >= 1 ? ctx[i - 1].lower : kBos.lower, t));
    out->push_back(F(kFLowerP1, i + 1 < n ? ctx[i + 1].lower : kEos.lower, t));
    out->push_back(F(kFLowerM2, i >= 2 ? ctx[i - 2].lower : kBos.lower, t));
    out->push_back(F(kFFeatsM1, i >= 1 ? static_cast<uint64_t>(fpred[i - 1]) : 0xffffu, t));
    // The nearest nominal to the left: what a verb or a determiner agrees with.
    int j = i - 1;
    while (j >= 0 && j >= i - kAgreementWindow && !nominal[tags[j]]) --j;
    if (j >= 0 && j >= i - kAgreementWindow) {
      const auto fj = static_cast<uint64_t>(fpred[j]);
      out->push_back(F(kFNomFeats, fj, t));
      out->push_back(F(kFNomLower, ctx[j].lower, t));
      out->push_back(F(kFNomTag, static_cast<uint64_t>(tags[j]), t));
      out->push_back(F(kFNomDist, static_cast<uint64_t>(std::min(i - j, 4)), fj, t));
    } else {
      out->push_back(F(kFNomFeats, 0xfffeu, t));
    }
  }

  // Left-to-right FEATS decoding; on_choice(i, best, features) returns the class to keep. In
  // training (`all_candidates`) every word chooses among all the FEATS of its tag, so that the
  // model learns to choose for new words too, not only among a known word's few values.
  template <typename Scorer, typename OnChoice>
  void DecodeFeats(const Scorer& model, const std::vector<WordCtx>& ctx,
                   const std::vector<int>& tags, OnChoice on_choice, bool all_candidates,
                   Workspace* ws) const {
    const int n = static_cast<int>(ctx.size());
    std::vector<int>& fpred = ws->fpred;
    fpred.assign(static_cast<size_t>(n), 0);
    ws->fscores.resize(feats.size());
    for (int i = 0; i < n; ++i) {
      auto [first, count] =
          all_candidates ? std::pair<uint32_t, uint32_t>(tag_start[tags[i]], tag_count[tags[i]])
                         : Candidates(ctx[i].lower, tags[i]);
      if (count == 1) {
        fpred[i] = cands[first];
        continue;
      }
      FeatsFeatures(ctx, tags, fpred, i, &ws->all);
      std::fill(ws->fscores.begin(), ws->fscores.end(), 0.f);
      model.Score(ws->all.data(), ws->all.size(), ws->fscores.data());
      int best = cands[first];
      for (uint32_t k = first + 1; k < first + count; ++k)
        if (ws->fscores[cands[k]] > ws->fscores[best]) best = cands[k];
      fpred[i] = on_choice(i, best, ws->all);
    }
  }

  // Everything Tag() does, on a sentence whose words have forms; FEATS only with `with_feats`.
  void TagSentence(Sentence* s, Workspace* ws, bool with_feats = true) const {
    BuildCtx(*s, &ws->ctx, &ws->lowers);
    TagPos(ws);
    if (with_feats)
      DecodeFeats(
          fmodel, ws->ctx, ws->tags,
          [](int, int best, const std::vector<uint64_t>&) { return best; }, false, ws);
    for (size_t i = 0; i < s->words.size(); ++i) {
      Word& w = s->words[i];
      const int t = ws->tags[i];
      w.upos = upos[t];
      w.xpos = xpos[t];
      if (with_feats) {
        w.feats = feats[ws->fpred[i]];
      } else {
        w.feats.clear();
      }
      w.lemma = lemmatizer.Lemmatize(w.form, ws->lowers[i], t);
    }
  }

  // The FEATS TagSentence() gives a sentence whose tags it assigned: the FEATS model reads the
  // forms and the tags only, so deciding them later gives the same values.
  void AddFeats(Sentence* s, Workspace* ws) const {
    BuildCtx(*s, &ws->ctx, &ws->lowers);
    ws->tags.resize(s->words.size());
    for (size_t i = 0; i < s->words.size(); ++i) {
      const Word& w = s->words[i];
      ws->key.assign(w.upos).append(1, '\t').append(w.xpos);  // reused: no allocation per word
      auto it = tag_of.find(ws->key);
      if (it == tag_of.end()) return;  // not this tagger's tags: leave FEATS as they are
      ws->tags[i] = it->second;
    }
    DecodeFeats(
        fmodel, ws->ctx, ws->tags, [](int, int best, const std::vector<uint64_t>&) { return best; },
        false, ws);
    for (size_t i = 0; i < s->words.size(); ++i) s->words[i].feats = feats[ws->fpred[i]];
  }

  // "UPOS\tXPOS" -> tag class, for AddFeats(); filled once the tables are final.
  std::unordered_map<std::string, int> tag_of;
  void IndexTags() {
    tag_of.clear();
    for (size_t t = 0; t < upos.size(); ++t)
      tag_of.emplace(upos[t] + '\t' + xpos[t], static_cast<int>(t));
  }

  // ---- Training ----

  // A corpus prepared for POS training: contexts, static features, gold tags.
  struct Prepared {
    std::vector<std::vector<WordCtx>> ctx;
    std::vector<std::vector<uint64_t>> sfeats;
    std::vector<std::vector<uint32_t>> offsets;
    std::vector<std::vector<int>> gold;  // tag class, -1 when unseen in training
  };
  template <typename TagOf>
  Prepared Prepare(const std::vector<Sentence>& data, TagOf tag_of) const {
    Prepared p;
    const size_t n = data.size();
    p.ctx.resize(n);
    p.sfeats.resize(n);
    p.offsets.resize(n);
    p.gold.resize(n);
    std::vector<std::string> lowers;
    for (size_t s = 0; s < n; ++s) {
      BuildCtx(data[s], &p.ctx[s], &lowers);
      PosFeaturesOf(p.ctx[s], &p.sfeats[s], &p.offsets[s]);
      for (const Word& w : data[s].words) p.gold[s].push_back(tag_of(w));
    }
    return p;
  }

  // UPOS and XPOS matches of the POS model on dev (two per word).
  size_t PosCorrect(const Prepared& dev, const std::vector<Sentence>& dev_sents,
                    std::vector<std::vector<int>>* predicted) const {
    Workspace ws;
    size_t correct = 0;
    if (predicted) predicted->assign(dev.ctx.size(), {});
    for (size_t s = 0; s < dev.ctx.size(); ++s) {
      ws.ctx = dev.ctx[s];
      TagPos(&ws);
      for (size_t i = 0; i < ws.tags.size(); ++i) {
        const Word& g = dev_sents[s].words[i];
        correct += upos[ws.tags[i]] == g.upos;
        correct += xpos[ws.tags[i]] == (g.xpos.empty() ? "_" : g.xpos);
      }
      if (predicted) (*predicted)[s] = ws.tags;
    }
    return correct;
  }

  // Trains `pos` with an averaged perceptron, keeping the epoch with most UPOS + XPOS right
  // on dev (the last one without dev).
  void TrainPos(const Prepared& tr, const Prepared& dv, const std::vector<Sentence>& dev_sents,
                const TaggerOptions& opts, std::mt19937_64* rng,
                std::chrono::steady_clock::time_point start) {
    const int nt = num_tags();
    const int dirs = opts.bidirectional ? 2 : 1;
    const int nc = dirs * nt;
    size_t words = 0, dev_words = 0;
    for (const auto& g : tr.gold) words += g.size();
    for (const auto& g : dv.gold) dev_words += g.size();

    // Features seen fewer than min_feature_count times (along the gold path) are never
    // learnt: the model gets much smaller and no worse.
    const auto min_count = static_cast<uint32_t>(std::max(1, opts.min_feature_count));
    std::unordered_map<uint64_t, uint32_t> counts;
    std::vector<uint64_t> f;
    if (min_count > 1) {
      for (size_t s = 0; s < tr.gold.size(); ++s) {
        const auto& g = tr.gold[s];
        const int n = static_cast<int>(g.size());
        for (int i = 0; i < n; ++i) {
          if (tr.ctx[s][i].fixed >= 0) continue;
          f.assign(tr.sfeats[s].begin() + tr.offsets[s][i],
                   tr.sfeats[s].begin() + tr.offsets[s][i + 1]);
          for (int dir = 0; dir < dirs; ++dir) {
            const int step = dir == 0 ? -1 : 1;
            const int j1 = i + step, j2 = i + 2 * step;
            PosDynamic(tr.ctx[s], i, dir, j1 < 0 || j1 >= n ? nt : g[j1],
                       j2 < 0 || j2 >= n ? nt : g[j2], &f);
          }
          for (uint64_t x : f) ++counts[x];
        }
      }
    }
    std::vector<uint64_t> kept;
    auto frequent = [&](const std::vector<uint64_t>& in) -> const std::vector<uint64_t>& {
      if (min_count <= 1) return in;
      kept.clear();
      for (uint64_t x : in) {
        auto it = counts.find(x);
        if (it != counts.end() && it->second >= min_count) kept.push_back(x);
      }
      return kept;
    };

    std::vector<size_t> order(tr.gold.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    ml::PerceptronTrainer trainer(nc);
    size_t best_correct = 0;
    Workspace ws;
    std::vector<int> tags;
    std::vector<uint64_t> full;
    for (int epoch = 1; epoch <= std::max(1, opts.epochs); ++epoch) {
      for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[(*rng)() % i]);
      size_t right = 0, scored = 0;
      for (size_t s : order) {
        const auto& ctx = tr.ctx[s];
        const auto& gold = tr.gold[s];
        const auto& sf = tr.sfeats[s];
        const auto& off = tr.offsets[s];
        for (int dir = 0; dir < dirs; ++dir) {
          auto all_features = [&](int i, const std::vector<uint64_t>& dyn) {
            full.assign(sf.begin() + off[i], sf.begin() + off[i + 1]);
            full.insert(full.end(), dyn.begin(), dyn.end());
          };
          Decode(
              ctx, dir,
              [&](int i, const std::vector<uint64_t>& dyn) {
                all_features(i, dyn);
                ws.frow.assign(static_cast<size_t>(nc), 0.f);
                trainer.Score(full.data(), full.size(), ws.frow.data());
                return static_cast<const float*>(ws.frow.data());
              },
              [&](int i, int best, const std::vector<uint64_t>& dyn) {
                ++scored;
                if (best != gold[i]) {
                  all_features(i, dyn);
                  const std::vector<uint64_t>& u = frequent(full);
                  trainer.Update(u.data(), u.size(), gold[i] + dir * nt, 1.f);
                  trainer.Update(u.data(), u.size(), best + dir * nt, -1.f);
                } else {
                  ++right;
                }
                trainer.Tick();
                return best;
              },
              &ws.dyn, &tags);
        }
      }
      ml::LinearModel model = trainer.Finalize(opts.prune);
      std::swap(pos, model);
      const size_t correct = PosCorrect(dv, dev_sents, nullptr);
      if (opts.verbose)
        std::fprintf(stderr,
                     "tagger pos epoch %d: train %.2f%% (scored words)  dev UPOS+XPOS %.2f%%  "
                     "features %zu  (%.0fs)\n",
                     epoch, TagScores::Percent(right, scored),
                     TagScores::Percent(correct, 2 * dev_words), pos.num_features(),
                     Seconds(start));
      if (epoch == 1 || correct > best_correct || dev_words == 0) {
        best_correct = correct;
        best_epoch = epoch;
      } else {
        std::swap(pos, model);  // keep the better earlier model
      }
    }
  }
};

std::string TagScores::ToString() const {
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "UPOS %.2f  XPOS %.2f  UFeats %.2f  AllTags %.2f  Lemmas %.2f  (%zu words)",
                Percent(upos, words), Percent(xpos, words), Percent(feats, words),
                Percent(all_tags, words), Percent(lemma, words), words);
  return buf;
}

TagScores ScoreTags(const std::vector<Sentence>& gold, const std::vector<Sentence>& predicted) {
  TagScores s;
  for (size_t i = 0; i < gold.size(); ++i) {
    const auto& g = gold[i].words;
    s.words += g.size();
    if (i >= predicted.size()) continue;
    const auto& p = predicted[i].words;
    for (size_t j = 0; j < g.size() && j < p.size(); ++j) {
      const bool u = g[j].upos == p[j].upos, x = g[j].xpos == p[j].xpos,
                 f = g[j].feats == p[j].feats;
      s.upos += u;
      s.xpos += x;
      s.feats += f;
      s.all_tags += u && x && f;
      s.lemma += g[j].lemma == p[j].lemma;
    }
  }
  return s;
}

Tagger::Tagger() = default;
Tagger::~Tagger() = default;
Tagger::Tagger(Tagger&&) noexcept = default;
Tagger& Tagger::operator=(Tagger&&) noexcept = default;

int Tagger::best_epoch() const { return impl_ ? impl_->best_epoch : 0; }

void Tagger::Tag(Sentence* s) const {
  if (!impl_ || s->words.empty()) return;
  thread_local Workspace ws;
  impl_->TagSentence(s, &ws);
}

void Tagger::TagWithoutFeats(Sentence* s) const {
  if (!impl_ || s->words.empty()) return;
  thread_local Workspace ws;
  impl_->TagSentence(s, &ws, false);
}

void Tagger::AddFeats(Sentence* s) const {
  if (!impl_ || s->words.empty()) return;
  thread_local Workspace ws;
  impl_->AddFeats(s, &ws);
}

Result<Tagger> Tagger::Train(const std::vector<Sentence>& train, const std::vector<Sentence>& dev,
                             const TaggerOptions& opts) {
  const auto start = std::chrono::steady_clock::now();
  auto m = std::make_unique<Impl>();
  auto xpos_of = [](const Word& w) { return w.xpos.empty() ? std::string("_") : w.xpos; };
  auto feats_str = [](const Word& w) { return w.feats.empty() ? std::string("_") : w.feats; };

  // 1. Tag classes and FEATS classes, sorted so that ids do not depend on the data's order.
  std::map<std::pair<std::string, std::string>, int> tag_ids;
  std::map<std::string, int> feats_ids;
  size_t words = 0;
  for (const auto& s : train) {
    for (const auto& w : s.words) {
      if (w.upos.empty() || w.upos == "_")
        return Status::Error("tagger training: sentence '" + s.id + "' has a word without UPOS");
      tag_ids[{w.upos, xpos_of(w)}] = 0;
      feats_ids[feats_str(w)] = 0;
      ++words;
    }
  }
  if (words == 0) return Status::Error("tagger training: no training words");
  if (tag_ids.size() > kMaxTags)
    return Status::Error("tagger training: " + std::to_string(tag_ids.size()) +
                         " distinct UPOS/XPOS pairs (at most " + std::to_string(kMaxTags) + ")");
  if (feats_ids.size() > kMaxFeats)
    return Status::Error("tagger training: " + std::to_string(feats_ids.size()) +
                         " distinct FEATS values (at most " + std::to_string(kMaxFeats) + ")");
  for (auto& [k, id] : tag_ids) {
    id = static_cast<int>(m->upos.size());
    m->upos.push_back(k.first);
    m->xpos.push_back(k.second);
  }
  for (auto& [k, id] : feats_ids) {
    id = static_cast<int>(m->feats.size());
    m->feats.push_back(k);
  }
  const int nt = m->num_tags();
  auto tag_of = [&](const Word& w) {
    auto it = tag_ids.find({w.upos, xpos_of(w)});
    return it == tag_ids.end() ? -1 : it->second;
  };
  auto feats_of = [&](const Word& w) {
    auto it = feats_ids.find(feats_str(w));
    return it == feats_ids.end() ? -1 : it->second;
  };

  // 2. Dictionaries: ambiguity classes, fixed tags, FEATS candidates.
  {
    std::map<std::string, std::map<int, int>> by_lower, by_form;
    std::map<std::pair<std::string, int>, std::map<int, int>> feats_by_word;
    std::vector<std::map<int, int>> feats_by_tag(static_cast<size_t>(nt));
    for (const auto& s : train)
      for (const auto& w : s.words) {
        std::string lower = internal::Lowercase(w.form);
        const int t = tag_of(w), f = feats_of(w);
        ++by_lower[lower][t];
        ++by_form[w.form][t];
        ++feats_by_word[{lower, t}][f];
        ++feats_by_tag[t][f];
      }
    // The ambiguity class: a frequency bucket and the tags with a fair share, as one hash.
    auto amb_of = [](const std::map<int, int>& counts, uint32_t salt, int* total) {
      *total = 0;
      for (const auto& [t, c] : counts) *total += c;
      uint64_t h = F(salt, static_cast<uint64_t>(Bucket(*total)));
      for (const auto& [t, c] : counts)
        if (c >= kAmbMinShare * *total) h = FeatureHash::Add(h, static_cast<uint64_t>(t));
      return h;
    };
    for (const auto& [lower, counts] : by_lower) {
      int total;
      const uint64_t h = amb_of(counts, 1000, &total);
      if (total < kAmbMinCount) continue;
      m->lower_keys.push_back(H(lower));
      m->lower_amb.push_back(h);
    }
    for (const auto& [form, counts] : by_form) {
      int total;
      const uint64_t h = amb_of(counts, 1001, &total);
      if (total < kAmbMinCount) continue;
      int top = 0, top_tag = -1;
      for (const auto& [t, c] : counts)
        if (c > top) top = c, top_tag = t;
      const bool fixed = total >= kFixedMinCount && top >= kFixedMinShare * total;
      m->form_keys.push_back(H(form));
      m->form_amb.push_back(h);
      m->form_fixed.push_back(static_cast<int16_t>(fixed ? top_tag : -1));
    }
    // Candidate runs, most frequent first.
    auto add_run = [&](const std::map<int, int>& counts) {
      std::vector<std::pair<int, int>> v;
      for (const auto& [f, c] : counts) v.push_back({-c, f});
      std::sort(v.begin(), v.end());
      if (v.size() > 65535) v.resize(65535);
      const auto first = static_cast<uint32_t>(m->cands.size());
      for (const auto& [c, f] : v) m->cands.push_back(static_cast<uint16_t>(f));
      return std::pair<uint32_t, uint16_t>(first, static_cast<uint16_t>(v.size()));
    };
    for (int t = 0; t < nt; ++t) {
      auto [first, count] = add_run(feats_by_tag[t]);
      m->tag_start.push_back(first);
      m->tag_count.push_back(count);
    }
    for (const auto& [wt, counts] : feats_by_word) {
      auto [first, count] = add_run(counts);
      m->fw_keys.push_back(Impl::WordTagKey(H(wt.first), wt.second));
      m->fw_start.push_back(first);
      m->fw_count.push_back(count);
    }
  }
  m->BuildIndex();

  // 3. The POS model.
  std::mt19937_64 rng(opts.seed);
  const Impl::Prepared ptrain = m->Prepare(train, tag_of), pdev = m->Prepare(dev, tag_of);
  m->TrainPos(ptrain, pdev, dev, opts, &rng, start);

  // 4. The FEATS model, trained on gold tags and scored on dev with predicted tags.
  {
    std::vector<std::vector<int>> gold_feats(train.size()), dev_tags;
    for (size_t s = 0; s < train.size(); ++s)
      for (const auto& w : train[s].words) gold_feats[s].push_back(feats_of(w));
    m->PosCorrect(pdev, dev, &dev_tags);
    ml::PerceptronTrainer trainer(static_cast<int>(m->feats.size()));
    std::vector<size_t> order(train.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    size_t best_correct = 0, dev_words = 0;
    for (const auto& s : dev) dev_words += s.words.size();
    Workspace ws;
    for (int epoch = 1; epoch <= std::max(1, opts.epochs); ++epoch) {
      for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
      for (size_t s : order) {
        const auto& gold = gold_feats[s];
        m->DecodeFeats(
            trainer, ptrain.ctx[s], ptrain.gold[s],
            [&](int i, int best, const std::vector<uint64_t>& f) {
              if (best != gold[i]) {
                trainer.Update(f.data(), f.size(), gold[i], 1.f);
                trainer.Update(f.data(), f.size(), best, -1.f);
              }
              trainer.Tick();
              return best;
            },
            /*all_candidates=*/true, &ws);
      }
      ml::LinearModel model = trainer.Finalize();
      size_t correct = 0;
      for (size_t s = 0; s < dev.size(); ++s) {
        m->DecodeFeats(
            model, pdev.ctx[s], dev_tags[s],
            [](int, int best, const std::vector<uint64_t>&) { return best; }, false, &ws);
        for (size_t i = 0; i < ws.fpred.size(); ++i)
          correct += m->feats[ws.fpred[i]] == feats_str(dev[s].words[i]);
      }
      if (opts.verbose)
        std::fprintf(stderr, "tagger feats epoch %d: dev UFeats %.2f%%  features %zu  (%.0fs)\n",
                     epoch, TagScores::Percent(correct, dev_words), model.num_features(),
                     Seconds(start));
      if (epoch == 1 || correct > best_correct || dev.empty()) {
        best_correct = correct;
        m->fmodel = std::move(model);
      }
    }
  }

  // 5. The lemmatiser.
  {
    std::vector<internal::Lemmatizer::Example> ex;
    ex.reserve(words);
    for (size_t s = 0; s < train.size(); ++s)
      for (size_t i = 0; i < train[s].words.size(); ++i) {
        const Word& w = train[s].words[i];
        ex.push_back({w.form, ptrain.gold[s][i], w.lemma});
      }
    internal::Lemmatizer::Options lo;
    lo.epochs = opts.lemma_epochs;
    lo.seed = opts.seed;
    m->lemmatizer = internal::Lemmatizer::Train(ex, lo);
  }

  Tagger t;
  m->IndexTags();
  t.impl_ = std::move(m);
  if (opts.verbose) {
    if (!dev.empty()) {
      std::vector<Sentence> out = dev;
      for (auto& s : out) t.Tag(&s);
      std::fprintf(stderr, "tagger dev: %s\n", ScoreTags(dev, out).ToString().c_str());
    }
    auto size_of = [](const auto& x) {
      BinaryWriter bw;
      x.Serialize(&bw);
      return bw.data().size();
    };
    const Impl& mi = *t.impl_;
    std::fprintf(stderr,
                 "tagger trained in %.0fs (epoch %d): %zu bytes (POS %zu: %zu features, %zu "
                 "weights; FEATS %zu; lemmas %zu)\n",
                 Seconds(start), mi.best_epoch, size_of(t), size_of(mi.pos), mi.pos.num_features(),
                 mi.pos.num_weights(), size_of(mi.fmodel), size_of(mi.lemmatizer));
  }
  return t;
}

void Tagger::Serialize(BinaryWriter* w) const {
  w->U32(kMagic);
  w->U32(kVersion);
  if (!impl_) {
    w->U8(0);
    return;
  }
  w->U8(1);
  const Impl& m = *impl_;
  w->StrVector(m.upos);
  w->StrVector(m.xpos);
  w->StrVector(m.feats);
  w->PodVector(m.lower_keys);
  w->PodVector(m.lower_amb);
  w->PodVector(m.form_keys);
  w->PodVector(m.form_amb);
  w->PodVector(m.form_fixed);
  w->PodVector(m.cands);
  w->PodVector(m.tag_start);
  w->PodVector(m.tag_count);
  w->PodVector(m.fw_keys);
  w->PodVector(m.fw_start);
  w->PodVector(m.fw_count);
  m.pos.Serialize(w);
  m.fmodel.Serialize(w);
  m.lemmatizer.Serialize(w);
}

Result<Tagger> Tagger::Parse(BinaryReader* r) {
  const uint32_t magic = r->U32();
  const uint32_t version = r->U32();
  DYAD_RETURN_IF_ERROR(r->status());
  if (magic != kMagic) return Status::Error("not a dyad tagger (bad magic number)");
  if (version != kVersion)
    return Status::Error("tagger format version " + std::to_string(version) +
                         " is not supported (this build reads version " + std::to_string(kVersion) +
                         "); retrain with `dyad train tagger`");
  const uint8_t present = r->U8();
  DYAD_RETURN_IF_ERROR(r->status());
  if (present == 0) return Tagger();
  if (present != 1) return Status::Error("tagger: bad presence flag");
  auto m = std::make_unique<Impl>();
  m->upos = r->StrVector();
  m->xpos = r->StrVector();
  m->feats = r->StrVector();
  m->lower_keys = r->PodVector<uint64_t>();
  m->lower_amb = r->PodVector<uint64_t>();
  m->form_keys = r->PodVector<uint64_t>();
  m->form_amb = r->PodVector<uint64_t>();
  m->form_fixed = r->PodVector<int16_t>();
  m->cands = r->PodVector<uint16_t>();
  m->tag_start = r->PodVector<uint32_t>();
  m->tag_count = r->PodVector<uint16_t>();
  m->fw_keys = r->PodVector<uint64_t>();
  m->fw_start = r->PodVector<uint32_t>();
  m->fw_count = r->PodVector<uint16_t>();
  DYAD_RETURN_IF_ERROR(r->status());
  auto pos = ml::LinearModel::Parse(r);
  if (!pos.ok()) return pos.status().With("tagger POS model");
  m->pos = std::move(pos).value();
  auto fmodel = ml::LinearModel::Parse(r);
  if (!fmodel.ok()) return fmodel.status().With("tagger FEATS model");
  m->fmodel = std::move(fmodel).value();
  auto lemmatizer = internal::Lemmatizer::Parse(r);
  if (!lemmatizer.ok()) return lemmatizer.status().With("tagger");
  m->lemmatizer = std::move(lemmatizer).value();

  // Everything Tag() indexes with is checked here.
  const size_t nt = m->upos.size(), nf = m->feats.size();
  auto bad = [](const std::string& why) { return Status::Error("tagger: " + why); };
  if (nt == 0 || nt > kMaxTags || m->xpos.size() != nt) return bad("bad tag table");
  if (nf == 0 || nf > kMaxFeats) return bad("bad FEATS table");
  if (m->lower_keys.size() != m->lower_amb.size() || m->form_keys.size() != m->form_amb.size() ||
      m->form_fixed.size() != m->form_keys.size())
    return bad("dictionary sizes disagree");
  for (int16_t t : m->form_fixed)
    if (t < -1 || t >= static_cast<int>(nt)) return bad("tag id out of range");
  if (m->tag_start.size() != nt || m->tag_count.size() != nt)
    return bad("candidate table sizes disagree");
  if (m->fw_start.size() != m->fw_keys.size() || m->fw_count.size() != m->fw_keys.size())
    return bad("word candidate table sizes disagree");
  auto run_ok = [&](uint32_t first, uint16_t count) {
    return count >= 1 && static_cast<uint64_t>(first) + count <= m->cands.size();
  };
  for (size_t t = 0; t < nt; ++t)
    if (!run_ok(m->tag_start[t], m->tag_count[t])) return bad("candidate run out of range");
  for (size_t i = 0; i < m->fw_keys.size(); ++i)
    if (!run_ok(m->fw_start[i], m->fw_count[i])) return bad("candidate run out of range");
  for (uint16_t c : m->cands)
    if (c >= nf) return bad("FEATS id out of range");
  const int pc = m->pos.num_classes();
  if (pc != static_cast<int>(nt) && pc != 2 * static_cast<int>(nt))
    return bad("POS model class count does not match the tag table");
  if (m->fmodel.num_classes() != static_cast<int>(nf))
    return bad("FEATS model class count does not match the FEATS table");
  m->BuildIndex();
  Tagger t;
  m->IndexTags();
  t.impl_ = std::move(m);
  return t;
}

Result<std::vector<Sentence>> JackknifeTags(const std::vector<Sentence>& train, int folds,
                                            const TaggerOptions& opts) {
  if (folds < 2) return Status::Error("jackknifing needs at least 2 folds");
  std::vector<Sentence> out = train;
  for (int f = 0; f < folds; ++f) {
    std::vector<Sentence> part;
    for (size_t i = 0; i < train.size(); ++i)
      if (static_cast<int>(i % folds) != f) part.push_back(train[i]);
    if (opts.verbose) std::fprintf(stderr, "jackknife fold %d/%d\n", f + 1, folds);
    DYAD_ASSIGN_OR_RETURN(Tagger tagger, Tagger::Train(part, {}, opts));
    for (size_t i = static_cast<size_t>(f); i < train.size(); i += static_cast<size_t>(folds))
      tagger.Tag(&out[i]);
  }
  return out;
}

}  // namespace dyad::nlp
