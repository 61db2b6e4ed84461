// The actors, agents, discards and issues readers, on invented dictionaries.
#include <gtest/gtest.h>

#include "dict/test_util.h"
#include "dyad/dict.h"

namespace dyad::dict {
namespace {

using testing::BuildOne;
using testing::Built;
using testing::LineOf;
using testing::Words;

constexpr std::string_view kActors = R"(<!-- invented actors -->
ARNOR_  [ARN]
+ARNORIAN
+FORNOST_ERAIN   # the capital

GONDOR
+MINAS_TIRITH
+ANORIEN
	[GON]

DENETHOR_II_  ; TABARI-style comment
	[GONGOV 29840101-30190315]
	[GONELI <29840101]
	[GONMIL > 30190316]
	[GON]

ARAGORN [RNG 29510301-30190501] [GONGOV >30190502]   # several codes on one line
BOROMIR  [---]
CARAS GALADHON [ELF]
ROHAN_ [ROH/ROHMIL]
+ARNORIAN
SHIRE_HOBBITS
BAD_CODE [ROH 3019-3020]
+SYNONYM_OF_BAD_CODE
BAD_DATE [ROH 30190230-30200101]
REVERSED [ROH 30200101-30190101]
NO_OPERATOR [ROH 30200101]
VALID [VAL]
+
UNCLOSED [ROH
)";

class ActorsTest : public ::testing::Test {
 protected:
  void SetUp() override { b_ = BuildOne(DictKind::kActors, kActors, "test.actors"); }
  const Dictionary& d() const { return *b_.dict; }
  const Actor* Find(std::string_view phrase) const {
    auto words = Words(d(), phrase);
    const auto* p = d().actor_phrases().Match(words, 0);
    if (!p || p->size != words.size()) return nullptr;
    return &d().actors()[p->owner];
  }
  bool Error(std::string_view needle, std::string_view message) const {
    return b_.Has(Diagnostic::kError, "test.actors", LineOf(kActors, needle), message);
  }
  Built b_;
};

TEST_F(ActorsTest, PrimaryPhrasesSynonymsAndCodes) {
  const Actor* arnor = Find("ARNOR");
  ASSERT_NE(arnor, nullptr) << b_.AllDiagnostics();
  EXPECT_EQ(arnor->root, "ARNOR_");
  ASSERT_EQ(arnor->codes.size(), 1u);
  EXPECT_EQ(arnor->codes[0].code, "ARN");
  EXPECT_FALSE(arnor->codes[0].restricted());
  EXPECT_EQ(Find("FORNOST ERAIN"), arnor);  // a synonym, the comment stripped
  EXPECT_EQ(d().Where(arnor->where), "test.actors:2");

  // Codes on indented lines after the synonyms.
  const Actor* gondor = Find("MINAS TIRITH");
  ASSERT_NE(gondor, nullptr);
  EXPECT_EQ(gondor, Find("GONDOR"));
  EXPECT_EQ(gondor->CodeOn(30190101), "GON");

  // A blank in a phrase is TABARI's "other words may come between": recorded as a gap.
  auto caras = Words(d(), "CARAS GALADHON");
  const auto* p = d().actor_phrases().Match(caras, 0);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->gaps, 2u);  // bit 1: a blank before word 1
  const auto* fornost = d().actor_phrases().Match(Words(d(), "FORNOST ERAIN"), 0);
  EXPECT_EQ(fornost->gaps, 0u);

  EXPECT_EQ(Find("ROHAN")->codes[0].code, "ROH/ROHMIL");  // a coded compound, kept whole
  EXPECT_EQ(Find("BOROMIR")->codes[0].code, "---");
}

TEST_F(ActorsTest, DateRestrictedCodes) {
  const Actor* denethor = Find("DENETHOR II");
  ASSERT_NE(denethor, nullptr);
  ASSERT_EQ(denethor->codes.size(), 4u);
  EXPECT_EQ(denethor->codes[0].from, 29840101);
  EXPECT_EQ(denethor->codes[0].to, 30190315);
  EXPECT_EQ(denethor->codes[1].from, kMinDate);  // <date
  EXPECT_EQ(denethor->codes[1].to, 29840101);
  EXPECT_EQ(denethor->codes[2].from, 30190316);  // > date, with a blank
  EXPECT_EQ(denethor->codes[2].to, kMaxDate);
  EXPECT_EQ(denethor->CodeOn(30000101), "GONGOV");
  EXPECT_EQ(denethor->CodeOn(29840101), "GONGOV");  // limits are inclusive; first match wins
  EXPECT_EQ(denethor->CodeOn(29000101), "GONELI");
  EXPECT_EQ(denethor->CodeOn(30200101), "GONMIL");

  // Several codes on the primary line; no default, so nothing outside the ranges.
  const Actor* aragorn = Find("ARAGORN");
  ASSERT_NE(aragorn, nullptr);
  EXPECT_EQ(aragorn->CodeOn(30000101), "RNG");
  EXPECT_EQ(aragorn->CodeOn(30190601), "GONGOV");
  EXPECT_EQ(aragorn->CodeOn(29000101), "");
}

TEST_F(ActorsTest, LaterDuplicateWinsWithAWarning) {
  // +ARNORIAN under ROHAN repeats ARNOR's synonym: PETRARCH keeps the later definition.
  EXPECT_EQ(Find("ARNORIAN"), Find("ROHAN"));
  EXPECT_TRUE(b_.Has(Diagnostic::kWarning, "test.actors", 3, "comes later and wins"))
      << b_.AllDiagnostics();
}

TEST(ActorsReader, CodesOrSynonymsBeforeAnyActor) {
  Built b = BuildOne(DictKind::kActors, "\t[ORPHAN]\n+LOST\nARNOR [ARN]\n", "o.actors");
  EXPECT_TRUE(b.Has(Diagnostic::kError, "o.actors", 1, "code line before any actor"));
  EXPECT_TRUE(b.Has(Diagnostic::kError, "o.actors", 2, "synonym '+' before any actor"));
  EXPECT_EQ(b.dict->actors().size(), 1u);
}

TEST_F(ActorsTest, ActorWithoutCodeIsKeptWithAWarning) {
  const Actor* shire = Find("SHIRE HOBBITS");
  ASSERT_NE(shire, nullptr);
  EXPECT_TRUE(shire->codes.empty());
  EXPECT_EQ(shire->CodeOn(30190101), "");
  EXPECT_TRUE(
      b_.Has(Diagnostic::kWarning, "test.actors", LineOf(kActors, "SHIRE_HOBBITS"), "has no code"));
}

TEST_F(ActorsTest, MalformedLinesAreReportedAndSkipped) {
  EXPECT_TRUE(Error("BAD_CODE", "bad date '3019'")) << b_.AllDiagnostics();
  EXPECT_TRUE(Error("+SYNONYM_OF_BAD_CODE", "belongs to the actor rejected at line " +
                                                std::to_string(LineOf(kActors, "BAD_CODE"))));
  EXPECT_TRUE(Error("BAD_DATE", "bad date '30190230'"));
  EXPECT_TRUE(Error("REVERSED", "ends before it starts"));
  EXPECT_TRUE(Error("NO_OPERATOR", "needs <DATE, >DATE or DATE-DATE"));
  EXPECT_TRUE(Error("+\n", "empty phrase"));
  EXPECT_TRUE(Error("UNCLOSED", "missing ']'"));
  EXPECT_EQ(Find("BAD CODE"), nullptr);
  EXPECT_EQ(Find("SYNONYM OF BAD CODE"), nullptr);
  EXPECT_NE(Find("VALID"), nullptr);
  EXPECT_EQ(b_.report.files[0].skipped, 7u);
  EXPECT_EQ(b_.report.files[0].lines, LineOf(kActors, "UNCLOSED [ROH"));
}

constexpr std::string_view kAgents = R"(# invented agents
!PERSON! = MAN, MEN, WOMAN, WOMEN
!MINIST! = MINISTER, MINISTRY

STEWARD [~GOV]
RANGER {} [~MIL]
ELF_LORD {ELF_LORDS ELVEN_LORDS} [~ELI]   # the plural as written
ENTWIFE {ENTWIVES}  [ ~ENT]
HORSE!PERSON! [~MIL]
!MINIST!_OF_WAR [~GOVMIL]
WHITE_COUNCIL [IGO~]
ARMY [~MIL]
ARMY [~REB]
NO_CODE_AGENT
TILDE_MISSING [GOV]
UNKNOWN_!MARKER! [~GOV]
PLURAL_OPEN {PLURALS [~GOV]
)";

TEST(AgentsReader, PluralsSubstitutionsAndPlacement) {
  Built b = BuildOne(DictKind::kAgents, kAgents, "test.agents");
  const Dictionary& d = *b.dict;
  auto find = [&](std::string_view phrase) -> const Agent* {
    auto words = Words(d, phrase);
    const auto* p = d.agent_phrases().Match(words, 0);
    if (!p || p->size != words.size()) return nullptr;
    return &d.agents()[p->owner];
  };
  ASSERT_NE(find("STEWARD"), nullptr) << b.AllDiagnostics();
  EXPECT_EQ(find("STEWARD")->code, "GOV");
  EXPECT_FALSE(find("STEWARD")->prefix);
  EXPECT_EQ(find("STEWARDS"), find("STEWARD"));  // regular plural
  EXPECT_NE(find("RANGER"), nullptr);
  EXPECT_EQ(find("RANGERS"), nullptr);    // {}: no plural
  EXPECT_EQ(find("ELF LORDS"), nullptr);  // {ELF_LORDS ELVEN_LORDS} is one phrase
  EXPECT_NE(find("ENTWIVES"), nullptr);
  EXPECT_EQ(find("ENTWIFE")->code, "ENT");  // blanks inside [...] are tolerated
  // Substitution markers: every member, no plurals.
  for (const char* w : {"HORSEMAN", "HORSEMEN", "HORSEWOMAN", "HORSEWOMEN"})
    EXPECT_NE(find(w), nullptr) << w;
  EXPECT_EQ(find("HORSEMANS"), nullptr);
  EXPECT_EQ(find("MINISTRY OF WAR")->code, "GOVMIL");
  EXPECT_EQ(find("MINISTER OF WAR")->code, "GOVMIL");
  // NGO~ style: the agent code goes before the actor's.
  EXPECT_TRUE(find("WHITE COUNCIL")->prefix);
  EXPECT_EQ(find("WHITE COUNCIL")->code, "IGO");
  // The later of two definitions wins, with a warning.
  EXPECT_EQ(find("ARMY")->code, "REB");
  EXPECT_TRUE(b.Has(Diagnostic::kWarning, "test.agents", LineOf(kAgents, "ARMY [~MIL]"),
                    "comes later and wins"));

  EXPECT_TRUE(b.Has(Diagnostic::kError, "test.agents", LineOf(kAgents, "NO_CODE_AGENT"),
                    "without a [~CODE]"));
  EXPECT_TRUE(
      b.Has(Diagnostic::kError, "test.agents", LineOf(kAgents, "TILDE_MISSING"), "needs one '~'"));
  EXPECT_TRUE(b.Has(Diagnostic::kError, "test.agents", LineOf(kAgents, "UNKNOWN_!MARKER!"),
                    "!MARKER! is not defined"));
  EXPECT_TRUE(
      b.Has(Diagnostic::kError, "test.agents", LineOf(kAgents, "PLURAL_OPEN"), "missing '}'"));
  EXPECT_EQ(b.report.files[0].skipped, 4u);
  EXPECT_EQ(b.report.files[0].entries, 11u);
}

TEST(DiscardsReader, SentenceAndStoryDiscards) {
  constexpr std::string_view kDiscards =
      "# invented discards\n"
      "LONGBOTTOM LEAF\n"
      "+BIRTHDAY PARTY   # the whole story\n"
      "FIREWORK_\n";
  Built b = BuildOne(DictKind::kDiscards, kDiscards, "test.discards");
  const Dictionary& d = *b.dict;
  ASSERT_EQ(d.discards().size(), 3u);
  const auto* leaf = d.discard_phrases().Match(Words(d, "LONGBOTTOM LEAF"), 0);
  ASSERT_NE(leaf, nullptr);
  EXPECT_FALSE(d.discards()[leaf->owner].story);
  EXPECT_TRUE(d.discards()[leaf->owner].stem);
  const auto* party = d.discard_phrases().Match(Words(d, "BIRTHDAY PARTY"), 0);
  ASSERT_NE(party, nullptr);
  EXPECT_TRUE(d.discards()[party->owner].story);
  const auto* fw = d.discard_phrases().Match(Words(d, "FIREWORK"), 0);
  ASSERT_NE(fw, nullptr);
  EXPECT_FALSE(d.discards()[fw->owner].stem);  // trailing '_': whole word
  EXPECT_EQ(b.report.errors(), 0u);
}

constexpr std::string_view kIssues = R"(# invented issues
<ISSUE CATEGORY="LORE" TYPE="ALL">
n:palantir [SEEING_STONES]
v:forge n:ring [RING_LORE]
elf+friend [ELF_FRIENDS]
~a ring of smoke
~~ring tone
no code here
palantir [SEEING_STONES] trailing words
</ISSUE>
<WHATEVER>
mithril [METALS]
)";

TEST(IssuesReader, ExpansionsCategoriesAndIgnorePhrases) {
  Built b = BuildOne(DictKind::kIssues, kIssues, "test.issues");
  const Dictionary& d = *b.dict;
  auto find = [&](std::string_view phrase) -> const Issue* {
    auto words = Words(d, phrase);
    const auto* p = d.issue_phrases().Match(words, 0);
    if (!p || p->size != words.size()) return nullptr;
    return &d.issues()[p->owner];
  };
  ASSERT_NE(find("PALANTIRS"), nullptr) << b.AllDiagnostics();  // n: singular and plural
  const Issue* palantir = find("PALANTIR");
  ASSERT_NE(palantir, nullptr);
  EXPECT_EQ(d.issue_codes()[palantir->code], "SEEING_STONES");
  ASSERT_NE(palantir->category, kNone);
  EXPECT_EQ(d.issue_categories()[palantir->category].name, "LORE");
  EXPECT_EQ(d.issue_categories()[palantir->category].type, "ALL");
  // v: regular verb forms, combined with the n: forms of the next word.
  for (const char* p : {"FORGE RING", "FORGES RINGS", "FORGED RING", "FORGING RINGS"})
    EXPECT_NE(find(p), nullptr) << p;
  // + gives both "ELF FRIEND" and "ELF-FRIEND".
  EXPECT_NE(find("ELF FRIEND"), nullptr);
  EXPECT_NE(find("ELF-FRIEND"), nullptr);
  EXPECT_EQ(find("A RING OF SMOKE")->kind, IssueKind::kIgnoreSentence);
  EXPECT_EQ(find("RING TONE")->kind, IssueKind::kIgnoreStory);
  // Outside <ISSUE> there is no category.
  EXPECT_EQ(find("MITHRIL")->category, kNone);

  EXPECT_TRUE(b.Has(Diagnostic::kError, "test.issues", LineOf(kIssues, "no code here"),
                    "without a [CODE]"));
  EXPECT_TRUE(b.Has(Diagnostic::kWarning, "test.issues", LineOf(kIssues, "trailing words"),
                    "text after the issue's code ignored"));
  EXPECT_TRUE(
      b.Has(Diagnostic::kError, "test.issues", LineOf(kIssues, "<WHATEVER>"), "unknown tag"));
  EXPECT_EQ(b.report.files[0].skipped, 2u);
}

TEST(Builder, SeveralFilesKeepTheirOwnNamesAndLines) {
  DictionaryBuilder b;
  b.Add(DictKind::kVerbs, "--- WAR [190] ---\nWAR\n- * (ON +) [190]\n", "a.verbs");
  b.Add(DictKind::kActors, "ARNOR [ARN]\nGONDOR [GON]\n", "b.actors");
  b.Add(DictKind::kActors, "\nROHAN [ROH]\n", "dir/c.actors");
  auto d = b.Build();
  ASSERT_EQ(d->sources().size(), 3u);
  EXPECT_EQ(d->sources()[2].name, "c.actors");  // base names only
  EXPECT_EQ(d->sources()[2].kind, DictKind::kActors);
  const auto* p = d->actor_phrases().Match(Words(*d, "ROHAN"), 0);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(d->Where(d->actors()[p->owner].where), "c.actors:2");
  EXPECT_EQ(d->Where(d->patterns()[0].where), "a.verbs:3");
  EXPECT_EQ(b.report().files[1].entries, 2u);
}

TEST(PhraseTable, LongestMatchFirst) {
  Built b = BuildOne(DictKind::kActors,
                     "MINAS [MIN]\nMINAS_TIRITH [GON]\nMINAS_TIRITH_GUARD [GONMIL]\n", "t.actors");
  const Dictionary& d = *b.dict;
  auto text = Words(d, "MINAS TIRITH GUARD");
  auto starting = d.actor_phrases().StartingWith(text[0]);
  ASSERT_EQ(starting.size(), 3u);
  EXPECT_EQ(starting[0].size, 3u);
  EXPECT_EQ(starting[2].size, 1u);
  EXPECT_EQ(d.actors()[d.actor_phrases().Match(text, 0)->owner].codes[0].code, "GONMIL");
  auto shorter = Words(d, "MINAS TIRITH");
  EXPECT_EQ(d.actors()[d.actor_phrases().Match(shorter, 0)->owner].codes[0].code, "GON");
  std::vector<WordId> unknown{kNoWord, text[0]};
  EXPECT_EQ(d.actor_phrases().Match(unknown, 0), nullptr);
  EXPECT_EQ(d.actors()[d.actor_phrases().Match(unknown, 1)->owner].codes[0].code, "MIN");
  EXPECT_EQ(d.actor_phrases().Match(unknown, 2), nullptr);
  EXPECT_EQ(d.FindWord("minas"), text[0]);  // case-insensitive
  EXPECT_EQ(d.PhraseText(d.actor_phrases(), starting[0]), "MINAS TIRITH GUARD");
}

}  // namespace
}  // namespace dyad::dict
