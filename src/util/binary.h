// Bounds-checked binary encoding for dyad's file formats (models, compiled dictionaries).
//
// BinaryWriter appends little-endian fixed-width integers, floats, and length-prefixed
// strings. BinaryReader reads them back and never reads past its buffer: the first short
// read sets a sticky error, after which every read returns zero/empty. Callers read a whole
// structure, then check ok() once; Finish() also rejects trailing bytes.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/status.h"

namespace dyad {

class BinaryWriter {
 public:
  void U8(uint8_t v) { buf_.push_back(static_cast<char>(v)); }
  void U16(uint16_t v) { Raw(&v, 2); }
  void U32(uint32_t v) { Raw(&v, 4); }
  void U64(uint64_t v) { Raw(&v, 8); }
  void I32(int32_t v) { Raw(&v, 4); }
  void F32(float v) { Raw(&v, 4); }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    buf_.append(s.data(), s.size());
  }
  void Bytes(const void* p, size_t n) { buf_.append(static_cast<const char*>(p), n); }
  template <typename T>
  void PodVector(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    U64(v.size());
    if (!v.empty()) Bytes(v.data(), v.size() * sizeof(T));
  }
  void StrVector(const std::vector<std::string>& v) {
    U32(static_cast<uint32_t>(v.size()));
    for (const auto& s : v) Str(s);
  }
  const std::string& data() const { return buf_; }
  std::string Take() { return std::move(buf_); }

 private:
  void Raw(const void* p, size_t n) { buf_.append(static_cast<const char*>(p), n); }
  std::string buf_;
};

class BinaryReader {
 public:
  // `what` names the thing being read in error messages ("model section 'parser'").
  explicit BinaryReader(std::string_view data, std::string what = "data")
      : data_(data), what_(std::move(what)) {}

  uint8_t U8() { uint8_t v = 0; Raw(&v, 1); return v; }
  uint16_t U16() { uint16_t v = 0; Raw(&v, 2); return v; }
  uint32_t U32() { uint32_t v = 0; Raw(&v, 4); return v; }
  uint64_t U64() { uint64_t v = 0; Raw(&v, 8); return v; }
  int32_t I32() { int32_t v = 0; Raw(&v, 4); return v; }
  float F32() { float v = 0; Raw(&v, 4); return v; }
  std::string Str() {
    uint32_t n = U32();
    if (!Need(n)) return {};
    std::string s(data_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  std::string_view View(size_t n) {
    if (!Need(n)) return {};
    auto v = data_.substr(pos_, n);
    pos_ += n;
    return v;
  }
  template <typename T>
  std::vector<T> PodVector(uint64_t max_elems = (1ull << 32)) {
    static_assert(std::is_trivially_copyable_v<T>);
    uint64_t n = U64();
    if (n > max_elems || n > remaining() / sizeof(T)) {
      Fail("vector of " + std::to_string(n) + " elements does not fit");
      return {};
    }
    std::vector<T> v(n);
    if (n) Raw(v.data(), n * sizeof(T));
    return v;
  }
  std::vector<std::string> StrVector() {
    uint32_t n = U32();
    // Every string needs at least its 4-byte length prefix.
    if (n > remaining() / 4) {
      Fail("string list of " + std::to_string(n) + " entries does not fit");
      return {};
    }
    std::vector<std::string> v;
    v.reserve(n);
    for (uint32_t i = 0; i < n && ok(); ++i) v.push_back(Str());
    return v;
  }

  // Records a semantic error (a value out of range) found by the caller.
  void Fail(const std::string& why) {
    if (ok_) error_ = what_ + ": " + why + " at byte " + std::to_string(pos_);
    ok_ = false;
  }
  bool ok() const { return ok_; }
  size_t remaining() const { return ok_ ? data_.size() - pos_ : 0; }
  size_t position() const { return pos_; }

  // Ok only if everything read was in bounds and nothing is left over.
  Status Finish() {
    if (ok_ && pos_ != data_.size())
      Fail(std::to_string(data_.size() - pos_) + " unexpected trailing bytes");
    return ok_ ? Status::Ok() : Status::Error(error_);
  }
  Status status() const { return ok_ ? Status::Ok() : Status::Error(error_); }

 private:
  bool Need(size_t n) {
    if (!ok_) return false;
    if (n > data_.size() - pos_) {
      Fail("truncated (needed " + std::to_string(n) + " bytes, " +
           std::to_string(data_.size() - pos_) + " left)");
      return false;
    }
    return true;
  }
  void Raw(void* p, size_t n) {
    if (!Need(n)) return;
    std::memcpy(p, data_.data() + pos_, n);
    pos_ += n;
  }
  std::string_view data_;
  std::string what_;
  size_t pos_ = 0;
  bool ok_ = true;
  std::string error_;
};

// 64-bit FNV-1a: checksums and fingerprints of file contents (not a security hash).
inline uint64_t Fnv1a64(std::string_view s, uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// Fingerprints are shown as 16 lowercase hex digits.
std::string HexFingerprint(uint64_t h);

// Whole-file helpers that report the path in their errors.
Result<std::string> ReadFile(const std::string& path);
Status WriteFileAtomic(const std::string& path, std::string_view data);

}  // namespace dyad
