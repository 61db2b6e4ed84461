// Event writers: coded events as JSON lines, TSV, or the Phoenix data set's columns.
//
// Every output names what produced it, so that a data set can be traced to its model and
// dictionaries (design.md: "the dictionary version and model fingerprint recorded on every
// event"):
//   jsonl    one JSON object per event and per line, nothing else; each object carries
//            "model" and "dict" (the fingerprints) as its last fields.
//   tsv      a first line "# dyad <version> tsv model <fp> dict <fp>", a line of column names,
//            then one event per line in dyad's own columns (TsvColumns()).
//   phoenix  the same "# dyad ..." line and a line of column names, then the 26 columns of the
//            Phoenix data set (PhoenixColumns()), actor codes split into entity, role and
//            attributes the way the Phoenix pipeline split them.
//   plover  one JSON object per event and per line, PLOVER/POLECAT-style (PloverEventType()):
//            {"id", "date", "event_type", "mode", "context": [..], "actor": {"code",
//            "country", "name"}, "recipient": {...} or null, "cameo": {"code", "root",
//            "quad_class", "goldstein"}, "location": {...} or null, "provenance": {"doc_id",
//            "sentence", "text", "source_span", "target_span", "verb_span", "pattern",
//            "url", "news_source"}, "model", "dict"}. Events whose CAMEO code has no PLOVER
//            type (the CAMEO 01 and 02 families, which PLOVER dropped) are not written.
//   gdelt    the "# dyad ..." line and a line of column names, then the 61 columns of the GDELT
//            2.0 event table (GdeltColumns()). Filled: GLOBALEVENTID (dyad's
//            "<doc_id>-<sentence>-<n>", not a number), SQLDATE, MonthYear, Year, FractionDate,
//            Actor{1,2}Code, Actor{1,2}Name (the actor's text), Actor{1,2}CountryCode,
//            Actor{1,2}KnownGroupCode (the code after IGO/NGO/IMG/MNC), Actor{1,2}Type{1,2,3}Code
//            (role and attributes), IsRootEvent (1 for the document's first sentence),
//            EventCode, EventBaseCode, EventRootCode, QuadClass, GoldsteinScale, NumMentions/
//            NumSources/NumArticles (1: one mention in one article), ActionGeo_* (from the
//            event's location: Type 1 country, 2 US state, 3 US city, 4 world city; CountryCode
//            is ISO 3166-1 alpha-3 and ADM1Code that plus GeoNames' admin-1 code ("USACA"),
//            where GDELT uses FIPS 10-4; FeatureID is the GeoNames id), SOURCEURL. Empty:
//            Actor{1,2}EthnicCode, Religion{1,2}Code, AvgTone, Actor{1,2}Geo_*,
//            ActionGeo_ADM2Code, DATEADDED.
// Phoenix's Lat, Lon, LocationName, StateName and CountryCode (ISO alpha-3) and the jsonl
// "location" object ({"name", "admin1", "country", "lat", "lon", "geonames_id", "how"} or null)
// come from Event::location (geo::Locator); empty/null when the event was not geolocated.
// TSV has no escaping: tabs, line breaks and other control characters inside fields are
// written as blanks. JSON strings are escaped as RFC 8259 requires (invalid UTF-8 is repaired
// by the text layer before it reaches an event).
//
// Spans are byte offsets into the document's text (for a plain-text input, the chunk of the
// file that was the document), half-open [begin, end), or null/empty when absent.
//
// The writer keeps no state between calls: format a document's events in any thread, write
// the strings in document order, and the output is the same whatever the threading.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/status.h"
#include "dyad/types.h"

namespace dyad {

enum class EventFormat { kJsonl, kTsv, kPhoenix, kPlover, kGdelt };

// "jsonl", "tsv", "phoenix", "plover", "gdelt" -> the format; an error naming the choices otherwise.
Result<EventFormat> ParseEventFormat(std::string_view name);
std::string_view EventFormatName(EventFormat format);

// What produced the events.
struct EventProvenance {
  std::string version;  // dyad's version
  std::string model;    // fingerprint of the parser model, hex
  std::string dict;     // fingerprint of the dictionaries, hex
};

// Column names (in order) of the tsv and phoenix formats.
std::span<const char* const> TsvColumns();
std::span<const char* const> PhoenixColumns();
std::span<const char* const> GdeltColumns();

// The PLOVER event type, mode and contexts of a CAMEO code, from the published CAMEO->PLOVER
// table (data/plover/cameo-plover.tsv); a code absent from it takes its parent's. Empty
// event_type for codes PLOVER has no type for (CAMEO 01x, 02x) and for unknown codes.
struct PloverType {
  std::string_view event_type, mode, context;  // context: ";"-separated
};
PloverType PloverEventType(std::string_view cameo_code);

// An actor code split as the Phoenix data set splits it: the entity is the first three
// letters when they are a country (ISO 3166-1 alpha-3) or one of IGO, NGO, IMG, MNC; the role
// the next three when they are a primary agent (GOV, MIL, REB, OPP, PTY, COP, JUD, SPY, MED,
// EDU, BUS, CRM, CVL); the attributes the remaining three-letter groups, joined by ';'.
// "IRQGOV" -> {IRQ, GOV, ""}; "IGOUNO" -> {IGO, "", "UNO"}; "USAMILREB" -> {USA, MIL, REB}.
struct PhoenixActor {
  std::string entity, role, attributes;
};
PhoenixActor SplitPhoenixActor(std::string_view code);

class EventWriter {
 public:
  EventWriter(EventFormat format, EventProvenance provenance);

  EventFormat format() const { return format_; }

  // What comes before the first event: "" for jsonl and plover; the "# dyad" line and the
  // column names for tsv, phoenix and gdelt.
  std::string Header() const;

  // Appends the events of one document, in order. `doc` (optional) gives the Phoenix URLs and
  // NewsSources columns (its url and source). The Phoenix EventID is
  // "<doc_id>-<sentence>-<n>", n counting the events of that sentence from 1; its SentenceID
  // is "<doc_id>-<sentence>" (`sentence` is the 0-based index of Event::sentence).
  void AppendDocument(std::span<const Event> events, std::string* out,
                      const Document* doc = nullptr) const;

  // Appends one event; `ordinal` is its n in the Phoenix EventID (and the plover "id" and the
  // gdelt GLOBALEVENTID, built the same way; ignored by jsonl and tsv).
  void AppendEvent(const Event& e, uint32_t ordinal, std::string* out,
                   const Document* doc = nullptr) const;

 private:
  void AppendPlover(const Event& e, uint32_t ordinal, std::string* out, const Document* doc) const;
  void AppendGdelt(const Event& e, uint32_t ordinal, std::string* out, const Document* doc) const;
  EventFormat format_;
  EventProvenance provenance_;
  std::string json_tail_;  // ,"model":"..","dict":".."}
};

}  // namespace dyad
