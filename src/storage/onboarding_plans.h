// ONB-2, ONB-3, ONB-4: onboarding plans, their timelines, and the live figures their objectives
// are measured on. A plan is read and written whole (its actions are one JSON list) under its
// version. Reads are scoped: staff see every plan, a customer their organisation's, anyone else
// the plans that name them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/scope.h"

namespace tandem::storage {

struct OnboardingPlan {
  std::string id;
  std::string template_id;
  std::string organization_id;
  std::optional<std::string> user_id;
  std::string scenario;
  std::string status = "draft";
  std::string definition = "{}";  // the template as it was: name, method, checklist, objectives, scope
  std::string actions = "[]";     // each with id, key, …, owner_id, due, status
  std::optional<std::string> calendar_id;
  std::string start_date;  // YYYY-MM-DD
  std::optional<std::string> accepted_by;
  std::optional<std::int64_t> accepted_at;
  std::optional<std::int64_t> accepted_version;  // the plan's version the customer agreed to
  std::optional<std::string> review;              // ONB-5: JSON object, once reviewed
  std::string created_by;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

std::string canonical(const OnboardingPlan& plan);

// What made one version of a plan: each change of a plan makes one event.
struct PlanEvent {
  std::string id;
  std::string plan_id;
  std::int64_t plan_version = 1;
  std::string kind;  // created, adapted, accepted, action_moved, status_changed, reviewed
  std::string actor_id;
  std::optional<std::string> action_id;
  std::string data = "{}";
  std::int64_t created_at = 0;
};

struct PlanFilter {
  std::optional<std::string> organization_id;
  std::optional<std::string> status;
};

// The people an objective measures and what they did.
struct FirstDays {
  std::int64_t people = 0;
  std::int64_t tickets = 0;
};
struct FirstContact {
  std::int64_t resolved = 0;
  std::int64_t first_contact = 0;
};

// ONB-4: a plan's objectives as last measured (a JSON list, one entry per objective).
struct ObjectiveReadings {
  std::string readings = "[]";
  std::int64_t measured_at = 0;
};

namespace onboarding_plans {
Result<void> insert(Connection& c, const OnboardingPlan& plan);
Result<std::optional<OnboardingPlan>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock = Lock::none);
// Newest first.
Result<Page<OnboardingPlan>> list(Connection& c, const Scope& scope, const PlanFilter& filter, const PageRequest& page);
// failed_precondition when the stored version is not `plan.version - 1`.
Result<void> update(Connection& c, const OnboardingPlan& plan);

Result<std::optional<ObjectiveReadings>> readings(Connection& c, std::string_view plan_id);
// Kept unless newer readings are kept already (two measurements racing: the later one stays).
Result<void> save_readings(Connection& c, std::string_view plan_id, const ObjectiveReadings& r);
// Plans not reviewed yet whose objectives were never measured or last measured before `before`
// (ms), the longest waiting first. Unscoped: the background beat's.
Result<std::vector<std::string>> to_measure(Connection& c, std::int64_t before, int limit);

Result<void> append_event(Connection& c, const PlanEvent& event);
// Oldest first; the cursor is the plan version of the last event read.
Result<Page<PlanEvent>> events(Connection& c, std::string_view plan_id, const PageRequest& page);

// ONB-4, over the organisation's people (or the one person of a user's plan): how many there are
// and how many tickets they raised in their first `days` days — counted from when they joined or
// from `start` (ms), whichever is later.
Result<FirstDays> first_days(Connection& c, std::string_view organization_id, const std::optional<std::string>& user_id,
                             std::int64_t start, int days);
// ONB-4: of their tickets raised since `start` and resolved, those resolved at the first contact:
// never reopened and answered by the provider's people at most once.
Result<FirstContact> first_contact(Connection& c, std::string_view organization_id, const std::optional<std::string>& user_id,
                                   std::int64_t start);
}  // namespace onboarding_plans

}  // namespace tandem::storage
