// dyad query: events, time series and country counts from an event store.
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "cli/command.h"
#include "dyad/json.h"
#include "dyad/store.h"

namespace dyad::cli {
namespace {

using store::Filter;

enum class Format { kTable, kCsv, kJsonl };

// A result as named columns of text; numbers are marked so that JSON writes them bare and the
// table aligns them right.
struct Table {
  std::vector<std::string> columns;
  std::vector<bool> numeric;
  std::vector<std::vector<std::string>> rows;
};

std::string Num(double v) {
  // Goldstein scores have one decimal; sums and means are rounded to 6 so that float noise
  // (0.27999999999999997) does not reach the analyst.
  if (std::isfinite(v) && std::fabs(v) < 1e12) v = std::round(v * 1e6) / 1e6;
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

void CsvField(const std::string& s, std::string* out) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) {
    *out += s;
    return;
  }
  *out += '"';
  for (char c : s) {
    if (c == '"') *out += '"';
    *out += c;
  }
  *out += '"';
}

// Display width in code points (good enough for aligning codes, dates and sentence starts).
size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// At most `max` code points, "…" marking a cut.
std::string Clip(const std::string& s, size_t max) {
  if (Width(s) <= max) return s;
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80 && ++n > max - 1) break;
    out += s[i];
  }
  return out + "\xE2\x80\xA6";
}

std::string Render(const Table& t, Format f) {
  std::string out;
  if (f == Format::kCsv) {
    for (size_t i = 0; i < t.columns.size(); ++i) {
      if (i) out += ',';
      CsvField(t.columns[i], &out);
    }
    out += '\n';
    for (const auto& r : t.rows) {
      for (size_t i = 0; i < r.size(); ++i) {
        if (i) out += ',';
        CsvField(r[i], &out);
      }
      out += '\n';
    }
    return out;
  }
  if (f == Format::kJsonl) {
    for (const auto& r : t.rows) {
      out += '{';
      for (size_t i = 0; i < r.size(); ++i) {
        if (i) out += ',';
        AppendJsonString(t.columns[i], &out);
        out += ':';
        if (t.numeric[i] && !r[i].empty())
          out += r[i];
        else
          AppendJsonString(r[i], &out);
      }
      out += "}\n";
    }
    return out;
  }
  // Table: text columns clipped to 60 code points; line breaks become blanks.
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> w(t.columns.size());
  for (size_t i = 0; i < t.columns.size(); ++i) w[i] = Width(t.columns[i]);
  for (const auto& r : t.rows) {
    std::vector<std::string> c;
    for (size_t i = 0; i < r.size(); ++i) {
      std::string v = r[i];
      std::replace_if(v.begin(), v.end(), [](char ch) { return ch == '\n' || ch == '\t' || ch == '\r'; }, ' ');
      v = Clip(v, 60);
      w[i] = std::max(w[i], Width(v));
      c.push_back(std::move(v));
    }
    cells.push_back(std::move(c));
  }
  auto line = [&](const std::vector<std::string>& r) {
    std::string l;
    for (size_t i = 0; i < r.size(); ++i) {
      std::string pad(w[i] - Width(r[i]), ' ');
      bool last = i + 1 == r.size();
      l += t.numeric[i] ? pad + r[i] : r[i] + (last ? "" : pad);
      if (!last) l += "  ";
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    return l + "\n";
  };
  out += line(t.columns);
  std::vector<std::string> rule;
  for (size_t i = 0; i < w.size(); ++i) rule.push_back(std::string(w[i], '-'));
  out += line(rule);
  for (const auto& c : cells) out += line(c);
  return out;
}

Table EventsTable(const std::vector<store::EventRow>& rows, bool reports) {
  Table t;
  t.columns = {"id",        "date",       "source",    "target",     "code",
               "root",      "quad_class", "goldstein", "doc_id",     "sentence",
               "source_text", "verb_text", "target_text", "text", "place", "place_country",
               "lat", "lon"};
  t.numeric = {true, false, false, false, false, false, true, true, false,
               true, false, false, false, false, false, false, true, true};
  if (reports) {
    t.columns.insert(t.columns.begin() + 8, "reports");
    t.numeric.insert(t.numeric.begin() + 8, true);
  }
  for (const auto& r : rows) {
    const Event& e = r.event;
    std::vector<std::string> row = {std::to_string(r.id), e.date, e.source, e.target, e.code,
                                    e.root, std::to_string(e.quad_class), Num(e.goldstein),
                                    e.doc_id, std::to_string(e.sentence), e.source_text,
                                    e.verb_text, e.target_text, e.text};
    const EventLocation& l = e.location;
    row.insert(row.end(), {l.name, l.country, l.found() ? Num(l.lat) : "",
                           l.found() ? Num(l.lon) : ""});
    if (reports) row.insert(row.begin() + 8, std::to_string(r.reports));
    t.rows.push_back(std::move(row));
  }
  return t;
}

int RunQuery(const std::vector<std::string>& args) {
  std::string url, by, format_name, quad;
  Filter f;
  int limit = 100, offset = 0, top = 10;
  bool by_dyad = false, by_quad = false, countries = false, count = false, stats = false;
  bool newest = false;
  std::string event_id;
  ArgParser p(
      "dyad query --store URL [filters] [--by day|week|month [--by-dyad|--by-quad-class]]\n"
      "       [--countries | --count | --stats | --event ID] [--format table|csv|jsonl]",
      "Asks an event store (made by `dyad code --store URL`) for events, time series or\n"
      "counts by country.\n"
      "\n"
      "Store URL: sqlite:PATH (or a bare PATH), postgresql://... or postgres://... (a libpq\n"
      "URI, e.g. postgresql://user@/db?host=/run/postgresql).\n"
      "\n"
      "Filters (all must hold; prefixes match the start of a code, so IRN matches IRNMIL):\n"
      "--from/--to dates (inclusive, YYYY-MM-DD), --actor (source or target), --source,\n"
      "--target, --code (event code prefix: 19 matches 190-196 and 1951), --root, --quad-class,\n"
      "--text (a substring of the sentence, ASCII case-insensitive), --doc. --one-a-day counts\n"
      "the same date, source, target and code once, however many stories reported it (the\n"
      "Phoenix rule); the number of stories is the `reports` column.\n"
      "\n"
      "Output: without --by, the matching events (--limit, at most 10000, and --offset),\n"
      "ordered by date. --by day|week|month: events, reports, and Goldstein sum and mean per\n"
      "day, ISO week (from its Monday) or month, optionally per dyad (--by-dyad: the --top\n"
      "dyads with most events) or per QuadClass (--by-quad-class). --countries: events by the\n"
      "country (the first three letters) of their source and target. --count: the number of\n"
      "events. --stats: what the store holds. --event ID: one event, with its sentence.\n"
      "--format: table (the default on a terminal), csv (the default otherwise), jsonl.\n"
      "\n"
      "Example: dyad query --store sqlite:events.db --actor IRN --from 2013-09-01 --to\n"
      "2013-09-30 --by week --format csv\n"
      "Exit status: 0 ok; 2 usage error, or the store could not be opened or queried.");
  p.String("--store", &url, "the event store (required)");
  p.String("--from", &f.from, "first date, YYYY-MM-DD");
  p.String("--to", &f.to, "last date, YYYY-MM-DD");
  p.String("--actor", &f.actor, "actor code prefix, source or target");
  p.String("--source", &f.source, "source actor code prefix");
  p.String("--target", &f.target, "target actor code prefix");
  p.String("--code", &f.code, "CAMEO event code prefix");
  p.String("--root", &f.root, "CAMEO root code (two digits)");
  p.String("--quad-class", &quad, "1 verbal cooperation, 2 material cooperation, 3 verbal "
                                  "conflict, 4 material conflict");
  p.String("--text", &f.text, "substring of the sentence");
  p.String("--doc", &f.doc_id, "document id");
  p.Bool("--one-a-day", &f.one_a_day, "Phoenix one-a-day deduplication");
  p.String("--by", &by, "day, week or month: a time series");
  p.Bool("--by-dyad", &by_dyad, "with --by: one series per dyad (the --top dyads)");
  p.Bool("--by-quad-class", &by_quad, "with --by: one series per QuadClass");
  p.Int("--top", &top, "with --by-dyad: how many dyads (default 10, at most 1000)");
  p.Bool("--countries", &countries, "events by country");
  p.Bool("--count", &count, "the number of matching events");
  p.Bool("--stats", &stats, "what the store holds");
  p.String("--event", &event_id, "one event by its id");
  p.Int("--limit", &limit, "events to list (default 100, at most 10000)");
  p.Int("--offset", &offset, "events to skip");
  p.Bool("--newest-first", &newest, "list the latest events first");
  p.String("--format", &format_name, "table, csv or jsonl");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  if (!p.positional().empty()) return UsageError("query takes no positional arguments");
  if (url.empty()) return UsageError("query needs --store URL");
  Format format = isatty(STDOUT_FILENO) ? Format::kTable : Format::kCsv;
  if (format_name == "table")
    format = Format::kTable;
  else if (format_name == "csv")
    format = Format::kCsv;
  else if (format_name == "jsonl")
    format = Format::kJsonl;
  else if (!format_name.empty())
    return UsageError("--format must be table, csv or jsonl, not '" + format_name + "'");
  if (!quad.empty()) {
    if (quad.size() != 1 || quad[0] < '1' || quad[0] > '4')
      return UsageError("--quad-class must be 1, 2, 3 or 4, not '" + quad + "'");
    f.quad_class = quad[0] - '0';
  }
  if (limit < 0 || limit > store::kMaxLimit)
    return UsageError("--limit must be between 0 and " + std::to_string(store::kMaxLimit));
  if (offset < 0) return UsageError("--offset must not be negative");
  if (top < 1 || top > store::kMaxSeriesGroups)
    return UsageError("--top must be between 1 and " + std::to_string(store::kMaxSeriesGroups));
  f.limit = limit;
  f.offset = offset;
  f.newest_first = newest;
  if ((by_dyad || by_quad) && by.empty())
    return UsageError("--by-dyad and --by-quad-class need --by day|week|month");
  if (by_dyad && by_quad) return UsageError("choose --by-dyad or --by-quad-class, not both");
  int modes = !by.empty() + countries + count + stats + !event_id.empty();
  if (modes > 1) return UsageError("choose one of --by, --countries, --count, --stats, --event");
  Status valid = store::ValidateFilter(f);
  if (!valid.ok()) return UsageError(valid.message());
  int64_t id = 0;
  if (!event_id.empty()) {
    auto r = std::from_chars(event_id.data(), event_id.data() + event_id.size(), id);
    if (r.ec != std::errc() || r.ptr != event_id.data() + event_id.size() || id <= 0)
      return UsageError("--event must be an event id (a positive number)");
  }
  std::optional<store::Bucket> bucket;
  if (!by.empty()) {
    auto b = store::ParseBucket(by);
    if (!b.ok()) return UsageError("--by: " + b.status().message());
    bucket = *b;
  }

  store::StoreOptions sopt;
  sopt.create = false;  // a mistyped path is an error, not a new empty store
  sopt.max_connections = 1;
  auto opened = store::Store::Open(url, sopt);
  if (!opened.ok()) return UsageError(opened.status().message());
  store::Store& s = **opened;
  Table t;
  std::string fail;
  if (bucket) {
    store::SeriesOptions o{*bucket,
                           by_dyad   ? store::GroupBy::kDyad
                           : by_quad ? store::GroupBy::kQuadClass
                                     : store::GroupBy::kNone,
                           top};
    auto r = s.Series(f, o);
    if (!r.ok()) return UsageError(r.status().message());
    t.columns = {by};
    t.numeric = {false};
    if (by_quad) t.columns.push_back("quad_class"), t.numeric.push_back(true);
    if (by_dyad)
      t.columns.insert(t.columns.end(), {"source", "target"}), t.numeric.insert(t.numeric.end(), {false, false});
    t.columns.insert(t.columns.end(), {"events", "reports", "goldstein_sum", "goldstein_mean"});
    t.numeric.insert(t.numeric.end(), {true, true, true, true});
    for (const auto& pt : *r) {
      std::vector<std::string> row = {pt.bucket};
      if (by_quad) row.push_back(std::to_string(pt.quad_class));
      if (by_dyad) row.insert(row.end(), {pt.source, pt.target});
      row.insert(row.end(), {std::to_string(pt.events), std::to_string(pt.reports),
                             Num(pt.goldstein_sum), Num(pt.goldstein_mean)});
      t.rows.push_back(std::move(row));
    }
  } else if (countries) {
    auto r = s.CountryCounts(f);
    if (!r.ok()) return UsageError(r.status().message());
    t.columns = {"country", "events", "as_source", "as_target"};
    t.numeric = {false, true, true, true};
    for (const auto& c : *r)
      t.rows.push_back({c.country, std::to_string(c.events), std::to_string(c.as_source),
                        std::to_string(c.as_target)});
  } else if (count) {
    auto r = s.Count(f);
    if (!r.ok()) return UsageError(r.status().message());
    t.columns = {"events"};
    t.numeric = {true};
    t.rows.push_back({std::to_string(*r)});
  } else if (stats) {
    auto r = s.GetStats();
    if (!r.ok()) return UsageError(r.status().message());
    t.columns = {"backend", "schema_version", "runs", "documents", "sentences", "events",
                 "first_date", "last_date"};
    t.numeric = {false, true, true, true, true, true, false, false};
    t.rows.push_back({r->backend, std::to_string(r->schema_version), std::to_string(r->runs),
                      std::to_string(r->documents), std::to_string(r->sentences),
                      std::to_string(r->events), r->first_date, r->last_date});
  } else if (!event_id.empty()) {
    auto r = s.Event(id);
    if (!r.ok()) return UsageError(r.status().message());
    if (!r->has_value()) {
      std::fprintf(stderr, "dyad: no event %lld in the store\n", static_cast<long long>(id));
      return kExitRejected;
    }
    t = EventsTable({**r}, false);
  } else {
    auto r = s.Events(f);
    if (!r.ok()) return UsageError(r.status().message());
    t = EventsTable(r->rows, f.one_a_day);
    if (r->more && format == Format::kTable)
      fail = "(more events: --offset " + std::to_string(offset + limit) + " shows the next)";
  }
  std::string out = Render(t, format);
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (!fail.empty()) std::fprintf(stderr, "%s\n", fail.c_str());
  return kExitOk;
}

DYAD_COMMAND(query, "query", "query an event store: events, time series, counts by country",
             RunQuery);

}  // namespace
}  // namespace dyad::cli
