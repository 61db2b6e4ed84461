// News dates -> YYYY-MM-DD (see NormalizeNewsDate in dyad/reader.h).
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "dyad/reader.h"

namespace dyad {
namespace {

bool ValidDate(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d > kDays[m - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}

std::string Format(int y, int m, int d) {
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
  return b;
}

// Month from an English name or abbreviation ("Mar", "Mar.", "March", "Sept"); 0 if none.
int MonthOf(std::string_view w) {
  std::string s;
  for (char c : w)
    if (c != '.') s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::array<std::string_view, 12> kNames = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  if (s == "sept") return 9;
  for (size_t i = 0; i < kNames.size(); ++i)
    if (s.size() >= 3 && kNames[i].starts_with(s)) return static_cast<int>(i) + 1;
  return 0;
}

bool IsWeekday(std::string_view w) {
  std::string s;
  for (char c : w)
    if (c != '.') s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::array<std::string_view, 7> kDays = {
      "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  for (auto d : kDays)
    if (s.size() >= 3 && d.starts_with(s)) return true;
  return s == "tues" || s == "thur" || s == "thurs";
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

int Num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// A day number with an optional English ordinal suffix ("3", "03", "3rd").
int DayOf(std::string_view w) {
  if (w.size() > 2) {
    std::string_view suf = w.substr(w.size() - 2);
    if (suf == "st" || suf == "nd" || suf == "rd" || suf == "th") w.remove_suffix(2);
  }
  if (!AllDigits(w) || w.size() > 2) return 0;
  return Num(w);
}

}  // namespace

Result<std::string> NormalizeNewsDate(std::string_view in) {
  std::string_view d = in;
  while (!d.empty() && std::isspace(static_cast<unsigned char>(d.front()))) d.remove_prefix(1);
  while (!d.empty() && std::isspace(static_cast<unsigned char>(d.back()))) d.remove_suffix(1);
  auto bad = [&](const std::string& why) {
    std::string shown(in.substr(0, 64));
    return Status::Error("date '" + shown + "' " + why);
  };
  if (d.empty()) return bad("is empty");
  // ISO: YYYY-MM-DD or YYYY/MM/DD, optionally followed by a time (T or space).
  if (d.size() >= 10 && AllDigits(d.substr(0, 4)) && (d[4] == '-' || d[4] == '/') &&
      d[7] == d[4] && AllDigits(d.substr(5, 2)) && AllDigits(d.substr(8, 2)) &&
      (d.size() == 10 || d[10] == 'T' || d[10] == ' ' || d[10] == 't')) {
    int y = Num(d.substr(0, 4)), m = Num(d.substr(5, 2)), dd = Num(d.substr(8, 2));
    if (!ValidDate(y, m, dd)) return bad("is not a calendar date");
    return Format(y, m, dd);
  }
  // Compact: YYYYMMDD, optionally with a time ("20260303T1000").
  if (d.size() >= 8 && AllDigits(d.substr(0, 8)) && (d.size() == 8 || d[8] == 'T')) {
    int y = Num(d.substr(0, 4)), m = Num(d.substr(4, 2)), dd = Num(d.substr(6, 2));
    if (!ValidDate(y, m, dd)) return bad("is not a calendar date (YYYYMMDD)");
    return Format(y, m, dd);
  }
  // Numeric with the year last: ambiguous.
  {
    size_t i = 0;
    while (i < d.size() && std::isdigit(static_cast<unsigned char>(d[i]))) ++i;
    if (i >= 1 && i <= 2 && i < d.size() && (d[i] == '/' || d[i] == '.' || d[i] == '-')) {
      size_t j = i + 1;
      while (j < d.size() && std::isdigit(static_cast<unsigned char>(d[j]))) ++j;
      if (j > i + 1 && j < d.size() && d[j] == d[i])
        return bad("is ambiguous (day/month order differs between sources): write it as "
                   "YYYY-MM-DD");
    }
  }
  // Words: split at blanks and commas, drop a weekday and anything after the year (a time,
  // a time zone).
  std::vector<std::string_view> w;
  size_t p = 0;
  while (p < d.size()) {
    while (p < d.size() && (d[p] == ' ' || d[p] == ',' || d[p] == '\t')) ++p;
    size_t q = p;
    while (q < d.size() && d[q] != ' ' && d[q] != ',' && d[q] != '\t') ++q;
    if (q > p) w.push_back(d.substr(p, q - p));
    p = q;
  }
  if (!w.empty() && IsWeekday(w[0])) w.erase(w.begin());
  // "03-Mar-2026"
  if (w.size() >= 1) {
    std::string_view t = w[0];
    size_t a = t.find('-');
    size_t b = a == std::string_view::npos ? a : t.find('-', a + 1);
    if (b != std::string_view::npos) {
      std::string_view x = t.substr(0, a), y = t.substr(a + 1, b - a - 1), z = t.substr(b + 1);
      int day = DayOf(x), mon = MonthOf(y);
      if (day && mon && AllDigits(z) && z.size() == 4) {
        int yr = Num(z);
        if (!ValidDate(yr, mon, day)) return bad("is not a calendar date");
        return Format(yr, mon, day);
      }
    }
  }
  if (w.size() >= 3) {
    int day = 0, mon = 0;
    std::string_view year;
    if ((mon = MonthOf(w[0])) && (day = DayOf(w[1]))) {  // March 3, 2026
      year = w[2];
    } else if ((day = DayOf(w[0])) && (mon = MonthOf(w[1]))) {  // 3 March 2026
      year = w[2];
    }
    if (day && mon) {
      if (year.size() == 2 && AllDigits(year))
        return bad("has a two-digit year: write it as YYYY-MM-DD");
      if (year.size() == 4 && AllDigits(year)) {
        int yr = Num(year);
        if (!ValidDate(yr, mon, day)) return bad("is not a calendar date");
        return Format(yr, mon, day);
      }
    }
  }
  return bad("is not a date dyad reads (write it as YYYY-MM-DD)");
}

}  // namespace dyad
