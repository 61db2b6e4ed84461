#include "ml/linear_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "util/binary.h"

namespace dyad::ml {
namespace {

// Learns "feature 1 -> class 0, feature 2 -> class 2" and checks the compact model agrees.
TEST(LinearModel, LearnsSeparableDataAndRoundTrips) {
  PerceptronTrainer t(3);
  const uint64_t a[] = {FeatureHash::Start(1), FeatureHash::Start(99)};
  const uint64_t b[] = {FeatureHash::Start(2), FeatureHash::Start(99)};
  for (int epoch = 0; epoch < 5; ++epoch) {
    for (int gold : {0, 2}) {
      const uint64_t* f = gold == 0 ? a : b;
      float s[3] = {0, 0, 0};
      t.Score(f, 2, s);
      int best = static_cast<int>(std::max_element(s, s + 3) - s);
      if (best != gold) {
        t.Update(f, 2, gold, 1);
        t.Update(f, 2, best, -1);
      }
      t.Tick();
    }
  }
  LinearModel m = t.Finalize();
  BinaryWriter w;
  m.Serialize(&w);
  BinaryReader r(w.data());
  auto parsed = LinearModel::Parse(&r);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  for (int gold : {0, 2}) {
    float s[3] = {0, 0, 0};
    parsed->Score(gold == 0 ? a : b, 2, s);
    EXPECT_EQ(std::max_element(s, s + 3) - s, gold);
  }
}

TEST(LinearModel, CorruptedClassIdIsRejected) {
  PerceptronTrainer t(2);
  const uint64_t f[] = {42};
  t.Update(f, 1, 1, 1);
  t.Tick();
  BinaryWriter w;
  t.Finalize().Serialize(&w);
  std::string bytes = w.data();
  // The class id array sits just before the weights: corrupt its single entry.
  bytes[bytes.size() - 2 - 8 - 2] = 0x7f;
  BinaryReader r(bytes);
  EXPECT_FALSE(LinearModel::Parse(&r).ok());
}

}  // namespace
}  // namespace dyad::ml

namespace dyad::ml {
namespace {

// A model with a few hundred features over 5 classes, trained on a made-up rule.
LinearModel SmallModel() {
  PerceptronTrainer t(5);
  for (int epoch = 0; epoch < 3; ++epoch)
    for (uint64_t i = 0; i < 300; ++i) {
      const uint64_t f[] = {FeatureHash::Add(FeatureHash::Start(7), i), FeatureHash::Start(8)};
      float s[5] = {};
      t.Score(f, 2, s);
      const int gold = static_cast<int>(i % 5);
      const int best = static_cast<int>(std::max_element(s, s + 5) - s);
      if (best != gold) {
        t.Update(f, 2, gold, 1);
        t.Update(f, 2, best, -1);
      }
      t.Tick();
    }
  return t.Finalize();
}

TEST(LinearModel, ParsedModelSerialisesToTheSameBytes) {
  BinaryWriter a;
  SmallModel().Serialize(&a);
  BinaryReader r(a.data());
  auto m = LinearModel::Parse(&r);
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_TRUE(r.Finish().ok());
  BinaryWriter b;
  m->Serialize(&b);
  EXPECT_EQ(a.data(), b.data());
}

TEST(LinearModel, QuantisedScoresAgreeWithFloatScores) {
  const LinearModel m = SmallModel();
  for (uint64_t i = 0; i < 300; i += 7) {
    const uint64_t f[] = {FeatureHash::Add(FeatureHash::Start(7), i), FeatureHash::Start(8), 12345};
    float s[5] = {};
    int32_t q[5] = {};
    m.Score(f, 3, s);
    m.ScoreQuantized(f, 3, q);
    for (int c = 0; c < 5; ++c) EXPECT_NEAR(s[c], q[c] * m.scale(), 1e-3f * (1 + std::fabs(s[c])));
  }
}

TEST(LinearModel, RejectsTruncationAndUnsortedKeys) {
  BinaryWriter w;
  SmallModel().Serialize(&w);
  const std::string bytes = w.data();
  for (size_t n = 0; n < bytes.size(); n += 1 + n / 50) {
    BinaryReader r(std::string_view(bytes).substr(0, n));
    auto m = LinearModel::Parse(&r);
    EXPECT_FALSE(m.ok() && r.Finish().ok()) << n;
  }
  // Layout 2: u32 version, u32 classes, f32 scale, then the key vector (u64 count, keys).
  // Swapping the first two keys breaks their order; duplicating one is rejected as well.
  std::string swapped = bytes;
  std::swap_ranges(swapped.begin() + 20, swapped.begin() + 28, swapped.begin() + 28);
  BinaryReader r1(swapped);
  EXPECT_FALSE(LinearModel::Parse(&r1).ok());
  std::string dup = bytes;
  std::copy(dup.begin() + 20, dup.begin() + 28, dup.begin() + 28);
  BinaryReader r2(dup);
  EXPECT_FALSE(LinearModel::Parse(&r2).ok());
}

TEST(LinearModel, ReadsLayout1) {
  // The original layout: the whole table with its empty slots.
  BinaryWriter w;
  w.U32(1);     // layout
  w.U32(3);     // classes
  w.F32(0.5f);  // scale
  w.U64(2);     // used slots
  w.PodVector(std::vector<uint64_t>{0, 0x11, 0, 0x22});
  w.PodVector(std::vector<uint32_t>{0, 0, 0, 1});
  w.PodVector(std::vector<uint16_t>{0, 1, 0, 2});
  w.PodVector(std::vector<uint16_t>{2, 0, 1});
  w.PodVector(std::vector<int16_t>{4, -2, 6});
  BinaryReader r(w.data());
  auto m = LinearModel::Parse(&r);
  ASSERT_TRUE(m.ok()) << m.status().message();
  const uint64_t f[] = {0x11, 0x22, 0x33};
  float s[3] = {};
  m->Score(f, 3, s);
  EXPECT_FLOAT_EQ(s[0], -1.f);
  EXPECT_FLOAT_EQ(s[1], 3.f);
  EXPECT_FLOAT_EQ(s[2], 2.f);
}

}  // namespace
}  // namespace dyad::ml
