#include <gtest/gtest.h>

#include <cstdlib>

#include "dyad/coder.h"
#include "dyad/dict.h"
#include "dyad/geo.h"
#include "dyad/nlp.h"
#include "util/binary.h"

namespace dyad::geo {
namespace {

std::shared_ptr<const Gazetteer> Shipped() {
  static auto g = [] {
    auto r = Gazetteer::Load(std::string(DYAD_SOURCE_DIR) + "/data/geo/gazetteer.dyadg");
    return r.ok() ? *r : nullptr;
  }();
  return g;
}

struct W {
  const char* form;
  const char* upos;
  int head;
  const char* deprel;
};

// A one-sentence document parsed by hand: words separated by blanks in the text.
Document Doc(std::string prefix, std::initializer_list<W> words) {
  Document d;
  d.id = "d";
  d.text = prefix;
  Sentence s;
  s.span.begin = static_cast<uint32_t>(d.text.size());
  for (const W& w : words) {
    if (!d.text.empty() && d.text.back() != ' ') d.text += ' ';
    Token t;
    t.form = w.form;
    t.span.begin = static_cast<uint32_t>(d.text.size());
    d.text += w.form;
    t.span.end = static_cast<uint32_t>(d.text.size());
    t.first_word = t.last_word = static_cast<uint32_t>(s.words.size());
    Word x;
    x.form = w.form;
    x.lemma = w.form;
    x.upos = w.upos;
    x.head = w.head;
    x.deprel = w.deprel;
    x.token = static_cast<uint32_t>(s.tokens.size());
    s.tokens.push_back(t);
    s.words.push_back(x);
  }
  s.span.end = static_cast<uint32_t>(d.text.size());
  d.sentences.push_back(s);
  return d;
}

Event EventOn(const Document& d, std::string source, std::string target, uint32_t verb_word) {
  Event e;
  e.doc_id = d.id;
  e.source = std::move(source);
  e.target = std::move(target);
  e.verb_span = d.sentences[0].tokens[verb_word].span;
  return e;
}

TEST(Locator, PrepositionObjectOfTheVerb) {
  auto g = Shipped();
  ASSERT_NE(g, nullptr);
  // "Police arrested protesters in Mosul ."
  Document d = Doc("", {{"Police", "NOUN", 2, "nsubj"},
                        {"arrested", "VERB", 0, "root"},
                        {"protesters", "NOUN", 2, "obj"},
                        {"in", "ADP", 5, "case"},
                        {"Mosul", "PROPN", 2, "obl"},
                        {".", "PUNCT", 2, "punct"}});
  std::vector<Event> ev = {EventOn(d, "COP", "", 1)};
  Locate(*g, d, &ev);
  EXPECT_EQ(ev[0].location.how, "preposition");
  EXPECT_EQ(ev[0].location.name, "Mosul");
  EXPECT_EQ(ev[0].location.country, "IRQ");
  EXPECT_NEAR(ev[0].location.lat, 36.3, 0.2);
  EXPECT_GT(ev[0].location.geonames_id, 0u);
}

TEST(Locator, AmbiguityByActorCountryThenPopulation) {
  auto g = Shipped();
  ASSERT_NE(g, nullptr);
  auto tripoli = [&](const char* actor) {
    Document d = Doc("", {{"Soldiers", "NOUN", 2, "nsubj"},
                          {"fought", "VERB", 0, "root"},
                          {"in", "ADP", 4, "case"},
                          {"Tripoli", "PROPN", 2, "obl"}});
    std::vector<Event> ev = {EventOn(d, actor, "", 1)};
    Locate(*g, d, &ev);
    return ev[0].location.country;
  };
  EXPECT_EQ(tripoli("LBNMIL"), "LBN");  // Lebanese soldiers: Tripoli, Lebanon
  EXPECT_EQ(tripoli("LBYMIL"), "LBY");
  EXPECT_EQ(tripoli("MIL"), "LBY");  // no evidence: the larger one
  // A tiny namesake does not win on country evidence alone: Paris, France for US actors.
  Document d = Doc("", {{"Diplomats", "NOUN", 2, "nsubj"},
                        {"met", "VERB", 0, "root"},
                        {"in", "ADP", 4, "case"},
                        {"Paris", "PROPN", 2, "obl"}});
  std::vector<Event> ev = {EventOn(d, "USAGOV", "IRNGOV", 1)};
  Locate(*g, d, &ev);
  EXPECT_EQ(ev[0].location.country, "FRA");
}

// "Lebanese soldiers clashed with gunmen in Tripoli": the target "gunmen in Tripoli" is coded
// from "Tripoli" itself (LBY, the dictionaries' reading), which is no evidence for which
// Tripoli; the source's country is.
TEST(Locator, APlaceInsideAnActorIsNotEvidenceForItself) {
  auto g = Shipped();
  ASSERT_NE(g, nullptr);
  Document d = Doc("", {{"Lebanese", "ADJ", 2, "amod"},
                        {"soldiers", "NOUN", 3, "nsubj"},
                        {"clashed", "VERB", 0, "root"},
                        {"with", "ADP", 5, "case"},
                        {"gunmen", "NOUN", 3, "obl"},
                        {"in", "ADP", 7, "case"},
                        {"Tripoli", "PROPN", 5, "nmod"}});
  const auto& toks = d.sentences[0].tokens;
  auto located = [&](const char* target, bool target_holds_place) {
    std::vector<Event> ev = {EventOn(d, "LBNMIL", target, 2)};
    ev[0].source_span = {toks[0].span.begin, toks[1].span.end};
    ev[0].target_span = {toks[4].span.begin, toks[target_holds_place ? 6 : 4].span.end};
    Locate(*g, d, &ev);
    return ev[0].location.name + "/" + ev[0].location.country;
  };
  EXPECT_EQ(located("LBYREB", true), "Tripoli/LBN");
  // A target coded from its own words, not holding the place, still counts as evidence: the two
  // countries tie and the larger Tripoli wins, as for any two actors' countries.
  EXPECT_EQ(located("LBYREB", false), "Tripoli/LBY");
}

TEST(Locator, StateQualifierAndStoryState) {
  auto g = Shipped();
  ASSERT_NE(g, nullptr);
  // "Police met in Paris , Texas" -> Paris, Texas.
  Document d = Doc("", {{"Police", "NOUN", 2, "nsubj"},
                        {"met", "VERB", 0, "root"},
                        {"in", "ADP", 4, "case"},
                        {"Paris", "PROPN", 2, "obl"},
                        {",", "PUNCT", 6, "punct"},
                        {"Texas", "PROPN", 4, "appos"}});
  std::vector<Event> ev = {EventOn(d, "COP", "", 1)};
  Locate(*g, d, &ev);
  EXPECT_EQ(ev[0].location.country, "USA");
  EXPECT_EQ(ev[0].location.admin1, "Texas");
  EXPECT_EQ(ev[0].location.admin1_code, "TX");
  // "Illinois lawmakers met in Springfield": the state named in the story decides.
  Document s = Doc("", {{"Illinois", "PROPN", 2, "compound"},
                        {"lawmakers", "NOUN", 3, "nsubj"},
                        {"met", "VERB", 0, "root"},
                        {"in", "ADP", 5, "case"},
                        {"Springfield", "PROPN", 3, "obl"}});
  std::vector<Event> ev2 = {EventOn(s, "USALEG", "", 2)};
  Locate(*g, s, &ev2);
  EXPECT_EQ(ev2[0].location.name, "Springfield");
  EXPECT_EQ(ev2[0].location.admin1_code, "IL");
}

TEST(Locator, DatelineThenActorCountryThenNothing) {
  auto g = Shipped();
  ASSERT_NE(g, nullptr);
  Document d = Doc("LONG BEACH, Calif. - ", {{"Police", "NOUN", 2, "nsubj"},
                                             {"arrested", "VERB", 0, "root"},
                                             {"a", "DET", 4, "det"},
                                             {"man", "NOUN", 2, "obj"}});
  std::vector<Event> ev = {EventOn(d, "COP", "", 1)};
  Locate(*g, d, &ev);
  EXPECT_EQ(ev[0].location.how, "dateline");
  EXPECT_EQ(ev[0].location.name, "Long Beach");
  EXPECT_EQ(ev[0].location.admin1_code, "CA");

  Document n = Doc("", {{"Iran", "PROPN", 2, "nsubj"},
                        {"condemned", "VERB", 0, "root"},
                        {"the", "DET", 4, "det"},
                        {"attack", "NOUN", 2, "obj"}});
  std::vector<Event> ev2 = {EventOn(n, "IRN", "", 1)};
  ev2[0].source_span = n.sentences[0].tokens[0].span;
  Locate(*g, n, &ev2);
  EXPECT_EQ(ev2[0].location.how, "actor");  // the actor itself is not a mention of a place
  EXPECT_EQ(ev2[0].location.country, "IRN");
  EXPECT_EQ(ev2[0].location.kind, 2);

  std::vector<Event> ev3 = {EventOn(n, "REB", "", 1)};
  ev3[0].source_span = n.sentences[0].tokens[0].span;
  LocatorOptions no_actor;
  no_actor.use_actor_country = false;
  Locator(*g, no_actor).Locate(n, &ev3);
  EXPECT_FALSE(ev3[0].location.found());
}

// The gold set through the real pipeline: what users get. Needs the shipped model and
// dictionary; skipped when the model cannot be loaded (e.g. mid-retraining).
TEST(GeoEval, GoldSetPrecisionAndRecall) {
  auto g = Shipped();
  ASSERT_NE(g, nullptr);
  std::string root = DYAD_SOURCE_DIR;
  auto nlp = Pipeline::Load(root + "/models/en-ewt.dyadm");
  if (!nlp.ok()) GTEST_SKIP() << "model not loadable: " << nlp.status().message();
  auto dict = dict::Dictionary::Load(root + "/data/dict/phoenix.dyadd");
  ASSERT_TRUE(dict.ok()) << dict.status().message();
  auto coder = coder::Coder::Create(*dict);
  ASSERT_TRUE(coder.ok());
  auto gold = ReadFile(root + "/tests/geo/gold.tsv");
  ASSERT_TRUE(gold.ok());
  auto rep = EvaluateGold(**nlp, *coder, Locator(*g), *gold);
  ASSERT_TRUE(rep.ok()) << rep.status().message();
  EXPECT_GE(rep->items.size(), 60u);
  EXPECT_GE(rep->precision(), 0.8);
  EXPECT_GE(rep->recall(), 0.8);
  std::printf("geo gold: %zu items, %zu with a place, %zu reported, %zu correct: P %.3f R %.3f\n",
              rep->items.size(), rep->gold, rep->predicted, rep->correct, rep->precision(),
              rep->recall());
}

}  // namespace
}  // namespace dyad::geo
