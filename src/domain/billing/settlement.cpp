#include "domain/billing/settlement.h"

#include <date/date.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <utility>

namespace tandem::billing {
namespace {

constexpr std::int64_t kDay = 86'400'000;

std::int64_t day_floor(std::int64_t ms) { return ms >= 0 ? ms / kDay : -((-ms + kDay - 1) / kDay); }
std::int64_t day_ceil(std::int64_t ms) { return -day_floor(-ms); }

// The calendar month (UTC) that holds `ms`.
Period month_of(std::int64_t ms) {
  auto day = date::year_month_day(date::sys_days(date::days(day_floor(ms))));
  auto first = day.year() / day.month() / 1;
  auto at = [](date::year_month_day d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(date::sys_days(d).time_since_epoch()).count();
  };
  return Period{"", at(first), at(first + date::months(1))};
}

using Span = std::pair<std::int64_t, std::int64_t>;

// [from, to) less every span of `covered`.
std::vector<Span> uncovered(std::int64_t from, std::int64_t to, std::vector<Span> covered) {
  std::sort(covered.begin(), covered.end());
  std::vector<Span> out;
  for (const auto& [a, b] : covered) {
    if (b <= from || a >= to) continue;
    if (a > from) out.emplace_back(from, a);
    from = std::max(from, b);
    if (from >= to) return out;
  }
  if (from < to) out.emplace_back(from, to);
  return out;
}

}  // namespace

std::vector<HeldTier> unpaid_parts(const HeldTier& held, std::span<const PaidFee> paid) {
  std::vector<Span> covered;
  for (const auto& p : paid)
    if (p.subscription_id == held.subscription_id) covered.emplace_back(p.from, p.to);
  std::vector<HeldTier> out;
  auto end = held.to.value_or(std::numeric_limits<std::int64_t>::max());
  for (auto [from, to] : uncovered(held.from, end, std::move(covered))) {
    HeldTier part = held;
    part.from = from;
    if (to != std::numeric_limits<std::int64_t>::max()) part.to = to;
    out.push_back(std::move(part));
  }
  return out;
}

std::string_view to_string(LineKind k) {
  switch (k) {
    case LineKind::tier_fee: return "tier_fee";
    case LineKind::charge: return "charge";
    case LineKind::exit_payment: return "exit_payment";
    case LineKind::prepaid_credit: return "prepaid_credit";
  }
  return "tier_fee";
}

Money unused_part(Money paid, std::int64_t from, std::int64_t to, std::int64_t leaving_at) {
  auto first = day_floor(from), end = day_ceil(to);
  auto unused_from = std::max(day_ceil(leaving_at), first);
  if (end <= first || unused_from >= end) return Money();
  return paid.prorated(end - unused_from, end - first, Money::Rounding::half_even);
}

Settlement settle(const SettlementInput& in) {
  Settlement out;
  for (auto h : in.held) {
    h.to = std::min(h.to.value_or(in.leaving_at), in.leaving_at);
    for (const auto& part : unpaid_parts(h, in.paid)) {
      auto from = part.from, to = *part.to;
      // Month by month, as the monthly invoices would have charged it.
      for (auto start = from; start < to;) {
        auto month = month_of(start);
        HeldTier piece = h;
        piece.from = start;
        piece.to = std::min(to, month.end);
        for (const auto& fee : fee_lines(month, std::span(&piece, 1)))
          out.lines.push_back({LineKind::tier_fee, h.subscription_id, h.tier_id, h.user_id, fee.from, fee.to, "", fee.amount});
        start = month.end;
      }
    }
  }
  for (const auto& c : in.charges)
    out.lines.push_back({LineKind::charge, c.id, "", c.user_id, std::nullopt, std::nullopt, "", c.amount});
  for (const auto& e : in.exit_payments)
    out.lines.push_back({LineKind::exit_payment, "", "", std::nullopt, std::nullopt, std::nullopt, e.description, e.amount});
  // A subscription that ended before the leaving day (a change to a cheaper tier) stopped using
  // what it paid for then.
  std::map<std::string, std::int64_t> stopped;
  for (const auto& h : in.held) stopped[h.subscription_id] = std::min(h.to.value_or(in.leaving_at), in.leaving_at);
  for (const auto& p : in.paid) {
    auto it = stopped.find(p.subscription_id);
    auto leaving = it == stopped.end() ? in.leaving_at : it->second;
    auto credit = unused_part(p.amount, p.from, p.to, leaving);
    if (credit == Money()) continue;
    auto unused_from = std::max(day_ceil(leaving), day_floor(p.from)) * kDay;
    out.lines.push_back({LineKind::prepaid_credit, p.subscription_id, p.tier_id, p.user_id, unused_from, p.to, "", -credit});
  }
  for (const auto& l : out.lines) out.total = out.total + l.amount;
  return out;
}

}  // namespace tandem::billing
