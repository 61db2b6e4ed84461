// The verbs reader: synsets, verb blocks, verb forms, PETRARCH-2 and TABARI patterns, codes,
// transformations, and malformed lines. The dictionaries are invented for the tests.
#include <gtest/gtest.h>

#include "dict/test_util.h"
#include "dyad/dict.h"

namespace dyad::dict {
namespace {

using testing::BuildOne;
using testing::Built;
using testing::LineOf;

constexpr std::string_view kVerbs = R"(# Invented verbs for the tests
STRAY_VERB_BEFORE_ANY_BLOCK

&WEAPON
+SWORD
+BOW_
+SIEGE_ENGINE

&ARMY_
+HOST
+GARRISON

&FORCE
+&ARMY
+&WEAPON_BEARER

--- PARLEY   [031]  ---
PARLEY
TREAT {TREATS TREATED TREATING} [030]  # own code, irregular forms
+SIT_DOWN {+SITS_DOWN +SAT_DOWN +SITTING_DOWN}
WALL_+BREACH
- * (WITH +)                                  [036]   # PARLEY
- $ * (ABOUT {RING BEARER})                   [:032]
- * &WEAPON                                   [037!]
- &ARMY * (AT GATE)                           [038?]
- * {ELVEN &WEAPON} (TO +) (FROM $)           [039:040]
- * (OVER ^)                                  [---]

<!-- XML comments do not stop the reading -->

--- MARCH  [---]  ---
MARCH
LASH OUT
- + WAS_* BY $                                [042]
- IN_* &WEAPON_FORGE                          [043]
- * { TOWARD | UPON }_ISENGARD                [044]
- % * ^ WITH +                                [045]
- * OFF_ TO WAR                               [046]

--- GREET [0 31] ---
GREET
- * (WITH + [031]
- * GIFT
- GIFT BEARER [031]
- * &NOSUCH [031]
- * * GIFT [031]
- * GIFT [03$1]
TREAT {TREATS
- * FRIEND (WITH) + [051]

~ a (a b MARCH) PARLEY = a b 138
~ a (_ b Q) PARLEY = a b Q
~ a (a b MARCH PARLEY = a b 138
~ a (a b WILL_MARCH) PARLEY = a b 138
~FINISH
MARCH_AFTER_THE_FINISH_MARK
)";

class VerbsTest : public ::testing::Test {
 protected:
  void SetUp() override { b_ = BuildOne(DictKind::kVerbs, kVerbs, "test.verbs"); }
  const Dictionary& d() const { return *b_.dict; }
  WordId W(std::string_view w) const { return d().FindWord(w); }
  // The patterns read from the line containing `needle`.
  std::vector<const Pattern*> PatternsAt(std::string_view needle) const {
    std::vector<const Pattern*> out;
    uint32_t line = LineOf(kVerbs, needle);
    for (const auto& p : d().patterns())
      if (p.where.line == line) out.push_back(&p);
    return out;
  }
  const Pattern& OnePattern(std::string_view needle) const {
    auto v = PatternsAt(needle);
    EXPECT_EQ(v.size(), 1u) << needle << "\n" << b_.AllDiagnostics();
    static const Pattern kEmpty;
    return v.empty() ? kEmpty : *v[0];
  }
  bool Error(std::string_view needle, std::string_view message) const {
    return b_.Has(Diagnostic::kError, "test.verbs", LineOf(kVerbs, needle), message);
  }
  Built b_;
};

TEST_F(VerbsTest, SynsetsWithPluralsAndNesting) {
  ASSERT_EQ(d().synsets().size(), 3u);
  EXPECT_EQ(d().FindSynset("FORCE"), 2u);
  EXPECT_EQ(d().FindSynset("NOSUCH"), kNone);
  const Synset& weapon = d().synsets()[0];
  EXPECT_EQ(weapon.name, "WEAPON");
  EXPECT_TRUE(weapon.plurals);
  EXPECT_TRUE(d().InSynset(0, W("SWORD")));
  EXPECT_TRUE(d().InSynset(0, W("SWORDS")));  // regular plural added
  EXPECT_TRUE(d().InSynset(0, W("BOW")));
  EXPECT_EQ(W("BOWS"), kNoWord);  // "BOW_": no plural
  // A multi-word member is a phrase; its plural is on the last word.
  auto engine = testing::Words(d(), "SIEGE ENGINES");
  const auto* m = d().synset_members().Match(engine, 0);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->owner, 0u);
  EXPECT_EQ(m->size, 2u);

  const Synset& army = d().synsets()[1];
  EXPECT_EQ(army.name, "ARMY");  // the trailing '_' is dropped ...
  EXPECT_FALSE(army.plurals);    // ... and means "no plurals"
  EXPECT_TRUE(d().InSynset(1, W("HOST")));
  EXPECT_EQ(W("HOSTS"), kNoWord);

  // &FORCE = every &ARMY member, plus every &WEAPON member followed by BEARER.
  EXPECT_TRUE(d().InSynset(2, W("GARRISON")));
  auto sword_bearer = testing::Words(d(), "SWORD BEARER");
  m = d().synset_members().Match(sword_bearer, 0);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->owner, 2u);
}

TEST_F(VerbsTest, BlocksVerbsAndForms) {
  ASSERT_EQ(d().verb_blocks().size(), 3u);
  const VerbBlock& parley = d().verb_blocks()[0];
  EXPECT_EQ(parley.meaning, "PARLEY");
  EXPECT_EQ(parley.code.primary, "031");
  ASSERT_EQ(parley.verbs.size(), 4u);

  // Regular forms are generated; PARLEY keeps its Y before -S and -ED.
  auto refs = d().VerbsForWord(W("PARLEYED"));
  ASSERT_EQ(refs.size(), 1u);
  const Verb& v = d().verbs()[refs[0].verb];
  EXPECT_EQ(d().word(v.forms[0].verb), "PARLEY");
  EXPECT_NE(refs[0].form, 0u);
  EXPECT_FALSE(v.own_code);
  EXPECT_EQ(v.code.primary, "031");  // the block's
  EXPECT_NE(W("PARLEYING"), kNoWord);
  EXPECT_NE(W("PARLEYS"), kNoWord);

  // {...} lists the forms: no regular ones are added; the verb's own code wins.
  refs = d().VerbsForWord(W("TREATED"));
  ASSERT_EQ(refs.size(), 1u);
  const Verb& treat = d().verbs()[refs[0].verb];
  EXPECT_TRUE(treat.irregular);
  EXPECT_TRUE(treat.own_code);
  EXPECT_EQ(treat.code.primary, "030");
  EXPECT_EQ(treat.forms.size(), 4u);
  EXPECT_EQ(treat.text, "TREAT {TREATS TREATED TREATING} [030]  # own code, irregular forms");
  EXPECT_EQ(d().Where(treat.where), "test.verbs:" + std::to_string(LineOf(kVerbs, "TREAT {")));

  // Multi-word verbs: the word marked '+' is the verb, the rest must come right after/before.
  refs = d().VerbsForWord(W("SAT"));
  ASSERT_EQ(refs.size(), 1u);
  const VerbForm& sat = d().verbs()[refs[0].verb].forms[refs[0].form];
  EXPECT_TRUE(sat.before.empty());
  ASSERT_EQ(sat.after.size(), 1u);
  EXPECT_EQ(d().word(sat.after[0]), "DOWN");

  refs = d().VerbsForWord(W("BREACHING"));
  ASSERT_EQ(refs.size(), 1u);
  const VerbForm& breach = d().verbs()[refs[0].verb].forms[refs[0].form];
  ASSERT_EQ(breach.before.size(), 1u);
  EXPECT_EQ(d().word(breach.before[0]), "WALL");

  // TABARI's blank-separated verb phrase: the first word is the verb.
  refs = d().VerbsForWord(W("LASH"));
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(d().verbs()[refs[0].verb].forms[0].after.size(), 1u);

  // Every verb of the block shares the block's patterns.
  EXPECT_EQ(d().PatternsFor(parley.verbs[0]).size(), d().PatternsFor(parley.verbs[3]).size());
  EXPECT_EQ(d().PatternsFor(parley.verbs[0]).size(), 6u);
}

TEST_F(VerbsTest, MultiWordVerbsComeFirstInTheIndex) {
  auto refs = d().VerbsForWord(W("SIT"));
  ASSERT_GE(refs.size(), 1u);
  EXPECT_EQ(d().verbs()[refs[0].verb].forms[refs[0].form].after.size(), 1u);
}

TEST_F(VerbsTest, Petrarch2PatternStructure) {
  // - * (WITH +) [036]
  const Pattern& with = OnePattern("(WITH +)");
  EXPECT_TRUE(with.before.empty());
  ASSERT_EQ(with.after.size(), 1u);
  const PatternElement& pp = with.after[0];
  EXPECT_EQ(pp.kind, ElementKind::kPrepPhrase);
  ASSERT_EQ(pp.children.size(), 2u);
  EXPECT_EQ(pp.children[0].kind, ElementKind::kWord);
  EXPECT_EQ(d().word(pp.children[0].id), "WITH");
  EXPECT_EQ(pp.children[1].kind, ElementKind::kTarget);
  EXPECT_EQ(with.code.primary, "036");
  EXPECT_EQ(with.text, "- * (WITH +)                                  [036]   # PARLEY");

  // - $ * (ABOUT {RING BEARER}) [:032]: a source before the verb, a noun phrase in the PP.
  const Pattern& about = OnePattern("(ABOUT {RING BEARER})");
  ASSERT_EQ(about.before.size(), 1u);
  EXPECT_EQ(about.before[0].kind, ElementKind::kSource);
  const PatternElement& np = about.after[0].children[1];
  EXPECT_EQ(np.kind, ElementKind::kNounPhrase);
  ASSERT_EQ(np.children.size(), 2u);
  EXPECT_EQ(d().word(np.children.back().id), "BEARER");  // the head is last
  EXPECT_EQ(about.code.primary, "");
  EXPECT_EQ(about.code.paired, "032");

  const Pattern& weapon = OnePattern("* &WEAPON ");
  ASSERT_EQ(weapon.after.size(), 1u);
  EXPECT_EQ(weapon.after[0].kind, ElementKind::kSynset);
  EXPECT_EQ(d().synsets()[weapon.after[0].id].name, "WEAPON");
  EXPECT_TRUE(weapon.code.dominant);

  const Pattern& gate = OnePattern("(AT GATE)");
  EXPECT_EQ(gate.before[0].kind, ElementKind::kSynset);
  EXPECT_TRUE(gate.code.subordinate);

  const Pattern& elven = OnePattern("{ELVEN &WEAPON}");
  ASSERT_EQ(elven.after.size(), 3u);
  EXPECT_EQ(elven.after[0].children[1].kind, ElementKind::kSynset);  // synset as the head
  EXPECT_EQ(elven.after[2].children[1].kind, ElementKind::kSource);
  EXPECT_EQ(elven.code.primary, "039");
  EXPECT_EQ(elven.code.paired, "040");

  const Pattern& over = OnePattern("(OVER ^)");
  EXPECT_EQ(over.after[0].children[1].kind, ElementKind::kSkip);
  EXPECT_TRUE(over.code.IsNull());
}

TEST_F(VerbsTest, TabariPatternStructure) {
  // - + WAS_* BY $: the target, WAS right before the verb, then BY and the source.
  const Pattern& passive = OnePattern("+ WAS_* BY $");
  ASSERT_EQ(passive.before.size(), 2u);
  EXPECT_EQ(passive.before[0].kind, ElementKind::kTarget);
  EXPECT_EQ(d().word(passive.before[1].id), "WAS");
  EXPECT_TRUE(passive.verb_adjacent);
  ASSERT_EQ(passive.after.size(), 2u);
  EXPECT_FALSE(passive.after[0].adjacent);
  EXPECT_EQ(passive.after[1].kind, ElementKind::kSource);

  // - IN_* &WEAPON_FORGE: a synset followed directly by a word.
  const Pattern& forge = OnePattern("IN_* &WEAPON_FORGE");
  EXPECT_TRUE(forge.verb_adjacent);
  ASSERT_EQ(forge.after.size(), 2u);
  EXPECT_EQ(forge.after[0].kind, ElementKind::kSynset);
  EXPECT_FALSE(forge.after[0].adjacent);
  EXPECT_EQ(d().word(forge.after[1].id), "FORGE");
  EXPECT_TRUE(forge.after[1].adjacent);

  // { A | B }_C expands into two patterns.
  auto alts = PatternsAt("{ TOWARD | UPON }");
  ASSERT_EQ(alts.size(), 2u);
  EXPECT_EQ(d().PatternText(*alts[0]), "- * TOWARD_ISENGARD [044]");
  EXPECT_EQ(d().PatternText(*alts[1]), "- * UPON_ISENGARD [044]");

  const Pattern& compound = OnePattern("% * ^ WITH +");
  EXPECT_EQ(compound.before[0].kind, ElementKind::kCompound);
  EXPECT_EQ(compound.after[0].kind, ElementKind::kSkip);
  EXPECT_EQ(compound.after[2].kind, ElementKind::kTarget);

  // "OFF_ TO": the underscore before a blank only marks a whole word, it joins nothing.
  const Pattern& off = OnePattern("OFF_ TO WAR");
  ASSERT_EQ(off.after.size(), 3u);
  EXPECT_FALSE(off.after[1].adjacent);
}

TEST_F(VerbsTest, CanonicalTextRoundTrips) {
  EXPECT_EQ(d().PatternText(OnePattern("(ABOUT {RING BEARER})")),
            "- $ * (ABOUT {RING BEARER}) [:032]");
  EXPECT_EQ(d().PatternText(OnePattern("+ WAS_* BY $")), "- + WAS_* BY $ [042]");
  EXPECT_EQ(d().PatternText(OnePattern("{ELVEN &WEAPON}")),
            "- * {ELVEN &WEAPON} (TO +) (FROM $) [039:040]");
  EXPECT_EQ(d().PatternText(OnePattern("* &WEAPON ")), "- * &WEAPON [037!]");
}

TEST_F(VerbsTest, PatternsAreOrderedMostSpecificFirst) {
  const VerbBlock& parley = d().verb_blocks()[0];
  for (size_t i = 1; i < parley.patterns.size(); ++i)
    EXPECT_GE(d().patterns()[parley.patterns[i - 1]].weight,
              d().patterns()[parley.patterns[i]].weight);
  EXPECT_EQ(d().patterns()[parley.patterns[0]].where.line, LineOf(kVerbs, "{ELVEN &WEAPON}"));
}

TEST_F(VerbsTest, Transformations) {
  ASSERT_EQ(d().transformations().size(), 2u) << b_.AllDiagnostics();
  const Transformation& t = d().transformations()[0];
  ASSERT_EQ(t.levels.size(), 2u);
  EXPECT_EQ(t.levels[0].source, "a");
  ASSERT_EQ(t.levels[0].verbs.size(), 1u);
  EXPECT_EQ(d().word(t.levels[0].verbs[0]), "PARLEY");
  EXPECT_EQ(t.levels[1].source, "a");
  EXPECT_EQ(d().word(t.levels[1].verbs[0]), "MARCH");
  EXPECT_EQ(t.target, "b");
  EXPECT_EQ(t.out_source, "a");
  EXPECT_EQ(t.out_target, "b");
  EXPECT_EQ(t.out_code, "138");

  const Transformation& any = d().transformations()[1];
  EXPECT_EQ(any.levels[1].source, "_");
  EXPECT_TRUE(any.levels[1].verbs.empty());  // Q: any verb
  EXPECT_EQ(any.out_code, "Q");
}

TEST_F(VerbsTest, MalformedLinesAreReportedWithFileAndLine) {
  EXPECT_TRUE(Error("STRAY_VERB", "outside a block")) << b_.AllDiagnostics();
  EXPECT_TRUE(Error("--- GREET", "malformed code"));
  EXPECT_TRUE(Error("(WITH + [031]", "missing ')'"));
  EXPECT_TRUE(Error("- * GIFT\n", "without a [CODE]"));
  EXPECT_TRUE(Error("GIFT BEARER [031]", "verb marker '*'"));
  EXPECT_TRUE(Error("&NOSUCH", "undefined synset &NOSUCH"));
  EXPECT_TRUE(Error("* * GIFT", "more than one '*'"));
  EXPECT_TRUE(Error("[03$1]", "malformed code"));
  EXPECT_TRUE(Error("TREAT {TREATS\n", "missing '}'"));
  EXPECT_TRUE(Error("MARCH PARLEY = a b 138", "expected ')'"));
  EXPECT_TRUE(Error("WILL_MARCH", "no verb block defines"));
  // The diagnostic renders as file:line: error: message.
  std::string line = std::to_string(LineOf(kVerbs, "&NOSUCH"));
  EXPECT_NE(b_.AllDiagnostics().find("test.verbs:" + line + ": error: undefined synset"),
            std::string::npos);
}

TEST_F(VerbsTest, TheRestStillLoadsAndTheSummaryCounts) {
  // The block with the bad header still gets its verb and its good pattern.
  const VerbBlock& greet = d().verb_blocks()[2];
  EXPECT_EQ(greet.meaning, "GREET");
  EXPECT_TRUE(greet.code.IsNull());
  ASSERT_EQ(greet.patterns.size(), 1u);
  EXPECT_EQ(d().PatternText(d().patterns()[greet.patterns[0]]), "- * FRIEND (WITH) + [051]");

  ASSERT_EQ(b_.report.files.size(), 1u);
  const FileSummary& f = b_.report.files[0];
  EXPECT_EQ(f.skipped, 11u) << b_.AllDiagnostics();
  EXPECT_EQ(b_.report.errors(), 11u);
  // Lines after ~FINISH are not read.
  EXPECT_EQ(d().FindWord("MARCH_AFTER_THE_FINISH_MARK"), kNoWord);
  EXPECT_NE(b_.report.Summary().find("test.verbs (verbs): " + std::to_string(f.entries) +
                                     " entries read, 11 skipped"),
            std::string::npos);
}

TEST(VerbCodeTest, Rendering) {
  VerbCode c;
  c.primary = "042";
  c.paired = "043";
  EXPECT_EQ(c.ToString(), "[042:043]");
  EXPECT_FALSE(c.IsNull());
  c = VerbCode();
  c.primary = "---";
  EXPECT_TRUE(c.IsNull());
  c.paired = "173";
  EXPECT_FALSE(c.IsNull());
}

TEST(VerbsReader, UnknownCameoCodesAreWarnings) {
  Built b = BuildOne(DictKind::kVerbs, "--- GO [999] ---\nGO\n- * HOME [0231]\n", "w.verbs");
  EXPECT_TRUE(b.Has(Diagnostic::kWarning, "w.verbs", 1, "999 is not in the CAMEO codebook"));
  EXPECT_EQ(b.report.errors(), 0u);
  EXPECT_EQ(b.dict->patterns().size(), 1u);
}

TEST(VerbsReader, DuplicateVerbFirstDefinitionWins) {
  Built b = BuildOne(DictKind::kVerbs,
                     "--- FIGHT [190] ---\nBATTLE\n--- DEBATE [111] ---\nBATTLE\n", "dup.verbs");
  auto refs = b.dict->VerbsForWord(b.dict->FindWord("BATTLE"));
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(b.dict->verbs()[refs[0].verb].code.primary, "190");
  EXPECT_TRUE(b.Has(Diagnostic::kWarning, "dup.verbs", 4, "comes first and wins"));
}

}  // namespace
}  // namespace dyad::dict
