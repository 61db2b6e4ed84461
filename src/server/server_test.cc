// The JSON API and the dashboard's files, over a real server on a loopback port.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "dyad/coder.h"
#include "dyad/dict.h"
#include "dyad/nlp.h"
#include "server/assets.h"
#include "server/params.h"
#include "server/test_util.h"

namespace dyad::server {
namespace {

using testing::Json;
using testing::ServerFixture;

class ApiTest : public ServerFixture {};

std::set<std::string> Codes(const JsonValue& events, const char* field) {
  std::set<std::string> out;
  for (const auto& e : events.array) out.insert(e.Find(field)->str);
  return out;
}

TEST_F(ApiTest, EventsFilterByActorPrefixMatchesSourceOrTarget) {
  auto res = client_->Get("/api/events?actor=IRN&count=1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  JsonValue v = Json(res->body);
  const JsonValue* events = v.Find("events");
  ASSERT_TRUE(events);
  // IRNMIL->IRQ, IRQ->IRN, IRQGOV->IRN: "IRN" is a prefix of IRNMIL too.
  EXPECT_EQ(events->array.size(), 3u);
  EXPECT_EQ(v.Find("total")->AsText(), "3");
  for (const auto& e : events->array) {
    std::string s = e.Find("source")->str, t = e.Find("target")->str;
    EXPECT_TRUE(s.starts_with("IRN") || t.starts_with("IRN")) << s << "->" << t;
  }
  // Lower case is the same query.
  auto lower = client_->Get("/api/events?actor=irn");
  ASSERT_TRUE(lower);
  EXPECT_EQ(Json(lower->body).Find("events")->array.size(), 3u);
}

TEST_F(ApiTest, EventsFiltersCombine) {
  auto res = client_->Get("/api/events?source=USA&target=CHN&from=2026-03-03&to=2026-03-03");
  ASSERT_TRUE(res);
  JsonValue v = Json(res->body);
  EXPECT_EQ(v.Find("events")->array.size(), 2u);
  res = client_->Get("/api/events?quad_class=4");
  EXPECT_EQ(Codes(*Json(res->body).Find("events"), "code"), std::set<std::string>{"195"});
  res = client_->Get("/api/events?code=11");
  EXPECT_EQ(Codes(*Json(res->body).Find("events"), "code"),
            (std::set<std::string>{"111", "112"}));
  res = client_->Get("/api/events?root=02");
  EXPECT_EQ(Codes(*Json(res->body).Find("events"), "code"), std::set<std::string>{"0233"});
  res = client_->Get("/api/events?text=food%20AID");
  EXPECT_EQ(Json(res->body).Find("events")->array.size(), 1u);
  res = client_->Get("/api/events?from=2026-04-01");
  EXPECT_EQ(Json(res->body).Find("events")->array.size(), 2u);
}

TEST_F(ApiTest, OneADayFoldsRepeatedReportsAndCountsThem) {
  auto res = client_->Get("/api/events?source=USAGOV&one_a_day=1");
  ASSERT_TRUE(res);
  JsonValue v = Json(res->body);
  ASSERT_EQ(v.Find("events")->array.size(), 1u);
  EXPECT_EQ(v.Find("events")->array[0].Find("reports")->AsText(), "2");
}

TEST_F(ApiTest, EventsArePagedWithHasMore) {
  auto a = Json(client_->Get("/api/events?limit=4")->body);
  EXPECT_EQ(a.Find("events")->array.size(), 4u);
  EXPECT_TRUE(a.Find("has_more")->boolean);
  auto b = Json(client_->Get("/api/events?limit=4&offset=4")->body);
  EXPECT_EQ(b.Find("events")->array.size(), 2u);
  EXPECT_FALSE(b.Find("has_more")->boolean);
  std::set<std::string> ids;
  for (const auto* page : {&a, &b})
    for (const auto& e : page->Find("events")->array) ids.insert(e.Find("id")->AsText());
  EXPECT_EQ(ids.size(), 6u);
}

TEST_F(ApiTest, EventPageHasSentenceDocumentAndSpansInTheSentence) {
  auto list = Json(client_->Get("/api/events?quad_class=4")->body);
  std::string id = list.Find("events")->array.at(0).Find("id")->AsText();
  auto res = client_->Get("/api/events/" + id);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  JsonValue v = Json(res->body);
  const JsonValue* e = v.Find("event");
  EXPECT_EQ(e->Find("source")->str, "IRNMIL");
  EXPECT_EQ(v.Find("document")->Find("title")->str, "Title of d1");
  EXPECT_EQ(v.Find("document")->Find("url")->str, "https://example.org/d1");
  // The highlight spans are byte offsets into the sentence; the sentence starts with
  // multi-byte characters, so a character-based offset would be off.
  const std::string& sentence = v.Find("sentence")->Find("text")->str;
  auto cut = [&](const char* which) {
    const JsonValue* s = e->Find("highlight")->Find(which);
    size_t b = static_cast<size_t>(s->array.at(0).number), en = static_cast<size_t>(s->array.at(1).number);
    return sentence.substr(b, en - b);
  };
  EXPECT_EQ(cut("source"), "army");
  EXPECT_EQ(cut("verb"), "shelled");
  EXPECT_EQ(cut("target"), "Iraqi villages");
  // Without a model, no trace, and a note saying why.
  EXPECT_EQ(v.Find("explain")->type, JsonValue::Type::kNull);
  EXPECT_NE(v.Find("explain_note")->str.find("--model"), std::string::npos);
}

TEST_F(ApiTest, EventPageErrors) {
  EXPECT_EQ(client_->Get("/api/events/999999")->status, 404);
  EXPECT_EQ(client_->Get("/api/events/abc")->status, 400);
  EXPECT_EQ(client_->Get("/api/events/0")->status, 400);
  EXPECT_EQ(client_->Get("/api/events/99999999999999999999999")->status, 400);
  EXPECT_EQ(client_->Get("/api/nothing")->status, 404);
}

TEST_F(ApiTest, SeriesByMonthAndQuadClassAddsUp) {
  auto res = client_->Get("/api/series?by=month&group=quad_class");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  JsonValue v = Json(res->body);
  int64_t total = 0;
  std::set<std::string> periods;
  for (const auto& b : v.Find("buckets")->array) {
    total += static_cast<int64_t>(b.Find("count")->number);
    periods.insert(b.Find("period")->str);
    EXPECT_TRUE(b.Find("key")->is_string());
  }
  EXPECT_EQ(total, 6);
  EXPECT_EQ(periods, (std::set<std::string>{"2026-03-01", "2026-04-01"}));
  // A chosen dyad, by day.
  v = Json(client_->Get("/api/series?by=day&source=USA&target=CHN")->body);
  ASSERT_EQ(v.Find("buckets")->array.size(), 1u);
  EXPECT_EQ(v.Find("buckets")->array[0].Find("count")->AsText(), "2");
  EXPECT_EQ(v.Find("buckets")->array[0].Find("key")->type, JsonValue::Type::kNull);
  // Top dyads.
  v = Json(client_->Get("/api/series?by=week&group=dyad&top=2")->body);
  std::set<std::string> keys;
  for (const auto& b : v.Find("buckets")->array) keys.insert(b.Find("key")->str);
  EXPECT_LE(keys.size(), 2u);
  EXPECT_TRUE(keys.count("USAGOV>CHN"));
}

TEST_F(ApiTest, CountriesCountEventsBySourceOrTargetCountry) {
  auto res = client_->Get("/api/countries");
  ASSERT_TRUE(res);
  JsonValue v = Json(res->body);
  std::map<std::string, std::string> counts;
  for (const auto& c : v.Find("countries")->array)
    counts[c.Find("code")->str] = c.Find("count")->AsText();
  EXPECT_EQ(counts["IRQ"], "4");
  EXPECT_EQ(counts["IRN"], "3");
  EXPECT_EQ(counts["USA"], "2");
  EXPECT_EQ(counts["CHN"], "2");
  v = Json(client_->Get("/api/countries?quad_class=1")->body);
  EXPECT_EQ(v.Find("countries")->array.size(), 2u);
}

TEST_F(ApiTest, BadParametersAre400WithTheReason) {
  struct Case {
    const char* query;
    const char* says;
  } cases[] = {
      {"/api/events?colour=red", "unknown parameter 'colour'"},
      {"/api/events?from=2026-02-30", "'from'"},
      {"/api/events?from=yesterday", "'from'"},
      {"/api/events?from=2026-05-01&to=2026-04-01", "after"},
      {"/api/events?quad_class=5", "'quad_class'"},
      {"/api/events?limit=0", "'limit'"},
      {"/api/events?limit=100000", "'limit'"},
      {"/api/events?offset=-1", "'offset'"},
      {"/api/events?actor=IRN%27", "'actor'"},
      {"/api/events?code=19x", "'code'"},
      {"/api/events?root=190", "'root'"},
      {"/api/events?one_a_day=maybe", "'one_a_day'"},
      {"/api/events?actor=IRN&actor=IRQ", "more than once"},
      {"/api/events?order=sideways", "'order'"},
      {"/api/series?by=year", "'by'"},
      {"/api/series?group=country", "'group'"},
      {"/api/series?top=500", "'top'"},
      {"/api/series?limit=5", "unknown parameter 'limit'"},
      {"/api/countries?by=day", "unknown parameter 'by'"},
  };
  for (const auto& c : cases) {
    auto res = client_->Get(c.query);
    ASSERT_TRUE(res) << c.query;
    EXPECT_EQ(res->status, 400) << c.query;
    JsonValue v = Json(res->body);
    ASSERT_TRUE(v.Find("error")) << c.query;
    EXPECT_NE(v.Find("error")->str.find(c.says), std::string::npos)
        << c.query << " -> " << v.Find("error")->str;
  }
}

TEST_F(ApiTest, ServesTheEmbeddedDashboard) {
  auto res = client_->Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(res->body.find("<script src=\"/app.js\">"), std::string::npos);
  EXPECT_FALSE(res->get_header_value("Content-Security-Policy").empty());
  auto js = client_->Get("/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_GT(js->body.size(), 10000u);
  // Revalidation by ETag.
  httplib::Headers h = {{"If-None-Match", js->get_header_value("ETag")}};
  EXPECT_EQ(client_->Get("/app.js", h)->status, 304);
  for (const Asset& a : Assets()) EXPECT_EQ(FindAsset(a.path), &a);
  EXPECT_EQ(FindAsset("/nothing.js"), nullptr);
}

TEST_F(ApiTest, MetaAndCameo) {
  JsonValue v = Json(client_->Get("/api/meta")->body);
  EXPECT_EQ(v.Find("events")->AsText(), "6");
  EXPECT_EQ(v.Find("backend")->str, "sqlite");
  EXPECT_FALSE(v.Find("coding")->boolean);
  v = Json(client_->Get("/api/cameo")->body);
  bool found = false;
  for (const auto& c : v.Find("codes")->array)
    if (c.Find("code")->str == "190") found = c.Find("quad_class")->AsText() == "4";
  EXPECT_TRUE(found);
}

TEST_F(ApiTest, CodingEndpointsSay503WithoutAModel) {
  auto res = client_->Post("/api/code", R"({"text":"Chile attacked Peru."})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_TRUE(Json(res->body).Find("error"));
}

TEST(ParamsTest, DatesAreRealCalendarDates) {
  EXPECT_TRUE(IsIsoDate("2024-02-29"));
  EXPECT_FALSE(IsIsoDate("2023-02-29"));
  EXPECT_FALSE(IsIsoDate("2026-13-01"));
  EXPECT_FALSE(IsIsoDate("2026-1-01"));
  EXPECT_FALSE(IsIsoDate("20260101"));
  EXPECT_TRUE(IsIsoDate("2000-02-29"));
  EXPECT_FALSE(IsIsoDate("1900-02-29"));
}

// With the shipped model and dictionaries: coding pasted text, ingestion and the explain
// trace. Our own sentences.
class CodingTest : public ServerFixture {
 protected:
  static void SetUpTestSuite() {
    std::string root = DYAD_SOURCE_DIR;
    std::string model = root + "/models/en-ewt.dyadm", dict = root + "/data/dict/phoenix.dyadd";
    if (!std::filesystem::exists(model) || !std::filesystem::exists(dict)) return;
    auto p = Pipeline::Load(model);
    ASSERT_TRUE(p.ok()) << p.status().message();
    pipeline_ = *p;
    auto d = dict::Dictionary::Load(dict);
    ASSERT_TRUE(d.ok()) << d.status().message();
    auto c = coder::Coder::Create(*d);
    ASSERT_TRUE(c.ok());
    coder_ = std::make_unique<coder::Coder>(std::move(*c));
  }
  static void TearDownTestSuite() {
    coder_.reset();
    pipeline_.reset();
  }
  void SetUp() override {
    if (!coder_) GTEST_SKIP() << "models/en-ewt.dyadm or data/dict/phoenix.dyadd missing";
    ServerFixture::SetUp();
  }
  void Deps(ServerDeps* d) override {
    d->pipeline = pipeline_.get();
    d->coder = coder_.get();
    d->model = "model-fp";
    d->dict = "dict-fp";
  }
  static inline std::shared_ptr<const Pipeline> pipeline_;
  static inline std::unique_ptr<coder::Coder> coder_;
};

TEST_F(CodingTest, PastedTextIsCodedAndNotStored) {
  std::string before = Snapshot();
  auto res = client_->Post("/api/code",
                           R"({"text":"Zürich was calm. Iranian troops attacked a border post in Iraq on Monday.","date":"2026-05-04"})",
                           "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  JsonValue v = Json(res->body);
  ASSERT_EQ(v.Find("sentences")->array.size(), 2u);
  const auto& events = v.Find("events")->array;
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].Find("source")->str, "IRNMIL");
  EXPECT_EQ(events[0].Find("target")->str, "IRQ");
  EXPECT_EQ(events[0].Find("date")->str, "2026-05-04");
  // Spans are byte offsets into the posted text.
  const std::string& text = v.Find("text")->str;
  const JsonValue* vs = events[0].Find("verb_span");
  size_t b = static_cast<size_t>(vs->array[0].number), e = static_cast<size_t>(vs->array[1].number);
  EXPECT_EQ(text.substr(b, e - b), "attacked");
  EXPECT_NE(v.Find("explain")->str.find("IRNMIL"), std::string::npos);
  EXPECT_EQ(Snapshot(), before);

  EXPECT_EQ(client_->Post("/api/code", R"({"text":"   "})", "application/json")->status, 400);
  EXPECT_EQ(client_->Post("/api/code", R"({"txt":"x"})", "application/json")->status, 400);
  EXPECT_EQ(client_->Post("/api/code", "not json", "application/json")->status, 400);
  std::string big = R"({"text":")" + std::string(70000, 'a') + "\"}";
  EXPECT_EQ(client_->Post("/api/code", big, "application/json")->status, 413);
}

TEST_F(CodingTest, DocumentsAreCodedStoredOnceAndExplained) {
  httplib::Headers auth = {{"Authorization", "Bearer test-token-0123456789"}};
  std::string body =
      R"({"id":"new-1","date":"2026-05-04","title":"Border clash","text":"Iranian troops attacked a border post in Iraq on Monday."})"
      "\n\n"
      R"({"id":"new-2","date":"20260505","text":"Nothing happened in the hills."})"
      "\n";
  auto irn = [&] {
    auto r = client_->Get("/api/countries");
    if (!r) {
      ADD_FAILURE() << "GET /api/countries: " << httplib::to_string(r.error());
      return std::string();
    }
    JsonValue v = Json(r->body);
    if (!v.Find("countries")) {
      ADD_FAILURE() << "GET /api/countries: " << r->status << " " << r->body;
      return std::string();
    }
    for (const auto& c : v.Find("countries")->array)
      if (c.Find("code")->str == "IRN") return c.Find("count")->AsText();
    return std::string();
  };
  EXPECT_EQ(irn(), "3");  // and now the answer is cached
  auto res = client_->Post("/api/documents", auth, body, "application/x-ndjson");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  JsonValue v = Json(res->body);
  EXPECT_EQ(v.Find("inserted")->AsText(), "2");
  EXPECT_EQ(irn(), "4");  // ingestion cleared the cached aggregates
  EXPECT_EQ(v.Find("events")->AsText(), "1");
  auto list = Json(client_->Get("/api/events?doc_id=new-1")->body);
  ASSERT_EQ(list.Find("events")->array.size(), 1u);
  EXPECT_EQ(list.Find("events")->array[0].Find("source")->str, "IRNMIL");
  // Posting the same documents again changes nothing.
  std::string before = Snapshot();
  res = client_->Post("/api/documents", auth, body, "application/x-ndjson");
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Json(res->body).Find("unchanged")->AsText(), "2");
  std::string after = Snapshot();
  // The run count grows (each POST is a run); the documents and events do not.
  EXPECT_EQ(after.substr(after.find('\n')), before.substr(before.find('\n')));
  // The event page re-codes the sentence with a trace.
  std::string id = list.Find("events")->array[0].Find("id")->AsText();
  JsonValue page = Json(client_->Get("/api/events/" + id)->body);
  ASSERT_TRUE(page.Find("explain")->is_string());
  EXPECT_NE(page.Find("explain")->str.find("attacked"), std::string::npos);
  EXPECT_EQ(page.Find("document")->Find("title")->str, "Border clash");
  // A JSON array works too; a bad document refuses the whole request.
  std::string arr =
      R"([{"id":"new-3","text":"Kenya praised Uganda."},{"id":"new-4","date":"03/04/2026","text":"x"}])";
  before = Snapshot();
  res = client_->Post("/api/documents", auth, arr, "application/json");
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(Json(res->body).Find("error")->str.find("document 1"), std::string::npos);
  EXPECT_EQ(Snapshot(), before);
  res = client_->Post("/api/documents", auth, R"([{"text":"no id"}])", "application/json");
  EXPECT_EQ(res->status, 400);
  res = client_->Post("/api/documents", auth,
                      R"([{"id":"a","text":"x"},{"id":"a","text":"y"}])", "application/json");
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(Snapshot(), before);
}

}  // namespace
}  // namespace dyad::server
