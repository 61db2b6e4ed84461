// Verb patterns matched against a window of the sentence.
//
// A pattern is a sequence of elements before and after the verb (`*`). Both the TABARI syntax
// ("- + WAS * BY $") and PETRARCH-2's ("- * (FOR {FINANCIAL AID})") flatten to one sequence
// of leaves: words, synsets and actor markers. Leaves match in text order inside the window
// (the verb's clause, see coder.cc); a leaf joined with `_` to the previous one (or to the
// verb) must follow it directly, others may skip words. Words match the text's form exactly,
// as PETRARCH does; inside a PETRARCH-2 noun or prepositional phrase, whose words are heads,
// they also match the lemma ("AID" matches "aids"). An actor marker takes the first actor
// at or after the current position, as TABARI's does.
#include <algorithm>

#include "coder/internal.h"

namespace dyad::coder::internal {

namespace {

struct Leaf {
  dict::ElementKind kind;
  uint32_t id;
  bool adjacent;
  bool phrase;            // inside {...} or (...): heads, matched by lemma too
  int pp = -1;            // the (PREP ...) group this leaf belongs to
  bool pp_first = false;  // ... and is its preposition
  int np = -1;            // the {MOD ... HEAD} group this leaf belongs to
  bool np_first = false, np_last = false;
};

struct Groups {
  int pp = 0, np = 0;
};

// PETRARCH-2's phrases keep their structure as groups: the objects of a (PREP ...) must lie
// under the preposition's noun, and the modifiers of a {... HEAD} under the head.
void Flatten(std::span<const dict::PatternElement> elems, int pp, Groups* g,
             std::vector<Leaf>* out) {
  for (const auto& e : elems) {
    if (e.kind == dict::ElementKind::kPrepPhrase) {
      size_t first = out->size();
      Flatten(e.children, g->pp++, g, out);
      if (out->size() > first) {
        (*out)[first].adjacent = e.adjacent;
        (*out)[first].pp_first = true;
      }
      continue;
    }
    if (e.kind == dict::ElementKind::kNounPhrase) {
      size_t first = out->size();
      int np = g->np++;
      Flatten(e.children, pp, g, out);
      for (size_t k = first; k < out->size(); ++k) {
        (*out)[k].np = np;
        (*out)[k].phrase = true;
      }
      if (out->size() > first) {
        (*out)[first].adjacent = e.adjacent;
        (*out)[first].np_first = true;
        out->back().np_last = true;
      }
      continue;
    }
    Leaf l{e.kind, e.id, e.adjacent, pp >= 0};
    l.pp = pp;
    out->push_back(l);
  }
}

void Flatten(std::span<const dict::PatternElement> elems, std::vector<Leaf>* out, Groups* g) {
  Flatten(elems, -1, g, out);
}

struct Matcher {
  const SentenceView& v;
  const Units& units;
  const Window& win;
  std::vector<int> unit_at;     // window position -> unit starting there
  std::vector<int> unit_end;    // unit -> window position after its last word
  std::vector<int> unit_cover;  // window position -> unit whose words include it
  std::vector<Leaf> leaves;
  int end = 0;        // exclusive bound of the part being matched
  int must_end = -1;  // when >= 0 the part must end exactly here
  int verb = -1;      // the verb word, while matching the part after it
  Bindings cur;
  std::vector<int> pp_root;      // per (PREP ...) group: the noun its preposition marks
  std::vector<size_t> np_start;  // per {...} group: where its words start in cur.matched

  // The structural checks of PETRARCH-2 phrases for leaf `l` matched at word `w` (the first
  // word of the match) .. `last`.
  bool InGroups(const Leaf& l, int w) const {
    if (l.pp >= 0 && !l.pp_first && !v.InSubtree(w, pp_root[l.pp])) return false;
    return true;
  }
  bool NounPhraseHolds(const Leaf& l, int head_word) const {
    if (l.np < 0 || !l.np_last) return true;
    for (size_t k = np_start[l.np]; k < cur.matched.size(); ++k)
      if (!v.InSubtree(cur.matched[k], head_word)) return false;
    return true;
  }
  // Runs the rest of the pattern after leaf `l` matched words [w, last] ending before `next`.
  bool Continue(size_t li, const Leaf& l, int w, int last, int next) {
    int saved_root = l.pp >= 0 ? pp_root[l.pp] : -1;
    if (l.pp_first) pp_root[l.pp] = v.head[w] >= 0 ? v.head[w] : w;
    bool ok = NounPhraseHolds(l, last) && Run(li + 1, next);
    if (l.pp_first) pp_root[l.pp] = saved_root;
    return ok;
  }

  Matcher(const SentenceView& view, const Units& u, const Window& w) : v(view), units(u), win(w) {
    int m = static_cast<int>(win.words.size());
    unit_at.assign(m, -1);
    unit_end.assign(units.units.size(), -1);
    unit_cover.assign(m, -1);
    for (size_t i = 0; i < units.units.size(); ++i) {
      const Unit& un = units.units[i];
      if (!un.active()) continue;
      int lo = -1, hi = -1;
      for (int k = un.first; k <= un.last; ++k) {
        int p = win.pos[k];
        if (p < 0) continue;
        if (lo < 0) lo = p;
        hi = p;
      }
      if (lo < 0) continue;
      if (unit_at[lo] < 0) unit_at[lo] = static_cast<int>(i);
      unit_end[i] = hi + 1;
      for (int p = lo; p <= hi; ++p)
        if (unit_cover[p] < 0) unit_cover[p] = static_cast<int>(i);
    }
  }

  bool WordAt(int p, WordId id, bool phrase) const {
    int w = win.words[p];
    return (v.form[w] == id || (phrase && v.lemma[w] == id)) && Reachable(w, phrase);
  }

  // After the verb, a bare pattern word does not reach into a phrase of time or
  // circumstance the pattern did not name: "- * &WEAPON" must not match "rocket" in
  // "arrested them after a rocket attack". Argument-like prepositions (by, from, against,
  // with, ...) stay open, as TABARI's patterns expect.
  bool Reachable(int w, bool phrase) const {
    static constexpr std::string_view kCircumstance[] = {
        "after", "before", "during",    "since",      "until",  "despite",
        "amid",  "amidst", "following", "throughout", "because"};
    if (verb < 0 || phrase || w < verb) return true;
    for (int x = w, steps = 0; x >= 0 && x != verb && steps < v.n; x = v.head[x], ++steps) {
      std::string_view r = v.BaseRel(x);
      if (r != "obl" && r != "nmod") continue;
      for (int c : v.Kids(x)) {
        if (v.BaseRel(c) != "case" || c == w) continue;
        std::string p = v.Lower(c);
        bool circumstance = false;
        for (auto k : kCircumstance) circumstance |= p == k;
        if (circumstance &&
            std::find(cur.matched.begin(), cur.matched.end(), c) == cur.matched.end())
          return false;
      }
    }
    return true;
  }

  // Length of a member of `synset` starting at window position p, or 0.
  int SynsetAt(int p, uint32_t synset) const {
    int w = win.words[p];
    const auto& table = v.d->synset_members();
    for (WordId start : {v.form[w], v.lemma[w]}) {
      if (start == dict::kNoWord) continue;
      for (const auto& ph : table.StartingWith(start)) {
        if (ph.owner != synset) continue;
        auto words = table.Words(ph);
        int len = static_cast<int>(words.size());
        if (p + len > end) continue;
        bool ok = true;
        for (int k = 0; k < len && ok; ++k) {
          int wk = win.words[p + k];
          ok = v.form[wk] == words[k] || (k == len - 1 && v.lemma[wk] == words[k]);
        }
        if (ok) return len;
      }
    }
    return 0;
  }

  bool Run(size_t li, int k) {
    if (li == leaves.size()) return must_end < 0 || k == must_end;
    const Leaf& l = leaves[li];
    int hi = l.adjacent ? std::min(k + 1, end) : end;
    if (l.np >= 0 && l.np_first) np_start[l.np] = cur.matched.size();
    switch (l.kind) {
      case dict::ElementKind::kSource:
      case dict::ElementKind::kTarget:
      case dict::ElementKind::kCompound:
      case dict::ElementKind::kSkip: {
        for (int p = k; p < hi; ++p) {
          // An actor starting here, or (at the current position) one whose first words an
          // earlier element consumed: "THEIR ^" skips "their populations".
          int u = unit_at[p] >= 0 ? unit_at[p] : p == k ? unit_cover[p] : -1;
          if (u < 0) continue;
          if (unit_end[u] > end) return false;
          if (l.kind == dict::ElementKind::kCompound && units.Group(u).size() < 2 &&
              units.units[u].codes.size() < 2)
            return false;
          int* slot = l.kind == dict::ElementKind::kSource     ? &cur.source
                      : l.kind == dict::ElementKind::kTarget   ? &cur.target
                      : l.kind == dict::ElementKind::kCompound ? &cur.compound
                                                               : nullptr;
          if (!InGroups(l, units.units[u].head)) return false;
          int saved = slot ? *slot : -1;
          if (slot) *slot = u;
          if (Run(li + 1, unit_end[u])) return true;
          if (slot) *slot = saved;
          return false;  // the first actor encountered, as TABARI assigns it
        }
        return false;
      }
      case dict::ElementKind::kWord:
        for (int p = k; p < hi; ++p) {
          if (!WordAt(p, l.id, l.phrase)) continue;
          // A pattern that ends at a word ends at a head or a preposition ("- * TO [030]",
          // "headed to"), never at an infinitive marker ("ordered them to launch").
          if (verb >= 0 && li + 1 == leaves.size() && v.BaseRel(win.words[p]) == "mark") continue;
          if (!InGroups(l, win.words[p])) continue;
          cur.matched.push_back(win.words[p]);
          if (Continue(li, l, win.words[p], win.words[p], p + 1)) return true;
          cur.matched.pop_back();
        }
        return false;
      case dict::ElementKind::kSynset:
        for (int p = k; p < hi; ++p) {
          int len = SynsetAt(p, l.id);
          if (!len || !Reachable(win.words[p], l.phrase) || !InGroups(l, win.words[p])) continue;
          for (int q = 0; q < len; ++q) cur.matched.push_back(win.words[p + q]);
          if (Continue(li, l, win.words[p], win.words[p + len - 1], p + len)) return true;
          cur.matched.resize(cur.matched.size() - len);
        }
        return false;
      default:
        return false;
    }
  }
};

// Whether every word of the pattern is somewhere in the window (as a form, or as a lemma):
// WordAt() can match nothing else, so a pattern that fails this cannot match. Most patterns
// tried on a verb fail it, and this test costs no allocation.
bool WordsInWindow(std::span<const dict::PatternElement> elems, const SentenceView& v,
                   const Window& win) {
  for (const auto& e : elems) {
    if (e.kind == dict::ElementKind::kWord) {
      if (win.indexed && !(win.word_bits & Window::WindowBit(e.id))) return false;
      bool found = false;
      for (int w : win.words)
        if (v.form[w] == e.id || v.lemma[w] == e.id) {
          found = true;
          break;
        }
      if (!found) return false;
    } else if (e.kind == dict::ElementKind::kPrepPhrase ||
               e.kind == dict::ElementKind::kNounPhrase) {
      // The kinds whose children Flatten() turns into leaves.
      if (!WordsInWindow(e.children, v, win)) return false;
    }
  }
  return true;
}

}  // namespace

void Window::IndexWords(const SentenceView& v) {
  word_bits = 0;
  for (int w : words) word_bits |= WindowBit(v.form[w]) | WindowBit(v.lemma[w]);
  indexed = true;
}

bool MatchPattern(const SentenceView& v, const Units& units, const Window& win,
                  const dict::Pattern& p, int vfirst, int vlast, Bindings* out) {
  int vp0 = win.pos[vfirst], vp1 = win.pos[vlast];
  if (vp0 < 0 || vp1 < 0) return false;
  if (!WordsInWindow(p.before, v, win) || !WordsInWindow(p.after, v, win)) return false;
  Matcher m(v, units, win);
  Groups groups;
  std::vector<Leaf> before, after;
  Flatten(p.before, &before, &groups);
  Flatten(p.after, &after, &groups);
  m.pp_root.assign(groups.pp, -1);
  m.np_start.assign(groups.np, 0);
  // Before the verb: from the start of the window up to the verb.
  m.leaves = std::move(before);
  if (!m.leaves.empty()) m.leaves.front().adjacent = false;
  m.end = vp0;
  m.must_end = p.verb_adjacent ? vp0 : -1;
  if (!m.Run(0, 0)) return false;
  // After the verb: the first element joined to `*` must follow it directly.
  m.leaves = std::move(after);
  m.end = static_cast<int>(win.words.size());
  m.must_end = -1;
  m.verb = vlast;
  if (!m.Run(0, vp1 + 1)) return false;
  *out = std::move(m.cur);
  return true;
}

}  // namespace dyad::coder::internal
