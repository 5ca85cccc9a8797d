// Errors are values (STYLE.md §3): every fallible function returns Result<T>. HTTP status codes
// are assigned in exactly one table, in http/errors.cpp.
#pragma once

#include <expected>
#include <string>
#include <utility>
#include <vector>

namespace tandem {

enum class Code {
  invalid_argument,     // the request is well-formed but a value is wrong (422)
  malformed,            // the request cannot be parsed at all (400)
  unauthenticated,      // 401
  permission_denied,    // 403
  not_found,            // 404, also for what the caller may not know exists
  conflict,             // 409
  failed_precondition,  // 412: stale version
  precondition_required,// 428: If-Match missing
  too_large,            // 413
  unsupported_media,    // 415
  rate_limited,         // 429
  unavailable,          // 503
  internal,             // 500; the message never carries internals
};

struct FieldProblem {
  std::string field;
  std::string problem;
};

struct Error {
  Code code = Code::internal;
  // A stable snake_case string clients may switch on (API.md); defaults from `code`.
  std::string slug;
  std::string message;
  std::vector<FieldProblem> details;
  int retry_after_seconds = 0;  // for rate_limited

  Error() = default;
  Error(Code c, std::string msg, std::string s = {}) : code(c), slug(std::move(s)), message(std::move(msg)) {}
};

std::string_view default_slug(Code code);

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(Code code, std::string message, std::string slug = {}) {
  return std::unexpected(Error(code, std::move(message), std::move(slug)));
}
inline std::unexpected<Error> fail(Error e) { return std::unexpected(std::move(e)); }

}  // namespace tandem

// Propagates an error from an expression of type Result<...>.
#define TRY(expr)                                               \
  do {                                                          \
    if (auto tandem_try_ = (expr); !tandem_try_)                \
      return std::unexpected(std::move(tandem_try_).error());   \
  } while (0)

#define TANDEM_CONCAT_INNER(a, b) a##b
#define TANDEM_CONCAT(a, b) TANDEM_CONCAT_INNER(a, b)
// ASSIGN_OR_RETURN(auto x, make_x()); binds the value or propagates the error.
#define ASSIGN_OR_RETURN(decl, expr) ASSIGN_OR_RETURN_IMPL(TANDEM_CONCAT(tandem_r_, __LINE__), decl, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, decl, expr)                   \
  auto tmp = (expr);                                             \
  if (!tmp) return std::unexpected(std::move(tmp).error());      \
  decl = std::move(*tmp)
