// The Store over either driver: one set of SQL (with `?` parameters) for both backends, a
// connection pool, ingest with per-document content hashes, and the queries.
#include "dyad/store.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <variant>

#include "store/db.h"
#include "store/schema.h"
#include "util/binary.h"

namespace dyad::store {
namespace {

using internal::Conn;
using internal::Dialect;
using internal::Stmt;
using internal::StmtGuard;

// ---- dates ---------------------------------------------------------------------------------

bool ParseDate(std::string_view d, std::chrono::year_month_day* out) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  int v[3] = {0, 0, 0};
  const size_t at[3] = {0, 5, 8}, len[3] = {4, 2, 2};
  for (int k = 0; k < 3; ++k)
    for (size_t i = at[k]; i < at[k] + len[k]; ++i) {
      if (d[i] < '0' || d[i] > '9') return false;
      v[k] = v[k] * 10 + (d[i] - '0');
    }
  std::chrono::year_month_day ymd{std::chrono::year(v[0]), std::chrono::month(v[1]),
                                  std::chrono::day(v[2])};
  if (!ymd.ok()) return false;
  *out = ymd;
  return true;
}

std::string FormatDate(std::chrono::year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

// The Monday starting the ISO week of `date`, and the first day of its month.
void Buckets(std::string_view date, std::string* week, std::string* month) {
  std::chrono::year_month_day ymd;
  if (!ParseDate(date, &ymd)) {
    week->clear();
    month->clear();
    return;
  }
  std::chrono::sys_days days(ymd);
  std::chrono::weekday wd(days);
  unsigned since_monday = (wd.c_encoding() + 6) % 7;
  *week = FormatDate(std::chrono::year_month_day(days - std::chrono::days(since_monday)));
  *month = std::string(date.substr(0, 8)) + "01";
}

// ---- SQL with parameters -------------------------------------------------------------------

using Param = std::variant<int64_t, double, std::string>;

struct Sql {
  std::string text;
  std::vector<Param> params;
  Sql& operator<<(std::string_view s) {
    text += s;
    return *this;
  }
  void Add(Param p) { params.push_back(std::move(p)); }
};

void BindAll(Stmt* s, const std::vector<Param>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    int at = static_cast<int>(i + 1);
    std::visit([&](const auto& v) {
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>)
        s->Bind(at, std::string_view(v));
      else
        s->Bind(at, v);
    }, params[i]);
  }
}

// The smallest string greater than every string starting with `prefix`: "" when there is none
// (all bytes 0xff).
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

// `column` starts with `prefix`, as an index range.
void PrefixCond(const char* column, const std::string& prefix, Sql* sql) {
  *sql << "(" << column << " >= ?";
  sql->Add(prefix);
  std::string end = PrefixEnd(prefix);
  if (!end.empty()) {
    *sql << " AND " << column << " < ?";
    sql->Add(end);
  }
  *sql << ")";
}

// LIKE pattern matching `s` anywhere, with its wildcards escaped (escape character '\').
std::string ContainsPattern(std::string_view s) {
  std::string p = "%";
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') p += '\\';
    p += c;
  }
  return p + "%";
}

// The filtered events, one row per event (or per one-a-day group), as a CTE named `ev` with
// columns id, date, week, month, source, target, code, root, quad_class, goldstein, reports.
void EventsCte(const Filter& f, Dialect dialect, Sql* sql) {
  if (f.one_a_day)
    *sql << "ev AS (SELECT MIN(e.id) AS id, e.date AS date, MAX(e.week) AS week,"
            " MAX(e.month) AS month, e.source AS source, e.target AS target, e.code AS code,"
            " MAX(e.root) AS root, MAX(e.quad_class) AS quad_class,"
            " AVG(e.goldstein) AS goldstein, COUNT(*) AS reports FROM events e WHERE 1=1";
  else
    *sql << "ev AS (SELECT e.id AS id, e.date AS date, e.week AS week, e.month AS month,"
            " e.source AS source, e.target AS target, e.code AS code, e.root AS root,"
            " e.quad_class AS quad_class, e.goldstein AS goldstein, 1 AS reports"
            " FROM events e WHERE 1=1";
  if (!f.from.empty()) {
    *sql << " AND e.date >= ?";
    sql->Add(f.from);
  }
  if (!f.to.empty()) {
    *sql << " AND e.date <= ?";
    sql->Add(f.to);
  }
  if (!f.actor.empty()) {
    *sql << " AND (";
    PrefixCond("e.source", f.actor, sql);
    *sql << " OR ";
    PrefixCond("e.target", f.actor, sql);
    *sql << ")";
  }
  if (!f.source.empty()) {
    *sql << " AND ";
    PrefixCond("e.source", f.source, sql);
  }
  if (!f.target.empty()) {
    *sql << " AND ";
    PrefixCond("e.target", f.target, sql);
  }
  if (!f.code.empty()) {
    *sql << " AND ";
    PrefixCond("e.code", f.code, sql);
  }
  if (!f.root.empty()) {
    *sql << " AND e.root = ?";
    sql->Add(f.root);
  }
  if (f.quad_class != 0) {
    *sql << " AND e.quad_class = ?";
    sql->Add(static_cast<int64_t>(f.quad_class));
  }
  if (!f.doc_id.empty()) {
    *sql << " AND e.document = (SELECT d0.id FROM documents d0 WHERE d0.doc_id = ?)";
    sql->Add(f.doc_id);
  }
  if (f.run != 0) {
    *sql << " AND e.run = ?";
    sql->Add(f.run);
  }
  if (!f.text.empty()) {
    *sql << " AND EXISTS (SELECT 1 FROM sentences s0 WHERE s0.document = e.document AND"
            " s0.idx = e.sentence AND s0.text "
         << (dialect == Dialect::kPostgres ? "ILIKE" : "LIKE") << " ? ESCAPE '\\')";
    sql->Add(ContainsPattern(f.text));
  }
  if (f.one_a_day) *sql << " GROUP BY e.date, e.source, e.target, e.code";
  *sql << ")";
}

// The columns of an EventRow, read by ReadRow in this order.
constexpr const char* kRowColumns =
    " e.id, e.sentence, e.ordinal, e.date, e.source, e.target, e.code, e.root, e.quad_class,"
    " e.goldstein, e.run, t.issues, t.source_text, t.target_text, t.verb_text, t.source_begin,"
    " t.source_end, t.target_begin, t.target_end, t.verb_begin, t.verb_end, t.pattern,"
    " t.pattern_where, t.model, t.dict, d.doc_id, d.title, d.source, d.url, d.date,"
    " COALESCE(s.text, ''), COALESCE(s.begin_offset, 0), COALESCE(s.end_offset, 0),"
    " t.loc_how, t.loc_name, t.loc_admin1, t.loc_admin1_code, t.loc_country, t.loc_lat,"
    " t.loc_lon, t.loc_geonames_id, t.loc_kind";
constexpr const char* kRowJoins =
    " JOIN event_text t ON t.event = e.id JOIN documents d ON d.id = e.document"
    " LEFT JOIN sentences s ON s.document = e.document AND s.idx = e.sentence";

std::vector<std::string> SplitIssues(const std::string& s) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < s.size()) {
    size_t semi = s.find(';', at);
    if (semi == std::string::npos) semi = s.size();
    out.push_back(s.substr(at, semi - at));
    at = semi + 1;
  }
  return out;
}

EventRow ReadRow(Stmt* s, int c) {
  EventRow r;
  auto u32 = [&](int i) { return static_cast<uint32_t>(s->Int(i)); };
  r.id = s->Int(c + 0);
  Event& e = r.event;
  e.sentence = u32(c + 1);
  r.ordinal = u32(c + 2);
  e.date = s->Text(c + 3);
  e.source = s->Text(c + 4);
  e.target = s->Text(c + 5);
  e.code = s->Text(c + 6);
  e.root = s->Text(c + 7);
  e.quad_class = static_cast<int>(s->Int(c + 8));
  e.goldstein = s->Double(c + 9);
  r.run = s->IsNull(c + 10) ? 0 : s->Int(c + 10);
  e.issues = SplitIssues(s->Text(c + 11));
  e.source_text = s->Text(c + 12);
  e.target_text = s->Text(c + 13);
  e.verb_text = s->Text(c + 14);
  e.source_span = {u32(c + 15), u32(c + 16)};
  e.target_span = {u32(c + 17), u32(c + 18)};
  e.verb_span = {u32(c + 19), u32(c + 20)};
  e.pattern = s->Text(c + 21);
  e.pattern_where = s->Text(c + 22);
  r.model = s->Text(c + 23);
  r.dict = s->Text(c + 24);
  e.doc_id = s->Text(c + 25);
  r.doc_title = s->Text(c + 26);
  r.doc_source = s->Text(c + 27);
  r.doc_url = s->Text(c + 28);
  r.doc_date = s->Text(c + 29);
  e.text = s->Text(c + 30);
  r.sentence_span = {u32(c + 31), u32(c + 32)};
  EventLocation& l = e.location;
  l.how = s->Text(c + 33);
  l.name = s->Text(c + 34);
  l.admin1 = s->Text(c + 35);
  l.admin1_code = s->Text(c + 36);
  l.country = s->Text(c + 37);
  l.lat = s->Double(c + 38);
  l.lon = s->Double(c + 39);
  l.geonames_id = u32(c + 40);
  l.kind = static_cast<int>(s->Int(c + 41));
  return r;
}

// ---- ingest helpers ------------------------------------------------------------------------

void HashStr(std::string_view s, uint64_t* h) {
  uint64_t n = s.size();
  *h = Fnv1a64(std::string_view(reinterpret_cast<const char*>(&n), sizeof n), *h);
  *h = Fnv1a64(s, *h);
}
void HashInt(int64_t v, uint64_t* h) {
  *h = Fnv1a64(std::string_view(reinterpret_cast<const char*>(&v), sizeof v), *h);
}

std::string JoinIssues(const std::vector<std::string>& issues) {
  std::string out;
  for (const auto& i : issues) {
    if (!out.empty()) out += ';';
    out += i;
  }
  return out;
}

// The sentences stored for a document: its own, plus any an event points at that it lacks
// (made from Event::text, span unknown).
struct SentenceRow {
  uint32_t idx;
  Span span;
  std::string_view text;
};

std::vector<SentenceRow> SentencesOf(const IngestItem& item) {
  std::map<uint32_t, SentenceRow> rows;
  const auto& ss = item.document->sentences;
  for (uint32_t i = 0; i < ss.size(); ++i) rows[i] = {i, ss[i].span, ss[i].text};
  for (const Event& e : item.events)
    if (!rows.count(e.sentence)) rows[e.sentence] = {e.sentence, {0, 0}, e.text};
  std::vector<SentenceRow> out;
  for (auto& [i, r] : rows) out.push_back(r);
  return out;
}

std::string ContentHash(const IngestItem& item, const std::vector<SentenceRow>& sentences,
                        const RunInfo& prov) {
  uint64_t h = 1469598103934665603ull;
  const Document& d = *item.document;
  for (const std::string* s : {&d.date, &d.source, &d.url, &d.title, &prov.model, &prov.dict})
    HashStr(*s, &h);
  HashInt(static_cast<int64_t>(sentences.size()), &h);
  for (const auto& s : sentences) {
    HashInt(s.idx, &h);
    HashInt(s.span.begin, &h);
    HashInt(s.span.end, &h);
    HashStr(s.text, &h);
  }
  HashInt(static_cast<int64_t>(item.events.size()), &h);
  for (const Event& e : item.events) {
    HashInt(e.sentence, &h);
    for (const std::string* s : {&e.date, &e.source, &e.target, &e.code, &e.root, &e.source_text,
                                 &e.target_text, &e.verb_text, &e.pattern, &e.pattern_where})
      HashStr(*s, &h);
    HashInt(e.quad_class, &h);
    int64_t g;
    static_assert(sizeof g == sizeof e.goldstein);
    std::memcpy(&g, &e.goldstein, sizeof g);
    HashInt(g, &h);
    HashInt(static_cast<int64_t>(e.issues.size()), &h);
    for (const auto& i : e.issues) HashStr(i, &h);
    for (const Span* sp : {&e.source_span, &e.target_span, &e.verb_span}) {
      HashInt(sp->begin, &h);
      HashInt(sp->end, &h);
    }
    const EventLocation& l = e.location;
    for (const std::string* s : {&l.how, &l.name, &l.admin1, &l.admin1_code, &l.country})
      HashStr(*s, &h);
    for (double v : {l.lat, l.lon}) {
      std::memcpy(&g, &v, sizeof g);
      HashInt(g, &h);
    }
    HashInt(l.geonames_id, &h);
    HashInt(l.kind, &h);
  }
  return HexFingerprint(h);
}

// ---- connection pool -----------------------------------------------------------------------

class Pool {
 public:
  using Factory = std::function<Result<std::unique_ptr<Conn>>()>;
  Pool(Factory f, int max) : factory_(std::move(f)), max_(std::max(1, max)) {}

  // Seeds the pool with the connection used for the migrations.
  void Put(std::unique_ptr<Conn> c) {
    std::lock_guard<std::mutex> l(mu_);
    ++open_;
    idle_.push_back(std::move(c));
  }

  class Lease {
   public:
    Lease(Pool* p, std::unique_ptr<Conn> c) : p_(p), c_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (c_) p_->Return(std::move(c_));
    }
    Conn& operator*() { return *c_; }
    Conn* operator->() { return c_.get(); }

   private:
    Pool* p_;
    std::unique_ptr<Conn> c_;
  };

  Result<Lease> Acquire() {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] { return !idle_.empty() || open_ < max_; });
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(c));
    }
    ++open_;
    l.unlock();
    auto c = factory_();
    if (!c.ok()) {
      std::lock_guard<std::mutex> g(mu_);
      --open_;
      cv_.notify_one();
      return c.status();
    }
    return Lease(this, std::move(*c));
  }

 private:
  void Return(std::unique_ptr<Conn> c) {
    bool healthy = c->Healthy();
    if (!healthy) c.reset();  // outside the lock: closing may talk to the server
    std::lock_guard<std::mutex> l(mu_);
    if (healthy)
      idle_.push_back(std::move(c));
    else
      --open_;
    cv_.notify_one();
  }

  Factory factory_;
  int max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_ = 0;
};

// ---- the store -----------------------------------------------------------------------------

class SqlStore final : public Store {
 public:
  SqlStore(Dialect d, Pool::Factory f, int max, int version)
      : dialect_(d), pool_(std::move(f), max), version_(version) {}

  void Seed(std::unique_ptr<Conn> c) { pool_.Put(std::move(c)); }

  std::string_view backend() const override {
    return dialect_ == Dialect::kSqlite ? "sqlite" : "postgresql";
  }

  Result<int64_t> BeginRun(const RunInfo& info) override {
    std::lock_guard<std::mutex> w(write_mu_);
    DYAD_ASSIGN_OR_RETURN(auto c, pool_.Acquire());
    DYAD_ASSIGN_OR_RETURN(Stmt * s, c->Prepare(
        "INSERT INTO runs (started, dyad_version, model, dict, command) VALUES (?, ?, ?, ?, ?)"
        " RETURNING id"));
    StmtGuard g(s);
    s->Bind(1, internal::NowUtc());
    s->Bind(2, info.dyad_version);
    s->Bind(3, info.model);
    s->Bind(4, info.dict);
    s->Bind(5, info.command);
    DYAD_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::Error("store: no run id returned");
    return s->Int(0);
  }

  Status FinishRun(int64_t run) override {
    std::lock_guard<std::mutex> w(write_mu_);
    DYAD_ASSIGN_OR_RETURN(auto c, pool_.Acquire());
    DYAD_ASSIGN_OR_RETURN(Stmt * s, c->Prepare("UPDATE runs SET finished = ? WHERE id = ?"));
    StmtGuard g(s);
    s->Bind(1, internal::NowUtc());
    s->Bind(2, run);
    return s->Step().status();
  }

  Result<std::vector<Run>> Runs() override {
    DYAD_ASSIGN_OR_RETURN(auto c, pool_.Acquire());
    DYAD_ASSIGN_OR_RETURN(Stmt * s, c->Prepare(
        "SELECT id, started, finished, dyad_version, model, dict, command, documents, events"
        " FROM runs ORDER BY id"));
    StmtGuard g(s);
    std::vector<Run> out;
    while (true) {
      DYAD_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      Run r;
      r.id = s->Int(0);
      r.started = s->Text(1);
      r.finished = s->Text(2);
      r.info = {s->Text(3), s->Text(4), s->Text(5), s->Text(6)};
      r.documents = s->Int(7);
      r.events = s->Int(8);
      out.push_back(std::move(r));
    }
    return out;
  }

  Result<IngestStats> Ingest(std::span<const IngestItem> batch, int64_t run,
                             const RunInfo& provenance) override {
    // Check everything before touching the database.
    std::set<std::string_view> ids;
    for (const IngestItem& it : batch) {
      if (!it.document) return Status::Error("store: ingest item without a document");
      const std::string& id = it.document->id;
      if (id.empty()) return Status::Error("store: a document has no id");
      if (!ids.insert(id).second)
        return Status::Error("store: document '" + id + "' appears twice in one batch");
      // Event dates must be YYYY-MM-DD (queries compare and bucket them); a document's date
      // is only shown, and kept as it came.
      std::chrono::year_month_day ymd;
      for (const dyad::Event& e : it.events)
        if (!e.date.empty() && !ParseDate(e.date, &ymd))
          return Status::Error("store: document '" + id + "': event date '" + e.date +
                               "' is not YYYY-MM-DD");
    }
    std::lock_guard<std::mutex> w(write_mu_);
    DYAD_ASSIGN_OR_RETURN(auto c, pool_.Acquire());
    RunInfo prov = provenance;
    if (run != 0) {
      DYAD_ASSIGN_OR_RETURN(Stmt * s, c->Prepare("SELECT model, dict FROM runs WHERE id = ?"));
      StmtGuard g(s);
      s->Bind(1, run);
      DYAD_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) return Status::Error("store: no run " + std::to_string(run));
      prov.model = s->Text(0);
      prov.dict = s->Text(1);
    }
    DYAD_RETURN_IF_ERROR(c->Begin(true));
    IngestStats stats;
    Status st = IngestLocked(*c, batch, run, prov, &stats);
    if (st.ok()) st = c->Commit();
    if (!st.ok()) {
      (void)c->Rollback();
      return st;
    }
    return stats;
  }

  Result<EventPage> Events(const Filter& filter) override {
    DYAD_RETURN_IF_ERROR(ValidateFilter(filter));
    int64_t limit = std::clamp<int64_t>(filter.limit, 0, kMaxLimit);
    Sql sql;
    sql << "WITH ";
    EventsCte(filter, dialect_, &sql);
    sql << " SELECT ev.reports," << kRowColumns << " FROM ev JOIN events e ON e.id = ev.id"
        << kRowJoins;
    const char* dir = filter.newest_first ? " DESC" : "";
    sql << " ORDER BY ev.date" << dir << ", ev.source" << dir << ", ev.target" << dir
        << ", ev.code" << dir << ", ev.id" << dir << " LIMIT ? OFFSET ?";
    sql.Add(limit + 1);
    sql.Add(filter.offset);
    DYAD_ASSIGN_OR_RETURN(auto c, pool_.Acquire());
    EventPage page;
    DYAD_RETURN_IF_ERROR(Query(*c, sql, [&](Stmt* s) {
      if (static_cast<int64_t>(page.rows.size()) == limit) {
        page.more = true;
        return;
      }
      EventRow r = ReadRow(s, 1);
      r.reports = s->Int(0);
      page.rows.push_back(std::move(r));
    }));
    return page;
  }

  Result<int64_t> Count(const Filter& filter) override {
    DYAD_RETURN_IF_ERROR(ValidateFilter(filter));
    Sql sql;
    sql << "WITH ";
    EventsCte(filter, dialect_, &sql);
    sql << " SELECT COUNT(*) FROM ev";
    DYAD_ASSIGN_OR_RETURN(auto c, pool_.Acquire());
    int64_t n = 0;
    DYAD_RETURN_IF_ERROR(Query(*c, sql, [&](Stmt* s) { n = s->Int(0); }));
    return n;
  }

  Result<std::optional<EventRow>> Event(int64_t id) override {
    Sql sql;
    sql << "SELECT" << kRowColumns << " FROM events e" << kRowJoins << " WHERE e.id = ?";
    sql.Add(id);
    DYAD_ASSIGN_OR_RETURN(auto c, pool_.Acquire());
    std::optional<EventRow> out;
    DYAD_RETURN_IF_ERROR(Query(*c, sql, [&](Stmt* s) { out = ReadRow(s, 0); }));
    return out;
  }

  Result<std::vector<SeriesPoint>> Series(const Filter& filter,
                                          const SeriesOptions& options) override {
    DYAD_RETURN_IF_ERROR(ValidateFilter(filter));
    const char* bucket = options.by == Bucket::kDay    ? "ev.date"
                         : options.by == Bucket::kWeek ? "ev.week"
                                                       : "ev.month";
    Sql sql;
    sql << "WITH ";
    EventsCte(filter, dialect_, &sql);
    std::string group;
    if (options.group == GroupBy::kQuadClass) group = ", ev.quad_class";
    if (options.group == GroupBy::kDyad) {
      group = ", ev.source, ev.target";
      sql << ", top AS (SELECT source, target FROM ev GROUP BY source, target"
             " ORDER BY COUNT(*) DESC, source, target LIMIT ?)";
      sql.Add(static_cast<int64_t>(std::clamp(options.top, 1, kMaxSeriesGroups)));
    }
    sql << " SELECT " << bucket << group
        << ", COUNT(*), SUM(ev.reports), SUM(ev.goldstein), AVG(ev.goldstein) FROM ev";
    if (options.group == GroupBy::kDyad)
      sql << " JOIN top ON top.source = ev.source AND top.target = ev.target";
    sql << " GROUP BY " << bucket << group << " ORDER BY " << bucket << group;
    DYAD_ASSIGN_OR_RETURN(auto c, pool_.Acquire());
    std::vector<SeriesPoint> out;
    DYAD_RETURN_IF_ERROR(Query(*c, sql, [&](Stmt* s) {
      SeriesPoint p;
      int k = 0;
      p.bucket = s->Text(k++);
      if (options.group == GroupBy::kQuadClass) {
        p.quad_class = static_cast<int>(s->Int(k++));
        p.group = std::to_string(p.quad_class);
      } else if (options.group == GroupBy::kDyad) {
        p.source = s->Text(k++);
        p.target = s->Text(k++);
        p.group = p.source + ">" + p.target;
      }
      p.events = s->Int(k++);
      p.reports = s->Int(k++);
      p.goldstein_sum = s->Double(k++);
      p.goldstein_mean = s->Double(k++);
      out.push_back(std::move(p));
    }));
    return out;
  }

  Result<std::vector<CountryCount>> CountryCounts(const Filter& filter) override {
    DYAD_RETURN_IF_ERROR(ValidateFilter(filter));
    Sql sql;
    sql << "WITH ";
    EventsCte(filter, dialect_, &sql);
    // One pass grouping by the (source country, target country) pair, folded here: far
    // cheaper than a UNION of the two sides over the events.
    sql << " SELECT CASE WHEN length(ev.source) >= 3 THEN substr(ev.source, 1, 3) ELSE '' END,"
           " CASE WHEN length(ev.target) >= 3 THEN substr(ev.target, 1, 3) ELSE '' END,"
           " COUNT(*) FROM ev GROUP BY 1, 2";
    DYAD_ASSIGN_OR_RETURN(auto c, pool_.Acquire());
    std::map<std::string, CountryCount> by;
    DYAD_RETURN_IF_ERROR(Query(*c, sql, [&](Stmt* s) {
      std::string src = s->Text(0), tgt = s->Text(1);
      int64_t n = s->Int(2);
      if (!src.empty()) {
        CountryCount& x = by[src];
        x.events += n;
        x.as_source += n;
      }
      if (!tgt.empty()) {
        CountryCount& x = by[tgt];
        if (tgt != src) x.events += n;
        x.as_target += n;
      }
    }));
    std::vector<CountryCount> out;
    for (auto& [country, x] : by) {
      x.country = country;
      out.push_back(x);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const CountryCount& a, const CountryCount& b) { return a.events > b.events; });
    return out;
  }

  Result<Stats> GetStats() override {
    Stats st;
    st.backend = std::string(backend());
    st.schema_version = version_;
    DYAD_ASSIGN_OR_RETURN(auto c, pool_.Acquire());
    Sql sql;
    sql << "SELECT (SELECT COUNT(*) FROM runs), (SELECT COUNT(*) FROM documents),"
           " (SELECT COUNT(*) FROM sentences), (SELECT COUNT(*) FROM events),"
           " (SELECT MIN(date) FROM events WHERE date > ''),"
           " (SELECT MAX(date) FROM events WHERE date > '')";
    DYAD_RETURN_IF_ERROR(Query(*c, sql, [&](Stmt* s) {
      st.runs = s->Int(0);
      st.documents = s->Int(1);
      st.sentences = s->Int(2);
      st.events = s->Int(3);
      st.first_date = s->IsNull(4) ? "" : s->Text(4);
      st.last_date = s->IsNull(5) ? "" : s->Text(5);
    }));
    return st;
  }

 private:
  template <typename F>
  Status Query(Conn& c, const Sql& sql, F&& on_row) {
    DYAD_ASSIGN_OR_RETURN(Stmt * s, c.Prepare(sql.text));
    StmtGuard g(s);
    BindAll(s, sql.params);
    while (true) {
      DYAD_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) return Status::Ok();
      on_row(s);
    }
  }

  static Status Run1(Stmt* s) { return s->Step().status(); }

  Status IngestLocked(Conn& c, std::span<const IngestItem> batch, int64_t run,
                      const RunInfo& prov, IngestStats* stats) {
    // SQLite hands out the new rowid without the cost of RETURNING.
    const bool pg = c.dialect() == Dialect::kPostgres;
    const std::string returning = pg ? " RETURNING id" : "";
    auto inserted_id = [&](Stmt* s) -> Result<int64_t> {
      DYAD_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!pg) return c.LastInsertId();
      if (!row) return Status::Error("store: no id returned");
      return s->Int(0);
    };
    DYAD_ASSIGN_OR_RETURN(Stmt * find, c.Prepare("SELECT id, hash FROM documents WHERE doc_id = ?"));
    DYAD_ASSIGN_OR_RETURN(Stmt * del_text, c.Prepare(
        "DELETE FROM event_text WHERE event IN (SELECT id FROM events WHERE document = ?)"));
    DYAD_ASSIGN_OR_RETURN(Stmt * del_events, c.Prepare("DELETE FROM events WHERE document = ?"));
    DYAD_ASSIGN_OR_RETURN(Stmt * del_sent, c.Prepare("DELETE FROM sentences WHERE document = ?"));
    DYAD_ASSIGN_OR_RETURN(Stmt * upd_doc, c.Prepare(
        "UPDATE documents SET date = ?, source = ?, url = ?, title = ?, run = ?, hash = ?"
        " WHERE id = ?"));
    DYAD_ASSIGN_OR_RETURN(Stmt * ins_doc, c.Prepare(
        "INSERT INTO documents (doc_id, date, source, url, title, run, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)" + returning));
    DYAD_ASSIGN_OR_RETURN(Stmt * ins_sent, c.Prepare(
        "INSERT INTO sentences (document, idx, begin_offset, end_offset, text)"
        " VALUES (?, ?, ?, ?, ?)"));
    DYAD_ASSIGN_OR_RETURN(Stmt * ins_event, c.Prepare(
        "INSERT INTO events (document, sentence, ordinal, date, week, month, source, target,"
        " code, root, quad_class, goldstein, run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" +
        returning));
    DYAD_ASSIGN_OR_RETURN(Stmt * ins_text, c.Prepare(
        "INSERT INTO event_text (event, issues, source_text, target_text, verb_text,"
        " source_begin, source_end, target_begin, target_end, verb_begin, verb_end, pattern,"
        " pattern_where, model, dict, loc_how, loc_name, loc_admin1, loc_admin1_code,"
        " loc_country, loc_lat, loc_lon, loc_geonames_id, loc_kind)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    auto bind_run = [&](Stmt* s, int i) {
      if (run != 0)
        s->Bind(i, run);
      else
        s->BindNull(i);
    };
    int64_t docs_written = 0;
    std::string week, month, bucketed_date = "-";  // the date week and month are for
    for (const IngestItem& item : batch) {
      const Document& d = *item.document;
      std::vector<SentenceRow> sentences = SentencesOf(item);
      std::string hash = ContentHash(item, sentences, prov);
      int64_t doc = 0;
      {
        StmtGuard g(find);
        find->Bind(1, d.id);
        DYAD_ASSIGN_OR_RETURN(bool row, find->Step());
        if (row) {
          doc = find->Int(0);
          if (find->Text(1) == hash) {
            ++stats->unchanged;
            continue;
          }
        }
      }
      if (doc != 0) {
        for (Stmt* s : {del_text, del_events, del_sent}) {
          StmtGuard g(s);
          s->Bind(1, doc);
          DYAD_RETURN_IF_ERROR(Run1(s));
        }
        StmtGuard g(upd_doc);
        upd_doc->Bind(1, d.date);
        upd_doc->Bind(2, d.source);
        upd_doc->Bind(3, d.url);
        upd_doc->Bind(4, d.title);
        bind_run(upd_doc, 5);
        upd_doc->Bind(6, hash);
        upd_doc->Bind(7, doc);
        DYAD_RETURN_IF_ERROR(Run1(upd_doc));
        ++stats->replaced;
      } else {
        StmtGuard g(ins_doc);
        ins_doc->Bind(1, d.id);
        ins_doc->Bind(2, d.date);
        ins_doc->Bind(3, d.source);
        ins_doc->Bind(4, d.url);
        ins_doc->Bind(5, d.title);
        bind_run(ins_doc, 6);
        ins_doc->Bind(7, hash);
        DYAD_ASSIGN_OR_RETURN(doc, inserted_id(ins_doc));
        ++stats->inserted;
      }
      ++docs_written;
      for (const SentenceRow& s : sentences) {
        StmtGuard g(ins_sent);
        ins_sent->Bind(1, doc);
        ins_sent->Bind(2, static_cast<int64_t>(s.idx));
        ins_sent->Bind(3, static_cast<int64_t>(s.span.begin));
        ins_sent->Bind(4, static_cast<int64_t>(s.span.end));
        ins_sent->Bind(5, s.text);
        DYAD_RETURN_IF_ERROR(Run1(ins_sent));
      }
      std::map<uint32_t, uint32_t> ordinals;
      for (const dyad::Event& e : item.events) {
        if (e.date != bucketed_date) {  // most events of a batch share a few dates
          Buckets(e.date, &week, &month);
          bucketed_date = e.date;
        }
        int64_t id = 0;
        {
          StmtGuard g(ins_event);
          ins_event->Bind(1, doc);
          ins_event->Bind(2, static_cast<int64_t>(e.sentence));
          ins_event->Bind(3, static_cast<int64_t>(++ordinals[e.sentence]));
          ins_event->Bind(4, e.date);
          ins_event->Bind(5, week);
          ins_event->Bind(6, month);
          ins_event->Bind(7, e.source);
          ins_event->Bind(8, e.target);
          ins_event->Bind(9, e.code);
          ins_event->Bind(10, e.root);
          ins_event->Bind(11, static_cast<int64_t>(e.quad_class));
          ins_event->Bind(12, e.goldstein);
          bind_run(ins_event, 13);
          DYAD_ASSIGN_OR_RETURN(id, inserted_id(ins_event));
        }
        StmtGuard g(ins_text);
        ins_text->Bind(1, id);
        ins_text->Bind(2, JoinIssues(e.issues));
        ins_text->Bind(3, e.source_text);
        ins_text->Bind(4, e.target_text);
        ins_text->Bind(5, e.verb_text);
        int at = 6;
        for (const Span* sp : {&e.source_span, &e.target_span, &e.verb_span}) {
          ins_text->Bind(at++, static_cast<int64_t>(sp->begin));
          ins_text->Bind(at++, static_cast<int64_t>(sp->end));
        }
        ins_text->Bind(12, e.pattern);
        ins_text->Bind(13, e.pattern_where);
        ins_text->Bind(14, prov.model);
        ins_text->Bind(15, prov.dict);
        const EventLocation& l = e.location;
        ins_text->Bind(16, l.how);
        ins_text->Bind(17, l.name);
        ins_text->Bind(18, l.admin1);
        ins_text->Bind(19, l.admin1_code);
        ins_text->Bind(20, l.country);
        ins_text->Bind(21, l.lat);
        ins_text->Bind(22, l.lon);
        ins_text->Bind(23, static_cast<int64_t>(l.geonames_id));
        ins_text->Bind(24, static_cast<int64_t>(l.kind));
        DYAD_RETURN_IF_ERROR(Run1(ins_text));
        ++stats->events;
      }
    }
    if (run != 0 && docs_written > 0) {
      DYAD_ASSIGN_OR_RETURN(Stmt * s, c.Prepare(
          "UPDATE runs SET documents = documents + ?, events = events + ? WHERE id = ?"));
      StmtGuard g(s);
      s->Bind(1, docs_written);
      s->Bind(2, stats->events);
      s->Bind(3, run);
      DYAD_RETURN_IF_ERROR(Run1(s));
    }
    return Status::Ok();
  }

  Dialect dialect_;
  Pool pool_;
  int version_;
  std::mutex write_mu_;
};

}  // namespace

Span EventRow::InSentence(Span s) const {
  const Span& sp = sentence_span;
  if (sp.end <= sp.begin || s.end <= s.begin || s.begin < sp.begin || s.end > sp.end)
    return {0, 0};
  return {s.begin - sp.begin, s.end - sp.begin};
}

Status ValidateFilter(const Filter& f) {
  std::chrono::year_month_day ymd;
  if (!f.from.empty() && !ParseDate(f.from, &ymd))
    return Status::Error("from: '" + f.from + "' is not a date YYYY-MM-DD");
  if (!f.to.empty() && !ParseDate(f.to, &ymd))
    return Status::Error("to: '" + f.to + "' is not a date YYYY-MM-DD");
  if (f.quad_class < 0 || f.quad_class > 4)
    return Status::Error("quad_class must be 1, 2, 3 or 4 (or 0 for any)");
  if (f.offset < 0 || f.offset > kMaxOffset)
    return Status::Error("offset must be between 0 and " + std::to_string(kMaxOffset));
  return Status::Ok();
}

Result<Bucket> ParseBucket(std::string_view name) {
  if (name == "day") return Bucket::kDay;
  if (name == "week") return Bucket::kWeek;
  if (name == "month") return Bucket::kMonth;
  return Status::Error("unknown bucket '" + std::string(name) + "' (choose day, week or month)");
}

Result<GroupBy> ParseGroupBy(std::string_view name) {
  if (name == "none" || name.empty()) return GroupBy::kNone;
  if (name == "quad_class" || name == "quad") return GroupBy::kQuadClass;
  if (name == "dyad") return GroupBy::kDyad;
  return Status::Error("unknown grouping '" + std::string(name) +
                       "' (choose none, quad_class or dyad)");
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& url, StoreOptions options) {
  Dialect dialect;
  std::string target;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    dialect = Dialect::kPostgres;
    target = url;
  } else {
    dialect = Dialect::kSqlite;
    target = url.starts_with("sqlite:") ? url.substr(7) : url;
    if (target.empty()) return Status::Error("store: empty database path in '" + url + "'");
    if (target == ":memory:") options.max_connections = 1;
  }
  internal::Dialect d = dialect;
  const bool create = options.create;
  Pool::Factory factory = [d, target, create]() {
    return d == Dialect::kPostgres ? internal::OpenPostgres(target)
                                   : internal::OpenSqlite(target, create);
  };
  DYAD_ASSIGN_OR_RETURN(auto conn, factory());
  DYAD_ASSIGN_OR_RETURN(int version, internal::Migrate(*conn));
  auto store = std::make_unique<SqlStore>(dialect, factory, options.max_connections, version);
  store->Seed(std::move(conn));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace dyad::store
