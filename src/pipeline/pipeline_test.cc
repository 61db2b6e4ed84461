// The pipeline with the shipped model and dictionary: the pre-pass changes which sentences
// are parsed, never which events come out; limits; order and stopping with threads.
#include "dyad/pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "dyad/dict.h"

namespace dyad::pipeline {
namespace {

struct Shipped {
  std::shared_ptr<const Pipeline> nlp;
  std::shared_ptr<const dict::Dictionary> dict;
  std::unique_ptr<coder::Coder> coder;
};

const Shipped* Load() {
  static const Shipped* shipped = [] {
    auto* s = new Shipped;
    std::string root = DYAD_SOURCE_DIR;
    auto nlp = Pipeline::Load(root + "/models/en-ewt.dyadm");
    auto d = dict::Dictionary::Load(root + "/data/dict/phoenix.dyadd");
    if (!nlp.ok() || !d.ok()) return static_cast<Shipped*>(nullptr);
    s->nlp = *nlp;
    s->dict = *d;
    auto c = coder::Coder::Create(s->dict);
    if (!c.ok()) return static_cast<Shipped*>(nullptr);
    s->coder = std::make_unique<coder::Coder>(std::move(*c));
    return s;
  }();
  return shipped;
}

std::string Key(const std::vector<Event>& events) {
  std::string k;
  for (const Event& e : events)
    k += std::to_string(e.sentence) + ":" + e.source + ">" + e.target + "/" + e.code + " ";
  return k;
}

Output CodeText(const std::string& text, Options opt) {
  const Shipped* s = Load();
  Runner runner(*s->nlp, *s->coder, opt);
  Input in;
  in.doc.id = "t";
  in.doc.date = "2024-05-01";
  in.doc.text = text;
  Output out;
  runner.CodeDocument(in, &out);
  return out;
}

// Sentences that lean on each other: a pronoun for a compound of the sentence before, a
// pronoun for a single actor, sentences with no actor or no verb in between.
const char kStory[] =
    "Germany and France signed a trade agreement on Monday. They also criticized Russia over "
    "the gas dispute. The weather was mild in the afternoon. Brazil hosted the talks. It "
    "praised Argentina for its patience. Police arrested dozens of protesters in Paris on "
    "Tuesday. A long queue formed outside the museum. Officials in Japan said China had "
    "threatened its neighbours.";

TEST(Pipeline, PrePassParsesLessAndCodesTheSame) {
  if (!Load()) GTEST_SKIP() << "shipped model or dictionary missing";
  Options all;
  all.parse_all = true;
  Output a = CodeText(kStory, all);
  Output p = CodeText(kStory, Options());
  ASSERT_EQ(a.sentences, 8u);
  EXPECT_EQ(a.parsed, 8u);
  EXPECT_LT(p.parsed, a.parsed);  // the weather and the queue need no parse
  EXPECT_FALSE(a.events.empty());
  EXPECT_EQ(Key(p.events), Key(a.events));
  // The events that only a pronoun makes possible are there.
  bool they = false;
  for (const Event& e : p.events) they |= e.sentence == 1 && e.target == "RUS";
  EXPECT_TRUE(they) << Key(p.events);
}

TEST(Pipeline, SkippedSentencesSayWhyInTheTrace) {
  if (!Load()) GTEST_SKIP() << "shipped model or dictionary missing";
  Options opt;
  opt.trace = true;
  Output p = CodeText(kStory, opt);
  ASSERT_EQ(p.trace.size(), 8u);
  EXPECT_NE(p.trace[2].text.find("not parsed"), std::string::npos) << p.trace[2].text;
}

TEST(Pipeline, OverlongSentenceIsReportedAndTheRestCoded) {
  if (!Load()) GTEST_SKIP() << "shipped model or dictionary missing";
  std::string text = "France criticized Germany over the budget. Delegates from";
  for (int i = 0; i < 120; ++i) text += " Chile and Peru";
  text += " met.";
  Options opt;
  opt.max_sentence_words = 300;
  Output out = CodeText(text, opt);
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_NE(out.problems[0].find("sentence 1 not coded"), std::string::npos) << out.problems[0];
  EXPECT_NE(out.problems[0].find("300"), std::string::npos);
  ASSERT_FALSE(out.events.empty());
  for (const Event& e : out.events) EXPECT_EQ(e.sentence, 0u);
}

std::vector<Input> ManyDocs(int n) {
  std::vector<Input> docs;
  const char* texts[] = {"Iran accused Iraq of shelling the border.", "The match ended in a draw.",
                         "Egypt welcomed the ceasefire between Israel and Hamas.",
                         "Kenya and Uganda agreed to reopen the crossing."};
  for (int i = 0; i < n; ++i) {
    Input in;
    in.doc.id = "d" + std::to_string(i);
    in.doc.text = texts[i % 4];
    in.origin = "mem:" + std::to_string(i + 1);
    if (i % 7 == 6) in.reject = "a rejection from the reader";
    docs.push_back(std::move(in));
  }
  return docs;
}

std::string RunAll(int threads, const std::atomic<bool>* stop, int stop_after = -1) {
  const Shipped* s = Load();
  Runner runner(*s->nlp, *s->coder, Options());
  std::vector<Input> docs = ManyDocs(40);
  size_t next = 0;
  std::string out;
  Runner::Hooks hooks;
  hooks.next = [&]() -> std::optional<Input> {
    if (next >= docs.size()) return std::nullopt;
    return std::move(docs[next++]);
  };
  hooks.finish = [](Output& o) { o.text = o.doc.id + " " + Key(o.events) + o.reject + "\n"; };
  int consumed = 0;
  hooks.consume = [&](Output& o) {
    out += o.origin + " " + o.text;
    if (++consumed == stop_after) const_cast<std::atomic<bool>*>(stop)->store(true);
  };
  runner.Run(threads, hooks, stop);
  return out;
}

TEST(Pipeline, OutputInInputOrderForAnyThreadCount) {
  if (!Load()) GTEST_SKIP() << "shipped model or dictionary missing";
  std::string one = RunAll(1, nullptr);
  EXPECT_EQ(std::count(one.begin(), one.end(), '\n'), 40);
  EXPECT_NE(one.find("mem:7 d6 a rejection from the reader"), std::string::npos) << one;
  EXPECT_EQ(RunAll(3, nullptr), one);
}

TEST(Pipeline, StopEndsAtARecordBoundary) {
  if (!Load()) GTEST_SKIP() << "shipped model or dictionary missing";
  std::string full = RunAll(1, nullptr);
  for (int threads : {1, 2}) {
    std::atomic<bool> stop{false};
    std::string part = RunAll(threads, &stop, 5);
    size_t lines = std::count(part.begin(), part.end(), '\n');
    EXPECT_GE(lines, 5u);
    EXPECT_LT(lines, 40u);
    EXPECT_EQ(full.compare(0, part.size(), part), 0) << "a prefix of the full output";
  }
}

}  // namespace
}  // namespace dyad::pipeline
