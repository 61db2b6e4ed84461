#include "util/binary.h"

#include <gtest/gtest.h>

namespace dyad {
namespace {

TEST(Binary, RoundTrip) {
  BinaryWriter w;
  w.U32(7);
  w.Str("héllo");
  w.F32(1.5f);
  w.PodVector(std::vector<int32_t>{1, -2, 3});
  w.StrVector({"a", "", "bc"});
  BinaryReader r(w.data());
  EXPECT_EQ(r.U32(), 7u);
  EXPECT_EQ(r.Str(), "héllo");
  EXPECT_EQ(r.F32(), 1.5f);
  EXPECT_EQ(r.PodVector<int32_t>(), (std::vector<int32_t>{1, -2, 3}));
  EXPECT_EQ(r.StrVector(), (std::vector<std::string>{"a", "", "bc"}));
  EXPECT_TRUE(r.Finish().ok());
}

TEST(Binary, EveryTruncationIsAnErrorNotACrash) {
  BinaryWriter w;
  w.Str("abcdef");
  w.PodVector(std::vector<uint64_t>{1, 2, 3});
  w.StrVector({"x", "y"});
  const std::string full = w.data();
  for (size_t n = 0; n < full.size(); ++n) {
    BinaryReader r(std::string_view(full).substr(0, n), "test");
    r.Str();
    r.PodVector<uint64_t>();
    r.StrVector();
    Status s = r.Finish();
    EXPECT_FALSE(s.ok()) << "prefix of " << n << " bytes accepted";
    EXPECT_NE(s.message().find("test"), std::string::npos);
  }
}

TEST(Binary, HugeLengthPrefixIsRejected) {
  BinaryWriter w;
  w.U64(~0ull);  // claims 2^64-1 elements
  BinaryReader r(w.data());
  EXPECT_TRUE(r.PodVector<uint32_t>().empty());
  EXPECT_FALSE(r.ok());
}

TEST(Binary, TrailingBytesAreRejected) {
  BinaryWriter w;
  w.U32(1);
  w.U8(0);
  BinaryReader r(w.data());
  r.U32();
  EXPECT_FALSE(r.Finish().ok());
}

}  // namespace
}  // namespace dyad
