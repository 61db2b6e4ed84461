// SQLite driver: WAL journal (readers never block the writer; a crash loses no committed
// transaction), synchronous=NORMAL (a committed transaction survives the process being
// killed; only a power loss may lose the last ones), foreign keys on, a busy timeout so that
// several processes can share a database.
#include <sqlite3.h>

#include <map>
#include <mutex>

#include "store/db.h"

namespace dyad::store::internal {
namespace {

class SqliteStmt final : public Stmt {
 public:
  SqliteStmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  ~SqliteStmt() override { sqlite3_finalize(s_); }
  void BindNull(int i) override { sqlite3_bind_null(s_, i); }
  void Bind(int i, int64_t v) override { sqlite3_bind_int64(s_, i, v); }
  void Bind(int i, double v) override { sqlite3_bind_double(s_, i, v); }
  void Bind(int i, std::string_view v) override {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  Result<bool> Step() override {
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return Status::Error(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  bool IsNull(int col) override { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  int64_t Int(int col) override { return sqlite3_column_int64(s_, col); }
  double Double(int col) override { return sqlite3_column_double(s_, col); }
  std::string Text(int col) override {
    const unsigned char* p = sqlite3_column_text(s_, col);
    if (!p) return "";
    return std::string(reinterpret_cast<const char*>(p),
                       static_cast<size_t>(sqlite3_column_bytes(s_, col)));
  }
  void Reset() override {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
};

class SqliteConn final : public Conn {
 public:
  explicit SqliteConn(sqlite3* db) : db_(db) {}
  ~SqliteConn() override {
    stmts_.clear();
    sqlite3_close_v2(db_);
  }
  Dialect dialect() const override { return Dialect::kSqlite; }
  Status Exec(const std::string& sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      return Status::Error("sqlite: " + m);
    }
    return Status::Ok();
  }
  Result<Stmt*> Prepare(const std::string& sql) override {
    auto it = stmts_.find(sql);
    if (it != stmts_.end()) return it->second.get();
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
      return Status::Error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    auto& slot = stmts_[sql];
    slot = std::make_unique<SqliteStmt>(db_, s);
    return slot.get();
  }
  Status Begin(bool write) override { return Exec(write ? "BEGIN IMMEDIATE" : "BEGIN"); }
  bool Healthy() override { return true; }
  int64_t LastInsertId() override { return sqlite3_last_insert_rowid(db_); }

 private:
  sqlite3* db_;
  std::map<std::string, std::unique_ptr<SqliteStmt>> stmts_;
};

}  // namespace

Result<std::unique_ptr<Conn>> OpenSqlite(const std::string& path, bool create) {
  // No global memory statistics: they take a global mutex on every allocation, which the
  // per-connection threading here does not need. Only possible before SQLite initialises
  // (it fails harmlessly when something else in the process initialised it first).
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string m = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Status::Error("sqlite: cannot open " + path + ": " + m);
  }
  auto conn = std::make_unique<SqliteConn>(db);
  constexpr int kBusyMs = 30000;
  sqlite3_busy_timeout(db, kBusyMs);
  // Switching a new database to WAL takes an exclusive lock, and SQLite reports a competing
  // switch as "locked" at once instead of calling the busy handler: several processes (or
  // threads) opening one fresh database would fail at random. Retry within the busy timeout.
  int rc = SQLITE_OK;
  for (int waited = 0;; waited += 10) {
    rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited >= kBusyMs) break;
    sqlite3_sleep(10);
  }
  if (rc != SQLITE_OK)
    return Status::Error(std::string("sqlite: ") + sqlite3_errmsg(db)).With(path);
  Status s = conn->Exec(
      "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
      " PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;"
      " PRAGMA wal_autocheckpoint=16384;");
  if (!s.ok()) return s.With(path);
  return std::unique_ptr<Conn>(std::move(conn));
}

}  // namespace dyad::store::internal
