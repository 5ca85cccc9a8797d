// ONB-2, ONB-3, ONB-4: onboarding plans. A relationship manager makes one from a template for one
// of the eight scenarios, for an organisation and perhaps one of its people; each action is due
// its offset after the start, on a day the plan's calendar works. The plan may be adapted while it
// is a draft — adapting an accepted plan makes it a draft again — and the organisation's customer
// accepts it (who, when, which version). Both sides then work their own side's actions, each in
// the lifecycle of plans.txt, never before what it depends on; every change lands on the plan's
// timeline and the audit log. The objectives report their live value from the desk's data.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/onboarding/plan.h"
#include "storage/onboarding_plans.h"
#include "usecase/context.h"

namespace tandem::usecase {

struct PlanInput {
  std::string template_id;
  std::string organization_id;
  std::optional<std::string> user_id;  // required for new_user and existing_user_new_services
  std::string scenario;
  std::string start_date;                  // YYYY-MM-DD; the past is allowed (a migration recorded late)
  std::optional<std::string> calendar_id;  // whose working days set the due dates; the provider's first otherwise
  std::string start_trigger;               // what starts the plan ("the contract is signed"); free text
  std::string end_criterion;               // when it is over ("every member has booked once"); free text
};

// ONB-4: an objective with its live value: none while nothing it measures has happened yet (no
// ticket resolved, no person onboarded) or while what it reads is not recorded — `basis` says
// which, or what the value was computed from.
struct ObjectiveReading {
  onboarding::Objective objective;
  std::optional<double> value;
  bool met = false;
  bool recorded = true;  // false while what it reads is not recorded at all
  std::map<std::string, std::int64_t> counts;  // what the value was computed from, by name
  std::string basis;                           // the same in words (English), for API readers
};

struct PlanView {
  storage::OnboardingPlan stored;
  onboarding::Template tmpl;  // as it was when instantiated, its actions those of the plan
  std::string start_trigger, end_criterion;
  std::vector<onboarding::PlanAction> actions;
  date::sys_days today{};  // in the plan's calendar: what is overdue is judged against it
  onboarding::Progress progress;
  std::map<std::string, std::string> people;  // names of owners and of who accepted, by id
  std::vector<ObjectiveReading> objectives;   // read for one plan, not for lists
  std::int64_t objectives_measured_at = 0;    // ms; when the objectives were last measured
};

Result<PlanView> create_plan(const Services& s, const identity::Actor& actor, const PlanInput& in);

// ONB-4: a plan shows its objectives as last measured: when it is made, then by a background beat
// once the readings are this old — so reading a plan never waits for a count over every ticket
// of a large organisation. A plan under review keeps what it recorded.
inline constexpr std::int64_t kObjectivesFreshForMs = 5 * 60 * 1000;
// Measures the objectives of up to `limit` plans not reviewed yet whose readings are older than
// kObjectivesFreshForMs (or missing), the longest waiting first; how many. Each is measured in a
// read and kept in a short write, so several nodes may run it (at worst both measure a plan; the
// later measurement is kept).
struct ObjectiveBeat {
  int taken = 0;     // plans due (a full batch: run again at once)
  int measured = 0;
  std::vector<std::string> failures;  // "<plan id>: <why>", each skipped until its next turn
};
Result<ObjectiveBeat> measure_plan_objectives(const Services& s, int limit = 20);
Result<storage::Page<PlanView>> list_plans(const Services& s, const identity::Actor& actor, const storage::PlanFilter& filter,
                                           const storage::PageRequest& page);
Result<PlanView> get_plan(const Services& s, const identity::Actor& actor, std::string_view id);
// PATCH: `actions_json` is the plan's whole new list of actions. An entry with the `id` of one of
// its actions changes that action (fields left out stay; `due` sets the day itself), one without
// adds an action, and an action left out is taken off the plan.
Result<PlanView> adapt_plan(const Services& s, const identity::Actor& actor, std::string_view id, std::int64_t expected_version,
                            const std::string& actions_json);
Result<PlanView> accept_plan(const Services& s, const identity::Actor& actor, std::string_view id);
Result<PlanView> move_plan_action(const Services& s, const identity::Actor& actor, std::string_view plan_id, std::string_view action_id,
                                  std::string_view to);
// ONB-5: the review that closes a plan under way or completed. What was not finished is listed
// as open items, the objectives' values kept as they were, and each improvement becomes an entry
// of the improvement register (DESK-9) named after the plan.
struct ImprovementIdea {
  std::string title;
  std::string description;
};
struct PlanReviewInput {
  std::optional<double> users_satisfaction;     // 1..5, as the users said
  std::optional<double> customer_satisfaction;  // 1..5, as the customer said
  std::vector<std::string> open_errors;         // known errors still open
  std::string risk_assessment;
  std::string summary;
  std::vector<ImprovementIdea> improvements;
};
Result<PlanView> review_plan(const Services& s, const identity::Actor& actor, std::string_view id, const PlanReviewInput& in);

// The plan's timeline, with the names of who acted (both sides of a plan see them).
struct PlanTimeline {
  storage::Page<storage::PlanEvent> page;
  std::map<std::string, std::string> people;  // by id
};
Result<PlanTimeline> plan_timeline(const Services& s, const identity::Actor& actor, std::string_view id,
                                   const storage::PageRequest& page);

}  // namespace tandem::usecase
