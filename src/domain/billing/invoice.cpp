#include "domain/billing/invoice.h"

#include <date/date.h>

#include <algorithm>
#include <charconv>
#include <chrono>

namespace tandem::billing {

std::optional<Period> parse_period(std::string_view text) {
  int year = 0, month = 0;
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  auto digits = [](std::string_view part, int& out) {
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc() && end == part.data() + part.size() &&
           std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(text.substr(0, 4), year) || !digits(text.substr(5, 2), month)) return std::nullopt;
  if (year < 2000 || year > 2999 || month < 1 || month > 12) return std::nullopt;
  auto first = date::year(year) / date::month(unsigned(month)) / 1;
  auto ms = [](date::year_month_day day) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               date::sys_days(day).time_since_epoch())
        .count();
  };
  return Period{std::string(text), ms(first), ms(first + date::months(1))};
}

std::vector<FeeLine> fee_lines(const Period& period, std::span<const HeldTier> held) {
  std::vector<FeeLine> out;
  for (const auto& h : held) {
    auto from = std::max(h.from, period.start);
    auto to = std::min(h.to.value_or(period.end), period.end);
    if (from >= to || h.monthly_fee == Money()) continue;
    auto amount = h.monthly_fee.prorated(to - from, period.end - period.start);
    out.push_back({h.subscription_id, h.tier_id, h.user_id, from, to, amount});
  }
  return out;
}

}  // namespace tandem::billing
