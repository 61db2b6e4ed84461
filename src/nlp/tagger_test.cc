#include "nlp/tagger.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "dyad/conllu.h"
#include "nlp/tagger_words.h"
#include "util/binary.h"

namespace dyad::nlp {
namespace {

// A tiny treebank of our own: one sentence a string, words as form|UPOS|XPOS|lemma|FEATS.
const char* const kTreebank[] = {
    "The|DET|DT|the|Definite=Def|PronType=Art cats|NOUN|NNS|cat|Number=Plur "
    "sleep|VERB|VBP|sleep|Mood=Ind|Number=Plur|Person=3|Tense=Pres|VerbForm=Fin on|ADP|IN|on|_ "
    "the|DET|DT|the|Definite=Def|PronType=Art warm|ADJ|JJ|warm|Degree=Pos "
    "mat|NOUN|NN|mat|Number=Sing .|PUNCT|.|.|_",
    "A|DET|DT|a|Definite=Ind|PronType=Art dog|NOUN|NN|dog|Number=Sing "
    "barks|VERB|VBZ|bark|Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin at|ADP|IN|at|_ "
    "the|DET|DT|the|Definite=Def|PronType=Art birds|NOUN|NNS|bird|Number=Plur .|PUNCT|.|.|_",
    "The|DET|DT|the|Definite=Def|PronType=Art dogs|NOUN|NNS|dog|Number=Plur "
    "chased|VERB|VBD|chase|Mood=Ind|Number=Plur|Person=3|Tense=Past|VerbForm=Fin "
    "a|DET|DT|a|Definite=Ind|PronType=Art small|ADJ|JJ|small|Degree=Pos "
    "bird|NOUN|NN|bird|Number=Sing .|PUNCT|.|.|_",
    "She|PRON|PRP|she|Case=Nom|Gender=Fem|Number=Sing|Person=3|PronType=Prs "
    "likes|VERB|VBZ|like|Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin "
    "green|ADJ|JJ|green|Degree=Pos apples|NOUN|NNS|apple|Number=Plur .|PUNCT|.|.|_",
    "They|PRON|PRP|they|Case=Nom|Number=Plur|Person=3|PronType=Prs "
    "walked|VERB|VBD|walk|Mood=Ind|Number=Plur|Person=3|Tense=Past|VerbForm=Fin "
    "to|ADP|IN|to|_ the|DET|DT|the|Definite=Def|PronType=Art old|ADJ|JJ|old|Degree=Pos "
    "market|NOUN|NN|market|Number=Sing yesterday|NOUN|NN|yesterday|Number=Sing .|PUNCT|.|.|_",
    "Paris|PROPN|NNP|Paris|Number=Sing "
    "is|AUX|VBZ|be|Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin "
    "bigger|ADJ|JJR|big|Degree=Cmp than|ADP|IN|than|_ Lyon|PROPN|NNP|Lyon|Number=Sing "
    ".|PUNCT|.|.|_",
    "We|PRON|PRP|we|Case=Nom|Number=Plur|Person=1|PronType=Prs "
    "saw|VERB|VBD|see|Mood=Ind|Number=Plur|Person=1|Tense=Past|VerbForm=Fin "
    "the|DET|DT|the|Definite=Def|PronType=Art mice|NOUN|NNS|mouse|Number=Plur .|PUNCT|.|.|_",
};

Sentence ParseLine(const std::string& line, int index) {
  Sentence s;
  s.id = "tiny-" + std::to_string(index);
  std::istringstream in(line);
  std::string item;
  while (in >> item) {
    // form|UPOS|XPOS|lemma|FEATS, where FEATS itself may contain '|'.
    std::vector<std::string> f;
    size_t pos = 0;
    for (int k = 0; k < 4; ++k) {
      size_t bar = item.find('|', pos);
      f.push_back(item.substr(pos, bar - pos));
      pos = bar + 1;
    }
    Word w;
    w.form = f[0];
    w.upos = f[1];
    w.xpos = f[2];
    w.lemma = f[3];
    w.feats = item.substr(pos);
    w.head = s.words.empty() ? 0 : 1;
    w.deprel = s.words.empty() ? "root" : "dep";
    w.token = static_cast<uint32_t>(s.tokens.size());
    Token t;
    t.form = w.form;
    t.first_word = t.last_word = static_cast<uint32_t>(s.words.size());
    s.tokens.push_back(t);
    s.words.push_back(w);
  }
  return s;
}

std::vector<Sentence> TinyTreebank() {
  std::vector<Sentence> v;
  int i = 0;
  for (const char* line : kTreebank) v.push_back(ParseLine(line, i++));
  return v;
}

// Only forms (and tokens) left, as the segmenter produces them.
Sentence Untagged(const Sentence& s) {
  Sentence u = s;
  for (Word& w : u.words) w.upos = w.xpos = w.feats = w.lemma = "";
  return u;
}

Sentence FromForms(const std::vector<std::string>& forms) {
  Sentence s;
  for (const auto& f : forms) {
    Word w;
    w.form = f;
    w.token = static_cast<uint32_t>(s.tokens.size());
    Token t;
    t.form = f;
    t.first_word = t.last_word = static_cast<uint32_t>(s.words.size());
    s.tokens.push_back(t);
    s.words.push_back(w);
  }
  return s;
}

TaggerOptions Quiet(int epochs) {
  TaggerOptions o;
  o.epochs = epochs;
  o.verbose = false;
  o.min_feature_count = 1;  // a tiny treebank has few repeated features
  return o;
}

const Tagger& TinyTagger() {
  static const Tagger* t = [] {
    auto r = Tagger::Train(TinyTreebank(), {}, Quiet(15));
    EXPECT_TRUE(r.ok()) << r.status().message();
    return new Tagger(std::move(r).value());
  }();
  return *t;
}

std::string Serialized(const Tagger& t) {
  BinaryWriter w;
  t.Serialize(&w);
  return w.Take();
}

Result<Tagger> Load(std::string_view bytes) {
  BinaryReader r(bytes, "tagger");
  auto t = Tagger::Parse(&r);
  if (!t.ok()) return t.status();
  DYAD_RETURN_IF_ERROR(r.Finish());
  return t;
}

TEST(Tagger, ReproducesItsTrainingTreebank) {
  const Tagger& tagger = TinyTagger();
  std::vector<Sentence> gold = TinyTreebank();
  std::vector<Sentence> out;
  for (const auto& s : gold) {
    out.push_back(Untagged(s));
    tagger.Tag(&out.back());
  }
  for (size_t i = 0; i < gold.size(); ++i)
    for (size_t j = 0; j < gold[i].words.size(); ++j) {
      const Word &g = gold[i].words[j], &p = out[i].words[j];
      EXPECT_EQ(p.upos, g.upos) << g.form;
      EXPECT_EQ(p.xpos, g.xpos) << g.form;
      EXPECT_EQ(p.feats, g.feats) << g.form;
      EXPECT_EQ(p.lemma, g.lemma) << g.form;
      EXPECT_EQ(p.head, g.head);  // tagging leaves the rest alone
    }
  TagScores sc = ScoreTags(gold, out);
  EXPECT_EQ(sc.upos, sc.words);
  EXPECT_EQ(sc.all_tags, sc.words);
}

TEST(Tagger, GeneralisesToANewWord) {
  // "frogs" is new: the suffix, the determiner before and the verb after make it a plural
  // noun, and the learnt rule strips its "s".
  Sentence s = FromForms({"The", "frogs", "sleep", "."});
  TinyTagger().Tag(&s);
  EXPECT_EQ(s.words[1].upos, "NOUN");
  EXPECT_EQ(s.words[1].xpos, "NNS");
  EXPECT_EQ(s.words[1].feats, "Number=Plur");
  EXPECT_EQ(s.words[1].lemma, "frog");
  EXPECT_EQ(s.words[0].lemma, "the");
}

TEST(Tagger, FeatsDecidedLaterAreTheFeatsOfAFullTagging) {
  // The coder tags without FEATS and adds them only to the sentences it parses; the parse
  // must see what Tag() would have given, for known and new words alike, also after loading.
  auto loaded = Load(Serialized(TinyTagger()));
  ASSERT_TRUE(loaded.ok());
  std::vector<Sentence> inputs = TinyTreebank();
  inputs.push_back(FromForms({"The", "frogs", "sleep", "."}));
  const Tagger& reloaded = *loaded;
  for (const Tagger* t : {&TinyTagger(), &reloaded}) {
    for (const auto& g : inputs) {
      Sentence full = Untagged(g), lazy = Untagged(g);
      t->Tag(&full);
      t->TagWithoutFeats(&lazy);
      for (const Word& w : lazy.words) EXPECT_EQ(w.feats, "") << w.form;
      t->AddFeats(&lazy);
      for (size_t j = 0; j < full.words.size(); ++j) {
        EXPECT_EQ(lazy.words[j].upos, full.words[j].upos);
        EXPECT_EQ(lazy.words[j].lemma, full.words[j].lemma);
        EXPECT_EQ(lazy.words[j].feats, full.words[j].feats) << full.words[j].form;
      }
    }
  }
  // Tags from elsewhere (not this tagger's classes) leave FEATS alone.
  Sentence foreign = FromForms({"The", "frogs", "sleep", "."});
  for (Word& w : foreign.words) w.upos = "X", w.xpos = "ZZ", w.feats = "Kept=Yes";
  TinyTagger().AddFeats(&foreign);
  for (const Word& w : foreign.words) EXPECT_EQ(w.feats, "Kept=Yes");
}

TEST(Tagger, TrainingIsDeterministicForASeed) {
  auto a = Tagger::Train(TinyTreebank(), {}, Quiet(5));
  auto b = Tagger::Train(TinyTreebank(), {}, Quiet(5));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Serialized(*a), Serialized(*b));
}

TEST(Tagger, SerializationRoundTrips) {
  const Tagger& tagger = TinyTagger();
  const std::string bytes = Serialized(tagger);
  auto loaded = Load(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(Serialized(*loaded), bytes);
  for (const auto& g : TinyTreebank()) {
    Sentence a = Untagged(g), b = Untagged(g);
    tagger.Tag(&a);
    loaded->Tag(&b);
    for (size_t j = 0; j < a.words.size(); ++j) {
      EXPECT_EQ(a.words[j].upos, b.words[j].upos);
      EXPECT_EQ(a.words[j].xpos, b.words[j].xpos);
      EXPECT_EQ(a.words[j].feats, b.words[j].feats);
      EXPECT_EQ(a.words[j].lemma, b.words[j].lemma);
    }
  }
}

TEST(Tagger, EmptyTaggerRoundTripsAndLeavesSentencesAlone) {
  Tagger empty;
  EXPECT_TRUE(empty.empty());
  auto loaded = Load(Serialized(empty));
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_TRUE(loaded->empty());
  Sentence s = FromForms({"Hello", "."});
  loaded->Tag(&s);
  EXPECT_EQ(s.words[0].upos, "");
}

TEST(Tagger, RejectsEveryTruncation) {
  const std::string bytes = Serialized(TinyTagger());
  for (size_t n = 0; n < bytes.size(); n += 1 + n / 64) {
    auto t = Load(std::string_view(bytes).substr(0, n));
    EXPECT_FALSE(t.ok()) << "prefix of " << n << " bytes accepted";
    if (!t.ok()) {
      EXPECT_FALSE(t.status().message().empty());
    }
  }
}

TEST(Tagger, RejectsTrailingBytesBadMagicAndBadVersion) {
  const std::string bytes = Serialized(TinyTagger());
  EXPECT_FALSE(Load(bytes + "x").ok());
  std::string bad = bytes;
  bad[0] ^= 0x20;
  auto r = Load(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("magic"), std::string::npos) << r.status().message();
  bad = bytes;
  bad[4] = 9;  // format version
  r = Load(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("version"), std::string::npos) << r.status().message();
}

TEST(Tagger, CorruptedBytesAreAnErrorOrHarmless) {
  // Flipping any byte must give an error or a tagger that still tags safely (a changed weight
  // is undetectable); the sanitizer build checks "safely".
  const std::string bytes = Serialized(TinyTagger());
  size_t rejected = 0, tried = 0;
  for (size_t i = 0; i < bytes.size(); i += 1 + i / 97) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0xA5);
    ++tried;
    auto t = Load(bad);
    if (!t.ok()) {
      ++rejected;
      EXPECT_FALSE(t.status().message().empty());
      continue;
    }
    Sentence s = FromForms({"The", "frogs", "saw", "Lyon", "yesterday", "."});
    t->Tag(&s);
  }
  EXPECT_GT(rejected, tried / 10);  // the structure (sizes, ids, runs) is validated
}

TEST(Tagger, TrainingErrors) {
  EXPECT_FALSE(Tagger::Train({}, {}, Quiet(1)).ok());
  std::vector<Sentence> bad = TinyTreebank();
  bad[2].words[1].upos = "";
  auto r = Tagger::Train(bad, {}, Quiet(1));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("UPOS"), std::string::npos);
}

TEST(Tagger, JackknifeTagsPredictsEveryFoldAndKeepsTheRest) {
  std::vector<Sentence> train = TinyTreebank();
  auto out = JackknifeTags(train, 3, Quiet(3));
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_EQ(out->size(), train.size());
  for (size_t i = 0; i < train.size(); ++i) {
    EXPECT_EQ((*out)[i].id, train[i].id);
    ASSERT_EQ((*out)[i].words.size(), train[i].words.size());
    for (size_t j = 0; j < train[i].words.size(); ++j) {
      const Word &o = (*out)[i].words[j], &g = train[i].words[j];
      EXPECT_EQ(o.form, g.form);
      EXPECT_EQ(o.head, g.head);
      EXPECT_EQ(o.deprel, g.deprel);
      EXPECT_FALSE(o.upos.empty());
      EXPECT_FALSE(o.lemma.empty());
    }
  }
  EXPECT_FALSE(JackknifeTags(train, 1, Quiet(3)).ok());
}

TEST(TaggerWords, UnicodeAwareHelpers) {
  using namespace internal;
  EXPECT_EQ(Lowercase("ÉCOLE Straße"), "école straße");
  EXPECT_EQ(Lowercase("\xff\xfe"
                      "A"),
            "\xff\xfe"
            "a");  // invalid bytes kept, never a crash
  EXPECT_EQ(SuffixChars("café", 2), "fé");
  EXPECT_EQ(SuffixChars("café", 9), "café");
  EXPECT_EQ(PrefixChars("éte", 1), "é");
  EXPECT_EQ(CountChars("naïve"), 5);
  EXPECT_EQ(ShortShape("Hello"), "Xx");
  EXPECT_EQ(LongShape("Hello"), "Xxxxx");
  EXPECT_EQ(ShortShape("1,000.5"), "d,d.d");
  EXPECT_EQ(ShortShape("Ölçü"), "Xx");
  const uint32_t f = WordFlags("Well-Known");
  EXPECT_TRUE(f & kHasHyphen);
  EXPECT_TRUE(f & kFirstUpper);
  EXPECT_FALSE(f & kAllUpper);
  EXPECT_TRUE(WordFlags("NATO") & kAllUpper);
  EXPECT_TRUE(WordFlags("2024") & kAllDigit);
}

TEST(ScoreTags, CountsMissingWordsAsErrors) {
  std::vector<Sentence> gold = TinyTreebank();
  std::vector<Sentence> pred = gold;
  pred[0].words.pop_back();
  pred[1].words[0].upos = "X";
  pred.pop_back();
  TagScores s = ScoreTags(gold, pred);
  size_t total = 0;
  for (const auto& g : gold) total += g.words.size();
  EXPECT_EQ(s.words, total);
  EXPECT_EQ(s.upos, total - 1 - 1 - gold.back().words.size());
  EXPECT_EQ(s.lemma, total - 1 - gold.back().words.size());
}

// ---- On UD English EWT (skipped without ../shared) ----

std::string SharedDir() {
  if (const char* env = std::getenv("DYAD_SHARED"); env && *env) return env;
  return std::string(DYAD_SOURCE_DIR) + "/../shared";
}

TEST(TaggerEwt, AccuracyOnDev) {
  const std::string dir = SharedDir() + "/data/ud-english-ewt";
  if (!std::ifstream(dir + "/train.conllu"))
    GTEST_SKIP() << dir << " not found: skipping the EWT tagger accuracy test";
  auto train = ReadConlluFile(dir + "/train.conllu");
  auto dev = ReadConlluFile(dir + "/dev.conllu");
  ASSERT_TRUE(train.ok() && dev.ok());
  TaggerOptions o;
  o.epochs = 3;  // fewer than the default: a fast regression check, not the shipped model
  o.verbose = false;
  const auto start = std::chrono::steady_clock::now();
  auto tagger = Tagger::Train(train->sentences, dev->sentences, o);
  ASSERT_TRUE(tagger.ok()) << tagger.status().message();
  std::vector<Sentence> out;
  for (const auto& s : dev->sentences) {
    out.push_back(Untagged(s));
    tagger->Tag(&out.back());
  }
  const TagScores sc = ScoreTags(dev->sentences, out);
  std::printf("EWT dev (%d epochs, %.0fs): %s\n", o.epochs,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
              sc.ToString().c_str());
  EXPECT_GE(TagScores::Percent(sc.upos, sc.words), 94.0);
  EXPECT_GE(TagScores::Percent(sc.xpos, sc.words), 93.5);
  EXPECT_GE(TagScores::Percent(sc.feats, sc.words), 93.5);
  EXPECT_GE(TagScores::Percent(sc.lemma, sc.words), 96.0);
  EXPECT_LE(Serialized(*tagger).size(), 8u << 20);
}

}  // namespace
}  // namespace dyad::nlp
