#include "dict/text_util.h"

namespace dyad::dict::internal {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::vector<std::string_view> SplitBlanks(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && IsSpace(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !IsSpace(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

LineReader::LineReader(std::string_view text) : text_(text) {
  if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);
}

bool LineReader::Next(Line* line) {
  while (pos_ < text_.size()) {
    size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    std::string_view raw = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    ++number_;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);

    // "<! -- ... -->" and other "<!" lines that are not "<!--": PETRARCH skips the line.
    if (!in_xml_comment_) {
      std::string_view t = Trim(raw);
      if (t.starts_with("<!") && !t.starts_with("<!--")) continue;
    }
    // One pass, left to right, so that "# -->" closes an XML comment and a '#' comment hides
    // a later "<!--".
    std::string content;
    int depth = 0;  // inside [...]
    size_t i = 0;
    while (i < raw.size()) {
      if (in_xml_comment_) {
        size_t close = raw.find("-->", i);
        if (close == std::string_view::npos) {
          i = raw.size();
          break;
        }
        in_xml_comment_ = false;
        i = close + 3;
        continue;
      }
      char c = raw[i];
      if (c == '<' && raw.substr(i, 4) == "<!--") {
        in_xml_comment_ = true;
        comment_start_ = number_;
        i += 4;
        continue;
      }
      if (c == '[') ++depth;
      if (c == ']' && depth > 0) --depth;
      if ((c == '#' || c == ';') && depth == 0) break;
      content.push_back(c);
      ++i;
    }
    std::string_view trimmed = Trim(content);
    if (trimmed.empty()) continue;
    line->number = number_;
    line->raw = raw;
    line->content = std::string(trimmed);
    return true;
  }
  if (in_xml_comment_) unclosed_comment_ = comment_start_;
  return false;
}

namespace {

bool IsVowel(char c) { return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U'; }
bool IsLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

}  // namespace

std::string PluralOf(std::string_view w) {
  std::string s(w);
  if (s.empty()) return s;
  size_t n = s.size();
  char last = s[n - 1];
  if (last == 'Y' && n >= 2 && IsLetter(s[n - 2]) && !IsVowel(s[n - 2]))
    return s.substr(0, n - 1) + "IES";
  if (last == 'S' || last == 'X' || last == 'Z' || s.ends_with("CH") || s.ends_with("SH"))
    return s + "ES";
  return s + "S";
}

std::string ThirdPersonOf(std::string_view verb) { return PluralOf(verb); }

std::string PastOf(std::string_view w) {
  std::string s(w);
  if (s.empty()) return s;
  size_t n = s.size();
  if (s[n - 1] == 'E') return s + "D";
  if (s[n - 1] == 'Y' && n >= 2 && IsLetter(s[n - 2]) && !IsVowel(s[n - 2]))
    return s.substr(0, n - 1) + "IED";
  return s + "ED";
}

std::string GerundOf(std::string_view w) {
  std::string s(w);
  size_t n = s.size();
  if (n >= 3 && s.ends_with("IE")) return s.substr(0, n - 2) + "YING";  // DIE -> DYING
  // MAKE -> MAKING, but AGREE -> AGREEING, DYE -> DYEING, TOE -> TOEING.
  if (n >= 3 && s[n - 1] == 'E' && s[n - 2] != 'E' && s[n - 2] != 'Y' && s[n - 2] != 'O')
    return s.substr(0, n - 1) + "ING";
  return s + "ING";
}

std::optional<int32_t> ParseDate(std::string_view s) {
  if (s.size() != 6 && s.size() != 8) return std::nullopt;
  for (char c : s)
    if (c < '0' || c > '9') return std::nullopt;
  auto num = [&](size_t at, size_t len) {
    int v = 0;
    for (size_t i = at; i < at + len; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  int year, month, day;
  if (s.size() == 8) {
    year = num(0, 4), month = num(4, 2), day = num(6, 2);
  } else {
    year = num(0, 2), month = num(2, 2), day = num(4, 2);
    year += year <= 30 ? 2000 : 1900;
  }
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int max_day = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  if (day > max_day) return std::nullopt;
  return year * 10000 + month * 100 + day;
}

}  // namespace dyad::dict::internal
