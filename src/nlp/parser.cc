// Labeled dependency parser: arc-standard transitions, global beam search, averaged perceptron.
//
// Transition system: arc-standard without a root token. SHIFT moves the next buffer word onto
// the stack; LEFT-ARC(l) makes s0 the head of s1 (pops s1); RIGHT-ARC(l) makes s1 the head of
// s0 (pops s0). A sentence of n words takes exactly 2n-1 transitions and ends with one word on
// the stack, which becomes the root: a single root and no cycles by construction, so every
// output is a well-formed tree whatever the model says. Every beam item has taken the same
// number of transitions, so their scores compare directly.
//
// Non-projective trees: 0.17% of EWT train arcs (0.14% dev, 0.11% test). At most that much UAS
// is at stake, so training trees are projectivised by lifting (the shortest non-projective arc
// is re-attached to its grandparent until none is left) and there is no SWAP.
//
// Learning: a structured averaged perceptron with max-violation updates (Huang et al. 2012)
// over a global beam. Features follow Zhang & Nivre (2011), adapted to arc-standard: words and
// tags of s0..s2 and n0..n2, pairs and triples, s0-s1 distance, valency, the two outermost
// children on each side with their relations, third-order tag chains, the sets of relations
// already attached; plus lemma, UPOS and morphological features. Features are 64-bit hashes.
//
// Speed: a beam item's features fall into groups that each depend on few things (the buffer
// position; the word at s0; the words at s0 and s1; the subtree built at s0; ...). Within one
// sentence a group's summed weight vector is memoised by what it depends on, so the model
// table (hundreds of thousands of features, far bigger than the CPU caches) is read only
// for group instances not seen before in that sentence, and a beam item costs ~10 small
// vector additions. The shipped table stores int16 weights and u8 class ids in one blob,
// found through 8-byte slots (a 32-bit fingerprint and an offset).
//
// Ensembles: Combine() adds the weights of parsers trained with other seeds (or other training
// tags) into one table. A linear model's scores are sums of weights, so the sum of the tables
// scores every transition as the sum of the parsers' scores: the ensemble costs one parser.
//
// Figures (EWT dev and test) and the experiments behind the choices: models/README.md.
#include "nlp/parser.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ml/linear_model.h"
#include "util/binary.h"

namespace dyad::nlp {
namespace {

using ml::FeatureHash;

constexpr char kMagic[] = "dyad-parser";
constexpr uint32_t kFormatVersion = 1;
// Bumped whenever the features change: a model trained with other features is refused.
constexpr uint32_t kFeatureSet = 1;
constexpr int kMaxLabels = 126;  // class ids (2L+1 of them) fit in a byte below 254
constexpr int kMaxBeam = 256;

// ---------------------------------------------------------------------------------------------
// Hashing.

inline uint64_t Mix(uint64_t h) { return FeatureHash::Mix(h); }
constexpr uint64_t kT = 0x9e3779b97f4a7c15ull;
constexpr uint64_t kB = 0xc2b2ae3d27d4eb4full;
constexpr uint64_t kC = 0x165667b19e3779f9ull;
constexpr uint64_t kD = 0x27d4eb2f165667c5ull;
constexpr uint64_t kE = 0x94d049bb133111ebull;
constexpr uint64_t kF = 0xbf58476d1ce4e5b9ull;

inline uint64_t F(uint64_t t, uint64_t a) { return Mix(a + t * kT); }
inline uint64_t F(uint64_t t, uint64_t a, uint64_t b) { return Mix(a + t * kT + b * kB); }
inline uint64_t F(uint64_t t, uint64_t a, uint64_t b, uint64_t c) {
  return Mix(a + t * kT + b * kB + c * kC);
}
inline uint64_t F(uint64_t t, uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
  return Mix(a + t * kT + b * kB + c * kC + d * kD);
}

uint64_t HashStr(std::string_view s, uint64_t salt) { return Mix(FeatureHash::String(s) + salt); }

std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

// What the features see of one word. Index 0 of a sentence's array is "no word".
struct Tok {
  uint64_t w = 0;     // lower-cased form
  uint64_t p = 0;     // XPOS
  uint64_t u = 0;     // UPOS
  uint64_t l = 0;     // lemma
  uint64_t m = 0;     // morphological features
  uint64_t s = 0;     // last three bytes of the lower-cased form
  uint64_t wp = 0;    // form + XPOS
  uint64_t sh = 0;    // shape: character classes of the form ("Xx", "d,d", ...)
  int32_t punct = 0;  // words tagged PUNCT among 1..this word
  int32_t verbs = 0;  // words tagged VERB or AUX among 1..this word
};

std::string Shape(std::string_view form) {
  std::string r;
  for (unsigned char c : form) {
    char k = c >= 'A' && c <= 'Z'   ? 'X'
             : c >= 'a' && c <= 'z' ? 'x'
             : c >= '0' && c <= '9' ? 'd'
             : c >= 0x80            ? 'u'
                                    : static_cast<char>(c);
    if (r.empty() || r.back() != k) r += k;
    if (r.size() >= 6) break;
  }
  return r;
}

Tok NoneTok() {
  Tok t;
  t.w = HashStr("\x01none-w", 1);
  t.p = HashStr("\x01none-p", 2);
  t.u = HashStr("\x01none-u", 3);
  t.l = HashStr("\x01none-l", 4);
  t.m = HashStr("\x01none-m", 5);
  t.s = HashStr("\x01none-s", 6);
  t.sh = HashStr("\x01none-sh", 7);
  t.wp = Mix(t.w + t.p * kB);
  return t;
}

Tok MakeTok(const Word& w) {
  Tok t;
  const std::string lower = Lower(w.form);
  t.w = HashStr(lower, 1);
  t.p = HashStr(w.xpos, 2);
  t.u = HashStr(w.upos, 3);
  t.l = HashStr(Lower(w.lemma), 4);
  t.m = HashStr(w.feats, 5);
  t.s = HashStr(std::string_view(lower).substr(lower.size() > 3 ? lower.size() - 3 : 0), 6);
  t.sh = HashStr(Shape(w.form), 7);
  t.wp = Mix(t.w + t.p * kB);
  return t;
}

// ---------------------------------------------------------------------------------------------
// Weights. Scores are integers: training updates are +-1, and the shipped model stores int16.

inline int RoundUp8(int x) { return (x + 7) & ~7; }

// Four int32 lanes (GCC/Clang vector extension: SSE2 on x86-64, no -march needed).
typedef int32_t V4 __attribute__((vector_size(16)));
inline V4 LoadV4(const int32_t* p) {
  V4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// vec[0..width) += row[0..width) (int16 -> int32); width is a multiple of 8.
inline void AddRow(const int16_t* row, int width, int32_t* vec) {
#if defined(__SSE2__)
  for (int c = 0; c < width; c += 8) {
    const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + c));
    const __m128i lo = _mm_srai_epi32(_mm_unpacklo_epi16(h, h), 16);
    const __m128i hi = _mm_srai_epi32(_mm_unpackhi_epi16(h, h), 16);
    __m128i* out = reinterpret_cast<__m128i*>(vec + c);
    _mm_storeu_si128(out, _mm_add_epi32(_mm_loadu_si128(out), lo));
    _mm_storeu_si128(out + 1, _mm_add_epi32(_mm_loadu_si128(out + 1), hi));
  }
#else
  for (int c = 0; c < width; ++c) vec[c] += row[c];
#endif
}

// The shipped model: feature -> sparse run of (class, int16 weight).
class Model {
 public:
  int num_classes() const { return num_classes_; }
  size_t num_features() const { return keys_.size(); }

  // Feature lookup in three phases so that the cache misses of many lookups overlap:
  // Prefetch(key) for all of them, then Locate(key) (a handle, or kAbsent; it prefetches the
  // weights if they are not in the slot), then Accumulate(handle, vec): vec[c] += w(key, c).
  static constexpr uint32_t kAbsent = 0xffffffffu;
  void Prefetch(uint64_t key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[(key ? key : 1) & mask_]);
  }
  uint32_t Locate(uint64_t key) const {
    if (slots_.empty()) return kAbsent;
    key = key ? key : 1;
    const uint32_t fp = Fingerprint(key);
    for (size_t s = key & mask_;; s = (s + 1) & mask_) {
      const Slot& e = slots_[s];
      if (e.fp == 0) return kAbsent;
      if (e.fp == fp) {
        // The whole run, not only its first cache line: a dense row is 2 * width_ bytes
        // (three lines for UD's labels); an overflow run holds at most kDenseMin classes,
        // 3 * kDenseMin + 1 bytes, so it spans two lines at most.
        if (e.cls[0] == kOverflow) {
          const uint8_t* p = blob_.data() + Offset(e);
          __builtin_prefetch(p);
          __builtin_prefetch(p + 64);
        } else if (e.cls[0] == kDense) {
          const char* p = reinterpret_cast<const char*>(dense_.data() + Offset(e));
          for (int b = 0; b < 2 * width_; b += 64) __builtin_prefetch(p + b);
        }
        return static_cast<uint32_t>(s);
      }
    }
  }
  void Accumulate(uint32_t handle, int32_t* vec) const {
    const Slot& e = slots_[handle];
    if (e.cls[0] == kDense) {
      AddRow(dense_.data() + Offset(e), width_, vec);
      return;
    }
    if (e.cls[0] != kOverflow) {
      for (int j = 0; j < kInline; ++j)
        if (e.cls[j] != kUnused) vec[e.cls[j]] += e.w[j];
      return;
    }
    const uint8_t* p = blob_.data() + Offset(e);
    const int cnt = p[0];
    const uint8_t* cls = p + 1;
    const uint8_t* w = p + 1 + cnt;
    for (int j = 0; j < cnt; ++j) {
      int16_t v;
      std::memcpy(&v, w + 2 * j, 2);
      vec[cls[j]] += v;
    }
  }

  void Serialize(BinaryWriter* w) const {
    w->U32(static_cast<uint32_t>(num_classes_));
    w->PodVector(keys_);
    w->PodVector(blob_);
  }

  static Result<Model> Parse(BinaryReader* r) {
    Model m;
    m.num_classes_ = static_cast<int>(r->U32());
    m.keys_ = r->PodVector<uint64_t>();
    m.blob_ = r->PodVector<uint8_t>();
    DYAD_RETURN_IF_ERROR(r->status());
    if (m.num_classes_ < 1 || m.num_classes_ > 2 * kMaxLabels + 1)
      return Status::Error("weight table: bad number of classes");
    if (m.blob_.size() >= (1ull << 32)) return Status::Error("weight table: too large");
    std::vector<uint32_t> offsets;
    offsets.reserve(m.keys_.size());
    size_t pos = 0;
    for (size_t i = 0; i < m.keys_.size(); ++i) {
      if (i > 0 && m.keys_[i] <= m.keys_[i - 1])
        return Status::Error("weight table: keys out of order");
      if (pos >= m.blob_.size()) return Status::Error("weight table: truncated runs");
      const size_t cnt = m.blob_[pos];
      if (cnt == 0 || cnt > static_cast<size_t>(m.num_classes_) ||
          3 * cnt + 1 > m.blob_.size() - pos)
        return Status::Error("weight table: bad run");
      for (size_t j = 0; j < cnt; ++j) {
        const int c = m.blob_[pos + 1 + j];
        if (c >= m.num_classes_ || (j > 0 && c <= m.blob_[pos + j]))
          return Status::Error("weight table: bad class id");
      }
      offsets.push_back(static_cast<uint32_t>(pos));
      pos += 3 * cnt + 1;
    }
    if (pos != m.blob_.size()) return Status::Error("weight table: trailing bytes in runs");
    m.BuildSlots(offsets);
    return m;
  }

  // The sum of several models' weights, requantised to int16, keeping the `max_features`
  // features with the most summed |weight| (0: all). The int16 weights are added as they are:
  // each model was quantised against its own largest weight, so each enters normalised to it
  // (the float scale is not stored; it only matters for comparing models, and seeds of one
  // setup differ little in it). All models must have the same classes.
  static Model Sum(const std::vector<const Model*>& parts, size_t max_features) {
    const int nc = parts[0]->num_classes_;
    struct Feat {
      uint64_t key;
      int64_t mass;
      std::vector<std::pair<uint8_t, int32_t>> run;
    };
    std::vector<Feat> feats;
    std::vector<size_t> at(parts.size(), 0), pos(parts.size(), 0);
    std::vector<int32_t> acc(nc, 0);
    for (;;) {
      uint64_t k = UINT64_MAX;
      bool any = false;
      for (size_t m = 0; m < parts.size(); ++m)
        if (at[m] < parts[m]->keys_.size()) {
          k = std::min(k, parts[m]->keys_[at[m]]);
          any = true;
        }
      if (!any) break;
      std::fill(acc.begin(), acc.end(), 0);
      for (size_t m = 0; m < parts.size(); ++m) {
        if (at[m] >= parts[m]->keys_.size() || parts[m]->keys_[at[m]] != k) continue;
        const uint8_t* p = parts[m]->blob_.data() + pos[m];
        const int cnt = p[0];
        for (int j = 0; j < cnt; ++j) {
          int16_t v;
          std::memcpy(&v, p + 1 + cnt + 2 * j, 2);
          acc[p[1 + j]] += v;
        }
        pos[m] += 3 * static_cast<size_t>(cnt) + 1;
        ++at[m];
      }
      Feat f{k, 0, {}};
      for (int c = 0; c < nc; ++c)
        if (acc[c] != 0) {
          f.run.push_back({static_cast<uint8_t>(c), acc[c]});
          f.mass += std::abs(acc[c]);
        }
      if (!f.run.empty()) feats.push_back(std::move(f));
    }
    KeepHeaviest(&feats, max_features);
    int32_t max_abs = 1;
    for (const Feat& f : feats)
      for (const auto& [c, v] : f.run) max_abs = std::max(max_abs, std::abs(v));
    const double scale = max_abs > 32767 ? 32767.0 / max_abs : 1.0;
    Builder out(nc);
    std::vector<std::pair<uint8_t, int16_t>> run;
    for (const Feat& f : feats) {
      run.clear();
      for (const auto& [c, v] : f.run) {
        const long q = std::lround(v * scale);
        if (q != 0) run.push_back({c, static_cast<int16_t>(q)});
      }
      out.Add(f.key, run);
    }
    return out.Build();
  }

  // Keeps the `max_features` features with the most mass (0: all), in increasing key order.
  // Ties go to the smaller key, so the choice does not depend on the input order.
  template <class Feat>
  static void KeepHeaviest(std::vector<Feat>* feats, size_t max_features) {
    if (max_features > 0 && feats->size() > max_features) {
      std::nth_element(feats->begin(), feats->begin() + max_features, feats->end(),
                       [](const Feat& a, const Feat& b) {
                         return a.mass != b.mass ? a.mass > b.mass : a.key < b.key;
                       });
      feats->resize(max_features);
    }
    std::sort(feats->begin(), feats->end(),
              [](const Feat& a, const Feat& b) { return a.key < b.key; });
  }

  // Lays out quantised runs, added in increasing key order, as a model.
  class Builder {
   public:
    explicit Builder(int num_classes) : num_classes_(num_classes) {}
    // `run`: (class, weight) pairs in increasing class order, no weight zero; an empty run
    // adds nothing.
    void Add(uint64_t key, const std::vector<std::pair<uint8_t, int16_t>>& run) {
      if (run.empty()) return;
      keys_.push_back(key);
      offsets_.push_back(static_cast<uint32_t>(blob_.size()));
      blob_.push_back(static_cast<uint8_t>(run.size()));
      for (const auto& [c, w] : run) blob_.push_back(c);
      for (const auto& [c, w] : run) {
        uint8_t b[2];
        std::memcpy(b, &w, 2);
        blob_.push_back(b[0]);
        blob_.push_back(b[1]);
      }
    }
    Model Build() {
      Model m;
      m.num_classes_ = num_classes_;
      m.keys_ = std::move(keys_);
      m.blob_ = std::move(blob_);
      m.BuildSlots(offsets_);
      return m;
    }

   private:
    int num_classes_;
    std::vector<uint64_t> keys_;
    std::vector<uint8_t> blob_;
    std::vector<uint32_t> offsets_;
  };

 private:
  // Runtime table: one 16-byte slot per feature holds up to kInline weights itself (most
  // features have few classes), so a lookup usually touches one cache line; the others keep
  // an offset to their run in blob_.
  static constexpr int kInline = 4;
  // Markers in cls[0]; class ids are below them. kOverflow: the run is in blob_; kDense: the
  // weights are a row of dense_ (runs of more than kDenseMin classes: frequent features, whose
  // long runs are added faster as one SIMD row than class by class).
  static constexpr uint8_t kUnused = 255, kOverflow = 254, kDense = 253;
  static constexpr int kDenseMin = 24;
  struct Slot {
    uint32_t fp;  // 0 = empty
    uint8_t cls[kInline];
    int16_t w[kInline];
  };
  static_assert(sizeof(Slot) == 16);
  static uint32_t Fingerprint(uint64_t key) { return static_cast<uint32_t>(key >> 32) | 1u; }
  static uint32_t Offset(const Slot& e) {
    uint32_t off;
    std::memcpy(&off, e.w, 4);
    return off;
  }

  void BuildSlots(const std::vector<uint32_t>& offsets) {
    width_ = RoundUp8(num_classes_);
    // The dense rows are counted first and allocated once: grown row by row, the copies and
    // page faults of a table of ~100 MB doubled the load time of a large (combined) model.
    size_t rows = 0;
    for (size_t i = 0; i < keys_.size(); ++i) rows += blob_[offsets[i]] > kDenseMin;
    dense_.assign(rows * width_, 0);
    size_t next_row = 0;
    size_t cap = 16;
    while (cap < keys_.size() + keys_.size() / 2 + 1) cap *= 2;
    slots_.assign(cap, Slot{0, {0, 0, 0, 0}, {0, 0, 0, 0}});
    mask_ = cap - 1;
    for (size_t i = 0; i < keys_.size(); ++i) {
      const uint64_t k = keys_[i];
      size_t s = k & mask_;
      while (slots_[s].fp != 0) s = (s + 1) & mask_;
      Slot& e = slots_[s];
      e.fp = Fingerprint(k);
      const uint8_t* p = blob_.data() + offsets[i];
      const int cnt = p[0];
      if (cnt > kDenseMin) {
        const uint32_t row = static_cast<uint32_t>(next_row);
        next_row += width_;
        for (int j = 0; j < cnt; ++j) std::memcpy(&dense_[row + p[1 + j]], p + 1 + cnt + 2 * j, 2);
        e.cls[0] = kDense;
        std::memcpy(e.w, &row, 4);
      } else if (cnt <= kInline) {
        for (int j = 0; j < kInline; ++j) {
          e.cls[j] = j < cnt ? p[1 + j] : kUnused;
          e.w[j] = 0;
          if (j < cnt) std::memcpy(&e.w[j], p + 1 + cnt + 2 * j, 2);
        }
      } else {
        e.cls[0] = kOverflow;
        std::memcpy(e.w, &offsets[i], 4);
      }
    }
  }

  int num_classes_ = 1;
  std::vector<uint64_t> keys_;  // increasing
  std::vector<uint8_t> blob_;   // per feature: u8 n, n class ids, n int16 weights (LE)
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  int width_ = 8;               // num_classes_ rounded up to a multiple of 8
  std::vector<int16_t> dense_;  // rows of width_ weights
};

// Training weights: the averaged perceptron, with Daume's trick (w and the sum of clock*delta)
// so that an update costs O(1) and averaging happens once at the end. Each feature's entries
// are one contiguous block of an arena (moved to the end, twice as big, when it fills up), so
// a lookup costs two cache misses and can be prefetched like Model's.
class TrainWeights {
 public:
  static constexpr uint32_t kAbsent = 0xffffffffu;

  explicit TrainWeights(int num_classes)
      : num_classes_(num_classes), width_(RoundUp8(num_classes)) {
    keys_.assign(1 << 20, 0);
    where_.assign(1 << 20, 0);
    mask_ = keys_.size() - 1;
  }

  void Prefetch(uint64_t key) const { __builtin_prefetch(&keys_[(key ? key : 1) & mask_]); }
  uint32_t Locate(uint64_t key) const {
    key = key ? key : 1;
    for (size_t s = key & mask_;; s = (s + 1) & mask_) {
      const uint64_t k = keys_[s];
      if (k == 0) return kAbsent;
      if (k == key) {
        const uint32_t b = where_[s];
        if (b & kDenseBit)
          __builtin_prefetch(&dense_w_[static_cast<size_t>(b & ~kDenseBit) * width_]);
        else
          __builtin_prefetch(&arena_[b]);
        return b;
      }
    }
  }
  void Accumulate(uint32_t block, int32_t* vec) const {
    if (block & kDenseBit) {
      const int32_t* row = &dense_w_[static_cast<size_t>(block & ~kDenseBit) * width_];
      for (int c = 0; c < width_; c += 4) {
        V4 x = LoadV4(vec + c) + LoadV4(row + c);
        std::memcpy(vec + c, &x, sizeof x);
      }
      return;
    }
    const Entry* e = &arena_[block];
    const int cnt = e->cls;
    for (int j = 1; j <= cnt; ++j) vec[e[j].cls] += e[j].w;
  }

  void Update(const uint64_t* keys, int n, int cls, int delta) {
    for (int i = 0; i < n; ++i) {
      const size_t s = Slot(keys[i]);
      uint32_t b = where_[s];
      if (b & kDenseBit) {
        const size_t at = static_cast<size_t>(b & ~kDenseBit) * width_ + cls;
        dense_w_[at] += delta;
        dense_u_[at] += clock_ * delta;
        continue;
      }
      int cnt = arena_[b].cls;
      int j = 1;
      while (j <= cnt && arena_[b + j].cls != cls) ++j;
      if (j > cnt) {
        if (cnt == kDenseMin) {  // a frequent feature: make it a dense row
          const uint32_t row = static_cast<uint32_t>(dense_w_.size() / width_);
          dense_w_.resize(dense_w_.size() + width_, 0);
          dense_u_.resize(dense_u_.size() + width_, 0);
          for (int k = 1; k <= cnt; ++k) {
            dense_w_[static_cast<size_t>(row) * width_ + arena_[b + k].cls] = arena_[b + k].w;
            dense_u_[static_cast<size_t>(row) * width_ + arena_[b + k].cls] = arena_[b + k].u;
          }
          where_[s] = row | kDenseBit;
          --i;  // redo this key as a dense update
          continue;
        }
        if (cnt == arena_[b].w) {  // full: move to a block twice as big
          const uint32_t nb = static_cast<uint32_t>(arena_.size());
          arena_.resize(arena_.size() + 1 + 2 * cnt);
          std::copy(arena_.begin() + b, arena_.begin() + b + 1 + cnt, arena_.begin() + nb);
          arena_[nb].w = 2 * cnt;
          where_[s] = b = nb;
        }
        arena_[b].cls = static_cast<uint16_t>(++cnt);
        arena_[b + j] = {0, 0, static_cast<uint16_t>(cls)};
      }
      Entry& e = arena_[b + j];
      e.w += delta;
      e.u += clock_ * delta;
    }
  }
  void Tick() { ++clock_; }
  size_t num_features() const { return used_; }

  // The averaged model, keeping the `max_features` features with the largest summed |weight|
  // (0: all). Weights are quantised to int16 with one scale for the whole table.
  Model Finalize(size_t max_features) const {
    struct Feat {
      uint64_t key;
      double mass;
      uint32_t block;
    };
    const double T = static_cast<double>(clock_ > 1 ? clock_ - 1 : 1);
    auto avg = [&](int64_t w, int64_t u) {
      return (static_cast<double>(clock_) * static_cast<double>(w) - static_cast<double>(u)) / T;
    };
    // fn(class, averaged weight) for every class of a block.
    auto for_each = [&](uint32_t block, auto&& fn) {
      if (block & kDenseBit) {
        const size_t row = static_cast<size_t>(block & ~kDenseBit) * width_;
        for (int c = 0; c < num_classes_; ++c)
          if (dense_w_[row + c] != 0 || dense_u_[row + c] != 0)
            fn(c, avg(dense_w_[row + c], dense_u_[row + c]));
      } else {
        const Entry* e = &arena_[block];
        for (int j = 1; j <= e->cls; ++j) fn(e[j].cls, avg(e[j].w, e[j].u));
      }
    };
    std::vector<Feat> feats;
    feats.reserve(used_);
    for (size_t s = 0; s < keys_.size(); ++s) {
      if (keys_[s] == 0) continue;
      double mass = 0;
      for_each(where_[s], [&](int, double a) { mass += std::fabs(a); });
      if (mass > 0) feats.push_back({keys_[s], mass, where_[s]});
    }
    Model::KeepHeaviest(&feats, max_features);
    double max_abs = 0;
    for (const Feat& f : feats)
      for_each(f.block, [&](int, double a) { max_abs = std::max(max_abs, std::fabs(a)); });
    const double scale = max_abs > 0 ? max_abs / 32767.0 : 1.0;
    Model::Builder out(num_classes_);
    std::vector<std::pair<uint8_t, int16_t>> run;
    for (const Feat& f : feats) {
      run.clear();
      for_each(f.block, [&](int c, double a) {
        const long q = std::lround(a / scale);
        if (q != 0) run.push_back({static_cast<uint8_t>(c), static_cast<int16_t>(q)});
      });
      std::sort(run.begin(), run.end());
      out.Add(f.key, run);
    }
    return out.Build();
  }

 private:
  // An arena block: a header (cls = number of entries, w = capacity) and the entries.
  struct Entry {
    int64_t u;  // sum of clock * delta
    int32_t w;  // current weight
    uint16_t cls;
  };

  // The slot of `key`, inserting it (with an empty block) if absent.
  size_t Slot(uint64_t key) {
    key = key ? key : 1;
    size_t s = key & mask_;
    for (;; s = (s + 1) & mask_) {
      if (keys_[s] == key) return s;
      if (keys_[s] == 0) break;
    }
    if ((used_ + 1) * 2 > keys_.size()) {
      Grow();
      return Slot(key);
    }
    keys_[s] = key;
    where_[s] = static_cast<uint32_t>(arena_.size());
    arena_.push_back({0, 2, 0});
    arena_.resize(arena_.size() + 2);
    ++used_;
    return s;
  }

  void Grow() {
    std::vector<uint64_t> old_keys = std::move(keys_);
    std::vector<uint32_t> old_where = std::move(where_);
    keys_.assign(old_keys.size() * 2, 0);
    where_.assign(old_keys.size() * 2, 0);
    mask_ = keys_.size() - 1;
    for (size_t i = 0; i < old_keys.size(); ++i) {
      if (old_keys[i] == 0) continue;
      size_t s = old_keys[i] & mask_;
      while (keys_[s] != 0) s = (s + 1) & mask_;
      keys_[s] = old_keys[i];
      where_[s] = old_where[i];
    }
  }

  static constexpr uint32_t kDenseBit = 0x80000000u;  // where_: a row of dense_w_/dense_u_
  static constexpr int kDenseMin = 24;  // a feature with more classes gets a dense row

  int num_classes_;
  int width_;
  int64_t clock_ = 1;
  std::vector<uint64_t> keys_;   // open addressing, 0 = empty
  std::vector<uint32_t> where_;  // block of each slot in arena_, or kDenseBit | row
  std::vector<int32_t> dense_w_;
  std::vector<int64_t> dense_u_;
  size_t mask_;
  size_t used_ = 0;
  std::vector<Entry> arena_;
};

// ---------------------------------------------------------------------------------------------
// Parser states. Stack nodes are immutable and shared between beam items: an action creates
// one new node (the new top) that points below it, so every transition is O(1).

struct Node {
  const Node* below = nullptr;
  const Node* lc1 = nullptr;    // leftmost child
  const Node* lc2 = nullptr;    // second leftmost
  const Node* rc1 = nullptr;    // rightmost child
  const Node* rc2 = nullptr;    // second rightmost
  uint64_t lset = 0, rset = 0;  // relations of the left / right children (bit = id % 64)
  uint64_t lsig = 0, rsig = 0;  // hashes of what the features of each side read (Sign)
  int32_t word = 0;             // 1-based
  int32_t depth = 0;            // stack size with this node on top
  int16_t lc1l = -1, lc2l = -1, rc1l = -1, rc2l = -1;
  uint16_t nl = 0, nr = 0;
};

struct State {
  const Node* top = nullptr;
  const State* prev = nullptr;
  int64_t score = 0;
  int32_t buf = 1;  // next buffer word, n+1 when empty
  int32_t action = -1;
  bool gold = true;  // every action so far is the oracle's (training only)
};

inline int W(const Node* n) { return n ? n->word : 0; }
inline uint64_t Cap(int v) { return static_cast<uint64_t>(std::min(v, 7)); }
inline uint64_t Lab(int l) { return static_cast<uint64_t>(l + 2); }

// Hashes of everything the features of each side of a subtree read (see kGS0Left etc.).
void Sign(Node* x) {
  auto side = [x](const Node* c1, const Node* c2, int l1, int l2, int count, uint64_t set) {
    uint64_t h = static_cast<uint64_t>(x->word);
    auto add = [&h](uint64_t v) { h = Mix(h + v * kB); };
    add(static_cast<uint64_t>(W(c1)) | static_cast<uint64_t>(W(c2)) << 32);
    add(Lab(l1) | Lab(l2) << 16 | Cap(count) << 32);
    add(set);
    return Mix(h);
  };
  x->lsig = side(x->lc1, x->lc2, x->lc1l, x->lc2l, x->nl, x->lset);
  x->rsig = side(x->rc1, x->rc2, x->rc1l, x->rc2l, x->nr, x->rset);
}

// Class ids: 0 SHIFT, 1..L LEFT-ARC(label-1), L+1..2L RIGHT-ARC(label-L-1).
inline bool Valid(const State& s, int n, int cls) {
  if (cls == 0) return s.buf <= n;
  return s.top != nullptr && s.top->depth >= 2;
}

void Apply(const State& from, int cls, int num_labels, Node* node, State* to) {
  to->prev = &from;
  to->action = cls;
  to->buf = from.buf;
  const Node* s0 = from.top;
  if (cls == 0) {
    *node = Node();
    node->word = from.buf;
    node->below = s0;
    node->depth = s0 ? s0->depth + 1 : 1;
    to->buf = from.buf + 1;
  } else if (cls <= num_labels) {  // s0 -> s1
    const int16_t l = static_cast<int16_t>(cls - 1);
    const Node* s1 = s0->below;
    *node = *s0;
    node->below = s1->below;
    node->depth = s0->depth - 1;
    node->lc2 = s0->lc1;
    node->lc2l = s0->lc1l;
    node->lc1 = s1;
    node->lc1l = l;
    node->nl = static_cast<uint16_t>(std::min(s0->nl + 1, 65535));
    node->lset |= 1ull << (l & 63);
  } else {  // s1 -> s0
    const int16_t l = static_cast<int16_t>(cls - num_labels - 1);
    const Node* s1 = s0->below;
    *node = *s1;
    node->rc2 = s1->rc1;
    node->rc2l = s1->rc1l;
    node->rc1 = s0;
    node->rc1l = l;
    node->nr = static_cast<uint16_t>(std::min(s1->nr + 1, 65535));
    node->rset |= 1ull << (l & 63);
  }
  Sign(node);
  to->top = node;
}

// ---------------------------------------------------------------------------------------------
// Features, in groups by what they depend on (see the header comment).

enum Group {
  kGBuf,      // n0, n1, n2
  kGS0,       // the word at s0
  kGS1,       // the word at s1
  kGS0S1,     // the words at s0 and s1
  kGS0N0,     // s0 and the buffer
  kGS0S1N0,   // s0, s1 and the buffer
  kGS0S1S2,   // the words at s0, s1, s2
  kGS0Left,   // s0 and its left children
  kGS0Right,  // s0 and its right children
  kGS1Left,   // s1 and its left children
  kGS1Right,  // s1 and its right children
  kGCross,    // s0, s1 and their outermost children
  kNumGroups
};
constexpr int kMaxGroupFeatures = 32;
constexpr int kMaxFeatures = kNumGroups * kMaxGroupFeatures;

struct View {
  const Node* s0;
  const Node* s1;
  const Node* s2;
  int buf;  // 1..n+1
  int n;
};

inline View MakeView(const State& st, int n) {
  View v;
  v.s0 = st.top;
  v.s1 = v.s0 ? v.s0->below : nullptr;
  v.s2 = v.s1 ? v.s1->below : nullptr;
  v.buf = st.buf;
  v.n = n;
  return v;
}

inline uint64_t GroupKey(int g, const View& v) {
  const uint64_t a = static_cast<uint64_t>(W(v.s0)), b = static_cast<uint64_t>(W(v.s1));
  const uint64_t q = static_cast<uint64_t>(v.buf);
  const uint64_t g8 = static_cast<uint64_t>(g + 1) << 56;
  switch (g) {
    case kGBuf:
      return g8 | q;
    case kGS0:
      return g8 | a;
    case kGS1:
      return g8 | b;
    case kGS0S1:
      return g8 | a << 24 | b;
    case kGS0N0:
      return g8 | a << 24 | q;
    case kGS0S1N0:
      return Mix(g8 | a << 48 | b << 24 | q);
    case kGS0S1S2:
      return Mix(g8 | a << 48 | b << 24 | static_cast<uint64_t>(W(v.s2)));
    case kGS0Left:
      return v.s0 ? Mix(v.s0->lsig + g8) : g8;
    case kGS0Right:
      return v.s0 ? Mix(v.s0->rsig + g8) : g8;
    case kGS1Left:
      return v.s1 ? Mix(v.s1->lsig + g8) : g8;
    case kGS1Right:
      return v.s1 ? Mix(v.s1->rsig + g8) : g8;
    default: {
      const uint64_t c0 = v.s0 ? Mix(static_cast<uint64_t>(W(v.s0->lc1)) << 32 | W(v.s0->rc1)) +
                                     (Lab(v.s0->lc1l) << 16 | Lab(v.s0->rc1l))
                               : 0;
      const uint64_t c1 = v.s1 ? Mix(static_cast<uint64_t>(W(v.s1->lc1)) << 32 | W(v.s1->rc1)) +
                                     (Lab(v.s1->lc1l) << 16 | Lab(v.s1->rc1l))
                               : 0;
      return Mix(Mix(g8 | a << 24 | b) + c0 * kB + c1 * kC);
    }
  }
}

inline uint64_t DistBucket(int d) {
  if (d <= 5) return static_cast<uint64_t>(d);
  if (d <= 10) return 6;
  return 7;
}

// Writes the features of group `g` to f; returns how many.
int GroupFeatures(int g, const Tok* T, const View& v, uint64_t* f) {
  static const Node kEmpty;
  const int n = v.n;
  const Tok& S0 = T[W(v.s0)];
  const Tok& S1 = T[W(v.s1)];
  const Tok& N0 = T[v.buf <= n ? v.buf : 0];
  int k = 0;
  switch (g) {
    case kGBuf: {
      const Tok& N1 = T[v.buf + 1 <= n ? v.buf + 1 : 0];
      const Tok& N2 = T[v.buf + 2 <= n ? v.buf + 2 : 0];
      f[k++] = F(7, N0.w);
      f[k++] = F(8, N0.p);
      f[k++] = F(9, N0.wp);
      f[k++] = F(10, N1.w);
      f[k++] = F(11, N1.p);
      f[k++] = F(12, N1.wp);
      f[k++] = F(13, N2.p);
      f[k++] = F(14, N2.wp);
      f[k++] = F(33, N0.p, N1.p, N2.p);
      f[k++] = F(89, N0.l);
#ifndef PARSER_BASELINE
      f[k++] = F(120, N0.s);
      f[k++] = F(121, N0.u);
      f[k++] = F(122, N0.u, N1.u);
      f[k++] = F(123, N0.sh);
#endif
      break;
    }
    case kGS0:
      f[k++] = F(1, S0.w);
      f[k++] = F(2, S0.p);
      f[k++] = F(3, S0.wp);
      f[k++] = F(87, S0.l);
      f[k++] = F(93, S0.m);
#ifndef PARSER_BASELINE
      f[k++] = F(124, S0.s);
      f[k++] = F(125, S0.u);
      f[k++] = F(126, S0.sh);
#endif
      break;
    case kGS1:
      f[k++] = F(4, S1.w);
      f[k++] = F(5, S1.p);
      f[k++] = F(6, S1.wp);
      f[k++] = F(88, S1.l);
      f[k++] = F(94, S1.m);
#ifndef PARSER_BASELINE
      f[k++] = F(127, S1.s);
      f[k++] = F(128, S1.u);
#endif
      break;
    case kGS0S1: {
      const uint64_t d = (v.s0 && v.s1) ? DistBucket(v.s0->word - v.s1->word) : 0;
      f[k++] = F(17, S0.wp, S1.wp);
      f[k++] = F(18, S0.wp, S1.w);
      f[k++] = F(19, S0.w, S1.wp);
      f[k++] = F(20, S0.wp, S1.p);
      f[k++] = F(21, S0.p, S1.wp);
      f[k++] = F(22, S0.w, S1.w);
      f[k++] = F(23, S0.p, S1.p);
      f[k++] = F(41, S0.w, d);
      f[k++] = F(42, S0.p, d);
      f[k++] = F(43, S1.w, d);
      f[k++] = F(44, S1.p, d);
      f[k++] = F(45, S0.w, S1.w, d);
      f[k++] = F(46, S0.p, S1.p, d);
      f[k++] = F(90, S0.l, S1.l);
      f[k++] = F(91, S0.u, S1.u);
      f[k++] = F(95, S0.m, S1.m);
#ifndef PARSER_BASELINE
      if (v.s0 && v.s1) {
        const Tok& before = T[v.s0->word - 1];  // counts run up to the word before s0
        const uint64_t pb = static_cast<uint64_t>(std::min(before.punct - S1.punct, 3));
        const uint64_t vb = static_cast<uint64_t>(std::min(before.verbs - S1.verbs, 2));
        f[k++] = F(129, S0.p, S1.p, pb);
        f[k++] = F(130, S0.p, S1.p, vb);
      } else {
        f[k++] = F(129, S0.p, S1.p, 9);
        f[k++] = F(130, S0.p, S1.p, 9);
      }
      f[k++] = F(131, S0.u, S1.u, d);
#endif
      break;
    }
    case kGS0N0: {
      const Tok& N1 = T[v.buf + 1 <= n ? v.buf + 1 : 0];
      f[k++] = F(24, S0.p, N0.p);
      f[k++] = F(25, S0.w, N0.w);
      f[k++] = F(26, S0.wp, N0.p);
      f[k++] = F(27, S0.p, N0.wp);
      f[k++] = F(29, S0.wp, N0.wp);
      f[k++] = F(32, S0.p, N0.p, N1.p);
#ifndef PARSER_BASELINE
      f[k++] = F(132, S0.p, N0.p, (v.s0 && v.buf <= n) ? DistBucket(v.buf - v.s0->word) : 0);
      f[k++] = F(133, S0.u, N0.u);
#endif
      break;
    }
    case kGS0S1N0:
      f[k++] = F(28, S1.p, N0.p);
      f[k++] = F(31, S0.p, S1.p, N0.p);
      f[k++] = F(38, S0.w, S1.p, N0.p);
      f[k++] = F(39, S0.p, S1.w, N0.p);
      f[k++] = F(40, S0.p, S1.p, N0.w);
      f[k++] = F(92, S0.u, S1.u, N0.u);
#ifndef PARSER_BASELINE
      f[k++] = F(134, S1.u, N0.u);
#endif
      break;
    case kGS0S1S2: {
      const Tok& S2 = T[W(v.s2)];
      f[k++] = F(15, S2.p);
      f[k++] = F(16, S2.wp);
      f[k++] = F(30, S0.p, S1.p, S2.p);
      break;
    }
    case kGS0Left:
    case kGS0Right:
    case kGS1Left:
    case kGS1Right: {
      const bool top = g == kGS0Left || g == kGS0Right;
      const Node& a = top ? (v.s0 ? *v.s0 : kEmpty) : (v.s1 ? *v.s1 : kEmpty);
      const Tok& S = top ? S0 : S1;
      const uint64_t o = top ? 0 : 100;  // template ids differ for s0 and s1
      if (g == kGS0Left || g == kGS1Left) {
        const Tok& L1 = T[W(a.lc1)];
        const Tok& L2 = T[W(a.lc2)];
        const uint64_t ll = Lab(a.lc1l), ll2 = Lab(a.lc2l), vl = Cap(a.nl);
        f[k++] = F(o + 47, S.w, vl);
        f[k++] = F(o + 48, S.p, vl);
        f[k++] = F(o + 55, L1.w);
        f[k++] = F(o + 56, L1.p);
        f[k++] = F(o + 57, ll);
        f[k++] = F(o + 67, L2.p);
        f[k++] = F(o + 68, ll2);
        f[k++] = F(o + 75, S.p, L1.p, L2.p);
        f[k++] = F(o + 79, S.w, a.lset);
        f[k++] = F(o + 80, S.p, a.lset);
      } else {
        const Tok& R1 = T[W(a.rc1)];
        const Tok& R2 = T[W(a.rc2)];
        const uint64_t rl = Lab(a.rc1l), rl2 = Lab(a.rc2l), vr = Cap(a.nr);
        f[k++] = F(o + 49, S.w, vr);
        f[k++] = F(o + 50, S.p, vr);
        f[k++] = F(o + 58, R1.w);
        f[k++] = F(o + 59, R1.p);
        f[k++] = F(o + 60, rl);
        f[k++] = F(o + 69, R2.p);
        f[k++] = F(o + 70, rl2);
        f[k++] = F(o + 76, S.p, R1.p, R2.p);
        f[k++] = F(o + 81, S.w, a.rset);
        f[k++] = F(o + 82, S.p, a.rset);
      }
      break;
    }
    default: {
      const Node& a = v.s0 ? *v.s0 : kEmpty;
      const Node& b = v.s1 ? *v.s1 : kEmpty;
      f[k++] = F(34, S1.p, S0.p, T[W(a.lc1)].p);
      f[k++] = F(35, S1.p, S0.p, T[W(a.rc1)].p);
      f[k++] = F(36, S1.p, T[W(b.lc1)].p, S0.p);
      f[k++] = F(37, S1.p, T[W(b.rc1)].p, S0.p);
      f[k++] = F(96, S0.p, Lab(a.lc1l), Lab(a.rc1l));
      f[k++] = F(196, S1.p, Lab(b.lc1l), Lab(b.rc1l));
      break;
    }
  }
  return k;
}

int AllFeatures(const Tok* T, const View& v, uint64_t* f) {
  int k = 0;
  for (int g = 0; g < kNumGroups; ++g) k += GroupFeatures(g, T, v, f + k);
  return k;
}

// ---------------------------------------------------------------------------------------------
// Beam search.

// Per-sentence memo: group key -> the group's summed weight vector (width classes, padded).
class Memo {
 public:
  static constexpr int kDirect = 3;  // groups kGBuf, kGS0, kGS1 are indexed by word, not hashed

  void Reset(int width, int n, size_t expected) {
    width_ = width;
    size_t cap = 256;
    while (cap < 2 * expected) cap *= 2;
    slots_.assign(cap, Slot{0, 0});
    mask_ = cap - 1;
    used_ = 0;
    pool_used_ = 0;
    for (auto& d : direct_) d.assign(n + 2, kNone);
  }
  // Index of the vector for `key`; a new one is zero and *fresh is set (the caller fills it).
  uint32_t Find(uint64_t key, bool* fresh) {
    key = key ? key : 1;
    size_t s = key & mask_;
    for (;; s = (s + 1) & mask_) {
      if (slots_[s].key == key) {
        *fresh = false;
        return slots_[s].val;
      }
      if (slots_[s].key == 0) break;
    }
    const uint32_t idx = NewVec();
    slots_[s] = Slot{key, idx};
    if (++used_ * 2 > slots_.size()) Grow();
    *fresh = true;
    return idx;
  }
  // The same for the direct groups; `index` is in [0, n+1].
  uint32_t FindDirect(int group, int index, bool* fresh) {
    uint32_t& d = direct_[group][index];
    *fresh = d == kNone;
    if (*fresh) d = NewVec();
    return d;
  }
  int32_t* Vec(uint32_t idx) { return pool_.data() + static_cast<size_t>(idx) * width_; }

 private:
  static constexpr uint32_t kNone = 0xffffffffu;
  struct Slot {
    uint64_t key;  // 0 = empty
    uint64_t val;
  };
  uint32_t NewVec() {
    const uint32_t idx = static_cast<uint32_t>(pool_used_ / width_);
    if (pool_used_ + width_ > pool_.size()) pool_.resize(2 * pool_.size() + 64 * width_);
    std::memset(pool_.data() + pool_used_, 0, sizeof(int32_t) * width_);
    pool_used_ += width_;
    return idx;
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.size() * 2, Slot{0, 0});
    mask_ = slots_.size() - 1;
    for (const Slot& o : old) {
      if (o.key == 0) continue;
      size_t s = o.key & mask_;
      while (slots_[s].key != 0) s = (s + 1) & mask_;
      slots_[s] = o;
    }
  }
  int width_ = 8;
  std::vector<Slot> slots_;
  size_t mask_ = 0, used_ = 0;
  std::vector<int32_t> pool_;  // vectors of width_ scores; the first pool_used_ are in use
  size_t pool_used_ = 0;
  std::vector<uint32_t> direct_[kDirect];
};

struct Candidate {
  int64_t score;
  int32_t state;
  int32_t cls;
};
// Strict total order: higher score first, ties broken by position so results are deterministic.
inline bool Better(const Candidate& x, const Candidate& y) {
  if (x.score != y.score) return x.score > y.score;
  if (x.state != y.state) return x.state < y.state;
  return x.cls < y.cls;
}

struct Workspace {
  int n = 0;
  int num_labels = 0;
  int width = 8;  // number of classes rounded up to a multiple of 8
  std::vector<Tok> toks;
  std::vector<Node> nodes;
  std::vector<State> states;
  std::vector<Candidate> heap;
  std::vector<int32_t> accs;  // per scored state: its class scores (width each)
  std::vector<uint32_t> group_vecs;
  std::vector<uint64_t> pend_keys;  // features of memo vectors being filled
  std::vector<uint32_t> pend_vecs;
  std::vector<uint32_t> pend_where;
  std::vector<const State*> batch;
  uint64_t feats[kMaxFeatures];
  std::vector<int> actions;
  Memo memo;
  bool verify = false;  // CheckScoring(): compare every score with a direct computation
  bool verify_failed = false;
  // Training only.
  std::vector<Node> gold_nodes;
  std::vector<State> gold_states;
  std::vector<Node> replay_nodes;
  std::vector<State> replay_states;

  void Prepare(const Sentence& s, int beam, int labels) {
    n = static_cast<int>(s.words.size());
    num_labels = labels;
    width = RoundUp8(2 * labels + 1);
    toks.resize(n + 1);
    toks[0] = NoneTok();
    for (int i = 0; i < n; ++i) {
      const Word& w = s.words[i];
      Tok& t = toks[i + 1];
      t = MakeTok(w);
      t.punct = toks[i].punct + (w.upos == "PUNCT");
      t.verbs = toks[i].verbs + (w.upos == "VERB" || w.upos == "AUX");
    }
    const size_t steps = n > 0 ? static_cast<size_t>(2 * n - 1) : 0;
    // Pointers into these vectors are kept, so they must never reallocate during a search.
    nodes.clear();
    nodes.reserve(steps * beam + 1);
    states.clear();
    states.reserve(steps * beam + 1);
    heap.reserve(beam);
    memo.Reset(width, n, static_cast<size_t>(n) * 40);
  }
};

// Scores every class of each state in ws->batch: afterwards ws->accs holds batch.size() rows
// of ws->width scores. Group vectors not yet in the memo are computed together, their feature
// lookups in phases so that the cache misses overlap.
template <class Weights>
void ScoreBatch(const Weights& w, Workspace* ws) {
  const int count = static_cast<int>(ws->batch.size());
  const int width = ws->width;
  ws->group_vecs.resize(static_cast<size_t>(count) * kNumGroups);
  const size_t max_pending = static_cast<size_t>(count) * kMaxFeatures;
  if (ws->pend_keys.size() < max_pending) {
    ws->pend_keys.resize(max_pending);
    ws->pend_vecs.resize(max_pending);
    ws->pend_where.resize(max_pending);
  }
  uint64_t* pend_keys = ws->pend_keys.data();
  uint32_t* pend_vecs = ws->pend_vecs.data();
  uint32_t* pend_where = ws->pend_where.data();
  size_t np = 0;
  for (int i = 0; i < count; ++i) {
    const View v = MakeView(*ws->batch[i], ws->n);
    for (int g = 0; g < kNumGroups; ++g) {
      bool fresh;
      uint32_t idx;
      if (g == kGBuf) {
        idx = ws->memo.FindDirect(0, v.buf, &fresh);
      } else if (g == kGS0) {
        idx = ws->memo.FindDirect(1, W(v.s0), &fresh);
      } else if (g == kGS1) {
        idx = ws->memo.FindDirect(2, W(v.s1), &fresh);
      } else {
        idx = ws->memo.Find(GroupKey(g, v), &fresh);
      }
      ws->group_vecs[static_cast<size_t>(i) * kNumGroups + g] = idx;
      if (!fresh) continue;
      const int nf = GroupFeatures(g, ws->toks.data(), v, pend_keys + np);
      for (int k = 0; k < nf; ++k) {
        w.Prefetch(pend_keys[np + k]);
        pend_vecs[np + k] = idx;
      }
      np += nf;
    }
  }
  for (size_t k = 0; k < np; ++k) pend_where[k] = w.Locate(pend_keys[k]);
  for (size_t k = 0; k < np; ++k)
    if (pend_where[k] != Weights::kAbsent) w.Accumulate(pend_where[k], ws->memo.Vec(pend_vecs[k]));
  ws->accs.resize(static_cast<size_t>(count) * width);
  for (int i = 0; i < count; ++i) {
    int32_t* acc = ws->accs.data() + static_cast<size_t>(i) * width;
    const uint32_t* gv = ws->group_vecs.data() + static_cast<size_t>(i) * kNumGroups;
    const int32_t* vecs[kNumGroups];
    for (int g = 0; g < kNumGroups; ++g) vecs[g] = ws->memo.Vec(gv[g]);
    for (int c = 0; c < width; c += 8) {
      V4 lo = LoadV4(vecs[0] + c), hi = LoadV4(vecs[0] + c + 4);
      for (int g = 1; g < kNumGroups; ++g) {
        lo += LoadV4(vecs[g] + c);
        hi += LoadV4(vecs[g] + c + 4);
      }
      std::memcpy(acc + c, &lo, sizeof lo);
      std::memcpy(acc + c + 4, &hi, sizeof hi);
    }
    if (ws->verify) {
      std::vector<int32_t> ref(width, 0);
      uint64_t f[kMaxFeatures];
      const int nf = AllFeatures(ws->toks.data(), MakeView(*ws->batch[i], ws->n), f);
      for (int k = 0; k < nf; ++k) {
        const uint32_t where = w.Locate(f[k]);
        if (where != Weights::kAbsent) w.Accumulate(where, ref.data());
      }
      if (!std::equal(ref.begin(), ref.end(), acc)) ws->verify_failed = true;
    }
  }
}

// One step: expands every item of beam [begin, end) of ws->states and appends the best
// `beam` successors to ws->states (best first). Returns the number appended. With `extra`,
// that state is scored too (the last row of ws->accs): training's oracle path.
template <class Weights>
int Step(const Weights& w, int beam, size_t begin, size_t end, const State* extra, Workspace* ws) {
  const int n = ws->n;
  const int num_classes = 2 * ws->num_labels + 1;
  ws->batch.clear();
  for (size_t i = begin; i < end; ++i) ws->batch.push_back(&ws->states[i]);
  if (extra) ws->batch.push_back(extra);
  ScoreBatch(w, ws);
  auto& heap = ws->heap;
  heap.clear();
  // Candidates scoring below `floor` cannot enter the full heap (ties go to Better()).
  int64_t floor = INT64_MIN;
  for (size_t i = begin; i < end; ++i) {
    const State& st = ws->states[i];
    const int32_t* acc = ws->accs.data() + (i - begin) * ws->width;
    const int first = Valid(st, n, 0) ? 0 : 1;
    const int last = Valid(st, n, 1) ? num_classes : 1;  // arcs need two words on the stack
    for (int c = first; c < last; ++c) {
      const int64_t score = st.score + acc[c];
      if (score < floor) continue;
      const Candidate cand{score, static_cast<int32_t>(i), c};
      if (static_cast<int>(heap.size()) < beam) {
        heap.push_back(cand);
        std::push_heap(heap.begin(), heap.end(), Better);
      } else if (Better(cand, heap.front())) {
        std::pop_heap(heap.begin(), heap.end(), Better);
        heap.back() = cand;
        std::push_heap(heap.begin(), heap.end(), Better);
      } else {
        continue;
      }
      if (static_cast<int>(heap.size()) == beam) floor = heap.front().score;
    }
  }
  std::sort(heap.begin(), heap.end(), Better);
  for (const Candidate& c : heap) {
    const State& from = ws->states[c.state];
    ws->nodes.emplace_back();
    ws->states.emplace_back();
    State& to = ws->states.back();
    Apply(from, c.cls, ws->num_labels, &ws->nodes.back(), &to);
    to.score = c.score;
    to.gold = false;
  }
  return static_cast<int>(heap.size());
}

// Runs the search; returns the best final state.
template <class Weights>
const State* Search(const Weights& w, int beam, Workspace* ws) {
  ws->states.emplace_back();
  size_t begin = 0, end = 1;
  const int steps = 2 * ws->n - 1;
  for (int t = 0; t < steps; ++t) {
    const int added = Step(w, beam, begin, end, nullptr, ws);
    begin = end;
    end += added;
  }
  return &ws->states[begin];
}

// Heads and label ids from an action sequence (root: head 0, label -1).
void Replay(const std::vector<int>& actions, int n, int num_labels, std::vector<int>* heads,
            std::vector<int>* labels) {
  heads->assign(n + 1, 0);
  labels->assign(n + 1, -1);
  std::vector<int> stack;
  int buf = 1;
  for (int a : actions) {
    if (a == 0) {
      stack.push_back(buf++);
    } else {
      const int s0 = stack.back(), s1 = stack[stack.size() - 2];
      if (a <= num_labels) {
        (*heads)[s1] = s0;
        (*labels)[s1] = a - 1;
        stack[stack.size() - 2] = s0;
      } else {
        (*heads)[s0] = s1;
        (*labels)[s0] = a - num_labels - 1;
      }
      stack.pop_back();
    }
  }
}

void Backtrack(const State* st, std::vector<int>* actions) {
  actions->clear();
  for (; st && st->action >= 0; st = st->prev) actions->push_back(st->action);
  std::reverse(actions->begin(), actions->end());
}

// ---------------------------------------------------------------------------------------------
// Gold trees.

std::string_view UniversalPart(std::string_view rel) {
  const size_t c = rel.find(':');
  return c == std::string_view::npos ? rel : rel.substr(0, c);
}

// heads[1..n] (0 = root) form a tree with a single root?
bool IsTree(const std::vector<int>& heads, int n) {
  int roots = 0;
  for (int i = 1; i <= n; ++i) {
    if (heads[i] < 0 || heads[i] > n || heads[i] == i) return false;
    if (heads[i] == 0) ++roots;
  }
  if (roots != 1) return false;
  std::vector<int> color(n + 1, 0);  // 0 new, 1 on path, 2 reaches root
  color[0] = 2;
  for (int i = 1; i <= n; ++i) {
    int x = i;
    std::vector<int> path;
    while (color[x] == 0) {
      color[x] = 1;
      path.push_back(x);
      x = heads[x];
    }
    if (color[x] == 1) return false;
    for (int y : path) color[y] = 2;
  }
  return true;
}

bool Dominates(const std::vector<int>& heads, int h, int d) {
  while (d != 0 && d != h) d = heads[d];
  return d == h;
}

// Lifts non-projective arcs (shortest first) until the tree is projective.
void Projectivize(std::vector<int>* heads, int n) {
  for (;;) {
    int best = -1, best_len = 1 << 30;
    for (int d = 1; d <= n; ++d) {
      const int h = (*heads)[d];
      if (h == 0) continue;
      const int lo = std::min(h, d), hi = std::max(h, d);
      bool proj = true;
      for (int k = lo + 1; k < hi && proj; ++k) proj = Dominates(*heads, h, k);
      if (!proj && hi - lo < best_len) {
        best = d;
        best_len = hi - lo;
      }
    }
    if (best < 0) return;
    (*heads)[best] = (*heads)[(*heads)[best]];
  }
}

// The arc-standard static oracle; false if the tree is not projective.
bool Oracle(const std::vector<int>& heads, const std::vector<int>& labels, int n, int num_labels,
            std::vector<int>* actions) {
  actions->clear();
  std::vector<int> missing(n + 1, 0);  // children not yet attached
  for (int i = 1; i <= n; ++i) ++missing[heads[i]];
  std::vector<int> stack;
  int buf = 1;
  while (!(buf > n && stack.size() == 1)) {
    if (stack.size() >= 2) {
      const int s0 = stack.back(), s1 = stack[stack.size() - 2];
      if (heads[s1] == s0 && missing[s1] == 0) {
        actions->push_back(1 + labels[s1]);
        --missing[s0];
        stack[stack.size() - 2] = s0;
        stack.pop_back();
        continue;
      }
      if (heads[s0] == s1 && missing[s0] == 0) {
        actions->push_back(1 + num_labels + labels[s0]);
        --missing[s1];
        stack.pop_back();
        continue;
      }
    }
    if (buf > n) return false;
    actions->push_back(0);
    stack.push_back(buf++);
  }
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct Parser::Impl {
  std::vector<std::string> labels;  // relation of each label id (never "root"), sorted
  Model model;
  int beam = 8;

  int num_labels() const { return static_cast<int>(labels.size()); }

  template <class Weights>
  void ParseWith(const Weights& w, int beam_width, Sentence* s, Workspace* ws) const {
    const int n = static_cast<int>(s->words.size());
    if (n == 0) return;
    if (labels.empty()) {  // an untrained parser: a flat tree, still well-formed
      for (int i = 0; i < n; ++i) {
        s->words[i].head = i == 0 ? 0 : 1;
        s->words[i].deprel = i == 0 ? "root" : "dep";
      }
      return;
    }
    // Bounds the search's memory (about 2n * beam states) on pathological input.
    beam_width = std::max(1, std::min(beam_width, 1000000 / n));
    ws->Prepare(*s, beam_width, num_labels());
    const State* best = Search(w, beam_width, ws);
    Backtrack(best, &ws->actions);
    std::vector<int> heads, labs;
    Replay(ws->actions, n, num_labels(), &heads, &labs);
    for (int i = 1; i <= n; ++i) {
      Word& word = s->words[i - 1];
      word.head = heads[i];
      word.deprel = labs[i] >= 0 ? labels[labs[i]] : "root";
    }
  }
};

void AddAttachmentScore(const Sentence& gold, const Sentence& pred, AttachmentScore* score) {
  const size_t n = std::min(gold.words.size(), pred.words.size());
  score->words += gold.words.size();
  for (size_t i = 0; i < n; ++i) {
    const Word& g = gold.words[i];
    const Word& p = pred.words[i];
    if (g.head != p.head) continue;
    ++score->head_correct;
    if (UniversalPart(g.deprel) == UniversalPart(p.deprel)) ++score->labeled_correct;
  }
}

Parser::Parser() : impl_(std::make_unique<Impl>()) {}
Parser::~Parser() = default;
Parser::Parser(Parser&&) noexcept = default;
Parser& Parser::operator=(Parser&&) noexcept = default;

int Parser::beam() const { return impl_->beam; }
size_t Parser::num_features() const { return impl_->model.num_features(); }

void Parser::Parse(Sentence* s) const {
  thread_local Workspace ws;
  impl_->ParseWith(impl_->model, impl_->beam, s, &ws);
}

Status Parser::CheckScoring(const Sentence& s) const {
  Workspace ws;
  ws.verify = true;
  Sentence copy = s;
  impl_->ParseWith(impl_->model, impl_->beam, &copy, &ws);
  if (ws.verify_failed)
    return Status::Error("parser: memoised scores differ from the direct computation");
  return Status::Ok();
}

AttachmentScore Parser::Evaluate(const std::vector<Sentence>& gold) const {
  AttachmentScore score;
  for (const Sentence& g : gold) {
    Sentence p = g;
    Parse(&p);
    AddAttachmentScore(g, p, &score);
  }
  return score;
}

namespace {

struct TrainSentence {
  const Sentence* s;
  std::vector<int> actions;
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

Result<Parser> Parser::Train(const std::vector<Sentence>& train, const std::vector<Sentence>& dev,
                             const ParserOptions& opts) {
  if (opts.beam < 1 || opts.beam > kMaxBeam || opts.train_beam < 1 || opts.train_beam > kMaxBeam)
    return Status::Error("parser: beam widths must be in [1, " + std::to_string(kMaxBeam) + "]");
  if (opts.epochs < 1) return Status::Error("parser: epochs must be at least 1");
  Parser parser;
  Impl& impl = *parser.impl_;
  impl.beam = opts.beam;

  // Relation inventory, sorted so that ids do not depend on the order of the data.
  std::vector<std::string> labels;
  for (const Sentence& s : train)
    for (const Word& w : s.words)
      if (w.deprel != "root" && !w.deprel.empty()) labels.push_back(w.deprel);
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  if (labels.empty()) return Status::Error("parser: the training data has no relations");
  if (static_cast<int>(labels.size()) > kMaxLabels)
    return Status::Error("parser: " + std::to_string(labels.size()) +
                         " distinct relations; at most " + std::to_string(kMaxLabels) +
                         " are supported (strip subtypes?)");
  impl.labels = labels;
  const int L = impl.num_labels();
  const int num_classes = 2 * L + 1;

  // Oracle action sequences.
  std::vector<TrainSentence> data;
  size_t skipped = 0, lifted = 0;
  for (const Sentence& s : train) {
    const int n = static_cast<int>(s.words.size());
    if (n == 0) continue;
    std::vector<int> heads(n + 1, 0), labs(n + 1, -1);
    bool ok = true;
    for (int i = 1; i <= n && ok; ++i) {
      const Word& w = s.words[i - 1];
      heads[i] = w.head;
      if (w.head == 0) continue;
      auto it = std::lower_bound(labels.begin(), labels.end(), w.deprel);
      ok = it != labels.end() && *it == w.deprel;
      labs[i] = static_cast<int>(it - labels.begin());
    }
    if (!ok || !IsTree(heads, n)) {
      ++skipped;
      continue;
    }
    const std::vector<int> before = heads;
    Projectivize(&heads, n);
    if (heads != before) ++lifted;
    TrainSentence ts{&s, {}};
    if (!Oracle(heads, labs, n, L, &ts.actions)) {
      ++skipped;
      continue;
    }
    data.push_back(std::move(ts));
  }
  if (data.empty()) return Status::Error("parser: no usable training sentence");
  if (opts.verbose)
    std::fprintf(stderr,
                 "parser: %zu training sentences (%zu skipped, %zu projectivised), %d relations\n",
                 data.size(), skipped, lifted, L);

  TrainWeights weights(num_classes);
  std::mt19937_64 rng(opts.seed);
  std::vector<size_t> order(data.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  Workspace ws;
  std::vector<int> pred_actions;
  double best_las = -1;
  int best_epoch = 0, since_best = 0;
  Model best_model;
  const auto start = std::chrono::steady_clock::now();

  for (int epoch = 1; epoch <= opts.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    for (size_t i = order.size(); i > 1; --i) {  // Fisher-Yates with our own draws
      const size_t j = static_cast<size_t>(rng() % i);
      std::swap(order[i - 1], order[j]);
    }
    size_t updates = 0, correct = 0;
    for (size_t oi : order) {
      const TrainSentence& ts = data[oi];
      ws.Prepare(*ts.s, opts.train_beam, L);
      const int n = ws.n;
      const int steps = 2 * n - 1;
      ws.gold_nodes.assign(steps + 1, Node());
      ws.gold_states.assign(steps + 1, State());
      ws.states.emplace_back();
      size_t begin = 0, end = 1;
      int64_t max_violation = 0;
      const State* viol_pred = nullptr;
      int viol_step = -1;
      for (int t = 0; t < steps; ++t) {
        // The oracle path is scored with the beam (the last row of ws.accs).
        const State& g = ws.gold_states[t];
        const int added = Step(weights, opts.train_beam, begin, end, &g, &ws);
        State& g1 = ws.gold_states[t + 1];
        Apply(g, ts.actions[t], L, &ws.gold_nodes[t], &g1);
        g1.score = g.score + ws.accs[(end - begin) * ws.width + ts.actions[t]];
        for (size_t i = end; i < end + added; ++i) {
          State& x = ws.states[i];
          x.gold = x.prev->gold && x.action == ts.actions[t];
        }
        begin = end;
        end += added;
        const State& best = ws.states[begin];
        if (!best.gold && best.score - g1.score >= max_violation) {
          max_violation = best.score - g1.score;
          viol_pred = &best;
          viol_step = t;
        }
      }
      if (ws.states[begin].gold) ++correct;
      if (viol_pred) {
        ++updates;
        Backtrack(viol_pred, &pred_actions);
        // Skip the common prefix: identical states give identical features that cancel.
        int d = 0;
        while (d <= viol_step && pred_actions[d] == ts.actions[d]) ++d;
        for (int t = d; t <= viol_step; ++t) {
          const int nf = AllFeatures(ws.toks.data(), MakeView(ws.gold_states[t], n), ws.feats);
          weights.Update(ws.feats, nf, ts.actions[t], 1);
        }
        ws.replay_nodes.assign(steps + 1, Node());
        ws.replay_states.assign(steps + 1, State());
        ws.replay_states[d] = ws.gold_states[d];
        for (int t = d; t <= viol_step; ++t) {
          const State& ps = ws.replay_states[t];
          const int nf = AllFeatures(ws.toks.data(), MakeView(ps, n), ws.feats);
          weights.Update(ws.feats, nf, pred_actions[t], -1);
          Apply(ps, pred_actions[t], L, &ws.replay_nodes[t], &ws.replay_states[t + 1]);
        }
      }
      weights.Tick();
    }
    const double train_secs = Seconds(t0);
    impl.model = weights.Finalize(opts.max_features);
    if (opts.verbose)
      std::fprintf(stderr,
                   "parser: epoch %d  %.0fs  updates %zu  exact %.1f%%  features %zu (kept %zu)",
                   epoch, train_secs, updates, 100.0 * correct / data.size(),
                   weights.num_features(), impl.model.num_features());
    if (dev.empty()) {
      if (opts.verbose) std::fprintf(stderr, "\n");
      best_epoch = epoch;
      continue;
    }
    const auto t1 = std::chrono::steady_clock::now();
    const AttachmentScore sc = parser.Evaluate(dev);
    if (opts.verbose)
      std::fprintf(stderr, "  dev UAS %.2f LAS %.2f (%.0f words/s)\n", sc.uas(), sc.las(),
                   sc.words / Seconds(t1));
    if (sc.las() > best_las) {
      best_las = sc.las();
      best_epoch = epoch;
      best_model = impl.model;
      since_best = 0;
    } else if (opts.patience > 0 && ++since_best >= opts.patience) {
      break;
    }
  }
  if (!dev.empty()) impl.model = std::move(best_model);
  if (opts.verbose)
    std::fprintf(stderr, "parser: keeping epoch %d (%.0fs in all)\n", best_epoch, Seconds(start));
  return parser;
}

Result<Parser> Parser::Combine(const std::vector<const Parser*>& parts, size_t max_features) {
  if (parts.empty()) return Status::Error("parser: nothing to combine");
  std::vector<const Model*> models;
  for (const Parser* p : parts) {
    if (p->impl_->labels != parts[0]->impl_->labels)
      return Status::Error("parser: the parsers to combine have different relations");
    models.push_back(&p->impl_->model);
  }
  Parser out;
  out.impl_->beam = parts[0]->impl_->beam;
  out.impl_->labels = parts[0]->impl_->labels;
  out.impl_->model = Model::Sum(models, max_features);
  return out;
}

void Parser::Serialize(BinaryWriter* w) const {
  w->Str(kMagic);
  w->U32(kFormatVersion);
  w->U32(kFeatureSet);
  w->U32(static_cast<uint32_t>(impl_->beam));
  w->StrVector(impl_->labels);
  impl_->model.Serialize(w);
}

Result<Parser> Parser::Load(BinaryReader* r) {
  const std::string magic = r->Str();
  if (r->ok() && magic != kMagic) return Status::Error("parser: not a parser model section");
  const uint32_t version = r->U32();
  if (r->ok() && version != kFormatVersion)
    return Status::Error("parser: format version " + std::to_string(version) +
                         " is not supported (this dyad reads version " +
                         std::to_string(kFormatVersion) + "); retrain the parser");
  const uint32_t feature_set = r->U32();
  if (r->ok() && feature_set != kFeatureSet)
    return Status::Error("parser: the model uses feature set " + std::to_string(feature_set) +
                         ", this dyad computes feature set " + std::to_string(kFeatureSet) +
                         "; retrain the parser");
  const uint32_t beam = r->U32();
  std::vector<std::string> labels = r->StrVector();
  DYAD_RETURN_IF_ERROR(r->status().With("parser"));
  if (beam < 1 || beam > static_cast<uint32_t>(kMaxBeam))
    return Status::Error("parser: beam " + std::to_string(beam) + " out of range");
  if (labels.empty() || labels.size() > static_cast<size_t>(kMaxLabels))
    return Status::Error("parser: bad number of relations (" + std::to_string(labels.size()) + ")");
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i].empty() || labels[i] == "root" || (i > 0 && !(labels[i - 1] < labels[i])))
      return Status::Error("parser: corrupted relation list");
  }
  auto model = Model::Parse(r);
  if (!model.ok()) return model.status().With("parser");
  if (model->num_classes() != 2 * static_cast<int>(labels.size()) + 1)
    return Status::Error("parser: the weight table's classes do not match the relations");
  Parser p;
  p.impl_->beam = static_cast<int>(beam);
  p.impl_->labels = std::move(labels);
  p.impl_->model = std::move(model).value();
  return p;
}

}  // namespace dyad::nlp
