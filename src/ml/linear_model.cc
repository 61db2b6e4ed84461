#include "ml/linear_model.h"

#include <algorithm>
#include <cmath>

#include "util/binary.h"

namespace dyad::ml {

namespace {
inline size_t Slot(uint64_t key, size_t mask) { return static_cast<size_t>(key) & mask; }
// Key 0 marks an empty slot; remap a (vanishingly rare) zero hash.
inline uint64_t NonZero(uint64_t k) { return k ? k : 1; }
}  // namespace

void LinearModel::Score(const uint64_t* feats, size_t n, float* scores) const {
  if (keys_.empty()) return;
  const size_t mask = keys_.size() - 1;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t k = NonZero(feats[i]);
    for (size_t s = Slot(k, mask);; s = (s + 1) & mask) {
      const uint64_t kk = keys_[s];
      if (kk == 0) break;
      if (kk == k) {
        const uint32_t b = starts_[s], e = b + counts_[s];
        for (uint32_t j = b; j < e; ++j) scores[classes_[j]] += weights_[j] * scale_;
        break;
      }
    }
  }
}

void LinearModel::Serialize(BinaryWriter* w) const {
  w->U32(1);  // layout version
  w->U32(static_cast<uint32_t>(num_classes_));
  w->F32(scale_);
  w->U64(used_);
  w->PodVector(keys_);
  w->PodVector(starts_);
  w->PodVector(counts_);
  w->PodVector(classes_);
  w->PodVector(weights_);
}

Result<LinearModel> LinearModel::Parse(BinaryReader* r) {
  LinearModel m;
  uint32_t version = r->U32();
  if (r->ok() && version != 1) r->Fail("unknown linear model layout " + std::to_string(version));
  m.num_classes_ = static_cast<int>(r->U32());
  m.scale_ = r->F32();
  m.used_ = r->U64();
  m.keys_ = r->PodVector<uint64_t>();
  m.starts_ = r->PodVector<uint32_t>();
  m.counts_ = r->PodVector<uint16_t>();
  m.classes_ = r->PodVector<uint16_t>();
  m.weights_ = r->PodVector<int16_t>();
  DYAD_RETURN_IF_ERROR(r->status());
  // Validate everything Score() relies on, so a corrupted file can never index out of bounds.
  const size_t slots = m.keys_.size();
  if (m.num_classes_ <= 0 || m.num_classes_ > 65535 || !std::isfinite(m.scale_) ||
      (slots & (slots - 1)) != 0 || m.starts_.size() != slots || m.counts_.size() != slots ||
      m.classes_.size() != m.weights_.size() || m.used_ > slots || (slots && m.used_ == slots))
    return Status::Error("linear model: inconsistent table sizes");
  for (size_t s = 0; s < slots; ++s) {
    if (m.keys_[s] == 0) continue;
    if (static_cast<uint64_t>(m.starts_[s]) + m.counts_[s] > m.classes_.size())
      return Status::Error("linear model: entry run out of range");
  }
  for (uint16_t c : m.classes_)
    if (c >= m.num_classes_) return Status::Error("linear model: class id out of range");
  return m;
}

void PerceptronTrainer::Score(const uint64_t* feats, size_t n, float* scores) const {
  for (size_t i = 0; i < n; ++i) {
    auto it = table_.find(feats[i]);
    if (it == table_.end()) continue;
    for (const Entry& e : it->second) scores[e.cls] += e.w;
  }
}

void PerceptronTrainer::Update(const uint64_t* feats, size_t n, int cls, float delta) {
  for (size_t i = 0; i < n; ++i) {
    auto& entries = table_[feats[i]];
    Entry* e = nullptr;
    for (auto& x : entries)
      if (x.cls == cls) e = &x;
    if (!e) {
      entries.push_back({static_cast<uint16_t>(cls), 0.f, 0.0, clock_});
      e = &entries.back();
    }
    e->total += static_cast<double>(clock_ - e->stamp) * e->w;
    e->stamp = clock_;
    e->w += delta;
  }
}

LinearModel PerceptronTrainer::Finalize(float prune) const {
  struct Kept {
    uint64_t key;
    std::vector<std::pair<uint16_t, float>> w;
  };
  std::vector<Kept> kept;
  kept.reserve(table_.size());
  float max_abs = 0;
  for (const auto& [key, entries] : table_) {
    Kept k{NonZero(key), {}};
    for (const Entry& e : entries) {
      double total = e.total + static_cast<double>(clock_ - e.stamp) * e.w;
      float avg = static_cast<float>(total / static_cast<double>(clock_));
      if (std::fabs(avg) < prune) continue;
      k.w.push_back({e.cls, avg});
      max_abs = std::max(max_abs, std::fabs(avg));
    }
    if (k.w.empty()) continue;
    std::sort(k.w.begin(), k.w.end());
    kept.push_back(std::move(k));
  }
  // Deterministic layout regardless of hash-map iteration order.
  std::sort(kept.begin(), kept.end(), [](const Kept& a, const Kept& b) { return a.key < b.key; });

  LinearModel m;
  m.num_classes_ = num_classes_;
  m.scale_ = max_abs > 0 ? max_abs / 32767.f : 1.f;
  size_t slots = 16;
  while (slots < kept.size() * 2 + 1) slots *= 2;
  m.keys_.assign(slots, 0);
  m.starts_.assign(slots, 0);
  m.counts_.assign(slots, 0);
  m.used_ = kept.size();
  const size_t mask = slots - 1;
  for (const Kept& k : kept) {
    size_t s = Slot(k.key, mask);
    while (m.keys_[s] != 0) s = (s + 1) & mask;
    m.keys_[s] = k.key;
    m.starts_[s] = static_cast<uint32_t>(m.classes_.size());
    m.counts_[s] = static_cast<uint16_t>(k.w.size());
    for (const auto& [c, w] : k.w) {
      m.classes_.push_back(c);
      m.weights_.push_back(static_cast<int16_t>(std::lround(w / m.scale_)));
    }
  }
  return m;
}

}  // namespace dyad::ml
