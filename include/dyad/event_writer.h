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

enum class EventFormat { kJsonl, kTsv, kPhoenix };

// "jsonl", "tsv", "phoenix" -> the format; an error naming the choices otherwise.
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

  // What comes before the first event: "" for jsonl; the "# dyad" line and the column names
  // for tsv and phoenix.
  std::string Header() const;

  // Appends the events of one document, in order. `doc` (optional) gives the Phoenix URLs and
  // NewsSources columns (its url and source). The Phoenix EventID is
  // "<doc_id>-<sentence>-<n>", n counting the events of that sentence from 1; its SentenceID
  // is "<doc_id>-<sentence>" (`sentence` is the 0-based index of Event::sentence).
  void AppendDocument(std::span<const Event> events, std::string* out,
                      const Document* doc = nullptr) const;

  // Appends one event; `ordinal` is its n in the Phoenix EventID (ignored by other formats).
  void AppendEvent(const Event& e, uint32_t ordinal, std::string* out,
                   const Document* doc = nullptr) const;

 private:
  EventFormat format_;
  EventProvenance provenance_;
  std::string json_tail_;  // ,"model":"..","dict":".."}
};

}  // namespace dyad
