// DESK-11: charges and monthly invoices. A priced catalog request becomes a charge line when it
// is submitted (voided if it ends rejected or cancelled); usage posted through the API (a
// booking) becomes one priced by the tier its holder held then. `run_invoices` builds each
// organisation's draft invoice of a month — tier fees prorated to the part of the month held,
// and every charge up to the month's end not yet invoiced (one recorded late for an issued
// month goes on the next) — again on every run until the invoice is issued, which numbers it
// and freezes it. Months are run in order. Money is decimal throughout (catalog::Money).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/billing/invoice.h"
#include "domain/catalog/localized_text.h"
#include "storage/billing.h"
#include "storage/tickets.h"
#include "usecase/context.h"

namespace tandem::usecase {

// The charge of a priced request, for the user it is for; none when it is free.
std::optional<storage::Charge> request_charge(const Services& s, const storage::Ticket& t,
                                              const std::string& request_type_id,
                                              const catalog::LocalizedText& name,
                                              catalog::Money price,
                                              const std::string& beneficiary_id);

struct NewUsage {
  std::string organization_id;
  std::optional<std::string> user_id;  // a user of the organisation, when the usage was theirs
  std::string kind;                    // as the tiers price it, e.g. "booking"
  std::int64_t quantity = 1;
  std::optional<std::int64_t> occurred_at;  // default now
  std::optional<std::string> reference;     // the sender's id: recorded once per organisation
};
// A usage record's charge: the quantity at the lowest price any tier held then (by the
// organisation, or the user) sets for the kind. invalid_argument when none prices it; conflict
// when the reference was recorded already.
Result<storage::Charge> record_usage(const Services& s, const identity::Actor& actor,
                                     const NewUsage& in);
Result<storage::Page<storage::Charge>> list_charges(const Services& s, const identity::Actor& actor,
                                                    const storage::charges::Filter& filter,
                                                    const storage::PageRequest& page);

struct InvoiceRun {
  billing::Period period;
  std::vector<storage::Invoice> drafts;  // built by this run, with their lines
  std::vector<storage::Invoice> issued;  // already issued for the period: left as they are
  std::int64_t removed = 0;              // drafts of organisations that owe nothing now
};
// POST /api/v1/invoices/run?period=YYYY-MM, for a month that has begun.
Result<InvoiceRun> run_invoices(const Services& s, const identity::Actor& actor,
                                const std::string& period);
Result<storage::Invoice> get_invoice(const Services& s, const identity::Actor& actor,
                                     std::string_view id);
Result<storage::Page<storage::Invoice>> list_invoices(const Services& s,
                                                      const identity::Actor& actor,
                                                      const storage::invoices::Filter& filter,
                                                      const storage::PageRequest& page);
// A draft becomes issued with the next number; conflict once issued.
Result<storage::Invoice> issue_invoice(const Services& s, const identity::Actor& actor,
                                       std::string_view id, std::int64_t expected_version);

}  // namespace tandem::usecase
