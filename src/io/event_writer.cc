#include "dyad/event_writer.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <utility>

#include "dyad/json.h"

namespace dyad {
namespace {

// clang-format off
constexpr const char* kTsvColumns[] = {
    "doc_id",      "sentence",    "date",        "source",      "target",
    "code",        "root",        "quad_class",  "goldstein",   "issues",
    "source_text", "target_text", "verb_text",   "source_span", "target_span",
    "verb_span",   "pattern",     "pattern_where",              "text"};

constexpr const char* kPhoenixColumns[] = {
    "EventID",           "Date",              "Year",                 "Month",
    "Day",               "SourceActorFull",   "SourceActorEntity",    "SourceActorRole",
    "SourceActorAttribute",                   "TargetActorFull",      "TargetActorEntity",
    "TargetActorRole",   "TargetActorAttribute",                      "EventCode",
    "EventRootCode",     "QuadClass",         "GoldsteinScore",       "Issues",
    "Lat",               "Lon",               "LocationName",         "StateName",
    "CountryCode",       "SentenceID",        "URLs",                 "NewsSources"};

// The GDELT 2.0 event table, in its order.
constexpr const char* kGdeltColumns[] = {
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL"};

struct PloverRow {
  std::string_view cameo, event_type, mode, context;
};
constexpr PloverRow kPlover[] = {
#include "io/plover_table.inc"
};
// clang-format on
static_assert(std::size(kPhoenixColumns) == 26);
static_assert(std::size(kGdeltColumns) == 61);

// ISO 3166-1 alpha-3 (from the iso-codes tables), sorted, plus the historical and
// provisional states the CAMEO actor dictionaries use (DDR, CSK, KSV, SCG, SUN, YUG).
constexpr std::string_view kCountries[] = {
    "ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM", "ASM", "ATA", "ATF",
    "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR", "BHS",
    "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF",
    "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL", "COM", "CPV",
    "CRI", "CSK", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DDR", "DEU", "DJI", "DMA", "DNK",
    "DOM", "DZA", "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA",
    "FRO", "FSM", "GAB", "GBR", "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ",
    "GRC", "GRD", "GRL", "GTM", "GUF", "GUM", "GUY", "HKG", "HMD", "HND", "HRV", "HTI", "HUN",
    "IDN", "IMN", "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM", "JEY", "JOR",
    "JPN", "KAZ", "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KSV", "KWT", "LAO", "LBN", "LBR",
    "LBY", "LCA", "LIE", "LKA", "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA",
    "MDG", "MDV", "MEX", "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT",
    "MSR", "MTQ", "MUS", "MWI", "MYS", "MYT", "NAM", "NCL", "NER", "NFK", "NGA", "NIC", "NIU",
    "NLD", "NOR", "NPL", "NRU", "NZL", "OMN", "PAK", "PAN", "PCN", "PER", "PHL", "PLW", "PNG",
    "POL", "PRI", "PRK", "PRT", "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU",
    "SCG", "SDN", "SEN", "SGP", "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM",
    "SRB", "SSD", "STP", "SUN", "SUR", "SVK", "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA",
    "TCD", "TGO", "THA", "TJK", "TKL", "TKM", "TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TWN",
    "TZA", "UGA", "UKR", "UMI", "URY", "USA", "UZB", "VAT", "VCT", "VEN", "VGB", "VIR", "VNM",
    "VUT", "WLF", "WSM", "YEM", "YUG", "ZAF", "ZMB", "ZWE"};
constexpr std::string_view kRootActors[] = {"IGO", "IMG", "MNC", "NGO"};
constexpr std::string_view kPrimaryAgents[] = {"BUS", "COP", "CRM", "CVL", "EDU", "GOV", "JUD",
                                               "MED", "MIL", "OPP", "PTY", "REB", "SPY"};

static_assert(std::is_sorted(std::begin(kCountries), std::end(kCountries)));
static_assert(std::is_sorted(std::begin(kRootActors), std::end(kRootActors)));
static_assert(std::is_sorted(std::begin(kPrimaryAgents), std::end(kPrimaryAgents)));

template <size_t N>
bool In(const std::string_view (&sorted)[N], std::string_view s) {
  return std::binary_search(std::begin(sorted), std::end(sorted), s);
}

// Goldstein scores have one decimal in the codebook; shortest round-trip text, with ".0" for
// whole numbers so that every value reads as a decimal.
void AppendNumber(double v, std::string* out) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string_view s(buf, ec == std::errc() ? static_cast<size_t>(end - buf) : 0);
  out->append(s);
  if (s.find_first_of(".eEn") == std::string_view::npos) out->append(".0");
}

// TSV fields cannot hold tabs or line breaks: every control character becomes a blank.
void AppendField(std::string_view s, std::string* out) {
  for (char c : s) out->push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c);
}

void AppendSpanJson(const Span& s, std::string* out) {
  if (s.begin == s.end) {
    out->append("null");
    return;
  }
  out->append("[" + std::to_string(s.begin) + "," + std::to_string(s.end) + "]");
}

void AppendSpanTsv(const Span& s, std::string* out) {
  if (s.begin != s.end) out->append(std::to_string(s.begin) + "-" + std::to_string(s.end));
}

// "YYYY-MM-DD" -> "YYYYMMDD"; anything else as it is.
std::string CompactDate(std::string_view d) {
  if (d.size() == 10 && d[4] == '-' && d[7] == '-')
    return std::string(d.substr(0, 4)) + std::string(d.substr(5, 2)) + std::string(d.substr(8, 2));
  return std::string(d);
}

// Phoenix writes issues as "CODE,count;CODE,count", in order of first mention.
std::string PhoenixIssues(const std::vector<std::string>& issues) {
  std::vector<std::pair<std::string, int>> counts;
  for (const auto& i : issues) {
    auto it = std::find_if(counts.begin(), counts.end(), [&](auto& p) { return p.first == i; });
    if (it == counts.end())
      counts.emplace_back(i, 1);
    else
      ++it->second;
  }
  std::string out;
  for (const auto& [code, n] : counts) {
    if (!out.empty()) out += ';';
    out += code + "," + std::to_string(n);
  }
  return out;
}

void JsonKey(const char* key, std::string* out) {
  out->push_back(',');
  out->push_back('"');
  out->append(key);
  out->append("\":");
}

void JsonString(const char* key, std::string_view v, std::string* out) {
  JsonKey(key, out);
  AppendJsonString(v, out);
}

// Coordinates with the gazetteer's precision (1e-5 degrees, about a metre).
void AppendCoordinate(double v, std::string* out) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.5f", v);
  out->append(buf);
}

void AppendLocationJson(const EventLocation& l, std::string* out) {
  if (!l.found()) {
    out->append("null");
    return;
  }
  out->append("{\"name\":");
  AppendJsonString(l.name, out);
  JsonString("admin1", l.admin1, out);
  JsonString("country", l.country, out);
  JsonKey("lat", out);
  AppendCoordinate(l.lat, out);
  JsonKey("lon", out);
  AppendCoordinate(l.lon, out);
  JsonKey("geonames_id", out);
  if (l.geonames_id)
    out->append(std::to_string(l.geonames_id));
  else
    out->append("null");
  JsonString("how", l.how, out);
  out->push_back('}');
}

// A PLOVER actor: {"code", "country", "name"}, or null when the event has none.
void AppendPloverActor(const std::string& code, const std::string& text, std::string* out) {
  if (code.empty() && text.empty()) {
    out->append("null");
    return;
  }
  PhoenixActor a = SplitPhoenixActor(code);
  out->append("{\"code\":");
  AppendJsonString(code, out);
  JsonKey("country", out);
  if (a.entity.size() == 3 && In(kCountries, a.entity))
    AppendJsonString(a.entity, out);
  else
    out->append("null");
  JsonString("name", text, out);
  out->push_back('}');
}

// Day of the year (1-based) of a YYYYMMDD date, for GDELT's FractionDate.
int DayOfYear(int y, int m, int d) {
  static constexpr int kCum[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return kCum[(m - 1) % 12] + d + (leap && m > 2 ? 1 : 0);
}

}  // namespace

Result<EventFormat> ParseEventFormat(std::string_view name) {
  if (name == "jsonl") return EventFormat::kJsonl;
  if (name == "tsv") return EventFormat::kTsv;
  if (name == "phoenix") return EventFormat::kPhoenix;
  if (name == "plover") return EventFormat::kPlover;
  if (name == "gdelt") return EventFormat::kGdelt;
  return Status::Error("unknown output format '" + std::string(name) +
                       "' (choose jsonl, tsv, phoenix, plover or gdelt)");
}

std::string_view EventFormatName(EventFormat format) {
  switch (format) {
    case EventFormat::kJsonl:
      return "jsonl";
    case EventFormat::kTsv:
      return "tsv";
    case EventFormat::kPhoenix:
      return "phoenix";
    case EventFormat::kPlover:
      return "plover";
    case EventFormat::kGdelt:
      return "gdelt";
  }
  return "";
}

std::span<const char* const> TsvColumns() { return kTsvColumns; }
std::span<const char* const> PhoenixColumns() { return kPhoenixColumns; }
std::span<const char* const> GdeltColumns() { return kGdeltColumns; }

PloverType PloverEventType(std::string_view code) {
  static_assert(
      std::is_sorted(std::begin(kPlover), std::end(kPlover),
                     [](const PloverRow& a, const PloverRow& b) { return a.cameo < b.cameo; }));
  auto find = [](std::string_view c) -> const PloverRow* {
    auto it = std::lower_bound(std::begin(kPlover), std::end(kPlover), c,
                               [](const PloverRow& r, std::string_view k) { return r.cameo < k; });
    return it != std::end(kPlover) && it->cameo == c ? &*it : nullptr;
  };
  if (code.size() < 2 || code.size() > 4) return {};
  // "1823" -> "1823", "182"; "18" or "180x" -> "180".
  for (std::string_view c : {code, code.substr(0, 3)}) {
    if (c.size() < 3) continue;
    if (const PloverRow* r = find(c)) return {r->event_type, r->mode, r->context};
  }
  std::string root = std::string(code.substr(0, 2)) + "0";
  if (const PloverRow* r = find(root)) return {r->event_type, r->mode, r->context};
  return {};
}

PhoenixActor SplitPhoenixActor(std::string_view code) {
  PhoenixActor a;
  if (code.size() >= 3 && (In(kCountries, code.substr(0, 3)) || In(kRootActors, code.substr(0, 3))))
    a.entity = std::string(code.substr(0, 3));
  size_t rest = 3;
  if (code.size() >= 6 && In(kPrimaryAgents, code.substr(3, 3))) {
    a.role = std::string(code.substr(3, 3));
    rest = 6;
  }
  for (size_t i = rest; i < code.size(); i += 3) {
    if (!a.attributes.empty()) a.attributes += ';';
    a.attributes.append(code.substr(i, 3));
  }
  return a;
}

EventWriter::EventWriter(EventFormat format, EventProvenance provenance)
    : format_(format), provenance_(std::move(provenance)) {
  JsonString("model", provenance_.model, &json_tail_);
  JsonString("dict", provenance_.dict, &json_tail_);
  json_tail_ += "}\n";
}

std::string EventWriter::Header() const {
  if (format_ == EventFormat::kJsonl || format_ == EventFormat::kPlover) return "";
  std::string out = "# dyad " + provenance_.version + " " + std::string(EventFormatName(format_)) +
                    " model " + provenance_.model + " dict " + provenance_.dict + "\n";
  auto cols = format_ == EventFormat::kTsv     ? TsvColumns()
              : format_ == EventFormat::kGdelt ? GdeltColumns()
                                               : PhoenixColumns();
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) out += '\t';
    out += cols[i];
  }
  out += '\n';
  return out;
}

void EventWriter::AppendDocument(std::span<const Event> events, std::string* out,
                                 const Document* doc) const {
  uint32_t ordinal = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    ordinal = i > 0 && events[i].sentence == events[i - 1].sentence &&
                      events[i].doc_id == events[i - 1].doc_id
                  ? ordinal + 1
                  : 1;
    AppendEvent(events[i], ordinal, out, doc);
  }
}

void EventWriter::AppendEvent(const Event& e, uint32_t ordinal, std::string* out,
                              const Document* doc) const {
  if (format_ == EventFormat::kJsonl) {
    out->append("{\"doc_id\":");
    AppendJsonString(e.doc_id, out);
    JsonKey("sentence", out);
    out->append(std::to_string(e.sentence));
    JsonString("date", e.date, out);
    JsonString("source", e.source, out);
    JsonString("target", e.target, out);
    JsonString("code", e.code, out);
    JsonString("root", e.root, out);
    JsonKey("quad_class", out);
    out->append(std::to_string(e.quad_class));
    JsonKey("goldstein", out);
    AppendNumber(e.goldstein, out);
    JsonKey("issues", out);
    out->push_back('[');
    for (size_t i = 0; i < e.issues.size(); ++i) {
      if (i) out->push_back(',');
      AppendJsonString(e.issues[i], out);
    }
    out->push_back(']');
    JsonString("source_text", e.source_text, out);
    JsonString("target_text", e.target_text, out);
    JsonString("verb_text", e.verb_text, out);
    JsonKey("source_span", out);
    AppendSpanJson(e.source_span, out);
    JsonKey("target_span", out);
    AppendSpanJson(e.target_span, out);
    JsonKey("verb_span", out);
    AppendSpanJson(e.verb_span, out);
    JsonString("pattern", e.pattern, out);
    JsonString("pattern_where", e.pattern_where, out);
    JsonString("text", e.text, out);
    JsonKey("location", out);
    AppendLocationJson(e.location, out);
    out->append(json_tail_);
    return;
  }
  if (format_ == EventFormat::kPlover) return AppendPlover(e, ordinal, out, doc);
  if (format_ == EventFormat::kGdelt) return AppendGdelt(e, ordinal, out, doc);
  auto tab = [out] { out->push_back('\t'); };
  if (format_ == EventFormat::kTsv) {
    AppendField(e.doc_id, out);
    tab();
    out->append(std::to_string(e.sentence));
    for (const std::string* f : {&e.date, &e.source, &e.target, &e.code, &e.root}) {
      tab();
      AppendField(*f, out);
    }
    tab();
    out->append(std::to_string(e.quad_class));
    tab();
    AppendNumber(e.goldstein, out);
    tab();
    for (size_t i = 0; i < e.issues.size(); ++i) {
      if (i) out->push_back(';');
      AppendField(e.issues[i], out);
    }
    for (const std::string* f : {&e.source_text, &e.target_text, &e.verb_text}) {
      tab();
      AppendField(*f, out);
    }
    for (const Span* s : {&e.source_span, &e.target_span, &e.verb_span}) {
      tab();
      AppendSpanTsv(*s, out);
    }
    for (const std::string* f : {&e.pattern, &e.pattern_where, &e.text}) {
      tab();
      AppendField(*f, out);
    }
    out->push_back('\n');
    return;
  }
  // Phoenix.
  std::string date = CompactDate(e.date);
  std::string sentence_id = e.doc_id + "-" + std::to_string(e.sentence);
  AppendField(sentence_id + "-" + std::to_string(ordinal), out);
  tab();
  AppendField(date, out);
  tab();
  if (date.size() == 8) {
    out->append(date, 0, 4);
    tab();
    out->append(date, 4, 2);
    tab();
    out->append(date, 6, 2);
  } else {
    tab();
    tab();
  }
  for (const std::string* actor : {&e.source, &e.target}) {
    const PhoenixActor a = SplitPhoenixActor(*actor);
    for (const std::string* f : {actor, &a.entity, &a.role, &a.attributes}) {
      tab();
      AppendField(*f, out);
    }
  }
  tab();
  AppendField(e.code, out);
  tab();
  AppendField(e.root, out);
  tab();
  out->append(std::to_string(e.quad_class));
  tab();
  AppendNumber(e.goldstein, out);
  tab();
  AppendField(PhoenixIssues(e.issues), out);
  // Lat, Lon, LocationName, StateName, CountryCode.
  const EventLocation& loc = e.location;
  tab();
  if (loc.found()) AppendCoordinate(loc.lat, out);
  tab();
  if (loc.found()) AppendCoordinate(loc.lon, out);
  for (const std::string* f : {&loc.name, &loc.admin1, &loc.country}) {
    tab();
    AppendField(*f, out);
  }
  tab();
  AppendField(sentence_id, out);
  tab();
  if (doc) AppendField(doc->url, out);
  tab();
  if (doc) AppendField(doc->source, out);
  out->push_back('\n');
}

void EventWriter::AppendPlover(const Event& e, uint32_t ordinal, std::string* out,
                               const Document* doc) const {
  PloverType t = PloverEventType(e.code);
  if (t.event_type.empty()) return;  // CAMEO 01x/02x: PLOVER has no such event
  out->append("{\"id\":");
  AppendJsonString(e.doc_id + "-" + std::to_string(e.sentence) + "-" + std::to_string(ordinal),
                   out);
  JsonString("date", e.date, out);
  JsonString("event_type", t.event_type, out);
  JsonKey("mode", out);
  if (t.mode.empty())
    out->append("null");
  else
    AppendJsonString(t.mode, out);
  JsonKey("context", out);
  out->push_back('[');
  for (size_t start = 0, n = 0; start < t.context.size(); ++n) {
    size_t semi = t.context.find(';', start);
    if (semi == std::string_view::npos) semi = t.context.size();
    if (n) out->push_back(',');
    AppendJsonString(t.context.substr(start, semi - start), out);
    start = semi + 1;
  }
  out->push_back(']');
  JsonKey("actor", out);
  AppendPloverActor(e.source, e.source_text, out);
  JsonKey("recipient", out);
  AppendPloverActor(e.target, e.target_text, out);
  JsonKey("cameo", out);
  out->append("{\"code\":");
  AppendJsonString(e.code, out);
  JsonString("root", e.root, out);
  JsonKey("quad_class", out);
  out->append(std::to_string(e.quad_class));
  JsonKey("goldstein", out);
  AppendNumber(e.goldstein, out);
  out->push_back('}');
  JsonKey("location", out);
  AppendLocationJson(e.location, out);
  JsonKey("provenance", out);
  out->append("{\"doc_id\":");
  AppendJsonString(e.doc_id, out);
  JsonKey("sentence", out);
  out->append(std::to_string(e.sentence));
  JsonString("text", e.text, out);
  JsonKey("source_span", out);
  AppendSpanJson(e.source_span, out);
  JsonKey("target_span", out);
  AppendSpanJson(e.target_span, out);
  JsonKey("verb_span", out);
  AppendSpanJson(e.verb_span, out);
  JsonString("pattern", e.pattern, out);
  JsonString("url", doc ? std::string_view(doc->url) : std::string_view(), out);
  JsonString("news_source", doc ? std::string_view(doc->source) : std::string_view(), out);
  out->push_back('}');
  out->append(json_tail_);
}

void EventWriter::AppendGdelt(const Event& e, uint32_t ordinal, std::string* out,
                              const Document* doc) const {
  auto tab = [out] { out->push_back('\t'); };
  AppendField(e.doc_id + "-" + std::to_string(e.sentence) + "-" + std::to_string(ordinal), out);
  std::string date = CompactDate(e.date);
  tab();
  AppendField(date, out);
  tab();
  bool dated = date.size() == 8 &&
               std::all_of(date.begin(), date.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (dated) out->append(date, 0, 6);
  tab();
  if (dated) out->append(date, 0, 4);
  tab();
  if (dated) {
    int y = std::stoi(date.substr(0, 4)), m = std::stoi(date.substr(4, 2)),
        d = std::stoi(date.substr(6, 2));
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.4f", y + DayOfYear(y, m, d) / 365.0);
    out->append(buf);
  }
  for (const auto& [code, text] :
       {std::pair{&e.source, &e.source_text}, std::pair{&e.target, &e.target_text}}) {
    PhoenixActor a = SplitPhoenixActor(*code);
    bool country = a.entity.size() == 3 && In(kCountries, a.entity);
    std::vector<std::string> types;
    if (!a.role.empty()) types.push_back(a.role);
    std::string known;
    for (size_t i = 0; i < a.attributes.size(); i += 4) {
      std::string t = a.attributes.substr(i, 3);
      if (!country && !a.entity.empty() && known.empty() && a.role.empty())
        known = t;  // IGOUNO -> known group UNO
      else
        types.push_back(t);
    }
    tab();
    AppendField(*code, out);
    tab();
    AppendField(*text, out);
    tab();
    if (country) out->append(a.entity);
    tab();
    AppendField(known, out);
    for (int i = 0; i < 3; ++i) tab();  // EthnicCode, Religion1Code, Religion2Code
    for (size_t i = 0; i < 3; ++i) {
      tab();
      if (i < types.size()) AppendField(types[i], out);
    }
  }
  tab();
  out->append(e.sentence == 0 ? "1" : "0");
  tab();
  AppendField(e.code, out);
  tab();
  AppendField(e.code.substr(0, std::min<size_t>(3, e.code.size())), out);
  tab();
  AppendField(e.root, out);
  tab();
  out->append(std::to_string(e.quad_class));
  tab();
  AppendNumber(e.goldstein, out);
  for (int i = 0; i < 3; ++i) {  // NumMentions, NumSources, NumArticles
    tab();
    out->append("1");
  }
  tab();                               // AvgTone
  for (int i = 0; i < 16; ++i) tab();  // Actor1Geo_*, Actor2Geo_*
  const EventLocation& loc = e.location;
  tab();
  if (loc.found()) {
    int type = loc.kind == 2 ? 1 : loc.country == "USA" ? (loc.kind == 1 ? 2 : 3) : 4;
    out->append(std::to_string(type));
  }
  tab();
  if (loc.found()) {
    std::string full = loc.name;
    if (loc.kind != 2 && !loc.admin1.empty() && loc.admin1 != loc.name) full += ", " + loc.admin1;
    if (loc.kind != 2) full += ", " + loc.country;
    AppendField(full, out);
  }
  tab();
  if (loc.found()) AppendField(loc.country, out);
  tab();
  if (loc.found() && loc.kind != 2) AppendField(loc.country + loc.admin1_code, out);
  tab();  // ADM2Code
  tab();
  if (loc.found()) AppendCoordinate(loc.lat, out);
  tab();
  if (loc.found()) AppendCoordinate(loc.lon, out);
  tab();
  if (loc.geonames_id) out->append(std::to_string(loc.geonames_id));
  tab();  // DATEADDED
  tab();
  if (doc) AppendField(doc->url, out);
  out->push_back('\n');
}

}  // namespace dyad
