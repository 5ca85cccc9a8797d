// DESK-11: prices, fees and charges are decimal. An amount is a whole number of cents
// (hundredths of the provider's currency unit; the currency itself is the provider's setting),
// so sums, prorations and invoices come out to the cent with no floating point anywhere.
#pragma once

#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tandem::catalog {

class Money {
 public:
  // The largest amount kept: 10^13 units, far beyond any invoice, so that products and sums
  // of a few amounts stay inside 64 bits.
  static constexpr std::int64_t kLimitCents = 1'000'000'000'000'000;

  constexpr Money() = default;
  static constexpr Money cents(std::int64_t c) { return Money(c); }
  // "12", "12.5", "12.50", "-0.05": digits with at most two decimals and an optional leading
  // minus; invalid_argument for anything else (exponents, commas, spaces, a third decimal,
  // more than kLimitCents) — money arrives as a JSON string, never as a float.
  static Result<Money> parse(std::string_view text);

  constexpr std::int64_t in_cents() const { return cents_; }
  // Two decimals always: "12.50", "-0.05", "0.00".
  std::string to_string() const;

  // How a share that falls between two cents is rounded.
  enum class Rounding {
    half_away_from_zero,  // a month's fee (DESK-11)
    half_even,            // a settlement's credit (OFF-2): no drift either way over many credits
  };
  // This amount × numerator / denominator, rounded to the cent: a monthly fee for the 11 days
  // of a 30-day month that a tier was held. denominator > 0.
  Money prorated(std::int64_t numerator, std::int64_t denominator,
                 Rounding rounding = Rounding::half_away_from_zero) const;
  Money times(std::int64_t quantity) const { return Money(cents_ * quantity); }

  friend constexpr Money operator+(Money a, Money b) { return Money(a.cents_ + b.cents_); }
  friend constexpr Money operator-(Money a, Money b) { return Money(a.cents_ - b.cents_); }
  friend constexpr Money operator-(Money a) { return Money(-a.cents_); }
  friend constexpr auto operator<=>(Money, Money) = default;

 private:
  constexpr explicit Money(std::int64_t c) : cents_(c) {}
  std::int64_t cents_ = 0;
};

// Splits `total` in proportion to `weights` (each ≥ 0, not all 0) so that the parts add up to
// exactly `total`: each part is rounded down and the cents left over go to the parts with the
// largest remainders, earlier parts first on a tie (invoice lines that sum to the invoice).
std::vector<Money> allocate(Money total, std::span<const std::int64_t> weights);

}  // namespace tandem::catalog
