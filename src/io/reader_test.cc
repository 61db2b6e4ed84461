#include "dyad/reader.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>

#include "io/reader_internal.h"

namespace dyad {
namespace {

namespace fs = std::filesystem;

class ReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dyad-reader-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& data) {
    fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << data;
    return p.string();
  }

  static std::vector<ReaderRecord> ReadAll(std::vector<std::string> paths,
                                           ReaderOptions opt = {}) {
    DocumentReader r(std::move(paths), std::move(opt));
    std::vector<ReaderRecord> out;
    while (auto rec = r.Next()) out.push_back(std::move(*rec));
    EXPECT_EQ(r.documents() + r.rejections(), out.size());
    return out;
  }

  fs::path dir_;
};

std::string Gzip(const std::string& s) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, s.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  z.avail_in = static_cast<uInt>(s.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string Zstd(const std::string& s) {
  std::string out(ZSTD_compressBound(s.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 3));
  return out;
}

TEST_F(ReaderTest, JsonlFieldsExtrasAndRejectionsWithLines) {
  std::string p = Write("a.jsonl",
                        "{\"id\":\"d1\",\"text\":\"Rebels attacked.\",\"date\":\"March 3, 2026\","
                        "\"title\":\"T\",\"source\":\"S\",\"url\":\"U\",\"lang\":\"en\","
                        "\"tags\":[1,\"x\"]}\n"
                        "\n"
                        "{\"id\":\"d2\",\n"
                        "{\"id\":\"d3\",\"date\":\"03/03/2026\",\"text\":\"x\"}\n"
                        "{\"id\":\"d4\"}\n"
                        "[1]\n"
                        "{\"text\":\"no id\"}\n");
  auto r = ReadAll({p});
  ASSERT_EQ(r.size(), 6u);
  EXPECT_TRUE(r[0].ok());
  EXPECT_EQ(r[0].origin, p + ":1");
  EXPECT_EQ(r[0].doc.id, "d1");
  EXPECT_EQ(r[0].doc.date, "2026-03-03");
  EXPECT_EQ(r[0].doc.title, "T");
  EXPECT_EQ(r[0].doc.source, "S");
  EXPECT_EQ(r[0].doc.url, "U");
  ASSERT_EQ(r[0].doc.extra.size(), 2u);
  EXPECT_EQ(r[0].doc.extra[0], (std::pair<std::string, std::string>("lang", "\"en\"")));
  EXPECT_EQ(r[0].doc.extra[1].second, "[1,\"x\"]");
  EXPECT_EQ(r[1].origin, p + ":3");
  EXPECT_TRUE(r[1].reject.starts_with("invalid JSON")) << r[1].reject;
  EXPECT_EQ(r[2].origin, p + ":4");
  EXPECT_TRUE(r[2].reject.starts_with("date '03/03/2026' is ambiguous")) << r[2].reject;
  EXPECT_EQ(r[3].reject, "missing string field \"text\"");
  EXPECT_EQ(r[4].reject, "not a JSON object");
  EXPECT_TRUE(r[5].ok());
  EXPECT_EQ(r[5].doc.id, p + ":7");  // no id: the origin
}

TEST_F(ReaderTest, DefaultDateAndDocumentLimit) {
  std::string p = Write("b.jsonl", "{\"text\":\"short\"}\n{\"text\":\"" + std::string(2000, 'a') +
                                       "\"}\n");
  ReaderOptions o;
  o.default_date = "2020-01-01";
  o.max_document_bytes = 1000;
  auto r = ReadAll({p}, o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].doc.date, "2020-01-01");
  EXPECT_FALSE(r[1].ok());
  EXPECT_NE(r[1].reject.find("exceeds --max-doc-bytes"), std::string::npos) << r[1].reject;
  EXPECT_TRUE(r[1].doc.text.empty());
}

TEST_F(ReaderTest, LongLineSkippedWithBoundedMemory) {
  std::string p = Write("c.jsonl", "{\"text\":\"" + std::string(3u << 20, 'x') +
                                       "\"}\n{\"id\":\"after\",\"text\":\"ok\"}\n");
  ReaderOptions o;
  o.max_line_bytes = 1u << 20;
  auto r = ReadAll({p}, o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].origin, p + ":1");
  EXPECT_EQ(r[0].reject, "line of 3.0 MB exceeds --max-line-bytes (1.0 MB); skipped");
  EXPECT_EQ(r[1].doc.id, "after");
}

TEST_F(ReaderTest, TextFilesChunksDirectoriesAndEncodings) {
  Write("d/b.txt", "Second file.\n");
  Write("d/a.txt", "First file.\n");
  Write("d/.hidden.txt", "hidden\n");
  Write("d/sub/c.txt", "Le pr\xe9sident est arriv\xe9.\n");  // Latin-1
  Write("d/empty.txt", "");
  auto r = ReadAll({(dir_ / "d").string()});
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].doc.text, "First file.\n");
  EXPECT_EQ(r[0].doc.id, (dir_ / "d/a.txt").string());
  EXPECT_EQ(r[0].origin, (dir_ / "d/a.txt").string() + ":1");
  EXPECT_EQ(r[1].doc.text, "Second file.\n");
  EXPECT_EQ(r[2].origin, (dir_ / "d/empty.txt").string());
  EXPECT_FALSE(r[2].ok());
  EXPECT_EQ(r[3].doc.text, "Le pr\xc3\xa9sident est arriv\xc3\xa9.\n");
  EXPECT_EQ(r[3].encoding, "windows-1252");

  // A big file is cut at blank lines.
  std::string big;
  for (int i = 0; i < 100; ++i) big += "Paragraph number " + std::to_string(i) + ".\n\n";
  ReaderOptions o;
  o.text_chunk_bytes = 200;
  auto c = ReadAll({Write("big.txt", big)}, o);
  ASSERT_GT(c.size(), 5u);
  std::string joined;
  for (size_t i = 0; i < c.size(); ++i) {
    ASSERT_TRUE(c[i].ok());
    joined += c[i].doc.text;
    if (i > 0) {
      EXPECT_EQ(c[i].doc.id, (dir_ / "big.txt").string() + "#" + std::to_string(i));
    }
  }
  EXPECT_EQ(joined, big);
  EXPECT_EQ(c[1].origin, (dir_ / "big.txt").string() + ":" + std::to_string(21));
}

TEST_F(ReaderTest, BinaryAndUtf16AreRejectedInvalidUtf8Repaired) {
  std::string bin;
  for (int i = 0; i < 4096; ++i) bin += static_cast<char>((i * 7919) & 0xFF);
  auto r = ReadAll({Write("bin.txt", bin), Write("u16.txt", std::string("\xFF\xFEH\0i\0", 6)),
                    Write("mixed.txt", "caf\xc3\xa9 and a stray \xff byte\n")});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_TRUE(r[0].reject.starts_with("not UTF-8 and not repairable")) << r[0].reject;
  EXPECT_TRUE(r[1].reject.starts_with("not UTF-8 and not repairable: UTF-16")) << r[1].reject;
  EXPECT_TRUE(r[2].ok());
  EXPECT_EQ(r[2].repaired, 1u);
  EXPECT_NE(r[2].doc.text.find("\xEF\xBF\xBD"), std::string::npos);
}

TEST_F(ReaderTest, CompressedStreamsAndTruncation) {
  std::string jsonl;
  for (int i = 0; i < 2000; ++i)
    jsonl += "{\"id\":\"n" + std::to_string(i) + "\",\"text\":\"Document " + std::to_string(i) +
             " with some words to make it compress.\"}\n";
  std::string gz = Gzip(jsonl), zs = Zstd(jsonl);
  auto a = ReadAll({Write("x.jsonl.gz", gz), Write("y.jsonl.zst", zs),
                    Write("two.jsonl.gz", Gzip("{\"text\":\"a\"}\n") + Gzip("{\"text\":\"b\"}\n"))});
  ASSERT_EQ(a.size(), 4002u);
  EXPECT_EQ(a[1999].doc.id, "n1999");
  EXPECT_EQ(a[3999].doc.id, "n1999");
  EXPECT_EQ(a[3999].format, "jsonl");
  EXPECT_EQ(a[4001].doc.text, "b");

  auto t = ReadAll({Write("cut.jsonl.gz", gz.substr(0, gz.size() / 2)),
                    Write("cut.jsonl.zst", zs.substr(0, zs.size() / 2))});
  ASSERT_GE(t.size(), 2u);
  size_t errors = 0;
  for (const auto& rec : t) {
    if (rec.ok()) continue;
    ++errors;
    EXPECT_TRUE(rec.file_error);
    EXPECT_TRUE(rec.reject == "truncated gzip stream" || rec.reject == "truncated zstd stream")
        << rec.origin << ": " << rec.reject;
    EXPECT_NE(rec.origin.find(":"), std::string::npos);
  }
  EXPECT_EQ(errors, 2u);
}

TEST_F(ReaderTest, PetrarchXmlRecordsAndBombs) {
  std::string p = Write("s.xml",
                        "<Sentences>\n"
                        "<Sentence date=\"20260303\" id=\"S1\" source=\"wire\">\n"
                        "<Text>The envoy met the minister.</Text>\n"
                        "</Sentence>\n"
                        "<Sentence date=\"2026030\" id=\"S2\"><Text>Bad date.</Text></Sentence>\n"
                        "</Sentences>\n");
  auto r = ReadAll({p});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].origin, p + ":2");
  EXPECT_EQ(r[0].doc.id, "S1");
  EXPECT_EQ(r[0].doc.date, "2026-03-03");
  EXPECT_EQ(r[0].doc.source, "wire");
  EXPECT_EQ(r[0].doc.text, "The envoy met the minister.");
  EXPECT_EQ(r[1].origin, p + ":5");
  EXPECT_TRUE(r[1].reject.starts_with("date")) << r[1].reject;

  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE l [\n<!ENTITY a \"aaaaaaaaaa\">\n";
  for (int i = 1; i < 10; ++i) {  // "billion laughs": each entity is ten of the previous
    bomb += "<!ENTITY " + std::string(1, static_cast<char>('a' + i)) + " \"";
    for (int k = 0; k < 10; ++k) bomb += "&" + std::string(1, static_cast<char>('a' + i - 1)) + ";";
    bomb += "\">\n";
  }
  bomb += "]>\n<Sentences><Sentence id=\"x\"><Text>&j;</Text></Sentence></Sentences>\n";
  auto b = ReadAll({Write("bomb.xml", bomb)});
  ASSERT_EQ(b.size(), 1u);
  EXPECT_TRUE(b[0].file_error);
  EXPECT_NE(b[0].reject.find("rest of the file"), std::string::npos) << b[0].reject;
  EXPECT_TRUE(b[0].origin.starts_with(dir_.string() + "/bomb.xml:")) << b[0].origin;
}

TEST_F(ReaderTest, HtmlArticleExtraction) {
  std::string page =
      "<!DOCTYPE html><html><head><title>Site | A story</title>"
      "<meta property=\"og:title\" content=\"A story\">"
      "<meta property=\"article:published_time\" content=\"2026-03-03T10:00:00Z\">"
      "<link rel=\"canonical\" href=\"https://example.org/a\"></head><body>"
      "<nav><a href=\"/\">Home</a> <a>World</a></nav><header>The Site</header>"
      "<article><h1>A story</h1><p>The council <b>approved</b>\n the plan.</p>"
      "<div class=\"social-share\">Share this</div><p>Protesters gathered.</p>"
      "<aside>Related: other</aside><script>var x = 1;</script></article>"
      "<footer>Copyright</footer></body></html>";
  auto r = ReadAll({Write("p.html.gz", Gzip(page))});
  ASSERT_EQ(r.size(), 1u);
  ASSERT_TRUE(r[0].ok()) << r[0].reject;
  EXPECT_EQ(r[0].origin, (dir_ / "p.html.gz").string());
  EXPECT_EQ(r[0].doc.title, "A story");
  EXPECT_EQ(r[0].doc.date, "2026-03-03");
  EXPECT_EQ(r[0].doc.url, "https://example.org/a");
  EXPECT_EQ(r[0].doc.text, "A story\n\nThe council approved the plan.\n\nProtesters gathered.");

  // No <article>: paragraphs only, menus dropped.
  auto a = ExtractHtmlArticle(
      "<html><body><div id=\"main-menu\"><ul><li>Home</li></ul></div><div>Log in</div>"
      "<p>First paragraph.</p><p>Second<br>line.</p></body></html>");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->text, "First paragraph.\n\nSecond\n\nline.");

  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  auto d = ReadAll({Write("deep.html", deep + "text")});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].reject, "HTML nested deeper than 400 elements");
}

TEST_F(ReaderTest, ConlluDocumentsArePreParsed) {
  std::string p = Write(
      "t.conllu",
      "# newdoc id = doc-1\n# sent_id = 1\n# text = Police arrested two men.\n"
      "1\tPolice\tpolice\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n"
      "2\tarrested\tarrest\tVERB\tVBD\t_\t0\troot\t_\t_\n"
      "3\ttwo\ttwo\tNUM\tCD\t_\t4\tnummod\t_\t_\n"
      "4\tmen\tman\tNOUN\tNNS\t_\t2\tobj\t_\tSpaceAfter=No\n"
      "5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n"
      "# sent_id = 2\n"
      "1\tThey\tthey\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n"
      "2\tleft\tleave\tVERB\tVBD\t_\t0\troot\t_\t_\n\n"
      "# sent_id = bad\n"
      "1\tLoop\tloop\tNOUN\tNN\t_\t2\tdep\t_\t_\n"
      "2\there\there\tADV\tRB\t_\t1\tdep\t_\t_\n\n"
      "# newdoc id = doc-2\n"
      "1\tHi\t_\t_\t_\t_\t_\t_\t_\t_\n\n");
  auto r = ReadAll({p});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].origin, p + ":14");
  EXPECT_NE(r[0].reject.find("cycle"), std::string::npos) << r[0].reject;
  ASSERT_TRUE(r[1].ok());
  EXPECT_EQ(r[1].doc.id, "doc-1");
  EXPECT_EQ(r[1].origin, p + ":1");
  EXPECT_TRUE(r[1].preparsed);
  EXPECT_EQ(r[1].doc.text, "Police arrested two men. They left");
  ASSERT_EQ(r[1].doc.sentences.size(), 2u);
  const Sentence& s = r[1].doc.sentences[1];
  EXPECT_EQ(r[1].doc.text.substr(s.tokens[1].span.begin,
                                 s.tokens[1].span.end - s.tokens[1].span.begin),
            "left");
  EXPECT_EQ(s.words[0].head, 2);
  EXPECT_EQ(r[2].doc.id, "doc-2");
  EXPECT_TRUE(r[2].pretokenized);
  EXPECT_FALSE(r[2].preparsed);
}

TEST_F(ReaderTest, ConlluNewdocAloneAndDocumentLimit) {
  std::string word = "1\tWord\tword\tNOUN\tNN\t_\t0\troot\t_\t_\n\n";
  std::string data = "# newdoc id = only\n\n";
  for (int i = 0; i < 10; ++i) data += word;
  ReaderOptions o;
  o.max_document_bytes = 16;  // three sentences of "Word" (14 bytes with separators)
  auto r = ReadAll({Write("n.conllu", data)}, o);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].doc.id, "only");
  EXPECT_EQ(r[0].doc.text, "Word Word Word");
  EXPECT_EQ(r[1].doc.id, "only#1");
  for (const auto& rec : r) EXPECT_LE(rec.doc.text.size(), 16u);
}

TEST_F(ReaderTest, MissingFilesAndFormats) {
  DocumentReader reader({(dir_ / "nope.jsonl").string()});
  auto r = reader.Next();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->origin, (dir_ / "nope.jsonl").string());
  EXPECT_TRUE(r->reject.starts_with("cannot open: ")) << r->reject;
  EXPECT_TRUE(reader.open_failed());
  EXPECT_FALSE(reader.Next());

  EXPECT_EQ(FormatForPath("a/b.JSONL.gz"), "jsonl");
  EXPECT_EQ(FormatForPath("x.html.zst"), "html");
  EXPECT_EQ(FormatForPath("x.xml"), "petrarch-xml");
  EXPECT_EQ(FormatForPath("x.conllu"), "conllu");
  EXPECT_EQ(FormatForPath("dir.d/readme"), "text");
}

TEST(NewsDate, CommonFormats) {
  for (const char* d : {"2026-03-03", "20260303", "2026/03/03", "2026-03-03T10:00:00Z",
                        "2026-03-03 23:59:00+01:00", "March 3, 2026", "Mar. 3 2026",
                        "3 March 2026", "03-Mar-2026", "Tuesday, March 3, 2026",
                        "Tue, 03 Mar 2026 10:00:00 GMT", "3rd March 2026"}) {
    auto r = NormalizeNewsDate(d);
    ASSERT_TRUE(r.ok()) << d << ": " << r.status().message();
    EXPECT_EQ(*r, "2026-03-03") << d;
  }
  for (const char* d : {"03/03/2026", "3.3.2026", "2026-02-30", "20260230", "March 3, 26",
                        "yesterday", "", "2026-3-3"}) {
    auto r = NormalizeNewsDate(d);
    EXPECT_FALSE(r.ok()) << d;
    if (!r.ok()) {
      EXPECT_TRUE(r.status().message().starts_with("date '")) << d;
    }
  }
  EXPECT_EQ(NormalizeNewsDate("2024-02-29").value(), "2024-02-29");
  EXPECT_FALSE(NormalizeNewsDate("2100-02-29").ok());
}

TEST(LineReader, LinesTooLongAndCrLf) {
  std::string data = "a\r\n" + std::string(100, 'b') + "\nc";
  reader_internal::LineReader lr(reader_internal::MemoryByteSource(data, nullptr));
  std::string line;
  uint64_t len = 0;
  Status err;
  using Got = reader_internal::LineReader::Got;
  EXPECT_EQ(lr.Next(&line, 10, &len, &err), Got::kLine);
  EXPECT_EQ(line, "a");
  EXPECT_EQ(lr.Next(&line, 10, &len, &err), Got::kTooLong);
  EXPECT_EQ(len, 100u);
  EXPECT_EQ(lr.line_no(), 2u);
  EXPECT_EQ(lr.Next(&line, 10, &len, &err), Got::kLine);
  EXPECT_EQ(line, "c");
  EXPECT_EQ(lr.Next(&line, 10, &len, &err), Got::kEnd);
}

}  // namespace
}  // namespace dyad
