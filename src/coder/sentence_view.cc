// The sentence in index form: tree, dictionary ids, and TABARI's comma-delimited clauses.
#include <algorithm>

#include "coder/internal.h"

namespace dyad::coder::internal {

namespace {

bool IsPunctWord(const Word& w) {
  if (w.upos == "PUNCT") return true;
  if (w.form.empty()) return true;
  for (unsigned char c : w.form)
    if (std::isalnum(c) || c >= 0x80) return false;
  return w.form != "%" && w.form != "&" && w.form != "$";
}

// An upper-case place name as datelines write it: "GENEVA", "NEW".
bool IsDatelineWord(const std::string& w) {
  if (w.size() < 2) return false;
  for (unsigned char c : w)
    if (!(std::isupper(c) || c == '.' || c == '\'')) return false;
  return true;
}

}  // namespace

std::string_view SentenceView::BaseRel(int i) const {
  std::string_view r = Rel(i);
  size_t colon = r.find(':');
  return colon == std::string_view::npos ? r : r.substr(0, colon);
}

int SentenceView::Child(int i, std::string_view rel, bool base) const {
  for (int c : Kids(i))
    if (base ? BaseRel(c) == rel : Rel(c) == rel) return c;
  return -1;
}

bool SentenceView::IsVerbal(int i) const {
  const std::string& u = W(i).upos;
  if (u == "VERB" || u == "AUX") return true;
  return Child(i, "nsubj", true) >= 0;
}

bool SentenceView::IsNominal(int i) const {
  const std::string& u = W(i).upos;
  return u == "NOUN" || u == "PROPN" || u == "PRON" || u == "NUM";
}

bool SentenceView::InSubtree(int w, int root) const {
  for (int steps = 0; w >= 0 && steps <= n; ++steps) {
    if (w == root) return true;
    w = head[w];
  }
  return false;
}

std::string SentenceView::Lower(int i) const {
  std::string out = W(i).form;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string SentenceView::CaseOf(int i) const {
  for (int c : Kids(i))
    if (BaseRel(c) == "case" && W(c).xpos != "POS") return Lower(c);
  return "";
}

void SentenceView::Build(const Sentence& sentence, const dict::Dictionary& dict,
                         const CoderOptions& opt) {
  s = &sentence;
  d = &dict;
  n = static_cast<int>(sentence.words.size());
  head.assign(n, -1);
  form.assign(n, dict::kNoWord);
  lemma.assign(n, dict::kNoWord);
  removed.assign(n, 0);
  skip.assign(n, 0);
  kid_begin.assign(n + 1, 0);
  for (int i = 0; i < n; ++i) {
    const Word& w = sentence.words[i];
    int h = w.head - 1;
    head[i] = (h >= 0 && h < n && h != i) ? h : -1;
    if (head[i] >= 0) ++kid_begin[head[i] + 1];
    form[i] = dict.FindWord(w.form);
    lemma[i] = w.lemma.empty() || w.lemma == "_" ? form[i] : dict.FindWord(w.lemma);
    skip[i] = IsPunctWord(w) || w.xpos == "POS" || w.form == "'s" || w.form == "'";
  }
  for (int i = 0; i < n; ++i) kid_begin[i + 1] += kid_begin[i];
  kids.assign(kid_begin[n], 0);
  std::vector<int> fill(kid_begin.begin(), kid_begin.end() - 1);
  for (int i = 0; i < n; ++i)
    if (head[i] >= 0) kids[fill[head[i]]++] = i;

  // A dateline ("GENEVA (Reuters) -") names where the story was filed, not an actor of it.
  if (n > 2 && IsDatelineWord(sentence.words[0].form)) {
    for (int i = 1; i < std::min(n - 1, 8); ++i) {
      const std::string& f = sentence.words[i].form;
      if (f == "-" || f == "--" || f == "\u2014" || f == "\u2013") {
        for (int k = 0; k <= i; ++k) removed[k] = 1;
        break;
      }
    }
  }

  // Comma-delimited clauses (TABARI 7.8, PETRARCH's comma_* options). A comma that separates
  // the members of a list (its head is a conjunct) does not delimit a clause, and a segment
  // holding the sentence's root is never dropped.
  std::vector<int> commas;
  for (int i = 0; i < n; ++i) {
    if (sentence.words[i].form != ",") continue;
    int h = head[i];
    if (h >= 0 && BaseRel(h) == "conj" && !IsVerbal(h)) continue;
    // The same, whatever the comma hangs on: the next word begins a nominal conjunct.
    int next = i + 1;
    while (next < n && skip[next]) ++next;
    if (next < n) {
      int c = next;
      while (c >= 0 && c < n && head[c] >= 0 && head[c] > i && BaseRel(c) != "conj" &&
             head[c] != c)
        c = head[c];
      if (c >= 0 && BaseRel(c) == "conj" && !IsVerbal(c) && c > i) continue;
    }
    commas.push_back(i);
  }
  if (commas.empty()) return;
  auto count = [&](int b, int e) {  // words in [b, e), punctuation excluded
    int c = 0;
    for (int i = b; i < e; ++i) c += skip[i] ? 0 : 1;
    return c;
  };
  auto has_root = [&](int b, int e) {
    for (int i = b; i < e; ++i)
      if (head[i] < 0 && !skip[i]) return true;
    return false;
  };
  auto drop = [&](int b, int e, int lo, int hi) {
    if (hi <= 0) return;
    int c = count(b, e);
    if (c < lo || c > hi || has_root(b, e)) return;
    for (int i = b; i < e; ++i) removed[i] = 1;
  };
  drop(0, commas.front(), opt.comma_bmin, opt.comma_bmax);
  for (size_t k = 0; k + 1 < commas.size(); ++k)
    drop(commas[k] + 1, commas[k + 1], opt.comma_min, opt.comma_max);
  drop(commas.back() + 1, n, opt.comma_emin, opt.comma_emax);
}

}  // namespace dyad::coder::internal
