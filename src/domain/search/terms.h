// Search terms for Chinese and English text, the same for both stores (docs/adr/0003).
//
// Text is normalised (NFKC, case folded). Runs of letters and digits outside the CJK scripts
// become words; a run of CJK characters becomes its overlapping pairs plus its last character,
// so "打印机" is indexed as 打印 印机 机. A query word matches as a prefix ("print" finds
// "printer"); a query run of two or more CJK characters needs each of its pairs, and a single
// character matches as a prefix of a pair — which is how one- and two-character Chinese queries
// (打, 打印, 网络) find what they name through the index.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tandem::search {

// `text` in the form terms are made from: NFKC, case folded; invalid UTF-8 cut where it starts.
std::string normalized_text(std::string_view text);

// The terms of `text`, separated by single spaces; empty when it has none. Invalid UTF-8 is
// indexed as far as it is valid.
std::string index_terms(std::string_view text);

struct QueryTerm {
  std::string text;
  bool prefix = false;
  bool operator==(const QueryTerm&) const = default;
};

// The most terms a query keeps; more would only make it slower, not better.
inline constexpr std::size_t kMaxQueryTerms = 16;

// The terms every hit must contain. A query with no letter, digit or CJK character is
// invalid_argument (field "q").
Result<std::vector<QueryTerm>> parse_query(std::string_view query);

// REL-2: the terms of a question as people type it into a ticket ("how do I charge the car"):
// without English function words, which the answer need not contain — unless nothing else is
// left.
std::vector<QueryTerm> content_terms(std::vector<QueryTerm> terms);

}  // namespace tandem::search
