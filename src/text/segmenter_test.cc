#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "dyad/conllu.h"
#include "dyad/text.h"
#include "text/segmenter_test_util.h"
#include "util/binary.h"

namespace dyad::text {
namespace {

using testing::ExpectInvariants;
using testing::Forms;
using testing::Seg;
using testing::Texts;
using V = std::vector<std::string>;

const std::string kEnglish = std::string(DYAD_SOURCE_DIR) + "/data/lang/en";

const Segmenter& Rules() {
  static const Segmenter* s = [] {
    auto r = Segmenter::FromLanguageDir(kEnglish);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return new Segmenter(std::move(r).value());
  }();
  return *s;
}

// A tiny treebank, written here: "~" marks SpaceAfter=No, "a|b" a multiword token.
std::string TinyConllu(const std::vector<std::vector<std::string>>& sentences) {
  std::string out;
  int n = 0;
  for (const auto& s : sentences) {
    out += "# sent_id = t" + std::to_string(++n) + "\n";
    if (n % 3 == 1) out += "# newpar\n";
    int id = 0;
    for (const auto& tok : s) {
      std::string form = tok;
      bool glued = !form.empty() && form.back() == '~';
      if (glued) form.pop_back();
      const char* misc = glued ? "SpaceAfter=No" : "_";
      std::vector<std::string> words;
      size_t bar;
      std::string rest = form;
      while ((bar = rest.find('|')) != std::string::npos) {
        words.push_back(rest.substr(0, bar));
        rest = rest.substr(bar + 1);
      }
      words.push_back(rest);
      if (words.size() > 1) {
        std::string surface;
        for (const auto& w : words) surface += w;
        out += std::to_string(id + 1) + "-" + std::to_string(id + words.size()) + "\t" + surface +
               "\t_\t_\t_\t_\t_\t_\t_\t" + misc + "\n";
        for (const auto& w : words)
          out += std::to_string(++id) + "\t" + w + "\t_\t_\t_\t_\t_\t_\t_\t_\n";
      } else {
        out += std::to_string(++id) + "\t" + form + "\t_\t_\t_\t_\t_\t_\t_\t" + misc + "\n";
      }
    }
    out += "\n";
  }
  return out;
}

ConlluCorpus TinyEnglish() {
  std::vector<std::vector<std::string>> s = {
      {"Arnor|'s", "king", "wo|n't", "visit", "Gondor~", "."},
      {"The", "steward", "did|n't", "answer~", "."},
      {"Mr.", "Aragorn", "met", "Gen.", "Faramir", "on", "Jan.", "5~", "."},
      {"\"~", "We", "can|not", "wait~", ",~", "\"", "he", "said~", "."},
      {"Gondor", "paid", "3.5", "million", "crowns~", "."},
      {"It|'s", "over~", "!"},
      {"The", "U.S.", "envoy", "left", "Arnor", "on", "Monday~", "."},
      {"Is", "it", "true~", "?"},
      {"They", "do|n't", "know", "its", "name~", "."},
      {"Minas", "Tirith", "is", "far~", "."},
      {"The", "army", "of", "Gondor", "waited", "at", "the", "river~", "."},
      {"Nobody", "came~", "."},
  };
  std::vector<std::vector<std::string>> all;
  for (int r = 0; r < 4; ++r) all.insert(all.end(), s.begin(), s.end());
  auto c = ReadConllu(TinyConllu(all), "tiny.conllu");
  EXPECT_TRUE(c.ok()) << c.status().message();
  return std::move(c).value();
}

const Segmenter& Trained() {
  static const Segmenter* s = [] {
    ConlluCorpus train = TinyEnglish();
    auto r = Segmenter::Train(kEnglish, train, &train);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return new Segmenter(std::move(r).value());
  }();
  return *s;
}

std::string Bytes(const Segmenter& s) {
  BinaryWriter w;
  s.Serialize(&w);
  return w.Take();
}

TEST(Segmenter, RulesHandleNewsCases) { testing::ExpectNewsCases(Rules()); }

TEST(Segmenter, DefaultConstructedSegmenterIsSafe) {
  Segmenter s;
  const std::string t = "Arnor won. Gondor lost!\n\nThe end";
  auto ss = Seg(s, t);
  ExpectInvariants(t, ss);
  EXPECT_EQ(Texts(ss), (V{"Arnor won. Gondor lost!", "The end"}));
}

TEST(Segmenter, EmptyAndWhiteSpaceOnly) {
  for (const Segmenter* s : {&Rules(), &Trained()}) {
    EXPECT_TRUE(Seg(*s, "").empty());
    EXPECT_TRUE(Seg(*s, " \t\n\n \r\n\xC2\xA0\xE2\x80\x8B").empty());
  }
}

TEST(Segmenter, InvalidUtf8) {
  const std::string t = "Arnor \xFF\xFE attacked\xE2\x82 Gondor \xC0\xAF. \xED\xA0\x80 Then peace.";
  for (const Segmenter* s : {&Rules(), &Trained()}) {
    auto ss = Seg(*s, t);
    ExpectInvariants(t, ss);
    std::string forms = Forms(ss);
    EXPECT_NE(forms.find("attacked"), std::string::npos) << forms;
    EXPECT_NE(forms.find("\xEF\xBF\xBD"), std::string::npos) << forms;
  }
}

TEST(Segmenter, ControlCharactersAndNulBytesSeparateTokens) {
  static const char kRaw[] =
      "Arnor\x01"
      "attacked\x7FGondor.\0The\x1B[0m end.";
  const std::string t(kRaw, sizeof kRaw - 1);
  for (const Segmenter* s : {&Rules(), &Trained()}) {
    auto ss = Seg(*s, t);
    ExpectInvariants(t, ss);
    EXPECT_EQ(Forms(ss), "Arnor attacked Gondor . The [ 0m end .");
  }
}

TEST(Segmenter, CrLfLineEnds) {
  const std::string t = "Arnor attacked.\r\n\r\nGondor replied.\r\n";
  for (const Segmenter* s : {&Rules(), &Trained()}) {
    auto ss = Seg(*s, t);
    ExpectInvariants(t, ss);
    EXPECT_EQ(Texts(ss), (V{"Arnor attacked.", "Gondor replied."}));
    ASSERT_EQ(ss.size(), 2u);
    EXPECT_TRUE(ss[1].new_paragraph);
  }
}

TEST(Segmenter, RightToLeftScripts) {
  // Arabic and Hebrew (invented sentences), with a right-to-left mark and Arabic digits.
  const std::string arabic =
      "\xD9\x82\xD8\xA7\xD9\x84 \xD8\xA7\xD9\x84\xD9\x85\xD9\x84\xD9\x83 \xD9\xA1\xD9\xA2. "
      "\xD8\xA7\xD9\x86\xD8\xAA\xD9\x87\xD8\xAA \xD8\xA7\xD9\x84\xD8\xAD\xD8\xB1\xD8\xA8.";
  const std::string hebrew =
      "\xE2\x80\x8F\xD7\x94\xD7\x9E\xD7\x9C\xD7\x9A \xD7\x90\xD7\x9E\xD7\xA8, "
      "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D!";
  for (const Segmenter* s : {&Rules(), &Trained()}) {
    auto a = Seg(*s, arabic);
    ExpectInvariants(arabic, a);
    EXPECT_EQ(a.size(), 2u);
    auto h = Seg(*s, hebrew);
    ExpectInvariants(hebrew, h);
    ASSERT_EQ(h.size(), 1u);
    EXPECT_EQ(h[0].tokens.size(), 5u);  // [RLM]word word , word !
  }
}

TEST(Segmenter, Emoji) {
  // A zero-width-joiner sequence and a skin-tone modifier stay one token each.
  const std::string t =
      "Gondor won\xF0\x9F\x8E\x89 and Arnor lost \xF0\x9F\x98\xA2. "
      "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD";
  for (const Segmenter* s : {&Rules(), &Trained()}) {
    auto ss = Seg(*s, t);
    ExpectInvariants(t, ss);
    std::string forms = Forms(ss);
    EXPECT_NE(forms.find("won \xF0\x9F\x8E\x89 and"), std::string::npos) << forms;
    EXPECT_NE(forms.find(" \xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB "), std::string::npos)
        << forms;
    EXPECT_NE(forms.find(" \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD"), std::string::npos) << forms;
  }
}

TEST(Segmenter, MegabyteLineWithoutPunctuationIsCutFast) {
  std::string t;
  const char* words[] = {"arnor ", "Gondor ", "marched ", "north ", "and ", "The ", "river "};
  for (size_t i = 0; t.size() < (1u << 20); ++i) t += words[i % 7];
  for (const Segmenter* s : {&Rules(), &Trained()}) {
    SegmenterOptions opts;
    opts.max_sentence_tokens = 100;
    auto start = std::chrono::steady_clock::now();
    auto ss = Seg(*s, t, opts);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ExpectInvariants(t, ss, 100);
    size_t tokens = 0;
    for (const auto& x : ss) tokens += x.tokens.size();
    EXPECT_GT(ss.size(), tokens / 100 - 1);
    std::printf("1 MB line without punctuation: %zu tokens, %zu sentences, %.3f s\n", tokens,
                ss.size(), secs);
  }
}

TEST(Segmenter, MegabyteChunksWithoutSpaces) {
  const std::string letters(1u << 20, 'a');
  std::string marks;
  while (marks.size() < (1u << 20)) marks += "a.b,c!?-";
  for (const Segmenter* s : {&Rules(), &Trained()}) {
    auto a = Seg(*s, letters);
    ExpectInvariants(letters, a);
    for (const auto& x : a)
      for (const auto& tok : x.tokens) EXPECT_LE(tok.span.end - tok.span.begin, 1024u);
    auto b = Seg(*s, marks);
    ExpectInvariants(marks, b);
  }
}

TEST(Segmenter, RandomInputKeepsInvariants) {
  // Random strings of pieces chosen to meet every code path: punctuation, quotes, abbreviations,
  // URLs, invalid and truncated UTF-8, combining marks, joiners, NUL, line breaks.
  static const char* const kPieces[] = {"a",
                                        "B",
                                        "7",
                                        ".",
                                        "!",
                                        "?",
                                        ",",
                                        "\"",
                                        "'",
                                        "\xE2\x80\x99",
                                        "\xE2\x80\x9C",
                                        "\xE2\x80\x9D",
                                        "-",
                                        "\xE2\x80\x94",
                                        "(",
                                        ")",
                                        " ",
                                        "\n",
                                        "\n\n",
                                        "\t",
                                        "\r\n",
                                        "\xFF",
                                        "\xE2\x82",
                                        "\xC3\xA9",
                                        "\xD8\xB9",
                                        "\xF0\x9F\x98\x80",
                                        "\xE2\x80\x8D",
                                        "\xCC\x81",
                                        "Mr.",
                                        "U.S.",
                                        "http://a.example/b",
                                        "@",
                                        ":)",
                                        "n't",
                                        "'s",
                                        "cannot",
                                        "The",
                                        "3.5",
                                        "1,000",
                                        "\xC2\xA0",
                                        "\xC2\xAD",
                                        "*",
                                        "--",
                                        "..."};
  constexpr size_t kCount = sizeof kPieces / sizeof kPieces[0];
  std::mt19937_64 rng(7);
  for (int round = 0; round < 400; ++round) {
    std::string t;
    const size_t pieces = rng() % 120;
    for (size_t k = 0; k < pieces; ++k) {
      const size_t i = rng() % (kCount + 1);
      if (i == kCount)
        t.push_back('\0');
      else
        t += kPieces[i];
    }
    SegmenterOptions opts;
    opts.max_sentence_tokens = round % 3 == 0 ? 1 + static_cast<int>(rng() % 8) : 250;
    opts.max_token_bytes = round % 5 == 0 ? 4 : 1024;
    opts.split_unpunctuated = round % 2 == 0;
    for (const Segmenter* s : {&Rules(), &Trained()}) {
      auto ss = Seg(*s, t, opts);
      ExpectInvariants(t, ss, static_cast<size_t>(opts.max_sentence_tokens));
      if (::testing::Test::HasFatalFailure()) {
        ADD_FAILURE() << "round " << round;
        return;
      }
    }
  }
}

TEST(Segmenter, TokenSpansPointIntoTheOriginalText) {
  const std::string t =
      "\xE2\x80\x9CGondor\xE2\x80\x99s\xC2\xA0king\xE2\x80\x9D \xE2\x80\x94 tired.";
  auto ss = Seg(Rules(), t);
  ExpectInvariants(t, ss);
  ASSERT_EQ(ss.size(), 1u);
  EXPECT_EQ(Forms(ss), "\" Gondor's{Gondor|'s} king \" -- tired .");
  const auto& toks = ss[0].tokens;
  EXPECT_EQ(t.substr(toks[1].span.begin, toks[1].span.end - toks[1].span.begin),
            "Gondor\xE2\x80\x99s");
  EXPECT_FALSE(toks[0].space_after);
  EXPECT_TRUE(toks[1].space_after);  // NBSP is white space
  EXPECT_FALSE(toks[2].space_after);
}

TEST(Segmenter, SentenceLimit) {
  std::string t;
  for (int i = 0; i < 30; ++i) t += "Arnor marched north, and Gondor marched south. ";
  for (const Segmenter* s : {&Rules(), &Trained()}) {
    SegmenterOptions opts;
    opts.max_sentence_tokens = 6;
    auto ss = Seg(*s, t, opts);
    ExpectInvariants(t, ss, 6);
    // Never before a comma or a period.
    for (const auto& x : ss) EXPECT_NE(x.tokens[0].form[0], ',');
    for (const auto& x : ss) EXPECT_NE(x.tokens[0].form[0], '.');
  }
}

TEST(Segmenter, TrainedOnATinyTreebank) {
  const Segmenter& s = Trained();
  EXPECT_NE(s.Summary().find("token model"), std::string::npos) << s.Summary();
  auto ss = Seg(s, "Arnor's steward won't come. They don't know. Gondor's army cannot wait.");
  EXPECT_EQ(Forms(ss),
            "Arnor's{Arnor|'s} steward won't{wo|n't} come . They don't{do|n't} know . "
            "Gondor's{Gondor|'s} army cannot{can|not} wait .");
  EXPECT_EQ(ss.size(), 3u);
  // "its" was a single word in the treebank: not expanded.
  EXPECT_EQ(Forms(Seg(s, "its name")), "its name");
}

TEST(Segmenter, TrainsOnAnyTreebankWithItsOwnMultiwordTokens) {
  // A made-up language whose multiword tokens do not spell their words ("du" = "de" + "le"),
  // with a language directory that has nothing but settings.
  const auto dir = std::filesystem::temp_directory_path() / "dyad_text_test_xx";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "settings.txt") << "sentence_final . !\nclosing \"\nopening \"\n";
  std::vector<std::vector<std::string>> s = {
      {"Il", "vient", "du|", "nord~", "."},
      {"Le", "roi", "parle~", "!"},
      {"Elle", "part", "du|", "sud~", "."},
  };
  // "du|" is a multiword token spelled "du" with words "de" "le": build it by hand.
  std::string conllu;
  int n = 0;
  for (int r = 0; r < 5; ++r)
    for (const auto& sent : s) {
      conllu += "# sent_id = x" + std::to_string(++n) + "\n";
      int id = 0;
      for (const auto& tok : sent) {
        if (tok == "du|") {
          conllu += std::to_string(id + 1) + "-" + std::to_string(id + 2) +
                    "\tdu\t_\t_\t_\t_\t_\t_\t_\t_\n";
          conllu += std::to_string(++id) + "\tde\t_\t_\t_\t_\t_\t_\t_\t_\n";
          conllu += std::to_string(++id) + "\tle\t_\t_\t_\t_\t_\t_\t_\t_\n";
          continue;
        }
        std::string form = tok;
        bool glued = form.back() == '~';
        if (glued) form.pop_back();
        conllu += std::to_string(++id) + "\t" + form + "\t_\t_\t_\t_\t_\t_\t_\t" +
                  (glued ? "SpaceAfter=No" : "_") + "\n";
      }
      conllu += "\n";
    }
  auto corpus = ReadConllu(conllu, "xx.conllu");
  ASSERT_TRUE(corpus.ok()) << corpus.status().message();
  auto seg = Segmenter::Train(dir.string(), corpus.value(), nullptr);
  ASSERT_TRUE(seg.ok()) << seg.status().message();
  auto ss = Seg(seg.value(), "Du nord vient le roi. Il part du sud!");
  EXPECT_EQ(Forms(ss), "Du{De|le} nord vient le roi . Il part du{de|le} sud !");
  EXPECT_EQ(ss.size(), 2u);
  std::filesystem::remove_all(dir);
}

TEST(Segmenter, SerialisationRoundTrip) {
  for (const Segmenter* s : {&Rules(), &Trained()}) {
    const std::string bytes = Bytes(*s);
    BinaryReader r(bytes, "tokenizer");
    auto back = Segmenter::Parse(&r);
    ASSERT_TRUE(back.ok()) << back.status().message();
    ASSERT_TRUE(r.Finish().ok());
    EXPECT_EQ(Bytes(back.value()), bytes);
    const std::string t = "Mr. Aragorn's men didn't wait. \"Go!\" he said. Gondor paid 3.5 crowns.";
    EXPECT_EQ(Forms(Seg(back.value(), t)), Forms(Seg(*s, t)));
    EXPECT_EQ(Texts(Seg(back.value(), t)), Texts(Seg(*s, t)));
  }
}

TEST(Segmenter, TruncatedOrCorruptedModelsAreErrorsNotCrashes) {
  const std::string bytes = Bytes(Trained());
  // Every truncation is an error.
  for (size_t len = 0; len < bytes.size(); len += 1 + len / 64) {
    BinaryReader r(std::string_view(bytes).substr(0, len), "tokenizer");
    auto s = Segmenter::Parse(&r);
    EXPECT_TRUE(!s.ok() || !r.Finish().ok()) << "truncated to " << len;
  }
  // Flipped bytes: an error, or a model that still segments safely.
  const std::string t = "Mr. Aragorn's men didn't wait. \"Go!\" he said.";
  for (size_t pos = 0; pos < bytes.size(); pos += 1 + pos / 16) {
    std::string bad = bytes;
    bad[pos] = static_cast<char>(bad[pos] ^ 0x5A);
    BinaryReader r(bad, "tokenizer");
    auto s = Segmenter::Parse(&r);
    if (s.ok() && r.Finish().ok()) ExpectInvariants(t, Seg(s.value(), t));
  }
  // A wrong magic or version says what it is.
  std::string bad = bytes;
  bad[4] = 9;
  BinaryReader r(bad, "tokenizer");
  auto s = Segmenter::Parse(&r);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("version"), std::string::npos) << s.status().message();
}

TEST(Segmenter, TrainingIsDeterministic) {
  ConlluCorpus train = TinyEnglish();
  auto a = Segmenter::Train(kEnglish, train, &train);
  auto b = Segmenter::Train(kEnglish, train, &train);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Bytes(a.value()), Bytes(b.value()));
}

TEST(Segmenter, ConcurrentSegmentationGivesTheSameResult) {
  const Segmenter& s = Trained();
  std::string t;
  for (int i = 0; i < 200; ++i)
    t += "Mr. Aragorn's men didn't wait for Gondor. They left at 10:30. ";
  const std::string expected = Forms(Seg(s, t));
  std::vector<std::thread> threads;
  std::vector<std::string> got(4);
  for (int k = 0; k < 4; ++k) threads.emplace_back([&, k] { got[k] = Forms(Seg(s, t)); });
  for (auto& th : threads) th.join();
  for (const auto& g : got) EXPECT_EQ(g, expected);
}

TEST(Segmenter, LanguageDirectoryErrors) {
  auto missing = Segmenter::FromLanguageDir("/nonexistent/lang/zz");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/lang/zz"), std::string::npos);

  const auto dir = std::filesystem::temp_directory_path() / "dyad_text_test_bad";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "settings.txt") << "sentence_final .\nsplit_hyphens maybe\n";
  auto bad = Segmenter::FromLanguageDir(dir.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("settings.txt:2"), std::string::npos)
      << bad.status().message();
  std::ofstream(dir / "settings.txt") << "sentence_final .\n";
  std::ofstream(dir / "multiword.txt") << "cannot\n";
  auto bad_mwt = Segmenter::FromLanguageDir(dir.string());
  ASSERT_FALSE(bad_mwt.ok());
  EXPECT_NE(bad_mwt.status().message().find("multiword.txt:1"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dyad::text
