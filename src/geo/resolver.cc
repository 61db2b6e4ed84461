// The Locator: candidate places of a sentence, the dateline, and the choice between them.
#include <algorithm>
#include <set>

#include "dyad/geo.h"

namespace dyad::geo {
namespace {

// Not "to": "protested to China" names a recipient, not a place; "travelled to Lebanon"
// still finds Lebanon as a mention.
constexpr std::string_view kLocPreps[] = {"across",  "around",     "at",    "from",
                                          "in",      "inside",     "into",  "near",
                                          "outside", "throughout", "within"};
// Lower-case words that may sit inside a place name ("Bosnia and Herzegovina", "Rio de
// Janeiro", "Sharm el-Sheikh"), never at its ends.
constexpr std::string_view kInnerWords[] = {"and", "de",  "del", "da", "do", "el", "al",
                                            "of",  "the", "la",  "le", "es", "-"};
constexpr size_t kMaxSpanWords = 6;
// A bare mention (no preposition) of a city this small is more likely a person or a word.
constexpr uint32_t kMentionMinPopulation = 100'000;
// A city this large wins over a US state of the same name ("Washington").
constexpr uint32_t kCityOverStatePopulation = 500'000;

bool Contains(std::span<const std::string_view> set, std::string_view w) {
  return std::find(set.begin(), set.end(), w) != set.end();
}

std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

bool Capitalized(std::string_view w) {
  if (w.empty()) return false;
  unsigned char c = static_cast<unsigned char>(w[0]);
  return (c >= 'A' && c <= 'Z') || c >= 0xC3;  // ASCII capital, or a non-ASCII letter (É, Ö)
}

bool Overlaps(const Span& a, const Span& b) {
  return a.begin < a.end && b.begin < b.end && a.begin < b.end && b.begin < a.end;
}

std::string CountryOf(const Gazetteer& g, std::string_view actor) {
  if (actor.size() < 3) return "";
  std::string c(actor.substr(0, 3));
  return g.Country(c) ? c : "";
}

// A run of words that names a place.
struct Candidate {
  uint32_t first = 0, last = 0;  // words, inclusive
  std::vector<uint32_t> places;
  int rank = 9;                      // 0 preposition on the verb, 1 other preposition, 3 mention
  int distance = 0;                  // words from the verb
  const Place* qualifier = nullptr;  // "Springfield, Illinois": the state or country after it
};

}  // namespace

struct Locator::Context {
  Dateline dateline;
  size_t dateline_end = 0;                // bytes of the text the dateline covers
  std::vector<uint32_t> dateline_places;  // candidates for the dateline's place
  const Place* dateline_qualifier = nullptr;
  std::set<std::string> countries;  // evidence: the document's countries
  std::set<std::string> states;     // evidence: US states (admin-1 codes) named
  std::vector<Span> actor_spans;    // every event's source and target spans
};

Dateline FindDateline(std::string_view text) {
  Dateline d;
  size_t i = 0;
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
    ++i;
  size_t start = i;
  int upper = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 'A' && c <= 'Z') {
      ++upper;
    } else if (c >= 'a' && c <= 'z') {
      return {};
    } else if (!(c == ' ' || c == '.' || c == '\'' || c == '-' || c >= 0x80)) {
      break;
    }
    // Stop before " -" / " —" / " –", the dash that ends a dateline.
    if (c == ' ' && i + 1 < text.size() &&
        (text[i + 1] == '-' || text.substr(i + 1, 3) == "\xE2\x80\x94" ||
         text.substr(i + 1, 3) == "\xE2\x80\x93"))
      break;
    ++i;
  }
  if (upper < 3 || i >= text.size()) return {};
  std::string_view place = text.substr(start, i - start);
  while (!place.empty() && (place.back() == ' ' || place.back() == '-')) place.remove_suffix(1);
  if (place.empty() || place.back() == '.') return {};
  char stop = text[i];
  bool dash = stop == ' ' || stop == '-' || static_cast<unsigned char>(stop) == 0xE2;
  if (stop != ',' && stop != '(' && !dash) return {};
  d.place = std::string(place);
  if (stop == ',') {
    // A qualifier: "LONG BEACH, Calif. -" or "PARIS, France, Jan 5 -".
    size_t q = i + 1;
    while (q < text.size() && text[q] == ' ') ++q;
    size_t e = q;
    while (e < text.size() && text[e] != ',' && text[e] != '(' && text[e] != '\n' &&
           !(text[e] == ' ' && e + 1 < text.size() && text[e + 1] == '-') && e - q < 40)
      ++e;
    std::string_view qual = text.substr(q, e - q);
    while (!qual.empty() && qual.back() == ' ') qual.remove_suffix(1);
    d.qualifier = std::string(qual);
  }
  return d;
}

Locator::Context Locator::Analyze(const Document& doc, std::span<const Event> events) const {
  Context ctx;
  for (const Event& e : events) {
    if (!e.doc_id.empty() && e.doc_id != doc.id) continue;
    for (const std::string* a : {&e.source, &e.target}) {
      std::string c = CountryOf(gaz_, *a);
      if (!c.empty()) ctx.countries.insert(c);
    }
    ctx.actor_spans.push_back(e.source_span);
    ctx.actor_spans.push_back(e.target_span);
  }
  ctx.dateline = FindDateline(doc.text);
  if (!ctx.dateline.place.empty()) {
    ctx.dateline_places = gaz_.Lookup(ctx.dateline.place);
    if (!ctx.dateline.qualifier.empty()) {
      ctx.dateline_qualifier = gaz_.UsState(ctx.dateline.qualifier);
      if (!ctx.dateline_qualifier) {
        for (uint32_t p : gaz_.Lookup(ctx.dateline.qualifier))
          if (gaz_.place(p).kind == PlaceKind::kCountry) ctx.dateline_qualifier = &gaz_.place(p);
      }
    }
    if (ctx.dateline_places.empty()) {
      ctx.dateline = {};
    } else {
      size_t at = doc.text.find(ctx.dateline.place);
      ctx.dateline_end = at == std::string::npos ? 0 : at + ctx.dateline.place.size();
      if (ctx.dateline_qualifier) {
        ctx.countries.insert(ctx.dateline_qualifier->country);
        if (ctx.dateline_qualifier->kind == PlaceKind::kAdmin1)
          ctx.states.insert(ctx.dateline_qualifier->admin1);
      }
    }
  }
  // Countries and US states named anywhere in the text are evidence too.
  for (const Sentence& s : doc.sentences) {
    for (const Word& w : s.words) {
      if (w.upos != "PROPN" || !Capitalized(w.form)) continue;
      // A state's name is evidence unless it more often means something else: "Washington"
      // (the capital, the government) or "Georgia" (the country).
      if (const Place* st = gaz_.UsState(w.form); st && w.form.size() > 3) {
        bool other = false;
        for (uint32_t p : gaz_.Lookup(w.form)) {
          const Place& x = gaz_.place(p);
          other |= x.kind == PlaceKind::kCountry ||
                   (x.kind == PlaceKind::kCity && x.population >= kCityOverStatePopulation);
        }
        if (!other) {
          ctx.states.insert(st->admin1);
          ctx.countries.insert("USA");
        }
      }
      for (uint32_t p : gaz_.Lookup(w.form))
        if (gaz_.place(p).kind == PlaceKind::kCountry) ctx.countries.insert(gaz_.place(p).country);
    }
  }
  return ctx;
}

namespace {

// Picks one of `places` (all sharing a name) given the evidence.
const Place* Choose(const Gazetteer& g, const std::vector<uint32_t>& places,
                    const std::set<std::string>& strong_countries,
                    const std::set<std::string>& countries, const std::set<std::string>& states,
                    const Place* qualifier, double min_ratio) {
  if (places.empty()) return nullptr;
  auto better = [&](const Place* a, const Place& b) { return !a || b.population > a->population; };
  // A qualifier ("Springfield, Illinois", "PARIS, Texas") decides when it can.
  if (qualifier) {
    const Place* best = nullptr;
    for (uint32_t i : places) {
      const Place& p = g.place(i);
      bool ok = qualifier->kind == PlaceKind::kAdmin1
                    ? p.country == qualifier->country && p.admin1 == qualifier->admin1
                    : p.country == qualifier->country;
      if (ok && better(best, p)) best = &p;
    }
    if (best) return best;
  }
  const Place *country = nullptr, *state = nullptr, *top = nullptr, *in_state = nullptr;
  for (uint32_t i : places) {
    const Place& p = g.place(i);
    if (p.kind == PlaceKind::kCountry && !country) country = &p;
    if (p.kind == PlaceKind::kAdmin1 && !state) state = &p;
    if (p.kind == PlaceKind::kCity) {
      if (better(top, p)) top = &p;
      if (p.country == "USA" && states.count(p.admin1) && better(in_state, p)) in_state = &p;
    }
  }
  if (in_state) return in_state;
  if (country) return country;
  if (state && !(top && top->population >= kCityOverStatePopulation && top->country == "USA"))
    return state;
  if (!top) return nullptr;
  for (const auto* evidence : {&strong_countries, &countries}) {
    const Place* best = nullptr;
    for (uint32_t i : places) {
      const Place& p = g.place(i);
      if (p.kind == PlaceKind::kCity && evidence->count(p.country) && better(best, p)) best = &p;
    }
    if (best && best->population >= min_ratio * top->population) return best;
  }
  return top;
}

EventLocation ToLocation(const Place& p, std::string how) {
  EventLocation l;
  l.how = std::move(how);
  l.name = p.name;
  l.admin1 =
      p.kind == PlaceKind::kCountry ? "" : (p.admin1_name.empty() ? p.admin1 : p.admin1_name);
  l.admin1_code = p.kind == PlaceKind::kCountry ? "" : p.admin1;
  l.country = p.country;
  l.lat = p.lat();
  l.lon = p.lon();
  l.geonames_id = p.geonames_id;
  l.kind = static_cast<int>(p.kind);
  return l;
}

}  // namespace

EventLocation Locator::FindIn(const Document& doc, const Context& ctx, const LocateQuery& q) const {
  // The actors' countries are strong evidence for which of several places a name means, except
  // for the actor whose own words hold the name: "men in Hyderabad" is coded from "Hyderabad"
  // itself (the dictionaries list it under India), which says nothing about which Hyderabad.
  std::set<std::string> strong, strong_without_source, strong_without_target;
  const std::string source_country = CountryOf(gaz_, q.source);
  const std::string target_country = CountryOf(gaz_, q.target);
  for (auto* set : {&strong, &strong_without_source, &strong_without_target}) {
    if (set != &strong_without_source && !source_country.empty()) set->insert(source_country);
    if (set != &strong_without_target && !target_country.empty()) set->insert(target_country);
    if (ctx.dateline_qualifier) set->insert(ctx.dateline_qualifier->country);
  }
  auto choose_with = [&](const std::vector<uint32_t>& places, const Place* qualifier,
                         const std::set<std::string>& evidence) {
    return Choose(gaz_, places, evidence, ctx.countries, ctx.states, qualifier,
                  opts_.context_min_ratio);
  };
  auto choose = [&](const std::vector<uint32_t>& places, const Place* qualifier) {
    return choose_with(places, qualifier, strong);
  };

  std::vector<Candidate> cands;
  // The evidence for a candidate: without the actor whose words hold it (see above).
  auto evidence_for = [&](const Candidate& c) -> const std::set<std::string>& {
    if (q.sentence >= doc.sentences.size()) return strong;
    const Sentence& s = doc.sentences[q.sentence];
    bool in_source = false, in_target = false;
    for (uint32_t k = c.first; k <= c.last && k < s.words.size(); ++k) {
      const Word& w = s.words[k];
      if (w.token >= s.tokens.size()) continue;
      in_source |= Overlaps(s.tokens[w.token].span, q.source_span);
      in_target |= Overlaps(s.tokens[w.token].span, q.target_span);
    }
    if (in_target && !in_source) return strong_without_target;
    if (in_source && !in_target) return strong_without_source;
    return strong;
  };
  if (q.sentence < doc.sentences.size()) {
    const Sentence& s = doc.sentences[q.sentence];
    const auto& W = s.words;
    int verb = q.verb_word;
    if (verb < 0 || static_cast<size_t>(verb) >= W.size()) {
      verb = -1;
      for (size_t i = 0; i < W.size(); ++i)
        if (W[i].head == 0) verb = static_cast<int>(i);
    }
    auto span_of = [&](uint32_t w) {
      const Word& x = W[w];
      return x.token < s.tokens.size() ? s.tokens[x.token].span : Span{};
    };
    // The dateline is not part of the sentence's own story. (Actor spans are checked later:
    // a target span "protesters in Mosul" may hold the place the event happened.)
    auto excluded = [&](uint32_t w) { return span_of(w).begin < ctx.dateline_end; };
    for (uint32_t i = 0; i < W.size();) {
      if (!Capitalized(W[i].form) || excluded(i)) {
        ++i;
        continue;
      }
      // Longest run of words starting at i that the gazetteer knows.
      uint32_t best_len = 0;
      std::vector<uint32_t> best_places;
      std::string name;
      for (uint32_t len = 1; len <= kMaxSpanWords && i + len <= W.size(); ++len) {
        const Word& w = W[i + len - 1];
        bool inner = Contains(kInnerWords, Lower(w.form));
        if (!Capitalized(w.form) && !inner) break;
        if (excluded(i + len - 1)) break;
        // Words joined as written: "Sharm el-Sheikh" has no blanks around its hyphen.
        if (len > 1 && W[i + len - 2].token < s.tokens.size() &&
            s.tokens[W[i + len - 2].token].space_after && w.token != W[i + len - 2].token)
          name += ' ';
        name += w.form;
        if (!Capitalized(w.form)) continue;  // a name never ends on an inner word
        bool propn = false;
        for (uint32_t k = i; k < i + len; ++k) propn |= W[k].upos == "PROPN";
        if (!propn) continue;
        auto places = gaz_.Lookup(name);
        if (!places.empty()) {
          best_len = len;
          best_places = std::move(places);
        }
      }
      if (!best_len) {
        ++i;
        continue;
      }
      Candidate c;
      c.first = i;
      c.last = i + best_len - 1;
      c.places = std::move(best_places);
      // The head of the run: the word whose head lies outside it.
      uint32_t h = c.last;
      for (uint32_t k = c.first; k <= c.last; ++k) {
        int hd = W[k].head - 1;
        if (hd < static_cast<int>(c.first) || hd > static_cast<int>(c.last)) {
          h = k;
          break;
        }
      }
      // Its preposition, looking through one noun ("in the city of Mosul").
      int node = static_cast<int>(h);
      bool prep = false;
      for (int hop = 0; hop < 2 && node >= 0 && !prep; ++hop) {
        for (size_t k = 0; k < W.size(); ++k)
          if (W[k].head == node + 1 && W[k].deprel == "case" &&
              Contains(kLocPreps, Lower(W[k].form)))
            prep = true;
        if (prep) break;
        const std::string& rel = W[node].deprel;
        if (rel.starts_with("nmod") || rel == "appos" || rel == "compound" || rel == "flat" ||
            rel == "conj")
          node = W[node].head - 1;
        else
          break;
      }
      if (prep) {
        int up = W[node].head - 1;
        bool on_verb =
            verb >= 0 &&
            (up == verb || (up >= 0 && W[up].head - 1 == verb && W[up].deprel.starts_with("obj")));
        c.rank = on_verb ? 0 : 1;
      } else {
        c.rank = 3;
      }
      c.distance = verb < 0 ? 0 : std::abs(static_cast<int>(h) - verb);
      // "Springfield, Illinois": a state or country after a comma qualifies the name.
      uint32_t after = c.last + 1;
      if (after + 1 < W.size() && W[after].form == ",") {
        const Place* qual = nullptr;
        uint32_t qlen = 0;
        std::string qn;
        for (uint32_t len = 1; len <= 3 && after + len < W.size(); ++len) {
          qn += (len > 1 ? " " : "") + W[after + len].form;
          if (const Place* st = gaz_.UsState(qn)) {
            qual = st;
            qlen = len;
          }
          for (uint32_t p : gaz_.Lookup(qn))
            if (gaz_.place(p).kind == PlaceKind::kCountry) {
              qual = &gaz_.place(p);
              qlen = len;
            }
        }
        if (qual) {
          c.qualifier = qual;
          cands.push_back(std::move(c));
          i = after + 1 + qlen;
          continue;
        }
      }
      i = c.last + 1;
      cands.push_back(std::move(c));
    }
  }
  // Bare mentions must also stay clear of every actor of the document.
  for (auto& c : cands) {
    if (c.rank != 3) continue;
    const Sentence& s = doc.sentences[q.sentence];
    for (uint32_t k = c.first; k <= c.last; ++k) {
      const Word& w = s.words[k];
      Span sp = w.token < s.tokens.size() ? s.tokens[w.token].span : Span{};
      for (const Span& a : ctx.actor_spans)
        if (Overlaps(sp, a)) c.rank = 9;
      if (Overlaps(sp, q.source_span) || Overlaps(sp, q.target_span)) c.rank = 9;
    }
  }
  std::stable_sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.distance < b.distance;
  });
  for (const Candidate& c : cands) {
    if (c.rank > 1) break;
    if (const Place* p = choose_with(c.places, c.qualifier, evidence_for(c)))
      return ToLocation(*p, "preposition");
  }
  if (opts_.use_dateline && !ctx.dateline_places.empty()) {
    if (const Place* p = choose(ctx.dateline_places, ctx.dateline_qualifier))
      return ToLocation(*p, "dateline");
  }
  if (opts_.use_mentions) {
    for (const Candidate& c : cands) {
      if (c.rank != 3) continue;
      const Place* p = choose_with(c.places, c.qualifier, evidence_for(c));
      if (p &&
          (p->kind != PlaceKind::kCity || p->population >= kMentionMinPopulation || c.qualifier))
        return ToLocation(*p, "mention");
    }
  }
  if (opts_.use_actor_country) {
    for (const std::string* a : {&q.source, &q.target}) {
      std::string c = CountryOf(gaz_, *a);
      if (!c.empty()) return ToLocation(*gaz_.Country(c), "actor");
    }
  }
  return {};
}

EventLocation Locator::Find(const Document& doc, std::span<const Event> events,
                            const LocateQuery& q) const {
  return FindIn(doc, Analyze(doc, events), q);
}

void Locator::Locate(const Document& doc, std::vector<Event>* events) const {
  Context ctx = Analyze(doc, *events);
  for (Event& e : *events) {
    if (!e.doc_id.empty() && e.doc_id != doc.id) continue;
    LocateQuery q;
    q.sentence = e.sentence;
    q.source = e.source;
    q.target = e.target;
    q.source_span = e.source_span;
    q.target_span = e.target_span;
    if (e.sentence < doc.sentences.size() && e.verb_span.begin < e.verb_span.end) {
      const Sentence& s = doc.sentences[e.sentence];
      for (size_t w = 0; w < s.words.size(); ++w) {
        const Word& word = s.words[w];
        if (word.token < s.tokens.size() && Overlaps(s.tokens[word.token].span, e.verb_span)) {
          q.verb_word = static_cast<int>(w);
          break;
        }
      }
    }
    e.location = FindIn(doc, ctx, q);
  }
}

void Locate(const Gazetteer& gazetteer, const Document& doc, std::vector<Event>* events) {
  Locator(gazetteer).Locate(doc, events);
}

}  // namespace dyad::geo
