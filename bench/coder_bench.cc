// The event coder alone (no parsing): UD English EWT dev sentences with their gold parses,
// coded with the shipped Phoenix/CAMEO dictionary. Needs ../shared (DYAD_SHARED) for the
// treebank and data/dict/phoenix.dyadd for the dictionary.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "dyad/coder.h"
#include "dyad/conllu.h"
#include "dyad/dict.h"

namespace {

struct Fixture {
  std::shared_ptr<const dyad::dict::Dictionary> dict;
  dyad::Document doc;
};

const Fixture& Data() {
  static Fixture f = [] {
    Fixture x;
    const char* env = std::getenv("DYAD_SHARED");
    std::string shared = env ? env : std::string(DYAD_SOURCE_DIR) + "/../shared";
    auto d = dyad::dict::Dictionary::Load(std::string(DYAD_SOURCE_DIR) + "/" +
                                          std::string(dyad::dict::kDefaultDictionaryFile));
    auto c = dyad::ReadConlluFile(shared + "/data/ud-english-ewt/dev.conllu");
    if (!d.ok() || !c.ok()) {
      std::fprintf(stderr, "coder_bench: %s\n",
                   (!d.ok() ? d.status() : c.status()).message().c_str());
      std::exit(2);  // a benchmark binary, not library code
    }
    x.dict = d.value();
    x.doc.id = "ewt-dev";
    x.doc.date = "2013-09-24";
    x.doc.text = std::move(c->text);
    x.doc.sentences = std::move(c->sentences);
    return x;
  }();
  return f;
}

void BM_CoderAlone(benchmark::State& state) {
  const Fixture& f = Data();
  auto coder = dyad::coder::Coder::Create(f.dict);
  size_t sentences = 0, events = 0;
  for (auto _ : state) {
    auto ev = coder->Code(f.doc);
    events += ev.size();
    sentences += f.doc.sentences.size();
    benchmark::DoNotOptimize(ev);
  }
  state.counters["sentences/s"] =
      benchmark::Counter(static_cast<double>(sentences), benchmark::Counter::kIsRate);
  state.counters["events/sentence"] =
      static_cast<double>(events) / static_cast<double>(sentences ? sentences : 1);
}
BENCHMARK(BM_CoderAlone)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
