// The real dictionaries: the Phoenix/CAMEO set and the PETRARCH validation set from
// ../shared (skipped when it is absent), and the compiled set shipped in data/dict/.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "dict/test_util.h"
#include "dyad/dict.h"
#include "util/binary.h"

namespace dyad::dict {
namespace {

using testing::SharedDir;
using testing::Words;

double MsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

const Actor* FindActor(const Dictionary& d, std::string_view phrase) {
  auto words = Words(d, phrase);
  const auto* p = d.actor_phrases().Match(words, 0);
  if (!p || p->size != words.size()) return nullptr;
  return &d.actors()[p->owner];
}

std::string ShippedPath() {
  return std::string(DYAD_SOURCE_DIR) + "/" + std::string(kDefaultDictionaryFile);
}

// Checks that hold for the Phoenix set however it was obtained (imported or shipped).
void ExpectKnownPhoenixEntries(const Dictionary& d) {
  const Actor* afg = FindActor(d, "AFGHANISTAN");
  ASSERT_NE(afg, nullptr);
  EXPECT_EQ(afg->CodeOn(20150101), "AFG");
  const Actor* rouhani = FindActor(d, "HASSAN ROUHANI");
  ASSERT_NE(rouhani, nullptr);
  EXPECT_EQ(rouhani->CodeOn(20140101), "IRNGOV");
  EXPECT_EQ(rouhani->CodeOn(19900101), "IRNGOVLEG");

  auto agents = d.agent_phrases().Match(Words(d, "PRESIDENT"), 0);
  ASSERT_NE(agents, nullptr);
  EXPECT_EQ(d.agents()[agents->owner].code, "GOV");
  EXPECT_FALSE(d.agents()[agents->owner].prefix);

  // ASK: a base form in the ASK block with its own code, and a PETRARCH-2 pattern with a
  // prepositional phrase around a noun phrase.
  const VerbRef* ask = nullptr;
  for (const auto& r : d.VerbsForWord(d.FindWord("ASK")))
    if (r.form == 0 && d.verbs()[r.verb].forms[0].after.empty()) ask = &r;
  ASSERT_NE(ask, nullptr);
  const Verb& v = d.verbs()[ask->verb];
  EXPECT_EQ(d.verb_blocks()[v.block].meaning, "ASK");
  EXPECT_EQ(v.code.primary, "020");
  bool found = false;
  for (uint32_t p : d.PatternsFor(ask->verb))
    found |= d.PatternText(d.patterns()[p]) == "- * (FOR {FINANCIAL AID}) [0231]";
  EXPECT_TRUE(found);

  uint32_t currency = d.FindSynset("CURRENCY");
  ASSERT_NE(currency, kNone);
  EXPECT_TRUE(d.InSynset(currency, d.FindWord("DINARS")));

  ASSERT_EQ(d.transformations().size(), 8u);
  EXPECT_EQ(d.transformations()[0].text, "~ a (a b ATTACK) SAY = a b 015");

  auto cup = d.discard_phrases().Match(Words(d, "WORLD CUP"), 0);
  ASSERT_NE(cup, nullptr);
  EXPECT_TRUE(d.discards()[cup->owner].story);

  auto kg = d.issue_phrases().Match(Words(d, "KINDERGARTENS"), 0);
  ASSERT_NE(kg, nullptr);
  EXPECT_EQ(d.issue_codes()[d.issues()[kg->owner].code], "EARLY_CHILDHOOD_EDUCATION");
}

TEST(SharedDictionaries, ImportsThePhoenixSet) {
  std::string shared = SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared not found: skipping the Phoenix import";
  auto files = ReadPetrarchConfig(shared + "/data/petrarch2/PETR_config.ini");
  ASSERT_TRUE(files.ok()) << files.status().message();
  ASSERT_EQ(files->actors.size(), 3u);

  auto t0 = std::chrono::steady_clock::now();
  ImportReport report;
  auto d = Import(*files, &report);
  double import_ms = MsSince(t0);
  ASSERT_TRUE(d.ok()) << d.status().message();
  std::printf("%s", report.Summary().c_str());

  // Entries read and lines skipped per file. The skipped lines are real defects of the files
  // (unbalanced parentheses, undefined synsets, impossible dates, missing codes).
  struct Expect {
    const char* file;
    uint32_t entries, skipped;
  };
  const Expect expected[] = {{"CAMEO.2.0.txt", 7484, 4},
                             {"Phoenix.Countries.actors.txt", 54082, 9},
                             {"Phoenix.International.actors.txt", 7953, 1},
                             {"Phoenix.MilNonState.actors.txt", 1799, 0},
                             {"Phoenix.agents.txt", 2245, 2},
                             {"Phoenix.discards.txt", 506, 0},
                             {"Phoenix.IssueCoding.txt", 3261, 14}};
  ASSERT_EQ(report.files.size(), std::size(expected));
  for (size_t i = 0; i < report.files.size(); ++i) {
    EXPECT_EQ(std::filesystem::path(report.files[i].file).filename(), expected[i].file);
    EXPECT_EQ(report.files[i].entries, expected[i].entries) << expected[i].file;
    EXPECT_EQ(report.files[i].skipped, expected[i].skipped) << expected[i].file;
  }
  for (const auto& dg : report.diagnostics)
    if (dg.severity == Diagnostic::kError) std::printf("  %s\n", dg.ToString().c_str());

  const Dictionary& dict = **d;
  EXPECT_EQ(dict.verb_blocks().size(), 397u);
  EXPECT_EQ(dict.synsets().size(), 40u);
  EXPECT_GE(dict.patterns().size(), 4600u);
  EXPECT_GE(dict.actors().size(), 27000u);
  EXPECT_GE(dict.agents().size(), 2200u);
  EXPECT_EQ(dict.discards().size(), 506u);
  ExpectKnownPhoenixEntries(dict);

  // Level 3 keeps the test quick; the shipped file uses 19 (about 20% smaller, slower to
  // write, as fast to read).
  t0 = std::chrono::steady_clock::now();
  std::string bytes = dict.Serialize(3);
  double save_ms = MsSince(t0);
  EXPECT_LT(bytes.size(), 10u << 20);
  t0 = std::chrono::steady_clock::now();
  auto back = Dictionary::Parse(bytes, "phoenix");
  double load_ms = MsSince(t0);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ((*back)->fingerprint(), dict.fingerprint());
  std::printf("phoenix: import %.0f ms, compile %.0f ms, %zu bytes, load %.1f ms, fingerprint %s\n",
              import_ms, save_ms, bytes.size(), load_ms,
              HexFingerprint(dict.fingerprint()).c_str());
}

TEST(SharedDictionaries, ShippedPhoenixIsUpToDate) {
  std::string shared = SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared not found: skipping the freshness check";
  auto files = ReadPetrarchConfig(shared + "/data/petrarch2/PETR_config.ini");
  ASSERT_TRUE(files.ok());
  auto fresh = Import(*files, nullptr);
  ASSERT_TRUE(fresh.ok());
  auto shipped = Dictionary::Load(ShippedPath());
  ASSERT_TRUE(shipped.ok()) << shipped.status().message();
  EXPECT_EQ((*shipped)->fingerprint(), (*fresh)->fingerprint())
      << ShippedPath() << " is stale: rebuild it as data/dict/README.md says";
}

TEST(ShippedDictionary, LoadsFastAndKnowsThePhoenixEntries) {
  std::error_code ec;
  if (!std::filesystem::exists(ShippedPath(), ec)) GTEST_SKIP() << ShippedPath() << " not found";
  auto bytes = ReadFile(ShippedPath());
  ASSERT_TRUE(bytes.ok());
  auto t0 = std::chrono::steady_clock::now();
  auto d = Dictionary::Parse(*bytes, ShippedPath());
  double ms = MsSince(t0);
  ASSERT_TRUE(d.ok()) << d.status().message();
  std::printf("shipped %s: %zu bytes, parsed in %.1f ms\n", ShippedPath().c_str(), bytes->size(),
              ms);
  EXPECT_EQ((*d)->sources().size(), 7u);
  ExpectKnownPhoenixEntries(**d);
}

TEST(SharedDictionaries, ImportsTheValidationSetWithTabariPatterns) {
  std::string shared = SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared not found: skipping the validation set";
  std::string dir = shared + "/data/petrarch2/dictionaries/";
  DictionaryFiles files;
  files.verbs = dir + "PETR.Validate.verbs.txt";
  files.actors = {dir + "PETR.Validate.actors.txt"};
  files.agents = dir + "PETR.Validate.agents.txt";
  files.discards = dir + "PETR.Validate.discards.txt";
  ImportReport report;
  auto d = Import(files, &report);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(report.errors(), 0u);
  std::printf("%s", report.Summary().c_str());
  const Dictionary& dict = **d;

  EXPECT_EQ(FindActor(dict, "ARNOR")->CodeOn(20000101), "ARN");
  const Actor* gollum = FindActor(dict, "SMEAGOL");
  ASSERT_NE(gollum, nullptr);
  EXPECT_EQ(gollum->CodeOn(19900101), "HOB");
  EXPECT_EQ(gollum->CodeOn(19970101), "HOBGOV");
  EXPECT_EQ(gollum->CodeOn(20050101), "HOBREB");
  // The entries after "<! -- NEW ACTORS ... -->" are read (PETRARCH-2 stopped there).
  EXPECT_GT(dict.actors().size(), 120u);

  auto patterns = [&](const char* verb) {
    std::vector<std::string> out;
    for (const auto& r : dict.VerbsForWord(dict.FindWord(verb)))
      for (uint32_t p : dict.PatternsFor(r.verb))
        out.push_back(dict.PatternText(dict.patterns()[p]));
    return out;
  };
  auto has = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  auto ack = patterns("ACKNOWLEDGE");
  EXPECT_TRUE(has(ack, "- SO IN_AND_*_OUT_AGAIN NOW [074]"));
  EXPECT_TRUE(has(ack, "- *_OUT [074]"));
  auto extradite = patterns("EXTRADITE");
  EXPECT_TRUE(has(extradite, "- + WAS * TO ^ FROM $ [174]"));
  auto should = patterns("SHOULD");
  EXPECT_TRUE(has(should, "- SUGGESTED + * DEMAND_&GENINT_CONVENTIONS [161]"));
  // Patterns after the XML comment before WELCOME are read too.
  EXPECT_TRUE(has(patterns("WELCOME"), "- * &TIETYPES_MEMOS FROM [911]"));

  // KLM_NOP_+RST: a multi-word verb with two words before the verb.
  auto rst = dict.VerbsForWord(dict.FindWord("RST"));
  ASSERT_EQ(rst.size(), 1u);
  EXPECT_EQ(dict.verbs()[rst[0].verb].forms[0].before.size(), 2u);
  EXPECT_EQ(dict.verbs()[rst[0].verb].code.primary, "002");
}

}  // namespace
}  // namespace dyad::dict
