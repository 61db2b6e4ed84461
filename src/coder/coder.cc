// The event coder: verbs, roles, verb chains and events (see include/dyad/coder.h).
//
// For each sentence:
//   1. SentenceView and actor Units (sentence_view.cc, actors.cc);
//   2. verb hits: every word tagged as a verb that the dictionary knows, multi-word verbs
//      first; its patterns tried most specific first against the verb's clause window
//      (matcher.cc); when none matches, the verb's own code;
//   3. roles from the dependency tree: the source is the subject (through xcomp control,
//      coordination and participles), or the `by` agent of a passive; the target is the first
//      actor after the verb in its own subtree, or what the pattern's markers bound;
//   4. verb chains: an xcomp verb under a coded verb is folded into it ("agreed to restore");
//      a clausal complement with its own event keeps it, and the reporting verb does not take
//      its actors ("X said that Y attacked Z" codes Y->Z); the dictionary's transformations
//      rewrite the pair when one matches;
//   5. events: compounds multiply, paired codes [x:y] add the reverse event, null and special
//      codes give none, negated verbs give none unless the pattern spelled the negation.
#include <algorithm>
#include <cstdio>
#include <cstring>

#include "coder/internal.h"
#include "dyad/cameo.h"

namespace dyad::coder {

using internal::Bindings;
using internal::SentenceView;
using internal::Unit;
using internal::Units;
using internal::Window;

namespace {

using CodeList = std::vector<std::pair<std::string, int>>;  // code, unit

int32_t ParseDate(std::string_view s) {
  int32_t v = 0;
  int digits = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      v = v * 10 + (c - '0');
      ++digits;
    } else if (c != '-') {
      return -1;
    }
  }
  if (digits == 6) v += v / 10000 < 30 ? 20000000 : 19000000;  // YYMMDD, as the dictionaries
  return digits == 8 || digits == 6 ? v : -1;
}

std::string IsoDate(int32_t d) {
  if (d <= 0) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
  return buf;
}

bool IsSpecial(std::string_view code) {
  return code.empty() || cameo::IsSpecialCode(code) || code == "---";
}

struct VerbHit {
  int word = -1;
  int first = -1, last = -1;  // the words of a multi-word verb
  uint32_t verb = 0;
  const dict::Pattern* pattern = nullptr;
  dict::VerbCode code;
  Bindings bind;
  Window win;
  bool negated = false;
  bool passive = false;
  int subject = -1;  // the subject word the source came from
  CodeList sources, targets;
  int source_unit = -1, target_unit = -1;
  bool suppressed = false;
  std::string note;  // for the trace
  bool coded() const {
    return !code.IsNull() && !(IsSpecial(code.primary) && IsSpecial(code.paired));
  }
};

// Relations through which a verb's clause extends upwards for pattern matching.
bool ClimbsToClause(const SentenceView& v, int w) {
  std::string_view r = v.BaseRel(w);
  return r == "xcomp" || r == "ccomp" || r == "csubj" || r == "advcl" || r == "parataxis" ||
         v.Rel(w) == "acl";
}

bool IsNegation(const SentenceView& v, int w) {
  std::string s = v.Lower(w);
  return s == "not" || s == "n't" || s == "never" || s == "nt";
}

// The negation word of verb `w` (or of its copula/auxiliaries), or -1.
int NegationOf(const SentenceView& v, int w) {
  for (int c : v.Kids(w))
    if ((v.BaseRel(c) == "advmod" || v.Rel(c) == "neg") && IsNegation(v, c)) return c;
  return -1;
}

bool IsPassive(const SentenceView& v, int w) {
  bool perfect = false, by = false;
  for (int c : v.Kids(w)) {
    if (v.Rel(c) == "nsubj:pass" || v.Rel(c) == "aux:pass" || v.Rel(c) == "csubj:pass") return true;
    perfect |= v.BaseRel(c) == "aux" && v.W(c).lemma == "have";
    by |= v.Rel(c) == "obl:agent" || (v.BaseRel(c) == "obl" && v.CaseOf(c) == "by");
  }
  // A participle with a `by` agent and no perfect auxiliary: "remains targeted by X",
  // "the talks, hosted by X".
  return by && !perfect && v.W(w).xpos == "VBN";
}

int PassiveAgent(const SentenceView& v, int w) {
  for (int c : v.Kids(w)) {
    if (v.Rel(c) == "obl:agent" || v.Rel(c) == "nmod:agent") return c;
    if (v.BaseRel(c) == "obl" && v.CaseOf(c) == "by") return c;
  }
  return -1;
}

bool IsRelativePronoun(const SentenceView& v, int w) {
  std::string s = v.Lower(w);
  return s == "who" || s == "which" || s == "that" || s == "whom";
}

// An xcomp, or an infinitive the parse attached as an adverbial clause without a subject of
// its own ("ordered its soldiers to attack", "urged X to help"): controlled by, and folded
// into, the verb above it.
bool IsOpenComplement(const SentenceView& v, int w) {
  std::string_view r = v.BaseRel(w);
  if (r == "xcomp") return true;
  if (r != "advcl" || v.Child(w, "nsubj", true) >= 0) return false;
  for (int k : v.Kids(w))
    if (v.BaseRel(k) == "mark" && v.Lower(k) == "to") return true;
  return false;
}

// The subject of verb `w`: its own, or the controller's (xcomp), the first conjunct's (conj),
// the modified noun's (relative clauses and participles).
int SubjectOf(const SentenceView& v, int w, int depth = 0) {
  if (w < 0 || depth > 8) return -1;
  for (int c : v.Kids(w)) {
    std::string_view r = v.BaseRel(c);
    if (r == "nsubj" || r == "csubj") {
      if (IsRelativePronoun(v, c) && v.BaseRel(w) == "acl") return v.head[w];
      return c;
    }
  }
  int h = v.head[w];
  if (h < 0) return -1;
  std::string_view r = v.BaseRel(w);
  if (IsOpenComplement(v, w)) {
    int obj = v.Child(h, "obj");
    if (obj < 0) obj = v.Child(h, "iobj");
    return obj >= 0 ? obj : SubjectOf(v, h, depth + 1);
  }
  if (r == "conj" && v.IsVerbal(h)) return SubjectOf(v, h, depth + 1);
  if (r == "acl") return h;
  if (r == "advcl" && v.W(w).xpos == "VBG" && v.Child(w, "mark") < 0)
    return SubjectOf(v, h, depth + 1);
  return -1;
}

// An adverbial clause with its own subject or subordinator ("after a rocket attack killed
// three", "when they arrived"), not an infinitive of purpose ("vowed to wage war").
bool OwnAdverbialClause(const SentenceView& v, int c) {
  if (v.Child(c, "nsubj", true) >= 0) return true;
  for (int k : v.Kids(c))
    if (v.BaseRel(k) == "mark" && v.Lower(k) != "to") return true;
  return false;
}

// Iterative DFS. A coordinated clause is another clause unless it holds `keep`; with
// `own_clause`, so are adverbial and relative clauses and parentheticals ("arrested them
// after a rocket attack") below the verb.
void CollectSubtree(const SentenceView& v, int root, int keep, std::vector<int>* out,
                    bool own_clause = false) {
  std::vector<int> stack = {root};
  while (!stack.empty()) {
    int w = stack.back();
    stack.pop_back();
    out->push_back(w);
    for (int c : v.Kids(w)) {
      bool other = v.Rel(c) == "conj" && v.IsVerbal(c);
      if (own_clause)
        other |= (v.BaseRel(c) == "parataxis" || v.Rel(c) == "acl:relcl" ||
                  (v.BaseRel(c) == "advcl" && OwnAdverbialClause(v, c))) &&
                 v.IsVerbal(c);
      if (other && !v.InSubtree(keep, c)) continue;
      stack.push_back(c);
    }
  }
}

// The words a verb's patterns see: its clause, up through complements to the clause that
// governs them, without other coordinated clauses or dropped comma clauses.
void BuildWindow(const SentenceView& v, int w, Window* win) {
  int top = w;
  for (int steps = 0; steps < v.n && v.head[top] >= 0 && ClimbsToClause(v, top); ++steps)
    top = v.head[top];
  std::vector<int> words;
  CollectSubtree(v, top, w, &words, /*own_clause=*/true);
  std::sort(words.begin(), words.end());
  win->words.clear();
  win->pos.assign(v.n, -1);
  for (int x : words) {
    if (v.skip[x] || v.removed[x]) continue;
    win->pos[x] = static_cast<int>(win->words.size());
    win->words.push_back(x);
  }
}

std::string UnitText(const SentenceView& v, const Unit& u) {
  std::string t;
  for (int i = u.first; i <= u.last; ++i) {
    if (v.skip[i]) continue;
    if (!t.empty()) t += ' ';
    t += v.W(i).form;
  }
  return t;
}

Span WordsSpan(const Sentence& s, int first, int last) {
  if (first < 0 || last < first || last >= static_cast<int>(s.words.size())) return {};
  uint32_t a = s.words[first].token, b = s.words[last].token;
  if (a >= s.tokens.size() || b >= s.tokens.size()) return {};  // words without tokens
  return Span{s.tokens[a].span.begin, s.tokens[b].span.end};
}

std::string SpanText(const Document& doc, Span sp) {
  if (sp.end <= sp.begin || sp.end > doc.text.size()) return "";
  return doc.text.substr(sp.begin, sp.end - sp.begin);
}

// A dictionary line without its comment, for explanations.
std::string DictLine(std::string_view line) {
  size_t hash = line.find('#');
  if (hash != std::string_view::npos) line = line.substr(0, hash);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return std::string(line);
}

// "parse:" lines: index, form, tag, relation and head, wrapped; then the dropped clauses.
void AppendParse(const SentenceView& v, std::string* out) {
  std::string line = "  parse:";
  for (int i = 0; i < v.n; ++i) {
    std::string item = " " + std::to_string(i + 1) + " " + v.W(i).form + " " + v.W(i).upos + " " +
                       v.Rel(i) + "<" + std::to_string(v.head[i] + 1);
    if (line.size() + item.size() > 100) {
      *out += line + "\n";
      line = "        ";
    }
    line += item + (i + 1 < v.n ? " |" : "");
  }
  *out += line + "\n";
  for (int i = 0; i < v.n;) {
    if (!v.removed[i]) {
      ++i;
      continue;
    }
    std::string t;
    int j = i;
    for (; j < v.n && v.removed[j]; ++j) t += (j > i ? " " : "") + v.W(j).form;
    *out += "  dropped comma clause: \"" + t + "\"\n";
    i = j;
  }
}

// CAMEO's "express intent" (03) and "threaten" (13) over a lower event: "promised to meet"
// is intent to meet (036), "threatened to attack" a threat of force (138).
std::string Combine(std::string_view upper, std::string_view lower) {
  std::string_view ur = cameo::RootOf(cameo::NearestValid(upper));
  std::string_view lr = cameo::RootOf(cameo::NearestValid(lower));
  if (ur == "03" && upper.size() >= 3 && upper.substr(0, 3) == "030") {
    if (lr == "04") return lower.substr(0, 3) == "045" ? "039" : "036";
    if (lr == "05") return "032";
    if (lr == "06") return "031";
    if (lr == "07") return "033";
    if (lr == "08") return "035";
  }
  if (ur == "13" && upper.substr(0, 3) == "130") {
    if (lr == "18" || lr == "19" || lr == "20") return "138";
    if (lr == "17") return "137";
  }
  return std::string(upper);
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct Coder::Impl {
  std::shared_ptr<const dict::Dictionary> dict;
  CoderOptions opt;
  int32_t default_date = 0;

  struct SentenceResult {
    std::vector<Event> events;
    std::string trace;
  };

  bool Discarded(const SentenceView& v, bool story, std::string* why = nullptr) const;
  void FindVerbs(const SentenceView& v, const Units& u, std::vector<VerbHit>* hits) const;
  void AssignRoles(const SentenceView& v, Units* units, std::vector<VerbHit>* hits) const;
  int NewActor(const SentenceView& v, Units* units, int word) const;
  bool Transform(const SentenceView& v, const VerbHit& upper, const VerbHit& lower, CodeList* src,
                 CodeList* tgt, std::string* code, std::string* text) const;
  void CodeSentence(const Document& doc, uint32_t si, int32_t date, internal::Discourse* disc,
                    std::vector<Event>* events, SentenceTrace* trace, bool* story_discard) const;
  bool VerbMatchesWords(const SentenceView& v, const VerbHit& h,
                        const std::vector<dict::WordId>& words) const;

  // Verbs defined more than once (the same spelling in several blocks): for each verb, the
  // list of its definitions in dictionary order; empty for the (usual) single definition.
  std::vector<std::vector<uint32_t>> same_verb;
  std::vector<uint32_t> SameVerbs(uint32_t verb) const {
    if (verb < same_verb.size() && !same_verb[verb].empty()) return same_verb[verb];
    return {verb};
  }
  void IndexSameVerbs();
};

void Coder::Impl::IndexSameVerbs() {
  const dict::Dictionary& d = *dict;
  std::vector<std::pair<std::vector<dict::WordId>, uint32_t>> keys;
  for (uint32_t i = 0; i < d.verbs().size(); ++i) {
    const auto& f = d.verbs()[i].forms;
    if (f.empty()) continue;
    std::vector<dict::WordId> key = f[0].before;
    key.push_back(dict::kNoWord);
    key.push_back(f[0].verb);
    key.push_back(dict::kNoWord);
    key.insert(key.end(), f[0].after.begin(), f[0].after.end());
    keys.emplace_back(std::move(key), i);
  }
  std::stable_sort(keys.begin(), keys.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  same_verb.assign(d.verbs().size(), {});
  for (size_t i = 0; i < keys.size();) {
    size_t j = i;
    while (j < keys.size() && keys[j].first == keys[i].first) ++j;
    if (j - i > 1) {
      std::vector<uint32_t> group;
      for (size_t k = i; k < j; ++k) group.push_back(keys[k].second);
      std::sort(group.begin(), group.end());
      for (uint32_t g : group) same_verb[g] = group;
    }
    i = j;
  }
}

bool Coder::Impl::Discarded(const SentenceView& v, bool story, std::string* why) const {
  const dict::Dictionary& d = *dict;
  const auto& table = d.discard_phrases();
  if (table.empty()) return false;
  for (int i = 0; i < v.n; ++i) {
    if (v.skip[i]) continue;
    for (const auto* ids : {&v.form, &v.lemma}) {
      const auto* p = table.Match(*ids, i);
      if (!p || d.discards()[p->owner].story != story) continue;
      if (why)
        *why =
            "\"" + d.PhraseText(table, *p) + "\" (" + d.Where(d.discards()[p->owner].where) + ")";
      return true;
    }
  }
  return false;
}

void Coder::Impl::FindVerbs(const SentenceView& v, const Units& u,
                            std::vector<VerbHit>* hits) const {
  const dict::Dictionary& d = *dict;
  std::vector<uint8_t> used(v.n, 0);
  for (int i = 0; i < v.n; ++i) {
    if (v.skip[i] || v.removed[i] || used[i]) continue;
    const Word& w = v.W(i);
    // A verb by its tag, or a word the parse treats as a predicate with auxiliaries and a
    // subject even though the tagger called it a noun ("will not wire tap the links").
    bool verbish = w.upos == "VERB" ||
                   (w.xpos.size() >= 2 && w.xpos.compare(0, 2, "VB") == 0 && w.upos != "AUX");
    if (!verbish && (w.upos == "NOUN" || w.upos == "ADJ"))
      verbish =
          v.Child(i, "nsubj", true) >= 0 && v.Child(i, "aux", true) >= 0 && v.Child(i, "cop") < 0;
    if (!verbish) continue;
    std::span<const dict::VerbRef> refs = d.VerbsForWord(v.form[i]);
    if (refs.empty() && v.lemma[i] != dict::kNoWord && v.lemma[i] != v.form[i]) {
      // Irregular forms the dictionary did not list ("fought" for FIGHT). A regular-looking
      // form the dictionary would have generated is a misspelling, not a verb ("departes").
      std::string lem(d.word(v.lemma[i]));
      std::string form = v.Lower(i);
      for (char& c : lem) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string stem = lem.size() > 1 && (lem.back() == 'e' || lem.back() == 'y')
                             ? lem.substr(0, lem.size() - 1)
                             : lem;
      if (form.compare(0, stem.size(), stem) != 0) refs = d.VerbsForWord(v.lemma[i]);
    }
    for (const dict::VerbRef& r : refs) {
      const dict::Verb& verb = d.verbs()[r.verb];
      const dict::VerbForm& f = verb.forms[r.form];
      int nb = static_cast<int>(f.before.size()), na = static_cast<int>(f.after.size());
      if (i - nb < 0 || i + na >= v.n) continue;
      bool ok = true;
      for (int k = 0; k < nb && ok; ++k) ok = v.form[i - nb + k] == f.before[k];
      for (int k = 0; k < na && ok; ++k) ok = v.form[i + 1 + k] == f.after[k];
      if (!ok) continue;
      VerbHit h;
      h.word = i;
      h.first = i - nb;
      h.last = i + na;
      h.verb = r.verb;
      for (int k = h.first; k <= h.last; ++k) used[k] = 1;
      BuildWindow(v, i, &h.win);
      for (int k = h.first; k <= h.last; ++k)  // the verb's own words are always visible
        if (h.win.pos[k] < 0) {
          h.win.words.push_back(k);
          std::sort(h.win.words.begin(), h.win.words.end());
          for (size_t q = 0; q < h.win.words.size(); ++q)
            h.win.pos[h.win.words[q]] = static_cast<int>(q);
        }
      h.win.IndexWords(v);
      // A verb the dictionary defines in several blocks gets the patterns of all of them,
      // in dictionary order, and the first non-null code of its definitions.
      h.code = verb.code;
      for (uint32_t vi : SameVerbs(r.verb)) {
        const dict::Verb& def = d.verbs()[vi];
        if (h.code.IsNull() && !def.code.IsNull()) h.code = def.code;
        for (uint32_t pi : d.PatternsFor(vi)) {
          const dict::Pattern& p = d.patterns()[pi];
          Bindings b;
          if (internal::MatchPattern(v, u, h.win, p, h.first, h.last, &b)) {
            h.pattern = &p;
            h.bind = std::move(b);
            break;
          }
        }
        if (h.pattern) break;
      }
      if (h.pattern) h.code = h.pattern->code;
      int neg = NegationOf(v, i);
      if (neg >= 0) {
        bool spelled =
            std::find(h.bind.matched.begin(), h.bind.matched.end(), neg) != h.bind.matched.end();
        h.negated = !spelled;
      }
      hits->push_back(std::move(h));
      break;
    }
  }
}

// PETRARCH's new_actor_length: a subject or object noun phrase of at most that many words that
// holds no dictionary actor becomes an actor coded by its own text ("THE GUILD OF SMITHS").
int Coder::Impl::NewActor(const SentenceView& v, Units* units, int word) const {
  if (opt.new_actor_length <= 0 || word < 0) return -1;
  const std::string& upos = v.W(word).upos;
  if (upos != "NOUN" && upos != "PROPN") return -1;
  if (units->unit_of_head[word] >= 0) return -1;
  std::vector<int> words = {word};
  for (size_t i = 0; i < words.size(); ++i) {
    for (int c : v.Kids(words[i])) {
      std::string_view r = v.BaseRel(c);
      if (r == "punct" || r == "acl" || r == "appos" || r == "conj" || r == "cc" || r == "advcl" ||
          (r == "case" && words[i] == word) || v.skip[c])
        continue;
      words.push_back(c);
    }
  }
  if (static_cast<int>(words.size()) > opt.new_actor_length) return -1;
  std::sort(words.begin(), words.end());
  Unit un;
  un.head = word;
  un.first = words.front();
  un.last = words.back();
  std::string code = "\"";
  for (int w : words) {
    if (code.size() > 1) code += ' ';
    for (char c : v.W(w).form)
      code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  un.codes.push_back(code + "\"");
  un.entries = "new actor (new_actor_length " + std::to_string(opt.new_actor_length) + ")";
  units->unit_of_head[word] = static_cast<int>(units->units.size());
  units->units.push_back(std::move(un));
  return units->unit_of_head[word];
}

void Coder::Impl::AssignRoles(const SentenceView& v, Units* units,
                              std::vector<VerbHit>* hits) const {
  const Units& u = *units;
  // Clauses whose verb has its own coded event with an actor for its subject ("said that
  // Y attacked Z"): a governing verb does not take actors there. A clause without one
  // ("abandoned efforts to stop the parade") leaves its actors to the verb above.
  std::vector<int> clause_heads;
  for (const VerbHit& h : *hits) {
    if (!h.coded()) continue;
    int subj = SubjectOf(v, h.word);
    if (subj >= 0 && !v.InSubtree(subj, h.word) && v.BaseRel(h.word) != "ccomp") subj = -1;
    if (subj >= 0 && internal::RoleUnit(v, u, subj) >= 0) clause_heads.push_back(h.word);
  }

  for (VerbHit& h : *hits) {
    int w = h.word;
    h.passive = IsPassive(v, w);
    int agent = h.passive ? PassiveAgent(v, w) : -1;
    h.subject = SubjectOf(v, w);
    if (h.subject >= 0 && v.removed[h.subject]) h.subject = -1;  // a dateline, not a subject
    // A role filled by a compound takes all of it ("Arnor and Rohan attacked"), unless the
    // role reached a later member on its own (a clause modifying "Y" in "not X but Y").
    auto group_of = [&](int unit, CodeList* out) {
      if (unit < 0) return;
      const Unit& un = u.units[unit];
      int root = un.group;
      if (root >= 0 && root != un.head && u.unit_of_head[root] >= 0 &&
          u.units[u.unit_of_head[root]].active() && !un.codes.empty()) {
        for (const auto& c : un.codes) out->emplace_back(c, unit);
        return;
      }
      u.GroupCodes(unit, out);
    };
    // Source.
    int src_unit = -1, tgt_unit = -1;
    if (h.bind.compound >= 0) {
      // "% * [030]": the compound acts on itself; "* WITH %": the compound is the target.
      tgt_unit = h.bind.compound;
      if (u.units[h.bind.compound].first < h.first) src_unit = h.bind.compound;
    }
    if (h.bind.source >= 0) src_unit = h.bind.source;
    if (h.bind.target >= 0) tgt_unit = h.bind.target;
    if (src_unit < 0) {
      if (agent >= 0) {
        src_unit = internal::RoleUnit(v, u, agent);
        if (tgt_unit < 0 && h.subject >= 0) tgt_unit = internal::RoleUnit(v, u, h.subject);
        h.note += "passive: source from the 'by' phrase; ";
      } else if (h.passive && h.subject >= 0 && v.head[h.subject] == w) {
        if (tgt_unit < 0) tgt_unit = internal::RoleUnit(v, u, h.subject);
        h.note += "passive without agent: no source; ";
      } else if (h.subject >= 0) {
        src_unit = internal::RoleUnit(v, u, h.subject);
        if (src_unit < 0) src_unit = NewActor(v, units, h.subject);
        if (src_unit >= 0 && src_unit == tgt_unit) {
          // The pattern put the target in the subject (DEMO "NOTED + *"): the source is the
          // first other actor before the verb.
          src_unit = -1;
          for (int p : h.win.words) {
            if (p >= h.first) break;
            int x = u.unit_of_head[p];
            if (x >= 0 && u.units[x].active() && x != tgt_unit) {
              src_unit = x;
              break;
            }
          }
        }
      } else {
        // No subject in the parse: the first actor before the verb in its clause (TABARI).
        for (int p : h.win.words) {
          if (p >= h.first) break;
          int x = u.unit_of_head[p];
          if (x >= 0 && u.units[x].active() && x != tgt_unit) {
            src_unit = x;
            h.note += "no subject: first actor before the verb; ";
            break;
          }
        }
      }
    }
    group_of(src_unit, &h.sources);
    h.source_unit = src_unit;
    // Target: the first actor after the verb in its subtree, outside the subject and outside
    // complements that have their own event, whose code differs from the source's.
    if (tgt_unit < 0 && !(h.passive && agent < 0 && h.subject >= 0)) {
      int subj_root = h.subject >= 0 && v.InSubtree(h.subject, w) ? h.subject : -2;
      std::vector<int> scope;
      CollectSubtree(v, w, w, &scope);
      std::sort(scope.begin(), scope.end());
      for (int p : scope) {
        if (p <= h.last || v.removed[p]) continue;
        int x = u.unit_of_head[p];
        if (x < 0 || !u.units[x].active()) continue;
        if (subj_root >= 0 && v.InSubtree(p, subj_root)) continue;
        bool inside_other = false;
        for (int c : clause_heads)
          if (c != w && v.InSubtree(c, w) && v.InSubtree(p, c) && !IsOpenComplement(v, c))
            inside_other = true;
        if (inside_other) continue;
        bool distinct = false;
        for (const auto& code : u.units[x].codes) {
          bool same = false;
          for (const auto& [s, su] : h.sources) same |= s == code;
          distinct |= !same;
        }
        if (!distinct) continue;
        // "Iran and Iraq met in Geneva": a compound source's place is not its target.
        if (h.sources.size() > 1) {
          std::string c = v.CaseOf(u.units[x].head);
          if (c == "in" || c == "at" || c == "near" || c == "inside" || c == "outside") continue;
        }
        tgt_unit = x;
        break;
      }
    }
    if (tgt_unit < 0 && opt.new_actor_length > 0 && !h.passive) {
      for (int c : v.Kids(w)) {
        std::string r(v.Rel(c));
        if (r != "obj" && r != "iobj" && r != "obl") continue;
        if ((tgt_unit = NewActor(v, units, c)) >= 0) break;
      }
    }
    if (tgt_unit < 0 && src_unit >= 0 &&
        (u.Group(src_unit).size() > 1 || u.units[src_unit].codes.size() > 1)) {
      tgt_unit = src_unit;  // "Arnor and Gondor renewed ties": each with the other
      h.note += "compound source is also the target; ";
    }
    group_of(tgt_unit, &h.targets);
    h.target_unit = tgt_unit;
  }
}

bool Coder::Impl::VerbMatchesWords(const SentenceView& v, const VerbHit& h,
                                   const std::vector<dict::WordId>& words) const {
  if (words.empty()) return true;
  const dict::Dictionary& d = *dict;
  dict::WordId last = words.back();
  bool ok =
      v.form[h.word] == last || v.lemma[h.word] == last || d.verbs()[h.verb].forms[0].verb == last;
  if (!ok) {
    for (const auto& r : d.VerbsForWord(last))
      if (d.verbs()[r.verb].block == d.verbs()[h.verb].block) ok = true;
  }
  if (!ok) return false;
  for (size_t k = 0; k + 1 < words.size(); ++k) {  // "WILL_ATTACK": an auxiliary of the verb
    bool found = false;
    for (int c : v.Kids(h.word))
      found |= v.BaseRel(c) == "aux" && (v.form[c] == words[k] || v.lemma[c] == words[k]);
    if (!found) return false;
  }
  return true;
}

bool Coder::Impl::Transform(const SentenceView& v, const VerbHit& upper, const VerbHit& lower,
                            CodeList* src, CodeList* tgt, std::string* code,
                            std::string* text) const {
  const dict::Dictionary& d = *dict;
  for (const dict::Transformation& t : d.transformations()) {
    if (t.levels.size() != 2) continue;
    if (!VerbMatchesWords(v, upper, t.levels[0].verbs)) continue;
    if (!VerbMatchesWords(v, lower, t.levels[1].verbs)) continue;
    const std::string& a = t.levels[0].source;
    const std::string& b = t.levels[1].source;
    auto same = [](const CodeList& x, const CodeList& y) {
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i)
        if (x[i].first != y[i].first) return false;
      return true;
    };
    // Bind the variables.
    std::vector<std::pair<std::string, const CodeList*>> vars;
    vars.emplace_back(a, &upper.sources);
    if (b == "_") {
      if (!lower.sources.empty()) continue;
    } else if (b == a) {
      if (!lower.sources.empty() && !same(lower.sources, upper.sources)) continue;
    } else if (b != ".") {
      if (lower.sources.empty()) continue;
      vars.emplace_back(b, &lower.sources);
    }
    if (t.target == "_") {
      if (!lower.targets.empty()) continue;
    } else if (t.target != ".") {
      if (lower.targets.empty()) continue;
      vars.emplace_back(t.target, &lower.targets);
    }
    auto lookup = [&](const std::string& var) -> const CodeList* {
      for (const auto& [name, list] : vars)
        if (name == var) return list;
      return nullptr;
    };
    const CodeList* s = lookup(t.out_source);
    const CodeList* g = lookup(t.out_target);
    if (!s || !g) continue;
    *src = *s;
    *tgt = *g;
    *code = t.out_code == "Q" ? lower.code.primary : t.out_code;
    *text = t.text + " (" + d.Where(t.where) + ")";
    return true;
  }
  return false;
}

void Coder::Impl::CodeSentence(const Document& doc, uint32_t si, int32_t date,
                               internal::Discourse* disc, std::vector<Event>* events,
                               SentenceTrace* trace, bool* story_discard) const {
  const dict::Dictionary& d = *dict;
  const Sentence& s = doc.sentences[si];
  thread_local SentenceView v;
  thread_local Units units;
  v.Build(s, d, opt);
  std::string out;  // the trace
  const bool tracing = trace != nullptr;
  if (tracing) {
    trace->sentence = si;
    out += "sentence " + std::to_string(si) + ": " + s.text + "\n";
    AppendParse(v, &out);
  }
  if (Discarded(v, true)) {
    *story_discard = true;
    return;
  }
  std::string why;
  if (Discarded(v, false, &why)) {
    if (tracing)
      trace->text = out + "  discarded: the sentence matches the discard phrase " + why + "\n";
    disc->topic.clear();
    return;
  }
  if (s.parse_skipped) {
    // SentencesToParse found nothing to code here and made sure that no sentence it kept
    // refers back to this one's actors, so leaving no discourse behind changes no event.
    if (tracing)
      trace->text = out + "  not parsed: the pre-pass found no dictionary verb with an actor\n";
    *disc = internal::Discourse();
    return;
  }
  internal::FindUnits(v, date, *disc, &units);
  if (tracing) {
    out += "  actors:\n";
    bool any = false;
    for (const Unit& un : units.units) {
      if (un.codes.empty() && !un.null_actor) continue;
      any = true;
      out += "    \"" + UnitText(v, un) + "\" -> ";
      if (un.null_actor) out += "(null code on this date)";
      for (size_t k = 0; k < un.codes.size(); ++k) out += (k ? ", " : "") + un.codes[k];
      if (un.absorbed_into >= 0)
        out += ", part of \"" + UnitText(v, units.units[un.absorbed_into]) + "\"";
      else if (un.group >= 0)
        out += ", in a compound";
      out += "\n      from " + un.entries + "\n";
    }
    if (!any) out += "    none\n";
  }
  // Discourse for the next sentence: this sentence's first actor.
  internal::Discourse next;
  for (const Unit& un : units.units) {
    if (!un.active() || un.pronoun) continue;
    for (const auto& c : un.codes) next.codes.push_back(c);
    if (next.topic.empty() || un.first < next.first) {
      next.topic = un.codes;
      next.first = un.first;
      next.topic_text = "\"" + UnitText(v, un) + "\"";
    }
  }

  std::vector<VerbHit> hits;
  FindVerbs(v, units, &hits);
  AssignRoles(v, &units, &hits);

  // Verb chains.
  struct Pending {
    const VerbHit* h;
    CodeList src, tgt;
    std::string primary, paired;
    bool subordinate = false;
    std::string pattern, where;
  };
  std::vector<Pending> pend;
  std::vector<int> hit_at(v.n, -1);
  for (size_t k = 0; k < hits.size(); ++k) hit_at[hits[k].word] = static_cast<int>(k);
  for (VerbHit& h : hits) {
    // The governing verb: the head, or the nearest verb up a chain of xcomps ("is said to be
    // about to restore").
    int g = v.head[h.word];
    int gh = g >= 0 ? hit_at[g] : -1;
    for (int x = h.word, steps = 0; gh < 0 && steps < 6 && IsOpenComplement(v, x) && v.head[x] >= 0;
         ++steps) {
      x = v.head[x];
      if (hit_at[x] >= 0 && IsOpenComplement(v, h.word)) gh = hit_at[x];
    }
    if (gh < 0 || !hits[gh].coded()) continue;
    VerbHit& upper = hits[gh];
    CodeList src, tgt;
    std::string code, text;
    if (h.coded() && !h.negated && !upper.negated &&
        Transform(v, upper, h, &src, &tgt, &code, &text)) {
      // The transformation's event replaces the governing verb's; the lower event stands
      // ("X said Y attacked Z": Y->Z attack, and X->Y accuse when the dictionary says so).
      Pending p{&upper, src, tgt, code, "", false, text, ""};
      pend.push_back(std::move(p));
      upper.suppressed = true;
      upper.note += "transformation " + text + "; ";
      continue;
    }
    if (IsOpenComplement(v, h.word)) {
      h.suppressed = true;
      h.note += "folded into governing verb \"" + v.W(upper.word).form + "\"; ";
      if (h.coded() && !upper.pattern) {
        std::string c = Combine(upper.code.primary, h.code.primary);
        if (c != upper.code.primary) {
          upper.note +=
              "combined with \"" + v.W(h.word).form + "\" [" + h.code.primary + "] -> " + c + "; ";
          upper.code.primary = c;
          upper.code.paired.clear();
        }
      }
      if (upper.targets.empty() && !h.targets.empty()) {
        upper.targets = h.targets;
        upper.target_unit = h.target_unit;
      }
    }
  }

  for (const VerbHit& h : hits) {
    if (h.suppressed) continue;
    if (!h.coded()) continue;
    if (h.negated) continue;
    Pending p;
    p.h = &h;
    p.src = h.sources;
    p.tgt = h.targets;
    p.primary = h.code.primary;
    p.paired = h.code.paired;
    p.subordinate = h.code.subordinate;
    if (h.pattern) {
      p.pattern = h.pattern->text;
      p.where = d.Where(h.pattern->where);
    } else {
      p.pattern = d.verbs()[h.verb].text;
      p.where = d.Where(d.verbs()[h.verb].where);
    }
    pend.push_back(std::move(p));
  }

  // Events.
  std::vector<Event> local;
  std::vector<uint8_t> subordinate;
  auto emit = [&](const Pending& p, const std::string& code, const std::string& src, int su,
                  const std::string& tgt, int tu) {
    if (IsSpecial(code)) return;
    if (opt.require_dyad ? (src.empty() || tgt.empty()) : (src.empty() && tgt.empty())) return;
    if (!src.empty() && src == tgt) return;
    for (const Event& e : local)
      if (e.source == src && e.target == tgt && e.code == code) return;
    Event e;
    e.doc_id = doc.id;
    e.sentence = si;
    e.date = IsoDate(date);
    e.source = src;
    e.target = tgt;
    e.code = code;
    std::string_view valid = cameo::NearestValid(code);
    e.root = std::string(cameo::RootOf(valid));
    if (const cameo::EventType* t = cameo::Find(valid)) {
      e.quad_class = t->quad_class;
      e.goldstein = t->goldstein;
    }
    if (su >= 0) {
      const Unit& un = units.units[su];
      e.source_span = WordsSpan(s, un.first, un.last);
      e.source_text = SpanText(doc, e.source_span);
    }
    if (tu >= 0) {
      const Unit& un = units.units[tu];
      e.target_span = WordsSpan(s, un.first, un.last);
      e.target_text = SpanText(doc, e.target_span);
    }
    e.verb_span = WordsSpan(s, p.h->first, p.h->last);
    e.verb_text = SpanText(doc, e.verb_span);
    e.pattern = p.pattern;
    e.pattern_where = p.where;
    e.text = s.text;
    local.push_back(std::move(e));
    subordinate.push_back(p.subordinate);
  };
  for (const Pending& p : pend) {
    CodeList src = p.src, tgt = p.tgt;
    if (src.empty()) src.emplace_back("", -1);
    if (tgt.empty()) tgt.emplace_back("", -1);
    for (const auto& [sc, su] : src)
      for (const auto& [tc, tu] : tgt) {
        if (!p.primary.empty()) emit(p, p.primary, sc, su, tc, tu);
        if (!p.paired.empty()) emit(p, p.paired, tc, tu, sc, su);
      }
  }
  const size_t first_event = events->size();
  // A subordinate code ([023?]) stands only when nothing else was coded.
  bool any_main = false;
  for (uint8_t sub : subordinate) any_main |= !sub;
  for (size_t k = 0; k < local.size(); ++k)
    if (!(any_main && subordinate[k])) events->push_back(local[k]);

  // Issues: the dictionary's phrases anywhere in the sentence.
  if (!d.issue_phrases().empty() && !local.empty()) {
    std::vector<std::string> issues;
    bool ignore = false;
    for (int i = 0; i < v.n; ++i) {
      for (const auto* ids : {&v.form, &v.lemma}) {
        const auto* p = d.issue_phrases().Match(*ids, i);
        if (!p) continue;
        const dict::Issue& is = d.issues()[p->owner];
        if (is.kind != dict::IssueKind::kCode) {
          ignore = true;
        } else if (is.code < d.issue_codes().size()) {
          const std::string& c = d.issue_codes()[is.code];
          if (std::find(issues.begin(), issues.end(), c) == issues.end()) issues.push_back(c);
        }
        break;
      }
    }
    if (!ignore)
      for (size_t k = events->size() - std::min(events->size(), local.size()); k < events->size();
           ++k)
        if (events->at(k).sentence == si) events->at(k).issues = issues;
  }

  if (tracing) {
    out += "  verbs:\n";
    if (hits.empty()) out += "    none in the verb dictionary\n";
    auto list = [&](const CodeList& l) {
      std::string t;
      for (const auto& [c, unit] : l) t += (t.empty() ? "" : ", ") + c;
      return t.empty() ? std::string("none") : t;
    };
    for (const VerbHit& h : hits) {
      const dict::Verb& verb = d.verbs()[h.verb];
      out += "    \"";
      for (int k = h.first; k <= h.last; ++k) out += (k > h.first ? " " : "") + v.W(k).form;
      out += "\" (word " + std::to_string(h.word + 1) + "): " + DictLine(verb.text) + "  " +
             d.Where(verb.where) + "\n";
      if (h.pattern) {
        out +=
            "      pattern " + DictLine(h.pattern->text) + "  " + d.Where(h.pattern->where) + "\n";
      } else {
        size_t tried = 0;
        for (uint32_t vi : SameVerbs(h.verb)) tried += d.PatternsFor(vi).size();
        out += "      " +
               (tried ? "none of its " + std::to_string(tried) + " patterns matched"
                      : std::string("no patterns")) +
               "; the verb's code " + h.code.ToString() + "\n";
      }
      out += "      source " + list(h.sources);
      if (h.bind.source >= 0 || h.bind.compound >= 0)
        out += " (from the pattern)";
      else if (h.subject >= 0)
        out += " (subject \"" + v.W(h.subject).form + "\")";
      out += ", target " + list(h.targets);
      if (h.bind.target >= 0) out += " (from the pattern)";
      out += "\n";
      std::string why = h.note;
      if (!h.coded()) why += "null code: no event; ";
      if (h.negated) why += "negated (\"" + v.W(NegationOf(v, h.word)).form + "\"): no event; ";
      if (!why.empty()) out += "      " + why.substr(0, why.size() - 2) + "\n";
    }
    out += "  events:";
    if (local.empty()) out += " none";
    for (size_t k = 0; k < local.size(); ++k) {
      const Event& e = local[k];
      out += std::string(k ? "," : "") + " " + (e.source.empty() ? "---" : e.source) + " -> " +
             (e.target.empty() ? "---" : e.target) + " " + e.code;
    }
    if (!local.empty() && local.size() != events->size() - first_event)
      out += " (subordinate codes dropped)";
    out += "\n";
    trace->text = std::move(out);
  }
  *disc = std::move(next);
}

// ---------------------------------------------------------------------------------------------

Coder::Coder() = default;
Coder::~Coder() = default;
Coder::Coder(Coder&&) noexcept = default;
Coder& Coder::operator=(Coder&&) noexcept = default;

Result<Coder> Coder::Create(std::shared_ptr<const dict::Dictionary> dictionary,
                            const CoderOptions& options) {
  if (!dictionary) return Status::Error("coder: no dictionary");
  Coder c;
  c.impl_ = std::make_unique<Impl>();
  c.impl_->dict = std::move(dictionary);
  c.impl_->opt = options;
  c.impl_->IndexSameVerbs();
  if (!options.default_date.empty()) {
    int32_t dd = ParseDate(options.default_date);
    if (dd < 0)
      return Status::Error("coder: default date '" + options.default_date +
                           "' is not YYYYMMDD or YYYY-MM-DD");
    c.impl_->default_date = dd;
  }
  return c;
}

std::vector<uint8_t> Coder::SentencesToParse(const Document& doc) const {
  const size_t n = doc.sentences.size();
  std::vector<uint8_t> need(n, 1);
  if (!impl_ || impl_->opt.new_actor_length > 0) return need;
  const dict::Dictionary& d = *impl_->dict;
  // What each sentence holds, from its words and tags alone. Each test is a superset of what
  // the coder looks for in the parsed sentence (the parse can only narrow it: dropped comma
  // clauses, relations), so a sentence that fails it codes nothing whatever its parse.
  std::vector<uint8_t> verb(n, 0), refers(n, 0), discard(n, 0);
  std::vector<int> actors(n, 0), pronouns(n, 0);  // upper bounds on actor units
  thread_local SentenceView v;
  for (size_t si = 0; si < n; ++si) {
    const Sentence& s = doc.sentences[si];
    v.Build(s, d, impl_->opt);
    discard[si] = impl_->Discarded(v, false);
    for (int i = 0; i < v.n; ++i) {
      if (v.skip[i]) continue;
      const Word& w = v.W(i);
      // Actors and agents: a dictionary phrase starting here (forms; lemmas for plurals).
      // Counting every start bounds the number of phrases the coder can find; a coded
      // compound ("[GME/GMW]") is several actors in one phrase.
      const dict::PhraseTable::Phrase* a = d.actor_phrases().Match(v.form, i);
      if (!a) a = d.actor_phrases().Match(v.lemma, i);
      bool agent = d.agent_phrases().Match(v.form, i) != nullptr;
      if (a || agent) ++actors[si];
      if (a)
        for (const dict::DatedCode& c : d.actors()[a->owner].codes)
          if (c.code.find('/') != std::string::npos) {
            ++actors[si];
            break;
          }
      // Pronouns stand for an earlier actor; definite agents ("the regime") may too.
      if ((w.upos == "PRON" || w.upos == "DET") && internal::IsAnaphoricPronoun(v, i)) {
        ++pronouns[si];
        refers[si] = 1;
      }
      if (agent) refers[si] = 1;
      // Verbs: FindVerbs' test without the parse (nouns and adjectives may be predicates).
      if (verb[si]) continue;
      bool verbish = w.upos == "VERB" || w.upos == "NOUN" || w.upos == "ADJ" ||
                     (w.xpos.size() >= 2 && w.xpos.compare(0, 2, "VB") == 0 && w.upos != "AUX");
      if (!verbish) continue;
      for (dict::WordId id : {v.form[i], v.lemma[i]}) {
        if (id == dict::kNoWord) continue;
        for (const dict::VerbRef& r : d.VerbsForWord(id)) {
          const dict::VerbForm& f = d.verbs()[r.verb].forms[r.form];
          int nb = static_cast<int>(f.before.size()), na = static_cast<int>(f.after.size());
          if (i - nb < 0 || i + na >= v.n) continue;
          bool ok = true;
          for (int k = 0; k < nb && ok; ++k) ok = v.form[i - nb + k] == f.before[k];
          for (int k = 0; k < na && ok; ++k) ok = v.form[i + 1 + k] == f.after[k];
          if (ok) verb[si] = 1;
        }
      }
    }
  }
  // An event needs a source and a target (one of them without require_dyad). A pronoun
  // stands for an actor of its own sentence or for the previous one's first actor, which only
  // a sentence with actors and not discarded leaves behind, and which is several actors when
  // it is a compound ("... schools. They said": the schools act on each other).
  const int wanted = impl_->opt.require_dyad ? 2 : 1;
  std::vector<uint8_t> actor(n, 0);
  for (size_t si = 0; si < n; ++si) {
    actor[si] = actors[si] > 0;
    bool prev = si > 0 && actors[si - 1] > 0 && !discard[si - 1];
    int weight = prev && actors[si - 1] >= 2 ? 2 : 1;
    int bound = actors[si] + (actors[si] > 0 || prev ? pronouns[si] * weight : 0);
    need[si] = !discard[si] && verb[si] && bound >= wanted;
  }
  // A kept sentence that refers back needs the actors of the sentence before it, which
  // needs its parse; that sentence's own definite agents may refer further back, and a
  // discarded sentence passes the earlier codes through.
  for (size_t si = n; si-- > 0;) {
    if (!need[si] || !refers[si]) continue;
    for (size_t j = si; j > 0;) {
      size_t p = j - 1;
      if (discard[p]) {
        j = p;
        continue;
      }
      if (!actor[p]) break;
      need[p] = 1;
      if (!refers[p]) break;
      j = p;
    }
  }
  return need;
}

const dict::Dictionary& Coder::dictionary() const { return *impl_->dict; }
const CoderOptions& Coder::options() const { return impl_->opt; }

std::vector<Event> Coder::Code(const Document& doc, std::vector<SentenceTrace>* trace) const {
  std::vector<Event> events;
  if (trace) trace->clear();
  if (!impl_) return events;  // a moved-from or default-constructed Coder codes nothing
  int32_t date = ParseDate(doc.date);
  if (date < 0) date = impl_->default_date;
  internal::Discourse disc;
  for (uint32_t si = 0; si < doc.sentences.size(); ++si) {
    SentenceTrace t;
    bool story_discard = false;
    impl_->CodeSentence(doc, si, date, &disc, &events, trace ? &t : nullptr, &story_discard);
    if (story_discard) {  // "+TYPHOON" anywhere drops the whole document
      events.clear();
      if (trace) {
        trace->clear();
        t.sentence = si;
        t.text = "sentence " + std::to_string(si) + ": " + doc.sentences[si].text +
                 "\n  discarded: the story matches a story discard phrase; nothing coded\n";
        trace->push_back(std::move(t));
      }
      break;
    }
    if (trace) trace->push_back(std::move(t));
  }
  return events;
}

}  // namespace dyad::coder
