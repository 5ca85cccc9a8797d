#include "core/error.h"

namespace tandem {

std::string_view default_slug(Code code) {
  switch (code) {
    case Code::invalid_argument: return "validation_failed";
    case Code::malformed: return "malformed_request";
    case Code::unauthenticated: return "unauthenticated";
    case Code::permission_denied: return "forbidden";
    case Code::not_found: return "not_found";
    case Code::conflict: return "conflict";
    case Code::failed_precondition: return "precondition_failed";
    case Code::precondition_required: return "precondition_required";
    case Code::too_large: return "payload_too_large";
    case Code::unsupported_media: return "unsupported_media_type";
    case Code::rate_limited: return "rate_limited";
    case Code::unavailable: return "unavailable";
    case Code::internal: return "internal";
  }
  return "internal";
}

}  // namespace tandem
