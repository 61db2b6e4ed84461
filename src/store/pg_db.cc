// PostgreSQL driver over libpq: server-side prepared statements with parameters sent as text
// (the server parses them by the types it inferred), results read as text.
#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <map>
#include <vector>

#include "store/db.h"

namespace dyad::store::internal {
namespace {

void IgnoreNotice(void*, const char*) {}

std::string PgError(PGconn* c) {
  std::string m = PQerrorMessage(c);
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return "postgresql: " + m;
}

// `?` -> `$1`, `$2`, ... (the store's SQL has no `?` inside literals).
std::string Number(const std::string& sql, int* n) {
  std::string out;
  *n = 0;
  for (char c : sql) {
    if (c == '?')
      out += "$" + std::to_string(++*n);
    else
      out += c;
  }
  return out;
}

class PgStmt final : public Stmt {
 public:
  PgStmt(PGconn* c, std::string name, int nparams)
      : c_(c), name_(std::move(name)), values_(nparams), null_(nparams, true) {}
  ~PgStmt() override { Clear(); }
  void BindNull(int i) override { null_[i - 1] = true; }
  void Bind(int i, int64_t v) override { Set(i, std::to_string(v)); }
  void Bind(int i, double v) override {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    Set(i, std::string(buf, r.ptr));
  }
  void Bind(int i, std::string_view v) override { Set(i, std::string(v)); }
  Result<bool> Step() override {
    if (!res_) {
      std::vector<const char*> p(values_.size());
      for (size_t i = 0; i < values_.size(); ++i) p[i] = null_[i] ? nullptr : values_[i].c_str();
      res_ = PQexecPrepared(c_, name_.c_str(), static_cast<int>(p.size()), p.data(), nullptr,
                            nullptr, 0);
      ExecStatusType st = PQresultStatus(res_);
      if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        std::string m = PQresultErrorMessage(res_);
        while (!m.empty() && m.back() == '\n') m.pop_back();
        return Status::Error("postgresql: " + m);
      }
      row_ = -1;
    }
    return ++row_ < PQntuples(res_);
  }
  bool IsNull(int col) override { return PQgetisnull(res_, row_, col); }
  int64_t Int(int col) override {
    const char* p = PQgetvalue(res_, row_, col);
    int64_t v = 0;
    std::from_chars(p, p + PQgetlength(res_, row_, col), v);
    return v;
  }
  double Double(int col) override { return std::strtod(PQgetvalue(res_, row_, col), nullptr); }
  std::string Text(int col) override {
    return std::string(PQgetvalue(res_, row_, col),
                       static_cast<size_t>(PQgetlength(res_, row_, col)));
  }
  void Reset() override {
    Clear();
    for (size_t i = 0; i < null_.size(); ++i) null_[i] = true;
  }

 private:
  void Set(int i, std::string v) {
    values_[i - 1] = std::move(v);
    null_[i - 1] = false;
  }
  void Clear() {
    if (res_) PQclear(res_);
    res_ = nullptr;
  }
  PGconn* c_;
  std::string name_;
  std::vector<std::string> values_;
  std::vector<bool> null_;
  PGresult* res_ = nullptr;
  int row_ = -1;
};

class PgConn final : public Conn {
 public:
  explicit PgConn(PGconn* c) : c_(c) {}
  ~PgConn() override {
    stmts_.clear();
    PQfinish(c_);
  }
  Dialect dialect() const override { return Dialect::kPostgres; }
  Status Exec(const std::string& sql) override {
    PGresult* r = PQexec(c_, sql.c_str());
    ExecStatusType st = PQresultStatus(r);
    Status s = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? Status::Ok() : [&] {
      std::string m = PQresultErrorMessage(r);
      while (!m.empty() && m.back() == '\n') m.pop_back();
      return Status::Error("postgresql: " + m);
    }();
    PQclear(r);
    return s;
  }
  Result<Stmt*> Prepare(const std::string& sql) override {
    auto it = stmts_.find(sql);
    if (it != stmts_.end()) return it->second.get();
    int n = 0;
    std::string numbered = Number(sql, &n);
    std::string name = "dyad_s" + std::to_string(stmts_.size() + 1);
    PGresult* r = PQprepare(c_, name.c_str(), numbered.c_str(), 0, nullptr);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    std::string m = ok ? "" : PQresultErrorMessage(r);
    PQclear(r);
    if (!ok) {
      while (!m.empty() && m.back() == '\n') m.pop_back();
      return Status::Error("postgresql: " + m);
    }
    auto& slot = stmts_[sql];
    slot = std::make_unique<PgStmt>(c_, name, n);
    return slot.get();
  }
  Status Begin(bool) override { return Exec("BEGIN"); }
  int64_t LastInsertId() override { return 0; }
  bool Healthy() override {
    return PQstatus(c_) == CONNECTION_OK && PQtransactionStatus(c_) == PQTRANS_IDLE;
  }

 private:
  PGconn* c_;
  std::map<std::string, std::unique_ptr<PgStmt>> stmts_;
};

}  // namespace

Result<std::unique_ptr<Conn>> OpenPostgres(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  if (!c) return Status::Error("postgresql: out of memory");
  if (PQstatus(c) != CONNECTION_OK) {
    std::string m = PgError(c);
    PQfinish(c);
    return Status::Error(m);
  }
  PQsetNoticeProcessor(c, IgnoreNotice, nullptr);
  auto conn = std::make_unique<PgConn>(c);
  DYAD_RETURN_IF_ERROR(conn->Exec("SET client_min_messages = warning"));
  return std::unique_ptr<Conn>(std::move(conn));
}

}  // namespace dyad::store::internal
