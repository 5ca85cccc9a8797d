// KB-1, COM-1: Markdown (GitHub's dialect: tables, strike-through, task lists, autolinks) as
// safe HTML and as plain text. cmark-gfm runs in its safe mode (raw HTML is left out, dangerous
// link schemes emptied) and its output goes through the sanitiser all the same, so the allow-list
// there is the one rule for what reaches a page.
#pragma once

#include <string>
#include <string_view>

#include "domain/markup/sanitizer.h"

namespace tandem::markup {

std::string markdown_to_html(std::string_view markdown, const SanitizePolicy& policy = {});

// The text a reader sees, without markup: what search indexes and highlights.
std::string markdown_to_text(std::string_view markdown);

}  // namespace tandem::markup
