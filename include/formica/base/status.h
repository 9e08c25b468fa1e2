#pragma once
// Errors are values at every boundary: a function that can fail on input returns
// Result<T> (a value or an Error) or Status (Result<void>). Both are [[nodiscard]], so a
// caller cannot silently drop a failure. No exception crosses a layer boundary.

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace formica::base {

// Typed reasons. Callers branch on the code (e.g. whether to penalise a peer), never on the
// message text, which is for people.
enum class ErrorCode : std::uint8_t {
  kInvalidArgument = 1,  // a caller passed a value outside the contract (usage error)
  kMalformed,            // bytes or text that do not parse (bad hex, truncated, non-canonical)
  kTooLarge,             // over a size or depth limit
  kVerificationFailed,   // well-formed input that fails a cryptographic or semantic check
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kFailedPrecondition,  // state does not allow the operation now (nonce, balance, frozen, ...)
  kUnsupported,         // a scheme, version or message type this build does not handle
  kIo,                  // file system, database or socket failure
  kUnavailable,         // a node or peer could not be reached in time
  kInternal,            // a bug or a library failure that should not happen
};

std::string_view error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  // "malformed: bad hex digit at offset 3"
  std::string to_string() const;
};

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT(implicit)
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(implicit)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Preconditions: ok() for value(), !ok() for error(). Checked in debug builds.
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& take_error() {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }
  ErrorCode code() const { return error().code; }

  T value_or(T fallback) const& { return ok() ? std::get<0>(v_) : std::move(fallback); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(implicit)

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }
  Error&& take_error() {
    assert(!ok_);
    return std::move(error_);
  }
  ErrorCode code() const { return error().code; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status ok_status() { return Status{}; }

}  // namespace formica::base

// Vocabulary types are used by every layer; they are re-exported into formica::.
namespace formica {
using base::Error;
using base::ErrorCode;
using base::make_error;
using base::ok_status;
using base::Result;
using base::Status;
}  // namespace formica

// Propagate an error from an expression returning Result/Status.
#define FORMICA_CONCAT_INNER(a, b) a##b
#define FORMICA_CONCAT(a, b) FORMICA_CONCAT_INNER(a, b)
#define FORMICA_TRY(expr)                                                   \
  do {                                                                      \
    auto formica_try_status_ = (expr);                                      \
    if (!formica_try_status_.ok()) return formica_try_status_.take_error(); \
  } while (0)
// FORMICA_ASSIGN_OR_RETURN(auto x, f()); declares x from a Result or returns its error.
#define FORMICA_ASSIGN_OR_RETURN(lhs, expr)                     \
  auto FORMICA_CONCAT(formica_res_, __LINE__) = (expr);         \
  if (!FORMICA_CONCAT(formica_res_, __LINE__).ok())             \
    return FORMICA_CONCAT(formica_res_, __LINE__).take_error(); \
  lhs = std::move(FORMICA_CONCAT(formica_res_, __LINE__)).value()
