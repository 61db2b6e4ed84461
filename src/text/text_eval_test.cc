// Measures the segmenter on UD English EWT from raw text: trains on train, segments the rebuilt
// raw text of dev and test, and scores tokens, sentences and words by character span as the
// CoNLL 2018 shared task does. Prints the figures; asserts a loose floor on dev so regressions
// fail. Skipped when ../shared is absent.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <utility>

#include "dyad/conllu.h"
#include "dyad/text.h"
#include "text/segmenter_test_util.h"
#include "util/binary.h"

namespace dyad::text {
namespace {

std::string SharedDir() {
  const char* env = std::getenv("DYAD_SHARED");
  return env ? env : std::string(DYAD_SOURCE_DIR) + "/../shared";
}

struct Scores {
  double tokens, sentences, words;
};

double F1(size_t match, size_t gold, size_t pred) {
  return gold + pred == 0 ? 0
                          : 200.0 * static_cast<double>(match) / static_cast<double>(gold + pred);
}

size_t Lcs(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::vector<size_t>> t(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j)
      t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
  return t[a.size()][b.size()];
}

// Tokens and sentences match when their spans are equal (same text, so whitespace needs no
// special treatment); words of a matched token match by longest common subsequence.
Scores Score(const ConlluCorpus& gold, const std::vector<Sentence>& pred) {
  using Key = std::pair<uint32_t, uint32_t>;
  std::map<Key, std::vector<std::string>> gold_tokens;
  std::set<Key> gold_sents;
  size_t gold_words = 0, pred_words = 0, pred_tokens = 0, tok_match = 0, sent_match = 0,
         word_match = 0;
  for (const auto& s : gold.sentences) {
    gold_sents.insert({s.span.begin, s.span.end});
    for (const auto& t : s.tokens) {
      std::vector<std::string> w;
      for (uint32_t k = t.first_word; k <= t.last_word; ++k)
        w.push_back(Normalize(s.words[k].form));
      gold_words += w.size();
      gold_tokens[{t.span.begin, t.span.end}] = std::move(w);
    }
  }
  for (const auto& s : pred) {
    sent_match += gold_sents.count({s.span.begin, s.span.end});
    for (const auto& t : s.tokens) {
      ++pred_tokens;
      std::vector<std::string> w;
      for (uint32_t k = t.first_word; k <= t.last_word; ++k) w.push_back(s.words[k].form);
      pred_words += w.size();
      auto it = gold_tokens.find({t.span.begin, t.span.end});
      if (it == gold_tokens.end()) continue;
      ++tok_match;
      word_match += Lcs(it->second, w);
    }
  }
  return {F1(tok_match, gold_tokens.size(), pred_tokens),
          F1(sent_match, gold_sents.size(), pred.size()), F1(word_match, gold_words, pred_words)};
}

TEST(TextEval, EwtFromRawText) {
  const std::string dir = SharedDir() + "/data/ud-english-ewt/";
  auto train = ReadConlluFile(dir + "train.conllu");
  if (!train.ok()) GTEST_SKIP() << SharedDir() << " not found: skipping the EWT measurement";
  auto dev = ReadConlluFile(dir + "dev.conllu");
  auto test = ReadConlluFile(dir + "test.conllu");
  ASSERT_TRUE(dev.ok() && test.ok());

  auto t0 = std::chrono::steady_clock::now();
  auto seg =
      Segmenter::Train(std::string(DYAD_SOURCE_DIR) + "/data/lang/en", train.value(), &dev.value());
  ASSERT_TRUE(seg.ok()) << seg.status().message();
  auto t1 = std::chrono::steady_clock::now();
  std::printf("trained in %.1f s: %s\n", std::chrono::duration<double>(t1 - t0).count(),
              seg->Summary().c_str());

  // The model survives serialisation unchanged.
  BinaryWriter w;
  seg->Serialize(&w);
  BinaryReader r(w.data(), "segmenter");
  auto loaded = Segmenter::Parse(&r);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_TRUE(r.Finish().ok());
  std::printf("serialised size: %zu bytes\n", w.data().size());

  // The model trained on EWT gets the news cases right too.
  testing::ExpectNewsCases(loaded.value());

  auto rules = Segmenter::FromLanguageDir(std::string(DYAD_SOURCE_DIR) + "/data/lang/en");
  ASSERT_TRUE(rules.ok()) << rules.status().message();

  for (const auto* c : {&dev.value(), &test.value()}) {
    const char* name = c == &dev.value() ? "dev" : "test";
    std::vector<Sentence> out;
    auto a = std::chrono::steady_clock::now();
    loaded->Segment(c->text, &out);
    auto b = std::chrono::steady_clock::now();
    size_t ntok = 0;
    for (const auto& s : out) ntok += s.tokens.size();
    const double secs = std::chrono::duration<double>(b - a).count();
    Scores sc = Score(*c, out);
    std::printf(
        "EWT %-4s trained: Tokens %.2f  Sentences %.2f  Words %.2f   (%zu tokens, %.0f tokens/s)\n",
        name, sc.tokens, sc.sentences, sc.words, ntok, static_cast<double>(ntok) / secs);
    SegmenterOptions web;
    web.split_unpunctuated = true;
    std::vector<Sentence> out_web;
    loaded->Segment(c->text, &out_web, web);
    Scores sw = Score(*c, out_web);
    std::printf("EWT %-4s trained, split_unpunctuated: Tokens %.2f  Sentences %.2f  Words %.2f\n",
                name, sw.tokens, sw.sentences, sw.words);
    std::vector<Sentence> out_rules;
    rules->Segment(c->text, &out_rules);
    Scores sr = Score(*c, out_rules);
    std::printf("EWT %-4s rules:   Tokens %.2f  Sentences %.2f  Words %.2f\n", name, sr.tokens,
                sr.sentences, sr.words);
    if (c == &dev.value()) {
      EXPECT_GE(sc.tokens, 98.5);
      EXPECT_GE(sc.sentences, 80.0);
      EXPECT_GE(sc.words, 98.0);
      EXPECT_GE(sr.tokens, 95.0);
      EXPECT_GE(sw.sentences, 82.0);
    }
  }
}

}  // namespace
}  // namespace dyad::text
