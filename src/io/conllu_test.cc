#include "dyad/conllu.h"

#include <gtest/gtest.h>

namespace dyad {
namespace {

constexpr char kDoc[] =
    "# newdoc id = d1\n"
    "# sent_id = s1\n"
    "# text = I don't know.\n"
    "1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n"
    "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n"
    "2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n"
    "3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n"
    "4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n"
    "5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n"
    "\n"
    "# sent_id = s2\n"
    "1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t_\t_\n"
    "\n";

TEST(Conllu, ReadsMultiwordTokensAndRebuildsText) {
  auto r = ReadConllu(kDoc, "t.conllu");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto& c = r.value();
  ASSERT_EQ(c.sentences.size(), 2u);
  const Sentence& s = c.sentences[0];
  EXPECT_EQ(s.words.size(), 5u);
  EXPECT_EQ(s.tokens.size(), 4u);
  EXPECT_EQ(s.tokens[1].form, "don't");
  EXPECT_EQ(s.tokens[1].first_word, 1u);
  EXPECT_EQ(s.tokens[1].last_word, 2u);
  EXPECT_EQ(s.words[2].token, 1u);
  EXPECT_EQ(c.text, "I don't know. Yes");
  EXPECT_EQ(c.text.substr(s.tokens[2].span.begin, 4), "know");
  EXPECT_TRUE(s.new_document);
}

TEST(Conllu, WriteReadRoundTrip) {
  auto r = ReadConllu(kDoc, "t");
  ASSERT_TRUE(r.ok());
  std::string out;
  for (const auto& s : r.value().sentences) WriteConllu(s, &out);
  auto r2 = ReadConllu(out, "t2");
  ASSERT_TRUE(r2.ok()) << r2.status().message();
  ASSERT_EQ(r2.value().sentences.size(), 2u);
  EXPECT_EQ(r2.value().sentences[0].words[3].deprel, "root");
  EXPECT_EQ(r2.value().sentences[0].tokens[1].form, "don't");
}

TEST(Conllu, ErrorsNameFileAndLine) {
  auto r = ReadConllu("# text = x\n1\tx\tx\n", "bad.conllu");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bad.conllu:2"), std::string::npos)
      << r.status().message();
  auto r2 = ReadConllu("1\tx\tx\tX\tX\t_\t0\troot\t_\t_\n3\ty\ty\tX\tX\t_\t1\tdep\t_\t_\n", "b");
  EXPECT_FALSE(r2.ok());
  auto r3 = ReadConllu("1\tx\tx\tX\tX\t_\t9\troot\t_\t_\n", "b");
  EXPECT_FALSE(r3.ok());
}

}  // namespace
}  // namespace dyad
