// OFF-1, OFF-4: a person's offboarding as a runbook with a record. The provider's administrators
// and relationship managers, or the organisation's customer (and so its identity provider, which
// acts as the customer: SCIM active false starts one), start it with a reason; access ends at
// once, or at `effective_at` (a background beat ends it then). The record lists what was found —
// open tickets, assets held — and each step is marked done by someone, doing its part:
//   communicate    the message to the person, in their language, is kept on the record;
//   open_work      every open ticket of theirs is handed to a representative (by default the
//                  organisation's customer), or the step is refused while there is none; a member
//                  of staff's assigned tickets go to the colleague named, or back to the queue;
//   assets         refused while they still hold one;
//   revoke_access  sessions, tokens and subscriptions end, the account is deactivated; a member
//                  holding a tier of their own is settled (OFF-2, usecase/settlement.h);
//   archive        what the retention policy keeps (by default nothing personal);
//   thank_you      the thank-you, in their language, on the record;
//   erase          once all of the above are done: what is personal goes for good
//                  (storage/erasure.h), and what they passed of training is kept only under a
//                  keyed pseudonym of their e-mail, so a returning person keeps it (OFF-4);
//   record         last: the record is complete.
// Every step is audited; the audit chain keeps ids and digests only, so it verifies after erasure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/catalog/money.h"
#include "storage/offboardings.h"
#include "storage/person_archives.h"
#include "usecase/context.h"

namespace tandem::usecase {

struct OffboardingStart {
  std::string reason;
  std::optional<std::int64_t> effective_at;  // ms; now when absent or past
};
Result<storage::Offboarding> start_user_offboarding(const Services& s, const identity::Actor& actor, std::string_view user_id,
                                                    const OffboardingStart& in);
// OFF-2: an organisation's offboarding, by the provider's administrators and relationship
// managers (its customer may not end the contract from the portal). At the start (or at
// `effective_at`) every person of the organisation is offboarded — each gets their own record,
// their access ends — and every subscription ends; the record shows the settlement as things
// stand. Its steps:
//   users       anyone still active (added since) is offboarded too;
//   notify      the notice to the organisation's customers, in their language, on the record;
//   settlement  issued: the final invoice or credit note (usecase/settlement.h), with the exit
//               payments given at the start;
//   export      the organisation's data stays available to download until the record closes;
//   record      last: the record is complete.
struct OrganizationOffboardingStart {
  std::string reason;
  std::optional<std::int64_t> effective_at;
  struct ExitPayment {
    std::string description;
    std::string amount;  // decimal; negative: owed to the customer
  };
  std::vector<ExitPayment> exit_payments;
};
Result<storage::Offboarding> start_organization_offboarding(const Services& s, const identity::Actor& actor,
                                                            std::string_view organization_id, const OrganizationOffboardingStart& in);

// OFF-4: before a person leaves from the portal, what they could keep instead — for each tier
// they hold themselves, the cheaper tiers of the same offering (the car-share story: students
// move to the tier without a monthly fee for the summer instead of leaving), cheapest first.
struct CheaperTier {
  std::string subscription_id;
  std::string current_tier_id, tier_id;
  std::string current_name, name;  // stored translatable text (JSON)
  catalog::Money current_fee, monthly_fee;
};
Result<std::vector<CheaperTier>> offers_before_leaving(const Services& s, const identity::Actor& actor);
// OFF-1: a person of a customer organisation leaves by themselves: their offboarding starts and
// their access ends at once (this answer is the last their session gets). Staff leave through
// the provider's own offboarding. conflict `offboarding_open` when one is under way.
Result<storage::Offboarding> leave_by_oneself(const Services& s, const identity::Actor& actor, const std::string& reason);

Result<storage::Offboarding> get_offboarding(const Services& s, const identity::Actor& actor, std::string_view id);
Result<storage::Page<storage::Offboarding>> list_offboardings(const Services& s, const identity::Actor& actor,
                                                              const storage::OffboardingFilter& filter,
                                                              const storage::PageRequest& page);

struct StepCompletion {
  std::string to;                           // done
  std::optional<std::string> handover_to;   // open_work: who takes the open tickets
  std::string note;
};
Result<storage::Offboarding> finish_offboarding_step(const Services& s, const identity::Actor& actor, std::string_view id,
                                                     std::string_view key, const StepCompletion& in);

// The contact details the retention policy kept aside at the record's archive step, while they
// are kept (usecase/retention.h); not_found when none are. For those who may manage offboardings.
Result<storage::PersonArchive> offboarding_archive(const Services& s, const identity::Actor& actor, std::string_view id);

// Someone reactivated while their offboarding was under way (and not erased) came back: the open
// record, if any, is marked cancelled (audited) inside the caller's write.
Result<void> cancel_offboarding_of(storage::Connection& c, const Services& s, const identity::Actor& actor,
                                   const std::string& user_id);

// Ends the access of up to `limit` people whose offboarding's effective time has come; how many.
// Safe on several nodes: each record is changed under its version.
Result<int> end_due_access(const Services& s, int limit = 50);

// OFF-4: the keyed pseudonym of an e-mail address in an organisation (HMAC-SHA-256 under the
// installation's secret, kept in the store so that every node computes the same). The
// organisation is part of it: a person is recognised when they re-join the same organisation,
// and no other organisation learns what they did before.
Result<std::string> member_pseudonym(storage::Connection& c, std::string_view organization_id, std::string_view email);
// OFF-4: a person who re-joins their organisation with the address of someone who left gets back
// the training passes remembered under its pseudonym (still counted only while the training's
// content is the same); the pseudonym is then forgotten. Audited.
Result<int> restore_former_member(storage::Connection& c, const Services& s, const std::string& user_id,
                                  const std::string& organization_id, std::string_view email);

}  // namespace tandem::usecase
