#include "dyad/cameo.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace dyad::cameo {
namespace {

TEST(Cameo, FindsCodesWithTheirFacts) {
  const EventType* e = Find("0231");
  ASSERT_NE(e, nullptr);
  EXPECT_STREQ(e->root, "02");
  EXPECT_EQ(e->quad_class, 1);
  EXPECT_DOUBLE_EQ(e->goldstein, 3.4);
  EXPECT_STREQ(e->name, "Appeal for economic aid");

  e = Find("190");
  ASSERT_NE(e, nullptr);
  EXPECT_STREQ(e->root, "19");
  EXPECT_EQ(e->quad_class, 4);
  EXPECT_DOUBLE_EQ(e->goldstein, -10.0);
}

TEST(Cameo, LeadingZeroMatters) {
  // "010" (make statement) and "10" (demand) are different codes; "1" is none.
  ASSERT_NE(Find("010"), nullptr);
  ASSERT_NE(Find("10"), nullptr);
  EXPECT_EQ(Find("010")->quad_class, 1);
  EXPECT_STREQ(Find("10")->root, "10");
  EXPECT_FALSE(IsValid("1"));
  EXPECT_FALSE(IsValid("0010"));
}

TEST(Cameo, RootsAreTwoDigitCodes) {
  EXPECT_TRUE(IsValid("10"));  // DEMAND
  EXPECT_EQ(RootOf("1041"), "10");
  EXPECT_EQ(RootOf("02"), "02");
  EXPECT_EQ(RootOf("999"), "");
  EXPECT_EQ(RootOf(""), "");
}

TEST(Cameo, RejectsSpecialAndMalformedCodes) {
  for (const char* c : {"---", "###", "+++", "", "0", "abc", "0231x", "21", "0239"}) {
    EXPECT_FALSE(IsValid(c)) << c;
    EXPECT_EQ(Find(c), nullptr) << c;
  }
  EXPECT_TRUE(IsSpecialCode("---"));
  EXPECT_TRUE(IsSpecialCode("###"));
  EXPECT_TRUE(IsSpecialCode("+++"));
  EXPECT_FALSE(IsSpecialCode("010"));
}

TEST(Cameo, NearestValidWalksUpTheHierarchy) {
  EXPECT_EQ(NearestValid("0231"), "0231");
  EXPECT_EQ(NearestValid("0239"), "023");  // finer than the codebook
  EXPECT_EQ(NearestValid("0299"), "02");
  EXPECT_EQ(NearestValid("99"), "");
  EXPECT_EQ(NearestValid("---"), "");
}

TEST(Cameo, QuadClasses) {
  EXPECT_EQ(QuadClassOf("042"), 1);
  EXPECT_EQ(QuadClassOf("073"), 2);
  EXPECT_EQ(QuadClassOf("112"), 3);
  EXPECT_EQ(QuadClassOf("193"), 4);
  EXPECT_EQ(QuadClassOf("---"), 0);
  EXPECT_EQ(QuadClassName(3), "Verbal conflict");
  EXPECT_EQ(QuadClassName(0), "");
}

TEST(Cameo, TableIsCompleteAndConsistent) {
  auto all = AllEventTypes();
  EXPECT_EQ(all.size(), 311u);
  std::set<std::string> roots;
  for (const auto& e : all) {
    std::string code = e.code;
    ASSERT_GE(code.size(), 2u) << code;
    ASSERT_LE(code.size(), 4u) << code;
    EXPECT_EQ(code.substr(0, 2), e.root) << code;
    EXPECT_GE(e.quad_class, 1) << code;
    EXPECT_LE(e.quad_class, 4) << code;
    EXPECT_GE(e.goldstein, -10.0) << code;
    EXPECT_LE(e.goldstein, 10.0) << code;
    EXPECT_NE(std::string(e.name), "") << code;
    // Every code's root is itself in the table, with the same QuadClass.
    const EventType* r = Find(e.root);
    ASSERT_NE(r, nullptr) << code;
    EXPECT_EQ(r->quad_class, e.quad_class) << code;
    roots.insert(e.root);
  }
  EXPECT_EQ(roots.size(), 20u);  // 01 .. 20
}

}  // namespace
}  // namespace dyad::cameo
