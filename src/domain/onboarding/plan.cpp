#include "domain/onboarding/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>

#include "core/table.h"
#include "domain/onboarding/names.h"

namespace tandem::domain_data {
const std::map<std::string, std::string_view>& embedded_files();
}

namespace tandem::onboarding {
namespace {

constexpr std::array<std::pair<Scenario, std::string_view>, 8> kScenarios = {
    {{Scenario::new_organization, "new_organization"},
     {Scenario::new_customer_existing_org, "new_customer_existing_org"},
     {Scenario::existing_customer_new_services, "existing_customer_new_services"},
     {Scenario::migration_from_provider, "migration_from_provider"},
     {Scenario::new_user, "new_user"},
     {Scenario::existing_user_new_services, "existing_user_new_services"},
     {Scenario::version_switch, "version_switch"},
     {Scenario::service_migration, "service_migration"}}};
constexpr std::array<std::pair<PlanStatus, std::string_view>, 5> kPlanStatuses = {{{PlanStatus::draft, "draft"},
                                                                                   {PlanStatus::accepted, "accepted"},
                                                                                   {PlanStatus::in_progress, "in_progress"},
                                                                                   {PlanStatus::completed, "completed"},
                                                                                   {PlanStatus::reviewed, "reviewed"}}};
constexpr std::array<std::pair<ActionStatus, std::string_view>, 4> kActionStatuses = {{{ActionStatus::open, "open"},
                                                                                       {ActionStatus::in_progress, "in_progress"},
                                                                                       {ActionStatus::done, "done"},
                                                                                       {ActionStatus::dropped, "dropped"}}};
constexpr std::array<std::pair<PlanMover, std::string_view>, 3> kMovers = {
    {{PlanMover::customer, "customer"}, {PlanMover::provider, "provider"}, {PlanMover::progress, "progress"}}};

Error at_line(int line, std::string text) { return Error(Code::invalid_argument, fmt::format("plans line {}: {}", line, text)); }

}  // namespace

std::optional<Scenario> parse_scenario(std::string_view text) { return names::parse(kScenarios, text); }
std::string_view to_string(Scenario s) { return names::of(kScenarios, s); }
bool about_a_user(Scenario s) { return s == Scenario::new_user || s == Scenario::existing_user_new_services; }
std::optional<PlanStatus> parse_plan_status(std::string_view text) { return names::parse(kPlanStatuses, text); }
std::string_view to_string(PlanStatus s) { return names::of(kPlanStatuses, s); }
std::optional<ActionStatus> parse_action_status(std::string_view text) { return names::parse(kActionStatuses, text); }
std::string_view to_string(ActionStatus s) { return names::of(kActionStatuses, s); }

Result<Lifecycle> Lifecycle::parse(std::string_view table) {
  Lifecycle life;
  TRY(for_each_table_line(table, [&](int line, const std::vector<std::string>& w) -> Result<void> {
    if (w[0] == "plan") {
      if (w.size() < 6 || w[2] != "->" || w[4] != "by") return fail(at_line(line, "expected: plan <from> -> <to> by <mover> ..."));
      auto from = parse_plan_status(w[1]), to = parse_plan_status(w[3]);
      if (!from || !to) return fail(at_line(line, "unknown plan status"));
      for (std::size_t i = 5; i < w.size(); ++i) {
        auto mover = names::parse(kMovers, w[i]);
        if (!mover) return fail(at_line(line, "unknown mover " + w[i]));
        life.plan_moves_.emplace(*from, *to, *mover);
      }
      return {};
    }
    if (w[0] == "action" && w.size() >= 3 && w[1] == "finished") {
      for (std::size_t i = 2; i < w.size(); ++i) {
        auto s = parse_action_status(w[i]);
        if (!s) return fail(at_line(line, "unknown action status " + w[i]));
        life.finished_.insert(*s);
      }
      return {};
    }
    if (w[0] == "action") {
      if (w.size() != 4 || w[2] != "->") return fail(at_line(line, "expected: action <from> -> <to>"));
      auto from = parse_action_status(w[1]), to = parse_action_status(w[3]);
      if (!from || !to) return fail(at_line(line, "unknown action status"));
      life.action_moves_.emplace(*from, *to);
      return {};
    }
    return fail(at_line(line, "a line starts with plan or action"));
  }));
  if (life.finished_.empty()) return fail(Code::invalid_argument, "plans: no finished action status");
  return life;
}

const Lifecycle& Lifecycle::builtin() {
  static const Lifecycle table = [] {
    auto parsed = parse(tandem::domain_data::embedded_files().at("onboarding/plans.txt"));
    if (!parsed) std::abort();  // a build that ships a broken table must not start; tests catch it first
    return *parsed;
  }();
  return table;
}

bool Lifecycle::plan_may_move(PlanStatus from, PlanStatus to, PlanMover by) const { return plan_moves_.contains({from, to, by}); }
bool Lifecycle::action_may_move(ActionStatus from, ActionStatus to) const { return action_moves_.contains({from, to}); }

date::sys_days due_date(date::sys_days start, int offset_days, const WorksOn& works_on) {
  auto day = start + date::days(offset_days);
  // A calendar that works on no day at all must not hang the plan: a year on is far enough.
  for (int i = 0; i < 366 && !works_on(day); ++i) day += date::days(1);
  return day;
}

Result<void> check_action_move(const Lifecycle& life, PlanStatus plan, std::span<const ActionState> actions, std::size_t index,
                               ActionStatus to) {
  const auto& action = actions[index];
  if (plan == PlanStatus::draft)
    return fail(Error(Code::conflict, "The plan is not accepted yet: the customer accepts it before work starts.",
                      "plan_not_accepted"));
  if (plan == PlanStatus::reviewed)
    return fail(Error(Code::conflict, "The plan is reviewed and closed.", "plan_reviewed"));
  if (!life.action_may_move(action.status, to))
    return fail(Error(Code::conflict,
                      fmt::format("An action that is {} cannot become {}.", to_string(action.status), to_string(to)),
                      "action_move_not_allowed"));
  if (to != ActionStatus::done) return {};
  std::vector<std::string> open;
  for (const auto& key : action.depends_on) {
    auto dep = std::ranges::find(actions, key, &ActionState::key);
    if (dep != actions.end() && !life.finished(dep->status)) open.push_back(key);
  }
  if (open.empty()) return {};
  Error e(Code::conflict, "This action depends on actions that are not finished yet.", "dependency_open");
  for (const auto& key : open) e.details.push_back({"depends_on", key});
  return fail(std::move(e));
}

PlanStatus status_after(const Lifecycle& life, PlanStatus plan, std::span<const ActionState> actions) {
  bool all_finished = !actions.empty(), any_done = false, any_moved = false;
  for (const auto& a : actions) {
    all_finished = all_finished && life.finished(a.status);
    any_done = any_done || a.status == ActionStatus::done;
    any_moved = any_moved || a.status != ActionStatus::open;
  }
  auto wanted = plan;
  if (all_finished && any_done) wanted = PlanStatus::completed;
  else if (any_moved) wanted = PlanStatus::in_progress;
  if (wanted == plan) return plan;
  // Only the moves the table lets a plan's progress make, directly or through being under way
  // (an accepted plan whose one action is done at once): a draft or a reviewed plan stays.
  if (life.plan_may_move(plan, wanted, PlanMover::progress)) return wanted;
  if (life.plan_may_move(plan, PlanStatus::in_progress, PlanMover::progress) &&
      life.plan_may_move(PlanStatus::in_progress, wanted, PlanMover::progress))
    return wanted;
  return plan;
}

std::vector<ActionState> states_of(std::span<const PlanAction> actions) {
  std::vector<ActionState> out;
  out.reserve(actions.size());
  for (const auto& a : actions) out.push_back({a.what.key, a.status, a.what.depends_on});
  return out;
}

bool overdue(const Lifecycle& life, const PlanAction& action, date::sys_days today) {
  return !life.finished(action.status) && action.due < today;
}

Progress progress(std::span<const ActionState> actions) {
  Progress p;
  for (const auto& a : actions) {
    if (a.status == ActionStatus::dropped) continue;
    ++p.total;
    if (a.status == ActionStatus::done) ++p.done;
  }
  return p;
}

}  // namespace tandem::onboarding
