#include "dyad/server.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <condition_variable>
#include <map>
#include <set>
#include <mutex>
#include <semaphore>
#include <string_view>

#include "dyad/cameo.h"
#include "dyad/coder.h"
#include "dyad/json.h"
#include "dyad/nlp.h"
#include "dyad/store.h"
#include "server/assets.h"
#include "server/documents.h"
#include "server/json_out.h"
#include "server/params.h"

namespace dyad::server {

std::string ErrorJson(const std::string& message) {
  std::string out = "{\"error\":";
  AppendJsonString(message, &out);
  out += "}\n";
  return out;
}

const Asset* FindAsset(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (const Asset& a : Assets())
    if (path == a.path) return &a;
  return nullptr;
}

namespace {

constexpr const char* kJson = "application/json";
constexpr int kMaxCodeWaitSeconds = 20;

// What each path accepts, for 404 vs 405 and the Allow header.
struct Route {
  std::string_view path;
  bool get, post;
};
constexpr Route kRoutes[] = {
    {"/api/meta", true, false},      {"/api/cameo", true, false},
    {"/api/events", true, false},    {"/api/series", true, false},
    {"/api/countries", true, false}, {"/api/code", false, true},
    {"/api/documents", false, true},
};

// The route of `path`; event pages (/api/events/<anything>) are GET-only.
const Route* FindRoute(std::string_view path) {
  static constexpr Route kEvent = {"/api/events/", true, false};
  for (const Route& r : kRoutes)
    if (path == r.path) return &r;
  if (path.starts_with("/api/events/")) return &kEvent;
  return nullptr;
}

bool IsLoopbackHost(std::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]" ||
         host.starts_with("127.");
}

// The host part of a Host header ("127.0.0.1:8080" -> "127.0.0.1", "[::1]:80" -> "[::1]").
std::string_view HostOf(std::string_view h) {
  if (h.starts_with('[')) {
    size_t e = h.find(']');
    return e == std::string_view::npos ? h : h.substr(0, e + 1);
  }
  size_t c = h.rfind(':');
  return c == std::string_view::npos ? h : h.substr(0, c);
}

// Compares without an early exit, so response times do not reveal the token's prefix.
bool SameToken(std::string_view a, std::string_view b) {
  unsigned diff = a.size() == b.size() ? 0 : 1;
  size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? a[i] : 0, y = i < b.size() ? b[i] : 0;
    diff |= x ^ y;
  }
  return diff == 0;
}

const char* StatusText(int status) {
  switch (status) {
    case 400: return "bad request";
    case 401: return "a valid bearer token is required";
    case 403: return "forbidden";
    case 404: return "not found";
    case 405: return "method not allowed";
    case 408: return "request timeout";
    case 411: return "a Content-Length is required";
    case 413: return "the request body is too large";
    case 414: return "the request URI is too long";
    case 415: return "unsupported media type: send application/json";
    case 421: return "misdirected request: this server answers only to its own host name";
    case 431: return "request header fields too large";
    case 503: return "service unavailable";
    default: return status >= 500 ? "internal server error" : "request refused";
  }
}

}  // namespace

// Answers of the aggregate endpoints (series, countries), by request target, for a few
// seconds: a dashboard asks the same aggregates over and over, and each is a scan of the
// events that match. Cleared by this server's own ingestion; other writers to the store (a
// `dyad code --store` running beside it) show after at most `ttl`.
class AnswerCache {
 public:
  AnswerCache(int ttl_seconds, size_t capacity)
      : ttl_(std::chrono::seconds(ttl_seconds)), capacity_(capacity) {}
  bool enabled() const { return ttl_.count() > 0 && capacity_ > 0; }
  // A fresh answer for `key`, or false: then the caller computes it and must call Put or
  // Abandon. While one request computes an answer, identical requests wait for it (up to
  // 60 s) instead of scanning the same events at the same time.
  bool Get(const std::string& key, std::string* body) {
    std::unique_lock<std::mutex> lock(mu_);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (true) {
      auto it = map_.find(key);
      if (it != map_.end()) {
        if (std::chrono::steady_clock::now() - it->second.at <= ttl_) {
          *body = it->second.body;
          return true;
        }
        map_.erase(it);
      }
      if (!computing_.count(key)) {
        computing_.insert(key);
        return false;
      }
      if (done_.wait_until(lock, deadline) == std::cv_status::timeout) return false;
    }
  }
  void Abandon(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    computing_.erase(key);
    done_.notify_all();
  }
  // Bodies over 1 MB are not kept, so the cache holds at most capacity MB.
  void Put(const std::string& key, const std::string& body) {
    std::lock_guard<std::mutex> lock(mu_);
    computing_.erase(key);
    done_.notify_all();
    if (body.size() > (1u << 20)) return;
    auto now = std::chrono::steady_clock::now();
    if (map_.size() >= capacity_) {
      // Drop what has expired; if nothing has, the oldest entry.
      for (auto it = map_.begin(); it != map_.end();)
        it = now - it->second.at > ttl_ ? map_.erase(it) : std::next(it);
      if (map_.size() >= capacity_) {
        auto oldest = map_.begin();
        for (auto it = map_.begin(); it != map_.end(); ++it)
          if (it->second.at < oldest->second.at) oldest = it;
        map_.erase(oldest);
      }
    }
    map_[key] = {now, body};
  }
  void Clear() {
    std::lock_guard<std::mutex> lock(mu_);
    map_.clear();
  }

 private:
  struct Entry {
    std::chrono::steady_clock::time_point at;
    std::string body;
  };
  std::chrono::seconds ttl_;
  size_t capacity_;
  std::mutex mu_;
  std::condition_variable done_;
  std::map<std::string, Entry> map_;
  std::set<std::string> computing_;
};

// The cache key of a GET: its path and parameters in a canonical order.
std::string CacheKey(const httplib::Request& req) {
  std::string key = req.path;
  for (const auto& [k, v] : req.params) key += "\n" + k + "=" + v;
  return key;
}

struct Server::Impl {
  ServerDeps deps;
  ServerOptions opts;
  httplib::Server http;
  int port = -1;
  bool bound = false;
  std::unique_ptr<std::counting_semaphore<256>> coding;
  std::string cameo_json;  // built once
  std::unique_ptr<AnswerCache> cache;
  std::mutex log_mu;

  void Reply(httplib::Response& res, int status, std::string body) {
    res.status = status;
    res.set_content(std::move(body), kJson);
  }
  void Error(httplib::Response& res, int status, const std::string& message) {
    Reply(res, status, ErrorJson(message));
  }
  // A store error: the details go to the log, the client gets a generic message (store
  // messages may name tables or SQL).
  void StoreError(httplib::Response& res, const Status& s) {
    if (!opts.quiet) {
      std::lock_guard<std::mutex> lock(log_mu);
      std::fprintf(stderr, "dyad serve: store error: %s\n", s.message().c_str());
    }
    Error(res, 500, "the store could not answer this query (the server's log says why)");
  }

  void Setup();
  httplib::Server::HandlerResponse PreRoute(const httplib::Request& req, httplib::Response& res);
  void Get(const httplib::Request& req, httplib::Response& res);
  void Static(const httplib::Request& req, httplib::Response& res);
  void Meta(httplib::Response& res);
  void Cameo(httplib::Response& res);
  void Events(const httplib::Request& req, httplib::Response& res);
  void EventById(std::string_view id, httplib::Response& res);
  void Series(const httplib::Request& req, httplib::Response& res);
  void Countries(const httplib::Request& req, httplib::Response& res);
  void Code(const httplib::Request& req, httplib::Response& res);
  void Documents(const httplib::Request& req, httplib::Response& res);
  std::string Explain(const Event& e, std::string* note);
};

void Server::Impl::Setup() {
  size_t threads = static_cast<size_t>(opts.threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(opts.max_body_bytes);
  http.set_keep_alive_max_count(1000);
  http.set_keep_alive_timeout(5);
  http.set_read_timeout(10, 0);
  http.set_write_timeout(10, 0);
  http.set_tcp_nodelay(true);
  http.set_default_headers({
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Content-Security-Policy",
       "default-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'"},
  });
  http.set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return PreRoute(req, res); });
  http.Get(".*", [this](const httplib::Request& req, httplib::Response& res) { Get(req, res); });
  http.Post("/api/code",
            [this](const httplib::Request& req, httplib::Response& res) { Code(req, res); });
  http.Post("/api/documents",
            [this](const httplib::Request& req, httplib::Response& res) { Documents(req, res); });
  // Whatever produced a status >= 400 without a body (httplib itself: 413, 414, bad request
  // lines...) gets a JSON reason.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        res.set_content(ErrorJson(StatusText(res.status)), kJson);
        return httplib::Server::HandlerResponse::Handled;
      }));
  // Never a stack trace nor an exception's text: they go to the log.
  http.set_exception_handler([this](const httplib::Request& req, httplib::Response& res,
                                    std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    if (!opts.quiet) {
      std::lock_guard<std::mutex> lock(log_mu);
      std::fprintf(stderr, "dyad serve: %s %s: internal error: %s\n", req.method.c_str(),
                   req.path.c_str(), what.c_str());
    }
    Error(res, 500, "internal server error");
  });
  if (!opts.quiet) {
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      std::lock_guard<std::mutex> lock(log_mu);
      // The path only: query strings can be long, and bodies and headers may hold tokens.
      std::string path = req.path.substr(0, 200);
      for (char& c : path)  // no terminal escapes from a hostile path into the log
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
      std::fprintf(stderr, "dyad serve: %s %s %d %zu\n", req.method.substr(0, 16).c_str(),
                   path.c_str(), res.status, res.body.size());
    });
  }
}

httplib::Server::HandlerResponse Server::Impl::PreRoute(const httplib::Request& req,
                                                        httplib::Response& res) {
  using HR = httplib::Server::HandlerResponse;
  // DNS rebinding: a page from elsewhere whose name resolves to 127.0.0.1 must not reach a
  // loopback server. Browsers always send the name they used in Host.
  if (opts.check_host && IsLoopbackHost(opts.host)) {
    std::string host = req.get_header_value("Host");
    if (!IsLoopbackHost(HostOf(host))) {
      Error(res, 421, StatusText(421));
      return HR::Handled;
    }
  }
  const bool get = req.method == "GET" || req.method == "HEAD";
  const bool post = req.method == "POST";
  const Route* route = FindRoute(req.path);
  if (route || req.path.starts_with("/api/")) {
    if (!route) {
      Error(res, 404, "no such API endpoint: " + req.path.substr(0, 100));
      return HR::Handled;
    }
    if ((get && !route->get) || (post && !route->post) || (!get && !post)) {
      res.set_header("Allow", route->post ? "POST" : "GET, HEAD");
      Error(res, 405, req.method.substr(0, 20) + " is not allowed on " + std::string(route->path) +
                          " (allowed: " + (route->post ? "POST" : "GET, HEAD") + ")");
      return HR::Handled;
    }
  } else if (!get) {
    res.set_header("Allow", "GET, HEAD");
    Error(res, 405, "the dashboard's files are read-only (allowed: GET, HEAD)");
    return HR::Handled;
  }
  if (!post) return HR::Unhandled;
  // POST: refuse before the body is read.
  if (req.path == "/api/documents") {
    if (opts.token.empty()) {
      Error(res, 403,
            "ingestion is disabled: start dyad serve with --token-file FILE (or --token) to "
            "accept POST /api/documents");
      return HR::Handled;
    }
    std::string auth = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (!auth.starts_with(kBearer) ||
        !SameToken(std::string_view(auth).substr(kBearer.size()), opts.token)) {
      res.set_header("WWW-Authenticate", "Bearer realm=\"dyad\"");
      Error(res, 401,
            auth.empty() ? "missing Authorization: Bearer <token>" : "wrong bearer token");
      return HR::Handled;
    }
  }
  std::string type = req.get_header_value("Content-Type");
  std::string_view media = std::string_view(type).substr(0, type.find(';'));
  if (media != "application/json" && media != "application/x-ndjson" &&
      media != "application/jsonl") {
    Error(res, 415,
          "send the body as application/json (or application/x-ndjson for JSON lines), not '" +
              type.substr(0, 60) + "'");
    return HR::Handled;
  }
  if (req.has_header("Content-Length")) {
    std::string len = req.get_header_value("Content-Length");
    size_t n = 0;
    auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), n);
    if (ec != std::errc() || end != len.data() + len.size()) {
      Error(res, 400, "Content-Length is not a number");
      return HR::Handled;
    }
    if (n > opts.max_body_bytes) {
      Error(res, 413,
            "the request body is " + std::to_string(n) + " bytes; the limit is " +
                std::to_string(opts.max_body_bytes));
      return HR::Handled;
    }
  } else {
    // Chunked bodies are refused: httplib does not bound their size, and every client that
    // matters (browsers' fetch, curl) sends a Content-Length.
    Error(res, 411, "a Content-Length is required (chunked request bodies are not accepted)");
    return HR::Handled;
  }
  return HR::Unhandled;
}

void Server::Impl::Get(const httplib::Request& req, httplib::Response& res) {
  std::string_view path = req.path;
  if (!path.starts_with("/api/")) return Static(req, res);
  if (path == "/api/meta") return Meta(res);
  if (path == "/api/cameo") return Cameo(res);
  if (path == "/api/events") return Events(req, res);
  if (path == "/api/series") return Series(req, res);
  if (path == "/api/countries") return Countries(req, res);
  if (path.starts_with("/api/events/")) return EventById(path.substr(12), res);
  Error(res, 404, "no such API endpoint");
}

void Server::Impl::Static(const httplib::Request& req, httplib::Response& res) {
  // Only exact names from the embedded table: "..", "%2e%2e", "//" or absolute paths simply
  // name nothing there, and nothing is ever read from the file system.
  const Asset* a = FindAsset(req.path);
  if (!a) return Error(res, 404, "not found");
  res.set_header("ETag", a->etag);
  res.set_header("Cache-Control", "no-cache");
  if (req.get_header_value("If-None-Match") == a->etag) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.set_content(reinterpret_cast<const char*>(a->data), a->size, a->content_type);
}

void Server::Impl::Meta(httplib::Response& res) {
  auto stats = deps.store->GetStats();
  if (!stats.ok()) return StoreError(res, stats.status());
  std::string out;
  JsonObject j(&out);
  j.Str("version", deps.version)
      .Str("model", deps.model)
      .Str("dict", deps.dict)
      .Str("backend", stats->backend)
      .Int("schema_version", stats->schema_version)
      .Int("runs", stats->runs)
      .Int("documents", stats->documents)
      .Int("sentences", stats->sentences)
      .Int("events", stats->events)
      .Str("first_date", stats->first_date)
      .Str("last_date", stats->last_date)
      .Bool("coding", deps.pipeline && deps.coder)
      .Bool("ingest", !opts.token.empty() && deps.pipeline && deps.coder)
      .Int("max_page", opts.max_page);
  j.End();
  Reply(res, 200, std::move(out));
}

void Server::Impl::Cameo(httplib::Response& res) { Reply(res, 200, cameo_json); }

void Server::Impl::Events(const httplib::Request& req, httplib::Response& res) {
  auto q = ParseEventsQuery(req.params, {opts.max_page, 50});
  if (!q.ok()) return Error(res, 400, q.status().message());
  auto page = deps.store->Events(q->filter);
  if (!page.ok()) return StoreError(res, page.status());
  int64_t total = -1;
  if (q->count) {
    auto n = deps.store->Count(q->filter);
    if (!n.ok()) return StoreError(res, n.status());
    total = *n;
  }
  std::string out;
  out.reserve(page->rows.size() * 600 + 100);
  JsonObject j(&out);
  j.Int("limit", q->filter.limit).Int("offset", q->filter.offset).Bool("has_more", page->more);
  if (total >= 0) j.Int("total", total);
  std::string* o = j.Key("events");
  *o += '[';
  for (size_t i = 0; i < page->rows.size(); ++i) {
    if (i) *o += ',';
    AppendEventRow(page->rows[i], o);
  }
  *o += ']';
  j.End();
  Reply(res, 200, std::move(out));
}

std::string Server::Impl::Explain(const Event& e, std::string* note) {
  if (!deps.pipeline || !deps.coder) {
    *note = "the explain trace needs the model and dictionaries (dyad serve --model, --dict)";
    return "";
  }
  if (!coding->try_acquire_for(std::chrono::seconds(kMaxCodeWaitSeconds))) {
    *note = "the server is busy coding; try again";
    return "";
  }
  Document d;
  d.id = e.doc_id;
  d.text = e.text;
  d.date = e.date;
  deps.pipeline->AnnotateText(d.text, &d.sentences);
  std::vector<coder::SentenceTrace> trace;
  deps.coder->Code(d, &trace);
  coding->release();
  std::string out;
  for (const auto& t : trace) {
    out += t.text;
    if (!t.text.empty() && t.text.back() != '\n') out += '\n';
  }
  *note =
      "the sentence coded again on its own with the server's model and dictionaries (pronouns "
      "that pointed to an earlier sentence may resolve differently)";
  return out;
}

void Server::Impl::EventById(std::string_view id_text, httplib::Response& res) {
  auto id = ParseEventId(id_text);
  if (!id.ok()) return Error(res, 400, id.status().message());
  auto row = deps.store->Event(*id);
  if (!row.ok()) return StoreError(res, row.status());
  if (!row->has_value()) return Error(res, 404, "no event with id " + std::to_string(*id));
  const store::EventRow& r = **row;
  std::string note;
  std::string trace = Explain(r.event, &note);
  std::string out;
  JsonObject j(&out);
  AppendEventDetail(r, j.Key("event"));
  {
    JsonObject d(j.Key("document"));
    d.Str("id", r.event.doc_id)
        .Str("title", r.doc_title)
        .Str("date", r.doc_date)
        .Str("source", r.doc_source)
        .Str("url", r.doc_url);
    d.End();
  }
  {
    JsonObject s(j.Key("sentence"));
    s.Int("index", r.event.sentence).SpanOrNull("span", r.sentence_span).Str("text", r.event.text);
    s.End();
  }
  {
    JsonObject p(j.Key("provenance"));
    p.Str("model", r.model).Str("dict", r.dict).Int("run", r.run);
    p.Bool("same_model", r.model == deps.model).Bool("same_dict", r.dict == deps.dict);
    p.End();
  }
  if (trace.empty())
    j.Null("explain");
  else
    j.Str("explain", trace);
  j.Str("explain_note", note);
  j.End();
  Reply(res, 200, std::move(out));
}

void Server::Impl::Series(const httplib::Request& req, httplib::Response& res) {
  auto q = ParseSeriesQuery(req.params, {opts.max_page, 50});
  if (!q.ok()) return Error(res, 400, q.status().message());
  std::string key = CacheKey(req), cached;
  if (cache->enabled() && cache->Get(key, &cached)) return Reply(res, 200, std::move(cached));
  auto points = deps.store->Series(q->filter, q->options);
  if (cache->enabled() && (!points.ok() || points->size() > static_cast<size_t>(opts.max_series_points)))
    cache->Abandon(key);
  if (!points.ok()) return StoreError(res, points.status());
  if (points->size() > static_cast<size_t>(opts.max_series_points))
    return Error(res, 400,
                 "the series has " + std::to_string(points->size()) + " points, more than " +
                     std::to_string(opts.max_series_points) +
                     ": ask for a coarser bucket (by=week or month), fewer dyads (top) or a "
                     "shorter date range");
  std::string out;
  out.reserve(points->size() * 110 + 100);
  JsonObject j(&out);
  const char* by = q->options.by == store::Bucket::kDay    ? "day"
                   : q->options.by == store::Bucket::kWeek ? "week"
                                                           : "month";
  const char* group = q->options.group == store::GroupBy::kNone        ? "none"
                      : q->options.group == store::GroupBy::kQuadClass ? "quad_class"
                                                                       : "dyad";
  j.Str("by", by).Str("group", group);
  std::string* o = j.Key("buckets");
  *o += '[';
  bool first = true;
  for (const auto& p : *points) {
    if (!first) *o += ',';
    first = false;
    JsonObject b(o);
    b.Str("period", p.bucket);
    if (q->options.group == store::GroupBy::kNone)
      b.Null("key");
    else
      b.Str("key", p.group);
    b.Int("count", p.events)
        .Int("reports", p.reports)
        .Num("goldstein_sum", p.goldstein_sum)
        .Num("goldstein_mean", p.goldstein_mean);
    b.End();
  }
  *o += ']';
  j.End();
  if (cache->enabled()) cache->Put(key, out);
  Reply(res, 200, std::move(out));
}

void Server::Impl::Countries(const httplib::Request& req, httplib::Response& res) {
  auto f = ParseCountriesQuery(req.params);
  if (!f.ok()) return Error(res, 400, f.status().message());
  std::string key = CacheKey(req), cached;
  if (cache->enabled() && cache->Get(key, &cached)) return Reply(res, 200, std::move(cached));
  auto rows = deps.store->CountryCounts(*f);
  if (!rows.ok()) {
    if (cache->enabled()) cache->Abandon(key);
    return StoreError(res, rows.status());
  }
  std::string out;
  JsonObject j(&out);
  std::string* o = j.Key("countries");
  *o += '[';
  bool first = true;
  for (const auto& c : *rows) {
    if (!first) *o += ',';
    first = false;
    JsonObject r(o);
    r.Str("code", c.country)
        .Int("count", c.events)
        .Int("as_source", c.as_source)
        .Int("as_target", c.as_target);
    r.End();
  }
  *o += ']';
  j.End();
  if (cache->enabled()) cache->Put(key, out);
  Reply(res, 200, std::move(out));
}

void Server::Impl::Code(const httplib::Request& req, httplib::Response& res) {
  if (!deps.pipeline || !deps.coder)
    return Error(res, 503, "coding is not available: the server was started without a model");
  auto in = ParseCodeRequest(req.body, opts.max_code_bytes);
  if (!in.ok()) {
    bool too_big = in.status().message().find("longer than") != std::string::npos;
    return Error(res, too_big ? 413 : 400, in.status().message());
  }
  if (!coding->try_acquire_for(std::chrono::seconds(kMaxCodeWaitSeconds)))
    return Error(res, 503, "the server is busy coding other text; try again in a moment");
  Document& d = in->doc;
  deps.pipeline->AnnotateText(d.text, &d.sentences);
  std::vector<coder::SentenceTrace> trace;
  std::vector<Event> events = deps.coder->Code(d, &trace);
  coding->release();
  std::string out;
  JsonObject j(&out);
  j.Str("text", d.text).Str("date", d.date);
  std::string* o = j.Key("sentences");
  *o += '[';
  for (size_t i = 0; i < d.sentences.size(); ++i) {
    if (i) *o += ',';
    JsonObject s(o);
    s.Int("index", static_cast<int64_t>(i))
        .SpanOrNull("span", d.sentences[i].span)
        .Str("text", d.sentences[i].text);
    s.End();
  }
  *o += ']';
  o = j.Key("events");
  *o += '[';
  for (size_t i = 0; i < events.size(); ++i) {
    if (i) *o += ',';
    if (events[i].doc_id.empty()) events[i].doc_id = d.id;
    AppendCodedEvent(events[i], o);
  }
  *o += ']';
  std::string explain;
  for (const auto& t : trace) {
    explain += t.text;
    if (!t.text.empty() && t.text.back() != '\n') explain += '\n';
  }
  j.Str("explain", explain);
  j.End();
  Reply(res, 200, std::move(out));
}

void Server::Impl::Documents(const httplib::Request& req, httplib::Response& res) {
  if (!deps.pipeline || !deps.coder)
    return Error(res, 503, "ingestion is not available: the server was started without a model");
  auto docs = ParseDocuments(req.body, static_cast<size_t>(opts.max_documents));
  if (!docs.ok()) return Error(res, 400, docs.status().message());
  if (!coding->try_acquire_for(std::chrono::seconds(kMaxCodeWaitSeconds)))
    return Error(res, 503, "the server is busy coding other text; try again in a moment");
  std::vector<std::vector<Event>> events(docs->size());
  size_t n_events = 0;
  for (size_t i = 0; i < docs->size(); ++i) {
    Document& d = (*docs)[i];
    deps.pipeline->AnnotateText(d.text, &d.sentences);
    events[i] = deps.coder->Code(d);
    for (Event& e : events[i]) {
      if (e.doc_id.empty()) e.doc_id = d.id;
      if (e.date.empty()) e.date = d.date;
    }
    n_events += events[i].size();
  }
  coding->release();
  std::vector<store::IngestItem> batch;
  batch.reserve(docs->size());
  for (size_t i = 0; i < docs->size(); ++i) batch.push_back({&(*docs)[i], events[i]});
  store::RunInfo info{deps.version, deps.model, deps.dict, "dyad serve: POST /api/documents"};
  auto run = deps.store->BeginRun(info);
  if (!run.ok()) return StoreError(res, run.status());
  auto stats = deps.store->Ingest(batch, *run, info);
  cache->Clear();
  Status finished = deps.store->FinishRun(*run);
  if (!stats.ok()) return StoreError(res, stats.status());
  if (!finished.ok()) return StoreError(res, finished);
  std::string out;
  JsonObject j(&out);
  j.Int("run", *run)
      .Int("documents", static_cast<int64_t>(docs->size()))
      .Int("inserted", stats->inserted)
      .Int("replaced", stats->replaced)
      .Int("unchanged", stats->unchanged)
      .Int("events", stats->events)
      .Int("coded_events", static_cast<int64_t>(n_events));
  j.End();
  Reply(res, 200, std::move(out));
}

Server::Server() : impl_(std::make_unique<Impl>()) {}
Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Create(ServerDeps deps, ServerOptions options) {
  if (!deps.store) return Status::Error("dyad serve needs a store");
  if (options.port < 0 || options.port > 65535)
    return Status::Error("the port must be between 0 and 65535, not " +
                         std::to_string(options.port));
  if (options.threads < 1 || options.threads > 1024)
    return Status::Error("threads must be between 1 and 1024");
  if (options.coding_slots < 1 || options.coding_slots > 256)
    return Status::Error("coding slots must be between 1 and 256");
  if (options.max_page < 1 || options.max_page > store::kMaxLimit)
    return Status::Error("the page limit must be between 1 and " +
                         std::to_string(store::kMaxLimit));
  if (options.host.empty()) return Status::Error("an empty host name");
  if (options.cache_seconds < 0 || options.cache_seconds > 3600)
    return Status::Error("cache seconds must be between 0 and 3600");
  std::unique_ptr<Server> s(new Server());
  Impl& m = *s->impl_;
  m.deps = std::move(deps);
  m.opts = std::move(options);
  m.coding = std::make_unique<std::counting_semaphore<256>>(m.opts.coding_slots);
  m.cache = std::make_unique<AnswerCache>(m.opts.cache_seconds, 128);
  {
    std::string& out = m.cameo_json;
    JsonObject j(&out);
    std::string* o = j.Key("codes");
    *o += '[';
    bool first = true;
    for (const auto& t : cameo::AllEventTypes()) {
      if (!first) *o += ',';
      first = false;
      JsonObject c(o);
      c.Str("code", t.code)
          .Str("name", t.name)
          .Str("root", t.root)
          .Int("quad_class", t.quad_class)
          .Num("goldstein", t.goldstein);
      c.End();
    }
    *o += ']';
    j.End();
  }
  m.Setup();
  return s;
}

Status Server::Bind() {
  Impl& m = *impl_;
  if (m.bound) return Status::Ok();
  if (m.opts.port == 0) {
    m.port = m.http.bind_to_any_port(m.opts.host);
    if (m.port <= 0) return Status::Error("cannot listen on " + m.opts.host + " (any port)");
  } else {
    if (!m.http.bind_to_port(m.opts.host, m.opts.port))
      return Status::Error("cannot listen on " + m.opts.host + ":" +
                           std::to_string(m.opts.port) +
                           " (is the port in use? choose another with --port)");
    m.port = m.opts.port;
  }
  m.bound = true;
  return Status::Ok();
}

int Server::port() const { return impl_->port; }

Status Server::Listen() {
  if (!impl_->bound) DYAD_RETURN_IF_ERROR(Bind());
  if (!impl_->http.listen_after_bind()) return Status::Error("the server stopped with an error");
  return Status::Ok();
}

void Server::Stop() {
  if (impl_) impl_->http.stop();
}

}  // namespace dyad::server
