#include "nlp/model_file.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include "util/binary.h"

namespace dyad::nlp {
namespace {

ModelFile Sample() {
  ModelFile m;
  m.meta["name"] = "tiny";
  m.sections["tagger"] = std::string("\x01\x02\x03\x04 tagger weights", 20);
  m.sections["parser"] = "parser weights";
  return m;
}

TEST(ModelFile, RoundTripKeepsSectionsMetaAndFingerprint) {
  ModelFile m = Sample();
  std::string bytes = m.Serialize();
  auto r = ModelFile::Parse(bytes, "m.dyadm");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->sections.at("parser"), "parser weights");
  EXPECT_EQ(r->meta.at("name"), "tiny");
  EXPECT_EQ(r->fingerprint, m.fingerprint);
  EXPECT_NE(m.fingerprint, 0u);
}

TEST(ModelFile, FingerprintChangesWithContent) {
  ModelFile a = Sample(), b = Sample();
  b.sections["parser"] = "parser weightz";
  a.Serialize();
  b.Serialize();
  EXPECT_NE(a.fingerprint, b.fingerprint);
}

TEST(ModelFile, EveryTruncationIsAClearError) {
  std::string bytes = Sample().Serialize();
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto r = ModelFile::Parse(std::string_view(bytes).substr(0, n), "cut.dyadm");
    ASSERT_FALSE(r.ok()) << "accepted a model cut at " << n << " bytes";
    EXPECT_NE(r.status().message().find("cut.dyadm"), std::string::npos);
  }
}

TEST(ModelFile, EveryFlippedByteIsDetected) {
  std::string bytes = Sample().Serialize();
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    EXPECT_FALSE(ModelFile::Parse(bad, "x").ok()) << "flip at byte " << i << " accepted";
  }
}

TEST(ModelFile, WrongVersionSaysWhatToDo) {
  std::string bytes = Sample().Serialize();
  bytes[8] = 99;  // format version follows the 8-byte magic
  auto r = ModelFile::Parse(bytes, "old.dyadm");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("version 99"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("retrain"), std::string::npos);
}

// A version-1 file (the same body, stored as it is): models trained before compression keep
// loading, with the same fingerprint.
TEST(ModelFile, ReadsUncompressedVersionOneFiles) {
  ModelFile m = Sample();
  const std::string v2 = m.Serialize();
  const size_t header = sizeof kModelMagic + 4 + 8 + 8;  // magic, version, two lengths
  ASSERT_GT(v2.size(), header);
  std::string body(ZSTD_getFrameContentSize(v2.data() + header, v2.size() - header), '\0');
  ASSERT_EQ(ZSTD_decompress(body.data(), body.size(), v2.data() + header, v2.size() - header),
            body.size());
  BinaryWriter w;
  w.Bytes(kModelMagic, sizeof kModelMagic);
  w.U32(1);
  w.Bytes(body.data(), body.size());
  auto r = ModelFile::Parse(w.data(), "v1.dyadm");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->sections.at("parser"), "parser weights");
  EXPECT_EQ(r->fingerprint, m.fingerprint);
}

TEST(ModelFile, RepetitiveSectionsAreStoredCompressed) {
  ModelFile m = Sample();
  m.sections["parser"] = std::string(100000, '\x07');
  const std::string bytes = m.Serialize();
  EXPECT_LT(bytes.size(), 10000u);
  auto r = ModelFile::Parse(bytes, "m.dyadm");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->sections.at("parser"), m.sections.at("parser"));
}

// A header claiming a huge body is refused before anything is allocated for it.
TEST(ModelFile, ImplausibleBodyLengthIsRefused) {
  std::string bytes = Sample().Serialize();
  bytes[12 + 4] = 0x10;  // body length (u64 after magic and version) += 2^32
  auto r = ModelFile::Parse(bytes, "big.dyadm");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("implausible"), std::string::npos) << r.status().message();
}

TEST(ModelFile, MissingFileNamesThePath) {
  auto r = ModelFile::Load("/nonexistent/dir/model.dyadm");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("/nonexistent/dir/model.dyadm"), std::string::npos);
}

}  // namespace
}  // namespace dyad::nlp
