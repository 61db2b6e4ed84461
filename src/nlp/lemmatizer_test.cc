#include "nlp/lemmatizer.h"

#include <gtest/gtest.h>

#include "util/binary.h"

namespace dyad::nlp::internal {
namespace {

TEST(DeriveRule, KeepsTheLongestCommonPrefix) {
  EXPECT_EQ(DeriveRule("studies", "study"), (LemmaRule{false, "ies", "y"}));
  EXPECT_EQ(DeriveRule("The", "the"), (LemmaRule{true, "", ""}));
  EXPECT_EQ(DeriveRule("Paris", "Paris"), (LemmaRule{false, "", ""}));
  EXPECT_EQ(DeriveRule("went", "go"), (LemmaRule{false, "went", "go"}));
  EXPECT_EQ(DeriveRule("Éclairs", "éclair"), (LemmaRule{true, "s", ""}));
  // A rule never cuts a multi-byte character in half.
  EXPECT_EQ(DeriveRule("naïve", "naive"), (LemmaRule{false, "ïve", "ive"}));
}

Lemmatizer TrainSmall() {
  // Tag 0 plays a plural noun, tag 1 a past verb, tag 2 a proper noun.
  const std::vector<Lemmatizer::Example> ex = {
      {"cats", 0, "cat"},    {"dogs", 0, "dog"},      {"trees", 0, "tree"},  {"books", 0, "book"},
      {"cities", 0, "city"}, {"parties", 0, "party"}, {"walked", 1, "walk"}, {"played", 1, "play"},
      {"jumped", 1, "jump"}, {"talked", 1, "talk"},   {"went", 1, "go"},     {"Paris", 2, "Paris"},
      {"Lyon", 2, "Lyon"},   {"Texas", 2, "Texas"},   {"Cats", 0, "cat"},
  };
  Lemmatizer::Options o;
  o.epochs = 10;
  return Lemmatizer::Train(ex, o);
}

TEST(Lemmatizer, LooksUpKnownFormsAndGeneralisesSuffixRules) {
  const Lemmatizer lm = TrainSmall();
  EXPECT_EQ(lm.Lemmatize("went", "went", 1), "go");      // irregular, from the dictionary
  EXPECT_EQ(lm.Lemmatize("CATS", "cats", 0), "cat");     // through the lowercased form
  EXPECT_EQ(lm.Lemmatize("frogs", "frogs", 0), "frog");  // a learnt rule
  EXPECT_EQ(lm.Lemmatize("berries", "berries", 0), "berry");
  EXPECT_EQ(lm.Lemmatize("kicked", "kicked", 1), "kick");
  EXPECT_EQ(lm.Lemmatize("Athens", "athens", 2), "Athens");  // proper nouns keep their "s"
}

TEST(Lemmatizer, RoundTripsAndRejectsTruncation) {
  const Lemmatizer lm = TrainSmall();
  BinaryWriter w;
  lm.Serialize(&w);
  BinaryReader r(w.data());
  auto back = Lemmatizer::Parse(&r);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_TRUE(r.Finish().ok());
  EXPECT_EQ(back->Lemmatize("frogs", "frogs", 0), "frog");
  EXPECT_EQ(back->Lemmatize("went", "went", 1), "go");
  for (size_t n = 0; n < w.data().size(); ++n) {
    BinaryReader t(std::string_view(w.data()).substr(0, n));
    auto p = Lemmatizer::Parse(&t);
    EXPECT_FALSE(p.ok() && t.Finish().ok()) << n;
  }
}

}  // namespace
}  // namespace dyad::nlp::internal
