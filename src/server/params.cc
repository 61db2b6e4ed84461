#include "server/params.h"

#include <charconv>
#include <initializer_list>
#include <set>

namespace dyad::server {
namespace {

// Filter parameters every query endpoint takes.
constexpr std::string_view kFilterParams[] = {"actor", "source", "target",    "code",
                                              "root",  "quad_class", "from", "to",
                                              "text",  "doc_id",     "one_a_day"};
constexpr size_t kMaxActorLength = 32;
constexpr size_t kMaxTextLength = 200;
constexpr size_t kMaxDocIdLength = 512;

Status Bad(std::string_view name, const std::string& why) {
  return Status::Error("parameter '" + std::string(name) + "': " + why);
}

// Every parameter must be known, and given once.
Status CheckNames(const Params& params, std::initializer_list<std::string_view> extra) {
  std::set<std::string_view> known(std::begin(kFilterParams), std::end(kFilterParams));
  known.insert(extra.begin(), extra.end());
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (!known.count(it->first)) {
      std::string list;
      for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      std::string shown = it->first.size() > 40 ? it->first.substr(0, 40) + "..." : it->first;
      return Status::Error("unknown parameter '" + shown + "' (known: " + list + ")");
    }
    if (params.count(it->first) > 1) return Bad(it->first, "given more than once");
  }
  return Status::Ok();
}

const std::string* Get(const Params& params, std::string_view name) {
  auto it = params.find(std::string(name));
  return it == params.end() ? nullptr : &it->second;
}

Result<int64_t> ParseInt(std::string_view name, const std::string& v, int64_t lo, int64_t hi) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || n < lo || n > hi)
    return Bad(name, "'" + v.substr(0, 40) + "' is not a whole number from " +
                         std::to_string(lo) + " to " + std::to_string(hi));
  return n;
}

Result<bool> ParseBool(std::string_view name, const std::string& v) {
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off" || v.empty()) return false;
  return Bad(name, "'" + v.substr(0, 40) + "' is not 0/1 or true/false");
}

// Actor codes: CAMEO codes are upper-case letters and digits ("IRNMIL"), "---GOV" for an agent
// without a country. Lower case is accepted and upper-cased.
Result<std::string> ParseActor(std::string_view name, const std::string& v) {
  if (v.size() > kMaxActorLength)
    return Bad(name, "longer than " + std::to_string(kMaxActorLength) + " characters");
  std::string out;
  for (char c : v) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
      return Bad(name, "an actor code (prefix) is letters, digits and '-', e.g. IRN or IRNMIL");
    out += c;
  }
  return out;
}

Result<std::string> ParseDigits(std::string_view name, const std::string& v, size_t min,
                                size_t max, const char* example) {
  bool ok = v.size() >= min && v.size() <= max;
  for (char c : v) ok = ok && c >= '0' && c <= '9';
  if (!ok) return Bad(name, std::string("a CAMEO code is ") + example);
  return v;
}

// Checks the UTF-8 of a free-text value and that it has no control characters.
bool CleanText(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return false;
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += n;
  }
  return true;
}

Status ParseFilterInto(const Params& params, store::Filter* f) {
  if (auto v = Get(params, "actor")) {
    DYAD_ASSIGN_OR_RETURN(f->actor, ParseActor("actor", *v));
  }
  if (auto v = Get(params, "source")) {
    DYAD_ASSIGN_OR_RETURN(f->source, ParseActor("source", *v));
  }
  if (auto v = Get(params, "target")) {
    DYAD_ASSIGN_OR_RETURN(f->target, ParseActor("target", *v));
  }
  if (auto v = Get(params, "code"); v && !v->empty()) {
    DYAD_ASSIGN_OR_RETURN(f->code, ParseDigits("code", *v, 1, 4, "1 to 4 digits, e.g. 19 or 190"));
  }
  if (auto v = Get(params, "root"); v && !v->empty()) {
    DYAD_ASSIGN_OR_RETURN(f->root, ParseDigits("root", *v, 2, 2, "a root of 2 digits, e.g. 19"));
  }
  if (auto v = Get(params, "quad_class"); v && !v->empty()) {
    DYAD_ASSIGN_OR_RETURN(int64_t q, ParseInt("quad_class", *v, 1, 4));
    f->quad_class = static_cast<int>(q);
  }
  for (const char* name : {"from", "to"}) {
    auto v = Get(params, name);
    if (!v || v->empty()) continue;
    if (!IsIsoDate(*v)) return Bad(name, "'" + v->substr(0, 40) + "' is not a date YYYY-MM-DD");
    (std::string_view(name) == "from" ? f->from : f->to) = *v;
  }
  if (!f->from.empty() && !f->to.empty() && f->from > f->to)
    return Status::Error("parameters 'from' and 'to': from " + f->from + " is after to " + f->to);
  if (auto v = Get(params, "text")) {
    if (v->size() > kMaxTextLength)
      return Bad("text", "longer than " + std::to_string(kMaxTextLength) + " bytes");
    if (!CleanText(*v)) return Bad("text", "not valid UTF-8 text (or holds control characters)");
    f->text = *v;
  }
  if (auto v = Get(params, "doc_id")) {
    if (v->size() > kMaxDocIdLength)
      return Bad("doc_id", "longer than " + std::to_string(kMaxDocIdLength) + " bytes");
    if (!CleanText(*v)) return Bad("doc_id", "not valid UTF-8 text");
    f->doc_id = *v;
  }
  if (auto v = Get(params, "one_a_day")) {
    DYAD_ASSIGN_OR_RETURN(f->one_a_day, ParseBool("one_a_day", *v));
  }
  return Status::Ok();
}

}  // namespace

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  int d = (s[8] - '0') * 10 + (s[9] - '0');
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}

Result<EventsQuery> ParseEventsQuery(const Params& params, const ParamLimits& limits) {
  DYAD_RETURN_IF_ERROR(CheckNames(params, {"limit", "offset", "order", "count"}));
  EventsQuery q;
  DYAD_RETURN_IF_ERROR(ParseFilterInto(params, &q.filter));
  q.filter.limit = 50;
  if (auto v = Get(params, "limit")) {
    DYAD_ASSIGN_OR_RETURN(q.filter.limit, ParseInt("limit", *v, 1, limits.max_page));
  }
  if (auto v = Get(params, "offset")) {
    DYAD_ASSIGN_OR_RETURN(q.filter.offset, ParseInt("offset", *v, 0, store::kMaxOffset));
  }
  if (auto v = Get(params, "order")) {
    if (*v == "newest")
      q.filter.newest_first = true;
    else if (*v != "oldest" && !v->empty())
      return Bad("order", "'" + v->substr(0, 40) + "' is not oldest or newest");
  }
  if (auto v = Get(params, "count")) {
    DYAD_ASSIGN_OR_RETURN(q.count, ParseBool("count", *v));
  }
  DYAD_RETURN_IF_ERROR(store::ValidateFilter(q.filter));
  return q;
}

Result<SeriesQuery> ParseSeriesQuery(const Params& params, const ParamLimits& limits) {
  DYAD_RETURN_IF_ERROR(CheckNames(params, {"by", "group", "top"}));
  SeriesQuery q;
  DYAD_RETURN_IF_ERROR(ParseFilterInto(params, &q.filter));
  q.options.by = store::Bucket::kWeek;
  if (auto v = Get(params, "by"); v && !v->empty()) {
    if (*v != "day" && *v != "week" && *v != "month")
      return Bad("by", "'" + v->substr(0, 40) + "' is not day, week or month");
    DYAD_ASSIGN_OR_RETURN(q.options.by, store::ParseBucket(*v));
  }
  if (auto v = Get(params, "group"); v && !v->empty()) {
    if (*v != "none" && *v != "quad_class" && *v != "dyad")
      return Bad("group", "'" + v->substr(0, 40) + "' is not none, quad_class or dyad");
    DYAD_ASSIGN_OR_RETURN(q.options.group, store::ParseGroupBy(*v));
  }
  q.options.top = 8;
  if (auto v = Get(params, "top")) {
    DYAD_ASSIGN_OR_RETURN(int64_t top, ParseInt("top", *v, 1, limits.max_top));
    q.options.top = static_cast<int>(top);
  }
  DYAD_RETURN_IF_ERROR(store::ValidateFilter(q.filter));
  return q;
}

Result<store::Filter> ParseCountriesQuery(const Params& params) {
  DYAD_RETURN_IF_ERROR(CheckNames(params, {}));
  store::Filter f;
  DYAD_RETURN_IF_ERROR(ParseFilterInto(params, &f));
  DYAD_RETURN_IF_ERROR(store::ValidateFilter(f));
  return f;
}

Result<int64_t> ParseEventId(std::string_view text) {
  if (text.size() > 19) return Bad("id", "an event id is a whole number from 1 to " + std::to_string(INT64_MAX));
  return ParseInt("id", std::string(text), 1, INT64_MAX);
}

}  // namespace dyad::server
