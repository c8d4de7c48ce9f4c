#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace accredit {

// A small canonical code set taken from absl::StatusCode (STYLE rule 7). There is exactly one
// mapping to HTTP status (HttpStatusFor) and one to CLI exit codes (ExitCodeFor).
enum class ErrorCode : std::uint8_t {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kPermissionDenied,
  kUnauthenticated,
  kResourceExhausted,
  kUnavailable,
  kDataLoss,
  kInternal,
};

std::string_view ErrorCodeName(ErrorCode code);  // "invalid_argument", ...
int HttpStatusFor(ErrorCode code);  // 400, 404, 409, 412->409, 403, 401, 413/429, 503...
int ExitCodeFor(ErrorCode code);    // documented in docs/CLI.md

// An error value. `message` is the external message (safe for API clients and CLI users: no SQL,
// paths or key material). `internal` may carry detail for logs only. `field` names the offending
// field, line or byte offset when the error is about input ("email", "line 7: likelihood",
// "byte 1234").
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string field;
  std::string internal;
};

// Status: either OK or an Error. Thread-compatible.
class [[nodiscard]] Status {
 public:
  Status() = default;

  Status(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  static Status Ok() { return {}; }

  bool ok() const { return !error_.has_value(); }

  explicit operator bool() const { return ok(); }

  const Error& error() const { return *error_; }

  ErrorCode Code() const { return error_ ? error_->code : ErrorCode::kOk; }

  std::string ToString() const;

 private:
  std::optional<Error> error_;
};

// Result<T>: a T or an Error. Member names mirror std::expected (STYLE rule 6).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT

  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  // Converting from a failed Status. REQUIRES: !status.ok().
  Result(const Status& status) : v_(std::in_place_index<1>, status.error()) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }

  bool ok() const { return has_value(); }

  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<0>(v_); }

  const T& value() const& { return std::get<0>(v_); }

  T&& value() && { return std::get<0>(std::move(v_)); }

  T& operator*() & { return value(); }

  const T& operator*() const& { return value(); }

  T* operator->() { return &value(); }

  const T* operator->() const { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

  const Error& error() const { return std::get<1>(v_); }

  Status status() const { return has_value() ? Status() : Status(error()); }

 private:
  std::variant<T, Error> v_;
};

// Builders for errors: Err(ErrorCode::kInvalidArgument, "must be a date", "effective_date").
inline Error Err(ErrorCode code, std::string message, std::string field = {},
                 std::string internal = {}) {
  return Error{code, std::move(message), std::move(field), std::move(internal)};
}

namespace internal {
inline Status AsStatus(const Status& s) {
  return s;
}

template <typename T>
Status AsStatus(const Result<T>& r) {
  return r.status();
}
}  // namespace internal

}  // namespace accredit

#define ACC_INTERNAL_CONCAT2(a, b) a##b
#define ACC_INTERNAL_CONCAT(a, b) ACC_INTERNAL_CONCAT2(a, b)

// Returns the error from the enclosing function if `expr` (a Status or Result) failed.
#define ACC_RETURN_IF_ERROR(expr)                                         \
  do {                                                                    \
    auto acc_status_ = ::accredit::internal::AsStatus(expr); /* NOLINT */ \
    if (!acc_status_.ok()) {                                              \
      return acc_status_.error();                                         \
    }                                                                     \
  } while (false)

// Evaluates `rexpr` (a Result<T>); on error returns it, else moves the value into `lhs`.
#define ACC_ASSIGN_OR_RETURN(lhs, rexpr) \
  ACC_INTERNAL_ASSIGN_OR_RETURN(ACC_INTERNAL_CONCAT(acc_result_, __LINE__), lhs, rexpr)
#define ACC_INTERNAL_ASSIGN_OR_RETURN(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                  \
  if (!tmp.has_value()) {                              \
    return tmp.error();                                \
  }                                                    \
  lhs = std::move(tmp).value() /* NOLINT(bugprone-macro-parentheses): lhs may declare */

// Always-on assertion for programmer errors only (never for input). Logs and aborts.
#define ACC_CHECK(cond, msg)                                             \
  do {                                                                   \
    if (!(cond)) {                                                       \
      ::accredit::internal::CheckFailed(#cond, msg, __FILE__, __LINE__); \
    }                                                                    \
  } while (false)
#ifdef NDEBUG
#define ACC_DCHECK(cond, msg) \
  do {                        \
  } while (false)
#else
#define ACC_DCHECK(cond, msg) ACC_CHECK(cond, msg)
#endif

namespace accredit::internal {
[[noreturn]] void CheckFailed(const char* cond, const char* msg, const char* file, int line);
}  // namespace accredit::internal
