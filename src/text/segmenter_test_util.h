// Test helpers shared by the text layer's tests: invariants every segmentation must satisfy,
// and news cases every segmenter (rules only, or trained) must get right.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "dyad/text.h"
#include "text/unicode.h"

namespace dyad::text::testing {

inline std::vector<Sentence> Seg(const Segmenter& s, std::string_view text,
                                 const SegmenterOptions& opts = {}) {
  std::vector<Sentence> out;
  s.Segment(text, &out, opts);
  return out;
}

// The sentences' texts.
inline std::vector<std::string> Texts(const std::vector<Sentence>& ss) {
  std::vector<std::string> out;
  for (const auto& s : ss) out.push_back(s.text);
  return out;
}

// All token forms of all sentences, separated by spaces; multiword tokens as {word|word}.
inline std::string Forms(const std::vector<Sentence>& ss) {
  std::string out;
  for (const auto& s : ss)
    for (const auto& t : s.tokens) {
      if (!out.empty()) out += ' ';
      out += t.form;
      if (t.last_word > t.first_word) {
        out += '{';
        for (uint32_t w = t.first_word; w <= t.last_word; ++w)
          out += (w > t.first_word ? "|" : "") + s.words[w].form;
        out += '}';
      }
    }
  return out;
}

// What every segmentation of `text` must satisfy, whatever the input.
inline void ExpectInvariants(std::string_view text, const std::vector<Sentence>& ss,
                             size_t max_tokens = 250) {
  uint32_t prev_end = 0;
  for (const auto& s : ss) {
    ASSERT_FALSE(s.tokens.empty());
    ASSERT_LE(s.tokens.size(), max_tokens);
    ASSERT_EQ(s.span.begin, s.tokens.front().span.begin);
    ASSERT_EQ(s.span.end, s.tokens.back().span.end);
    ASSERT_EQ(s.text, text.substr(s.span.begin, s.span.end - s.span.begin));
    size_t next_word = 0;
    for (size_t k = 0; k < s.tokens.size(); ++k) {
      const Token& t = s.tokens[k];
      ASSERT_LE(prev_end, t.span.begin) << "tokens overlap or are out of order";
      ASSERT_LT(t.span.begin, t.span.end);
      ASSERT_LE(t.span.end, text.size());
      prev_end = t.span.end;
      ASSERT_FALSE(t.form.empty());
      size_t repaired = 0;
      RepairUtf8(t.form, &repaired);
      ASSERT_EQ(repaired, 0u) << "token form is not valid UTF-8";
      // No white space inside a token; the span starts and ends on code point boundaries.
      std::string_view raw = text.substr(t.span.begin, t.span.end - t.span.begin);
      for (size_t i = 0; i < raw.size();) {
        Decoded d = DecodeAt(raw, i);
        ASSERT_NE(ClassOf(d.cp), CharClass::kSpace) << "white space inside token '" << raw << "'";
        i += d.len;
      }
      ASSERT_TRUE(t.span.begin == 0 ||
                  (static_cast<unsigned char>(text[t.span.begin]) & 0xC0) != 0x80);
      ASSERT_EQ(t.first_word, next_word);
      ASSERT_LE(t.first_word, t.last_word);
      ASSERT_LT(t.last_word, s.words.size());
      for (uint32_t w = t.first_word; w <= t.last_word; ++w) {
        ASSERT_EQ(s.words[w].token, k);
        ASSERT_FALSE(s.words[w].form.empty());
      }
      next_word = t.last_word + 1;
    }
    ASSERT_EQ(next_word, s.words.size());
  }
}

// News cases: abbreviations, initials, numbers, quotations, headlines, datelines, clitics.
// All sentences are invented (Arnor and Gondor are fictional kingdoms).
inline void ExpectNewsCases(const Segmenter& seg) {
  using V = std::vector<std::string>;
  {
    const std::string t =
        "Mrs. Eowyn met Gen. Faramir in Minas Tirith on Jan. 5. They spoke for an hour.";
    auto ss = Seg(seg, t);
    ExpectInvariants(t, ss);
    EXPECT_EQ(Texts(ss), (V{"Mrs. Eowyn met Gen. Faramir in Minas Tirith on Jan. 5.",
                            "They spoke for an hour."}));
    EXPECT_EQ(Forms(ss),
              "Mrs. Eowyn met Gen. Faramir in Minas Tirith on Jan. 5 . They spoke for an hour .");
  }
  {
    const std::string t =
        "The U.S. envoy flew to Arnor. J. R. R. Tolkien never did. Mr. Aragorn agreed.";
    auto ss = Seg(seg, t);
    EXPECT_EQ(Texts(ss), (V{"The U.S. envoy flew to Arnor.", "J. R. R. Tolkien never did.",
                            "Mr. Aragorn agreed."}));
  }
  {
    const std::string t =
        "Gondor paid 3.5 million crowns, or 1,000 per soldier, at 10:30 on Monday.";
    auto ss = Seg(seg, t);
    EXPECT_EQ(Forms(ss),
              "Gondor paid 3.5 million crowns , or 1,000 per soldier , at 10:30 on Monday .");
  }
  {
    const std::string t =
        "\"We will never surrender,\" the steward said. \"Arnor will fall.\" Then he left.";
    auto ss = Seg(seg, t);
    EXPECT_EQ(Texts(ss), (V{"\"We will never surrender,\" the steward said.",
                            "\"Arnor will fall.\"", "Then he left."}));
  }
  {
    // Curly quotes: the sentence ends inside the closing quote; forms are straightened, spans
    // keep the original bytes.
    const std::string t =
        "He said: \xE2\x80\x9C"
        "Arnor will fall.\xE2\x80\x9D The council agreed.";
    auto ss = Seg(seg, t);
    ExpectInvariants(t, ss);
    ASSERT_EQ(ss.size(), 2u);
    EXPECT_EQ(ss[0].text,
              "He said: \xE2\x80\x9C"
              "Arnor will fall.\xE2\x80\x9D");
    EXPECT_EQ(Forms(ss), "He said : \" Arnor will fall . \" The council agreed .");
    const Token& q = ss[0].tokens.back();
    EXPECT_EQ(t.substr(q.span.begin, q.span.end - q.span.begin), "\xE2\x80\x9D");
  }
  {
    // A headline, then a dateline: the dateline is a sentence of its own and does not take
    // the subject of the sentence it introduces.
    const std::string t =
        "Arnor and Gondor sign treaty\n\nMINAS TIRITH, May 2 (Gondor Herald) - The two "
        "kingdoms signed a peace treaty on Monday.";
    auto ss = Seg(seg, t);
    ExpectInvariants(t, ss);
    EXPECT_EQ(Texts(ss), (V{"Arnor and Gondor sign treaty", "MINAS TIRITH, May 2 (Gondor Herald) -",
                            "The two kingdoms signed a peace treaty on Monday."}));
    ASSERT_EQ(ss.size(), 3u);
    EXPECT_TRUE(ss[1].new_paragraph);
    EXPECT_FALSE(ss[2].new_paragraph);
  }
  {
    const std::string t = "OSGILIATH \xE2\x80\x93 Troops from Arnor crossed the river on Tuesday.";
    auto ss = Seg(seg, t);
    EXPECT_EQ(Texts(ss),
              (V{"OSGILIATH \xE2\x80\x93", "Troops from Arnor crossed the river on Tuesday."}));
    EXPECT_EQ(Forms(ss), "OSGILIATH - Troops from Arnor crossed the river on Tuesday .");
  }
  {
    // A title line without punctuation above its text.
    const std::string t =
        "Gondor votes for a new steward\nThe people of Gondor voted on Sunday for a new steward, "
        "the council said in a statement issued late in the evening.";
    auto ss = Seg(seg, t);
    ASSERT_EQ(ss.size(), 2u);
    EXPECT_EQ(ss[0].text, "Gondor votes for a new steward");
  }
  {
    // Hard-wrapped text: line breaks inside a sentence are spaces.
    const std::string t =
        "The council of Gondor said on Monday that the army of\nArnor would leave Osgiliath "
        "before the winter, and that\nthe city would be rebuilt by the spring of next year.\n";
    auto ss = Seg(seg, t);
    ASSERT_EQ(ss.size(), 1u);
  }
  {
    // A blank line always ends a sentence.
    auto ss = Seg(seg, "Arnor said that\n\nthe war is over");
    EXPECT_EQ(Texts(ss), (V{"Arnor said that", "the war is over"}));
    ASSERT_EQ(ss.size(), 2u);
    EXPECT_TRUE(ss[0].new_paragraph);
    EXPECT_TRUE(ss[1].new_paragraph);
  }
  {
    const std::string t = "Gondor\xE2\x80\x99s king didn't come, and Arnor cannot wait.";
    auto ss = Seg(seg, t);
    ExpectInvariants(t, ss);
    EXPECT_EQ(Forms(ss),
              "Gondor's{Gondor|'s} king didn't{did|n't} come , and Arnor cannot{can|not} wait .");
    EXPECT_EQ(ss[0].tokens[0].span.end, 10u);  // "Gondor’s": the curly apostrophe is 3 bytes
  }
  {
    auto ss = Seg(seg, "A long-term co-operation with the e-mail service of Arnor.");
    EXPECT_EQ(Forms(ss), "A long - term co-operation with the e-mail service of Arnor .");
  }
  {
    auto ss = Seg(seg, "See http://arnor.example.org/news.html, or write to king@gondor.example.");
    EXPECT_EQ(Forms(ss),
              "See http://arnor.example.org/news.html , or write to king@gondor.example .");
  }
  {
    auto ss = Seg(seg, "Gondor won!!! Arnor lost... (Sad news.)");
    EXPECT_EQ(Forms(ss), "Gondor won !!! Arnor lost ... ( Sad news . )");
    EXPECT_EQ(Texts(ss).front(), "Gondor won!!!");
  }
}

}  // namespace dyad::text::testing
