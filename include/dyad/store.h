// The event store: coded documents and events in SQLite (embedded, the default) or
// PostgreSQL, and the queries an analyst asks of them.
//
// URLs:  "sqlite:PATH", a bare PATH (SQLite), "sqlite::memory:" (a private in-memory database,
//        for tests), "postgresql://..." or "postgres://..." (any libpq connection URI, e.g.
//        "postgresql://user@/db?host=/tmp/sock&port=5432").
//
// Schema (the same for both backends; versioned migrations, see kSchemaVersion):
//   runs        one `dyad code` (or server) run: started, finished, dyad version, model and
//               dictionary fingerprints, command line, documents and events it stored.
//   documents   doc_id (unique), date, source, url, title, the run that stored it last, and a
//               hash of everything stored for it (re-ingest detection).
//   sentences   (document, idx) -> text and its byte span in the document's text.
//   events      the narrow, indexed part of an event (date, week, month, source, target, code,
//               root, quad_class, goldstein, document, sentence, ordinal, run).
//   event_text  the wide part: issues, source/target/verb text and spans, pattern and where it
//               is, model and dictionary fingerprints, where it happened (Event::location).
//               Split off so that aggregates scan little.
//
// Ingest is transactional per batch and idempotent per document: ingesting a doc_id again
// replaces its sentences and events when anything differs (a new coding) and is a no-op when
// everything is identical, so coding the same news twice never duplicates events. A process
// killed mid-ingest (even kill -9) loses no committed batch and leaves a consistent database
// (SQLite runs in WAL mode; a batch is one transaction).
//
// Thread safety: a Store is safe to use from many threads at once. Each call borrows a
// connection from the Store's own pool (one connection per concurrent call, up to
// StoreOptions::max_connections; further callers wait), so reads run in parallel; writes
// (Ingest, BeginRun, FinishRun) are serialised by a mutex inside the Store. A private
// in-memory SQLite database has a single connection. Every call returns errors as values.
//
// Queries use bound parameters only; no value from a Filter is ever spliced into SQL text.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dyad/status.h"
#include "dyad/types.h"

namespace dyad::store {

inline constexpr int kSchemaVersion = 2;
inline constexpr int64_t kMaxLimit = 10000;       // Filter::limit is clamped to this
inline constexpr int64_t kMaxOffset = 10000000;   // larger offsets are an error
inline constexpr int kMaxSeriesGroups = 1000;     // SeriesOptions::top is clamped to this

// What produced the events of a run (recorded in `runs`, and model/dict on every event).
struct RunInfo {
  std::string dyad_version;
  std::string model;    // fingerprint of the parser model, 16 hex digits
  std::string dict;     // fingerprint of the dictionaries
  std::string command;  // the command line, for the record
};

struct Run {
  int64_t id = 0;
  std::string started, finished;  // "YYYY-MM-DDTHH:MM:SSZ" (UTC); finished "" while running
  RunInfo info;
  int64_t documents = 0, events = 0;  // stored (inserted or replaced) by this run
};

// One document to store: its metadata and sentences (Document::sentences[i].text and .span;
// tokens and words are not stored) and its events. An event whose sentence index has no
// Sentence in the document gets one made from Event::text. Event::doc_id is ignored: every
// event belongs to `document`. Both pointers must stay valid for the Ingest call.
struct IngestItem {
  const Document* document = nullptr;
  std::span<const Event> events;
};

struct IngestStats {
  int64_t inserted = 0;   // new doc_ids
  int64_t replaced = 0;   // known doc_ids whose content changed (old events deleted)
  int64_t unchanged = 0;  // known doc_ids with identical content (nothing written)
  int64_t events = 0;     // events written
  IngestStats& operator+=(const IngestStats& o) {
    inserted += o.inserted, replaced += o.replaced, unchanged += o.unchanged, events += o.events;
    return *this;
  }
};

// Which events a query looks at. Empty strings and 0 mean "no condition"; all conditions must
// hold. Prefixes are byte prefixes ("IRN" matches "IRN" and "IRNMIL"); dates are inclusive.
struct Filter {
  std::string from, to;       // YYYY-MM-DD (anything else is an error)
  std::string actor;          // prefix of the source OR of the target
  std::string source;         // prefix of the source
  std::string target;         // prefix of the target
  std::string code;           // CAMEO event code prefix: "19" matches 190, 193, 1931
  std::string root;           // exact root code, e.g. "19"
  int quad_class = 0;         // 1..4; 0 any (other values are an error)
  std::string text;           // substring of the sentence text, ASCII case-insensitive
  std::string doc_id;         // exact document id
  int64_t run = 0;            // events stored by this run
  // Phoenix "one-a-day" deduplication: events with the same date, source, target and code
  // count once, whatever the number of stories that reported them; `reports` says how many.
  bool one_a_day = false;
  int64_t limit = 100;        // Events(): rows per page, clamped to [0, kMaxLimit]
  int64_t offset = 0;         // Events(): rows skipped, [0, kMaxOffset]
  bool newest_first = false;  // Events(): order by date descending
};

// An event as stored, with its sentence and provenance.
struct EventRow {
  int64_t id = 0;             // the store's event id (stable until its document is replaced)
  Event event;                // event.text is the sentence; spans are in the document's text
  uint32_t ordinal = 0;       // 1-based rank among the events of its sentence
  Span sentence_span;         // where the sentence is in the document's text
  std::string model, dict;    // fingerprints of what coded it
  int64_t run = 0;
  std::string doc_title, doc_source, doc_url, doc_date;
  int64_t reports = 1;        // with Filter::one_a_day: events folded into this one
  // A span of `event` relative to event.text (the sentence): {0,0} when absent or outside it.
  Span InSentence(Span s) const;
};

struct EventPage {
  std::vector<EventRow> rows;  // ordered by date, source, target, code, id
  bool more = false;           // rows exist past this page
};

enum class Bucket { kDay, kWeek, kMonth };  // weeks start on Monday (ISO)
enum class GroupBy { kNone, kQuadClass, kDyad };

struct SeriesOptions {
  Bucket by = Bucket::kDay;
  GroupBy group = GroupBy::kNone;
  int top = 10;  // with kDyad: only the `top` dyads with most events in the filter (≤ 1000)
};

struct SeriesPoint {
  std::string bucket;          // first day of the bucket, YYYY-MM-DD ("" for undated events)
  std::string group;           // "" (kNone), "1".."4" (kQuadClass), or "SOURCE>TARGET" (kDyad)
  int quad_class = 0;          // kQuadClass
  std::string source, target;  // kDyad
  int64_t events = 0;          // events (after one-a-day deduplication when asked)
  int64_t reports = 0;         // events before deduplication (== events without it)
  double goldstein_sum = 0;    // over `events`
  double goldstein_mean = 0;
};

// Events by country: the first three letters of the source and target codes (a country's
// ISO 3166-1 alpha-3 code, or IGO/NGO/IMG/MNC...). An event with both actors in one country
// counts once for it.
struct CountryCount {
  std::string country;
  int64_t events = 0;     // events involving it
  int64_t as_source = 0;
  int64_t as_target = 0;
};

struct Stats {
  std::string backend;         // "sqlite" or "postgresql"
  int schema_version = 0;
  int64_t runs = 0, documents = 0, sentences = 0, events = 0;
  std::string first_date, last_date;  // of dated events; "" when none
};

struct StoreOptions {
  int max_connections = 8;  // connection pool size (1 for sqlite::memory:)
  bool create = true;       // false: a missing SQLite file is an error, not a new database
};

class Store {
 public:
  // Opens (creating if needed) the database at `url` and applies any pending migrations, each
  // once, in its own transaction. An error if the database has a newer schema than this dyad.
  static Result<std::unique_ptr<Store>> Open(const std::string& url, StoreOptions options = {});

  virtual ~Store() = default;

  virtual std::string_view backend() const = 0;  // "sqlite" or "postgresql"

  // Runs. BeginRun records a run (started now) and returns its id; FinishRun sets its end
  // time and totals.
  virtual Result<int64_t> BeginRun(const RunInfo& info) = 0;
  virtual Status FinishRun(int64_t run) = 0;
  virtual Result<std::vector<Run>> Runs() = 0;

  // Stores a batch of documents in one transaction (all or nothing). `run` is the id from
  // BeginRun, or 0 for none (then model/dict come from `provenance`, which may be empty).
  // Documents without an id or with a duplicate id within the batch are an error.
  virtual Result<IngestStats> Ingest(std::span<const IngestItem> batch, int64_t run,
                                     const RunInfo& provenance = {}) = 0;

  // Queries (see Filter). Events: a page of events with sentences and provenance; with
  // one_a_day, one row per (date, source, target, code), the lowest id representing it.
  virtual Result<EventPage> Events(const Filter& filter) = 0;
  // The number of events (groups with one_a_day) matching, ignoring limit and offset.
  virtual Result<int64_t> Count(const Filter& filter) = 0;
  // One event by id, or nullopt when there is none.
  virtual Result<std::optional<EventRow>> Event(int64_t id) = 0;
  // Counts and Goldstein sums and means per bucket (and group), ordered by bucket then group.
  virtual Result<std::vector<SeriesPoint>> Series(const Filter& filter,
                                                  const SeriesOptions& options) = 0;
  // Ordered by events, most first, then country.
  virtual Result<std::vector<CountryCount>> CountryCounts(const Filter& filter) = 0;
  virtual Result<Stats> GetStats() = 0;
};

// Buffers documents and ingests them in batches: what `dyad code --store` uses.
//   auto w = Writer::Begin(store, info);  ... w->Add(doc, events); ...  w->Finish();
// Add copies what it needs (metadata, sentence texts and spans, events), so the caller may
// free the document at once. Not thread-safe: one Writer per producing thread (the Store
// beneath may be shared). A Writer destroyed without Finish() commits nothing more and leaves
// the run unfinished.
class Writer {
 public:
  static Result<std::unique_ptr<Writer>> Begin(Store* store, const RunInfo& info,
                                               size_t batch_events = 50000,
                                               size_t batch_documents = 10000);
  ~Writer();
  Status Add(const Document& document, std::span<const Event> events);
  Status Flush();   // commits what is buffered
  Status Finish();  // Flush, then FinishRun
  int64_t run() const { return run_; }
  const IngestStats& stats() const { return stats_; }

 private:
  Writer() = default;
  Store* store_ = nullptr;
  int64_t run_ = 0;
  RunInfo info_;
  size_t batch_events_ = 0, batch_documents_ = 0, buffered_events_ = 0;
  std::vector<Document> docs_;
  std::vector<std::vector<dyad::Event>> events_;
  std::unordered_map<std::string, size_t> index_;  // doc id -> position in docs_
  IngestStats stats_;
};

// Parses the names used on the command line and in the HTTP API.
Result<Bucket> ParseBucket(std::string_view name);     // day, week, month
Result<GroupBy> ParseGroupBy(std::string_view name);   // none, quad_class (quad), dyad

// Checks a Filter the way every query does (dates, quad_class, offset), without a database.
Status ValidateFilter(const Filter& filter);

}  // namespace dyad::store
