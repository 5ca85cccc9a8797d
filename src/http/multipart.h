// multipart/form-data (RFC 7578) bodies, for uploads. Parts point into the body they were read
// from; every malformed input is an error value, never a crash (fuzzed in fuzz/).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tandem::http {

struct FormPart {
  std::string name;
  std::optional<std::string> filename;  // as the client sent it: sanitise before use
  std::string content_type;             // as the client sent it: never trusted
  std::string_view data;
};

// The boundary parameter of a multipart/form-data Content-Type, or unsupported_media.
Result<std::string> multipart_boundary(std::string_view content_type);
// The parts of `body`; malformed when the framing is broken.
Result<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view boundary);

}  // namespace tandem::http
