// Multi-class linear models over hashed sparse features: the scorer behind the tagger and the
// parser.
//
// A feature is a 64-bit hash of (template id, values) built with FeatureHash. Training uses
// PerceptronTrainer: an averaged perceptron whose weights are stored sparsely per feature
// (only the classes a feature was ever updated for), so memory grows with what is learned,
// not with features x classes. Finalize() averages, prunes near-zero weights and returns an
// immutable LinearModel: an open-addressing table from feature to a run of (class, weight)
// pairs, with weights quantised to int16. LinearModel is thread-safe for concurrent Score().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dyad/status.h"

namespace dyad {
class BinaryWriter;
class BinaryReader;
}  // namespace dyad

namespace dyad::ml {

// Incremental 64-bit feature hashing (splitmix-style mixing; deterministic across runs).
struct FeatureHash {
  static uint64_t Mix(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
  }
  static uint64_t Start(uint32_t template_id) { return Mix(0x9e3779b97f4a7c15ull + template_id); }
  static uint64_t Add(uint64_t h, uint64_t v) { return Mix(h ^ (v + 0x9e3779b97f4a7c15ull)); }
  static uint64_t String(std::string_view s) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
  }
};

class LinearModel {
 public:
  LinearModel() = default;
  int num_classes() const { return num_classes_; }
  size_t num_features() const { return used_; }
  size_t num_weights() const { return entries_.size(); }

  // scores[c] += sum over feats of w(feat, c). `scores` has num_classes() entries.
  void Score(const uint64_t* feats, size_t n, float* scores) const;
  // The same sums in the quantised domain, without conversions: w(feat, c) = q * scale(), so
  // ScoreQuantized's sums times scale() are Score's. For hot loops that only compare or add
  // scores of one model.
  void ScoreQuantized(const uint64_t* feats, size_t n, int32_t* scores) const;
  float scale() const { return scale_; }

  void Serialize(BinaryWriter* w) const;
  static Result<LinearModel> Parse(BinaryReader* r);

 private:
  friend class PerceptronTrainer;
  // One probe reads one 16-byte slot, and a feature's weights are one contiguous run of
  // (class, weight) pairs: two cache misses per feature at most, which is what scoring costs.
  struct Slot {
    uint64_t key;  // 0 = empty
    uint32_t start;
    uint16_t count;
    uint16_t unused;
  };
  struct Weight {
    uint16_t cls;
    int16_t q;  // weight = q * scale_
  };
  // Lays out the table; `keys` sorted ascending, non-zero and distinct, `counts` parallel to
  // it, `weights` the runs in key order. Returns false on a duplicate or zero key.
  bool Build(const std::vector<uint64_t>& keys, const std::vector<uint16_t>& counts,
             std::vector<Weight> weights);
  template <typename T, typename Add>
  void Accumulate(const uint64_t* feats, size_t n, T* scores, Add add) const;

  int num_classes_ = 0;
  float scale_ = 1.0f;
  size_t used_ = 0;
  std::vector<Slot> slots_;  // open addressing; power-of-two size
  std::vector<Weight> entries_;
};

class PerceptronTrainer {
 public:
  explicit PerceptronTrainer(int num_classes) : num_classes_(num_classes) {}
  int num_classes() const { return num_classes_; }

  // Current (non-averaged) weights, for decoding during training.
  void Score(const uint64_t* feats, size_t n, float* scores) const;
  // w(f, cls) += delta for every f in feats.
  void Update(const uint64_t* feats, size_t n, int cls, float delta);
  // Advances the averaging clock: call once per training instance (or per sentence).
  void Tick() { ++clock_; }
  size_t num_features() const { return table_.size(); }

  // The averaged model; weights whose |average| is below `prune` are dropped.
  LinearModel Finalize(float prune = 1e-3f) const;

 private:
  struct Entry {
    uint16_t cls;
    float w;       // current weight
    double total;  // sum of w over past clock ticks, up to `stamp`
    uint64_t stamp;
  };
  int num_classes_;
  uint64_t clock_ = 1;
  std::unordered_map<uint64_t, std::vector<Entry>> table_;
};

}  // namespace dyad::ml
