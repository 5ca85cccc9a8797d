// DESK-11: charge lines and invoices. Reads take a Scope: staff see every organisation's, a
// customer their organisation's (and only issued invoices: a draft is the provider's until
// issued); other consumers none.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/scope.h"

namespace tandem::storage {

struct Charge {
  std::string id;
  std::string organization_id;
  std::optional<std::string> user_id;  // whom it was for
  std::string source;                  // request or usage
  std::optional<std::string> ticket_id;
  std::string kind;                      // the request type id, or the kind of usage ("booking")
  std::optional<std::string> reference;  // the sender's id of a usage record: once per organisation
  std::string label = "{}";              // JSON: translatable text of what it was
  std::int64_t quantity = 1;
  std::int64_t unit_cents = 0;
  std::int64_t amount_cents = 0;
  std::int64_t occurred_at = 0;
  bool voided = false;
  std::optional<std::string> invoice_id;
  std::int64_t created_at = 0;
};

std::string canonical(const Charge& charge);

struct InvoiceLine {
  std::string invoice_id;
  std::int64_t position = 0;
  std::string kind;       // tier_fee, request, usage
  std::string source_id;  // the subscription or the charge
  std::string label = "{}";
  std::optional<std::string> user_id;
  std::int64_t quantity = 1;
  std::int64_t unit_cents = 0;
  std::int64_t amount_cents = 0;
  std::optional<std::int64_t> from, to;  // a fee's part of the month
};

struct Invoice {
  std::string id;
  std::string organization_id;
  std::string period;           // "2026-11"
  std::string state = "draft";  // draft, issued
  std::optional<std::int64_t> number;
  std::int64_t total_cents = 0;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> issued_at;
  std::vector<InvoiceLine> lines;  // filled by find
  // OFF-2: monthly; prepayment (a fee paid ahead, issued at once); settlement (a leaver's final
  // invoice, or credit note when its total is below zero, issued at once).
  std::string purpose = "monthly";
  std::string currency = "CNY";
  std::optional<std::string> offboarding_id;  // a settlement's
};

// OFF-2: a fee line of an issued invoice: the time it pays for.
struct PaidFeeLine {
  std::string invoice_id;
  std::string subscription_id;
  std::optional<std::string> user_id;
  std::int64_t amount_cents = 0;
  std::int64_t from = 0, to = 0;
  std::string label = "{}";
};

std::string canonical(const Invoice& invoice);

namespace charges {
Result<void> insert(Connection& c, const Charge& charge);
Result<std::optional<Charge>> find_by_reference(Connection& c, std::string_view organization_id,
                                                std::string_view reference);
// OFF-2: the organisation's charges not voided and on no issued invoice (on none, or on a draft
// that a settlement makes stale), only the person's when `user_id` is given, oldest first.
Result<std::vector<Charge>> open_of(Connection& c, std::string_view organization_id,
                                    const std::optional<std::string>& user_id);
// Voids the request's charges not yet on an invoice (a request rejected or cancelled).
Result<std::int64_t> void_of_ticket(Connection& c, std::string_view ticket_id);
// Charges not voided that occurred before `end` and are on no invoice: what a month's run bills
// once it has taken the period's drafts apart — a charge recorded late for a month already
// issued goes on the next. Unscoped: the run is the provider's.
Result<std::vector<Charge>> billable(Connection& c, std::int64_t end);
Result<void> attach(Connection& c, std::string_view charge_id, std::string_view invoice_id);
// Takes the charges off a draft (never off an issued invoice).
Result<void> detach_from(Connection& c, std::string_view invoice_id);
struct Filter {
  std::optional<std::string> organization_id;
  std::optional<std::int64_t> from, to;  // occurred in [from, to)
};
// Newest first.
Result<Page<Charge>> list(Connection& c, const Scope& scope, const Filter& filter,
                          const PageRequest& page);
}  // namespace charges

namespace invoices {
Result<void> insert(Connection& c, const Invoice& invoice);  // with its lines
Result<std::optional<Invoice>> find(Connection& c, const Scope& scope, std::string_view id,
                                    Lock lock = Lock::none);
Result<std::optional<Invoice>> of_period(Connection& c, std::string_view organization_id,
                                         std::string_view period);
// The period's drafts, held until the transaction ends: an issue waits for the run, or the run
// no longer sees a draft issued meanwhile.
Result<std::vector<Invoice>> drafts_of_period(Connection& c, std::string_view period);
// OFF-2: the fee lines of issued invoices that pay for some of [from, to), of one organisation
// or (none given) of all: what a month's run must not charge again, and what a leaver paid.
Result<std::vector<PaidFeeLine>> paid_fees(Connection& c, const std::optional<std::string>& organization_id,
                                           std::int64_t from, std::int64_t to);
// OFF-2: the subscriptions a settlement of the organisation has already settled (a member who
// left before it): settled once, never again.
Result<std::vector<std::string>> settled_subscriptions(Connection& c, std::string_view organization_id);
// Removes a draft and its lines (never an issued invoice's).
Result<void> remove_draft(Connection& c, std::string_view id);
// OFF-2: whether a draft was overtaken since it was drafted — a charge of it voided or settled on
// another invoice, or a fee of it paid meanwhile (a prepayment, a leaver's settlement): issuing it
// would charge twice; the month's run again rebuilds it.
Result<bool> is_stale(Connection& c, std::string_view id);
// The next invoice number: one above the highest issued, taken one issue at a time.
Result<std::int64_t> next_number(Connection& c);
// failed_precondition when the stored version is not `invoice.version - 1`.
Result<void> update(Connection& c, const Invoice& invoice);
struct Filter {
  std::optional<std::string> organization_id, period, state, purpose;
};
// Newest first (by id). Lines are not read.
Result<Page<Invoice>> list(Connection& c, const Scope& scope, const Filter& filter,
                           const PageRequest& page);
}  // namespace invoices

}  // namespace tandem::storage
