// dyad serve: the JSON API and the web dashboard over an event store.
#include <pthread.h>
#include <sys/stat.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/coding.h"
#include "cli/command.h"
#include "dyad/coder.h"
#include "dyad/nlp.h"
#include "dyad/server.h"
#include "dyad/store.h"
#include "dyad/version.h"
#include "util/binary.h"

namespace dyad::cli {
namespace {

// The first line of a token file, trimmed. Warns when others may read it.
Result<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::Error(path + ": cannot read the token file");
  std::string line;
  std::getline(in, line);
  size_t b = line.find_first_not_of(" \t\r\n"), e = line.find_last_not_of(" \t\r\n");
  if (b == std::string::npos) return Status::Error(path + ": the token file is empty");
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)))
    std::fprintf(stderr, "dyad serve: warning: %s is readable by other users (chmod 600 it)\n",
                 path.c_str());
  return line.substr(b, e - b + 1);
}

int RunServe(const std::vector<std::string>& args) {
  std::string store_url, host = "127.0.0.1", token, token_file, dict_arg;
  std::string model = DefaultModelPath();
  int port = 8080, threads = 32, cache_seconds = 5;
  bool no_coding = false, quiet = false;
  ArgParser p("dyad serve --store URL [options]",
              "Serves the event store over HTTP: a JSON API (/api/events, /api/events/ID,\n"
              "/api/series, /api/countries, /api/code, /api/documents) and the web dashboard\n"
              "at http://HOST:PORT/ (its files are built into dyad; no npm is needed).\n"
              "\n"
              "The store is a URL as in `dyad code --store`: sqlite:FILE (or a bare FILE) or\n"
              "postgresql://... The server listens on 127.0.0.1 unless --host says otherwise.\n"
              "POST /api/documents (ingestion: JSON documents as `dyad code` reads them, coded\n"
              "and stored) needs \"Authorization: Bearer TOKEN\" with the token of --token-file\n"
              "(or --token, visible to other users in the process list); without one,\n"
              "ingestion is off. POST /api/code codes pasted text and stores nothing.\n"
              "--port 0 picks a free port. Ctrl-C (SIGINT) or SIGTERM stops the server.\n"
              "\n"
              "Exit status: 0 after a clean stop; 2 usage or configuration error (store, model,\n"
              "dictionary, port in use).");
  p.String("--store", &store_url, "the event store: sqlite:FILE or postgresql://... (required)");
  p.Int("--port", &port, "TCP port (default 8080; 0: any free port, printed at start)");
  p.String("--host", &host, "address to listen on (default 127.0.0.1: this machine only)");
  p.String("--token", &token, "bearer token for POST /api/documents");
  p.String("--token-file", &token_file, "read the bearer token from this file's first line");
  p.String("--model", &model, "model file (default: the shipped models/en-ewt.dyadm)");
  p.String("--dict", &dict_arg, "dictionaries as for dyad code (default: shipped)");
  p.Bool("--no-coding", &no_coding,
         "do not load the model: no /api/code, ingestion or explain traces");
  p.Int("--threads", &threads, "request threads (default 32; one per keep-alive connection)");
  p.Int("--cache-seconds", &cache_seconds,
        "keep series and country answers this long (default 5; 0: never)");
  p.Bool("--quiet", &quiet, "no request log on stderr");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  if (store_url.empty()) return UsageError("serve: --store URL is required (e.g. sqlite:events.db)");
  if (!p.positional().empty()) return UsageError("serve: unexpected argument '" + p.positional()[0] + "'");
  if (!token.empty() && !token_file.empty())
    return UsageError("serve: give --token or --token-file, not both");
  if (!token_file.empty()) {
    auto t = ReadTokenFile(token_file);
    if (!t.ok()) return UsageError(t.status().message());
    token = *t;
  }
  if (!token.empty() && token.size() < 16)
    return UsageError("serve: the token must be at least 16 characters long");

  auto store = store::Store::Open(store_url);
  if (!store.ok()) return UsageError(store.status().message());
  std::shared_ptr<const Pipeline> pipeline;
  std::unique_ptr<coder::Coder> coder;
  server::ServerDeps deps;
  deps.store = store->get();
  deps.version = DYAD_VERSION;
  if (!no_coding) {
    auto loaded = Pipeline::Load(model);
    if (!loaded.ok()) return UsageError(loaded.status().message() + " (or pass --no-coding)");
    pipeline = *loaded;
    auto dict = LoadDictionaryArg(dict_arg);
    if (!dict.ok()) return UsageError(dict.status().message());
    PrintImportDiagnostics(*dict, false);
    auto made = coder::Coder::Create(dict->dict, {});
    if (!made.ok()) return UsageError(made.status().message());
    coder = std::make_unique<coder::Coder>(std::move(*made));
    deps.pipeline = pipeline.get();
    deps.coder = coder.get();
    deps.model = HexFingerprint(pipeline->fingerprint());
    deps.dict = HexFingerprint(dict->dict->fingerprint());
  }
  server::ServerOptions opts;
  opts.host = host;
  opts.port = port;
  opts.token = token;
  opts.threads = threads;
  opts.quiet = quiet;
  opts.cache_seconds = cache_seconds;
  auto made = server::Server::Create(std::move(deps), opts);
  if (!made.ok()) return UsageError(made.status().message());
  server::Server& srv = **made;
  if (Status s = srv.Bind(); !s.ok()) return UsageError(s.message());

  // Signals are taken by one thread (sigwait), not by a handler, so stopping the server runs
  // in ordinary code. The mask is set before any server thread exists, so they inherit it.
  // SIGPIPE is ignored: a client that hangs up must not kill the server.
  std::signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&set, &sig);
    srv.Stop();
  });

  auto stats = (*store)->GetStats();
  std::fprintf(stderr, "dyad serve: listening on http://%s:%d/ (store %s, %lld events%s%s)\n",
               host.find(':') != std::string::npos ? ("[" + host + "]").c_str() : host.c_str(),
               srv.port(), std::string((*store)->backend()).c_str(),
               stats.ok() ? static_cast<long long>(stats->events) : -1LL,
               no_coding ? ", coding off" : "", token.empty() ? ", ingestion off" : "");
  std::fflush(stderr);
  Status s = srv.Listen();
  // Release the stopper thread if the server stopped by itself.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  if (!s.ok()) return UsageError(s.message());
  if (!quiet) std::fprintf(stderr, "dyad serve: stopped\n");
  return kExitOk;
}

}  // namespace

DYAD_COMMAND(serve, "serve", "serve the event store: JSON API and web dashboard", RunServe);

}  // namespace dyad::cli
