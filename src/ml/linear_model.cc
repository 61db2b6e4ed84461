#include "ml/linear_model.h"

#include <algorithm>
#include <cmath>

#include "util/binary.h"

namespace dyad::ml {

namespace {
inline size_t SlotOf(uint64_t key, size_t mask) { return static_cast<size_t>(key) & mask; }
// Key 0 marks an empty slot; remap a (vanishingly rare) zero hash.
inline uint64_t NonZero(uint64_t k) { return k ? k : 1; }
}  // namespace

bool LinearModel::Build(const std::vector<uint64_t>& keys, const std::vector<uint16_t>& counts,
                        std::vector<Weight> weights) {
  size_t slots = 16;
  while (slots < keys.size() * 2 + 1) slots *= 2;
  slots_.assign(slots, Slot{0, 0, 0, 0});
  used_ = keys.size();
  const size_t mask = slots - 1;
  uint64_t start = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == 0) return false;
    size_t s = SlotOf(keys[i], mask);
    while (slots_[s].key != 0) {
      if (slots_[s].key == keys[i]) return false;
      s = (s + 1) & mask;
    }
    slots_[s] = Slot{keys[i], static_cast<uint32_t>(start), counts[i], 0};
    start += counts[i];
  }
  entries_ = std::move(weights);
  return start == entries_.size();
}

template <typename T, typename Add>
void LinearModel::Accumulate(const uint64_t* feats, size_t n, T* scores, Add add) const {
  if (slots_.empty()) return;
  const size_t mask = slots_.size() - 1;
  const Slot* slots = slots_.data();
  const Weight* entries = entries_.data();
  // In chunks: prefetch every feature's slot, then every found feature's run, then add. The
  // loads of a chunk overlap instead of waiting for each other.
  constexpr size_t kChunk = 32;
  const Slot* found[kChunk];
  for (size_t base = 0; base < n; base += kChunk) {
    const size_t m = std::min(kChunk, n - base);
    for (size_t i = 0; i < m; ++i)
      __builtin_prefetch(&slots[SlotOf(NonZero(feats[base + i]), mask)]);
    size_t nf = 0;
    for (size_t i = 0; i < m; ++i) {
      const uint64_t k = NonZero(feats[base + i]);
      for (size_t s = SlotOf(k, mask);; s = (s + 1) & mask) {
        const Slot& slot = slots[s];
        if (slot.key == k) {
          found[nf++] = &slot;
          // The whole run (4 bytes a class): a frequent feature's spans several cache lines.
          const char* run = reinterpret_cast<const char*>(&entries[slot.start]);
          const size_t bytes = sizeof(Weight) * slot.count;
          for (size_t b = 0; b < bytes; b += 64) __builtin_prefetch(run + b);
          break;
        }
        if (slot.key == 0) break;
      }
    }
    for (size_t i = 0; i < nf; ++i) {
      const Weight* w = entries + found[i]->start;
      const Weight* e = w + found[i]->count;
      for (; w != e; ++w) add(scores[w->cls], w->q);
    }
  }
}

void LinearModel::Score(const uint64_t* feats, size_t n, float* scores) const {
  const float scale = scale_;
  Accumulate(feats, n, scores, [scale](float& s, int16_t q) { s += q * scale; });
}

void LinearModel::ScoreQuantized(const uint64_t* feats, size_t n, int32_t* scores) const {
  Accumulate(feats, n, scores, [](int32_t& s, int16_t q) { s += q; });
}

// Layout 2 stores only the occupied slots (key, run length) in key order, then the runs;
// Parse rebuilds the open-addressing table exactly as Finalize() laid it out, so a parsed model
// serialises to the same bytes. That is less than half the size of layout 1 (the whole table,
// empty slots included), which Parse still reads.
void LinearModel::Serialize(BinaryWriter* w) const {
  w->U32(2);  // layout version
  w->U32(static_cast<uint32_t>(num_classes_));
  w->F32(scale_);
  std::vector<const Slot*> order;
  order.reserve(used_);
  for (const Slot& s : slots_)
    if (s.key != 0) order.push_back(&s);
  std::sort(order.begin(), order.end(),
            [](const Slot* a, const Slot* b) { return a->key < b->key; });
  std::vector<uint64_t> keys;
  std::vector<uint16_t> counts, classes;
  std::vector<int16_t> weights;
  keys.reserve(order.size());
  counts.reserve(order.size());
  classes.reserve(entries_.size());
  weights.reserve(entries_.size());
  for (const Slot* s : order) {
    keys.push_back(s->key);
    counts.push_back(s->count);
    for (uint32_t j = s->start; j < s->start + s->count; ++j) {
      classes.push_back(entries_[j].cls);
      weights.push_back(entries_[j].q);
    }
  }
  w->PodVector(keys);
  w->PodVector(counts);
  w->PodVector(classes);
  w->PodVector(weights);
}

Result<LinearModel> LinearModel::Parse(BinaryReader* r) {
  LinearModel m;
  const uint32_t version = r->U32();
  if (r->ok() && version != 1 && version != 2)
    r->Fail("unknown linear model layout " + std::to_string(version));
  m.num_classes_ = static_cast<int>(r->U32());
  m.scale_ = r->F32();
  std::vector<uint64_t> keys;
  std::vector<uint16_t> counts, classes;
  std::vector<int16_t> weights;
  if (version == 1) {
    // Layout 1: the whole table (keys, starts, counts per slot), then the entries.
    r->U64();  // number of used slots, recomputed below
    std::vector<uint64_t> slot_keys = r->PodVector<uint64_t>();
    std::vector<uint32_t> starts = r->PodVector<uint32_t>();
    std::vector<uint16_t> slot_counts = r->PodVector<uint16_t>();
    std::vector<uint16_t> all_classes = r->PodVector<uint16_t>();
    std::vector<int16_t> all_weights = r->PodVector<int16_t>();
    DYAD_RETURN_IF_ERROR(r->status());
    if (starts.size() != slot_keys.size() || slot_counts.size() != slot_keys.size() ||
        all_classes.size() != all_weights.size())
      return Status::Error("linear model: inconsistent table sizes");
    std::vector<size_t> order;
    for (size_t s = 0; s < slot_keys.size(); ++s) {
      if (slot_keys[s] == 0) continue;
      if (static_cast<uint64_t>(starts[s]) + slot_counts[s] > all_classes.size())
        return Status::Error("linear model: entry run out of range");
      order.push_back(s);
    }
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return slot_keys[a] < slot_keys[b]; });
    for (size_t s : order) {
      keys.push_back(slot_keys[s]);
      counts.push_back(slot_counts[s]);
      for (uint32_t j = starts[s]; j < starts[s] + slot_counts[s]; ++j) {
        classes.push_back(all_classes[j]);
        weights.push_back(all_weights[j]);
      }
    }
  } else {
    keys = r->PodVector<uint64_t>();
    counts = r->PodVector<uint16_t>();
    classes = r->PodVector<uint16_t>();
    weights = r->PodVector<int16_t>();
  }
  DYAD_RETURN_IF_ERROR(r->status());
  // Validate everything Score() relies on, so a corrupted file can never index out of bounds.
  if (m.num_classes_ <= 0 || m.num_classes_ > 65535 || !std::isfinite(m.scale_) ||
      counts.size() != keys.size() || classes.size() != weights.size())
    return Status::Error("linear model: inconsistent table sizes");
  uint64_t total = 0;
  for (uint16_t c : counts) total += c;
  if (total != classes.size() || total > UINT32_MAX)
    return Status::Error("linear model: entry runs do not add up");
  for (uint16_t c : classes)
    if (c >= m.num_classes_) return Status::Error("linear model: class id out of range");
  for (size_t i = 1; i < keys.size(); ++i)
    if (keys[i] <= keys[i - 1]) return Status::Error("linear model: feature keys out of order");
  std::vector<Weight> entries(classes.size());
  for (size_t j = 0; j < classes.size(); ++j) entries[j] = Weight{classes[j], weights[j]};
  if (!m.Build(keys, counts, std::move(entries)))
    return Status::Error("linear model: bad feature key");
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
  std::vector<uint64_t> keys;
  std::vector<uint16_t> counts;
  std::vector<LinearModel::Weight> weights;
  keys.reserve(kept.size());
  counts.reserve(kept.size());
  for (const Kept& k : kept) {
    if (!keys.empty() && keys.back() == k.key) continue;  // a zero hash remapped onto key 1
    uint16_t n = 0;
    for (const auto& [c, w] : k.w) {
      const auto q = static_cast<int16_t>(std::lround(w / m.scale_));
      if (q == 0) continue;  // below the quantisation step: no effect on any score
      weights.push_back({c, q});
      ++n;
    }
    if (n == 0) continue;
    keys.push_back(k.key);
    counts.push_back(n);
  }
  // Keys are distinct, sorted and non-zero, so Build cannot fail.
  m.Build(keys, counts, std::move(weights));
  return m;
}

}  // namespace dyad::ml
