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

// An upload's one part named `file`. Any other part goes to `other`, which takes it (nullopt) or
// says what is wrong with it; every problem is named in one invalid_argument.
template <class Other>
Result<const FormPart*> the_file(const std::vector<FormPart>& parts, Other other) {
  const FormPart* file = nullptr;
  Error e(Code::invalid_argument, "Some fields are invalid.");
  for (const auto& part : parts) {
    if (part.name == "file" && part.filename && !file) file = &part;
    else if (std::optional<std::string> problem = other(part)) e.details.push_back({part.name, *problem});
  }
  if (!file) e.details.push_back({"file", "is required: a file part named file"});
  if (!e.details.empty()) return fail(std::move(e));
  return file;
}

}  // namespace tandem::http
