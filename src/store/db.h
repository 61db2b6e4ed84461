// The two database drivers behind dyad::store, reduced to what the store needs: a connection
// that runs scripts and caches prepared statements, and statements with 1-based bound
// parameters. SQL is written once with `?` placeholders; the PostgreSQL driver numbers them.
// A connection is used by one thread at a time (the Store's pool sees to it).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "dyad/status.h"

namespace dyad::store::internal {

enum class Dialect { kSqlite, kPostgres };

class Stmt {
 public:
  virtual ~Stmt() = default;
  virtual void BindNull(int i) = 0;
  virtual void Bind(int i, int64_t v) = 0;
  virtual void Bind(int i, double v) = 0;
  virtual void Bind(int i, std::string_view v) = 0;
  // Runs the statement on the first call, then moves to the next row: true while there is a
  // row to read.
  virtual Result<bool> Step() = 0;
  virtual bool IsNull(int col) = 0;  // 0-based columns
  virtual int64_t Int(int col) = 0;
  virtual double Double(int col) = 0;
  virtual std::string Text(int col) = 0;
  // Ready for new bindings and a new run.
  virtual void Reset() = 0;
};

class Conn {
 public:
  virtual ~Conn() = default;
  virtual Dialect dialect() const = 0;
  // Runs one or more statements without parameters.
  virtual Status Exec(const std::string& sql) = 0;
  // A prepared statement owned and cached by the connection (same SQL, same statement).
  virtual Result<Stmt*> Prepare(const std::string& sql) = 0;
  // Transactions; `write` takes the write lock at once (SQLite BEGIN IMMEDIATE).
  virtual Status Begin(bool write) = 0;
  Status Commit() { return Exec("COMMIT"); }
  Status Rollback() { return Exec("ROLLBACK"); }
  // SQLite: the rowid of the last INSERT (PostgreSQL uses RETURNING instead; 0 here).
  virtual int64_t LastInsertId() = 0;
  // False when the connection is broken and should be dropped.
  virtual bool Healthy() = 0;
};

// `path` is a file name or ":memory:"; `create`: make the file when missing.
Result<std::unique_ptr<Conn>> OpenSqlite(const std::string& path, bool create = true);
// `url` is a libpq connection string or URI.
Result<std::unique_ptr<Conn>> OpenPostgres(const std::string& url);

// Resets a statement when it goes out of scope, so the cached statement is ready for reuse.
class StmtGuard {
 public:
  explicit StmtGuard(Stmt* s) : s_(s) {}
  ~StmtGuard() {
    if (s_) s_->Reset();
  }
  StmtGuard(const StmtGuard&) = delete;
  StmtGuard& operator=(const StmtGuard&) = delete;
  Stmt* operator->() const { return s_; }

 private:
  Stmt* s_;
};

}  // namespace dyad::store::internal
