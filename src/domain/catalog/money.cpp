#include "domain/catalog/money.h"

#include <algorithm>
#include <numeric>

namespace tandem::catalog {
namespace {

using Wide = __int128;

// a / b rounded to the nearest whole number, a tie as `rounding` says; b > 0.
std::int64_t divide_rounded(Wide a, Wide b, Money::Rounding rounding) {
  Wide q = a / b, r = a % b;
  if (r < 0) r = -r;
  bool up = rounding == Money::Rounding::half_even ? 2 * r > b || (2 * r == b && q % 2 != 0) : 2 * r >= b;
  if (up) q += a < 0 ? -1 : 1;
  return static_cast<std::int64_t>(q);
}

}  // namespace

Result<Money> Money::parse(std::string_view text) {
  auto invalid = [&] {
    return fail(Code::invalid_argument, "'" + std::string(text.substr(0, 40)) +
                                            "' is not an amount of money; write digits with at most two decimals, e.g. \"12.50\"");
  };
  bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  auto point = text.find('.');
  auto units = text.substr(0, point);
  auto decimals = point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  auto digits = [](std::string_view s) { return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }); };
  if (units.empty() || !digits(units) || !digits(decimals) || decimals.size() > 2) return invalid();
  if (point != std::string_view::npos && decimals.empty()) return invalid();  // "12."
  // Leading zeros are stripped before the length check so that "000…01.00" is not refused.
  units.remove_prefix(std::min(units.find_first_not_of('0'), units.size()));
  if (units.size() > 14) return invalid();
  std::int64_t cents = 0;
  for (char c : units) cents = cents * 10 + (c - '0');
  cents *= 100;
  if (decimals.size() >= 1) cents += (decimals[0] - '0') * 10;
  if (decimals.size() == 2) cents += decimals[1] - '0';
  if (cents > kLimitCents) return invalid();
  return Money(negative ? -cents : cents);
}

std::string Money::to_string() const {
  std::int64_t magnitude = cents_ < 0 ? -cents_ : cents_;
  std::string fraction = std::to_string(magnitude % 100);
  if (fraction.size() == 1) fraction.insert(0, "0");
  return (cents_ < 0 ? "-" : "") + std::to_string(magnitude / 100) + "." + fraction;
}

Money Money::prorated(std::int64_t numerator, std::int64_t denominator, Rounding rounding) const {
  return Money(divide_rounded(Wide(cents_) * numerator, denominator, rounding));
}

std::vector<Money> allocate(Money total, std::span<const std::int64_t> weights) {
  Wide sum = std::accumulate(weights.begin(), weights.end(), Wide(0));
  std::vector<Money> parts(weights.size());
  if (sum <= 0) return parts;
  Wide cents = total.in_cents();
  bool negative = cents < 0;
  if (negative) cents = -cents;
  std::vector<std::pair<Wide, std::size_t>> remainders;  // remainder, index
  Wide given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    Wide share = cents * weights[i];
    parts[i] = Money::cents(static_cast<std::int64_t>(share / sum));
    given += share / sum;
    remainders.push_back({share % sum, i});
  }
  std::stable_sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (Wide left = cents - given, k = 0; left > 0; --left, ++k)
    parts[remainders[static_cast<std::size_t>(k)].second] = parts[remainders[static_cast<std::size_t>(k)].second] + Money::cents(1);
  if (negative)
    for (auto& p : parts) p = -p;
  return parts;
}

}  // namespace tandem::catalog
