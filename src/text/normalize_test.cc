#include <gtest/gtest.h>

#include "dyad/text.h"

namespace dyad::text {
namespace {

TEST(Normalize, AsciiIsUnchanged) {
  EXPECT_EQ(Normalize("Arnor"), "Arnor");
  EXPECT_EQ(Normalize("\""), "\"");
  EXPECT_EQ(Normalize("--"), "--");
  EXPECT_EQ(Normalize("..."), "...");
  EXPECT_EQ(Normalize(""), "");
}

TEST(Normalize, QuotesBecomeStraight) {
  EXPECT_EQ(Normalize("\xE2\x80\x9C"), "\"");               // “
  EXPECT_EQ(Normalize("\xE2\x80\x9D"), "\"");               // ”
  EXPECT_EQ(Normalize("\xC2\xAB"), "\"");                   // «
  EXPECT_EQ(Normalize("\xE2\x80\x98"), "'");                // ‘
  EXPECT_EQ(Normalize("Gondor\xE2\x80\x99s"), "Gondor's");  // ’ in a clitic
  EXPECT_EQ(Normalize("``"), "\"");
  EXPECT_EQ(Normalize("''"), "\"");
}

TEST(Normalize, DashesAndEllipsis) {
  EXPECT_EQ(Normalize("\xE2\x80\x93"), "-");   // en dash
  EXPECT_EQ(Normalize("\xE2\x80\x94"), "--");  // em dash
  EXPECT_EQ(Normalize("\xE2\x88\x92"
                      "5"),
            "-5");  // minus sign
  EXPECT_EQ(Normalize("\xE2\x80\xA6"), "...");
}

TEST(Normalize, WhiteSpaceAndInvisibleCharacters) {
  EXPECT_EQ(Normalize("New\xC2\xA0York"), "New York");  // NBSP
  EXPECT_EQ(Normalize(" a \t\n b "), "a b");
  EXPECT_EQ(Normalize("co\xC2\xADoperate"), "cooperate");  // soft hyphen
  EXPECT_EQ(Normalize("\xEF\xBB\xBF"
                      "Arnor"),
            "Arnor");  // byte-order mark
  EXPECT_EQ(Normalize("\xE2\x80\x8F\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"),
            "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D");  // RLM dropped, Hebrew kept
  // Zero-width joiners hold emoji sequences and Indic scripts together: kept.
  EXPECT_EQ(Normalize("\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB"),
            "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB");
}

TEST(Normalize, ComposesToNfc) {
  EXPECT_EQ(Normalize("Mine\xCC\x81"), "Min\xC3\xA9");  // e + combining acute -> é
  EXPECT_EQ(Normalize("Min\xC3\xA9"), "Min\xC3\xA9");
}

TEST(Normalize, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(Normalize("a\xFF"), "a\xEF\xBF\xBD");
  EXPECT_EQ(Normalize("\xE2\x80"), "\xEF\xBF\xBD");
}

}  // namespace
}  // namespace dyad::text
