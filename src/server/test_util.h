// Test support for the server: a small SQLite store of made-up events, a running Server on a
// free loopback port, and raw HTTP requests (bytes exactly as written, no client-side
// normalisation of paths).
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <csignal>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "dyad/json.h"
#include "dyad/server.h"
#include "dyad/store.h"

namespace dyad::server::testing {

// A document with its sentences found by text and events whose spans are found by text.
struct DocBuilder {
  Document doc;
  std::vector<Event> events;

  DocBuilder(std::string id, std::string date, std::vector<std::string> sentences) {
    doc.id = std::move(id);
    doc.date = std::move(date);
    doc.title = "Title of " + doc.id;
    doc.source = "Test Wire";
    doc.url = "https://example.org/" + doc.id;
    for (const auto& s : sentences) {
      if (!doc.text.empty()) doc.text += ' ';
      Sentence sent;
      sent.span = {static_cast<uint32_t>(doc.text.size()),
                   static_cast<uint32_t>(doc.text.size() + s.size())};
      sent.text = s;
      doc.text += s;
      doc.sentences.push_back(sent);
    }
  }

  Span Find(uint32_t sentence, const std::string& words) const {
    const Sentence& s = doc.sentences.at(sentence);
    size_t at = s.text.find(words);
    EXPECT_NE(at, std::string::npos) << words;
    uint32_t b = s.span.begin + static_cast<uint32_t>(at);
    return {b, b + static_cast<uint32_t>(words.size())};
  }

  DocBuilder& Add(uint32_t sentence, std::string source, std::string src_words, std::string code,
                  std::string verb_words, std::string target, std::string tgt_words,
                  int quad_class, double goldstein) {
    Event e;
    e.doc_id = doc.id;
    e.sentence = sentence;
    e.date = doc.date;
    e.source = std::move(source);
    e.target = std::move(target);
    e.code = code;
    e.root = code.substr(0, 2);
    e.quad_class = quad_class;
    e.goldstein = goldstein;
    e.source_span = Find(sentence, src_words);
    e.target_span = Find(sentence, tgt_words);
    e.verb_span = Find(sentence, verb_words);
    e.source_text = src_words;
    e.target_text = tgt_words;
    e.verb_text = verb_words;
    e.pattern = "- * [" + code + "]";
    e.pattern_where = "test.txt:1";
    e.text = doc.sentences[sentence].text;
    events.push_back(e);
    return *this;
  }
};

// Made-up news (our own sentences): 6 events over 4 documents, March and April 2026, with
// multi-byte text before the actors to exercise byte spans.
inline std::vector<DocBuilder> SampleDocs() {
  std::vector<DocBuilder> docs;
  docs.emplace_back("d1", "2026-03-02",
                    std::vector<std::string>{"Über-café news: Iran’s army shelled Iraqi villages.",
                                             "Iraq protested loudly."});
  docs.back()
      .Add(0, "IRNMIL", "army", "195", "shelled", "IRQ", "Iraqi villages", 4, -9.5)
      .Add(1, "IRQ", "Iraq", "111", "protested", "IRN", "loudly", 3, -2);
  docs.emplace_back("d2", "2026-03-03",
                    std::vector<std::string>{"The envoy of America praised China warmly."});
  docs.back().Add(0, "USAGOV", "envoy of America", "051", "praised", "CHN", "China", 1, 3.4);
  docs.emplace_back("d3", "2026-03-03",
                    std::vector<std::string>{"Officials in Washington praised Beijing again."});
  docs.back().Add(0, "USAGOV", "Officials in Washington", "051", "praised", "CHN", "Beijing", 1,
                  3.4);
  docs.emplace_back("d4", "2026-04-15",
                    std::vector<std::string>{"Baghdad accused Tehran of meddling.",
                                             "The United Nations sent food aid to Iraq."});
  docs.back()
      .Add(0, "IRQGOV", "Baghdad", "112", "accused", "IRN", "Tehran", 3, -2)
      .Add(1, "IGOUNO", "The United Nations", "0233", "sent food aid", "IRQ", "Iraq", 2, 7.4);
  return docs;
}

inline JsonValue Json(const std::string& body) {
  auto v = ParseJson(body);
  EXPECT_TRUE(v.ok()) << v.status().message() << "\n" << body.substr(0, 300);
  return v.ok() ? *v : JsonValue{};
}

// Sends `raw` as is to 127.0.0.1:port; returns what comes back until the server closes (or
// 5 s pass).
inline std::string RawRequest(int port, const std::string& raw) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "";
  }
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  size_t sent = 0;
  while (sent < raw.size()) {
    ssize_t n = send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  // No half-close (shutdown(SHUT_WR)): httplib takes a half-closed socket for a dead one and
  // writes no response. Requests say "Connection: close" instead.
  std::string out;
  char buf[4096];
  while (true) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    // A whole response with a Content-Length: done, even if the server keeps the connection.
    size_t head = out.find("\r\n\r\n");
    if (head == std::string::npos) continue;
    size_t cl = out.find("Content-Length: ");
    if (cl == std::string::npos || cl > head) continue;
    size_t len = std::strtoull(out.c_str() + cl + 16, nullptr, 10);
    if (out.size() >= head + 4 + len) break;
  }
  close(fd);
  return out;
}

inline int StatusOf(const std::string& response) {
  // "HTTP/1.1 404 Not Found"
  if (response.size() < 12) return 0;
  return std::atoi(response.substr(9, 3).c_str());
}

// A store file filled with SampleDocs() and a server over it on a free port.
class ServerFixture : public ::testing::Test {
 protected:
  virtual ServerOptions Options() {
    ServerOptions o;
    o.port = 0;
    o.quiet = true;
    o.threads = 8;
    o.token = "test-token-0123456789";
    return o;
  }
  virtual void Deps(ServerDeps*) {}

  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("dyad-server-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" +
            std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = store::Store::Open("sqlite:" + (dir_ / "events.db").string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    docs_ = SampleDocs();
    std::vector<store::IngestItem> batch;
    for (const auto& d : docs_) batch.push_back({&d.doc, d.events});
    auto st = store_->Ingest(batch, 0, {"test", "00000000000000aa", "00000000000000bb", "test"});
    ASSERT_TRUE(st.ok()) << st.status().message();
    ServerDeps deps;
    deps.store = store_.get();
    deps.version = "test";
    Deps(&deps);
    auto srv = Server::Create(deps, Options());
    ASSERT_TRUE(srv.ok()) << srv.status().message();
    server_ = std::move(*srv);
    ASSERT_TRUE(server_->Bind().ok());
    port_ = server_->port();
    thread_ = std::thread([this] { (void)server_->Listen(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_read_timeout(60, 0);
    for (int i = 0; i < 200; ++i) {
      if (client_->Get("/api/meta")) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  void TearDown() override {
    client_.reset();
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Everything the store holds, as text: what "nothing changed" compares.
  std::string Snapshot() {
    std::string out;
    auto stats = store_->GetStats();
    EXPECT_TRUE(stats.ok());
    if (stats.ok())
      out += std::to_string(stats->runs) + " " + std::to_string(stats->documents) + " " +
             std::to_string(stats->sentences) + " " + std::to_string(stats->events) + "\n";
    store::Filter f;
    f.limit = store::kMaxLimit;
    auto page = store_->Events(f);
    EXPECT_TRUE(page.ok());
    if (page.ok())
      for (const auto& r : page->rows)
        out += std::to_string(r.id) + " " + r.event.doc_id + " " + r.event.date + " " +
               r.event.source + " " + r.event.target + " " + r.event.code + " " + r.event.text +
               "\n";
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::vector<DocBuilder> docs_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace dyad::server::testing
