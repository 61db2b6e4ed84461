// The HTTP server behind `dyad serve`: a JSON API over the event store and the coder, and the
// web dashboard, whose built files are compiled into the binary (no npm, no files on disk at
// run time).
//
// The server is a thin layer over the library calls the CLI makes: queries go to
// store::Store (parameterised SQL only: no request value is ever spliced into SQL text), and
// coding goes through Pipeline::AnnotateText and coder::Coder::Code, as in `dyad code`.
//
// API (every response is JSON; errors are {"error": "what went wrong and what to do"}):
//   GET  /api/meta              version, fingerprints, store backend and counts
//   GET  /api/cameo             the CAMEO codes: code, name, root, quad_class, goldstein
//   GET  /api/events            a page of events. Parameters (all optional): actor, source,
//                               target (code prefixes, "IRN" matches "IRNMIL"), code (CAMEO
//                               prefix), root, quad_class (1-4), from, to (YYYY-MM-DD,
//                               inclusive), text (substring of the sentence), doc_id,
//                               one_a_day (0/1: Phoenix dedup, with "reports"), order
//                               (oldest|newest), limit (1..max_page), offset, count (0/1: also
//                               return "total"). -> {"events": [...], "has_more", "total"?}
//   GET  /api/events/{id}       one event with its sentence, document, provenance and the
//                               coder's explain trace (the sentence coded again, alone)
//   GET  /api/series            the same filters, by=day|week|month, group=none|quad_class|
//                               dyad, top (dyads, 1..50) -> {"buckets": [{period, key, count,
//                               reports, goldstein_sum, goldstein_mean}]}
//   GET  /api/countries         the same filters -> {"countries": [{code, count, as_source,
//                               as_target}]}, most events first
//   POST /api/code              {"text", "date"?} -> its sentences, events and explain trace;
//                               nothing is stored
//   POST /api/documents         JSON documents as `dyad code` reads them (JSON lines, or a JSON
//                               array, of {"id", "text", "date"?, "title"?, "source"?, "url"?}),
//                               coded and stored in one transaction as one run. Needs
//                               "Authorization: Bearer <token>" (missing or wrong: 401 before
//                               the body is read; no token configured: 403).
//   GET  /, /app.js, ...        the dashboard, from the embedded asset table only (a path that
//                               is not in the table is 404; the file system is never read)
// Status codes: 400 bad parameter (the message names it and says what is allowed), 401/403,
// 404, 405 (with Allow), 411/413/415 for bodies, 421 for a foreign Host header on a loopback
// server (DNS rebinding), 500 with a generic message (never a stack trace or exception text),
// 503 when coding is not available or too busy.
//
// Thread safety: the Server answers requests on a pool of threads; the Store it is given must
// be thread-safe (store::Store is), the Pipeline and Coder are immutable. Listen() blocks until
// Stop() is called from another thread (or a signal handler's thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "dyad/status.h"

namespace dyad {
class Pipeline;
namespace coder {
class Coder;
}
namespace store {
class Store;
}

namespace server {

struct ServerOptions {
  std::string host = "127.0.0.1";  // loopback by default: nothing is exposed unless asked
  int port = 8080;                 // 0: any free port (see Server::port())
  // Bearer token for POST /api/documents; empty disables ingestion (403).
  std::string token;
  size_t max_body_bytes = 8u << 20;   // any request body (413 past it)
  size_t max_code_bytes = 64u << 10;  // the text of POST /api/code
  int max_documents = 1000;           // documents in one POST /api/documents
  int max_page = 1000;                // /api/events limit
  int max_series_points = 100000;     // /api/series: more is a 400 (ask for a coarser bucket)
  int threads = 32;                   // request threads (one per open keep-alive connection)
  int coding_slots = 2;               // requests coding text at once; others wait, then 503
  // Series and country answers are kept this long (0: never), by request; this server's own
  // ingestion clears them, other writers to the store show after at most this delay.
  int cache_seconds = 5;
  bool check_host = true;             // on a loopback host: refuse other Host headers (421)
  bool quiet = false;                 // no request log on stderr
};

// What the server serves. The store is required; pipeline and coder are optional (without
// them /api/code, /api/documents and the explain trace answer 503). Not owned: they must
// outlive the Server.
struct ServerDeps {
  store::Store* store = nullptr;
  const Pipeline* pipeline = nullptr;
  const coder::Coder* coder = nullptr;
  std::string version;  // dyad's version
  std::string model;    // fingerprint of the pipeline's model, hex
  std::string dict;     // fingerprint of the dictionaries, hex
};

class Server {
 public:
  // Errors: no store, options out of range.
  static Result<std::unique_ptr<Server>> Create(ServerDeps deps, ServerOptions options = {});
  ~Server();

  // Binds host:port (port 0: a free one). An error names the address when it is taken.
  Status Bind();
  // The bound port (after Bind()).
  int port() const;
  // Answers requests until Stop(). Bind() first.
  Status Listen();
  // Makes Listen() return; safe from any thread, idempotent.
  void Stop();

 private:
  Server();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A JSON error body: {"error": message}.
std::string ErrorJson(const std::string& message);

}  // namespace server
}  // namespace dyad
