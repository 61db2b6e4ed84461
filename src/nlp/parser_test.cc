#include "nlp/parser.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "dyad/conllu.h"
#include "util/binary.h"

namespace dyad::nlp {
namespace {

// A tiny treebank written for this test. The last sentence is non-projective ("about the
// budget" modifies "meeting" across "was held yesterday"): training must cope with it.
constexpr char kTreebank[] =
    "1\tThe\tthe\tDET\tDT\tDefinite=Def|PronType=Art\t2\tdet\t_\t_\n"
    "2\tcommittee\tcommittee\tNOUN\tNN\tNumber=Sing\t3\tnsubj\t_\t_\n"
    "3\tapproved\tapprove\tVERB\tVBD\tMood=Ind|Tense=Past|VerbForm=Fin\t0\troot\t_\t_\n"
    "4\tthe\tthe\tDET\tDT\tDefinite=Def|PronType=Art\t5\tdet\t_\t_\n"
    "5\tplan\tplan\tNOUN\tNN\tNumber=Sing\t3\tobj\t_\t_\n"
    "6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n"
    "\n"
    "1\tRebels\trebel\tNOUN\tNNS\tNumber=Plur\t2\tnsubj\t_\t_\n"
    "2\tattacked\tattack\tVERB\tVBD\tMood=Ind|Tense=Past|VerbForm=Fin\t0\troot\t_\t_\n"
    "3\ta\ta\tDET\tDT\tDefinite=Ind|PronType=Art\t4\tdet\t_\t_\n"
    "4\tvillage\tvillage\tNOUN\tNN\tNumber=Sing\t2\tobj\t_\t_\n"
    "5\tnear\tnear\tADP\tIN\t_\t7\tcase\t_\t_\n"
    "6\tthe\tthe\tDET\tDT\tDefinite=Def|PronType=Art\t7\tdet\t_\t_\n"
    "7\tborder\tborder\tNOUN\tNN\tNumber=Sing\t4\tnmod\t_\t_\n"
    "8\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n"
    "\n"
    "1\tShe\tshe\tPRON\tPRP\tCase=Nom|Number=Sing|Person=3\t4\tnsubj\t_\t_\n"
    "2\tdid\tdo\tAUX\tVBD\tMood=Ind|Tense=Past|VerbForm=Fin\t4\taux\t_\t_\n"
    "3\tnot\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n"
    "4\tsign\tsign\tVERB\tVB\tVerbForm=Inf\t0\troot\t_\t_\n"
    "5\tthe\tthe\tDET\tDT\tDefinite=Def|PronType=Art\t6\tdet\t_\t_\n"
    "6\tagreement\tagreement\tNOUN\tNN\tNumber=Sing\t4\tobj\t_\t_\n"
    "7\ton\ton\tADP\tIN\t_\t8\tcase\t_\t_\n"
    "8\tMonday\tMonday\tPROPN\tNNP\tNumber=Sing\t4\tobl\t_\t_\n"
    "9\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n"
    "\n"
    "1\tThe\tthe\tDET\tDT\tDefinite=Def|PronType=Art\t2\tdet\t_\t_\n"
    "2\tminister\tminister\tNOUN\tNN\tNumber=Sing\t3\tnsubj\t_\t_\n"
    "3\tmet\tmeet\tVERB\tVBD\tMood=Ind|Tense=Past|VerbForm=Fin\t0\troot\t_\t_\n"
    "4\tenvoys\tenvoy\tNOUN\tNNS\tNumber=Plur\t3\tobj\t_\t_\n"
    "5\tfrom\tfrom\tADP\tIN\t_\t7\tcase\t_\t_\n"
    "6\tthree\tthree\tNUM\tCD\tNumType=Card\t7\tnummod\t_\t_\n"
    "7\tcountries\tcountry\tNOUN\tNNS\tNumber=Plur\t4\tnmod\t_\t_\n"
    "8\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n"
    "\n"
    "1\tPolice\tpolice\tNOUN\tNN\tNumber=Sing\t2\tnsubj\t_\t_\n"
    "2\tarrested\tarrest\tVERB\tVBD\tMood=Ind|Tense=Past|VerbForm=Fin\t0\troot\t_\t_\n"
    "3\ttwo\ttwo\tNUM\tCD\tNumType=Card\t4\tnummod\t_\t_\n"
    "4\tmen\tman\tNOUN\tNNS\tNumber=Plur\t2\tobj\t_\t_\n"
    "5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n"
    "\n"
    "1\tThe\tthe\tDET\tDT\tDefinite=Def|PronType=Art\t2\tdet\t_\t_\n"
    "2\ttalks\ttalk\tNOUN\tNNS\tNumber=Plur\t3\tnsubj\t_\t_\n"
    "3\tended\tend\tVERB\tVBD\tMood=Ind|Tense=Past|VerbForm=Fin\t0\troot\t_\t_\n"
    "4\twithout\twithout\tADP\tIN\t_\t6\tcase\t_\t_\n"
    "5\ta\ta\tDET\tDT\tDefinite=Ind|PronType=Art\t6\tdet\t_\t_\n"
    "6\tdeal\tdeal\tNOUN\tNN\tNumber=Sing\t3\tobl\t_\t_\n"
    "7\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n"
    "\n"
    "1\tOur\twe\tPRON\tPRP$\tNumber=Plur|Person=1|Poss=Yes\t2\tnmod:poss\t_\t_\n"
    "2\tgovernment\tgovernment\tNOUN\tNN\tNumber=Sing\t3\tnsubj\t_\t_\n"
    "3\tcondemned\tcondemn\tVERB\tVBD\tMood=Ind|Tense=Past|VerbForm=Fin\t0\troot\t_\t_\n"
    "4\tthe\tthe\tDET\tDT\tDefinite=Def|PronType=Art\t5\tdet\t_\t_\n"
    "5\tstrike\tstrike\tNOUN\tNN\tNumber=Sing\t3\tobj\t_\t_\n"
    "6\tstrongly\tstrongly\tADV\tRB\t_\t3\tadvmod\t_\t_\n"
    "7\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n"
    "\n"
    "1\tLeaders\tleader\tNOUN\tNNS\tNumber=Plur\t6\tnsubj\t_\t_\n"
    "2\tof\tof\tADP\tIN\t_\t4\tcase\t_\t_\n"
    "3\tboth\tboth\tDET\tDT\t_\t4\tdet\t_\t_\n"
    "4\tparties\tparty\tNOUN\tNNS\tNumber=Plur\t1\tnmod\t_\t_\n"
    "5\twill\twill\tAUX\tMD\tVerbForm=Fin\t6\taux\t_\t_\n"
    "6\tmeet\tmeet\tVERB\tVB\tVerbForm=Inf\t0\troot\t_\t_\n"
    "7\tin\tin\tADP\tIN\t_\t8\tcase\t_\t_\n"
    "8\tGeneva\tGeneva\tPROPN\tNNP\tNumber=Sing\t6\tobl\t_\t_\n"
    "9\t.\t.\tPUNCT\t.\t_\t6\tpunct\t_\t_\n"
    "\n"
    "1\tA\ta\tDET\tDT\tDefinite=Ind|PronType=Art\t2\tdet\t_\t_\n"
    "2\tmeeting\tmeeting\tNOUN\tNN\tNumber=Sing\t4\tnsubj:pass\t_\t_\n"
    "3\twas\tbe\tAUX\tVBD\tMood=Ind|Tense=Past|VerbForm=Fin\t4\taux:pass\t_\t_\n"
    "4\theld\thold\tVERB\tVBN\tTense=Past|VerbForm=Part|Voice=Pass\t0\troot\t_\t_\n"
    "5\tyesterday\tyesterday\tNOUN\tNN\tNumber=Sing\t4\tobl:tmod\t_\t_\n"
    "6\tabout\tabout\tADP\tIN\t_\t8\tcase\t_\t_\n"
    "7\tthe\tthe\tDET\tDT\tDefinite=Def|PronType=Art\t8\tdet\t_\t_\n"
    "8\tbudget\tbudget\tNOUN\tNN\tNumber=Sing\t2\tnmod\t_\t_\n"
    "9\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n"
    "\n";
constexpr size_t kProjective = 8;  // the first eight sentences

std::vector<Sentence> Treebank() {
  auto corpus = ReadConllu(kTreebank, "parser_test");
  EXPECT_TRUE(corpus.ok()) << corpus.status().message();
  return corpus.ok() ? corpus->sentences : std::vector<Sentence>{};
}

ParserOptions TinyOptions() {
  ParserOptions o;
  o.epochs = 30;
  o.beam = 4;
  o.patience = 0;
  o.verbose = false;
  return o;
}

const Parser& TinyParser() {
  static const Parser* parser = [] {
    auto tb = Treebank();
    auto p = Parser::Train(tb, tb, TinyOptions());
    EXPECT_TRUE(p.ok()) << p.status().message();
    return new Parser(p.ok() ? std::move(p).value() : Parser());
  }();
  return *parser;
}

// Exactly one root with relation "root", every head in range, no cycle, a relation everywhere.
void ExpectWellFormed(const Sentence& s) {
  const int n = static_cast<int>(s.words.size());
  int roots = 0;
  for (int i = 0; i < n; ++i) {
    const Word& w = s.words[i];
    ASSERT_GE(w.head, 0) << "word " << i + 1;
    ASSERT_LE(w.head, n) << "word " << i + 1;
    ASSERT_NE(w.head, i + 1) << "word " << i + 1 << " is its own head";
    ASSERT_FALSE(w.deprel.empty());
    if (w.head == 0) {
      ++roots;
      EXPECT_EQ(w.deprel, "root");
    } else {
      EXPECT_NE(w.deprel, "root");
    }
  }
  ASSERT_EQ(roots, n > 0 ? 1 : 0);
  for (int i = 1; i <= n; ++i) {  // following heads from any word reaches the root
    int x = i, steps = 0;
    while (x != 0 && steps <= n) {
      x = s.words[x - 1].head;
      ++steps;
    }
    ASSERT_EQ(x, 0) << "cycle through word " << i;
  }
}

Sentence RandomSentence(std::mt19937_64* rng, int n) {
  static const char* kTags[] = {"NOUN", "VERB", "", "_", "X", "NN", "\xff\xfe", "PUNCT", "DT"};
  Sentence s;
  for (int i = 0; i < n; ++i) {
    Word w;
    const int len = static_cast<int>((*rng)() % 12);
    for (int k = 0; k < len; ++k) w.form += static_cast<char>((*rng)() % 256);
    w.lemma = (*rng)() % 2 ? w.form : "";
    w.upos = kTags[(*rng)() % 9];
    w.xpos = kTags[(*rng)() % 9];
    w.feats = (*rng)() % 3 ? "_" : "Number=Sing|Garbage";
    w.head = static_cast<int>((*rng)() % 5) - 2;  // stale values the parser must overwrite
    w.deprel = "stale";
    s.words.push_back(w);
  }
  return s;
}

std::string Bytes(const Parser& p) {
  BinaryWriter w;
  p.Serialize(&w);
  return w.Take();
}

TEST(Parser, LearnsAndReproducesATinyTreebank) {
  const auto tb = Treebank();
  ASSERT_EQ(tb.size(), kProjective + 1);
  const Parser& parser = TinyParser();
  for (size_t i = 0; i < kProjective; ++i) {
    Sentence s = tb[i];
    for (Word& w : s.words) {
      w.head = -1;
      w.deprel.clear();
    }
    parser.Parse(&s);
    for (size_t k = 0; k < s.words.size(); ++k) {
      EXPECT_EQ(s.words[k].head, tb[i].words[k].head) << "sentence " << i << " word " << k + 1;
      EXPECT_EQ(s.words[k].deprel, tb[i].words[k].deprel) << "sentence " << i << " word " << k + 1;
    }
  }
  // The non-projective sentence gets a well-formed (projective) tree.
  Sentence np = tb[kProjective];
  parser.Parse(&np);
  ExpectWellFormed(np);
}

TEST(Parser, TrainingIsDeterministic) {
  const auto tb = Treebank();
  ParserOptions o = TinyOptions();
  o.epochs = 3;
  auto a = Parser::Train(tb, tb, o);
  auto b = Parser::Train(tb, tb, o);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Bytes(*a), Bytes(*b));
}

// Parsers trained with other seeds, combined into one: the sum of their weights. One part alone
// is itself; the combination still learns the treebank; pruning bounds the features; parsers
// of other relations are refused.
TEST(Parser, CombinesParsersTrainedWithOtherSeeds) {
  const auto tb = Treebank();
  ParserOptions o = TinyOptions();
  o.seed = 2;
  auto b = Parser::Train(tb, tb, o);
  ASSERT_TRUE(b.ok()) << b.status().message();
  const Parser& a = TinyParser();

  auto alone = Parser::Combine({&a}, 0);
  ASSERT_TRUE(alone.ok()) << alone.status().message();
  EXPECT_EQ(Bytes(*alone), Bytes(a));

  auto both = Parser::Combine({&a, &b.value()}, 0);
  ASSERT_TRUE(both.ok()) << both.status().message();
  EXPECT_GE(both->num_features(), std::max(a.num_features(), b->num_features()));
  EXPECT_EQ(both->beam(), a.beam());
  for (size_t i = 0; i < kProjective; ++i) {
    Sentence s = tb[i];
    both->Parse(&s);
    for (size_t k = 0; k < s.words.size(); ++k) {
      EXPECT_EQ(s.words[k].head, tb[i].words[k].head) << "sentence " << i << " word " << k + 1;
      EXPECT_EQ(s.words[k].deprel, tb[i].words[k].deprel) << "sentence " << i << " word " << k + 1;
    }
  }

  auto pruned = Parser::Combine({&a, &b.value()}, 50);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(pruned->num_features(), 50u);

  // A parser of other relations: the same treebank with one relation renamed.
  auto other_tb = tb;
  for (Sentence& s : other_tb)
    for (Word& w : s.words)
      if (w.deprel == "det") w.deprel = "det:art";
  o.epochs = 1;
  auto other = Parser::Train(other_tb, {}, o);
  ASSERT_TRUE(other.ok());
  auto bad = Parser::Combine({&a, &other.value()}, 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("different relations"), std::string::npos);
  EXPECT_FALSE(Parser::Combine({}, 0).ok());
}

TEST(Parser, RejectsBadOptionsAndUnusableData) {
  const auto tb = Treebank();
  ParserOptions o = TinyOptions();
  o.beam = 0;
  EXPECT_FALSE(Parser::Train(tb, {}, o).ok());
  o = TinyOptions();
  o.epochs = 0;
  EXPECT_FALSE(Parser::Train(tb, {}, o).ok());
  // Trees with two roots or a cycle are skipped; with nothing left, training fails.
  std::vector<Sentence> bad(1, tb[0]);
  bad[0].words[0].head = 0;
  std::vector<Sentence> cyc(1, tb[0]);
  cyc[0].words[2].head = 2;  // approved <- committee <- approved
  bad.push_back(cyc[0]);
  auto p = Parser::Train(bad, {}, TinyOptions());
  EXPECT_FALSE(p.ok());
}

TEST(Parser, WellFormedTreesOnRandomInput) {
  const Parser& parser = TinyParser();
  std::mt19937_64 rng(7);
  for (int n : {0, 1, 2, 3, 5, 17, 60, 250}) {
    for (int rep = 0; rep < 3; ++rep) {
      Sentence s = RandomSentence(&rng, n);
      parser.Parse(&s);
      ASSERT_EQ(s.words.size(), static_cast<size_t>(n));
      ExpectWellFormed(s);
    }
  }
  // An untrained parser still produces trees.
  Parser empty;
  Sentence s = RandomSentence(&rng, 9);
  empty.Parse(&s);
  ExpectWellFormed(s);
}

TEST(Parser, MemoisedScoresEqualDirectScores) {
  const Parser& parser = TinyParser();
  const auto tb = Treebank();
  for (const Sentence& s : tb) EXPECT_TRUE(parser.CheckScoring(s).ok());
  std::mt19937_64 rng(11);
  for (int n : {1, 4, 30}) {
    const Status st = parser.CheckScoring(RandomSentence(&rng, n));
    EXPECT_TRUE(st.ok()) << st.message();
  }
}

TEST(Parser, SerializationRoundTrips) {
  const Parser& parser = TinyParser();
  const std::string bytes = Bytes(parser);
  BinaryReader r(bytes, "parser");
  auto loaded = Parser::Load(&r);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_TRUE(r.Finish().ok());
  EXPECT_EQ(Bytes(*loaded), bytes);
  EXPECT_EQ(loaded->beam(), parser.beam());
  std::mt19937_64 rng(3);
  for (const Sentence& g : Treebank()) {
    Sentence a = g, b = g;
    parser.Parse(&a);
    loaded->Parse(&b);
    for (size_t k = 0; k < a.words.size(); ++k) {
      EXPECT_EQ(a.words[k].head, b.words[k].head);
      EXPECT_EQ(a.words[k].deprel, b.words[k].deprel);
    }
  }
}

TEST(Parser, RejectsTruncatedAndCorruptedModels) {
  const std::string bytes = Bytes(TinyParser());
  // Every truncation point in the header, then a spread of points through the weights.
  std::vector<size_t> cuts;
  for (size_t i = 0; i < std::min<size_t>(bytes.size(), 600); ++i) cuts.push_back(i);
  for (size_t i = 600; i < bytes.size(); i += bytes.size() / 300 + 1) cuts.push_back(i);
  for (size_t cut : cuts) {
    BinaryReader r(std::string_view(bytes).substr(0, cut), "parser");
    auto p = Parser::Load(&r);
    EXPECT_FALSE(p.ok()) << "accepted a model cut at byte " << cut;
    if (!p.ok()) {
      EXPECT_FALSE(p.status().message().empty());
    }
  }
  // Wrong magic and a future version are refused with a message.
  {
    std::string b = bytes;
    b[5] ^= 0x20;
    BinaryReader r(b, "parser");
    EXPECT_FALSE(Parser::Load(&r).ok());
  }
  {
    std::string b = bytes;
    b[4 + 11] = 99;  // the format version follows the magic string
    BinaryReader r(b, "parser");
    auto p = Parser::Load(&r);
    ASSERT_FALSE(p.ok());
    EXPECT_NE(p.status().message().find("version"), std::string::npos);
  }
  // Flipped bytes anywhere: either an error or a parser that still yields trees; never UB
  // (run under the asan preset).
  std::mt19937_64 rng(5);
  for (int rep = 0; rep < 300; ++rep) {
    std::string b = bytes;
    const size_t at = rng() % b.size();
    b[at] = static_cast<char>(b[at] ^ (1 + rng() % 255));
    BinaryReader r(b, "parser");
    auto p = Parser::Load(&r);
    if (!p.ok()) continue;
    Sentence s = Treebank()[rep % kProjective];
    p->Parse(&s);
    ExpectWellFormed(s);
  }
}

std::string SharedDir() {
  if (const char* env = std::getenv("DYAD_SHARED")) return env;
  return std::string(DYAD_SOURCE_DIR) + "/../shared";
}

// Trains with reduced settings on part of EWT train and checks dev attachment scores against
// a loose floor (the shipped settings reach far more; see parser.cc).
TEST(Parser, EwtDevAccuracyWithReducedSettings) {
  const std::string dir = SharedDir() + "/data/ud-english-ewt";
  if (!std::filesystem::exists(dir + "/train.conllu"))
    GTEST_SKIP() << dir << " not found: skipping the EWT accuracy test";
  auto train = ReadConlluFile(dir + "/train.conllu");
  auto dev = ReadConlluFile(dir + "/dev.conllu");
  ASSERT_TRUE(train.ok() && dev.ok());
  std::vector<Sentence> part(
      train->sentences.begin(),
      train->sentences.begin() + std::min<size_t>(train->sentences.size(), 6000));
  ParserOptions o;
  o.epochs = 2;
  o.beam = 4;
  o.verbose = false;
  o.max_features = 300000;
  auto parser = Parser::Train(part, dev->sentences, o);
  ASSERT_TRUE(parser.ok()) << parser.status().message();
  const AttachmentScore sc = parser->Evaluate(dev->sentences);
  EXPECT_EQ(sc.words, 25147u);
  EXPECT_GT(sc.uas(), 84.0);
  EXPECT_GT(sc.las(), 81.0);
  for (size_t i = 0; i < 20; ++i) EXPECT_TRUE(parser->CheckScoring(dev->sentences[i]).ok());
}

}  // namespace
}  // namespace dyad::nlp
