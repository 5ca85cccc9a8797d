// Attachments (issue "Service desk core" §4): what is decided about a file without I/O — the
// name we keep and show, and the type we serve it as. The client's name may carry paths,
// control characters or a misleading extension; the client's content type is never trusted.
#pragma once

#include <string>
#include <string_view>

namespace tandem::tickets {

// A safe display name: the last path component (after '/' or '\'), without control characters,
// leading dots or surrounding spaces, at most 200 bytes cut at a character boundary; invalid
// UTF-8 bytes become '_'; an empty result becomes "attachment".
std::string safe_file_name(std::string_view client_name);

// The media type from the first bytes: PNG, JPEG, GIF, WebP, PDF, ZIP (also DOCX/XLSX), or
// text/plain; charset=utf-8 for valid UTF-8 without NUL; otherwise application/octet-stream.
// Never text/html: an attachment must not run in the browser.
std::string sniff_content_type(std::string_view bytes);
// Whether `text` is well-formed UTF-8 (a form field's value, which no JSON parser checked).
bool valid_utf8(std::string_view text);
// How many characters (code points) UTF-8 `text` holds: the limits people are told ("at most
// 2,000 characters") count these, not bytes.
std::size_t utf8_length(std::string_view text);

// Content-Disposition for a download: `attachment` with an ASCII fallback name and the UTF-8
// name in RFC 5987 form.
std::string content_disposition(std::string_view name);

}  // namespace tandem::tickets
