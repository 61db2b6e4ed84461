// The model container: one versioned binary file holding every trained component.
//
// Layout (little-endian):
//   "DYADMODL"  8-byte magic
//   u32         format version (1 or 2; loaders accept exactly the known range)
//   version 2:  u64 body length, u64 stored length, then the body as one zstd frame (with
//               zstd's content checksum); version 1: the body as it is
//   body:       u32 number of sections;
//               per section: str name, u64 length, bytes, u64 FNV-1a checksum of the bytes;
//               u64 fingerprint: FNV-1a over all section names and bytes, in order
// Sections: "meta" (key/value strings: language, training data, settings, seed, figures),
// "tokenizer", "tagger", "parser", ... Each component serialises its own section and checks
// it with a BinaryReader, so a truncated or corrupted file is a clear error, never UB.
//
// Version 2 exists to keep the shipped model small in git: the weight tables compress to
// about 60%, so more parser features fit the 25 MB budget. The fingerprint is over the
// uncompressed sections, so it does not depend on the compression.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "dyad/status.h"

namespace dyad::nlp {

inline constexpr char kModelMagic[8] = {'D', 'Y', 'A', 'D', 'M', 'O', 'D', 'L'};
inline constexpr uint32_t kModelFormatVersion = 2;  // what Serialize writes
inline constexpr uint32_t kModelFormatOldest = 1;   // the oldest Parse still reads
// A body larger than this is refused before it is decompressed (the shipped one is ~35 MB).
inline constexpr uint64_t kModelMaxBody = 1ull << 30;

struct ModelFile {
  std::map<std::string, std::string> sections;  // name -> serialised component
  std::map<std::string, std::string> meta;      // stored as the "meta" section

  // Fingerprint of the sections' contents; computed by Serialize/Parse.
  uint64_t fingerprint = 0;

  bool has(const std::string& name) const { return sections.count(name) > 0; }

  std::string Serialize();  // also updates `fingerprint`
  static Result<ModelFile> Parse(std::string_view bytes, const std::string& origin);
  static Result<ModelFile> Load(const std::string& path);
  Status Save(const std::string& path);
};

}  // namespace dyad::nlp
