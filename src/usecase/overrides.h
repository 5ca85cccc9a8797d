// DESK-9: intelligent disobedience. Authorised staff break a guarded rule to do the right thing —
// always with a reason code from the provider's list and a justification; each override is a
// timeline event and an audit entry, reported per rule, actor and outcome, and groups of them
// become improvement-register entries for the rule review. Guarded rules so far:
//   sla.first_response | sla.next_update | sla.resolution  {"extend_minutes": N}  (override.sla)
//       N business minutes more for this ticket's target (a breach it covers is undone)
//   workflow.transition       {"to": state}  any state of the ticket's workflow   (override.workflow)
//   workflow.required_fields  {"to": state}  an allowed move without its fields  (override.workflow)
// and, waived as a request is submitted through the catalog (`Waiver`, POST /api/v1/requests):
//   catalog.quota        the request type's quota is reached                         (override.catalog)
//   catalog.eligibility  a tier or requirement an entitlement rule needs is missing  (override.catalog)
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/overrides.h"
#include "storage/tickets.h"
#include "usecase/context.h"

namespace tandem::usecase {

struct OverrideInput {
  std::string rule;
  std::string target_id;
  std::string reason_code;
  std::string justification;
  std::optional<std::string> to;               // workflow rules
  std::optional<std::int64_t> extend_minutes;  // sla rules
};

struct OverrideView {
  storage::Override stored;
  // How the case stands now: an SLA rule's target state (ok, warning, breached, met, or none when
  // no policy applies), a workflow rule's ticket status category (open, waiting, resolved, closed).
  std::string outcome;
};

struct OverrideReport {
  storage::Page<OverrideView> page;
  // Over the newest kSummaryLimit overrides matching the filter.
  std::map<std::string, int> by_rule, by_actor, by_reason, by_outcome;
  int summarised = 0;
};
constexpr int kSummaryLimit = 5000;

Result<OverrideView> create_override(const Services& s, const identity::Actor& actor, const OverrideInput& in);

// A catalog rule waived for one request: checked before the write (the rule, the actor's right
// to it, the reason code, the justification), then recorded as an override of the ticket the
// request became — the override row, its internal timeline event and an audit entry.
struct Waiver {
  std::string rule;  // catalog.quota or catalog.eligibility
  std::string reason_code;
  std::string justification;
};
Result<void> check_waiver(const Services& s, const identity::Actor& actor, const Waiver& waiver);
// The override a waiver makes on ticket `t`, `details` a JSON object of what it let through.
storage::Override waiver_override(const Services& s, const identity::Actor& actor, const Waiver& waiver, const storage::Ticket& t,
                                  std::string details);
Result<OverrideReport> override_report(const Services& s, const identity::Actor& actor, const storage::OverrideFilter& filter,
                                       const storage::PageRequest& page);

// The reason codes overrides may give (staff read them; administrators set them).
struct ReasonCodes {
  std::vector<std::string> codes;
  std::int64_t version = 1;  // 1: the defaults, never saved
};
Result<ReasonCodes> override_reason_codes(const Services& s, const identity::Actor& actor);
Result<ReasonCodes> set_override_reason_codes(const Services& s, const identity::Actor& actor, const std::vector<std::string>& codes,
                                              std::int64_t expected_version);

// The improvement register: an administrator turns a group of overrides into an entry.
struct ImprovementInput {
  std::optional<std::string> title, description, status;
  std::vector<std::string> override_ids;  // on creation
};
struct ImprovementView {
  storage::Improvement stored;
  std::vector<std::string> override_ids;
};
Result<ImprovementView> create_improvement(const Services& s, const identity::Actor& actor, const ImprovementInput& in);
Result<storage::Page<ImprovementView>> list_improvements(const Services& s, const identity::Actor& actor,
                                                         const storage::PageRequest& page);
Result<ImprovementView> get_improvement(const Services& s, const identity::Actor& actor, std::string_view id);
Result<ImprovementView> update_improvement(const Services& s, const identity::Actor& actor, std::string_view id,
                                           std::int64_t expected_version, const ImprovementInput& patch);

}  // namespace tandem::usecase
