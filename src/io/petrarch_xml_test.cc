#include "dyad/petrarch_xml.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <random>

namespace dyad {
namespace {

// A validation file of our own, with every construct the reader must handle. Line numbers
// matter: the tests below check them.
constexpr const char* kValidation = R"(<?xml version="1.0" encoding="UTF-8"?>
<Validation>
<!-- a comment before the environment -->
<Environment>
    <Verbfile>Test.verbs.txt</Verbfile>
    <Actorfile>Test.actors.txt, More.actors.txt</Actorfile>
    <Agentfile>Test.agents.txt</Agentfile>
    <Discardfile>Test.discards.txt</Discardfile>
    <Include>valid ALPHA</Include>
    <Config option="stop_on_error" value="True"></Config>
</Environment>
<Sentences>
<!-- <Sentence id="COMMENTED-OUT"> is not a record -->
<Sentence date="20010203" id="ALPHA-01" category="ALPHA" sentence="true">
<!-- comments inside a record -->
<EventCoding sourcecode="RHV" targetcode="TLV" eventcode="042"></EventCoding>
<EventCoding sourcecode='"THE GUILD"' targetcode="TLV" eventcode="043"/>
<Text>
The riverfolk of Rhovanion met envoys of
   Tolvar &amp; friends on Monday.
</Text>
<Parse>(ROOT (S (NP (NNP Ignored)) (VP (VBD parse))))</Parse>
</Sentence>
<Config option="require_dyad" value="false"></Config>
<Config option="new_actor_length" value="4"/>
<Sentence date = "2001-02-04" id ="ALPHA-02" category="ALPHA" sentence="True">
<EventCoding noevents = "True"> </EventCoding>
<Text>Nothing happened.</Text>
</Sentence>
<Sentence date="20010205" id="BETA-01" category="BETA" sentence="true">
<EventCoding error="storydiscard"></EventCoding>
<Text>A ball game was played.</Text>
</Sentence>
<Stop></Stop>
<Sentence date="20010206" id="AFTER-STOP" category="BETA" sentence="true">
<Text>Never read.</Text>
</Sentence>
</Sentences>
</Validation>
)";

TEST(PetrarchXml, ReadsValidationRecordsEnvironmentAndConfig) {
  auto f = ReadPetrarchXml(kValidation, "v.xml");
  ASSERT_TRUE(f.ok()) << f.status().message();
  const PetrarchEnvironment& env = f->environment;
  EXPECT_TRUE(env.present);
  EXPECT_EQ(env.line, 4u);
  EXPECT_EQ(env.verbs, "Test.verbs.txt");
  EXPECT_EQ(env.actors, (std::vector<std::string>{"Test.actors.txt", "More.actors.txt"}));
  EXPECT_EQ(env.agents, "Test.agents.txt");
  EXPECT_EQ(env.discards, "Test.discards.txt");
  EXPECT_EQ(env.issues, "");
  ASSERT_EQ(env.options.size(), 1u);
  EXPECT_EQ(env.options[0].name, "stop_on_error");
  EXPECT_EQ(env.options[0].value, "True");
  ASSERT_EQ(env.other.size(), 1u);
  EXPECT_EQ(env.other[0].first, "Include");
  EXPECT_EQ(env.other[0].second, "valid ALPHA");

  EXPECT_TRUE(f->stopped);
  ASSERT_EQ(f->records.size(), 3u);
  const PetrarchRecord& a = f->records[0];
  EXPECT_EQ(a.kind, PetrarchRecord::Kind::kSentence);
  EXPECT_EQ(a.id, "ALPHA-01");
  EXPECT_EQ(a.line, 14u);
  EXPECT_EQ(a.text_line, 18u);
  EXPECT_EQ(a.date, "2001-02-03");
  EXPECT_EQ(a.raw_date, "20010203");
  EXPECT_EQ(a.category, "ALPHA");
  EXPECT_EQ(a.text, "The riverfolk of Rhovanion met envoys of Tolvar & friends on Monday.");
  EXPECT_TRUE(a.has_coding);
  EXPECT_FALSE(a.noevents);
  ASSERT_EQ(a.expected.size(), 2u);
  EXPECT_EQ(a.expected[0].source, "RHV");
  EXPECT_EQ(a.expected[0].target, "TLV");
  EXPECT_EQ(a.expected[0].code, "042");
  EXPECT_EQ(a.expected[0].line, 16u);
  EXPECT_EQ(a.expected[1].source, "\"THE GUILD\"");
  EXPECT_TRUE(a.config.empty());
  EXPECT_TRUE(a.problem.empty()) << a.problem;
  ASSERT_EQ(a.attributes.size(), 4u);
  EXPECT_EQ(a.attributes[3].first, "sentence");

  const PetrarchRecord& b = f->records[1];
  EXPECT_EQ(b.id, "ALPHA-02");
  EXPECT_EQ(b.date, "2001-02-04");
  EXPECT_TRUE(b.noevents);
  EXPECT_TRUE(b.expected.empty());
  ASSERT_EQ(b.config.size(), 2u);  // the two <Config> before it, in order
  EXPECT_EQ(b.config[0].name, "require_dyad");
  EXPECT_EQ(b.config[0].value, "false");
  EXPECT_EQ(b.config[0].line, 24u);
  EXPECT_EQ(b.config[1].name, "new_actor_length");
  EXPECT_EQ(b.config[1].value, "4");

  const PetrarchRecord& c = f->records[2];
  EXPECT_EQ(c.expected_error, "storydiscard");
  EXPECT_TRUE(c.config.empty());  // config applies once, to the records that follow it
}

TEST(PetrarchXml, StreamsTheSameRecordsInTinyChunks) {
  PetrarchXmlLimits limits;
  limits.chunk_bytes = 7;
  auto reader = PetrarchXmlReader::FromString(kValidation, "v.xml", limits);
  std::vector<std::string> ids;
  while (true) {
    auto r = reader->Next();
    ASSERT_TRUE(r.ok()) << r.status().message();
    if (!*r) break;
    ids.push_back((*r)->id);
    EXPECT_FALSE((*r)->text.empty());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"ALPHA-01", "ALPHA-02", "BETA-01"}));
  EXPECT_TRUE(reader->stopped());
  EXPECT_EQ(reader->stop_line(), 34u);
  EXPECT_EQ(reader->environment().verbs, "Test.verbs.txt");
  // Still the end afterwards.
  auto again = reader->Next();
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
}

TEST(PetrarchXml, ReadsPetrarchAndUniversalPetrarchInput) {
  auto s = ReadPetrarchXml(R"(<Sentences>
<Sentence date="20150312" id="WIRE-001-1" source="wire" sentence="True">
<Text>
Elvenking Thranduil
welcomed the dwarves.
</Text>
</Sentence>
</Sentences>)",
                           "in.xml");
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->records.size(), 1u);
  EXPECT_FALSE(s->environment.present);
  EXPECT_EQ(s->records[0].source, "wire");
  EXPECT_EQ(s->records[0].text, "Elvenking Thranduil welcomed the dwarves.");
  EXPECT_FALSE(s->records[0].has_coding);

  auto a = ReadPetrarchXml(R"(<Articles>
<Article date="20150313" id="WIRE-002" source="wire">
<Text>
First paragraph here.

Second paragraph.
</Text>
</Article>
</Articles>)",
                           "in.xml");
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_EQ(a->records.size(), 1u);
  EXPECT_EQ(a->records[0].kind, PetrarchRecord::Kind::kArticle);
  EXPECT_EQ(a->records[0].id, "WIRE-002");
  EXPECT_EQ(a->records[0].date, "2015-03-13");
  // An article keeps its paragraphs.
  EXPECT_EQ(a->records[0].text, "First paragraph here.\n\nSecond paragraph.");
}

TEST(PetrarchXml, RecordsThatCannotBeCodedSayWhy) {
  auto f = ReadPetrarchXml(R"(<Sentences>
<Sentence id="NO-TEXT" date="20010101"><Parse>(ROOT)</Parse></Sentence>
<Sentence id="EMPTY" date="20010101"><Text>  </Text></Sentence>
<Sentence id="BAD-DATE" date="2001013"><Text>Words.</Text></Sentence>
<Sentence id="FEB-30" date="20010230"><Text>Words.</Text></Sentence>
<Sentence id="NO-CODE" date="20010101"><EventCoding sourcecode="A" targetcode="B"/>
<Text>Words.</Text></Sentence>
<Sentence id="NO-DATE"><Text>Words.</Text></Sentence>
</Sentences>)",
                           "p.xml");
  ASSERT_TRUE(f.ok()) << f.status().message();
  ASSERT_EQ(f->records.size(), 6u);
  EXPECT_EQ(f->records[0].problem, "no <Text> element");
  EXPECT_EQ(f->records[1].problem, "empty <Text>");
  EXPECT_NE(f->records[2].problem.find("date '2001013'"), std::string::npos);
  EXPECT_NE(f->records[3].problem.find("20010230"), std::string::npos);
  EXPECT_NE(f->records[4].problem.find("on line 6 has no eventcode"), std::string::npos)
      << f->records[4].problem;
  EXPECT_EQ(f->records[5].problem, "");  // a missing date is the caller's to fill in
  EXPECT_EQ(f->records[5].date, "");
}

TEST(PetrarchXml, MalformedXmlNamesFileAndLine) {
  auto f =
      ReadPetrarchXml("<Sentences>\n<Sentence id=\"A\">\n<Text>x</Txet>\n</Sentence>\n", "bad.xml");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("bad.xml:3:"), std::string::npos) << f.status().message();
  EXPECT_NE(f.status().message().find("mismatched tag"), std::string::npos);

  auto amp = ReadPetrarchXml(
      "<Sentences>\n\n<Sentence id=\"A\"><Text>AT&T</Text></Sentence>"
      "</Sentences>",
      "amp.xml");
  ASSERT_FALSE(amp.ok());
  EXPECT_NE(amp.status().message().find("amp.xml:3:"), std::string::npos) << amp.status().message();

  auto truncated = ReadPetrarchXml("<Sentences><Sentence id=\"A\"><Text>x", "t.xml");
  EXPECT_FALSE(truncated.ok());
}

TEST(PetrarchXml, RecordsBeforeAnErrorAreStillDelivered) {
  auto reader = PetrarchXmlReader::FromString(
      "<Sentences>\n<Sentence id=\"A\"><Text>One.</Text></Sentence>\n<Sentence id=\"B\">\n"
      "<Text>Two.</Text>\n</Sentence>\n<Sentence id=\"C\"><Text>x</Sentence>\n",
      "partial.xml");
  auto a = reader->Next();
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(*a);
  EXPECT_EQ((*a)->id, "A");
  auto b = reader->Next();
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(*b);
  EXPECT_EQ((*b)->id, "B");
  auto err = reader->Next();
  ASSERT_FALSE(err.ok());
  EXPECT_NE(err.status().message().find("partial.xml:6:"), std::string::npos)
      << err.status().message();
  auto end = reader->Next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(*end);
}

TEST(PetrarchXml, RefusesEntityExpansionBombs) {
  std::string bomb = R"(<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Sentences><Sentence id="A"><Text>&lol4;</Text></Sentence></Sentences>
)";
  auto f = ReadPetrarchXml(bomb, "bomb.xml");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("bomb.xml:2:"), std::string::npos) << f.status().message();
  EXPECT_NE(f.status().message().find("internal subset"), std::string::npos);
}

TEST(PetrarchXml, RefusesExternalAndUndefinedEntities) {
  auto ext = ReadPetrarchXml(R"(<?xml version="1.0"?>
<!DOCTYPE s SYSTEM "/etc/passwd">
<Sentences><Sentence id="A"><Text>&secret;</Text></Sentence></Sentences>)",
                             "ext.xml");
  ASSERT_FALSE(ext.ok());
  EXPECT_NE(ext.status().message().find("ext.xml:3:"), std::string::npos) << ext.status().message();
  EXPECT_NE(ext.status().message().find("secret"), std::string::npos);

  auto undefined = ReadPetrarchXml(
      "<Sentences><Sentence><Text>&nbsp;</Text></Sentence>"
      "</Sentences>",
      "u.xml");
  ASSERT_FALSE(undefined.ok());

  // The predefined entities and character references are fine.
  auto ok = ReadPetrarchXml(
      "<S><Sentence id=\"x\"><Text>&lt;a&gt; &quot;&apos; &#233;&#x41;"
      "</Text></Sentence></S>",
      "ok.xml");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->records[0].text,
            "<a> \"' \xc3\xa9"
            "A");
}

TEST(PetrarchXml, EnforcesSizeAndDepthLimits) {
  PetrarchXmlLimits limits;
  limits.max_text_bytes = 100;
  std::string big =
      "<S><Sentence id=\"x\"><Text>" + std::string(500, 'a') + "</Text></Sentence></S>";
  auto f = ReadPetrarchXml(big, "big.xml", limits);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("longer than 100 bytes"), std::string::npos);
  // Text we do not keep (the parse) is not limited by max_text_bytes.
  std::string parse = "<S><Sentence id=\"x\"><Text>ok</Text><Parse>" + std::string(500, 'a') +
                      "</Parse></Sentence></S>";
  EXPECT_TRUE(ReadPetrarchXml(parse, "parse.xml", limits).ok());

  limits = {};
  limits.max_depth = 10;
  std::string deep;
  for (int i = 0; i < 20; ++i) deep += "<a>";
  auto d = ReadPetrarchXml(deep, "deep.xml", limits);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("deeper than 10"), std::string::npos);

  limits = {};
  limits.max_token_bytes = 1000;
  limits.chunk_bytes = 256;
  std::string tag = "<S><Sentence id=\"" + std::string(5000, 'x') +
                    "\"><Text>t</Text>"
                    "</Sentence></S>";
  auto t = ReadPetrarchXml(tag, "tag.xml", limits);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("longer than 1000 bytes"), std::string::npos)
      << t.status().message();
}

TEST(PetrarchXml, OpensFilesAndReportsMissingOnes) {
  auto missing = PetrarchXmlReader::Open("/nonexistent/dir/file.xml");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/dir/file.xml"), std::string::npos);

  auto path = std::filesystem::temp_directory_path() / "dyad_petrarch_xml_test.xml";
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_TRUE(f);
  std::fputs(kValidation, f);
  std::fclose(f);
  auto r = PetrarchXmlReader::Open(path.string());
  ASSERT_TRUE(r.ok());
  auto first = (*r)->Next();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(*first);
  EXPECT_EQ((*first)->id, "ALPHA-01");
  EXPECT_EQ((*r)->environment().agents, "Test.agents.txt");
  std::filesystem::remove(path);
}

// A poor man's fuzzer: thousands of random corruptions of a valid file never crash the reader
// (run it under the asan preset), and every error names the origin.
TEST(PetrarchXml, SurvivesRandomCorruption) {
  std::mt19937_64 rng(20260302);
  const std::string base = kValidation;
  const char alphabet[] = "<>/&;\"'=! -?[]abcSentenceText\n\x00\xff\xc3";
  for (int round = 0; round < 3000; ++round) {
    std::string s = base;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) {
      size_t pos = rng() % s.size();
      switch (rng() % 3) {
        case 0:
          s[pos] = alphabet[rng() % (sizeof alphabet - 1)];
          break;
        case 1:
          s.erase(pos, 1 + rng() % 20);
          break;
        default:
          s.insert(pos, 1, alphabet[rng() % (sizeof alphabet - 1)]);
          break;
      }
      if (s.empty()) s = "<";
    }
    PetrarchXmlLimits limits;
    limits.chunk_bytes = 1 + rng() % 200;
    auto f = ReadPetrarchXml(s, "fuzz.xml", limits);
    if (!f.ok()) {
      EXPECT_EQ(f.status().message().rfind("fuzz.xml:", 0), 0u) << f.status().message();
    }
  }
}

TEST(PetrarchXml, DatesAndBooleans) {
  EXPECT_EQ(NormalizePetrarchDate("19950101"), "1995-01-01");
  EXPECT_EQ(NormalizePetrarchDate("2000-02-29"), "2000-02-29");
  EXPECT_EQ(NormalizePetrarchDate("19000229"), "");
  EXPECT_EQ(NormalizePetrarchDate("19951301"), "");
  EXPECT_EQ(NormalizePetrarchDate("1995-1-01"), "");
  EXPECT_EQ(NormalizePetrarchDate("1995010a"), "");
  EXPECT_EQ(NormalizePetrarchDate(""), "");
  EXPECT_TRUE(PetrarchTrue("True"));
  EXPECT_TRUE(PetrarchTrue(" TRUE "));
  EXPECT_TRUE(PetrarchTrue("true"));
  EXPECT_FALSE(PetrarchTrue("False"));
  EXPECT_FALSE(PetrarchTrue("FALSE"));
  EXPECT_FALSE(PetrarchTrue(""));
}

}  // namespace
}  // namespace dyad
