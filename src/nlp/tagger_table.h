// A read-only hash table from 64-bit keys (hashes of strings) to small values, for the
// tagger's and lemmatiser's dictionaries: one flat array probed linearly, so a lookup costs one
// cache miss, not the pointer chasing of std::unordered_map. Built once; Find() is const and
// thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace dyad::nlp::internal {

template <typename V>
class FlatTable {
 public:
  // Later duplicates of a key are ignored.
  void Build(const std::vector<uint64_t>& keys, const std::vector<V>& values) {
    size_t slots = 16;
    while (slots < keys.size() * 2 + 1) slots *= 2;
    keys_.assign(slots, 0);
    values_.assign(slots, V{});
    mask_ = slots - 1;
    for (size_t i = 0; i < keys.size() && i < values.size(); ++i) {
      const uint64_t k = NonZero(keys[i]);
      size_t s = k & mask_;
      while (keys_[s] != 0 && keys_[s] != k) s = (s + 1) & mask_;
      if (keys_[s] == k) continue;
      keys_[s] = k;
      values_[s] = values[i];
    }
  }
  const V* Find(uint64_t key) const {
    if (keys_.empty()) return nullptr;
    const uint64_t k = NonZero(key);
    for (size_t s = k & mask_;; s = (s + 1) & mask_) {
      if (keys_[s] == k) return &values_[s];
      if (keys_[s] == 0) return nullptr;
    }
  }

 private:
  static uint64_t NonZero(uint64_t k) { return k ? k : 1; }
  std::vector<uint64_t> keys_;  // 0 = empty; never full (at most half used)
  std::vector<V> values_;
  size_t mask_ = 0;
};

}  // namespace dyad::nlp::internal
