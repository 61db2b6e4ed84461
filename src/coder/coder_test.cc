// Coder tests on hand-built dependency parses and a tiny dictionary written here, so they run
// without a parser model. The phenomena match tests/coder/*.xml, which run the same rules
// through `dyad validate` with the shipped parser.
#include "dyad/coder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <tuple>

namespace dyad::coder {
namespace {

constexpr char kVerbs[] = R"(&CURRENCY
+DOLLARS
+EUROS

--- ATTACK [190] ---
ATTACK
- * (WITH ROCKETS) [195]

--- ACCUSE [112] ---
ACCUSE
- * + OF AGGRESSION [1123]

--- MEET [036:036] ---
MEET {MET MEETS MEETING}

--- SAY [010] ---
SAY {SAID SAYS SAYING}

--- PROMISE [030] ---
PROMISE

--- HELP [070] ---
HELP
- * WITH &CURRENCY [071]

--- RESTORE [064] ---
RESTORE

--- ORDER [---] ---
ORDER

--- VISIT [042:043] ---
VISIT

--- RECEIVE [---] ---
RECEIVE
- + * MONEY FROM $ [071]

--- DISCUSS [---] ---
DISCUSS
)";

constexpr char kActors[] = R"(ARNOR_ [ARN]
+ARNORIAN_
GONDOR_ [GON]
+MINAS_TIRITH_
ROHAN_ [ROH]
RIVENDELL_ [ELF/DWF]
THEODEN_
	[ROHGOV 20000101-20101231]
	[ROHELI >20110101]
	[ROH]
)";

constexpr char kAgents[] = R"(POLICE {} [~COP]
SOLDIER [~MIL]
GOVERNMENT [~GOV]
OFFICIAL [~GOV]
MSF {} [NGO~]
)";

constexpr char kDiscards[] = R"(FOOTBALL_
+HURRICANE
)";

std::shared_ptr<const dict::Dictionary> TestDictionary() {
  static std::shared_ptr<const dict::Dictionary> d = [] {
    dict::DictionaryBuilder b;
    b.Add(dict::DictKind::kVerbs, kVerbs, "test.verbs.txt");
    b.Add(dict::DictKind::kActors, kActors, "test.actors.txt");
    b.Add(dict::DictKind::kAgents, kAgents, "test.agents.txt");
    b.Add(dict::DictKind::kDiscards, kDiscards, "test.discards.txt");
    auto dict = b.Build();
    EXPECT_EQ(b.report().errors(), 0u) << b.report().Summary();
    return dict;
  }();
  return d;
}

// A sentence from "form[|lemma]/UPOS/head/deprel" items separated by blanks (heads are
// 1-based, 0 the root); the text is the forms joined by blanks.
Sentence Parse(const std::string& spec, std::string* text) {
  Sentence s;
  std::istringstream in(spec);
  std::string item;
  while (in >> item) {
    std::vector<std::string> f;
    size_t start = 0;
    while (true) {
      size_t slash = item.find('/', start);
      f.push_back(item.substr(start, slash - start));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    EXPECT_EQ(f.size(), 4u) << item;
    Word w;
    size_t bar = f[0].find('|');
    w.form = f[0].substr(0, bar);
    w.lemma = bar == std::string::npos ? w.form : f[0].substr(bar + 1);
    if (bar == std::string::npos)
      for (char& c : w.lemma) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    w.upos = f[1];
    w.xpos = f[1] == "VERB" ? "VB" : f[1] == "PUNCT" ? "." : "_";
    w.head = std::stoi(f[2]);
    w.deprel = f[3];
    Token t;
    t.form = w.form;
    if (!text->empty() && w.upos != "PUNCT") *text += ' ';
    t.span.begin = static_cast<uint32_t>(text->size());
    *text += w.form;
    t.span.end = static_cast<uint32_t>(text->size());
    t.first_word = t.last_word = static_cast<uint32_t>(s.words.size());
    w.token = static_cast<uint32_t>(s.tokens.size());
    s.tokens.push_back(t);
    s.words.push_back(w);
  }
  return s;
}

Document Doc(const std::vector<std::string>& sentences, const std::string& date = "2005-06-01") {
  Document doc;
  doc.id = "doc1";
  doc.date = date;
  for (const auto& spec : sentences) {
    std::string text;
    Sentence s = Parse(spec, &text);
    uint32_t base = static_cast<uint32_t>(doc.text.size() + (doc.text.empty() ? 0 : 1));
    if (!doc.text.empty()) doc.text += ' ';
    doc.text += text;
    for (auto& t : s.tokens) {
      t.span.begin += base;
      t.span.end += base;
    }
    s.span = {base, static_cast<uint32_t>(doc.text.size())};
    s.text = text;
    doc.sentences.push_back(std::move(s));
  }
  return doc;
}

using Triple = std::tuple<std::string, std::string, std::string>;

std::set<Triple> Code(const Document& doc, const CoderOptions& opt = {},
                      std::vector<Event>* events = nullptr) {
  auto coder = Coder::Create(TestDictionary(), opt);
  EXPECT_TRUE(coder.ok()) << coder.status().message();
  std::vector<SentenceTrace> trace;
  std::vector<Event> ev = coder->Code(doc, &trace);
  std::set<Triple> out;
  for (const auto& e : ev) out.emplace(e.source, e.target, e.code);
  if (events) *events = ev;
  if (std::getenv("DYAD_CODER_TRACE"))  // debugging aid: print what the coder did
    for (const auto& t : trace) std::fprintf(stderr, "%s", t.text.c_str());
  return out;
}

std::set<Triple> Code1(const std::string& spec, const CoderOptions& opt = {}) {
  return Code(Doc({spec}), opt);
}

TEST(Coder, SubjectVerbObjectWithProvenance) {
  Document doc =
      Doc({"Arnor/PROPN/2/nsubj attacked|attack/VERB/0/root Gondor/PROPN/2/obj ./PUNCT/2/punct"});
  std::vector<Event> ev;
  EXPECT_EQ(Code(doc, {}, &ev), (std::set<Triple>{{"ARN", "GON", "190"}}));
  ASSERT_EQ(ev.size(), 1u);
  const Event& e = ev[0];
  EXPECT_EQ(e.doc_id, "doc1");
  EXPECT_EQ(e.date, "2005-06-01");
  EXPECT_EQ(e.root, "19");
  EXPECT_EQ(e.quad_class, 4);
  EXPECT_EQ(e.source_text, "Arnor");
  EXPECT_EQ(e.target_text, "Gondor");
  EXPECT_EQ(e.verb_text, "attacked");
  EXPECT_EQ(doc.text.substr(e.verb_span.begin, e.verb_span.end - e.verb_span.begin), "attacked");
  EXPECT_EQ(e.pattern_where, "test.verbs.txt:6");
  EXPECT_EQ(e.text, "Arnor attacked Gondor.");
}

TEST(Coder, PatternWithPrepositionalPhrase) {
  EXPECT_EQ(Code1("Arnor/PROPN/2/nsubj attacked|attack/VERB/0/root Gondor/PROPN/2/obj "
                  "with/ADP/5/case rockets|rocket/NOUN/2/obl ./PUNCT/2/punct"),
            (std::set<Triple>{{"ARN", "GON", "195"}}));
}

TEST(Coder, TargetMarkerAndSynset) {
  // "Arnor accused Gondor of aggression": the pattern's + names the target.
  EXPECT_EQ(Code1("Arnor/PROPN/2/nsubj accused|accuse/VERB/0/root Gondor/PROPN/2/obj "
                  "of/ADP/5/case aggression/NOUN/2/obl ./PUNCT/2/punct"),
            (std::set<Triple>{{"ARN", "GON", "1123"}}));
  // "Arnor helped Gondor with euros": &CURRENCY.
  EXPECT_EQ(Code1("Arnor/PROPN/2/nsubj helped|help/VERB/0/root Gondor/PROPN/2/obj "
                  "with/ADP/5/case euros|euro/NOUN/2/obl ./PUNCT/2/punct"),
            (std::set<Triple>{{"ARN", "GON", "071"}}));
}

TEST(Coder, SourceMarkerReversesRoles) {
  // "Gondor received money from Arnor": - + * MONEY FROM $ [071].
  EXPECT_EQ(Code1("Gondor/PROPN/2/nsubj received|receive/VERB/0/root money/NOUN/2/obj "
                  "from/ADP/5/case Arnor/PROPN/2/obl ./PUNCT/2/punct"),
            (std::set<Triple>{{"ARN", "GON", "071"}}));
}

TEST(Coder, PassiveTakesTheAgentAsSource) {
  EXPECT_EQ(Code1("Gondor/PROPN/3/nsubj:pass was|be/AUX/3/aux:pass attacked|attack/VERB/0/root "
                  "by/ADP/5/case Arnor/PROPN/3/obl:agent ./PUNCT/3/punct"),
            (std::set<Triple>{{"ARN", "GON", "190"}}));
  // Without an agent there is no source: no event under require_dyad.
  EXPECT_EQ(Code1("Gondor/PROPN/3/nsubj:pass was|be/AUX/3/aux:pass attacked|attack/VERB/0/root "
                  "./PUNCT/3/punct"),
            (std::set<Triple>{}));
}

TEST(Coder, NegationGivesNoEvent) {
  EXPECT_EQ(Code1("Arnor/PROPN/4/nsubj did|do/AUX/4/aux not/PART/4/advmod attack/VERB/0/root "
                  "Gondor/PROPN/4/obj ./PUNCT/4/punct"),
            (std::set<Triple>{}));
}

TEST(Coder, CompoundActorsGiveOneEventEach) {
  EXPECT_EQ(
      Code1("Arnor/PROPN/4/nsubj and/CCONJ/3/cc Rohan/PROPN/1/conj attacked|attack/VERB/0/root "
            "Gondor/PROPN/4/obj ./PUNCT/4/punct"),
      (std::set<Triple>{{"ARN", "GON", "190"}, {"ROH", "GON", "190"}}));
  // A coded compound (RIVENDELL_ [ELF/DWF]) is two actors.
  EXPECT_EQ(
      Code1(
          "Arnor/PROPN/2/nsubj attacked|attack/VERB/0/root Rivendell/PROPN/2/obj ./PUNCT/2/punct"),
      (std::set<Triple>{{"ARN", "ELF", "190"}, {"ARN", "DWF", "190"}}));
  // A compound subject with no target meets itself: both directions.
  EXPECT_EQ(Code1("Arnor/PROPN/4/nsubj and/CCONJ/3/cc Gondor/PROPN/1/conj met|meet/VERB/0/root "
                  "./PUNCT/4/punct"),
            (std::set<Triple>{{"ARN", "GON", "036"}, {"GON", "ARN", "036"}}));
}

TEST(Coder, PairedCodeAddsTheReverseEvent) {
  EXPECT_EQ(
      Code1("Arnor/PROPN/2/nsubj visited|visit/VERB/0/root Gondor/PROPN/2/obj ./PUNCT/2/punct"),
      (std::set<Triple>{{"ARN", "GON", "042"}, {"GON", "ARN", "043"}}));
}

TEST(Coder, AgentsComposeWithCountries) {
  // "Arnorian police attacked Gondor soldiers."
  EXPECT_EQ(Code1("Arnorian/ADJ/2/amod police/NOUN/3/nsubj attacked|attack/VERB/0/root "
                  "Gondor/PROPN/5/compound soldiers|soldier/NOUN/3/obj ./PUNCT/3/punct"),
            (std::set<Triple>{{"ARNCOP", "GONMIL", "190"}}));
  // "The government of Gondor met MSF Arnor": an agent's country from "of"; a prefix agent.
  EXPECT_EQ(Code1("The/DET/2/det government/NOUN/5/nsubj of/ADP/4/case Gondor/PROPN/2/nmod "
                  "met|meet/VERB/0/root MSF/PROPN/7/compound Arnor/PROPN/5/obj ./PUNCT/5/punct"),
            (std::set<Triple>{{"GONGOV", "NGOARN", "036"}, {"NGOARN", "GONGOV", "036"}}));
  // "Gondor's government": the possessor is the country.
  EXPECT_EQ(Code1("Gondor/PROPN/3/nmod:poss 's/PART/1/case government/NOUN/4/nsubj "
                  "attacked|attack/VERB/0/root Rohan/PROPN/4/obj ./PUNCT/4/punct"),
            (std::set<Triple>{{"GONGOV", "ROH", "190"}}));
  // An agent alone has no country.
  EXPECT_EQ(Code1("Soldiers|soldier/NOUN/2/nsubj attacked|attack/VERB/0/root Rohan/PROPN/2/obj "
                  "./PUNCT/2/punct"),
            (std::set<Triple>{{"---MIL", "ROH", "190"}}));
}

TEST(Coder, DateRestrictedActors) {
  const char* s =
      "Theoden/PROPN/2/nsubj attacked|attack/VERB/0/root Gondor/PROPN/2/obj ./PUNCT/2/punct";
  EXPECT_EQ(Code(Doc({s}, "2005-06-01")), (std::set<Triple>{{"ROHGOV", "GON", "190"}}));
  EXPECT_EQ(Code(Doc({s}, "2012-01-01")), (std::set<Triple>{{"ROHELI", "GON", "190"}}));
  EXPECT_EQ(Code(Doc({s}, "1990-01-01")), (std::set<Triple>{{"ROH", "GON", "190"}}));
  // A document without a date takes the options' default date.
  CoderOptions opt;
  opt.default_date = "20120101";
  EXPECT_EQ(Code(Doc({s}, ""), opt), (std::set<Triple>{{"ROHELI", "GON", "190"}}));
  opt.default_date = "yesterday";
  EXPECT_FALSE(Coder::Create(TestDictionary(), opt).ok());
}

TEST(Coder, ReportedSpeechCodesTheReportedEvent) {
  // "Rohan said Arnor attacked Gondor": ARN->GON, not ROH->anything.
  EXPECT_EQ(Code1("Rohan/PROPN/2/nsubj said|say/VERB/0/root Arnor/PROPN/4/nsubj "
                  "attacked|attack/VERB/2/ccomp Gondor/PROPN/4/obj ./PUNCT/2/punct"),
            (std::set<Triple>{{"ARN", "GON", "190"}}));
  // With something to say about an actor and no event below, the saying is the event.
  EXPECT_EQ(Code1("Rohan/PROPN/2/nsubj said|say/VERB/0/root Gondor/PROPN/5/nsubj "
                  "was|be/AUX/5/cop right/ADJ/2/ccomp ./PUNCT/2/punct"),
            (std::set<Triple>{{"ROH", "GON", "010"}}));
}

TEST(Coder, VerbChains) {
  // "Arnor promised to help Gondor": intent (030) over aid (070) -> 033, one event.
  EXPECT_EQ(Code1("Arnor/PROPN/2/nsubj promised|promise/VERB/0/root to/PART/4/mark "
                  "help/VERB/2/xcomp Gondor/PROPN/4/obj ./PUNCT/2/punct"),
            (std::set<Triple>{{"ARN", "GON", "033"}}));
  // "Arnor ordered Rohan to attack Gondor": ORDER has no code of its own, so the lower verb
  // stands, with the object of ORDER as its subject.
  EXPECT_EQ(Code1("Arnor/PROPN/2/nsubj ordered|order/VERB/0/root Rohan/PROPN/2/obj to/PART/5/mark "
                  "attack/VERB/2/xcomp Gondor/PROPN/5/obj ./PUNCT/2/punct"),
            (std::set<Triple>{{"ROH", "GON", "190"}}));
  // Coordinated verbs share their subject: "Arnor met Rohan and attacked Gondor".
  EXPECT_EQ(
      Code1("Arnor/PROPN/2/nsubj met|meet/VERB/0/root Rohan/PROPN/2/obj and/CCONJ/5/cc "
            "attacked|attack/VERB/2/conj Gondor/PROPN/5/obj ./PUNCT/2/punct"),
      (std::set<Triple>{{"ARN", "ROH", "036"}, {"ROH", "ARN", "036"}, {"ARN", "GON", "190"}}));
}

TEST(Coder, TransformationsRewriteTheGoverningVerb) {
  dict::DictionaryBuilder b;
  b.Add(dict::DictKind::kVerbs, std::string(kVerbs) + "~ a (b . ATTACK) SAY = a b 112\n",
        "test.verbs.txt");
  b.Add(dict::DictKind::kActors, kActors, "test.actors.txt");
  auto d = b.Build();
  ASSERT_EQ(b.report().errors(), 0u) << b.report().Summary();
  auto coder = Coder::Create(d);
  ASSERT_TRUE(coder.ok());
  // "Rohan said Arnor attacked Gondor": the attack stands, and Rohan accuses Arnor.
  std::set<Triple> got;
  for (const auto& e : coder->Code(Doc({"Rohan/PROPN/2/nsubj said|say/VERB/0/root "
                                        "Arnor/PROPN/4/nsubj attacked|attack/VERB/2/ccomp "
                                        "Gondor/PROPN/4/obj ./PUNCT/2/punct"})))
    got.emplace(e.source, e.target, e.code);
  EXPECT_EQ(got, (std::set<Triple>{{"ARN", "GON", "190"}, {"ROH", "ARN", "112"}}));
}

TEST(Coder, PronounsResolveToActors) {
  // "Arnor said it would attack Gondor."
  EXPECT_EQ(Code1("Arnor/PROPN/2/nsubj said|say/VERB/0/root it/PRON/5/nsubj would/AUX/5/aux "
                  "attack/VERB/2/ccomp Gondor/PROPN/5/obj ./PUNCT/2/punct"),
            (std::set<Triple>{{"ARN", "GON", "190"}}));
  // Across sentences: "Gondor protested. It attacked Rohan."
  Document doc =
      Doc({"Gondor/PROPN/2/nsubj protested|protest/VERB/0/root ./PUNCT/2/punct",
           "It/PRON/2/nsubj attacked|attack/VERB/0/root Rohan/PROPN/2/obj ./PUNCT/2/punct"});
  std::vector<Event> ev;
  EXPECT_EQ(Code(doc, {}, &ev), (std::set<Triple>{{"GON", "ROH", "190"}}));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].sentence, 1u);
  EXPECT_EQ(ev[0].source_text, "It");
}

TEST(Coder, NullAndDiscards) {
  // DISCUSS [---]: recognised, no event.
  EXPECT_EQ(
      Code1("Arnor/PROPN/2/nsubj discussed|discuss/VERB/0/root Gondor/PROPN/2/obj ./PUNCT/2/punct"),
      (std::set<Triple>{}));
  // A sentence discard drops the sentence; a story discard the whole document.
  const char* coded =
      "Arnor/PROPN/2/nsubj attacked|attack/VERB/0/root Gondor/PROPN/2/obj ./PUNCT/2/punct";
  EXPECT_EQ(Code(Doc({coded,
                      "Football/NOUN/2/nsubj attacked|attack/VERB/0/root Gondor/PROPN/2/obj "
                      "./PUNCT/2/punct"})),
            (std::set<Triple>{{"ARN", "GON", "190"}}));
  EXPECT_EQ(
      Code(Doc({coded, "A/DET/2/det hurricane/NOUN/3/nsubj hit/VERB/0/root ./PUNCT/3/punct"})),
      (std::set<Triple>{}));
}

TEST(Coder, IssuesAttachToEvents) {
  dict::DictionaryBuilder b;
  b.Add(dict::DictKind::kVerbs, kVerbs, "test.verbs.txt");
  b.Add(dict::DictKind::kActors, kActors, "test.actors.txt");
  b.Add(dict::DictKind::kIssues,
        "<ISSUE CATEGORY=\"WAR\" TYPE=\"ALL\">\nn:rocket [WEAPONS]\n~rocket science\n</ISSUE>\n",
        "test.issues.txt");
  auto d = b.Build();
  ASSERT_EQ(b.report().errors(), 0u) << b.report().Summary();
  auto coder = Coder::Create(d);
  ASSERT_TRUE(coder.ok());
  auto ev =
      coder->Code(Doc({"Arnor/PROPN/2/nsubj attacked|attack/VERB/0/root Gondor/PROPN/2/obj "
                       "with/ADP/5/case rockets|rocket/NOUN/2/obl ./PUNCT/2/punct"}));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].issues, (std::vector<std::string>{"WEAPONS"}));
  // An ignore phrase ("~rocket science") cancels the sentence's issues.
  ev = coder->Code(
      Doc({"Arnor/PROPN/2/nsubj attacked|attack/VERB/0/root Gondor/PROPN/2/obj "
           "over/ADP/6/case rocket/NOUN/6/compound science/NOUN/2/obl ./PUNCT/2/punct"}));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_TRUE(ev[0].issues.empty());
}

TEST(Coder, RequireDyadOption) {
  const char* s = "Arnor/PROPN/2/nsubj attacked|attack/VERB/0/root ./PUNCT/2/punct";
  EXPECT_EQ(Code1(s), (std::set<Triple>{}));
  CoderOptions opt;
  opt.require_dyad = false;
  EXPECT_EQ(Code1(s, opt), (std::set<Triple>{{"ARN", "", "190"}}));
}

TEST(Coder, TraceExplainsTheDecision) {
  auto coder = Coder::Create(TestDictionary());
  ASSERT_TRUE(coder.ok());
  std::vector<SentenceTrace> trace;
  coder->Code(Doc({"Arnor/PROPN/4/nsubj did|do/AUX/4/aux not/PART/4/advmod attack/VERB/0/root "
                   "Gondor/PROPN/4/obj ./PUNCT/4/punct"}),
              &trace);
  ASSERT_EQ(trace.size(), 1u);
  const std::string& t = trace[0].text;
  EXPECT_NE(t.find("ARNOR_ [ARN] test.actors.txt:1"), std::string::npos) << t;
  EXPECT_NE(t.find("test.verbs.txt:6"), std::string::npos) << t;
  EXPECT_NE(t.find("negated"), std::string::npos) << t;
  EXPECT_NE(t.find("events: none"), std::string::npos) << t;
}

TEST(Coder, ToleratesUnparsedAndTokenlessInput) {
  Document doc = Doc({"Arnor/PROPN/0/_ attacked|attack/VERB/0/_ Gondor/PROPN/0/_"});
  for (auto& w : doc.sentences[0].words) w.head = -1;  // tagged, not parsed
  EXPECT_NO_FATAL_FAILURE(Code(doc));
  doc.sentences[0].tokens.clear();  // words without tokens: no spans, no crash
  EXPECT_NO_FATAL_FAILURE(Code(doc));
  EXPECT_TRUE(Code(Document{}).empty());
  Coder moved_from;
  EXPECT_TRUE(moved_from.Code(doc).empty());
}

TEST(Coder, CodingIsCheap) {
  // Not a benchmark (see bench/): a guard against per-sentence work growing with the
  // dictionary. 2,000 sentences must code well within a second even in a debug build.
  Document doc;
  std::vector<std::string> specs(
      2000,
      "Arnor/PROPN/4/nsubj and/CCONJ/3/cc Rohan/PROPN/1/conj accused|accuse/VERB/0/root "
      "Gondor/PROPN/4/obj of/ADP/7/case aggression/NOUN/4/obl ./PUNCT/4/punct");
  doc = Doc(specs);
  auto coder = Coder::Create(TestDictionary());
  ASSERT_TRUE(coder.ok());
  auto t0 = std::chrono::steady_clock::now();
  auto ev = coder->Code(doc);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(ev.size(), 4000u);
  EXPECT_LT(secs, 2.0);
}

}  // namespace
}  // namespace dyad::coder
