// Errors as values at every library boundary.
//
// A Status is either ok or carries a message that says what went wrong and where (file, line,
// record) and, when it helps, what to do. Result<T> is a value or a Status. Library code never
// exits the process and never lets an exception escape its public API.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace dyad {

class Status {
 public:
  Status() = default;  // ok
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message), true); }

  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is prefixed with `context: `, e.g. a file name.
  Status With(const std::string& context) const {
    return ok() ? *this : Error(context + ": " + message_);
  }

 private:
  Status(std::string m, bool failed) : message_(std::move(m)), failed_(failed) {}
  std::string message_;
  bool failed_ = false;
};

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}   // NOLINT: must be an error status

  bool ok() const { return v_.index() == 0; }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<1>(v_);
  }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace dyad

#define DYAD_CONCAT_INNER(a, b) a##b
#define DYAD_CONCAT(a, b) DYAD_CONCAT_INNER(a, b)

// Returns the status from the enclosing function when `expr` is an error.
#define DYAD_RETURN_IF_ERROR(expr)                   \
  do {                                               \
    ::dyad::Status dyad_status_ = (expr);            \
    if (!dyad_status_.ok()) return dyad_status_;     \
  } while (0)

// `DYAD_ASSIGN_OR_RETURN(auto x, MakeX());` unwraps a Result or returns its error.
#define DYAD_ASSIGN_OR_RETURN(lhs, rexpr) \
  DYAD_ASSIGN_OR_RETURN_IMPL(DYAD_CONCAT(dyad_result_, __LINE__), lhs, rexpr)
#define DYAD_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                               \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
