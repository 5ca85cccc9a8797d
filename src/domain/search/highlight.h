// KB-1: the part of a text a search hit shows, with the query's terms marked — as pieces of
// plain text, so that the page escapes them like any other text and nothing in a document can
// become markup.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/search/terms.h"

namespace tandem::search {

struct Snippet {
  std::string text;
  bool marked = false;
  bool operator==(const Snippet&) const = default;
};

// At most about `max_bytes` of `text` (cut at character boundaries, "…" where cut) around the
// first place a term occurs, every occurrence inside marked. Letters match whatever their case
// (ASCII); the text's start when no term occurs.
std::vector<Snippet> highlight(std::string_view text, const std::vector<QueryTerm>& terms, std::size_t max_bytes = 240);

}  // namespace tandem::search
