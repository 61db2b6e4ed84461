#include "dyad/event_writer.h"

#include <gtest/gtest.h>

#include "dyad/json.h"

namespace dyad {
namespace {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) return out;
    start = p + 1;
  }
}

Event Sample() {
  Event e;
  e.doc_id = "wire-7";
  e.sentence = 2;
  e.date = "2031-04-05";
  e.source = "RHVGOV";
  e.target = "IGOUNOMED";
  e.code = "0231";
  e.root = "02";
  e.quad_class = 1;
  e.goldstein = 3.4;
  e.issues = {"REFUGEES", "AID", "REFUGEES"};
  e.source_text = "the \"river\" council";
  e.target_text = "the council\tof nations";
  e.verb_text = "appealed";
  e.source_span = {10, 29};
  e.target_span = {45, 67};
  e.verb_span = {30, 38};
  e.pattern = "- * TO + FOR AID [0231]";
  e.pattern_where = "verbs.txt:12";
  e.text = "On Monday the \"river\" council appealed\nto the council\tof nations for aid.\x01";
  return e;
}

EventWriter Writer(EventFormat f) { return EventWriter(f, {"9.9.9", "00ab", "cd01"}); }

TEST(EventWriter, JsonlIsOneValidObjectPerEventWithProvenance) {
  EventWriter w = Writer(EventFormat::kJsonl);
  EXPECT_EQ(w.Header(), "");
  Event a = Sample(), b = Sample();
  b.target.clear();
  b.target_span = {};
  b.target_text.clear();
  b.goldstein = -10;
  std::vector<Event> events = {a, b};
  std::string out;
  w.AppendDocument(events, &out);
  auto lines = Split(out, '\n');
  ASSERT_EQ(lines.size(), 3u);  // two events and the empty rest after the last newline
  EXPECT_EQ(lines[2], "");
  auto v = ParseJson(lines[0]);
  ASSERT_TRUE(v.ok()) << v.status().message() << "\n" << lines[0];
  EXPECT_EQ(v->Find("doc_id")->str, "wire-7");
  EXPECT_EQ(v->Find("sentence")->AsText(), "2");
  EXPECT_EQ(v->Find("date")->str, "2031-04-05");
  EXPECT_EQ(v->Find("source")->str, "RHVGOV");
  EXPECT_EQ(v->Find("target")->str, "IGOUNOMED");
  EXPECT_EQ(v->Find("code")->str, "0231");
  EXPECT_EQ(v->Find("root")->str, "02");
  EXPECT_EQ(v->Find("quad_class")->AsText(), "1");
  EXPECT_EQ(v->Find("goldstein")->AsText(), "3.4");
  ASSERT_EQ(v->Find("issues")->array.size(), 3u);
  EXPECT_EQ(v->Find("source_text")->str, "the \"river\" council");
  EXPECT_EQ(v->Find("target_text")->str, "the council\tof nations");
  EXPECT_EQ(v->Find("verb_text")->str, "appealed");
  ASSERT_EQ(v->Find("verb_span")->array.size(), 2u);
  EXPECT_EQ(v->Find("verb_span")->array[0].AsText(), "30");
  EXPECT_EQ(v->Find("verb_span")->array[1].AsText(), "38");
  EXPECT_EQ(v->Find("pattern")->str, "- * TO + FOR AID [0231]");
  EXPECT_EQ(v->Find("pattern_where")->str, "verbs.txt:12");
  EXPECT_EQ(v->Find("text")->str, Sample().text);  // newline, tab and \x01 survive escaping
  EXPECT_EQ(v->Find("model")->str, "00ab");
  EXPECT_EQ(v->Find("dict")->str, "cd01");
  // The raw line holds no control characters: they are all escaped.
  for (char c : lines[0]) EXPECT_GE(static_cast<unsigned char>(c), 0x20);

  auto w2 = ParseJson(lines[1]);
  ASSERT_TRUE(w2.ok());
  EXPECT_EQ(w2->Find("target")->str, "");
  EXPECT_EQ(w2->Find("target_span")->type, JsonValue::Type::kNull);
  EXPECT_EQ(w2->Find("goldstein")->AsText(), "-10.0");
}

TEST(EventWriter, TsvHasHeaderColumnsAndNoStrayTabs) {
  EventWriter w = Writer(EventFormat::kTsv);
  auto head = Split(w.Header(), '\n');
  ASSERT_EQ(head.size(), 3u);
  EXPECT_EQ(head[0], "# dyad 9.9.9 tsv model 00ab dict cd01");
  EXPECT_EQ(Split(head[1], '\t').size(), TsvColumns().size());
  std::string out;
  w.AppendEvent(Sample(), 1, &out);
  ASSERT_EQ(out.back(), '\n');
  out.pop_back();
  EXPECT_EQ(out.find('\n'), std::string::npos);
  auto f = Split(out, '\t');
  ASSERT_EQ(f.size(), TsvColumns().size());
  EXPECT_EQ(f[0], "wire-7");
  EXPECT_EQ(f[5], "0231");
  EXPECT_EQ(f[8], "3.4");
  EXPECT_EQ(f[9], "REFUGEES;AID;REFUGEES");
  EXPECT_EQ(f[11], "the council of nations");
  EXPECT_EQ(f[13], "10-29");
  EXPECT_EQ(f[18], "On Monday the \"river\" council appealed to the council of nations for aid. ");
}

TEST(EventWriter, PhoenixHasTheTwentySixColumns) {
  EventWriter w = Writer(EventFormat::kPhoenix);
  auto head = Split(w.Header(), '\n');
  EXPECT_EQ(head[0], "# dyad 9.9.9 phoenix model 00ab dict cd01");
  auto names = Split(head[1], '\t');
  ASSERT_EQ(names.size(), 26u);
  EXPECT_EQ(names[0], "EventID");
  EXPECT_EQ(names[8], "SourceActorAttribute");
  EXPECT_EQ(names[25], "NewsSources");

  Document doc;
  doc.url = "https://example.org/a";
  doc.source = "wire";
  Event a = Sample(), b = Sample(), c = Sample();
  c.sentence = 3;
  std::vector<Event> events = {a, b, c};
  std::string out;
  w.AppendDocument(events, &out, &doc);
  auto lines = Split(out, '\n');
  ASSERT_EQ(lines.size(), 4u);
  auto f = Split(lines[0], '\t');
  ASSERT_EQ(f.size(), 26u);
  EXPECT_EQ(f[0], "wire-7-2-1");
  EXPECT_EQ(f[1], "20310405");
  EXPECT_EQ(f[2], "2031");
  EXPECT_EQ(f[3], "04");
  EXPECT_EQ(f[4], "05");
  EXPECT_EQ(f[5], "RHVGOV");
  EXPECT_EQ(f[6], "");  // RHV is not a country
  EXPECT_EQ(f[7], "GOV");
  EXPECT_EQ(f[8], "");
  EXPECT_EQ(f[9], "IGOUNOMED");
  EXPECT_EQ(f[10], "IGO");
  EXPECT_EQ(f[11], "");
  EXPECT_EQ(f[12], "UNO;MED");
  EXPECT_EQ(f[13], "0231");
  EXPECT_EQ(f[14], "02");
  EXPECT_EQ(f[15], "1");
  EXPECT_EQ(f[16], "3.4");
  EXPECT_EQ(f[17], "REFUGEES,2;AID,1");
  for (int i = 18; i <= 22; ++i) EXPECT_EQ(f[i], "") << i;  // not geolocated
  EXPECT_EQ(f[23], "wire-7-2");
  EXPECT_EQ(f[24], "https://example.org/a");
  EXPECT_EQ(f[25], "wire");
  EXPECT_EQ(Split(lines[1], '\t')[0], "wire-7-2-2");
  EXPECT_EQ(Split(lines[2], '\t')[0], "wire-7-3-1");
}

TEST(EventWriter, SplitsActorCodesAsPhoenixDoes) {
  auto s = [](const char* c) {
    PhoenixActor a = SplitPhoenixActor(c);
    return a.entity + "|" + a.role + "|" + a.attributes;
  };
  EXPECT_EQ(s("IRQ"), "IRQ||");
  EXPECT_EQ(s("IRQGOV"), "IRQ|GOV|");
  EXPECT_EQ(s("IRNMILREB"), "IRN|MIL|REB");
  EXPECT_EQ(s("IGOUNO"), "IGO||UNO");
  EXPECT_EQ(s("USAELIGOV"), "USA||ELI;GOV");
  EXPECT_EQ(s("NGOHRI"), "NGO||HRI");
  EXPECT_EQ(s("---GOV"), "|GOV|");
  EXPECT_EQ(s("REB"), "||");
  EXPECT_EQ(s(""), "||");
  EXPECT_EQ(s("SUN"), "SUN||");
}

TEST(EventWriter, ParsesFormatNames) {
  EXPECT_EQ(ParseEventFormat("jsonl").value(), EventFormat::kJsonl);
  EXPECT_EQ(ParseEventFormat("tsv").value(), EventFormat::kTsv);
  EXPECT_EQ(ParseEventFormat("phoenix").value(), EventFormat::kPhoenix);
  EXPECT_EQ(ParseEventFormat("plover").value(), EventFormat::kPlover);
  EXPECT_EQ(ParseEventFormat("gdelt").value(), EventFormat::kGdelt);
  EXPECT_EQ(EventFormatName(EventFormat::kGdelt), "gdelt");
  auto bad = ParseEventFormat("csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("jsonl, tsv, phoenix, plover or gdelt"), std::string::npos);
}

EventLocation Mosul() {
  EventLocation l;
  l.how = "preposition";
  l.name = "Mosul";
  l.admin1 = "15";
  l.admin1_code = "15";
  l.country = "IRQ";
  l.lat = 36.335;
  l.lon = 43.11889;
  l.geonames_id = 99072;
  return l;
}

TEST(EventWriter, LocationFillsPhoenixAndJsonl) {
  Event e = Sample();
  e.location = Mosul();
  std::string out;
  Writer(EventFormat::kPhoenix).AppendEvent(e, 1, &out);
  auto f = Split(Split(out, '\n')[0], '\t');
  ASSERT_EQ(f.size(), 26u);
  EXPECT_EQ(f[18], "36.33500");
  EXPECT_EQ(f[19], "43.11889");
  EXPECT_EQ(f[20], "Mosul");
  EXPECT_EQ(f[21], "15");
  EXPECT_EQ(f[22], "IRQ");
  out.clear();
  Writer(EventFormat::kJsonl).AppendEvent(e, 1, &out);
  auto v = ParseJson(out);
  ASSERT_TRUE(v.ok()) << out;
  const JsonValue* loc = v->Find("location");
  ASSERT_NE(loc, nullptr);
  EXPECT_EQ(loc->Find("name")->str, "Mosul");
  EXPECT_EQ(loc->Find("country")->str, "IRQ");
  EXPECT_DOUBLE_EQ(loc->Find("lat")->number, 36.335);
  EXPECT_EQ(loc->Find("geonames_id")->AsText(), "99072");
  EXPECT_EQ(loc->Find("how")->str, "preposition");
  out.clear();
  Writer(EventFormat::kJsonl).AppendEvent(Sample(), 1, &out);
  v = ParseJson(out);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->Find("location")->type, JsonValue::Type::kNull);
}

TEST(EventWriter, PloverMapsCameoCodes) {
  auto t = [](const char* c) {
    PloverType p = PloverEventType(c);
    return std::string(p.event_type) + "|" + std::string(p.mode) + "|" + std::string(p.context);
  };
  EXPECT_EQ(t("042"), "CONSULT|visit|");
  EXPECT_EQ(t("0841"), "RETREAT|release|legal");
  EXPECT_EQ(t("1121"), "ACCUSE|disapprove|crime;corruption");
  EXPECT_EQ(t("193"), "ASSAULT|firearms|military");
  EXPECT_EQ(t("173"), "COERCE|arrest|legal");
  EXPECT_EQ(t("14"), "PROTEST||");  // a root: its "140"
  EXPECT_EQ(t("0874"), "RETREAT|disarm|military");
  EXPECT_EQ(t("1415"), "PROTEST|demo|");  // unknown 4-digit code: its parent "141"
  EXPECT_EQ(t("010"), "||");              // CAMEO 01/02: dropped by PLOVER
  EXPECT_EQ(t("0231"), "||");
  EXPECT_EQ(t(""), "||");
  EXPECT_EQ(t("99999"), "||");
}

TEST(EventWriter, PloverRecordsArePolecatStyleJson) {
  EventWriter w = Writer(EventFormat::kPlover);
  EXPECT_EQ(w.Header(), "");
  Document doc;
  doc.url = "https://example.org/a";
  doc.source = "wire";
  Event e = Sample();
  e.source = "IRQMIL";
  e.target = "";
  e.target_text = "";
  e.code = "193";
  e.root = "19";
  e.location = Mosul();
  Event dropped = Sample();  // 0231: no PLOVER type, not written
  std::vector<Event> events = {dropped, e};
  std::string out;
  w.AppendDocument(events, &out, &doc);
  auto lines = Split(out, '\n');
  ASSERT_EQ(lines.size(), 2u) << out;
  auto v = ParseJson(lines[0]);
  ASSERT_TRUE(v.ok()) << lines[0];
  EXPECT_EQ(v->Find("id")->str, "wire-7-2-2");
  EXPECT_EQ(v->Find("date")->str, "2031-04-05");
  EXPECT_EQ(v->Find("event_type")->str, "ASSAULT");
  EXPECT_EQ(v->Find("mode")->str, "firearms");
  ASSERT_EQ(v->Find("context")->array.size(), 1u);
  EXPECT_EQ(v->Find("context")->array[0].str, "military");
  const JsonValue* actor = v->Find("actor");
  ASSERT_NE(actor, nullptr);
  EXPECT_EQ(actor->Find("code")->str, "IRQMIL");
  EXPECT_EQ(actor->Find("country")->str, "IRQ");
  EXPECT_EQ(actor->Find("name")->str, "the \"river\" council");
  EXPECT_EQ(v->Find("recipient")->type, JsonValue::Type::kNull);
  EXPECT_EQ(v->Find("cameo")->Find("code")->str, "193");
  EXPECT_EQ(v->Find("cameo")->Find("quad_class")->number, 1);
  EXPECT_EQ(v->Find("location")->Find("name")->str, "Mosul");
  const JsonValue* prov = v->Find("provenance");
  ASSERT_NE(prov, nullptr);
  EXPECT_EQ(prov->Find("doc_id")->str, "wire-7");
  EXPECT_EQ(prov->Find("sentence")->number, 2);
  EXPECT_EQ(prov->Find("url")->str, "https://example.org/a");
  EXPECT_EQ(prov->Find("verb_span")->array.size(), 2u);
  EXPECT_EQ(v->Find("model")->str, "00ab");
  EXPECT_EQ(v->Find("dict")->str, "cd01");
}

TEST(EventWriter, GdeltHasTheSixtyOneColumns) {
  EventWriter w = Writer(EventFormat::kGdelt);
  auto head = Split(w.Header(), '\n');
  EXPECT_EQ(head[0], "# dyad 9.9.9 gdelt model 00ab dict cd01");
  auto names = Split(head[1], '\t');
  ASSERT_EQ(names.size(), 61u);
  EXPECT_EQ(names[0], "GLOBALEVENTID");
  EXPECT_EQ(names[26], "EventCode");
  EXPECT_EQ(names[51], "ActionGeo_Type");
  EXPECT_EQ(names[60], "SOURCEURL");
  Document doc;
  doc.url = "https://example.org/a";
  Event e = Sample();
  e.source = "IRQGOVMED";
  e.target = "IGOUNO";
  e.code = "1121";
  e.root = "11";
  e.sentence = 0;
  e.location = Mosul();
  std::string out;
  w.AppendEvent(e, 1, &out, &doc);
  ASSERT_EQ(out.back(), '\n');
  auto f = Split(Split(out, '\n')[0], '\t');
  ASSERT_EQ(f.size(), 61u);
  auto col = [&](std::string_view name) {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return f[i];
    ADD_FAILURE() << "no column " << name;
    return std::string();
  };
  EXPECT_EQ(col("GLOBALEVENTID"), "wire-7-0-1");
  EXPECT_EQ(col("SQLDATE"), "20310405");
  EXPECT_EQ(col("MonthYear"), "203104");
  EXPECT_EQ(col("Year"), "2031");
  EXPECT_EQ(col("FractionDate"), "2031.2603");  // day 95 of 365
  EXPECT_EQ(col("Actor1Code"), "IRQGOVMED");
  EXPECT_EQ(col("Actor1CountryCode"), "IRQ");
  EXPECT_EQ(col("Actor1Type1Code"), "GOV");
  EXPECT_EQ(col("Actor1Type2Code"), "MED");
  EXPECT_EQ(col("Actor2Code"), "IGOUNO");
  EXPECT_EQ(col("Actor2CountryCode"), "");
  EXPECT_EQ(col("Actor2KnownGroupCode"), "UNO");
  EXPECT_EQ(col("IsRootEvent"), "1");
  EXPECT_EQ(col("EventCode"), "1121");
  EXPECT_EQ(col("EventBaseCode"), "112");
  EXPECT_EQ(col("EventRootCode"), "11");
  EXPECT_EQ(col("QuadClass"), "1");
  EXPECT_EQ(col("GoldsteinScale"), "3.4");
  EXPECT_EQ(col("NumMentions"), "1");
  EXPECT_EQ(col("AvgTone"), "");
  EXPECT_EQ(col("Actor1Geo_Type"), "");
  EXPECT_EQ(col("ActionGeo_Type"), "4");
  EXPECT_EQ(col("ActionGeo_FullName"), "Mosul, 15, IRQ");
  EXPECT_EQ(col("ActionGeo_CountryCode"), "IRQ");
  EXPECT_EQ(col("ActionGeo_ADM1Code"), "IRQ15");
  EXPECT_EQ(col("ActionGeo_Lat"), "36.33500");
  EXPECT_EQ(col("ActionGeo_Long"), "43.11889");
  EXPECT_EQ(col("ActionGeo_FeatureID"), "99072");
  EXPECT_EQ(col("DATEADDED"), "");
  EXPECT_EQ(col("SOURCEURL"), "https://example.org/a");
  // No location, not the first sentence, no date: those columns stay empty.
  Event bare = Sample();
  bare.date = "";
  bare.sentence = 4;
  out.clear();
  w.AppendEvent(bare, 1, &out);
  f = Split(Split(out, '\n')[0], '\t');
  ASSERT_EQ(f.size(), 61u);
  EXPECT_EQ(col("SQLDATE"), "");
  EXPECT_EQ(col("FractionDate"), "");
  EXPECT_EQ(col("IsRootEvent"), "0");
  EXPECT_EQ(col("ActionGeo_Type"), "");
  EXPECT_EQ(col("ActionGeo_Lat"), "");
}

}  // namespace
}  // namespace dyad
