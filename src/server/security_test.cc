// Hostile requests: SQL injection in every parameter, oversize bodies, missing or wrong
// tokens, path traversal, odd methods and hosts. Each must be refused (or answered
// harmlessly), never with a stack trace, and must change nothing in the store.
#include <gtest/gtest.h>

#include "server/test_util.h"

namespace dyad::server {
namespace {

using testing::Json;
using testing::RawRequest;
using testing::ServerFixture;
using testing::StatusOf;

class SecurityTest : public ServerFixture {
 protected:
  ServerOptions Options() override {
    ServerOptions o = ServerFixture::Options();
    o.max_body_bytes = 256 << 10;
    o.max_code_bytes = 16 << 10;
    return o;
  }
};

const char* const kInjections[] = {
    "' OR '1'='1",
    "IRN' OR 1=1 --",
    "'; DROP TABLE events; --",
    "\"; DELETE FROM events; --",
    "1; DELETE FROM events",
    "1 OR 1=1",
    "2026-01-01' OR '1'='1",
    "%' OR text LIKE '%",
    "') UNION SELECT sql, 1, 1 FROM sqlite_master --",
    "1) OR (1=1",
    "IRN\\' OR 1=1 #",
    "$$; DROP TABLE documents; $$",
    "\x27\x3b\x20\x44\x52\x4f\x50",
};

TEST_F(SecurityTest, SqlInjectionInEveryParameterChangesNothing) {
  const std::string before = Snapshot();
  struct Endpoint {
    const char* path;
    std::vector<const char*> params;
  } endpoints[] = {
      {"/api/events",
       {"actor", "source", "target", "code", "root", "quad_class", "from", "to", "text", "doc_id",
        "one_a_day", "limit", "offset", "order", "count"}},
      {"/api/series",
       {"actor", "source", "target", "code", "root", "quad_class", "from", "to", "text", "doc_id",
        "one_a_day", "by", "group", "top"}},
      {"/api/countries",
       {"actor", "source", "target", "code", "root", "quad_class", "from", "to", "text", "doc_id",
        "one_a_day"}},
  };
  int requests = 0;
  for (const auto& ep : endpoints) {
    for (const char* param : ep.params) {
      for (const char* payload : kInjections) {
        std::string path = std::string(ep.path) + "?" + param + "=" +
                           httplib::detail::encode_query_param(payload);
        auto res = client_->Get(path);
        ++requests;
        ASSERT_TRUE(res) << path;
        // Refused, or a harmless search for the literal text (text, doc_id): never a 500.
        ASSERT_TRUE(res->status == 400 || res->status == 200) << path << " -> " << res->status;
        JsonValue v = Json(res->body);
        if (res->status == 400) {
          EXPECT_TRUE(v.Find("error")) << path;
          continue;
        }
        EXPECT_TRUE(std::string(param) == "text" || std::string(param) == "doc_id")
            << path << " was accepted";
        if (const JsonValue* ev = v.Find("events")) {
          EXPECT_TRUE(ev->array.empty()) << path;
        }
        if (const JsonValue* b = v.Find("buckets")) {
          EXPECT_TRUE(b->array.empty()) << path;
        }
        if (const JsonValue* c = v.Find("countries")) {
          EXPECT_TRUE(c->array.empty()) << path;
        }
      }
    }
  }
  // In the parameter's name, and in the path of an event.
  for (const char* payload : kInjections) {
    std::string enc = httplib::detail::encode_query_param(payload);
    auto res = client_->Get("/api/events?" + enc + "=1");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    res = client_->Get("/api/events/" + enc);
    ASSERT_TRUE(res);
    EXPECT_TRUE(res->status == 400 || res->status == 404) << payload << " -> " << res->status;
    requests += 2;
  }
  EXPECT_GT(requests, 500);
  EXPECT_EQ(Snapshot(), before);
  // The tables are all there and answer.
  JsonValue v = Json(client_->Get("/api/events?count=1")->body);
  EXPECT_EQ(v.Find("total")->AsText(), "6");
}

TEST_F(SecurityTest, WritesNeedTheRightTokenAndNothingChangesWithoutIt) {
  const std::string before = Snapshot();
  const std::string doc = R"({"id":"evil","text":"Chile attacked Peru."})";
  std::vector<httplib::Headers> wrong = {
      {},
      {{"Authorization", "Bearer"}},
      {{"Authorization", "Bearer "}},
      {{"Authorization", "Bearer wrong-token-0123456789"}},
      {{"Authorization", "Bearer test-token-012345678"}},    // a prefix
      {{"Authorization", "Bearer test-token-01234567890"}},  // one more character
      {{"Authorization", "bearer test-token-0123456789"}},
      {{"Authorization", "Basic dGVzdDp0ZXN0"}},
      {{"Authorization", "test-token-0123456789"}},
      {{"X-Token", "test-token-0123456789"}},
  };
  for (const auto& h : wrong) {
    auto res = client_->Post("/api/documents", h, doc, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << (h.empty() ? "no header" : h.begin()->second);
    EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Bearer realm=\"dyad\"");
    EXPECT_TRUE(Json(res->body).Find("error"));
  }
  // The token in the query string does not count.
  auto res = client_->Post("/api/documents?token=test-token-0123456789", doc, "application/json");
  EXPECT_EQ(res->status, 401);
  // The right token with a body type that is not JSON: 415.
  httplib::Headers right = {{"Authorization", "Bearer test-token-0123456789"}};
  res = client_->Post("/api/documents", right, doc, "text/plain");
  EXPECT_EQ(res->status, 415);
  res = client_->Post("/api/documents", right, "id=evil&text=x", "application/x-www-form-urlencoded");
  EXPECT_EQ(res->status, 415);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(SecurityTest, OversizeBodiesAreRefusedBeforeAnythingIsStored) {
  const std::string before = Snapshot();
  httplib::Headers right = {{"Authorization", "Bearer test-token-0123456789"}};
  std::string big = R"({"id":"big","text":")" + std::string(300 << 10, 'x') + "\"}";
  auto res = client_->Post("/api/documents", right, big, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_TRUE(Json(res->body).Find("error"));
  res = client_->Post("/api/code", big, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  // A Content-Length that announces gigabytes is refused at once, before any body arrives.
  std::string raw =
      "POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
      "test-token-0123456789\r\nContent-Type: application/json\r\nContent-Length: "
      "9000000000\r\nConnection: close\r\n\r\n{";
  EXPECT_EQ(StatusOf(RawRequest(port_, raw)), 413);
  // A chunked body (that grows past the limit): refused, since its size is not known.
  std::string chunked =
      "POST /api/code HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
  for (int i = 0; i < 80; ++i) chunked += "1000\r\n" + std::string(4096, 'y') + "\r\n";
  chunked += "0\r\n\r\n";
  EXPECT_EQ(StatusOf(RawRequest(port_, chunked)), 411);
  // No length at all.
  raw = "POST /api/code HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Connection: close\r\n\r\n";
  EXPECT_EQ(StatusOf(RawRequest(port_, raw)), 411);
  // A huge URL.
  res = client_->Get("/api/events?text=" + std::string(20000, 'a'));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 414);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(SecurityTest, StaticFilesComeOnlyFromTheEmbeddedTable) {
  const char* paths[] = {
      "/../../../../etc/passwd",
      "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/..%2f..%2f..%2fetc%2fpasswd",
      "/%252e%252e/etc/passwd",
      "//etc/passwd",
      "/index.html/../../../etc/passwd",
      "/./app.js/../../CMakeLists.txt",
      "/app.js%00.html",
      "/..\\..\\..\\etc\\passwd",
      "/CMakeLists.txt",
      "/web/dist/app.js",
      "/src/server/server.cc",
      "/proc/self/environ",
      "/.git/config",
      "/etc/passwd",
  };
  for (const char* p : paths) {
    std::string r = RawRequest(port_, std::string("GET ") + p +
                                          " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    int status = StatusOf(r);
    EXPECT_TRUE(status == 404 || status == 400) << p << " -> " << status;
    EXPECT_EQ(r.find("root:"), std::string::npos) << p;
    EXPECT_EQ(r.find("cmake_minimum_required"), std::string::npos) << p;
    EXPECT_EQ(r.find("[core]"), std::string::npos) << p;
    EXPECT_EQ(r.find("PATH="), std::string::npos) << p;
  }
}

TEST_F(SecurityTest, OtherMethodsAre405AndChangeNothing) {
  const std::string before = Snapshot();
  struct Case {
    const char* method;
    const char* path;
    int status;
  } cases[] = {
      {"PUT", "/api/events", 405},     {"DELETE", "/api/events/1", 405},
      {"PATCH", "/api/events/1", 405}, {"DELETE", "/", 405},
      {"PUT", "/index.html", 405},     {"POST", "/api/events", 405},
      {"POST", "/api/series", 405},    {"GET", "/api/documents", 405},
      {"GET", "/api/code", 405},       {"OPTIONS", "/api/documents", 405},
      {"TRACE", "/api/events", 405},   {"POST", "/app.js", 405},
  };
  for (const auto& c : cases) {
    std::string r = RawRequest(port_, std::string(c.method) + " " + c.path +
                                          " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                                          "application/json\r\nContent-Length: 2\r\nConnection: "
                                          "close\r\n\r\n{}");
    EXPECT_EQ(StatusOf(r), c.status) << c.method << " " << c.path;
    EXPECT_NE(r.find("\"error\""), std::string::npos) << c.method << " " << c.path;
  }
  std::string r = RawRequest(port_,
                 "DELETE /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_NE(r.find("Allow: GET, HEAD"), std::string::npos);
  // Garbage instead of a request line.
  r = RawRequest(port_, "\x01\x02 garbage\r\n\r\n");
  EXPECT_EQ(StatusOf(r), 400);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(SecurityTest, ForeignHostNamesAreRefused) {
  // DNS rebinding: a page from evil.example whose name resolves to 127.0.0.1.
  std::string r = RawRequest(
      port_, "GET /api/events HTTP/1.1\r\nHost: evil.example:8080\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(r), 421);
  r = RawRequest(port_,
                 "GET /api/events HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(r), 200);
  r = RawRequest(port_, "GET / HTTP/1.1\r\nHost: [::1]:80\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(r), 200);
}

TEST_F(SecurityTest, ErrorsNeverCarryInternals) {
  for (const char* path : {"/api/events?limit=abc", "/api/events/abc", "/nothing", "/api/nothing"}) {
    auto res = client_->Get(path);
    ASSERT_TRUE(res);
    EXPECT_GE(res->status, 400);
    EXPECT_FALSE(res->has_header("EXCEPTION_WHAT"));
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    EXPECT_TRUE(Json(res->body).Find("error")) << path;
  }
}

class NoTokenTest : public ServerFixture {
 protected:
  ServerOptions Options() override {
    ServerOptions o = ServerFixture::Options();
    o.token.clear();
    return o;
  }
};

TEST_F(NoTokenTest, IngestionIsOffWithoutAConfiguredToken) {
  const std::string before = Snapshot();
  for (const char* token : {"", "Bearer ", "Bearer anything-at-all-0123"}) {
    httplib::Headers h;
    if (*token) h.emplace("Authorization", token);
    auto res = client_->Post("/api/documents", h, R"({"id":"x","text":"y"})", "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << token;
  }
  EXPECT_EQ(Snapshot(), before);
}

}  // namespace
}  // namespace dyad::server
