// KB-1 (and the HTML of mail, REL-1): HTML that a browser may show on our pages, made from
// HTML nobody vetted. The input is parsed into tags and text and written out again from an
// allow-list, so nothing the parser did not understand reaches the output: a tag or attribute
// not on the list is dropped (a dropped tag's text stays, escaped; a script's or style's does
// not), every URL must be http(s), mailto or tel or relative, and images come only from our own
// attachments or the hosts the provider allows. OWASP's XSS filter-evasion cases are the test.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tandem::markup {

struct SanitizePolicy {
  // Hosts (lower case, exact) whose images may be embedded; images elsewhere become links.
  std::vector<std::string> image_hosts;
  // Whether an image that may not be embedded becomes a link to it; otherwise its alt text stays.
  bool images_as_links = true;
};

// Where images of our own are served from: an attachment of the store.
inline constexpr std::string_view kOwnImagePrefix = "/api/v1/attachments/";

// Safe HTML for `html`: well-formed (every element closed), attributes double-quoted and
// escaped, links given rel="nofollow noopener noreferrer".
std::string sanitize_html(std::string_view html, const SanitizePolicy& policy = {});

// Whether a link target may be followed: relative, a fragment, or http, https, mailto, tel —
// judged as a browser reads it (entities decoded by the caller; control characters and blanks,
// which browsers drop, ignored).
bool is_safe_url(std::string_view url);

// The text a person reads in `html` (an HTML-only mail): what sanitize_html keeps, without its
// tags; block ends and <br> become line breaks, links keep their target in brackets.
std::string html_to_text(std::string_view html);

}  // namespace tandem::markup
