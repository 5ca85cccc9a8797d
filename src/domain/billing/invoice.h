// DESK-11: what an organisation owes for a month — each tier it (or one of its users) held,
// charged for the part of the month it was held, and its charge lines of the month. Pure; the
// months are calendar months in UTC, as tier changes take effect (usecase/offerings.h).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/catalog/money.h"

namespace tandem::billing {

using catalog::Money;

// A calendar month in UTC: [start, end) in milliseconds since the epoch.
struct Period {
  std::string name;  // "2026-11"
  std::int64_t start = 0;
  std::int64_t end = 0;
};
// "YYYY-MM", 2000-01 to 2999-12; nullopt for anything else.
std::optional<Period> parse_period(std::string_view text);

// A subscription as the fee sees it.
struct HeldTier {
  std::string subscription_id;
  std::string tier_id;
  std::optional<std::string> user_id;  // none: the organisation's own
  Money monthly_fee;
  std::int64_t from = 0;
  std::optional<std::int64_t> to;  // exclusive; none: open-ended
};

struct FeeLine {
  std::string subscription_id;
  std::string tier_id;
  std::optional<std::string> user_id;
  std::int64_t from = 0, to = 0;  // the part of the period held
  Money amount;                   // monthly fee × held / the month's length, to the cent
};

// The fee of every tier held during the period, in the order given; tiers held for none of it,
// or without a fee, give no line.
std::vector<FeeLine> fee_lines(const Period& period, std::span<const HeldTier> held);

}  // namespace tandem::billing
