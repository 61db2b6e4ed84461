#include "text/unicode.h"

#include <gtest/gtest.h>

#include "dyad/text.h"

namespace dyad::text {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

std::string Repair(std::string_view in, size_t expected_count) {
  size_t n = 99;
  std::string out = RepairUtf8(in, &n);
  EXPECT_EQ(n, expected_count) << "input of " << in.size() << " bytes";
  return out;
}

TEST(RepairUtf8, ValidTextIsUnchanged) {
  const std::string s =
      "Arnor \xC3\xA9 \xE2\x80\x9C\xD8\xB9\xD8\xB1\xD8\xA8\xE2\x80\x9D \xF0\x9F\x98\x80";
  EXPECT_EQ(Repair(s, 0), s);
  EXPECT_EQ(Repair("", 0), "");
  EXPECT_EQ(Repair(std::string("a\0b", 3), 0), std::string("a\0b", 3));  // NUL is valid
}

TEST(RepairUtf8, StrayAndBadLeadBytes) {
  EXPECT_EQ(Repair("a\x80z", 1), "a" + kFffd + "z");
  EXPECT_EQ(Repair("\xFF\xFE", 2), kFffd + kFffd);
  EXPECT_EQ(Repair("\xF5\x80\x80\x80", 4), kFffd + kFffd + kFffd + kFffd);
}

TEST(RepairUtf8, Overlongs) {
  EXPECT_EQ(Repair("\xC0\xAF", 2), kFffd + kFffd);  // overlong '/'
  EXPECT_EQ(Repair("\xC1\xBF", 2), kFffd + kFffd);
  EXPECT_EQ(Repair("\xE0\x80\xAF", 3), kFffd + kFffd + kFffd);  // E0 needs A0..BF next
  EXPECT_EQ(Repair("\xF0\x80\x80\xAF", 4), kFffd + kFffd + kFffd + kFffd);
}

TEST(RepairUtf8, SurrogatesAndBeyondUnicode) {
  EXPECT_EQ(Repair("\xED\xA0\x80", 3), kFffd + kFffd + kFffd);              // U+D800
  EXPECT_EQ(Repair("\xED\x9F\xBF", 0), "\xED\x9F\xBF");                     // U+D7FF is fine
  EXPECT_EQ(Repair("\xF4\x90\x80\x80", 4), kFffd + kFffd + kFffd + kFffd);  // > U+10FFFF
  EXPECT_EQ(Repair("\xF4\x8F\xBF\xBF", 0), "\xF4\x8F\xBF\xBF");             // U+10FFFF
}

TEST(RepairUtf8, TruncatedSequenceIsOneReplacement) {
  // The lead byte and its acceptable continuation bytes form one maximal subpart.
  EXPECT_EQ(Repair("\xE2\x82", 1), kFffd);
  EXPECT_EQ(Repair("x\xE2\x82y", 1), "x" + kFffd + "y");
  EXPECT_EQ(Repair("\xF0\x9F\x98", 1), kFffd);
  EXPECT_EQ(Repair("\xF0\x9F\x98\xF0\x9F\x98\x80", 1), kFffd + "\xF0\x9F\x98\x80");
}

TEST(RepairUtf8, EveryByteStringDecodesWithinBounds) {
  // Exhaustive over two-byte strings and a sample of longer ones: no read past the end, and the
  // output is valid UTF-8.
  for (int a = 0; a < 256; ++a)
    for (int b = 0; b < 256; ++b) {
      std::string s{static_cast<char>(a), static_cast<char>(b)};
      size_t n = 0;
      std::string out = RepairUtf8(s, &n);
      size_t again = 0;
      EXPECT_EQ(RepairUtf8(out, &again), out);
      ASSERT_EQ(again, 0u);
    }
}

TEST(Decode, ClassesAndLengths) {
  EXPECT_EQ(DecodeAt("\xC3\xA9", 0).cp, 0xE9u);
  EXPECT_EQ(DecodeAt("\xC3\xA9", 0).len, 2);
  EXPECT_EQ(ClassOf('A'), CharClass::kUpper);
  EXPECT_EQ(ClassOf(0x05D0), CharClass::kLetter);  // Hebrew alef
  EXPECT_EQ(ClassOf(0x0661), CharClass::kDigit);   // Arabic-Indic one
  EXPECT_EQ(ClassOf(0x00A0), CharClass::kSpace);   // no-break space
  EXPECT_EQ(ClassOf(0), CharClass::kSpace);        // NUL separates like white space
  EXPECT_EQ(ClassOf(0x200D), CharClass::kMark);    // zero-width joiner
  EXPECT_EQ(ClassOf(0x1F600), CharClass::kSymbol);
  EXPECT_EQ(ClassOf(0x201C), CharClass::kPunct);
  EXPECT_EQ(LowerUtf8("ÉCOLE Arnor"), "école arnor");
}

}  // namespace
}  // namespace dyad::text
