// OFF-2: the money side of leaving. When a customer (or one member) leaves at a moment, the
// provider settles to the cent: the tier fees of the time held and not yet invoiced (prorated
// like a month's invoice), every charge not yet invoiced, the exit payments agreed, and a credit
// for the fees paid for time after leaving — an issued month that runs past the leaving day, or
// a year paid at once (the car-share story: the remaining membership fee goes back). The credit
// is prorated by whole UTC days and rounded half to even. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/billing/invoice.h"

namespace tandem::billing {

// A fee already on an issued invoice: a month's, or a span paid ahead.
struct PaidFee {
  std::string subscription_id;
  std::string tier_id;
  std::optional<std::string> user_id;
  Money amount;
  std::int64_t from = 0, to = 0;  // the time it pays for
  std::string label;              // what it was for, as its invoice line says
};

// A charge (a priced request, a booking) on no issued invoice yet.
struct OpenCharge {
  std::string id;
  std::optional<std::string> user_id;
  Money amount;
};

// Agreed when leaving: an exit fee (positive, owed to the provider) or a refund (negative).
struct ExitPayment {
  std::string description;
  Money amount;
};

struct SettlementInput {
  std::int64_t leaving_at = 0;           // ms
  std::vector<HeldTier> held;            // the leaver's subscriptions, as held (none end later than they do)
  std::vector<PaidFee> paid;             // the issued fee lines of theirs (of a subscription gone too)
  std::vector<OpenCharge> charges;
  std::vector<ExitPayment> exit_payments;
};

enum class LineKind { tier_fee, charge, exit_payment, prepaid_credit };
std::string_view to_string(LineKind k);

struct SettlementLine {
  LineKind kind = LineKind::tier_fee;
  std::string source_id;  // the subscription or the charge; empty for an exit payment
  std::string tier_id;
  std::optional<std::string> user_id;
  std::optional<std::int64_t> from, to;  // a fee's or a credit's span
  std::string description;               // an exit payment's
  Money amount;                          // negative for a credit
};

struct Settlement {
  std::vector<SettlementLine> lines;
  Money total;
  // A total below zero is owed to the customer: the document is a credit note.
  bool is_credit() const { return total < Money(); }
};

// The parts of `held` that no fee of `paid` for the same subscription pays for: what a month's
// run still charges when some of the time was paid ahead or settled.
std::vector<HeldTier> unpaid_parts(const HeldTier& held, std::span<const PaidFee> paid);

// Lines in this order: fees (per subscription, per month), charges, exit payments, credits.
Settlement settle(const SettlementInput& in);

// The part of `paid` (for [from, to)) left unused by someone leaving at `leaving_at`: the whole
// UTC days from the first day they no longer hold (the leaving day itself when they leave at
// its midnight) to the end, over the days paid for, rounded half to even; zero when nothing of
// it is left.
Money unused_part(Money paid, std::int64_t from, std::int64_t to, std::int64_t leaving_at);

}  // namespace tandem::billing
