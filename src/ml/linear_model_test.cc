#include "ml/linear_model.h"

#include <gtest/gtest.h>

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
