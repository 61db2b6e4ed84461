// Event store benchmark: ingest rate of synthetic events (Writer, batched transactions), then
// query latency (Google Benchmark) on the database they made.
//
//   build/release/bench/store_bench [--benchmark_filter=...]
//   DYAD_BENCH_EVENTS=1000000      how many events to ingest (default 1,000,000)
//   DYAD_BENCH_STORE=URL           where (default: sqlite: a new file in $TMPDIR, deleted after)
//
// The synthetic news: 4 events a document, 2 sentences a document, 60 actors (20 countries
// with and without an agent), 20 CAMEO codes, dates over two years (2012-2013) in roughly
// chronological order, as a news feed arrives; fixed seed.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "dyad/store.h"

namespace {

using namespace dyad;
using namespace dyad::store;

std::unique_ptr<Store> g_store;

struct CodeInfo {
  const char* code;
  int quad;
  double goldstein;
};
constexpr CodeInfo kCodes[] = {
    {"010", 1, 0.0},  {"020", 1, 3.0},  {"036", 1, 4.0},  {"040", 1, 1.0},  {"042", 1, 1.9},
    {"043", 1, 2.8},  {"051", 1, 3.4},  {"057", 1, 8.0},  {"061", 2, 6.4},  {"071", 2, 7.4},
    {"073", 2, 7.4},  {"111", 3, -2.0}, {"112", 3, -2.0}, {"130", 3, -4.4}, {"138", 3, -7.0},
    {"173", 4, -5.0}, {"190", 4, -10},  {"193", 4, -10},  {"195", 4, -10},  {"200", 4, -10}};
constexpr const char* kCountries[] = {"IRN", "IRQ", "SYR", "USA", "RUS", "CHN", "GBR",
                                      "FRA", "DEU", "ISR", "PSE", "EGY", "TUR", "SAU",
                                      "IND", "PAK", "AFG", "UKR", "NGA", "KEN"};
constexpr const char* kAgents[] = {"", "GOV", "MIL"};

std::string Date(int day) {
  auto d = std::chrono::year_month_day(std::chrono::sys_days(std::chrono::year(2012) /
                                                              std::chrono::January / 1) +
                                       std::chrono::days(day));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

int Ingest(const std::string& url, int64_t total) {
  auto s = Store::Open(url);
  if (!s.ok()) {
    std::fprintf(stderr, "store_bench: %s\n", s.status().message().c_str());
    return 1;
  }
  g_store = std::move(*s);
  std::mt19937_64 rng(20130901);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  auto actor = [&] {
    return std::string(kCountries[pick(std::size(kCountries))]) + kAgents[pick(3)];
  };
  auto w = Writer::Begin(g_store.get(), {"bench", "0000000000000001", "0000000000000002",
                                         "store_bench"});
  if (!w.ok()) return 1;
  const std::string s1 = "The minister of the first country met the envoy of the second.";
  const std::string s2 = "Both sides said the talks on the border would go on next week.";
  // The machine may be shared: CPU time says what the ingest costs, wall time what it took.
  auto cpu = [] {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  };
  double cpu0 = cpu();
  auto t0 = std::chrono::steady_clock::now();
  int64_t n = 0;
  for (int64_t doc = 0; n < total; ++doc) {
    Document d;
    d.id = "bench-" + std::to_string(doc);
    // A news feed arrives roughly in date order: two years over the run, a week of jitter.
    int day = static_cast<int>(doc * 4 * 730 / total) + static_cast<int>(pick(7));
    d.date = Date(day);
    d.title = "Synthetic story " + std::to_string(doc);
    d.source = "bench";
    d.url = "https://news.example/" + std::to_string(doc);
    d.text = s1 + " " + s2;
    d.sentences.resize(2);
    d.sentences[0].text = s1;
    d.sentences[0].span = {0, static_cast<uint32_t>(s1.size())};
    d.sentences[1].text = s2;
    d.sentences[1].span = {static_cast<uint32_t>(s1.size() + 1),
                           static_cast<uint32_t>(s1.size() + 1 + s2.size())};
    std::vector<Event> events(4);
    for (int k = 0; k < 4; ++k) {
      Event& e = events[k];
      const CodeInfo& c = kCodes[pick(std::size(kCodes))];
      e.doc_id = d.id;
      e.sentence = static_cast<uint32_t>(k / 2);
      e.date = d.date;
      e.source = actor();
      e.target = actor();
      e.code = c.code;
      e.root = e.code.substr(0, 2);
      e.quad_class = c.quad;
      e.goldstein = c.goldstein;
      e.source_text = "minister";
      e.target_text = "envoy";
      e.verb_text = "met";
      e.source_span = {4, 12};
      e.verb_span = {40, 43};
      e.target_span = {48, 53};
      e.pattern = "- * MEET WITH [" + e.code + "]";
      e.pattern_where = "CAMEO.verbs.txt:1234";
    }
    if (!(*w)->Add(d, events).ok()) return 1;
    n += 4;
  }
  Status st = (*w)->Finish();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!st.ok()) {
    std::fprintf(stderr, "store_bench: %s\n", st.message().c_str());
    return 1;
  }
  double cpu_secs = cpu() - cpu0;
  std::printf(
      "ingest: %lld events in %lld documents into %s in %.2f s: %.0f events/s"
      " (%.2f s CPU: %.0f events per CPU second)\n",
      static_cast<long long>(n), static_cast<long long>(n / 4),
      std::string(g_store->backend()).c_str(), secs, n / secs, cpu_secs, n / cpu_secs);
  std::fflush(stdout);
  return 0;
}

void Check(const Status& s, benchmark::State& state) {
  if (!s.ok()) state.SkipWithError(s.message().c_str());
}

void BM_EventsFirstPage(benchmark::State& state) {
  Filter f;
  f.limit = 100;
  for (auto _ : state) Check(g_store->Events(f).status(), state);
}
BENCHMARK(BM_EventsFirstPage)->Unit(benchmark::kMillisecond);

void BM_EventsActorMonth(benchmark::State& state) {
  Filter f;
  f.actor = "IRN";
  f.from = "2013-09-01";
  f.to = "2013-09-30";
  for (auto _ : state) Check(g_store->Events(f).status(), state);
}
BENCHMARK(BM_EventsActorMonth)->Unit(benchmark::kMillisecond);

void BM_EventsDyadCodeOneADay(benchmark::State& state) {
  Filter f;
  f.source = "IRN";
  f.target = "IRQ";
  f.code = "19";
  f.one_a_day = true;
  for (auto _ : state) Check(g_store->Events(f).status(), state);
}
BENCHMARK(BM_EventsDyadCodeOneADay)->Unit(benchmark::kMillisecond);

void BM_EventsText(benchmark::State& state) {
  Filter f;
  f.text = "border";
  f.from = "2013-09-01";
  f.to = "2013-09-07";
  for (auto _ : state) Check(g_store->Events(f).status(), state);
}
BENCHMARK(BM_EventsText)->Unit(benchmark::kMillisecond);

void BM_CountAll(benchmark::State& state) {
  for (auto _ : state) Check(g_store->Count({}).status(), state);
}
BENCHMARK(BM_CountAll)->Unit(benchmark::kMillisecond);

void BM_EventById(benchmark::State& state) {
  int64_t id = 1;
  for (auto _ : state) {
    Check(g_store->Event(id).status(), state);
    id = id * 7919 % 1000000 + 1;
  }
}
BENCHMARK(BM_EventById)->Unit(benchmark::kMicrosecond);

void BM_SeriesAllByWeekQuadClass(benchmark::State& state) {
  for (auto _ : state)
    Check(g_store->Series({}, {Bucket::kWeek, GroupBy::kQuadClass}).status(), state);
}
BENCHMARK(BM_SeriesAllByWeekQuadClass)->Unit(benchmark::kMillisecond);

void BM_SeriesActorByDayOneADay(benchmark::State& state) {
  Filter f;
  f.actor = "IRN";
  f.one_a_day = true;
  for (auto _ : state) Check(g_store->Series(f, {Bucket::kDay, GroupBy::kNone}).status(), state);
}
BENCHMARK(BM_SeriesActorByDayOneADay)->Unit(benchmark::kMillisecond);

void BM_SeriesDyadTop10ByMonth(benchmark::State& state) {
  Filter f;
  f.from = "2013-01-01";
  f.to = "2013-06-30";
  for (auto _ : state)
    Check(g_store->Series(f, {Bucket::kMonth, GroupBy::kDyad, 10}).status(), state);
}
BENCHMARK(BM_SeriesDyadTop10ByMonth)->Unit(benchmark::kMillisecond);

void BM_CountryCountsMonth(benchmark::State& state) {
  Filter f;
  f.from = "2013-09-01";
  f.to = "2013-09-30";
  for (auto _ : state) Check(g_store->CountryCounts(f).status(), state);
}
BENCHMARK(BM_CountryCountsMonth)->Unit(benchmark::kMillisecond);

void BM_CountryCountsAll(benchmark::State& state) {
  for (auto _ : state) Check(g_store->CountryCounts({}).status(), state);
}
BENCHMARK(BM_CountryCountsAll)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  const char* n_env = std::getenv("DYAD_BENCH_EVENTS");
  int64_t total = n_env ? std::atoll(n_env) : 1000000;
  const char* url_env = std::getenv("DYAD_BENCH_STORE");
  std::string path;
  std::string url;
  if (url_env) {
    url = url_env;
  } else {
    path = (std::filesystem::temp_directory_path() /
            ("dyad-store-bench-" + std::to_string(getpid()) + ".db"))
               .string();
    url = "sqlite:" + path;
  }
  int rc = Ingest(url, total);
  if (rc == 0) {
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
  }
  g_store.reset();
  if (!path.empty())
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return rc;
}
