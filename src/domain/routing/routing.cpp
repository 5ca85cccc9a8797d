#include "domain/routing/routing.h"

#include <algorithm>

#include "domain/search/terms.h"

namespace tandem::routing {

std::string ticket_text(std::string_view subject, std::string_view description) {
  auto terms = search::index_terms(std::string(subject) + "\n" + std::string(description));
  std::size_t count = 0, at = 0;
  while (at < terms.size()) {
    auto space = terms.find(' ', at);
    if (++count == kMaxTerms) return terms.substr(0, space == std::string::npos ? terms.size() : space);
    if (space == std::string::npos) break;
    at = space + 1;
  }
  return terms;
}

bool held_out(std::string_view ticket_id) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a: stable across machines and runs
  for (unsigned char ch : ticket_id) h = (h ^ ch) * 1099511628211ull;
  return h % 5 == 0;
}

std::string example_line(std::string_view label, std::string_view text) {
  std::string out = "__label__";
  for (char ch : label) {
    if (ch == '%') out += "%25";
    else if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f') out += "%20";
    else out += ch;
  }
  out += ' ';
  out += text;
  return out;
}

std::string label_of(std::string_view fasttext_label) {
  constexpr std::string_view prefix = "__label__";
  if (fasttext_label.starts_with(prefix)) fasttext_label.remove_prefix(prefix.size());
  std::string out;
  for (std::size_t i = 0; i < fasttext_label.size(); ++i) {
    if (fasttext_label.substr(i, 3) == "%20") out += ' ', i += 2;
    else if (fasttext_label.substr(i, 3) == "%25") out += '%', i += 2;
    else out += fasttext_label[i];
  }
  return out;
}

std::vector<Driver> drivers(const std::vector<std::string>& terms, double with_all, const std::vector<double>& without_each, std::size_t limit) {
  std::vector<Driver> out;
  for (std::size_t i = 0; i < terms.size() && i < without_each.size(); ++i) {
    double weight = with_all - without_each[i];
    if (weight <= 0) continue;
    auto same = std::ranges::find(out, terms[i], &Driver::term);
    if (same != out.end()) same->weight = std::max(same->weight, weight);
    else out.push_back({terms[i], weight});
  }
  std::ranges::stable_sort(out, [](const Driver& a, const Driver& b) { return a.weight > b.weight; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace tandem::routing
