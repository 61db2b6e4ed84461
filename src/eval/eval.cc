// The CoNLL 2018 UD scorer (see include/dyad/eval.h for what is scored and how).
//
// Both sides are first flattened into the script's representation: one string of characters
// (Unicode code points, spaces removed) for the whole corpus, token and sentence ranges into it,
// and one list of words for the whole corpus with heads as indices into that list. Alignment
// then walks the two word lists together; nothing is aligned per sentence, so a missed
// sentence boundary costs the Sentences score only.
#include "dyad/eval.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string_view>

namespace dyad {
namespace {

constexpr int32_t kRoot = -1;        // HEAD 0
constexpr int32_t kNotAligned = -2;  // a system head whose word has no gold counterpart
constexpr int32_t kNoHead = -3;      // HEAD missing ('_' or out of range), require_trees off

// The relations and features the script treats specially (CoNLL 2018 evaluation definitions).
bool IsContentDeprel(std::string_view d) {
  static constexpr std::string_view kContent[] = {
      "nsubj",  "obj",        "iobj",       "csubj",  "ccomp",     "xcomp",    "obl",   "vocative",
      "expl",   "dislocated", "advcl",      "advmod", "discourse", "nmod",     "appos", "nummod",
      "acl",    "amod",       "conj",       "fixed",  "flat",      "compound", "list",  "parataxis",
      "orphan", "goeswith",   "reparandum", "root",   "dep"};
  return std::find(std::begin(kContent), std::end(kContent), d) != std::end(kContent);
}

bool IsFunctionalDeprel(std::string_view d) {
  static constexpr std::string_view kFunctional[] = {"aux", "cop",  "mark", "det",
                                                     "clf", "case", "cc"};
  return std::find(std::begin(kFunctional), std::end(kFunctional), d) != std::end(kFunctional);
}

bool IsUniversalFeature(std::string_view f) {
  static constexpr std::string_view kFeatures[] = {
      "PronType", "NumType", "Poss",  "Reflex",   "Foreign",  "Abbr",     "Gender",
      "Animacy",  "Number",  "Case",  "Definite", "Degree",   "VerbForm", "Mood",
      "Tense",    "Aspect",  "Voice", "Evident",  "Polarity", "Person",   "Polite"};
  return std::find(std::begin(kFeatures), std::end(kFeatures), f) != std::end(kFeatures);
}

// Decodes UTF-8; an invalid byte becomes U+FFFD so that both sides decode the same way.
std::u32string Decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t n = static_cast<utf8proc_ssize_t>(s.size()), i = 0;
  while (i < n) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t len = utf8proc_iterate(p + i, n - i, &cp);
    if (len <= 0) {
      cp = 0xFFFD;
      len = 1;
    }
    out.push_back(static_cast<char32_t>(cp));
    i += len;
  }
  return out;
}

std::string Encode(std::u32string_view s) {
  std::string out;
  utf8proc_uint8_t buf[4];
  for (char32_t c : s) {
    utf8proc_ssize_t len = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(len));
  }
  return out;
}

bool IsSpaceSeparator(char32_t c) {
  return utf8proc_category(static_cast<utf8proc_int32_t>(c)) == UTF8PROC_CATEGORY_ZS;
}

std::u32string Lower(std::u32string s) {
  for (char32_t& c : s)
    c = static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
  return s;
}

std::string OrUnderscore(const std::string& v) { return v.empty() ? "_" : v; }

// "Case=Nom|Typo=Yes|Number=Sing" -> "Case=Nom|Number=Sing": universal features, sorted.
std::string UniversalFeats(std::string_view feats) {
  std::vector<std::string_view> kept;
  size_t pos = 0;
  while (pos <= feats.size()) {
    size_t bar = feats.find('|', pos);
    if (bar == std::string_view::npos) bar = feats.size();
    std::string_view f = feats.substr(pos, bar - pos);
    if (IsUniversalFeature(f.substr(0, f.find('=')))) kept.push_back(f);
    pos = bar + 1;
  }
  std::sort(kept.begin(), kept.end());
  std::string out;
  for (size_t i = 0; i < kept.size(); ++i) {
    if (i) out += '|';
    out += kept[i];
  }
  return out;
}

struct Range {
  int64_t begin = 0, end = 0;  // code points into Side::chars, half-open
};

struct UdWord {
  Range span;              // its token's range (the whole multiword token for its words)
  bool multiword = false;  // part of a multiword token
  std::u32string lower_form;
  std::string lemma, upos, xpos, feats, deprel;  // feats universal only; deprel without subtype
  int32_t parent = kRoot;                        // index into Side::words, or kRoot / kNoHead
  std::vector<int32_t> functional_children;
  bool content = false, functional = false;
};

struct Side {
  std::u32string chars;
  std::vector<Range> tokens, sentences;
  std::vector<UdWord> words;
  std::vector<std::string> sentence_names;  // parallel to `sentences`, for messages
};

std::string SentenceName(const Sentence& s, size_t index) {
  return s.id.empty() ? "#" + std::to_string(index + 1) : "'" + s.id + "'";
}

// Checks the tree of one sentence's words [base, end): one root, no cycle.
Status CheckTree(const std::vector<UdWord>& words, size_t base, size_t end) {
  size_t roots = 0;
  for (size_t i = base; i < end; ++i) roots += words[i].parent == kRoot;
  if (roots != 1)
    return Status::Error(roots == 0 ? "no word has HEAD 0" : "there are multiple roots");
  // Colour each word once: 0 unseen, 1 on the current path, 2 known to reach the root.
  std::vector<uint8_t> colour(end - base, 0);
  for (size_t i = base; i < end; ++i) {
    std::vector<size_t> path;
    size_t w = i;
    while (true) {
      if (colour[w - base] == 2) break;
      if (colour[w - base] == 1) return Status::Error("there is a cycle");
      colour[w - base] = 1;
      path.push_back(w);
      if (words[w].parent < 0) break;
      w = static_cast<size_t>(words[w].parent);
    }
    for (size_t p : path) colour[p - base] = 2;
  }
  return Status::Ok();
}

Result<Side> Flatten(const std::vector<Sentence>& sentences, const char* side,
                     const EvalOptions& opts) {
  Side out;
  for (size_t si = 0; si < sentences.size(); ++si) {
    const Sentence& s = sentences[si];
    if (s.tokens.empty()) continue;
    auto error = [&](const std::string& what) {
      return Status::Error(std::string(side) + " sentence " + SentenceName(s, si) + ": " + what);
    };
    const size_t base = out.words.size();
    const int64_t sentence_begin = static_cast<int64_t>(out.chars.size());
    uint32_t next_word = 0;
    for (size_t ti = 0; ti < s.tokens.size(); ++ti) {
      const Token& t = s.tokens[ti];
      if (t.first_word != next_word || t.last_word < t.first_word || t.last_word >= s.words.size())
        return error("token " + std::to_string(ti + 1) + " '" + t.form +
                     "' does not cover the next words in order");
      std::u32string form = Decode(t.form);
      std::erase_if(form, IsSpaceSeparator);
      if (form.empty()) return error("token " + std::to_string(ti + 1) + " has an empty form");
      Range span{static_cast<int64_t>(out.chars.size()), 0};
      out.chars += form;
      span.end = static_cast<int64_t>(out.chars.size());
      out.tokens.push_back(span);
      const bool multiword = t.last_word > t.first_word;
      for (uint32_t wi = t.first_word; wi <= t.last_word; ++wi) {
        const Word& w = s.words[wi];
        UdWord u;
        u.span = span;
        u.multiword = multiword;
        // The script strips spaces from a token's form but not from the words of a multiword
        // token; only LCS alignment looks at word forms.
        u.lower_form = Lower(multiword ? Decode(w.form) : form);
        u.lemma = OrUnderscore(w.lemma);
        u.upos = OrUnderscore(w.upos);
        u.xpos = OrUnderscore(w.xpos);
        u.feats = UniversalFeats(w.feats);
        u.deprel = OrUnderscore(w.deprel.substr(0, w.deprel.find(':')));
        u.content = IsContentDeprel(u.deprel);
        u.functional = IsFunctionalDeprel(u.deprel);
        const int n = static_cast<int>(s.words.size());
        if (w.head < 0 || w.head > n) {
          if (opts.require_trees)
            return error("word " + std::to_string(wi + 1) + " '" + w.form + "' has " +
                         (w.head < 0 ? std::string("no HEAD")
                                     : "HEAD " + std::to_string(w.head) + " outside the sentence"));
          u.parent = kNoHead;
        } else {
          u.parent = w.head == 0 ? kRoot : static_cast<int32_t>(base + w.head - 1);
        }
        out.words.push_back(std::move(u));
      }
      next_word = t.last_word + 1;
    }
    if (next_word != s.words.size())
      return error("words " + std::to_string(next_word + 1) + ".." +
                   std::to_string(s.words.size()) + " belong to no token");
    if (opts.require_trees) {
      Status st = CheckTree(out.words, base, out.words.size());
      if (!st.ok()) return error(st.message());
    }
    for (size_t i = base; i < out.words.size(); ++i) {
      const UdWord& w = out.words[i];
      if (w.parent >= 0 && w.functional)
        out.words[static_cast<size_t>(w.parent)].functional_children.push_back(
            static_cast<int32_t>(i));
    }
    out.sentences.push_back({sentence_begin, static_cast<int64_t>(out.chars.size())});
    out.sentence_names.push_back(SentenceName(s, si));
  }
  return out;
}

// Ranges are correct when both start and end agree; both lists are in text order.
EvalScore SpansScore(const std::vector<Range>& gold, const std::vector<Range>& system) {
  EvalScore sc;
  sc.gold_total = static_cast<int64_t>(gold.size());
  sc.system_total = static_cast<int64_t>(system.size());
  size_t gi = 0, si = 0;
  while (gi < gold.size() && si < system.size()) {
    if (system[si].begin < gold[gi].begin) {
      ++si;
    } else if (gold[gi].begin < system[si].begin) {
      ++gi;
    } else {
      sc.correct += gold[gi].end == system[si].end;
      ++gi;
      ++si;
    }
  }
  return sc;
}

struct Alignment {
  std::vector<std::pair<size_t, size_t>> pairs;  // (gold word, system word), in text order
  std::vector<int32_t> system_to_gold;           // gold word index or kNotAligned
};

// True when word i lies beyond the multiword span ending at `end`.
bool BeyondEnd(const std::vector<UdWord>& words, size_t i, int64_t end) {
  if (i >= words.size()) return true;
  if (words[i].multiword) return words[i].span.begin >= end;
  return words[i].span.end > end;
}

int64_t ExtendEnd(const UdWord& w, int64_t end) {
  return w.multiword && w.span.end > end ? w.span.end : end;
}

// Aligns the words of gold[gs, ge) and system[ss, se) by the longest common subsequence of
// their lower-cased forms, preferring (like the script) to skip gold words on ties.
void AlignByLcs(const Side& g, const Side& s, size_t gs, size_t ge, size_t ss, size_t se,
                Alignment* a) {
  const size_t ng = ge - gs, ns = se - ss;
  // lcs[i][j]: LCS length of gold[gs+i..) and system[ss+j..); row/column ng/ns are zero.
  std::vector<int32_t> lcs((ng + 1) * (ns + 1), 0);
  auto at = [&](size_t i, size_t j) -> int32_t& { return lcs[i * (ns + 1) + j]; };
  for (size_t i = ng; i-- > 0;) {
    for (size_t j = ns; j-- > 0;) {
      int32_t v = 0;
      if (g.words[gs + i].lower_form == s.words[ss + j].lower_form) v = 1 + at(i + 1, j + 1);
      at(i, j) = std::max({v, at(i + 1, j), at(i, j + 1)});
    }
  }
  size_t i = 0, j = 0;
  while (i < ng && j < ns) {
    if (g.words[gs + i].lower_form == s.words[ss + j].lower_form) {
      a->pairs.emplace_back(gs + i, ss + j);
      a->system_to_gold[ss + j] = static_cast<int32_t>(gs + i);
      ++i;
      ++j;
    } else if (at(i, j) == at(i + 1, j)) {
      ++i;
    } else {
      ++j;
    }
  }
}

Alignment AlignWords(const Side& g, const Side& s) {
  Alignment a;
  a.system_to_gold.assign(s.words.size(), kNotAligned);
  const auto& gw = g.words;
  const auto& sw = s.words;
  size_t gi = 0, si = 0;
  while (gi < gw.size() && si < sw.size()) {
    if (gw[gi].multiword || sw[si].multiword) {
      // Find the smallest span that starts here and cuts no multiword token of either side.
      int64_t end;
      if (gw[gi].multiword) {
        end = gw[gi].span.end;
        if (!sw[si].multiword && sw[si].span.begin < gw[gi].span.begin) ++si;
      } else {
        end = sw[si].span.end;
        if (!gw[gi].multiword && gw[gi].span.begin < sw[si].span.begin) ++gi;
      }
      const size_t gs = gi, ss = si;
      while (!BeyondEnd(gw, gi, end) || !BeyondEnd(sw, si, end)) {
        if (gi < gw.size() && (si >= sw.size() || gw[gi].span.begin <= sw[si].span.begin)) {
          end = ExtendEnd(gw[gi], end);
          ++gi;
        } else {
          end = ExtendEnd(sw[si], end);
          ++si;
        }
      }
      if (gi > gs && si > ss) AlignByLcs(g, s, gs, gi, ss, si, &a);
    } else if (gw[gi].span.begin == sw[si].span.begin && gw[gi].span.end == sw[si].span.end) {
      a.pairs.emplace_back(gi, si);
      a.system_to_gold[si] = static_cast<int32_t>(gi);
      ++gi;
      ++si;
    } else if (gw[gi].span.begin <= sw[si].span.begin) {
      ++gi;
    } else {
      ++si;
    }
  }
  return a;
}

using WordFilter = std::function<bool(const UdWord&)>;
using WordMatch = std::function<bool(const UdWord& gold, const UdWord& system)>;

// Counts over all words (or those passing `filter`, judged on each side's own word and on
// the gold word of an aligned pair); `match` decides whether an aligned pair is correct.
// Without `match` the score is word alignment itself.
EvalScore AlignmentScore(const Side& g, const Side& s, const Alignment& a, const WordMatch& match,
                         const WordFilter& filter = nullptr) {
  EvalScore sc;
  auto pass = [&](const UdWord& w) { return !filter || filter(w); };
  for (const auto& w : g.words) sc.gold_total += pass(w);
  for (const auto& w : s.words) sc.system_total += pass(w);
  int64_t aligned = 0;
  for (const auto& [gi, si] : a.pairs) {
    if (!pass(g.words[gi])) continue;
    ++aligned;
    if (!match || match(g.words[gi], s.words[si])) ++sc.correct;
  }
  if (match) sc.aligned_total = aligned;
  return sc;
}

std::string Context(std::u32string_view chars, size_t at) {
  if (at >= chars.size()) return "(end of text)";
  return "'" + Encode(chars.substr(at, 20)) + "'";
}

Status TextMismatch(const Side& g, const Side& s) {
  size_t i = 0;
  while (i < g.chars.size() && i < s.chars.size() && g.chars[i] == s.chars[i]) ++i;
  std::string where;
  if (!g.sentences.empty()) {
    // The last gold sentence that starts at or before the difference.
    auto it = std::upper_bound(g.sentences.begin(), g.sentences.end(), static_cast<int64_t>(i),
                               [](int64_t v, const Range& r) { return v < r.begin; });
    size_t k = it == g.sentences.begin() ? 0 : static_cast<size_t>(it - g.sentences.begin()) - 1;
    where = ", in gold sentence " + g.sentence_names[k];
  }
  return Status::Error(
      "the gold and system texts differ (comparing token characters without spaces) at "
      "character " +
      std::to_string(i) + where + ": gold has " + Context(g.chars, i) + ", system has " +
      Context(s.chars, i));
}

}  // namespace

double EvalScore::precision() const {
  return system_total ? static_cast<double>(correct) / static_cast<double>(system_total) : 0.0;
}
double EvalScore::recall() const {
  return gold_total ? static_cast<double>(correct) / static_cast<double>(gold_total) : 0.0;
}
double EvalScore::f1() const {
  return system_total + gold_total
             ? static_cast<double>(2 * correct) / static_cast<double>(system_total + gold_total)
             : 0.0;
}
double EvalScore::aligned_accuracy() const {
  return aligned_total > 0 ? static_cast<double>(correct) / static_cast<double>(aligned_total)
                           : 0.0;
}

std::vector<std::pair<std::string, const EvalScore*>> EvalReport::Metrics() const {
  return {{"Tokens", &tokens},   {"Sentences", &sentences}, {"Words", &words},
          {"UPOS", &upos},       {"XPOS", &xpos},           {"UFeats", &ufeats},
          {"AllTags", &alltags}, {"Lemmas", &lemmas},       {"UAS", &uas},
          {"LAS", &las},         {"CLAS", &clas},           {"MLAS", &mlas},
          {"BLEX", &blex}};
}

Result<EvalReport> EvaluateSentences(const std::vector<Sentence>& gold,
                                     const std::vector<Sentence>& system, const EvalOptions& opts) {
  DYAD_ASSIGN_OR_RETURN(Side g, Flatten(gold, "gold", opts));
  DYAD_ASSIGN_OR_RETURN(Side s, Flatten(system, "system", opts));
  if (g.chars != s.chars) return TextMismatch(g, s);
  const Alignment a = AlignWords(g, s);

  // What a system head points to, in gold word indices (kNotAligned never equals a gold head;
  // a missing head on either side never equals anything).
  auto sys_head = [&](int32_t p) -> int32_t {
    if (p == kRoot) return kRoot;
    if (p == kNoHead) return kNoHead - 1;
    return a.system_to_gold[static_cast<size_t>(p)];
  };
  auto same_head = [&](const UdWord& gw, const UdWord& sw) {
    return gw.parent == sys_head(sw.parent);
  };
  auto lemma_ok = [](const UdWord& gw, const UdWord& sw) {
    return gw.lemma == "_" || gw.lemma == sw.lemma;
  };
  auto las_ok = [&](const UdWord& gw, const UdWord& sw) {
    return same_head(gw, sw) && gw.deprel == sw.deprel;
  };
  auto content = [](const UdWord& w) { return w.content; };

  EvalReport r;
  r.tokens = SpansScore(g.tokens, s.tokens);
  r.sentences = SpansScore(g.sentences, s.sentences);
  r.words = AlignmentScore(g, s, a, nullptr);
  r.upos =
      AlignmentScore(g, s, a, [](const UdWord& x, const UdWord& y) { return x.upos == y.upos; });
  r.xpos =
      AlignmentScore(g, s, a, [](const UdWord& x, const UdWord& y) { return x.xpos == y.xpos; });
  r.ufeats =
      AlignmentScore(g, s, a, [](const UdWord& x, const UdWord& y) { return x.feats == y.feats; });
  r.alltags = AlignmentScore(g, s, a, [](const UdWord& x, const UdWord& y) {
    return x.upos == y.upos && x.xpos == y.xpos && x.feats == y.feats;
  });
  r.lemmas = AlignmentScore(g, s, a, lemma_ok);
  r.uas = AlignmentScore(g, s, a, same_head);
  r.las = AlignmentScore(g, s, a, las_ok);
  r.clas = AlignmentScore(g, s, a, las_ok, content);
  r.mlas = AlignmentScore(
      g, s, a,
      [&](const UdWord& gw, const UdWord& sw) {
        if (!las_ok(gw, sw) || gw.upos != sw.upos || gw.feats != sw.feats) return false;
        if (gw.functional_children.size() != sw.functional_children.size()) return false;
        for (size_t k = 0; k < gw.functional_children.size(); ++k) {
          const int32_t gc = gw.functional_children[k], sc = sw.functional_children[k];
          const UdWord& x = g.words[static_cast<size_t>(gc)];
          const UdWord& y = s.words[static_cast<size_t>(sc)];
          if (a.system_to_gold[static_cast<size_t>(sc)] != gc || x.deprel != y.deprel ||
              x.upos != y.upos || x.feats != y.feats)
            return false;
        }
        return true;
      },
      content);
  r.blex = AlignmentScore(
      g, s, a,
      [&](const UdWord& gw, const UdWord& sw) { return las_ok(gw, sw) && lemma_ok(gw, sw); },
      content);
  return r;
}

Result<EvalReport> EvaluateConllu(const ConlluCorpus& gold, const ConlluCorpus& system,
                                  const EvalOptions& opts) {
  return EvaluateSentences(gold.sentences, system.sentences, opts);
}

std::string FormatTable(const EvalReport& r) {
  std::string out =
      "Metric     | Precision |    Recall |  F1 Score | AligndAcc\n"
      "-----------+-----------+-----------+-----------+-----------\n";
  char buf[128];
  for (const auto& [name, sc] : r.Metrics()) {
    std::snprintf(buf, sizeof buf, "%-11s|%10.2f |%10.2f |%10.2f |", name.c_str(),
                  100 * sc->precision(), 100 * sc->recall(), 100 * sc->f1());
    out += buf;
    if (sc->has_aligned_accuracy()) {
      std::snprintf(buf, sizeof buf, "%10.2f", 100 * sc->aligned_accuracy());
      out += buf;
    }
    out += '\n';
  }
  return out;
}

std::string FormatCounts(const EvalReport& r) {
  std::string out =
      "Metric     | Correct   |      Gold | Predicted | Aligned\n"
      "-----------+-----------+-----------+-----------+-----------\n";
  char buf[128];
  for (const auto& [name, sc] : r.Metrics()) {
    std::snprintf(buf, sizeof buf, "%-11s|%10lld |%10lld |%10lld |", name.c_str(),
                  static_cast<long long>(sc->correct), static_cast<long long>(sc->gold_total),
                  static_cast<long long>(sc->system_total));
    out += buf;
    // As the script: Words shows its correct count, a zero or absent aligned count a blank.
    if (name == "Words" || sc->aligned_total > 0) {
      std::snprintf(buf, sizeof buf, "%10lld",
                    static_cast<long long>(name == "Words" ? sc->correct : sc->aligned_total));
      out += buf;
    } else {
      out += "          ";
    }
    out += '\n';
  }
  return out;
}

}  // namespace dyad
