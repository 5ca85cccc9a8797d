// ONB-2, ONB-3: an onboarding plan made from a template for one of the eight scenarios — its
// actions' due dates from the start date in the organisation's working days, the customer's
// acceptance, and how the plan and its actions move (plans.txt: the moves are data). Pure: the
// use case keeps plans, reads calendars and notifies owners.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>

#include "core/error.h"
#include "domain/onboarding/template.h"

namespace tandem::onboarding {

enum class Scenario {
  new_organization,
  new_customer_existing_org,
  existing_customer_new_services,
  migration_from_provider,
  new_user,
  existing_user_new_services,
  version_switch,
  service_migration,
};
std::optional<Scenario> parse_scenario(std::string_view text);
std::string_view to_string(Scenario s);
// The scenarios about one person: their plans name the user.
bool about_a_user(Scenario s);

enum class PlanStatus { draft, accepted, in_progress, completed, reviewed };
std::optional<PlanStatus> parse_plan_status(std::string_view text);
std::string_view to_string(PlanStatus s);

enum class ActionStatus { open, in_progress, done, dropped };
std::optional<ActionStatus> parse_action_status(std::string_view text);
std::string_view to_string(ActionStatus s);

// Who moves a plan: the organisation's customer, the provider's staff, or the plan's own progress
// as its actions move.
enum class PlanMover { customer, provider, progress };

class Lifecycle {
 public:
  // Reads a table in the syntax of plans.txt; errors name the line.
  static Result<Lifecycle> parse(std::string_view table);
  static const Lifecycle& builtin();

  bool plan_may_move(PlanStatus from, PlanStatus to, PlanMover by) const;
  bool action_may_move(ActionStatus from, ActionStatus to) const;
  bool finished(ActionStatus s) const { return finished_.contains(s); }

 private:
  std::set<std::tuple<PlanStatus, PlanStatus, PlanMover>> plan_moves_;
  std::set<std::pair<ActionStatus, ActionStatus>> action_moves_;
  std::set<ActionStatus> finished_;
};

// ONB-2: an action is due `offset_days` after the start, moved on to the next day the
// organisation works when that day is not one (a weekend, a holiday).
using WorksOn = std::function<bool(date::sys_days)>;
date::sys_days due_date(date::sys_days start, int offset_days, const WorksOn& works_on);

// One action of a plan as the rules see it.
struct ActionState {
  std::string key;
  ActionStatus status = ActionStatus::open;
  std::vector<std::string> depends_on;  // keys
};

// Whether `actions[index]` may move to `to` in a plan that is `plan`: the plan must be accepted
// (or under way), the move must be one of the lifecycle's (409 "action_move_not_allowed"), and
// `done` waits for every dependency to be finished (409 "dependency_open", naming them).
Result<void> check_action_move(const Lifecycle& life, PlanStatus plan, std::span<const ActionState> actions, std::size_t index,
                               ActionStatus to);

// The plan's status once its actions are as given: work under way once any action left `open`;
// completed when every action is finished and at least one done; back under way when that stops
// being so. Draft and reviewed plans stay as they are.
PlanStatus status_after(const Lifecycle& life, PlanStatus plan, std::span<const ActionState> actions);

// One action of a plan: what it asks (from the template, or as the plan was adapted), the person
// who owns it when one is known, when it is due, and where it stands.
struct PlanAction {
  std::string id;
  ActionTemplate what;
  std::optional<std::string> owner_id;
  date::sys_days due{};
  ActionStatus status = ActionStatus::open;
};
std::vector<ActionState> states_of(std::span<const PlanAction> actions);

// Unfinished work whose due day is before `today` (the organisation's day, not the server's).
bool overdue(const Lifecycle& life, const PlanAction& action, date::sys_days today);

// A dropped action is no longer part of the work: it counts in neither number.
struct Progress {
  int done = 0;
  int total = 0;
};
Progress progress(std::span<const ActionState> actions);

}  // namespace tandem::onboarding
