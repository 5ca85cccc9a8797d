#include "storage/onboarding_plans.h"

#include <fmt/format.h>

#include <charconv>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "id, template_id, organization_id, user_id, scenario, status, definition, actions, calendar_id, start_date, accepted_by, "
    "accepted_at, accepted_version, review, created_by, version, created_at, updated_at";

OnboardingPlan from_row(const Row& r) {
  OnboardingPlan p;
  p.id = r.text(0);
  p.template_id = r.text(1);
  p.organization_id = r.text(2);
  p.user_id = r.maybe_text(3);
  p.scenario = r.text(4);
  p.status = r.text(5);
  p.definition = r.text(6);
  p.actions = r.text(7);
  p.calendar_id = r.maybe_text(8);
  p.start_date = r.text(9);
  p.accepted_by = r.maybe_text(10);
  p.accepted_at = r.maybe_integer(11);
  p.accepted_version = r.maybe_integer(12);
  p.review = r.maybe_text(13);
  p.created_by = r.text(14);
  p.version = r.integer(15);
  p.created_at = r.integer(16);
  p.updated_at = r.integer(17);
  return p;
}

// Staff see every plan; a customer their organisation's; anyone else the plans that name them.
std::string plans_condition(const Scope& scope, std::vector<Value>& params) {
  if (scope.sees_everything()) return "1 = 1";
  params.emplace_back(scope.organization_id());
  if (scope.sees_whole_organization()) return "organization_id = ?";
  params.emplace_back(scope.user_id());
  return "organization_id = ? AND user_id = ?";
}

// The people an objective measures: the organisation's, or the one a user's plan names.
std::string people_condition(std::string_view organization_id, const std::optional<std::string>& user_id, std::vector<Value>& params) {
  params.emplace_back(std::string(organization_id));
  if (!user_id) return "u.organization_id = ?";
  params.emplace_back(*user_id);
  return "u.organization_id = ? AND u.id = ?";
}

}  // namespace

std::string canonical(const OnboardingPlan& p) {
  return fmt::format(
      "onboarding_plan\nid={}\ntemplate={}\norganization={}\nuser={}\nscenario={}\nstatus={}\nstart={}\ncalendar={}\n"
      "accepted_by={}\naccepted_version={}\nactions={}\nreview={}\nversion={}\n",
      p.id, p.template_id, p.organization_id, p.user_id.value_or(""), p.scenario, p.status, p.start_date, p.calendar_id.value_or(""),
      p.accepted_by.value_or(""), p.accepted_version.value_or(0), p.actions, p.review.value_or(""), p.version);
}

namespace onboarding_plans {

Result<void> insert(Connection& c, const OnboardingPlan& p) {
  TRY(c.execute(fmt::format("INSERT INTO onboarding_plans ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kColumns),
                {p.id, p.template_id, p.organization_id, optional_text(p.user_id), p.scenario, p.status, p.definition, p.actions,
                 optional_text(p.calendar_id), p.start_date, optional_text(p.accepted_by), optional_integer(p.accepted_at),
                 optional_integer(p.accepted_version), optional_text(p.review), p.created_by, p.version, p.created_at, p.updated_at}));
  return {};
}

Result<std::optional<OnboardingPlan>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock) {
  std::vector<Value> params{std::string(id)};
  auto where = plans_condition(scope, params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM onboarding_plans WHERE id = ? AND {}{}", kColumns, where,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      params));
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Result<Page<OnboardingPlan>> list(Connection& c, const Scope& scope, const PlanFilter& filter, const PageRequest& page) {
  std::vector<Value> params;
  auto where = plans_condition(scope, params);
  if (filter.organization_id) where += " AND organization_id = ?", params.emplace_back(*filter.organization_id);
  if (filter.status) where += " AND status = ?", params.emplace_back(*filter.status);
  if (!page.after.empty()) where += " AND id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM onboarding_plans WHERE {} ORDER BY id DESC LIMIT ?", kColumns, where),
                                      params));
  std::vector<OnboardingPlan> items;
  for (const auto& r : rows) items.push_back(from_row(r));
  return make_page(std::move(items), page.limit, [](const OnboardingPlan& p) { return p.id; });
}

Result<void> update(Connection& c, const OnboardingPlan& p) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE onboarding_plans SET status = ?, actions = ?, accepted_by = ?, accepted_at = ?, "
                                     "accepted_version = ?, review = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?",
                                     {p.status, p.actions, optional_text(p.accepted_by), optional_integer(p.accepted_at),
                                      optional_integer(p.accepted_version), optional_text(p.review), p.version, p.updated_at, p.id,
                                      p.version - 1}));
  if (n == 0) return fail(Code::failed_precondition, "The plan was changed by someone else; reload it.");
  return {};
}

Result<std::optional<ObjectiveReadings>> readings(Connection& c, std::string_view plan_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT readings, measured_at FROM plan_objective_readings WHERE plan_id = ?", {std::string(plan_id)}));
  if (rows.empty()) return std::nullopt;
  return ObjectiveReadings{rows[0].text(0), rows[0].integer(1)};
}

Result<void> save_readings(Connection& c, std::string_view plan_id, const ObjectiveReadings& r) {
  TRY(c.execute("INSERT INTO plan_objective_readings (plan_id, readings, measured_at) VALUES (?, ?, ?) "
                "ON CONFLICT (plan_id) DO UPDATE SET readings = excluded.readings, measured_at = excluded.measured_at "
                "WHERE plan_objective_readings.measured_at < excluded.measured_at",
                {std::string(plan_id), r.readings, r.measured_at}));
  return {};
}

Result<std::vector<std::string>> to_measure(Connection& c, std::int64_t before, int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT p.id FROM onboarding_plans p LEFT JOIN plan_objective_readings r ON r.plan_id = p.id "
                                      "WHERE p.status <> 'reviewed' AND (r.measured_at IS NULL OR r.measured_at < ?) "
                                      "ORDER BY COALESCE(r.measured_at, 0), p.id LIMIT ?",
                                      {before, std::int64_t(limit)}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

Result<void> append_event(Connection& c, const PlanEvent& e) {
  TRY(c.execute("INSERT INTO onboarding_plan_events (id, plan_id, plan_version, kind, actor_id, action_id, data, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                {e.id, e.plan_id, e.plan_version, e.kind, e.actor_id, optional_text(e.action_id), e.data, e.created_at}));
  return {};
}

Result<Page<PlanEvent>> events(Connection& c, std::string_view plan_id, const PageRequest& page) {
  std::vector<Value> params{std::string(plan_id)};
  std::string where = "plan_id = ?";
  if (!page.after.empty()) {
    std::int64_t after = 0;
    auto [end, ec] = std::from_chars(page.after.data(), page.after.data() + page.after.size(), after);
    if (ec != std::errc() || end != page.after.data() + page.after.size())
      return fail(Code::invalid_argument, "The cursor is not one this list gave.");
    where += " AND plan_version > ?", params.emplace_back(after);
  }
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT id, plan_id, plan_version, kind, actor_id, action_id, data, created_at "
                                                  "FROM onboarding_plan_events WHERE {} ORDER BY plan_version LIMIT ?",
                                                  where),
                                      params));
  std::vector<PlanEvent> items;
  for (const auto& r : rows)
    items.push_back({r.text(0), r.text(1), r.integer(2), r.text(3), r.text(4), r.maybe_text(5), r.text(6), r.integer(7)});
  return make_page(std::move(items), page.limit, [](const PlanEvent& e) { return std::to_string(e.plan_version); });
}

Result<FirstDays> first_days(Connection& c, std::string_view organization_id, const std::optional<std::string>& user_id,
                             std::int64_t start, int days) {
  std::vector<Value> params{start, start, start, start, std::int64_t(days) * 86'400'000};
  auto who = people_condition(organization_id, user_id, params);
  // Each person's own first days: from when they joined, or from the plan's start if later.
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT COUNT(DISTINCT u.id), COUNT(t.id) FROM users u "
                                                  "LEFT JOIN tickets t ON t.requester_id = u.id "
                                                  "AND t.created_at >= CASE WHEN u.created_at > ? THEN u.created_at ELSE ? END "
                                                  "AND t.created_at < CASE WHEN u.created_at > ? THEN u.created_at ELSE ? END + ? "
                                                  "WHERE {}",
                                                  who),
                                      params));
  if (rows.empty()) return FirstDays{};
  return FirstDays{rows[0].integer(0), rows[0].integer(1)};
}

Result<FirstContact> first_contact(Connection& c, std::string_view organization_id, const std::optional<std::string>& user_id,
                                   std::int64_t start) {
  std::vector<Value> params{start};
  auto who = people_condition(organization_id, user_id, params);
  ASSIGN_OR_RETURN(
      auto rows,
      c.query(fmt::format(
                  "SELECT COUNT(*), COALESCE(SUM(CASE WHEN "
                  "NOT EXISTS (SELECT 1 FROM ticket_events r WHERE r.ticket_id = t.id AND r.kind = 'status_changed' "
                  "AND r.data LIKE '%\"reopened\":true%') "
                  "AND (SELECT COUNT(*) FROM ticket_events e JOIN users p ON p.id = e.actor_id "
                  "JOIN organizations o ON o.id = p.organization_id "
                  "WHERE e.ticket_id = t.id AND e.kind = 'comment' AND o.kind = 'provider') <= 1 "
                  "THEN 1 ELSE 0 END), 0) "
                  "FROM tickets t JOIN users u ON u.id = t.requester_id "
                  "WHERE t.created_at >= ? AND t.resolved_at IS NOT NULL AND {}",
                  who),
              params));
  if (rows.empty()) return FirstContact{};
  return FirstContact{rows[0].integer(0), rows[0].integer(1)};
}

}  // namespace onboarding_plans
}  // namespace tandem::storage
