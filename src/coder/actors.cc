// Actor units: dictionary actors and agents found in the words, gathered into the noun
// phrases the parse builds, with country + agent composition and pronoun resolution.
#include <algorithm>
#include <array>

#include "coder/internal.h"

namespace dyad::coder::internal {

namespace {

// Relations that keep a word inside its head's noun phrase for actor purposes.
bool InsideNounPhrase(std::string_view rel) {
  return rel == "compound" || rel == "flat" || rel == "fixed" || rel == "amod" || rel == "det" ||
         rel == "nummod" || rel == "goeswith" || rel == "flat:name" || rel == "flat:foreign" ||
         rel == "compound:prt" || rel == "nmod:npmod" || rel == "nmod:desc";
}

int NounPhraseHead(const SentenceView& v, int w) {
  for (int steps = 0; steps < v.n && v.head[w] >= 0 && InsideNounPhrase(v.Rel(w)); ++steps)
    w = v.head[w];
  return w;
}

// The word of [first, last] whose head lies outside the span (the phrase's syntactic head).
int SpanHead(const SentenceView& v, int first, int last) {
  for (int i = first; i <= last; ++i) {
    int h = v.head[i];
    if (h < first || h > last) return i;
  }
  return last;
}

enum class PronounKind { kNone, kPossessive, kPersonal, kPlural };

PronounKind Pronoun(const SentenceView& v, int i) {
  static constexpr std::array<std::string_view, 4> kPossessive = {"its", "his", "her", "their"};
  static constexpr std::array<std::string_view, 4> kPersonal = {"he", "she", "it", "him"};
  if (v.W(i).upos != "PRON" && v.W(i).upos != "DET") return PronounKind::kNone;
  std::string w = v.Lower(i);
  if (v.Rel(i) == "expl") return PronounKind::kNone;
  if (w == "they" || w == "them") return PronounKind::kPlural;
  if (w == "her" && v.Rel(i) != "nmod:poss") return PronounKind::kPersonal;
  for (auto p : kPossessive)
    if (w == p) return PronounKind::kPossessive;
  for (auto p : kPersonal)
    if (w == p) return PronounKind::kPersonal;
  return PronounKind::kNone;
}

// "It has been noted that ...", "it is likely that ...": an extraposed subject, not an actor.
bool Extraposed(const SentenceView& v, int i) {
  if (v.Lower(i) != "it") return false;
  int h = v.head[i];
  if (h < 0) return false;
  for (int c : v.Kids(h)) {
    std::string_view r = v.BaseRel(c);
    if (r == "ccomp" || r == "csubj") return true;
    if (r == "xcomp" && v.Child(h, "cop") >= 0) return true;
  }
  return v.Child(h, "cop") >= 0 && v.W(h).upos == "ADJ";
}

void SplitCodes(std::string_view code, std::vector<std::string>* out) {
  size_t start = 0;
  while (start <= code.size()) {
    size_t slash = code.find('/', start);
    if (slash == std::string_view::npos) slash = code.size();
    if (slash > start) out->emplace_back(code.substr(start, slash - start));
    start = slash + 1;
  }
}

// Appends `agent` to `code` (or prefixes it), skipping the 3-letter parts `code` already has:
// "USAGOV" + "GOV" stays "USAGOV"; "HGW" + "GOVMED" gives "HGWGOVMED".
std::string AddAgent(std::string code, std::string_view agent, bool prefix) {
  std::string add;
  for (size_t i = 0; i < agent.size(); i += 3) {
    std::string_view part = agent.substr(i, 3);
    bool present = false;
    for (size_t j = 0; j + part.size() <= code.size(); j += 3)
      if (std::string_view(code).substr(j, part.size()) == part) present = true;
    if (!present) add.append(part);
  }
  return prefix ? add + code : code + add;
}

struct Composer {
  const SentenceView& v;
  const dict::Dictionary& d;
  int32_t date;
  Units* out;

  std::string HitText(const PhraseHit& h) const {
    std::string t;
    for (int i = h.first; i <= h.last; ++i) {
      if (!t.empty()) t += ' ';
      t += v.W(i).form;
    }
    return t;
  }

  std::string EntryText(const PhraseHit& h) const {
    if (h.kind == PhraseHit::kActor) {
      const dict::Actor& a = d.actors()[h.owner];
      return "\"" + HitText(h) + "\" actor " + a.root + " [" + std::string(a.CodeOn(date)) + "] " +
             d.Where(a.where);
    }
    const dict::Agent& g = d.agents()[h.owner];
    return "\"" + HitText(h) + "\" agent [" + (g.prefix ? g.code + "~" : "~" + g.code) + "] " +
           d.Where(g.where);
  }

  void Extend(Unit& u, int first, int last) const {
    u.first = std::min(u.first, first);
    u.last = std::max(u.last, last);
  }

  void Absorb(int into, int from) {
    Unit& f = out->units[from];
    if (f.absorbed_into >= 0 || from == into) return;
    f.absorbed_into = into;
    Extend(out->units[into], f.first, f.last);
  }

  // Codes of the coded units reachable from word `w` for agent composition: `w`'s own unit
  // and its compound group.
  bool CountryUnits(int w, std::vector<int>* found) const {
    int u = out->unit_of_head[w];
    if (u < 0) return false;
    const Unit& unit = out->units[u];
    if (unit.codes.empty() || unit.null_actor || unit.agent_only) return false;
    if (unit.group < 0) {
      found->push_back(u);
      return true;
    }
    for (size_t g = 0; g < out->units.size(); ++g)  // absorbed members too
      if (out->units[g].group == unit.group && !out->units[g].codes.empty())
        found->push_back(static_cast<int>(g));
    return !found->empty();
  }

  void Compose(int ui, const std::vector<const PhraseHit*>& hits) {
    Unit& u = out->units[ui];
    if (u.pronoun) return;
    u.codes.clear();
    u.null_actor = false;
    u.agent_only = false;
    // The leftmost actor among the phrase's own words and its possessor.
    const PhraseHit* actor = nullptr;
    int poss_unit = -1;
    std::vector<const PhraseHit*> agents;
    for (const PhraseHit* h : hits) {
      if (h->kind == PhraseHit::kActor) {
        if (!actor || h->first < actor->first) actor = h;
      } else {
        agents.push_back(h);
      }
    }
    // A possessor of the head or of a word inside the phrase ("Ithilen's minister
    // Calimehtar" where the parse hangs "Ithilen's" on "minister").
    for (int w = 0; w < v.n; ++w) {
      if (w != u.head && NounPhraseHead(v, w) != u.head) continue;
      for (int c : v.Kids(w)) {
        if (v.Rel(c) != "nmod:poss") continue;
        int pu = out->unit_of_head[c];
        // An agent without a country ("the regime's forces") gives none to its phrase, and a
        // possessive pronoun makes an actor only of a group ("its army", not "its contract").
        if (pu < 0 || out->units[pu].codes.empty() || out->units[pu].agent_only) continue;
        if (out->units[pu].pronoun && agents.empty()) continue;
        if (!actor || out->units[pu].first < actor->first) poss_unit = pu;
      }
    }
    // Agents that only modify a head that is neither actor nor agent describe a thing, not
    // a group: "refugee camp", "police station". A name keeps them ("Prime Minister X").
    if (!actor && poss_unit < 0 && !agents.empty() && v.W(u.head).upos != "PROPN") {
      bool head_is_agent = false;
      for (const PhraseHit* g : agents) head_is_agent |= g->first <= u.head && u.head <= g->last;
      if (!head_is_agent) agents.clear();
    }
    std::vector<std::string> base;
    std::string entries;
    for (const PhraseHit* h : hits) {
      if (!entries.empty()) entries += "; ";
      entries += EntryText(*h);
    }
    if (poss_unit >= 0) {
      base = out->units[poss_unit].codes;
      Absorb(ui, poss_unit);
      entries += (entries.empty() ? "" : "; ") + std::string("possessor ") +
                 v.W(out->units[poss_unit].head).form;
    } else if (actor) {
      // Actors joined by a conjunction inside one phrase ("Eriadori and Calenardhon
      // leaders") are a compound: every one of them counts.
      std::vector<const PhraseHit*> actors = {actor};
      for (const PhraseHit* h : hits) {
        if (h->kind != PhraseHit::kActor || h == actor) continue;
        for (int c = std::min(h->first, actor->first); c <= std::max(h->last, actor->last); ++c)
          if (v.W(c).upos == "CCONJ") {
            actors.push_back(h);
            break;
          }
      }
      for (const PhraseHit* a : actors) {
        std::string_view code = d.actors()[a->owner].CodeOn(date);
        if (!code.empty() && code != "---") SplitCodes(code, &base);
      }
      if (base.empty() && agents.empty()) {
        u.null_actor = true;
        u.entries = entries;
        return;
      }
    }
    if (base.empty() && !agents.empty()) {
      // "ambassadors of Arnor", "lawmakers in Fornost and Gondor": the country comes from a
      // modifier of the agent, or of another member of its compound.
      std::vector<int> countries;
      auto look = [&](int h) {
        for (int c : v.Kids(h)) {
          if (v.BaseRel(c) != "nmod") continue;
          std::string p = v.CaseOf(c);
          if (p != "of" && p != "in" && p != "from" && p != "at") continue;
          if (CountryUnits(c, &countries)) return true;
        }
        return false;
      };
      bool found = look(u.head);
      if (!found && u.group >= 0) {
        for (int i = 0; i < v.n && !found; ++i)
          if (i != u.head && out->unit_of_head[i] >= 0 &&
              out->units[out->unit_of_head[i]].group == u.group)
            found = look(i);
        if (!found) {  // a modifier attached to a conjunct word that is not a unit
          for (int i = 0; i < v.n && !found; ++i) {
            int r = i;
            while (r >= 0 && v.Rel(r) == "conj") r = v.head[r];
            if (i != u.head && r == u.group && out->unit_of_head[i] < 0) found = look(i);
          }
        }
      }
      for (int c : countries) {
        for (const auto& code : out->units[c].codes) base.push_back(code);
        if (v.InSubtree(out->units[c].head, u.head)) Absorb(ui, c);
        entries += (entries.empty() ? "" : "; ") + std::string("country from ") +
                   v.W(out->units[c].head).form;
      }
      if (base.empty() && !u.anaphor.empty()) {
        u.codes = {u.anaphor};
        u.entries = entries + "; the same as the earlier " + u.anaphor;
        return;
      }
      if (base.empty()) {
        base.push_back("---");
        u.agent_only = true;
      }
    }
    u.base = base;
    u.shared_modifier = actor && poss_unit < 0 && actor->last < u.head;
    ApplyAgents(u, base, agents);
    u.entries = entries;
  }

  // base x agents -> codes. Agents joined by a conjunction inside the phrase are
  // alternatives ("Danish media and government": DNKMED, DNKGOV); the others apply to all.
  void ApplyAgents(Unit& u, const std::vector<std::string>& base,
                   const std::vector<const PhraseHit*>& agents) const {
    std::vector<const PhraseHit*> common, alts;
    std::vector<uint8_t> alt(agents.size(), 0);
    for (int c = u.first; c <= u.last; ++c) {
      if (v.W(c).upos != "CCONJ") continue;
      int left = -1, right = -1;  // the agents nearest to the conjunction on each side
      for (size_t k = 0; k < agents.size(); ++k) {
        if (agents[k]->last < c && (left < 0 || agents[k]->last > agents[left]->last))
          left = static_cast<int>(k);
        if (agents[k]->first > c && (right < 0 || agents[k]->first < agents[right]->first))
          right = static_cast<int>(k);
      }
      if (left >= 0 && right >= 0) alt[left] = alt[right] = 1;
    }
    for (size_t k = 0; k < agents.size(); ++k) (alt[k] ? alts : common).push_back(agents[k]);
    u.codes.clear();
    for (const std::string& b : base) {
      std::string code = b;
      for (const PhraseHit* g : common) {
        const dict::Agent& a = d.agents()[g->owner];
        code = AddAgent(std::move(code), a.code, a.prefix);
      }
      std::vector<std::string> variants;
      if (alts.empty()) variants.push_back(code);
      for (const PhraseHit* g : alts) {
        const dict::Agent& a = d.agents()[g->owner];
        variants.push_back(AddAgent(code, a.code, a.prefix));
      }
      for (auto& c : variants)
        if (std::find(u.codes.begin(), u.codes.end(), c) == u.codes.end())
          u.codes.push_back(std::move(c));
    }
  }
};

}  // namespace

bool IsAnaphoricPronoun(const SentenceView& v, int i) {
  std::string w = v.Lower(i);
  for (std::string_view p :
       {"its", "his", "her", "their", "he", "she", "it", "him", "they", "them"})
    if (w == p) return true;
  return false;
}

std::vector<int> Units::Group(int u) const {
  std::vector<int> out;
  if (units[u].group < 0) {
    out.push_back(u);
    return out;
  }
  for (size_t i = 0; i < units.size(); ++i)
    if (units[i].group == units[u].group && units[i].absorbed_into < 0)
      out.push_back(static_cast<int>(i));
  std::sort(out.begin(), out.end(), [&](int a, int b) { return units[a].first < units[b].first; });
  if (out.empty()) out.push_back(u);
  return out;
}

void Units::GroupCodes(int u, std::vector<std::pair<std::string, int>>* out) const {
  for (int g : Group(u)) {
    for (const auto& c : units[g].codes) {
      bool seen = false;
      for (const auto& [code, unit] : *out) seen |= code == c;
      if (!seen) out->emplace_back(c, g);
    }
  }
}

void FindUnits(const SentenceView& v, int32_t date, const Discourse& prev, Units* out) {
  const dict::Dictionary& d = *v.d;
  out->units.clear();
  out->hits.clear();
  out->unit_of_head.assign(v.n, -1);

  // 1. Longest dictionary matches, left to right; actors win ties with agents.
  // Words of dropped clauses and datelines name no actors for this sentence's events.
  for (int i = 0; i < v.n;) {
    if (v.skip[i] || v.removed[i]) {
      ++i;
      continue;
    }
    PhraseHit best;
    int best_len = 0;
    auto consider = [&](const dict::PhraseTable& t, std::span<const WordId> ids,
                        PhraseHit::Kind kind) {
      const dict::PhraseTable::Phrase* p = t.Match(ids, i);
      if (p && static_cast<int>(p->size) > best_len) {
        best_len = static_cast<int>(p->size);
        best.kind = kind;
        best.owner = p->owner;
        best.first = i;
        best.last = i + best_len - 1;
      }
    };
    consider(d.actor_phrases(), v.form, PhraseHit::kActor);
    consider(d.agent_phrases(), v.form, PhraseHit::kAgent);
    // Plurals the actor dictionary did not spell out. Agents list their plurals ({} means
    // none), so they match forms only.
    if (best_len == 0) consider(d.actor_phrases(), v.lemma, PhraseHit::kActor);
    if (best_len == 0) {
      ++i;
      continue;
    }
    out->hits.push_back(best);
    i += best_len;
  }

  // 2. One unit per noun-phrase head that holds matches, and one per pronoun.
  std::vector<std::vector<const PhraseHit*>> unit_hits;
  auto unit_for = [&](int h) {
    if (out->unit_of_head[h] < 0) {
      out->unit_of_head[h] = static_cast<int>(out->units.size());
      Unit u;
      u.head = u.first = u.last = h;
      out->units.push_back(u);
      unit_hits.emplace_back();
    }
    return out->unit_of_head[h];
  };
  for (const PhraseHit& h : out->hits) {
    int head = NounPhraseHead(v, SpanHead(v, h.first, h.last));
    int u = unit_for(head);
    unit_hits[u].push_back(&h);
    out->units[u].first = std::min(out->units[u].first, h.first);
    out->units[u].last = std::max(out->units[u].last, h.last);
  }
  std::vector<int> pronouns;
  for (int i = 0; i < v.n; ++i) {
    if (Pronoun(v, i) == PronounKind::kNone || out->unit_of_head[i] >= 0) continue;
    if (Extraposed(v, i)) continue;
    int u = unit_for(i);
    out->units[u].pronoun = true;
    pronouns.push_back(u);
  }
  // A possessor makes its phrase an actor: "Eriador's death toll", "its embassy".
  for (size_t i = 0, e = out->units.size(); i < e; ++i) {
    int h = out->units[i].head;
    if (v.Rel(h) != "nmod:poss" || v.head[h] < 0) continue;
    int ph = NounPhraseHead(v, v.head[h]);
    if (out->unit_of_head[ph] >= 0 || !v.IsNominal(ph)) continue;
    int u = unit_for(ph);
    out->units[u].first = std::min(out->units[u].first, out->units[i].first);
  }
  // Compound groups: the first word of each conj chain.
  for (Unit& u : out->units) {
    int r = u.head;
    while (r >= 0 && v.Rel(r) == "conj" && v.head[r] >= 0) r = v.head[r];
    bool compound = r != u.head;
    for (int c : v.Kids(u.head)) compound |= v.Rel(c) == "conj" && v.IsNominal(c);
    if (compound) u.group = r;
  }
  // A coordination of modifiers ("Eriadori and Calenardhon leaders"): the chain's first
  // word sits inside another phrase, which then belongs to the compound.
  for (size_t i = 0, e = out->units.size(); i < e; ++i) {
    int r = out->units[i].group;
    if (r < 0 || out->unit_of_head[r] >= 0) continue;
    int h = NounPhraseHead(v, r);
    int hu = out->unit_of_head[h];
    if (hu >= 0 && out->units[hu].group < 0) out->units[hu].group = r;
  }

  // 3. Compose codes, deepest units first so a head sees its modifiers' codes.
  std::vector<int> depth(out->units.size(), 0);
  for (size_t i = 0; i < out->units.size(); ++i)
    for (int w = out->units[i].head; v.head[w] >= 0 && depth[i] < v.n; w = v.head[w]) ++depth[i];
  std::vector<int> order(out->units.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return depth[a] > depth[b]; });
  Composer c{v, d, date, out};
  // Twice: a phrase may take its country from a modifier composed after it.
  for (int pass = 0; pass < 2; ++pass)
    for (int u : order) c.Compose(u, unit_hits[u]);

  // "The Iranian regime ... the regime's forces": a definite agent without a country is the
  // one named before it with a country, in this sentence or the previous one.
  for (size_t i = 0; i < out->units.size(); ++i) {
    Unit& un = out->units[i];
    if (!un.agent_only || un.codes.size() != 1) continue;
    int det = v.Child(un.head, "det");
    if (det < 0 || v.Lower(det) != "the") continue;
    std::string_view agent = std::string_view(un.codes[0]).substr(3);  // after "---"
    auto same_agent = [&](const std::string& code) {
      return code.size() >= agent.size() + 3 && code.compare(0, 3, "---") != 0 &&
             std::string_view(code).substr(code.size() - agent.size()) == agent;
    };
    std::string found;
    for (size_t j = 0; j < out->units.size() && found.empty(); ++j) {
      const Unit& o = out->units[j];
      if (o.first >= un.first || o.agent_only || o.pronoun) continue;
      for (const auto& code : o.codes)
        if (same_agent(code)) found = code;
    }
    for (size_t j = 0; j < prev.codes.size() && found.empty(); ++j)
      if (same_agent(prev.codes[j])) found = prev.codes[j];
    if (found.empty()) continue;
    un.anaphor = found;
  }
  if (std::any_of(out->units.begin(), out->units.end(),
                  [](const Unit& x) { return !x.anaphor.empty(); }))
    for (int u : order) c.Compose(u, unit_hits[u]);

  // "Iraqi police and soldiers": a country that modifies the first conjunct is shared by
  // the agents coordinated with it.
  for (size_t i = 0; i < out->units.size(); ++i) {
    Unit& un = out->units[i];
    if (!un.agent_only || un.group < 0) continue;
    for (int g : out->Group(static_cast<int>(i))) {
      const Unit& o = out->units[g];
      if (g == static_cast<int>(i) || !o.shared_modifier || o.base.empty()) continue;
      std::vector<const PhraseHit*> agents;
      for (const PhraseHit* h : unit_hits[i])
        if (h->kind == PhraseHit::kAgent) agents.push_back(h);
      c.ApplyAgents(un, o.base, agents);
      un.agent_only = false;
      un.entries += "; country shared with " + v.W(o.head).form;
      break;
    }
  }

  // 4. Pronouns (TABARI 7.7): possessives refer to the nearest actor before them; he, she
  // and it to the first actor of the sentence; they to the first compound. Without one, the
  // previous sentence's first actor.
  bool resolved_any = false;
  for (int pu : pronouns) {
    Unit& p = out->units[pu];
    PronounKind kind = Pronoun(v, p.head);
    int ref = -1;
    for (size_t i = 0; i < out->units.size(); ++i) {
      const Unit& u = out->units[i];
      if (u.pronoun || u.codes.empty() || u.head >= p.head || u.absorbed_into >= 0) continue;
      if (v.InSubtree(p.head, u.head) && kind != PronounKind::kPossessive) continue;
      if (kind == PronounKind::kPossessive && v.Lower(p.head) == "their") {
        // "their": the nearest plural actor (a compound, or several codes), else the nearest.
        auto plural = [&](int x) {
          return out->units[x].group >= 0 || out->units[x].codes.size() > 1;
        };
        int x = static_cast<int>(i);
        if (ref < 0 || (plural(x) && !plural(ref)) ||
            (plural(x) == plural(ref) && u.first > out->units[ref].first))
          ref = x;
      } else if (kind == PronounKind::kPossessive) {
        if (ref < 0 || u.first > out->units[ref].first) ref = static_cast<int>(i);
      } else if (kind == PronounKind::kPlural && u.group >= 0) {
        if (ref < 0 || out->units[ref].group < 0 || u.first < out->units[ref].first)
          ref = static_cast<int>(i);
      } else if (ref < 0 || (u.first < out->units[ref].first &&
                             !(kind == PronounKind::kPlural && out->units[ref].group >= 0))) {
        ref = static_cast<int>(i);
      }
    }
    if (ref >= 0) {
      std::vector<std::pair<std::string, int>> codes;
      out->GroupCodes(ref, &codes);
      for (auto& [code, unit] : codes) p.codes.push_back(code);
      p.entries = "pronoun \"" + v.W(p.head).form + "\" -> " + v.W(out->units[ref].head).form;
    } else if (!prev.topic.empty()) {
      p.codes = prev.topic;
      p.entries = "pronoun \"" + v.W(p.head).form + "\" -> previous sentence's " + prev.topic_text;
    }
    resolved_any |= !p.codes.empty();
  }
  if (resolved_any) {  // "its embassy", "their army": recompose the possessed phrases
    for (int u : order)
      if (!out->units[u].pronoun)
        for (int k : v.Kids(out->units[u].head))
          if (v.Rel(k) == "nmod:poss" && out->unit_of_head[k] >= 0 &&
              out->units[out->unit_of_head[k]].pronoun) {
            c.Compose(u, unit_hits[u]);
            break;
          }
    // A possessive pronoun is part of its phrase; when that phrase is no actor ("its
    // contract"), neither is the pronoun.
    for (int pu : pronouns) {
      Unit& p = out->units[pu];
      if (v.Rel(p.head) != "nmod:poss" || p.absorbed_into >= 0) continue;
      int h = v.head[p.head];
      int hu = h >= 0 ? out->unit_of_head[NounPhraseHead(v, h)] : -1;
      if (hu >= 0 && !out->units[hu].codes.empty()) {
        c.Absorb(hu, pu);
      } else {
        p.entries += " (possessive of a thing, not an actor)";
        p.codes.clear();
      }
    }
  }

  // 5. An apposition restates its head: "Dagolath, its biggest trading partner".
  for (size_t i = 0; i < out->units.size(); ++i) {
    Unit& u = out->units[i];
    if (u.absorbed_into >= 0 || v.Rel(u.head) != "appos") continue;
    int h = v.head[u.head];
    int hu = h >= 0 ? out->unit_of_head[h] : -1;
    if (hu >= 0 && !out->units[hu].codes.empty()) c.Absorb(hu, static_cast<int>(i));
  }
}

int RoleUnit(const SentenceView& v, const Units& u, int w) {
  for (int depth = 0; w >= 0 && depth < 4; ++depth) {
    int ui = u.unit_of_head[w];
    if (ui >= 0) {
      while (u.units[ui].absorbed_into >= 0) ui = u.units[ui].absorbed_into;
      if (!u.units[ui].codes.empty()) return ui;
    }
    // Another member of a compound ("the lions and Gondor").
    int r = w;
    while (r >= 0 && v.Rel(r) == "conj") r = v.head[r];
    for (size_t i = 0; i < u.units.size(); ++i)
      if (u.units[i].group == r && r >= 0 && u.units[i].active()) return static_cast<int>(i);
    // "the leader of Arnor", "Hamas, the group": look into the modifier.
    int next = -1;
    for (int c : v.Kids(w)) {
      if ((v.BaseRel(c) == "nmod" && v.CaseOf(c) == "of") || v.Rel(c) == "appos") {
        next = c;
        break;
      }
    }
    w = next;
  }
  return -1;
}

}  // namespace dyad::coder::internal
