// The store suite, run against SQLite and PostgreSQL alike (a fixture parameterised by
// backend). PostgreSQL comes from scripts/pg-test-cluster.sh: under ctest a fixture test
// starts it and DYAD_PG_TEST_DIR says where its URL is; run by hand, this binary starts its
// own cluster. Each test gets a fresh SQLite file or a fresh PostgreSQL schema.
#include "dyad/store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

#include "store/db.h"
#include "store/schema.h"

namespace dyad::store {
namespace {

namespace fs = std::filesystem;

std::string ReadLine(const fs::path& p) {
  std::ifstream in(p);
  std::string s;
  std::getline(in, s);
  return s;
}

// The PostgreSQL cluster's URL, starting one when nobody did.
class PgCluster : public ::testing::Environment {
 public:
  static std::string& Url() {
    static std::string url;
    return url;
  }
  void SetUp() override {
    const char* env = std::getenv("DYAD_PG_TEST_DIR");
    if (env && fs::exists(fs::path(env) / "url")) {
      Url() = ReadLine(fs::path(env) / "url");
      return;
    }
    dir_ = (fs::temp_directory_path() / ("dyad-store-test-" + std::to_string(getpid()))).string();
    std::string cmd = "sh " + std::string(DYAD_SOURCE_DIR) + "/scripts/pg-test-cluster.sh start " +
                      dir_ + " >/dev/null";
    if (std::system(cmd.c_str()) == 0) Url() = ReadLine(fs::path(dir_) / "url");
    started_ = true;
  }
  void TearDown() override {
    if (!started_) return;
    std::string cmd =
        "sh " + std::string(DYAD_SOURCE_DIR) + "/scripts/pg-test-cluster.sh stop " + dir_;
    (void)std::system(cmd.c_str());
    fs::remove_all(dir_);
  }

 private:
  std::string dir_;
  bool started_ = false;
};
const auto* const kPgEnv = ::testing::AddGlobalTestEnvironment(new PgCluster);

// Percent-encodes a libpq URI parameter value.
std::string UriEscape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '_' || c == '-' || c == '.') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// A fresh database per test: a SQLite file in a temporary directory, or a PostgreSQL schema.
class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->name());
    for (char& c : name)
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    if (GetParam() == "sqlite") {
      dir_ = fs::temp_directory_path() / ("dyad-store-" + std::to_string(getpid()) + "-" + name);
      fs::remove_all(dir_);
      fs::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "events.db").string();
    } else {
      const std::string& base = PgCluster::Url();
      ASSERT_FALSE(base.empty()) << "no PostgreSQL test cluster (scripts/pg-test-cluster.sh)";
      schema_ = "t" + std::to_string(getpid()) + "_" + name;
      std::transform(schema_.begin(), schema_.end(), schema_.begin(), ::tolower);
      schema_ = schema_.substr(0, 60);
      auto admin = internal::OpenPostgres(base);
      ASSERT_TRUE(admin.ok()) << admin.status().message();
      ASSERT_TRUE((*admin)->Exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE").ok());
      ASSERT_TRUE((*admin)->Exec("CREATE SCHEMA " + schema_).ok());
      url_ = base + (base.find('?') == std::string::npos ? "?" : "&") +
             "options=" + UriEscape("-c search_path=" + schema_);
    }
    auto s = Store::Open(url_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
    if (!schema_.empty()) {
      auto admin = internal::OpenPostgres(PgCluster::Url());
      if (admin.ok()) (void)(*admin)->Exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    }
  }

  // A raw connection to the test database, for checks below the API.
  std::unique_ptr<internal::Conn> Raw() {
    auto c = GetParam() == "sqlite" ? internal::OpenSqlite(url_.substr(7))
                                    : internal::OpenPostgres(url_);
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? std::move(*c) : nullptr;
  }
  int64_t Scalar(const std::string& sql) {
    auto c = Raw();
    auto s = c->Prepare(sql);
    EXPECT_TRUE(s.ok()) << s.status().message();
    if (!s.ok()) return -1;
    auto row = (*s)->Step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    int64_t v = (*s)->Int(0);
    (*s)->Reset();
    return v;
  }

  fs::path dir_;
  std::string schema_, url_;
  std::unique_ptr<Store> store_;
};

template <typename T>
T V(Result<T> r) {
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : T{};
}

// ---- a tiny hand-made corpus -----------------------------------------------------------------

struct Doc {
  Document doc;
  std::vector<Event> events;
};

Event Ev(uint32_t sentence, const std::string& date, const std::string& src, const std::string& tgt,
         const std::string& code, int quad, double goldstein) {
  Event e;
  e.sentence = sentence;
  e.date = date;
  e.source = src;
  e.target = tgt;
  e.code = code;
  e.root = code.substr(0, 2);
  e.quad_class = quad;
  e.goldstein = goldstein;
  e.issues = {"SECURITY"};
  e.source_span = {0, 4};
  e.verb_span = {10, 17};
  e.source_text = "src";
  e.verb_text = "verb";
  e.pattern = "- * PATTERN [" + code + "]";
  e.pattern_where = "verbs.txt:1";
  return e;
}

Doc MakeDoc(const std::string& id, const std::string& date, std::vector<std::string> sentences,
            std::vector<Event> events) {
  Doc d;
  d.doc.id = id;
  d.doc.date = date;
  d.doc.title = "Title of " + id;
  d.doc.source = "wire";
  d.doc.url = "https://news.example/" + id;
  uint32_t at = 0;
  for (auto& s : sentences) {
    Sentence sent;
    sent.text = s;
    sent.span = {at, at + static_cast<uint32_t>(s.size())};
    at += static_cast<uint32_t>(s.size()) + 1;
    d.doc.text += s + " ";
    d.doc.sentences.push_back(std::move(sent));
  }
  for (auto& e : events) {
    e.doc_id = id;
    e.text = d.doc.sentences[e.sentence].text;
  }
  d.events = std::move(events);
  return d;
}

// Seven events in six documents (counts used by the tests below):
//   d1 2013-09-02 IRNMIL>IRQ 195 q4 -10      d2 2013-09-02 IRN>IRQ 112 q3 -2
//   d3 2013-09-02 IRNMIL>IRQ 195 q4 -10 (d1 again, another story: one-a-day folds them)
//   d4 2013-09-10 IRQ>IRN 036 q1 4, IRN>IRQ 036 q1 4 (one sentence, two events)
//   d5 2013-10-01 IGOUNO>SYR 073 q2 7        d6 2013-08-31 USA>RUS 111 q3 -2
std::vector<Doc> Corpus() {
  std::vector<Doc> c;
  c.push_back(MakeDoc("d1", "2013-09-02",
                      {"Iran's army shelled the border town.", "Nobody was hurt."},
                      {Ev(0, "2013-09-02", "IRNMIL", "IRQ", "195", 4, -10)}));
  c.push_back(MakeDoc("d2", "2013-09-02", {"Tehran blamed Baghdad for the attacks."},
                      {Ev(0, "2013-09-02", "IRN", "IRQ", "112", 3, -2)}));
  c.push_back(MakeDoc("d3", "2013-09-02", {"Iranian troops hit the BORDER TOWN again."},
                      {Ev(0, "2013-09-02", "IRNMIL", "IRQ", "195", 4, -10)}));
  c.push_back(MakeDoc("d4", "2013-09-10", {"Iraq and Iran agreed to talk next month."},
                      {Ev(0, "2013-09-10", "IRQ", "IRN", "036", 1, 4),
                       Ev(0, "2013-09-10", "IRN", "IRQ", "036", 1, 4)}));
  c.push_back(MakeDoc("d5", "2013-10-01", {"The United Nations sent 100% of the aid to Syria."},
                      {Ev(0, "2013-10-01", "IGOUNO", "SYR", "073", 2, 7)}));
  c.push_back(MakeDoc("d6", "2013-08-31", {"Washington criticised Moscow."},
                      {Ev(0, "2013-08-31", "USA", "RUS", "111", 3, -2)}));
  return c;
}

std::vector<IngestItem> Items(const std::vector<Doc>& docs) {
  std::vector<IngestItem> items;
  for (const auto& d : docs) items.push_back({&d.doc, d.events});
  return items;
}

void Load(Store& s, const std::vector<Doc>& docs, int64_t run = 0) {
  auto r = s.Ingest(Items(docs), run);
  ASSERT_TRUE(r.ok()) << r.status().message();
}

int64_t CountOf(Store& s, Filter f) {
  auto n = s.Count(f);
  EXPECT_TRUE(n.ok()) << n.status().message();
  auto page = s.Events(f);
  EXPECT_TRUE(page.ok()) << page.status().message();
  if (!n.ok() || !page.ok()) return -1;
  EXPECT_EQ(static_cast<int64_t>(page->rows.size()), std::min<int64_t>(*n, f.limit));
  return *n;
}

// ---- schema ----------------------------------------------------------------------------------

TEST_P(StoreTest, MigrationsAppliedOnceAndVersionRecorded) {
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM schema_version"), kSchemaVersion);
  EXPECT_EQ(Scalar("SELECT MAX(version) FROM schema_version"), kSchemaVersion);
  store_.reset();
  for (int i = 0; i < 2; ++i) {
    auto again = Store::Open(url_);
    ASSERT_TRUE(again.ok()) << again.status().message();
  }
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM schema_version"), kSchemaVersion);
  auto reopened = Store::Open(url_);
  ASSERT_TRUE(reopened.ok());
  auto st = (*reopened)->GetStats();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->schema_version, kSchemaVersion);
  EXPECT_EQ(st->backend, GetParam());
}

TEST_P(StoreTest, NewerSchemaIsRefused) {
  auto c = Raw();
  ASSERT_TRUE(c->Exec("INSERT INTO schema_version (version, applied) VALUES (99, 'x')").ok());
  auto s = Store::Open(url_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("newer"), std::string::npos) << s.status().message();
}

TEST_P(StoreTest, OlderDatabaseIsMigratedKeepingItsData) {
  store_.reset();
  if (GetParam() == "sqlite") {
    url_ = "sqlite:" + (dir_ / "v1.db").string();
  } else {
    auto c = Raw();
    ASSERT_TRUE(c->Exec("DROP SCHEMA " + schema_ + " CASCADE; CREATE SCHEMA " + schema_).ok());
  }
  {
    auto c = Raw();
    auto v = internal::Migrate(*c, 1);
    ASSERT_TRUE(v.ok()) << v.status().message();
    ASSERT_EQ(*v, 1);
    ASSERT_TRUE(c->Exec("INSERT INTO documents (doc_id, date, source, url, title, hash)"
                        " VALUES ('old', '2001-01-01', '', '', '', 'x')")
                    .ok());
  }
  auto s = Store::Open(url_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ((*s)->GetStats()->schema_version, kSchemaVersion);
  EXPECT_EQ((*s)->GetStats()->documents, 1);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM schema_version"), kSchemaVersion);
  Doc d = MakeDoc("new", "2013-09-05", {"Rebels attacked Aleppo."},
                  {Ev(0, "2013-09-05", "SYRREB", "SYR", "190", 4, -10)});
  d.events[0].location.how = "preposition";
  d.events[0].location.name = "Aleppo";
  d.events[0].location.country = "SYR";
  d.events[0].location.lat = 36.2;
  d.events[0].location.lon = 37.16;
  d.events[0].location.geonames_id = 170063;
  Load(**s, {d});
  Filter f;
  f.doc_id = "new";
  auto page = (*s)->Events(f);
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->rows.size(), 1u);
  const EventLocation& l = page->rows[0].event.location;
  EXPECT_EQ(l.name, "Aleppo");
  EXPECT_EQ(l.country, "SYR");
  EXPECT_DOUBLE_EQ(l.lat, 36.2);
  EXPECT_DOUBLE_EQ(l.lon, 37.16);
  EXPECT_EQ(l.geonames_id, 170063u);
  // A new location is a new coding: the document is replaced, not kept.
  d.events[0].location.name = "Halab";
  auto r = (*s)->Ingest(Items({d}), 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->replaced, 1);
}

TEST_P(StoreTest, ConcurrentOpensOfANewDatabaseMigrateOnce) {
  store_.reset();
  if (GetParam() == "sqlite") {
    fs::remove(dir_ / "events.db");
    url_ = "sqlite:" + (dir_ / "fresh.db").string();
  }
  std::vector<std::thread> ts;
  std::atomic<int> ok{0};
  std::mutex mu;
  std::string errors;
  for (int i = 0; i < 4; ++i)
    ts.emplace_back([&] {
      auto s = Store::Open(url_);
      if (s.ok()) {
        ++ok;
      } else {
        std::lock_guard<std::mutex> lock(mu);
        errors += s.status().message() + "\n";
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(ok, 4) << errors;
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM schema_version"), kSchemaVersion);
}

// ---- ingest ----------------------------------------------------------------------------------

TEST_P(StoreTest, IngestStoresDocumentsSentencesEvents) {
  auto docs = Corpus();
  auto r = store_->Ingest(Items(docs), 0);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->inserted, 6);
  EXPECT_EQ(r->events, 7);
  auto st = store_->GetStats();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->documents, 6);
  EXPECT_EQ(st->sentences, 7);
  EXPECT_EQ(st->events, 7);
  EXPECT_EQ(st->first_date, "2013-08-31");
  EXPECT_EQ(st->last_date, "2013-10-01");
}

TEST_P(StoreTest, ReingestIsIdempotentAndReplacesChangedDocuments) {
  auto docs = Corpus();
  Load(*store_, docs);
  auto again = store_->Ingest(Items(docs), 0);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 6);
  EXPECT_EQ(again->events, 0);
  EXPECT_EQ(V(store_->Count({})), 7);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM event_text"), 7);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM sentences"), 7);

  // d2 recoded differently: its old event goes, the new one comes.
  docs[1].events[0].code = "111";
  docs[1].events[0].root = "11";
  auto changed = store_->Ingest(Items({docs[1]}), 0);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->replaced, 1);
  EXPECT_EQ(V(store_->Count({})), 7);
  Filter f;
  f.code = "112";
  EXPECT_EQ(CountOf(*store_, f), 0);
  f.code = "111";
  EXPECT_EQ(CountOf(*store_, f), 2);

  // d4 recoded with no events at all.
  docs[3].events.clear();
  ASSERT_TRUE(store_->Ingest(Items({docs[3]}), 0).ok());
  EXPECT_EQ(V(store_->Count({})), 5);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM event_text"), 5);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM documents"), 6);
}

TEST_P(StoreTest, BadBatchChangesNothing) {
  auto docs = Corpus();
  Load(*store_, {docs[0]});
  auto twice = docs;
  twice.push_back(docs[2]);  // d3 twice in one batch
  EXPECT_FALSE(store_->Ingest(Items(twice), 0).ok());
  auto bad = Corpus();
  bad[4].events[0].date = "2013-13-45";
  EXPECT_FALSE(store_->Ingest(Items(bad), 0).ok());
  bad[4].events[0].date = "2013-10-01";
  bad[5].doc.id = "";
  EXPECT_FALSE(store_->Ingest(Items(bad), 0).ok());
  EXPECT_EQ(V(store_->Count({})), 1);
  EXPECT_EQ(store_->GetStats()->documents, 1);
}

TEST_P(StoreTest, WriterRecordsRunAndProvenance) {
  RunInfo info{"0.1.0", "00000000000000aa", "00000000000000bb", "dyad code news.jsonl"};
  auto w = Writer::Begin(store_.get(), info, /*batch_events=*/2, /*batch_documents=*/100);
  ASSERT_TRUE(w.ok()) << w.status().message();
  for (const auto& d : Corpus()) ASSERT_TRUE((*w)->Add(d.doc, d.events).ok());
  ASSERT_TRUE((*w)->Finish().ok());
  EXPECT_EQ((*w)->stats().inserted, 6);
  auto runs = store_->Runs();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  const store::Run& r = (*runs)[0];
  EXPECT_EQ(r.id, (*w)->run());
  EXPECT_EQ(r.info.model, "00000000000000aa");
  EXPECT_EQ(r.info.command, "dyad code news.jsonl");
  EXPECT_EQ(r.documents, 6);
  EXPECT_EQ(r.events, 7);
  EXPECT_FALSE(r.finished.empty());
  Filter f;
  f.run = r.id;
  auto page = store_->Events(f);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->rows.size(), 7u);
  EXPECT_EQ(page->rows[0].model, "00000000000000aa");
  EXPECT_EQ(page->rows[0].dict, "00000000000000bb");
  EXPECT_EQ(page->rows[0].run, r.id);
}

// ---- queries ---------------------------------------------------------------------------------

TEST_P(StoreTest, EachFilterCountsWhatItShould) {
  Load(*store_, Corpus());
  auto count = [&](auto set) {
    Filter f;
    set(f);
    return CountOf(*store_, f);
  };
  EXPECT_EQ(count([](Filter&) {}), 7);
  EXPECT_EQ(count([](Filter& f) { f.actor = "IRN"; }), 5);
  EXPECT_EQ(count([](Filter& f) { f.actor = "IRNMIL"; }), 2);
  EXPECT_EQ(count([](Filter& f) { f.actor = "IR"; }), 5);
  EXPECT_EQ(count([](Filter& f) { f.source = "IRN"; }), 4);
  EXPECT_EQ(count([](Filter& f) { f.target = "IRN"; }), 1);
  EXPECT_EQ(count([](Filter& f) {
              f.source = "IRQ";
              f.target = "IRN";
            }),
            1);
  EXPECT_EQ(count([](Filter& f) { f.code = "19"; }), 2);
  EXPECT_EQ(count([](Filter& f) { f.code = "11"; }), 2);
  EXPECT_EQ(count([](Filter& f) { f.code = "112"; }), 1);
  EXPECT_EQ(count([](Filter& f) { f.root = "11"; }), 2);
  EXPECT_EQ(count([](Filter& f) { f.root = "1"; }), 0);
  EXPECT_EQ(count([](Filter& f) { f.quad_class = 3; }), 2);
  EXPECT_EQ(count([](Filter& f) { f.quad_class = 1; }), 2);
  EXPECT_EQ(count([](Filter& f) {
              f.from = "2013-09-01";
              f.to = "2013-09-30";
            }),
            5);
  EXPECT_EQ(count([](Filter& f) {
              f.from = "2013-09-02";
              f.to = "2013-09-02";
            }),
            3);
  EXPECT_EQ(count([](Filter& f) { f.to = "2013-08-31"; }), 1);
  EXPECT_EQ(count([](Filter& f) { f.text = "border town"; }), 2);
  EXPECT_EQ(count([](Filter& f) { f.text = "BORDER"; }), 2);
  EXPECT_EQ(count([](Filter& f) { f.text = "100%"; }), 1);
  EXPECT_EQ(count([](Filter& f) { f.text = "0%"; }), 1);
  EXPECT_EQ(count([](Filter& f) { f.text = "%"; }), 1);  // a literal '%', not a wildcard
  EXPECT_EQ(count([](Filter& f) { f.text = "_"; }), 0);
  EXPECT_EQ(count([](Filter& f) { f.doc_id = "d4"; }), 2);
  EXPECT_EQ(count([](Filter& f) {
              f.actor = "IRN";
              f.quad_class = 4;
              f.text = "town";
            }),
            2);
  EXPECT_EQ(count([](Filter& f) { f.one_a_day = true; }), 6);
  EXPECT_EQ(count([](Filter& f) {
              f.one_a_day = true;
              f.code = "19";
            }),
            1);
}

TEST_P(StoreTest, EventsPageCarriesSentenceAndProvenanceInOrder) {
  Load(*store_, Corpus(), 0);
  Filter f;
  f.limit = 3;
  auto page = store_->Events(f);
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->rows.size(), 3u);
  EXPECT_TRUE(page->more);
  EXPECT_EQ(page->rows[0].event.doc_id, "d6");  // the earliest date first
  EXPECT_EQ(page->rows[1].event.source, "IRN");
  EXPECT_EQ(page->rows[2].event.source, "IRNMIL");
  f.offset = 6;
  page = store_->Events(f);
  ASSERT_EQ(page->rows.size(), 1u);
  EXPECT_FALSE(page->more);
  EXPECT_EQ(page->rows[0].event.doc_id, "d5");
  f.offset = 0;
  f.newest_first = true;
  EXPECT_EQ(store_->Events(f)->rows[0].event.doc_id, "d5");

  Filter d4;
  d4.doc_id = "d4";
  page = store_->Events(d4);
  ASSERT_EQ(page->rows.size(), 2u);
  const EventRow& r = page->rows[0];
  EXPECT_EQ(r.event.text, "Iraq and Iran agreed to talk next month.");
  EXPECT_EQ(r.doc_title, "Title of d4");
  EXPECT_EQ(r.doc_url, "https://news.example/d4");
  EXPECT_EQ(r.doc_source, "wire");
  EXPECT_EQ(r.doc_date, "2013-09-10");
  EXPECT_EQ(r.event.issues, std::vector<std::string>{"SECURITY"});
  EXPECT_EQ(r.event.pattern, "- * PATTERN [036]");
  EXPECT_EQ(r.event.verb_span, (Span{10, 17}));
  EXPECT_EQ(r.InSentence(r.event.verb_span), (Span{10, 17}));
  std::set<uint32_t> ordinals = {page->rows[0].ordinal, page->rows[1].ordinal};
  EXPECT_EQ(ordinals, (std::set<uint32_t>{1, 2}));
  EXPECT_DOUBLE_EQ(r.event.goldstein, 4);
  EXPECT_EQ(r.reports, 1);

  auto one = store_->Event(r.id);
  ASSERT_TRUE(one.ok());
  ASSERT_TRUE(one->has_value());
  EXPECT_EQ((*one)->event.source, r.event.source);
  EXPECT_EQ((*one)->event.text, r.event.text);
  EXPECT_EQ((*one)->sentence_span, r.sentence_span);
  auto none = store_->Event(987654321);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(StoreTest, OneADayKeepsTheNumberOfReports) {
  Load(*store_, Corpus());
  Filter f;
  f.one_a_day = true;
  f.code = "195";
  auto page = store_->Events(f);
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->rows.size(), 1u);
  EXPECT_EQ(page->rows[0].reports, 2);
  EXPECT_EQ(page->rows[0].event.doc_id, "d1");  // the lowest id represents the group
  // The same code between the same actors on another day is another event.
  Doc later = MakeDoc("d7", "2013-09-03", {"The army shelled it again."},
                      {Ev(0, "2013-09-03", "IRNMIL", "IRQ", "195", 4, -10)});
  Load(*store_, {later});
  EXPECT_EQ(CountOf(*store_, f), 2);
}

TEST_P(StoreTest, SeriesByWeekMonthQuadClassAndDyad) {
  Load(*store_, Corpus());
  Filter sep;
  sep.from = "2013-09-01";
  sep.to = "2013-09-30";
  auto weeks = store_->Series(sep, {Bucket::kWeek, GroupBy::kNone});
  ASSERT_TRUE(weeks.ok()) << weeks.status().message();
  ASSERT_EQ(weeks->size(), 2u);
  EXPECT_EQ((*weeks)[0].bucket, "2013-09-02");
  EXPECT_EQ((*weeks)[0].events, 3);
  EXPECT_DOUBLE_EQ((*weeks)[0].goldstein_sum, -22);
  EXPECT_NEAR((*weeks)[0].goldstein_mean, -22.0 / 3, 1e-9);
  EXPECT_EQ((*weeks)[1].bucket, "2013-09-09");
  EXPECT_EQ((*weeks)[1].events, 2);
  EXPECT_DOUBLE_EQ((*weeks)[1].goldstein_mean, 4);

  sep.one_a_day = true;
  weeks = store_->Series(sep, {Bucket::kWeek, GroupBy::kNone});
  ASSERT_TRUE(weeks.ok());
  EXPECT_EQ((*weeks)[0].events, 2);
  EXPECT_EQ((*weeks)[0].reports, 3);
  EXPECT_DOUBLE_EQ((*weeks)[0].goldstein_sum, -12);
  EXPECT_DOUBLE_EQ((*weeks)[0].goldstein_mean, -6);

  auto days = store_->Series({}, {Bucket::kDay, GroupBy::kNone});
  ASSERT_EQ(days->size(), 4u);
  EXPECT_EQ((*days)[0].bucket, "2013-08-31");

  auto all_weeks = store_->Series({}, {Bucket::kWeek, GroupBy::kNone});
  EXPECT_EQ((*all_weeks)[0].bucket, "2013-08-26");  // a Saturday belongs to Monday's week

  auto months = store_->Series({}, {Bucket::kMonth, GroupBy::kQuadClass});
  ASSERT_TRUE(months.ok());
  // 2013-08: q3 1; 2013-09: q1 2, q3 1, q4 2; 2013-10: q2 1.
  ASSERT_EQ(months->size(), 5u);
  EXPECT_EQ((*months)[0].bucket, "2013-08-01");
  EXPECT_EQ((*months)[0].quad_class, 3);
  EXPECT_EQ((*months)[1].bucket, "2013-09-01");
  EXPECT_EQ((*months)[1].group, "1");
  EXPECT_EQ((*months)[1].events, 2);
  EXPECT_EQ((*months)[3].quad_class, 4);
  EXPECT_EQ((*months)[3].events, 2);
  EXPECT_EQ((*months)[4].bucket, "2013-10-01");

  SeriesOptions dyads{Bucket::kMonth, GroupBy::kDyad, 3};
  auto by_dyad = store_->Series({}, dyads);
  ASSERT_TRUE(by_dyad.ok()) << by_dyad.status().message();
  // The top three dyads: IRN>IRQ and IRNMIL>IRQ (2 events each), then IGOUNO>SYR (the first
  // by name of the dyads with one event); rows by month, then source and target.
  ASSERT_EQ(by_dyad->size(), 3u);
  EXPECT_EQ((*by_dyad)[0].group, "IRN>IRQ");
  EXPECT_EQ((*by_dyad)[0].bucket, "2013-09-01");
  EXPECT_EQ((*by_dyad)[0].events, 2);
  EXPECT_DOUBLE_EQ((*by_dyad)[0].goldstein_sum, 2);
  EXPECT_EQ((*by_dyad)[1].group, "IRNMIL>IRQ");
  EXPECT_EQ((*by_dyad)[1].events, 2);
  EXPECT_EQ((*by_dyad)[2].bucket, "2013-10-01");
  EXPECT_EQ((*by_dyad)[2].source, "IGOUNO");
  EXPECT_EQ((*by_dyad)[2].target, "SYR");
  dyads.top = 1;
  EXPECT_EQ(store_->Series({}, dyads)->size(), 1u);
}

TEST_P(StoreTest, CountryCounts) {
  Load(*store_, Corpus());
  auto c = store_->CountryCounts({});
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->size(), 6u);
  EXPECT_EQ((*c)[0].country, "IRN");
  EXPECT_EQ((*c)[0].events, 5);
  EXPECT_EQ((*c)[0].as_source, 4);
  EXPECT_EQ((*c)[0].as_target, 1);
  EXPECT_EQ((*c)[1].country, "IRQ");
  EXPECT_EQ((*c)[1].events, 5);
  EXPECT_EQ((*c)[1].as_target, 4);
  EXPECT_EQ((*c)[2].country, "IGO");
  EXPECT_EQ((*c)[5].country, "USA");
  Filter f;
  f.one_a_day = true;
  f.actor = "IRN";
  c = store_->CountryCounts(f);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)[0].events, 4);
  // An event within one country counts once for it.
  Load(*store_, {MakeDoc("d8", "2013-09-04", {"Police arrested protesters."},
                         {Ev(0, "2013-09-04", "IRNCOP", "IRNOPP", "173", 4, -5)})});
  f = {};
  f.doc_id = "d8";
  c = store_->CountryCounts(f);
  ASSERT_EQ(c->size(), 1u);
  EXPECT_EQ((*c)[0].events, 1);
  EXPECT_EQ((*c)[0].as_source, 1);
  EXPECT_EQ((*c)[0].as_target, 1);
}

TEST_P(StoreTest, InvalidFiltersAreErrors) {
  Filter f;
  f.from = "2013-9-1";
  EXPECT_FALSE(store_->Events(f).ok());
  f = {};
  f.to = "yesterday";
  EXPECT_FALSE(store_->Series(f, {}).ok());
  f = {};
  f.quad_class = 5;
  EXPECT_FALSE(store_->Count(f).ok());
  f = {};
  f.offset = -1;
  EXPECT_FALSE(store_->Events(f).ok());
  f = {};
  f.limit = 1000000;  // clamped, not an error
  EXPECT_TRUE(store_->Events(f).ok());
  EXPECT_FALSE(ParseBucket("year").ok());
  EXPECT_FALSE(ParseGroupBy("actor").ok());
}

TEST_P(StoreTest, SqlInjectionInEveryFilterFindsNothingAndChangesNothing) {
  Load(*store_, Corpus());
  const std::vector<std::string> attacks = {
      "' OR '1'='1",
      "IRN' OR 1=1 --",
      "x'); DROP TABLE events; --",
      "\" OR \"\"=\"",
      "'; DELETE FROM documents; SELECT '",
      "%' OR source LIKE '%",
      "\\' OR 1=1 #",
      "1; UPDATE events SET code='000'",
      "$1",
      "?",
  };
  for (const std::string& a : attacks) {
    for (int field = 0; field < 7; ++field) {
      Filter f;
      std::string* s[] = {&f.actor, &f.source, &f.target, &f.code, &f.root, &f.text, &f.doc_id};
      *s[field] = a;
      auto page = store_->Events(f);
      ASSERT_TRUE(page.ok()) << a << ": " << page.status().message();
      EXPECT_EQ(page->rows.size(), 0u) << "field " << field << ": " << a;
      EXPECT_EQ(V(store_->Count(f)), 0) << a;
      auto series = store_->Series(f, {Bucket::kWeek, GroupBy::kDyad});
      ASSERT_TRUE(series.ok()) << series.status().message();
      EXPECT_TRUE(series->empty());
      auto countries = store_->CountryCounts(f);
      ASSERT_TRUE(countries.ok());
      EXPECT_TRUE(countries->empty());
    }
    Filter f;
    f.from = a;
    EXPECT_FALSE(store_->Events(f).ok());
    f = {};
    f.to = a;
    EXPECT_FALSE(store_->Count(f).ok());
  }
  auto st = store_->GetStats();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->documents, 6);
  EXPECT_EQ(st->events, 7);
  Filter code;
  code.code = "000";
  EXPECT_EQ(V(store_->Count(code)), 0);

  // Hostile text stored as data comes back as data.
  Doc evil = MakeDoc("x'); DROP TABLE events; --", "2013-09-05", {"'; DELETE FROM documents; --"},
                     {Ev(0, "2013-09-05", "IRN'--", "IRQ\"", "190", 4, -10)});
  Load(*store_, {evil});
  Filter back;
  back.doc_id = evil.doc.id;
  auto page = store_->Events(back);
  ASSERT_EQ(page->rows.size(), 1u);
  EXPECT_EQ(page->rows[0].event.source, "IRN'--");
  EXPECT_EQ(page->rows[0].event.text, "'; DELETE FROM documents; --");
  EXPECT_EQ(store_->GetStats()->documents, 7);
}

TEST_P(StoreTest, ManyThreadsQueryWhileOneIngests) {
  Load(*store_, Corpus());
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0}, queries{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 6; ++t)
    readers.emplace_back([&, t] {
      while (!stop) {
        Filter f;
        f.actor = t % 2 ? "IRN" : "";
        auto page = store_->Events(f);
        auto series = store_->Series(f, {Bucket::kMonth, GroupBy::kQuadClass});
        if (!page.ok() || !series.ok() || page->rows.empty()) ++failures;
        ++queries;
      }
    });
  for (int i = 0; i < 40; ++i) {
    Doc d = MakeDoc("bulk" + std::to_string(i), "2013-11-01", {"Someone met someone."},
                    {Ev(0, "2013-11-01", "FRA", "DEU", "040", 1, 1)});
    ASSERT_TRUE(store_->Ingest(Items({d}), 0).ok());
  }
  while (queries < 50) std::this_thread::yield();
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(V(store_->Count({})), 47);
}

// A child process ingests batches and reports each commit on a pipe; the parent kills it with
// SIGKILL in the middle of the work, reopens the database, and checks that every reported
// batch is there, whole, and that nothing half-written is.
TEST_P(StoreTest, KillNineMidIngestLosesNothingCommitted) {
  constexpr int kDocsPerBatch = 50, kEventsPerDoc = 4;
  store_.reset();  // the child opens its own
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    auto s = Store::Open(url_);
    if (!s.ok()) _exit(3);
    for (int b = 0;; ++b) {
      std::vector<Doc> docs;
      for (int i = 0; i < kDocsPerBatch; ++i) {
        std::vector<Event> ev;
        for (int k = 0; k < kEventsPerDoc; ++k)
          ev.push_back(Ev(0, "2014-01-01", "GBR", "FRA", "042", 1, 1.9));
        docs.push_back(MakeDoc("b" + std::to_string(b) + "-" + std::to_string(i), "2014-01-01",
                               {"The prime minister visited Paris."}, std::move(ev)));
      }
      if (!(*s)->Ingest(Items(docs), 0).ok()) _exit(4);
      char c = 'c';
      if (write(fds[1], &c, 1) != 1) _exit(5);
    }
  }
  close(fds[1]);
  int committed = 0;
  char c;
  while (committed < 12 && read(fds[0], &c, 1) == 1) ++committed;
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  close(fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child stopped by itself: " << status;
  ASSERT_EQ(committed, 12);

  auto s = Store::Open(url_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto st = (*s)->GetStats();
  ASSERT_TRUE(st.ok());
  EXPECT_GE(st->documents, committed * kDocsPerBatch);
  EXPECT_EQ(st->documents % kDocsPerBatch, 0) << "a batch was half-written";
  EXPECT_EQ(st->events, st->documents * kEventsPerDoc);
  EXPECT_EQ(st->sentences, st->documents);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM event_text"), st->events);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM events e LEFT JOIN documents d ON d.id = e.document"
                   " WHERE d.id IS NULL"),
            0);
  if (GetParam() == "sqlite") {
    auto conn = Raw();
    auto q = conn->Prepare("PRAGMA integrity_check");
    ASSERT_TRUE(q.ok());
    ASSERT_TRUE(V((*q)->Step()));
    EXPECT_EQ((*q)->Text(0), "ok");
    (*q)->Reset();
  }
  // And the database takes more work.
  ASSERT_TRUE((*s)->Ingest(Items(Corpus()), 0).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST(StoreOpen, BadUrlsAreErrors) {
  EXPECT_FALSE(Store::Open("sqlite:").ok());
  EXPECT_FALSE(Store::Open("sqlite:/nonexistent-dir/x/y.db").ok());
  StoreOptions no_create;
  no_create.create = false;
  const std::string missing = ::testing::TempDir() + "/dyad-no-such-store.db";
  EXPECT_FALSE(Store::Open("sqlite:" + missing, no_create).ok());
  EXPECT_FALSE(std::filesystem::exists(missing));
  EXPECT_FALSE(Store::Open("postgresql://nobody@/nodb?host=/nonexistent&port=1").ok());
}

TEST(StoreOpen, InMemory) {
  auto s = Store::Open("sqlite::memory:");
  ASSERT_TRUE(s.ok()) << s.status().message();
  Load(**s, Corpus());
  EXPECT_EQ(V((*s)->Count({})), 7);
}

}  // namespace
}  // namespace dyad::store
