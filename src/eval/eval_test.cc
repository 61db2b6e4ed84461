#include "dyad/eval.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <initializer_list>
#include <string>

namespace dyad {
namespace {

// Two sentences of our own: "The envoys didn't meet. Talks resumed in Cairo."
const char* kS1[] = {
    "1 The the DET DT Definite=Def|PronType=Art 2 det _ _",
    "2 envoys envoy NOUN NNS Number=Plur 5 nsubj _ _",
    "3-4 didn't _ _ _ _ _ _ _ _",
    "3 did do AUX VBD Mood=Ind|Tense=Past|VerbForm=Fin 5 aux _ _",
    "4 n't not PART RB _ 5 advmod _ _",
    "5 meet meet VERB VB VerbForm=Inf 0 root _ SpaceAfter=No",
    "6 . . PUNCT . _ 5 punct _ _",
};
const char* kS2[] = {
    "1 Talks talk NOUN NNS Number=Plur 2 nsubj _ _",
    "2 resumed resume VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 0 root _ _",
    "3 in in ADP IN _ 4 case _ _",
    "4 Cairo Cairo PROPN NNP Number=Sing 2 obl _ SpaceAfter=No",
    "5 . . PUNCT . _ 2 punct _ _",
};

// CoNLL-U lines written with spaces for tabs, ended by the blank line that ends a sentence.
std::string Lines(std::initializer_list<const char*> rows) {
  std::string out;
  for (const char* row : rows) {
    std::string r(row);
    for (char& c : r)
      if (c == ' ') c = '\t';
    out += r + "\n";
  }
  return out + "\n";
}

std::string Sentence1() { return Lines({kS1[0], kS1[1], kS1[2], kS1[3], kS1[4], kS1[5], kS1[6]}); }
std::string Sentence2() { return Lines({kS2[0], kS2[1], kS2[2], kS2[3], kS2[4]}); }
std::string Gold() { return Sentence1() + Sentence2(); }

// Replaces the first occurrence of `from` (a tab-separated fragment written with spaces).
std::string Replace(std::string s, std::string from, std::string to) {
  for (char& c : from)
    if (c == ' ') c = '\t';
  for (char& c : to)
    if (c == ' ') c = '\t';
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

ConlluCorpus Read(const std::string& data) {
  auto r = ReadConllu(data, "test.conllu");
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : ConlluCorpus{};
}

EvalReport Eval(const std::string& gold, const std::string& system, EvalOptions opts = {}) {
  auto r = EvaluateConllu(Read(gold), Read(system), opts);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : EvalReport{};
}

std::string Pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", 100 * v);
  return buf;
}
// "P/R/F1[/AligndAcc]" as percentages, the way the table prints them.
std::string Prf(const EvalScore& s) {
  std::string out = Pct(s.precision()) + "/" + Pct(s.recall()) + "/" + Pct(s.f1());
  if (s.has_aligned_accuracy()) out += "/" + Pct(s.aligned_accuracy());
  return out;
}

TEST(Eval, GoldAgainstItselfIsPerfect) {
  EvalReport r = Eval(Gold(), Gold());
  for (const auto& [name, s] : r.Metrics()) {
    EXPECT_EQ(s->correct, s->gold_total) << name;
    EXPECT_EQ(s->system_total, s->gold_total) << name;
  }
  EXPECT_EQ(r.tokens.gold_total, 10);
  EXPECT_EQ(r.sentences.gold_total, 2);
  EXPECT_EQ(r.words.gold_total, 11);
  // Content words: envoys, n't, meet, Talks, resumed, Cairo.
  EXPECT_EQ(r.clas.gold_total, 6);
  EXPECT_EQ(FormatTable(r),
            "Metric     | Precision |    Recall |  F1 Score | AligndAcc\n"
            "-----------+-----------+-----------+-----------+-----------\n"
            "Tokens     |    100.00 |    100.00 |    100.00 |\n"
            "Sentences  |    100.00 |    100.00 |    100.00 |\n"
            "Words      |    100.00 |    100.00 |    100.00 |\n"
            "UPOS       |    100.00 |    100.00 |    100.00 |    100.00\n"
            "XPOS       |    100.00 |    100.00 |    100.00 |    100.00\n"
            "UFeats     |    100.00 |    100.00 |    100.00 |    100.00\n"
            "AllTags    |    100.00 |    100.00 |    100.00 |    100.00\n"
            "Lemmas     |    100.00 |    100.00 |    100.00 |    100.00\n"
            "UAS        |    100.00 |    100.00 |    100.00 |    100.00\n"
            "LAS        |    100.00 |    100.00 |    100.00 |    100.00\n"
            "CLAS       |    100.00 |    100.00 |    100.00 |    100.00\n"
            "MLAS       |    100.00 |    100.00 |    100.00 |    100.00\n"
            "BLEX       |    100.00 |    100.00 |    100.00 |    100.00\n");
}

TEST(Eval, WrongHeadCostsUasLasAndMlasOfBothParents) {
  // "in" attached to "resumed" instead of "Cairo".
  std::string sys = Replace(Gold(), "3 in in ADP IN _ 4 case", "3 in in ADP IN _ 2 case");
  EvalReport r = Eval(Gold(), sys);
  EXPECT_EQ(Prf(r.uas), "90.91/90.91/90.91/90.91");  // 10 of 11
  EXPECT_EQ(Prf(r.las), "90.91/90.91/90.91/90.91");
  EXPECT_EQ(Prf(r.clas), "100.00/100.00/100.00/100.00");  // "case" is not a content relation
  // Cairo lost its functional child and resumed gained one: 4 of 6 content words.
  EXPECT_EQ(Prf(r.mlas), "66.67/66.67/66.67/66.67");
  EXPECT_EQ(Prf(r.upos), "100.00/100.00/100.00/100.00");
  EXPECT_EQ(Prf(r.words), "100.00/100.00/100.00");
}

TEST(Eval, LabelSubtypeDoesNotCountButTheUniversalPartDoes) {
  std::string sub = Replace(Gold(), "2 obl _", "2 obl:npmod _");
  EvalReport r = Eval(Gold(), sub);
  EXPECT_EQ(r.las.correct, 11);
  EXPECT_EQ(r.clas.correct, 6);

  std::string wrong = Replace(Gold(), "2 obl _", "2 nmod _");
  r = Eval(Gold(), wrong);
  EXPECT_EQ(r.uas.correct, 11);
  EXPECT_EQ(Prf(r.las), "90.91/90.91/90.91/90.91");
  EXPECT_EQ(Prf(r.clas), "83.33/83.33/83.33/83.33");  // 5 of 6
}

TEST(Eval, MissedSentenceBoundary) {
  // The system runs both sentences together: one sentence, "resumed" attached to "meet".
  std::string merged = Sentence1().substr(0, Sentence1().size() - 1) +
                       Lines({"7 Talks talk NOUN NNS Number=Plur 8 nsubj _ _",
                              "8 resumed resume VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 5 "
                              "parataxis _ _",
                              "9 in in ADP IN _ 10 case _ _",
                              "10 Cairo Cairo PROPN NNP Number=Sing 8 obl _ SpaceAfter=No",
                              "11 . . PUNCT . _ 8 punct _ _"});
  EvalReport r = Eval(Gold(), merged);
  EXPECT_EQ(r.sentences.gold_total, 2);
  EXPECT_EQ(r.sentences.system_total, 1);
  EXPECT_EQ(Prf(r.sentences), "0.00/0.00/0.00");
  EXPECT_EQ(Prf(r.tokens), "100.00/100.00/100.00");
  EXPECT_EQ(Prf(r.words), "100.00/100.00/100.00");
  EXPECT_EQ(Prf(r.uas), "90.91/90.91/90.91/90.91");  // only "resumed" is wrong

  // The system splits the second sentence after "resumed": 1 of 3 sentences right.
  std::string split =
      Sentence1() +
      Lines({"1 Talks talk NOUN NNS Number=Plur 2 nsubj _ _",
             "2 resumed resume VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 0 root _ _"}) +
      Lines({"1 in in ADP IN _ 2 case _ _",
             "2 Cairo Cairo PROPN NNP Number=Sing 0 root _ SpaceAfter=No",
             "3 . . PUNCT . _ 2 punct _ _"});
  r = Eval(Gold(), split);
  EXPECT_EQ(Prf(r.sentences), "33.33/50.00/40.00");
}

TEST(Eval, DifferentTokenisation) {
  // The system keeps "meet." as one token (and one word).
  std::string sys =
      Replace(Replace(Gold(), "5 meet meet VERB VB VerbForm=Inf 0 root _ SpaceAfter=No",
                      "5 meet. meet VERB VB VerbForm=Inf 0 root _ _"),
              "6 . . PUNCT . _ 5 punct _ _\n", "");
  EvalReport r = Eval(Gold(), sys);
  EXPECT_EQ(Prf(r.tokens), "88.89/80.00/84.21");  // 8 of 9 system, 8 of 10 gold tokens
  EXPECT_EQ(Prf(r.words), "90.00/81.82/85.71");   // 9 aligned of 10 system, 11 gold words
  EXPECT_EQ(Prf(r.upos), "90.00/81.82/85.71/100.00");
  // "envoys", "did" and "n't" point at "meet." which is aligned to nothing: 6 of 9 aligned.
  EXPECT_EQ(Prf(r.uas), "60.00/54.55/57.14/66.67");
  EXPECT_EQ(Prf(r.sentences), "100.00/100.00/100.00");
}

TEST(Eval, UnsplitMultiwordTokenLosesBothWords) {
  std::string sys = Replace(Replace(Gold(), "3-4 didn't _ _ _ _ _ _ _ _\n", ""),
                            "3 did do AUX VBD Mood=Ind|Tense=Past|VerbForm=Fin 5 aux _ _\n"
                            "4 n't not PART RB _ 5 advmod _ _\n"
                            "5 meet meet VERB VB VerbForm=Inf 0 root _ SpaceAfter=No\n"
                            "6 . . PUNCT . _ 5 punct",
                            "3 didn't do AUX VBD _ 4 aux _ _\n"
                            "4 meet meet VERB VB VerbForm=Inf 0 root _ SpaceAfter=No\n"
                            "5 . . PUNCT . _ 4 punct");
  sys = Replace(sys, "2 envoys envoy NOUN NNS Number=Plur 5 nsubj",
                "2 envoys envoy NOUN NNS Number=Plur 4 nsubj");
  EvalReport r = Eval(Gold(), sys);
  EXPECT_EQ(Prf(r.tokens), "100.00/100.00/100.00");  // the token "didn't" itself is right
  EXPECT_EQ(Prf(r.words), "90.00/81.82/85.71");      // neither "did" nor "n't" is aligned
  EXPECT_EQ(Prf(r.uas), "90.00/81.82/85.71/100.00");
}

TEST(Eval, MultiwordTokenWordsAlignByCaseInsensitiveLcs) {
  // A different second word: "did" is still aligned, "not" is not "n't".
  std::string sys = Replace(Gold(), "4 n't not", "4 not not");
  EvalReport r = Eval(Gold(), sys);
  EXPECT_EQ(Prf(r.tokens), "100.00/100.00/100.00");
  EXPECT_EQ(Prf(r.words), "90.91/90.91/90.91");  // 10 of 11
  // Case does not matter for alignment (it does for tags, which are equal here).
  sys = Replace(Gold(), "3 did do", "3 DID do");
  r = Eval(Gold(), sys);
  EXPECT_EQ(r.words.correct, 11);
  EXPECT_EQ(r.upos.correct, 11);
}

TEST(Eval, LcsSkipsTheRightWords) {
  // Inside one multiword token the first words differ and the second agree: the LCS must
  // skip "gon" and "go" and align "na".
  std::string gold = Lines({"1-2 gonna _ _ _ _ _ _ _ _", "1 gon go VERB VBG _ 3 aux _ _",
                            "2 na to PART TO _ 3 mark _ _", "3 talk talk VERB VB _ 0 root _ _"});
  std::string sys = Lines({"1-2 gonna _ _ _ _ _ _ _ _", "1 go go VERB VBG _ 3 aux _ _",
                           "2 na to PART TO _ 3 mark _ _", "3 talk talk VERB VB _ 0 root _ _"});
  EvalReport r = Eval(gold, sys);
  EXPECT_EQ(r.words.correct, 2);
  EXPECT_EQ(r.uas.correct, 2);
}

TEST(Eval, MultiwordSpanGrowsAcrossTokens) {
  // Gold "dunno" (do n't know) + "now"; system "dun" + "nonow" (no now): one span covers
  // all of it, and only "now" is in both.
  std::string gold = Lines({"1-3 dunno _ _ _ _ _ _ _ _", "1 do do AUX VBP _ 3 aux _ _",
                            "2 n't not PART RB _ 3 advmod _ _", "3 know know VERB VB _ 0 root _ _",
                            "4 now now ADV RB _ 3 advmod _ _"});
  std::string sys = Lines({"1 dun dun X X _ 0 root _ SpaceAfter=No", "2-3 nonow _ _ _ _ _ _ _ _",
                           "2 no no DET DT _ 1 det _ _", "3 NOW now ADV RB _ 1 advmod _ _"});
  EvalReport r = Eval(gold, sys);
  EXPECT_EQ(Prf(r.tokens), "0.00/0.00/0.00");
  EXPECT_EQ(r.words.correct, 1);
  EXPECT_EQ(Prf(r.words), "33.33/25.00/28.57");
  EXPECT_EQ(Prf(r.upos), "33.33/25.00/28.57/100.00");
  EXPECT_EQ(r.uas.correct, 0);  // "now" depends on "know", which the system does not have
}

TEST(Eval, SystemMultiwordOverGoldTokens) {
  // The system treats "Cairo." as one multiword token of two words: words still align, the
  // two gold tokens are lost.
  std::string sys = Replace(Gold(), "4 Cairo Cairo PROPN NNP Number=Sing 2 obl _ SpaceAfter=No",
                            "4-5 Cairo. _ _ _ _ _ _ _ _\n"
                            "4 Cairo Cairo PROPN NNP Number=Sing 2 obl _ _");
  EvalReport r = Eval(Gold(), sys);
  EXPECT_EQ(Prf(r.tokens), "88.89/80.00/84.21");
  EXPECT_EQ(Prf(r.words), "100.00/100.00/100.00");
  EXPECT_EQ(r.las.correct, 11);
}

TEST(Eval, SpacesInsideFormsAreIgnored) {
  // One gold token "10 000" (no-break space) against two system tokens "10" "000".
  std::string gold =
      Lines({"1 Some some DET DT _ 2 det _ _", "2 10\u00a0000 10000 NUM CD _ 0 root _ _"});
  std::string sys = Lines({"1 Some some DET DT _ 2 det _ _", "2 10 10 NUM CD _ 0 root _ _",
                           "3 000 000 NUM CD _ 2 flat _ _"});
  EvalReport r = Eval(gold, sys);
  EXPECT_EQ(r.tokens.correct, 1);
  EXPECT_EQ(Prf(r.tokens), "33.33/50.00/40.00");
}

TEST(Eval, LemmaUnderscoreAndUniversalFeatures) {
  std::string gold = Replace(Gold(), "1 Talks talk", "1 Talks _");
  std::string sys = Replace(Gold(), "1 Talks talk", "1 Talks talks");
  // Gold "_" accepts any lemma; a system "_" against a real gold lemma is wrong.
  sys = Replace(sys, "2 resumed resume", "2 resumed _");
  // Feature order and non-universal features do not matter; a universal one does.
  sys = Replace(sys, "Mood=Ind|Tense=Past|VerbForm=Fin 5 aux",
                "VerbForm=Fin|Typo=Yes|Tense=Past|Mood=Ind 5 aux");
  sys = Replace(sys, "4 Cairo Cairo PROPN NNP Number=Sing", "4 Cairo Cairo PROPN NNP _");
  EvalReport r = Eval(gold, sys);
  EXPECT_EQ(r.lemmas.correct, 10);
  EXPECT_EQ(r.ufeats.correct, 10);
  EXPECT_EQ(r.alltags.correct, 10);
  // Content words: "resumed" loses BLEX (lemma), "Cairo" loses MLAS (features).
  EXPECT_EQ(r.blex.correct, 5);
  EXPECT_EQ(r.mlas.correct, 5);
}

TEST(Eval, TextMismatchIsAnErrorThatSaysWhere) {
  std::string sys = Replace(Gold(), "2 envoys envoy", "2 envoy envoy");
  auto r = EvaluateConllu(Read(Gold()), Read(sys));
  ASSERT_FALSE(r.ok());
  const std::string& m = r.status().message();
  // "Theenvoy" is common; character 8 is "s" in gold and "d" in system.
  EXPECT_NE(m.find("at character 8"), std::string::npos) << m;
  EXPECT_NE(m.find("gold sentence #1"), std::string::npos) << m;
  EXPECT_NE(m.find("gold has 'sdidn'tmeet.Talksres'"), std::string::npos) << m;
  EXPECT_NE(m.find("system has 'didn'tmeet.Talksresu'"), std::string::npos) << m;
}

TEST(Eval, InvalidTreesAreRefusedUnlessAsked) {
  std::string two_roots = Replace(Gold(), "6 . . PUNCT . _ 5 punct", "6 . . PUNCT . _ 0 punct");
  auto r = EvaluateConllu(Read(Gold()), Read(two_roots));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("system sentence #1: there are multiple roots"),
            std::string::npos)
      << r.status().message();

  std::string cycle = Replace(Gold(), "1 Talks talk NOUN NNS Number=Plur 2 nsubj",
                              "1 Talks talk NOUN NNS Number=Plur 3 nsubj");
  cycle = Replace(cycle, "3 in in ADP IN _ 4 case", "3 in in ADP IN _ 1 case");
  r = EvaluateConllu(Read(Gold()), Read(cycle));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cycle"), std::string::npos) << r.status().message();

  std::string unparsed =
      Replace(Gold(), "2 resumed resume VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 0 root",
              "2 resumed resume VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin _ root");
  r = EvaluateConllu(Read(Gold()), Read(unparsed));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("has no HEAD"), std::string::npos) << r.status().message();

  EvalOptions lenient;
  lenient.require_trees = false;
  EvalReport rep = Eval(Gold(), unparsed, lenient);
  // "resumed" has no head; "Talks", "Cairo" and "." point at it and are still right.
  EXPECT_EQ(rep.uas.correct, 10);
  EXPECT_EQ(rep.upos.correct, 11);
}

TEST(Eval, FormatCountsShowsRawCounts) {
  std::string sys = Replace(Gold(), "3 in in ADP IN _ 4 case", "3 in in ADP IN _ 2 case");
  std::string t = FormatCounts(Eval(Gold(), sys));
  EXPECT_NE(t.find("Tokens     |        10 |        10 |        10 |          \n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("Words      |        11 |        11 |        11 |        11\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("UAS        |        10 |        11 |        11 |        11\n"),
            std::string::npos)
      << t;
}

}  // namespace
}  // namespace dyad
