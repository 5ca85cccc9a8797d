// JSON text written directly, for output too large or too hot to build as a JSON value first
// (an export's million records, every log line).
#pragma once

#include <string>
#include <string_view>

namespace tandem {

// `text` as a JSON string (RFC 8259), quotes included; bytes that are not UTF-8 (RFC 3629: no
// overlong forms, no surrogates, nothing past U+10FFFF) become U+FFFD, so the output always parses.
void append_json_string(std::string& out, std::string_view text);

}  // namespace tandem
