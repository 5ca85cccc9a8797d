#include "domain/onboarding/template.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

#include "domain/catalog/form.h"
#include "domain/identity/identity.h"
#include "domain/onboarding/names.h"

namespace tandem::onboarding {
namespace {

template <class E, std::size_t N>
using Names = names::Table<E, N>;

constexpr Names<Dimension, 4> kDimensions = {{{Dimension::organizations_people, "organizations_people"},
                                              {Dimension::value_streams_processes, "value_streams_processes"},
                                              {Dimension::information_technology, "information_technology"},
                                              {Dimension::partners_suppliers, "partners_suppliers"}}};
constexpr Names<Side, 2> kSides = {{{Side::provider, "provider"}, {Side::consumer, "consumer"}}};
constexpr Names<Performer, 3> kPerformers = {
    {{Performer::provider, "provider"}, {Performer::consumer, "consumer"}, {Performer::consumer_partner, "consumer_partner"}}};
constexpr Names<ControlMethod, 6> kMethods = {{{ControlMethod::programme, "programme"},
                                               {ControlMethod::project, "project"},
                                               {ControlMethod::normal_change, "normal_change"},
                                               {ControlMethod::standard_change, "standard_change"},
                                               {ControlMethod::automated_deployment, "automated_deployment"},
                                               {ControlMethod::audit_assurance, "audit_assurance"}}};
constexpr Names<Metric, 4> kMetrics = {{{Metric::tickets_per_user_first_days, "tickets_per_user_first_days"},
                                        {Metric::first_contact_resolution, "first_contact_resolution"},
                                        {Metric::satisfaction_average, "satisfaction_average"},
                                        {Metric::share_of_users_eligible, "share_of_users_eligible"}}};

// The range a metric's target lies in: shares 0..1, a satisfaction score 1..5, tickets per user
// 0..1000.
std::pair<double, double> target_range(Metric m) {
  switch (m) {
    case Metric::tickets_per_user_first_days: return {0, 1000};
    case Metric::satisfaction_average: return {1, 5};
    case Metric::first_contact_resolution:
    case Metric::share_of_users_eligible: return {0, 1};
  }
  return {0, 1};
}

// The side of the relationship a performer is on: the provider's staff own the provider's
// actions, the consumer's people (a partner's too) the consumer's.
identity::Side side_of(Performer p) { return p == Performer::provider ? identity::Side::provider : identity::Side::consumer; }

LocalizedText english_and_chinese(std::string en, std::string zh) {
  return *LocalizedText::make("checklist", {{"en", std::move(en)}, {"zh-CN", std::move(zh)}}, 500);
}

}  // namespace

std::optional<Dimension> parse_dimension(std::string_view text) { return names::parse(kDimensions, text); }
std::string_view to_string(Dimension d) { return names::of(kDimensions, d); }
std::optional<Side> parse_side(std::string_view text) { return names::parse(kSides, text); }
std::string_view to_string(Side s) { return names::of(kSides, s); }
std::optional<Performer> parse_performer(std::string_view text) { return names::parse(kPerformers, text); }
std::string_view to_string(Performer p) { return names::of(kPerformers, p); }
std::optional<ControlMethod> parse_control_method(std::string_view text) { return names::parse(kMethods, text); }
std::string_view to_string(ControlMethod m) { return names::of(kMethods, m); }
std::optional<Metric> parse_metric(std::string_view text) { return names::parse(kMetrics, text); }
std::string_view to_string(Metric m) { return names::of(kMetrics, m); }

bool objective_met(Metric m, double target, double value) {
  return m == Metric::tickets_per_user_first_days ? value <= target : value >= target;
}

const std::vector<LocalizedText>& standard_change_checklist() {
  static const std::vector<LocalizedText> steps = {
      english_and_chinese("The change matches its approved standard model", "变更符合已批准的标准变更模型"),
      english_and_chinese("The people affected were told when it happens", "已告知受影响的人员实施时间"),
      english_and_chinese("It was carried out as the model describes", "已按模型描述实施"),
      english_and_chinese("The result was checked and recorded", "已检查并记录结果"),
  };
  return steps;
}

std::optional<std::vector<std::string>> find_cycle(const std::vector<ActionTemplate>& actions) {
  std::map<std::string_view, std::size_t> at;
  for (std::size_t i = 0; i < actions.size(); ++i) at.emplace(actions[i].key, i);
  // Depth-first, keeping the path: meeting an action already on the path closes a cycle, which
  // is the path from that action on.
  enum class Mark { unseen, on_path, cleared };
  std::vector<Mark> mark(actions.size(), Mark::unseen);
  std::vector<std::size_t> path;
  std::optional<std::vector<std::string>> cycle;
  auto visit = [&](auto&& self, std::size_t i) -> void {
    mark[i] = Mark::on_path;
    path.push_back(i);
    for (const auto& key : actions[i].depends_on) {
      if (cycle) break;
      auto found = at.find(key);
      if (found == at.end()) continue;
      auto j = found->second;
      if (j == i) continue;  // depending on itself is its own problem, not a circle
      if (mark[j] == Mark::on_path) {
        std::vector<std::string> keys;
        auto from = std::find(path.begin(), path.end(), j);
        for (auto p = from; p != path.end(); ++p) keys.push_back(actions[*p].key);
        keys.push_back(actions[j].key);
        cycle = std::move(keys);
      } else if (mark[j] == Mark::unseen) {
        self(self, j);
      }
    }
    path.pop_back();
    mark[i] = Mark::cleared;
  };
  for (std::size_t i = 0; i < actions.size() && !cycle; ++i)
    if (mark[i] == Mark::unseen) visit(visit, i);
  return cycle;
}

Result<void> check_template(const Template& t) {
  Error e(Code::invalid_argument, "The onboarding template is invalid.");
  auto problem = [&](std::string field, std::string text) { e.details.push_back({std::move(field), std::move(text)}); };
  if (t.name.empty()) problem("name", "is required");
  if (t.control_method == ControlMethod::normal_change && t.checklist.empty())
    problem("checklist", "is required for a normal change: the steps this change is checked by");
  if (t.control_method != ControlMethod::normal_change && !t.checklist.empty())
    problem("checklist", "only a normal change has its own checklist; a standard change follows the predefined one");
  if (t.actions.empty()) problem("actions", "must hold at least one action");
  if (t.actions.size() > kMaxActions) problem("actions", fmt::format("must be at most {} actions", kMaxActions));

  std::set<std::string_view> objective_keys;
  for (std::size_t i = 0; i < t.objectives.size(); ++i) {
    const auto& o = t.objectives[i];
    auto at = [&](std::string_view part) { return fmt::format("objectives[{}].{}", i, part); };
    if (!catalog::valid_key(o.key)) problem(at("key"), "must be 1–64 characters of a-z, 0-9 and _");
    else if (!objective_keys.insert(o.key).second) problem(at("key"), "\"" + o.key + "\" is the key of an earlier objective");
    if (o.name.empty()) problem(at("name"), "is required");
    auto [low, high] = target_range(o.metric);
    if (!std::isfinite(o.target) || o.target < low || o.target > high)
      problem(at("target"), fmt::format("must be from {} to {} for {}", low, high, to_string(o.metric)));
    if (o.metric == Metric::tickets_per_user_first_days && (o.days < 1 || o.days > 365))
      problem(at("days"), "is required for tickets_per_user_first_days: the first 1 to 365 days");
    if (o.metric != Metric::tickets_per_user_first_days && o.days != 0)
      problem(at("days"), "is only for tickets_per_user_first_days");
  }
  for (std::size_t i = 0; i < t.scope.size(); ++i)
    if (t.scope[i].description.empty()) problem(fmt::format("scope[{}].description", i), "is required");

  std::set<std::string_view> keys;
  for (std::size_t i = 0; i < t.actions.size(); ++i) {
    const auto& a = t.actions[i];
    if (!catalog::valid_key(a.key)) problem(fmt::format("actions[{}].key", i), "must be 1–64 characters of a-z, 0-9 and _");
    else if (!keys.insert(a.key).second)
      problem(fmt::format("actions[{}].key", i), "\"" + a.key + "\" is the key of an earlier action");
  }
  for (std::size_t i = 0; i < t.actions.size(); ++i) {
    const auto& a = t.actions[i];
    auto at = [&](std::string_view part) { return fmt::format("actions[{}].{}", i, part); };
    if (a.title.empty()) problem(at("title"), "is required");
    if (auto role = identity::parse_role(a.owner_role); !role)
      problem(at("owner_role"), "must be a role, such as relationship_manager or customer");
    else if (identity::side_of(*role) != side_of(a.performed_by))
      problem(at("owner_role"), a.performed_by == Performer::provider ? "an action the provider performs is owned by a role of its staff"
                                                                       : "an action the consumer performs is owned by a role of the consumer's people");
    if (a.due_offset_days < 0 || a.due_offset_days > kMaxDueOffsetDays)
      problem(at("due_offset_days"), fmt::format("must be 0 to {} days after the start", kMaxDueOffsetDays));
    std::set<std::string_view> named;
    for (const auto& key : a.depends_on) {
      if (key == a.key) problem(at("depends_on"), "an action cannot depend on itself");
      else if (!keys.contains(key)) problem(at("depends_on"), "\"" + key + "\" is no action of this template");
      else if (!named.insert(key).second) problem(at("depends_on"), "\"" + key + "\" is named twice");
    }
  }
  // Beyond the limit the template is refused anyway; the search need not walk it.
  if (auto cycle = t.actions.size() <= kMaxActions ? find_cycle(t.actions) : std::nullopt) {
    std::string text;
    for (const auto& key : *cycle) text += (text.empty() ? "" : " → ") + key;
    problem("actions", "the actions depend on each other in a circle, so none could ever start: " + text);
  }
  if (!e.details.empty()) return std::unexpected(std::move(e));
  return {};
}

}  // namespace tandem::onboarding
