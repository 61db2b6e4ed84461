// The compiled dictionary format (.dyadd). Internal to src/dict.
//
// Layout (little-endian, via util/binary.h):
//   "DYADDICT"   8-byte magic
//   u32          format version (kDictFormatVersion; loaders accept [kMinDictFormatVersion, it])
//   u32          flags: bit 0 = payload compressed with zstd
//   str          tagset the patterns assume ("UD v2")
//   str          producer ("dyad 0.1.0"), informative only
//   sources      u32 count, then per file: str name, u8 kind, u64 bytes, u64 FNV-1a,
//                u32 entries read, u32 lines skipped
//   u64          fingerprint: FNV-1a over tagset, sources and the uncompressed payload
//   u64          payload size (uncompressed)
//   u64          stored size, then the stored payload bytes
//   u64          checksum: FNV-1a of every byte before it
// The payload holds the words, synsets, verb blocks, verbs, patterns, transformations, the
// verb index, actors, agents, discards and issues with their phrase tables, in that order
// (see codec.cc). Every count is checked against the bytes left and every index against the
// table it points into, so a damaged file is reported, never read out of bounds.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "dyad/dict.h"

namespace dyad::dict {

class DictionaryCodec {
 public:
  static uint64_t Fingerprint(const Dictionary& d);
  static std::string Serialize(const Dictionary& d, int zstd_level);
  static Result<std::shared_ptr<const Dictionary>> Parse(std::string_view bytes,
                                                         const std::string& origin,
                                                         std::string_view expected_tagset);
};

}  // namespace dyad::dict
