#include "dict/text_util.h"

#include <gtest/gtest.h>

namespace dyad::dict::internal {
namespace {

std::vector<std::pair<uint32_t, std::string>> ReadAll(std::string_view text,
                                                      uint32_t* unclosed = nullptr) {
  LineReader r(text);
  Line line;
  std::vector<std::pair<uint32_t, std::string>> out;
  while (r.Next(&line)) out.emplace_back(line.number, line.content);
  if (unclosed) *unclosed = r.unclosed_comment();
  return out;
}

TEST(LineReader, StripsHashAndSemicolonComments) {
  auto lines = ReadAll("# whole line\nARNOR [ARN] # a note\nGONDOR ; tabari note\n\n   \n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], (std::pair<uint32_t, std::string>{2, "ARNOR [ARN]"}));
  EXPECT_EQ(lines[1], (std::pair<uint32_t, std::string>{3, "GONDOR"}));
}

TEST(LineReader, HashInsideBracketsIsACode) {
  auto lines = ReadAll("- * FOOTBALL [###] # discard\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].second, "- * FOOTBALL [###]");
}

TEST(LineReader, XmlCommentsOnOneLineAndAcrossLines) {
  std::string text =
      "<!-- header -->\n"                // 1
      "ARNOR <!-- inline --> [ARN]\n"    // 2
      "<!--\n"                           // 3
      "# inside, with a hash\n"          // 4
      "ROHAN [ROH]\n"                    // 5: still inside
      "# -->\n"                          // 6: a '#' line closes it
      "GONDOR [GON]\n"                   // 7
      "<! -- PETRARCH skips this -->\n"  // 8
      "ERIADOR [ERI]\n";                 // 9
  uint32_t unclosed = 99;
  auto lines = ReadAll(text, &unclosed);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], (std::pair<uint32_t, std::string>{2, "ARNOR  [ARN]"}));
  EXPECT_EQ(lines[1], (std::pair<uint32_t, std::string>{7, "GONDOR [GON]"}));
  // Reading goes on after XML comments (PETRARCH-2 stopped reading patterns there).
  EXPECT_EQ(lines[2], (std::pair<uint32_t, std::string>{9, "ERIADOR [ERI]"}));
  EXPECT_EQ(unclosed, 0u);
}

TEST(LineReader, ReportsAnUnclosedXmlComment) {
  uint32_t unclosed = 0;
  auto lines = ReadAll("ARNOR [ARN]\n<!-- never closed\nGONDOR [GON]\n", &unclosed);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(unclosed, 2u);
}

TEST(LineReader, AcceptsCrLfAndByteOrderMark) {
  auto lines = ReadAll("\xEF\xBB\xBFGONDOR [GON]\r\nARNOR [ARN]\r\n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], (std::pair<uint32_t, std::string>{1, "GONDOR [GON]"}));
  EXPECT_EQ(lines[1], (std::pair<uint32_t, std::string>{2, "ARNOR [ARN]"}));
}

TEST(TextUtil, UpperTouchesOnlyAsciiLetters) {
  EXPECT_EQ(Upper("minas tirith-2 é"), "MINAS TIRITH-2 é");
}

TEST(TextUtil, RegularInflections) {
  EXPECT_EQ(PluralOf("CITY"), "CITIES");
  EXPECT_EQ(PluralOf("DAY"), "DAYS");
  EXPECT_EQ(PluralOf("PASS"), "PASSES");
  EXPECT_EQ(PluralOf("BOX"), "BOXES");
  EXPECT_EQ(PluralOf("CHURCH"), "CHURCHES");
  EXPECT_EQ(PluralOf("ORC"), "ORCS");
  EXPECT_EQ(PastOf("AGREE"), "AGREED");
  EXPECT_EQ(PastOf("TRY"), "TRIED");
  EXPECT_EQ(PastOf("PLAY"), "PLAYED");
  EXPECT_EQ(PastOf("ASK"), "ASKED");
  EXPECT_EQ(GerundOf("MAKE"), "MAKING");
  EXPECT_EQ(GerundOf("AGREE"), "AGREEING");
  EXPECT_EQ(GerundOf("DIE"), "DYING");
  EXPECT_EQ(GerundOf("ASK"), "ASKING");
  EXPECT_EQ(ThirdPersonOf("REACH"), "REACHES");
}

TEST(TextUtil, Dates) {
  EXPECT_EQ(ParseDate("20060520"), 20060520);
  EXPECT_EQ(ParseDate("950601"), 19950601);  // YY > 30: 19YY
  EXPECT_EQ(ParseDate("050601"), 20050601);  // YY <= 30: 20YY
  EXPECT_EQ(ParseDate("20120229"), 20120229);
  EXPECT_FALSE(ParseDate("20110229"));  // not a leap year
  EXPECT_FALSE(ParseDate("20100931"));
  EXPECT_FALSE(ParseDate("2010013"));  // 7 digits
  EXPECT_FALSE(ParseDate("201005011"));
  EXPECT_FALSE(ParseDate("2010AB01"));
  EXPECT_FALSE(ParseDate(""));
}

}  // namespace
}  // namespace dyad::dict::internal
