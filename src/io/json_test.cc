#include "dyad/json.h"

#include <gtest/gtest.h>

namespace dyad {
namespace {

TEST(Json, ParsesDocumentsWithEscapes) {
  auto v = ParseJson(R"({"id": "a1", "n": -2.5e1, "ok": true, "text": "Gondor \"wins\"\n\u00e9\ud83d\ude00", "x": [1, {"y": null}]})");
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->Find("id")->str, "a1");
  EXPECT_EQ(v->Find("n")->number, -25);
  EXPECT_EQ(v->Find("n")->AsText(), "-2.5e1");
  EXPECT_EQ(v->Find("text")->str, "Gondor \"wins\"\n\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ(v->Find("missing"), nullptr);
}

TEST(Json, RejectsMalformedInputWithColumn) {
  for (const char* bad : {"", "{", "{\"a\":}", "{\"a\":1,}", "[1 2]", "\"abc", "{\"a\":1} x",
                          "tru", "{\"a\":\"\x01\"}", "-", "1.", "{'a':1}"}) {
    auto v = ParseJson(bad);
    EXPECT_FALSE(v.ok()) << bad;
    if (!v.ok()) {
      EXPECT_NE(v.status().message().find("column"), std::string::npos);
    }
  }
}

TEST(Json, DeepNestingIsAnErrorNotAStackOverflow) {
  std::string deep(100000, '[');
  EXPECT_FALSE(ParseJson(deep).ok());
}

TEST(Json, EscapeRoundTrips) {
  std::string s = "a\"b\\c\n\t\x01 é";
  std::string lit;
  AppendJsonString(s, &lit);
  auto v = ParseJson(lit);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->str, s);
}

}  // namespace
}  // namespace dyad
