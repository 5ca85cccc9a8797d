#include "http/download.h"

#include "domain/tickets/attachment.h"

// GCC 12 warns falsely here that a header's std::string is written or read out of bounds (its
// bug 105329, in std::string's inlined construction); the same lines compiled clean where they
// lived before, inside the ticket routes.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif

namespace tandem::http {

Response download_response(std::string content_type, std::string_view file_name, std::string bytes) {
  Response out;
  out.content_type = std::move(content_type);
  out.body = std::move(bytes);
  out.set_header("Content-Disposition", tickets::content_disposition(file_name));
  out.set_header("X-Content-Type-Options", "nosniff");
  out.set_header("Cache-Control", "private, no-store");
  out.set_header("Content-Security-Policy", "sandbox");
  return out;
}

}  // namespace tandem::http
