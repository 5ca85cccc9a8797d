// REL-4: what the router learns from and how its suggestions are judged. Pure: the text a ticket
// is known by (the search terms: words, and Chinese as overlapping character pairs, so the
// classifier reads Chinese without a segmenter), the stable split of examples into training and
// held-out ones, labels as the classifier writes them, and when a suggestion is trusted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::routing {

// The terms of a ticket's subject and description, space-separated, at most kMaxTerms.
inline constexpr std::size_t kMaxTerms = 400;
std::string ticket_text(std::string_view subject, std::string_view description);

// One example in five is held out for measuring accuracy, chosen by the ticket's id, so the same
// ticket is on the same side of every training run.
bool held_out(std::string_view ticket_id);

// fastText's line: "__label__<label> <text>". A label holds no blanks: they are written as %20
// (and % as %25), and read back so.
std::string example_line(std::string_view label, std::string_view text);
std::string label_of(std::string_view fasttext_label);  // "__label__a%20b" → "a b"

// Below this a classifier's suggestion gives way to the rules (DESK-2's classification rules).
inline constexpr double kTrustedConfidence = 0.5;

struct Accuracy {
  std::int64_t right = 0, total = 0;
  double ratio() const { return total == 0 ? 0.0 : double(right) / double(total); }
};

// The words that drove a prediction: each term's weight is how much the predicted label's
// probability falls without it; the `limit` heaviest with a positive weight, heaviest first.
struct Driver {
  std::string term;
  double weight = 0;
};
std::vector<Driver> drivers(const std::vector<std::string>& terms, double with_all, const std::vector<double>& without_each, std::size_t limit);

}  // namespace tandem::routing
