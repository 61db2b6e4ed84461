// dyad-fill-store: fills an event store with made-up events through the store's ingest API
// (store::Writer), for the load benchmark of `dyad serve` (scripts/bench-serve.sh). Not part
// of the dyad command: the events are synthetic and say so in their text.
//   usage: dyad-fill-store URL EVENTS [SEED]
// Deterministic for a seed: dates over 2015-2025, 40 countries with agents, the CAMEO codes of
// the codebook, about 5 events per document and 2 per sentence.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "dyad/cameo.h"
#include "dyad/store.h"

namespace {

const char* const kCountries[] = {
    "IRN", "IRQ", "SYR", "TUR", "RUS", "UKR", "CHN", "JPN", "IND", "PAK", "ISR", "EGY", "KEN", "NGA",
    "BRA", "MEX", "FRA", "DEU", "GBR", "USA", "CAN", "AUS", "SAU", "AFG", "LBN", "JOR", "YEM", "SDN",
    "ETH", "SOM", "COL", "VEN", "ARG", "ZAF", "KOR", "PRK", "IDN", "PHL", "POL", "ESP"};
const char* const kAgents[] = {"", "", "", "GOV", "MIL", "REB", "OPP", "COP", "BUS", "CVL", "MED"};

std::string Date(int day) {  // day 0 = 2015-01-01
  using namespace std::chrono;
  year_month_day ymd{sys_days{year{2015} / January / 1} + days{day}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: dyad-fill-store URL EVENTS [SEED]\n");
    return 2;
  }
  const std::string url = argv[1];
  const long long target = std::atoll(argv[2]);
  const unsigned long long seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
  if (target <= 0) {
    std::fprintf(stderr, "dyad-fill-store: EVENTS must be a positive number\n");
    return 2;
  }
  auto store = dyad::store::Store::Open(url);
  if (!store.ok()) {
    std::fprintf(stderr, "dyad-fill-store: %s\n", store.status().message().c_str());
    return 2;
  }
  std::vector<const dyad::cameo::EventType*> codes;
  for (const auto& t : dyad::cameo::AllEventTypes())
    if (std::string_view(t.code).size() == 3) codes.push_back(&t);
  auto writer = dyad::store::Writer::Begin(store->get(), {"bench", "0000000000000000",
                                                          "0000000000000000",
                                                          "dyad-fill-store"});
  if (!writer.ok()) {
    std::fprintf(stderr, "dyad-fill-store: %s\n", writer.status().message().c_str());
    return 2;
  }
  std::mt19937_64 rng(seed);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  const int kDays = 4018;  // 2015-01-01 .. 2025-12-31
  auto t0 = std::chrono::steady_clock::now();
  long long made = 0, doc_no = 0;
  while (made < target) {
    dyad::Document doc;
    doc.id = "synthetic-" + std::to_string(doc_no++);
    doc.date = Date(static_cast<int>(pick(kDays)));
    doc.title = "Synthetic document " + std::to_string(doc_no);
    doc.source = "dyad-fill-store";
    std::vector<dyad::Event> events;
    for (uint32_t s = 0; s < 3 && made < target; ++s) {
      dyad::Sentence sent;
      std::string text = "Synthetic sentence " + std::to_string(s) + " of " + doc.id + ": ";
      uint32_t events_here = 1 + static_cast<uint32_t>(pick(2));
      std::vector<dyad::Event> mine;
      for (uint32_t k = 0; k < events_here && made < target; ++k, ++made) {
        // Iran and Iraq, then the others, with a skew so that dyads repeat.
        const char* a = kCountries[pick(4) == 0 ? pick(2) : pick(std::size(kCountries))];
        const char* b = kCountries[pick(std::size(kCountries))];
        if (std::string_view(a) == b) b = "USA";
        const auto* t = codes[pick(codes.size())];
        dyad::Event e;
        e.sentence = s;
        e.date = doc.date;
        e.source = std::string(a) + kAgents[pick(std::size(kAgents))];
        e.target = std::string(b) + kAgents[pick(std::size(kAgents))];
        e.code = t->code;
        e.root = t->root;
        e.quad_class = t->quad_class;
        e.goldstein = t->goldstein;
        uint32_t base = static_cast<uint32_t>(doc.text.size() + text.size());
        std::string clause = e.source + " " + t->name + " " + e.target + ". ";
        e.source_span = {base, base + static_cast<uint32_t>(e.source.size())};
        e.verb_span = {e.source_span.end + 1,
                       e.source_span.end + 1 + static_cast<uint32_t>(std::string_view(t->name).size())};
        e.target_span = {e.verb_span.end + 1,
                         e.verb_span.end + 1 + static_cast<uint32_t>(e.target.size())};
        e.source_text = e.source;
        e.target_text = e.target;
        e.verb_text = t->name;
        e.pattern = "synthetic";
        text += clause;
        mine.push_back(std::move(e));
      }
      sent.span = {static_cast<uint32_t>(doc.text.size()),
                   static_cast<uint32_t>(doc.text.size() + text.size())};
      sent.text = text;
      for (auto& e : mine) e.text = text;
      doc.text += text;
      doc.sentences.push_back(std::move(sent));
      for (auto& e : mine) events.push_back(std::move(e));
    }
    if (auto st = (*writer)->Add(doc, events); !st.ok()) {
      std::fprintf(stderr, "dyad-fill-store: %s\n", st.message().c_str());
      return 1;
    }
  }
  if (auto st = (*writer)->Finish(); !st.ok()) {
    std::fprintf(stderr, "dyad-fill-store: %s\n", st.message().c_str());
    return 1;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "dyad-fill-store: %lld events in %lld documents in %.1f s (%.0f events/s)\n",
               made, doc_no, secs, secs > 0 ? made / secs : 0.0);
  return 0;
}
