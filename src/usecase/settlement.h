// OFF-2: the money side of leaving, and fees paid ahead.
//
// A prepayment is an invoice issued at once for a subscription's fee over whole months ahead (a
// year at once, at the monthly fee × months or an agreed amount); the monthly run then leaves
// those months alone. A settlement is a leaver's last invoice — of a whole organisation, or of
// one member who leaves alone and held a tier of their own: the fees of the time held that no
// issued invoice paid for, the charges not yet invoiced, the exit payments agreed, and the credit
// of every fee paid for days after leaving (billing/settlement.h). It is issued at once as a
// numbered invoice with purpose `settlement` — a final invoice, or a credit note when the total
// is owed to the customer — so the monthly run charges nothing of it again. Charges on a month's
// draft are settled here too; the draft, overtaken, cannot be issued until the month's run
// rebuilds it (storage::invoices::is_stale), and neither can one a prepayment overtook.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/billing/settlement.h"
#include "storage/billing.h"
#include "usecase/context.h"

namespace tandem::usecase {

struct NewPrepayment {
  std::string subscription_id;
  std::string from;  // the first month paid, YYYY-MM
  std::int64_t months = 12;
  std::optional<std::string> amount;  // decimal; default the monthly fee × months
};
// POST /api/v1/prepayments: invoice.run. conflict `already_paid` when an issued invoice pays
// for some of those months already.
Result<storage::Invoice> record_prepayment(const Services& s, const identity::Actor& actor, const NewPrepayment& in);

struct SettlementRequest {
  std::string organization_id;
  std::optional<std::string> user_id;  // a member leaving alone; none: the whole organisation
  std::int64_t leaving_at = 0;
  std::vector<billing::ExitPayment> exit_payments;
  std::optional<std::string> offboarding_id;
};

struct SettlementStatement {
  billing::Settlement settlement;
  std::vector<std::string> labels;  // per line: stored translatable text (JSON) of what it is
  std::string currency;
  std::optional<storage::Invoice> document;  // once issued
};

// What the leaver owes or is owed as things stand; nothing is written.
Result<SettlementStatement> preview_settlement(storage::Connection& c, const Services& s, const SettlementRequest& in);
// The settlement issued inside the caller's write (audited): nothing owed either way is a final
// invoice of zero.
Result<SettlementStatement> issue_settlement(storage::Connection& c, const Services& s, const identity::Actor& actor,
                                             const SettlementRequest& in);

// Money as API.md writes it: {"amount":"12.50","currency":"CNY"}.
nlohmann::json money_json(catalog::Money amount, const std::string& currency);

// The statement as the offboarding record keeps it: money as {"amount","currency"}, each line's
// translatable label and span (ms) for the reader's language, the document's kind (invoice or
// credit_note), id and number.
nlohmann::json settlement_json(const SettlementStatement& statement);

}  // namespace tandem::usecase
