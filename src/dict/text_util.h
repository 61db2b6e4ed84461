// Line-level helpers shared by the dictionary readers: comment stripping, upper-casing,
// English inflection rules and date parsing. Internal to src/dict.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dyad::dict::internal {

// One dictionary line with its comments removed.
struct Line {
  uint32_t number = 0;   // 1-based
  std::string_view raw;  // the physical line, without its end-of-line characters
  std::string content;   // comments removed, trimmed; never empty
};

// Walks a file's lines and yields the ones with content. Comments:
//   - `#` and `;` start a comment that runs to the end of the line, except inside [...]
//     (codes such as [###]); whole-line `#` comments are skipped;
//   - XML comments <!-- ... --> are removed, also across lines. Unlike PETRARCH-2, reading
//     goes on after them.
// Blank lines are skipped; \r\n line ends and a UTF-8 byte-order mark are accepted.
class LineReader {
 public:
  explicit LineReader(std::string_view text);
  bool Next(Line* line);
  uint32_t lines_read() const { return number_; }
  // Line where an XML comment was opened and never closed, or 0.
  uint32_t unclosed_comment() const { return unclosed_comment_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  uint32_t number_ = 0;
  bool in_xml_comment_ = false;
  uint32_t comment_start_ = 0;
  uint32_t unclosed_comment_ = 0;
};

std::string_view Trim(std::string_view s);
std::string Upper(std::string_view s);  // ASCII letters only; other bytes unchanged
bool IsSpace(char c);
// Splits on blanks and tabs.
std::vector<std::string_view> SplitBlanks(std::string_view s);

// Regular English inflections of an upper-case word (the dictionaries' convention).
std::string PluralOf(std::string_view noun);       // CITY->CITIES, PASS->PASSES, DAY->DAYS
std::string ThirdPersonOf(std::string_view verb);  // same rules as PluralOf
std::string PastOf(std::string_view verb);         // AGREE->AGREED, TRY->TRIED, ASK->ASKED
std::string GerundOf(std::string_view verb);       // MAKE->MAKING, AGREE->AGREEING

// A date in YYYYMMDD or YYMMDD (YY <= 30 is 20YY, else 19YY, as in TABARI and PETRARCH) as
// the integer YYYYMMDD; nullopt when malformed or not a calendar date.
std::optional<int32_t> ParseDate(std::string_view s);

}  // namespace dyad::dict::internal
