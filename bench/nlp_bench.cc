// Per-stage throughput of the shipped model on the project's own sample news.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "dyad/nlp.h"
#include "util/binary.h"

namespace {

const dyad::Pipeline* Model() {
  static std::shared_ptr<const dyad::Pipeline> p = [] {
    auto r = dyad::Pipeline::Load(std::string(DYAD_SOURCE_DIR) + "/models/en-ewt.dyadm");
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.status().message().c_str());
      std::exit(2);  // a benchmark binary, not library code
    }
    return r.value();
  }();
  return p.get();
}

const std::string& Text() {
  static std::string t = [] {
    auto r = dyad::ReadFile(std::string(DYAD_SOURCE_DIR) + "/data/samples/news.txt");
    return r.ok() ? r.value() : std::string("The minister met the envoy.");
  }();
  return t;
}

size_t CountTokens(const std::vector<dyad::Sentence>& s) {
  size_t n = 0;
  for (const auto& x : s) n += x.tokens.size();
  return n;
}

void BM_FullPipeline(benchmark::State& state) {
  const auto* p = Model();
  size_t tokens = 0;
  for (auto _ : state) {
    std::vector<dyad::Sentence> out;
    p->AnnotateText(Text(), &out);
    tokens += CountTokens(out);
    benchmark::DoNotOptimize(out);
  }
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(tokens),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FullPipeline);

void BM_TagOnly(benchmark::State& state) {
  const auto* p = Model();
  std::vector<dyad::Sentence> base;
  p->AnnotateText(Text(), &base);
  size_t words = 0;
  for (auto _ : state) {
    for (auto s : base) {
      p->Tag(&s);
      words += s.words.size();
      benchmark::DoNotOptimize(s);
    }
  }
  state.counters["words/s"] = benchmark::Counter(static_cast<double>(words),
                                                 benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TagOnly);

void BM_ParseOnly(benchmark::State& state) {
  const auto* p = Model();
  std::vector<dyad::Sentence> base;
  p->AnnotateText(Text(), &base);
  size_t words = 0;
  for (auto _ : state) {
    for (auto s : base) {
      p->Parse(&s);
      words += s.words.size();
      benchmark::DoNotOptimize(s);
    }
  }
  state.counters["words/s"] = benchmark::Counter(static_cast<double>(words),
                                                 benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParseOnly);

}  // namespace

BENCHMARK_MAIN();
