#include "dyad/conllu.h"

#include <charconv>

#include "util/binary.h"

namespace dyad {
namespace {

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> f;
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == '\t') {
      f.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  return f;
}

bool ParseInt(std::string_view s, int* out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool HasSpaceAfterNo(std::string_view misc) {
  size_t pos = 0;
  while (pos <= misc.size()) {
    size_t bar = misc.find('|', pos);
    if (bar == std::string_view::npos) bar = misc.size();
    if (misc.substr(pos, bar - pos) == "SpaceAfter=No") return true;
    pos = bar + 1;
  }
  return false;
}

struct Builder {
  ConlluCorpus corpus;
  Sentence cur;
  bool in_sentence = false;
  bool pending_par = false, pending_doc = false;
  int mwt_end = 0;  // last word id covered by the current multiword token

  void FinishSentence() {
    if (!in_sentence) return;
    std::string& text = corpus.text;
    if (!text.empty()) {
      if (cur.new_document || cur.new_paragraph)
        text += "\n\n";
      else if (text.back() != ' ' && text.back() != '\n')
        text += ' ';
    }
    cur.span.begin = static_cast<uint32_t>(text.size());
    for (size_t i = 0; i < cur.tokens.size(); ++i) {
      Token& t = cur.tokens[i];
      t.span.begin = static_cast<uint32_t>(text.size());
      text += t.form;
      t.span.end = static_cast<uint32_t>(text.size());
      if (t.space_after && i + 1 < cur.tokens.size()) text += ' ';
    }
    cur.span.end = static_cast<uint32_t>(text.size());
    // The sentence's own text: prefer the "# text" comment when the tokens reproduce it.
    std::string joined = text.substr(cur.span.begin, cur.span.end - cur.span.begin);
    if (cur.text.empty()) cur.text = joined;
    corpus.sentences.push_back(std::move(cur));
    cur = Sentence();
    in_sentence = false;
    mwt_end = 0;
  }
};

}  // namespace

Result<ConlluCorpus> ReadConllu(std::string_view data, const std::string& origin) {
  Builder b;
  size_t line_no = 0, pos = 0;
  auto error = [&](const std::string& what) {
    return Status::Error(origin + ":" + std::to_string(line_no) + ": " + what);
  };
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    if (nl == std::string_view::npos) nl = data.size();
    std::string_view line = data.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      b.FinishSentence();
      continue;
    }
    if (line[0] == '#') {
      std::string_view c = line.substr(1);
      if (!c.empty() && c[0] == ' ') c.remove_prefix(1);
      if (c.starts_with("newdoc")) {
        b.pending_doc = true;
      } else if (c.starts_with("newpar")) {
        b.pending_par = true;
      }
      if (c.starts_with("sent_id = ")) {
        b.cur.id = std::string(c.substr(10));
      } else if (c.starts_with("text = ")) {
        b.cur.text = std::string(c.substr(7));
      } else {
        b.cur.comments.emplace_back(c);
      }
      b.in_sentence = true;
      continue;
    }
    auto f = SplitTabs(line);
    if (f.size() != 10)
      return error("expected 10 tab-separated columns, found " + std::to_string(f.size()));
    b.in_sentence = true;
    if (b.cur.tokens.empty() && b.cur.words.empty()) {
      b.cur.new_document = b.pending_doc;
      b.cur.new_paragraph = b.pending_par || b.pending_doc;
      b.pending_doc = b.pending_par = false;
    }
    std::string_view id = f[0];
    if (id.find('.') != std::string_view::npos) continue;  // empty node
    size_t dash = id.find('-');
    if (dash != std::string_view::npos) {
      int a = 0, z = 0;
      if (!ParseInt(id.substr(0, dash), &a) || !ParseInt(id.substr(dash + 1), &z) || z < a ||
          a != static_cast<int>(b.cur.words.size()) + 1)
        return error("bad multiword token range '" + std::string(id) + "'");
      Token t;
      t.form = std::string(f[1]);
      t.space_after = !HasSpaceAfterNo(f[9]);
      t.first_word = static_cast<uint32_t>(a - 1);
      t.last_word = static_cast<uint32_t>(z - 1);
      b.cur.tokens.push_back(std::move(t));
      b.mwt_end = z;
      continue;
    }
    int n = 0;
    if (!ParseInt(id, &n) || n != static_cast<int>(b.cur.words.size()) + 1)
      return error("word id '" + std::string(id) + "' out of sequence (expected " +
                   std::to_string(b.cur.words.size() + 1) + ")");
    Word w;
    w.form = std::string(f[1]);
    w.lemma = std::string(f[2]);
    w.upos = std::string(f[3]);
    w.xpos = std::string(f[4]);
    w.feats = std::string(f[5]);
    if (f[6] == "_") {
      w.head = -1;
    } else if (!ParseInt(f[6], &w.head) || w.head < 0) {
      return error("bad head '" + std::string(f[6]) + "'");
    }
    w.deprel = std::string(f[7]);
    w.deps = std::string(f[8]);
    w.misc = std::string(f[9]);
    if (n <= b.mwt_end) {
      w.token = static_cast<uint32_t>(b.cur.tokens.size() - 1);
    } else {
      Token t;
      t.form = w.form;
      t.space_after = !HasSpaceAfterNo(f[9]);
      t.first_word = t.last_word = static_cast<uint32_t>(n - 1);
      w.token = static_cast<uint32_t>(b.cur.tokens.size());
      b.cur.tokens.push_back(std::move(t));
    }
    b.cur.words.push_back(std::move(w));
  }
  b.FinishSentence();
  // Heads must point inside their sentence.
  for (const auto& s : b.corpus.sentences)
    for (const auto& w : s.words)
      if (w.head > static_cast<int>(s.words.size()))
        return Status::Error(origin + ": sentence '" + s.id + "': head " +
                             std::to_string(w.head) + " beyond the sentence");
  return std::move(b.corpus);
}

Result<ConlluCorpus> ReadConlluFile(const std::string& path) {
  DYAD_ASSIGN_OR_RETURN(std::string data, ReadFile(path));
  return ReadConllu(data, path);
}

void WriteConllu(const Sentence& s, std::string* out) {
  for (const auto& c : s.comments) {
    if (c.starts_with("sent_id") || c.starts_with("text")) continue;
    *out += "# " + c + "\n";
  }
  if (!s.id.empty()) *out += "# sent_id = " + s.id + "\n";
  *out += "# text = " + s.text + "\n";
  auto field = [](const std::string& v) -> const std::string& {
    static const std::string kEmpty = "_";
    return v.empty() ? kEmpty : v;
  };
  for (size_t ti = 0; ti < s.tokens.size(); ++ti) {
    const Token& t = s.tokens[ti];
    std::string misc_token = t.space_after || ti + 1 == s.tokens.size() ? "_" : "SpaceAfter=No";
    if (t.last_word > t.first_word) {
      *out += std::to_string(t.first_word + 1) + "-" + std::to_string(t.last_word + 1) + "\t" +
              t.form + "\t_\t_\t_\t_\t_\t_\t_\t" + misc_token + "\n";
    }
    for (uint32_t wi = t.first_word; wi <= t.last_word && wi < s.words.size(); ++wi) {
      const Word& w = s.words[wi];
      std::string misc = t.last_word > t.first_word ? "_" : misc_token;
      *out += std::to_string(wi + 1) + "\t" + field(w.form) + "\t" + field(w.lemma) + "\t" +
              field(w.upos) + "\t" + field(w.xpos) + "\t" + field(w.feats) + "\t" +
              (w.head < 0 ? std::string("_") : std::to_string(w.head)) + "\t" +
              field(w.deprel) + "\t_\t" + misc + "\n";
    }
  }
  *out += "\n";
}

}  // namespace dyad
