// The corrupted-input suite's helper (tests/corrupt/run.sh):
//   corrupt_check gen DIR       writes the corrupted inputs into DIR (deterministic)
//   corrupt_check read PATH...  reads them with dyad::DocumentReader and prints one line a
//                               record: "DOC origin id bytes" or "REJ origin: reason"
// `read` also checks the reader's promises and exits 3 when one is broken: every record is a
// document or a rejection with a reason, its origin names the file it comes from, documents
// respect the size limit, and the counts add up.
#include <zlib.h>
#include <zstd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "dyad/reader.h"

namespace {

void Put(const std::string& dir, const std::string& name, const std::string& data) {
  std::string path = dir + "/" + name;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) {
    std::perror(path.c_str());
    return;
  }
  std::fwrite(data.data(), 1, data.size(), f);
  std::fclose(f);
}

std::string Random(size_t n, uint64_t seed) {
  std::string s(n, '\0');
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (auto& c : s) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>(x >> 24);
  }
  return s;
}

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

void Generate(const std::string& d) {
  std::string jsonl;
  for (int i = 0; i < 5000; ++i)
    jsonl += "{\"id\":\"n" + std::to_string(i) + "\",\"text\":\"Officials met on day " +
             std::to_string(i) + " to discuss the dispute.\"}\n";
  Put(d, "truncated.jsonl", "{\"id\":\"a\",\"text\":\"Complete.\"}\n{\"id\":\"b\",\"te");
  for (const char* ext : {"txt", "jsonl", "xml", "html", "conllu"})
    Put(d, std::string("garbage.") + ext, Random(256u << 10, 7));
  Put(d, "garbage.jsonl.gz", "\x1f\x8b" + Random(64u << 10, 8));
  Put(d, "garbage.jsonl.zst", std::string("\x28\xb5\x2f\xfd", 4) + Random(64u << 10, 9));
  Put(d, "invalid-utf8.jsonl",
      "{\"id\":\"u\",\"text\":\"caf\xc3\xa9 \xff\xfe then \xed\xa0\x80 and \xc0\xaf ok\"}\n");
  Put(d, "invalid-utf8.txt", "Truncated sequence \xe2\x82 and a lone \x80 byte in text.\n");
  Put(d, "latin1.txt", "Le pr\xe9sident fran\xe7" "ais a rencontr\xe9 le ministre.\n");
  Put(d, "latin1.jsonl", "{\"id\":\"l\",\"text\":\"Le pr\xe9sident est arriv\xe9.\"}\n");
  Put(d, "utf16.txt", std::string("\xff\xfeH\0e\0l\0l\0o\0\n\0", 14));
  std::string big(10u << 20, 'x');
  Put(d, "longline.jsonl", "{\"id\":\"big\",\"text\":\"" + big + "\"}\n{\"id\":\"after\",\"text\":\"Fine.\"}\n");
  Put(d, "longline.txt", big);
  Put(d, "longline.conllu", "1\t" + big + "\t_\t_\t_\t_\t0\troot\t_\t_\n\n1\tOk\t_\tX\t_\t_\t0\troot\t_\t_\n\n");
  for (const char* name : {"empty.txt", "empty.jsonl", "empty.xml", "empty.html", "empty.conllu",
                           "empty.jsonl.gz", "blank.jsonl"})
    Put(d, name, std::string(name) == "blank.jsonl" ? "\n  \n\n" : "");
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "<div>";
  Put(d, "deep.html", "<html><body>" + deep + "<p>Deep text.</p></body></html>");
  std::string inl;
  for (int i = 0; i < 50000; ++i) inl += "<b><i><a href=x>";
  Put(d, "deep-inline.html", inl + "words");
  std::string tables;
  for (int i = 0; i < 20000; ++i) tables += "<table><tr><td>";
  Put(d, "deep-tables.html", tables + "cell");
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY l0 \"lol\">\n";
  for (int i = 1; i < 10; ++i) {
    bomb += " <!ENTITY l" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) bomb += "&l" + std::to_string(i - 1) + ";";
    bomb += "\">\n";
  }
  bomb += "]>\n<Sentences>\n<Sentence id=\"b\" date=\"20260303\"><Text>&l9;</Text></Sentence>\n</Sentences>\n";
  Put(d, "bomb.xml", bomb);
  Put(d, "external.xml",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE s [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
      "<Sentences><Sentence id=\"e\"><Text>&x;</Text></Sentence></Sentences>\n");
  Put(d, "truncated.xml",
      "<Sentences>\n<Sentence id=\"t1\" date=\"20260303\"><Text>Whole record.</Text></Sentence>\n"
      "<Sentence id=\"t2\" date=\"20260303\"><Text>Cut sho");
  std::string gz = Gzip(jsonl), zs = Zstd(jsonl);
  Put(d, "truncated.jsonl.gz", gz.substr(0, gz.size() / 2));
  Put(d, "truncated.jsonl.zst", zs.substr(0, zs.size() / 2));
  std::string flipped = gz;
  for (size_t i = flipped.size() / 3; i < flipped.size() / 3 + 64; ++i) flipped[i] ^= 0x5A;
  Put(d, "corrupt.jsonl.gz", flipped);
  Put(d, "nul.jsonl", std::string("{\"id\":\"z\",\"text\":\"a\0b\"}\n", 24));
  Put(d, "deep.jsonl", std::string(100000, '[') + "\n");
  Put(d, "bad.conllu",
      "# sent_id = 1\n1\tOnly\tthree\tcolumns\n\n"
      "# sent_id = 2\n1\tA\ta\tDET\t_\t_\t2\tdet\t_\t_\n2\tloop\tloop\tNOUN\t_\t_\t1\tdep\t_\t_\n\n"
      "# sent_id = 3\n1\tFine\tfine\tADJ\t_\t_\t0\troot\t_\t_\n\n");
  Put(d, "bad-dates.jsonl",
      "{\"id\":\"d1\",\"date\":\"03/04/2026\",\"text\":\"x\"}\n"
      "{\"id\":\"d2\",\"date\":\"2026-02-30\",\"text\":\"x\"}\n"
      "{\"id\":\"d3\",\"date\":\"Tue, 03 Mar 2026 10:00:00 GMT\",\"text\":\"x\"}\n");
}

int Read(const std::vector<std::string>& paths) {
  dyad::ReaderOptions opt;  // the defaults users get
  dyad::DocumentReader reader(paths, opt);
  size_t n = 0;
  int bad = 0;
  while (auto r = reader.Next()) {
    ++n;
    bool named = false;
    for (const auto& p : paths) named |= r->origin.rfind(p, 0) == 0;
    if (!named) {
      std::printf("BROKEN origin '%s' names no input\n", r->origin.c_str());
      bad = 3;
    }
    if (r->ok()) {
      if (r->doc.text.size() > opt.max_document_bytes) bad = 3;
      std::printf("DOC %s %s %zu%s\n", r->origin.c_str(), r->doc.id.c_str(), r->doc.text.size(),
                  r->encoding.empty() ? "" : (" " + r->encoding).c_str());
    } else {
      std::printf("REJ %s: %s\n", r->origin.c_str(), r->reject.c_str());
    }
  }
  if (reader.documents() + reader.rejections() != n) {
    std::printf("BROKEN counts\n");
    bad = 3;
  }
  std::printf("END %zu records\n", n);
  return bad;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[1], "gen") == 0) {
    Generate(argv[2]);
    return 0;
  }
  if (argc >= 3 && std::strcmp(argv[1], "read") == 0)
    return Read(std::vector<std::string>(argv + 2, argv + argc));
  std::fprintf(stderr, "usage: corrupt_check gen DIR | read PATH...\n");
  return 2;
}
