// DESK-3: managing SLA policies (administrators; staff read them), and the agreed timeframes
// in force — policies and the calendars they use — for reading tickets' clocks. A policy
// travels as the contract of issue 4:
//   {"name", "calendar_id", "order", "active",
//    "conditions": {"type": [...], "channel": [...], "service_id": [...], "organization_id": [...],
//                   "priority": [...], "impact": [...], "user_flags": [...], "vulnerable": bool,
//                   "raised_outside_hours_of": "<calendar id>"},
//    "targets": {"first_response": 60, "next_update": 240, "resolution": 480},  business minutes
//    "pause_statuses": ["waiting_for_user"], "warn_at": 0.75}
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/sla/policy.h"
#include "storage/definitions.h"
#include "usecase/context.h"

namespace tandem::usecase {

struct PolicyView {
  storage::StoredDefinition stored;  // position is the order; definition the canonical JSON
  sla::Policy policy;
};

struct PolicyInput {
  std::optional<std::string> name;
  std::optional<std::int64_t> order;
  std::optional<bool> active;
  // A JSON object with the definition fields given: calendar_id, conditions, targets,
  // pause_statuses, warn_at (all for a create, some for a patch).
  std::string fields_json = "{}";
};

Result<PolicyView> create_sla_policy(const Services& s, const identity::Actor& actor, const PolicyInput& in);
Result<std::vector<PolicyView>> list_sla_policies(const Services& s, const identity::Actor& actor);
Result<PolicyView> get_sla_policy(const Services& s, const identity::Actor& actor, std::string_view id);
Result<PolicyView> update_sla_policy(const Services& s, const identity::Actor& actor, std::string_view id,
                                     std::int64_t expected_version, const PolicyInput& patch);
// conflict while a ticket's clock runs under it: deactivate it instead.
Result<void> delete_sla_policy(const Services& s, const identity::Actor& actor, std::string_view id);
// The name of a policy that counts in the calendar or names it in a condition, if any.
Result<std::optional<std::string>> policy_using_calendar(storage::Connection& c, std::string_view calendar_id);

// The agreed timeframes in force.
struct Timeframes {
  std::vector<sla::Policy> active;  // in order, for matching
  std::map<std::string, sla::Policy, std::less<>> every;  // by id: a ticket keeps reading its policy when inactive
  std::map<std::string, sla::Calendar, std::less<>> calendars;  // by id, those the policies use
  bool uses_tiers = false;  // an active policy's conditions name offering tiers: matching reads subscriptions
  bool uses_request_types = false;  // … or catalog request types: matching reads the ticket's request
  const sla::Calendar* calendar(std::string_view id) const;
};

// Kept between requests while the definitions' fingerprint holds (one small query); right
// whichever process or node changed them.
Result<std::shared_ptr<const Timeframes>> current_timeframes(const Services& s);

}  // namespace tandem::usecase
