// DESK-3: SLA policies — which agreed timeframes apply to a ticket. Policies are ordered; the
// first whose conditions all hold applies. A condition left empty holds for every ticket.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/identity/identity.h"
#include "domain/sla/clock.h"
#include "domain/tickets/ticket.h"

namespace tandem::sla {

struct PolicyConditions {
  // Each list, when not empty, must hold the ticket's value.
  std::vector<tickets::Type> types;
  std::vector<tickets::Channel> channels;
  std::vector<std::string> service_ids;
  std::vector<std::string> organization_ids;
  std::vector<std::string> tier_ids;  // any of these offering tiers held by the ticket's organisation or user (ONB-6)
  std::vector<std::string> request_type_ids;  // raised through one of these catalog request types (DESK-5)
  std::vector<tickets::Priority> priorities;
  std::vector<tickets::Level> impacts;
  std::vector<identity::UserFlag> user_flags;  // any of them on the affected user (REL-6)
  std::optional<bool> vulnerable;              // the affected user has (true) or lacks (false) a REL-6 flag of vulnerability
  // The ticket was raised outside the working time of this calendar (a night or weekend policy).
  std::optional<std::string> raised_outside_hours_of;
};

// What happens when a target of a ticket reaches its warning threshold or is breached.
struct Escalation {
  enum class Action { notify, reassign, raise_priority };
  TargetState at = TargetState::breached;  // warning or breached
  std::optional<Metric> metric;            // none: any target
  Action action = Action::notify;          // notify: the assignee and the team's lead
  std::optional<std::string> team_id;      // reassign: to this team, unassigned
};
std::string_view to_string(Escalation::Action action);
std::optional<Escalation::Action> parse_escalation_action(std::string_view text);

struct Policy {
  std::string id;
  std::string name;
  std::string calendar_id;
  PolicyConditions when;
  ClockTerms terms;
  std::vector<Escalation> escalations;
};

struct PolicyFacts {
  tickets::Type type = tickets::Type::incident;
  tickets::Channel channel = tickets::Channel::portal;
  std::optional<std::string> service_id;
  std::string organization_id;
  tickets::Priority priority = tickets::Priority::medium;
  tickets::Level impact = tickets::Level::medium;
  std::vector<identity::UserFlag> user_flags;
  Time raised_at;
  std::vector<std::string> tier_ids;  // held by the organisation or the affected user when raised
  std::optional<std::string> request_type_id;  // the catalog request type it was raised through
};

// Whether the calendar with the id is working at the instant; false for an unknown calendar.
using OpenAt = std::function<bool(const std::string& calendar_id, Time at)>;

// The first of `policies` (active ones, in order) whose conditions hold; nullptr for none.
const Policy* match_policy(std::span<const Policy> policies, const PolicyFacts& ticket, const OpenAt& open_at);

// The same question for many items that differ only in their service and request type (a
// catalog page): the policies whose other conditions hold for `common` are found once, and each
// item then asks only about its own two. `policies` must outlive the shortlist.
class PolicyShortlist {
 public:
  PolicyShortlist(std::span<const Policy> policies, const PolicyFacts& common, const OpenAt& open_at);
  // match_policy's answer for `common` raised with this service and request type.
  const Policy* first_for(std::optional<std::string_view> service_id, std::optional<std::string_view> request_type_id) const;

 private:
  std::vector<const Policy*> candidates_;
};

}  // namespace tandem::sla
