// The few pages the server writes itself rather than the web app: those read without signing in
// (FDB-1's one-click rating, FDB-4's status page), small, fast and readable without JavaScript.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace tandem::http {

// Text for HTML and XML: & < > " ' as entities; control characters other than tab, line feed and
// carriage return left out (XML 1.0 allows no other).
std::string escape_html(std::string_view text);

// A whole page: `lang` "zh-CN" or "en", the title escaped, `body` already HTML, `head` extra
// elements for <head> (a feed link). Styled inline, one column, legible on a phone.
Response html_page(int status, std::string_view lang, std::string_view title, std::string_view body, std::string_view head = {});

}  // namespace tandem::http
