#include "usecase/onboarding_plans.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "core/id.h"
#include "storage/organizations.h"
#include "storage/overrides.h"
#include "storage/tickets.h"
#include "storage/users.h"
#include "usecase/calendars.h"
#include "usecase/catalog_definitions.h"
#include "usecase/onboarding_reading.h"
#include "usecase/requirements.h"
#include "usecase/trainings.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using namespace catalog_definitions;
namespace ob = ::tandem::onboarding;

constexpr std::string_view kMissing = "No such onboarding plan.";

Error invalid_field(std::string field, std::string problem) {
  Problems p;
  p.add(std::move(field), std::move(problem));
  return p.error();
}

// The plan's calendar, when it has one (its working days and its time zone).
struct PlanCalendar {
  std::optional<sla::Calendar> calendar;

  bool works_on(date::sys_days day) const {
    return !calendar || calendar->works_on(date::local_days(day.time_since_epoch()));
  }
  // Today where the organisation works: an action due today is not late until the day is over there.
  date::sys_days today(Time now) const {
    if (!calendar || !calendar->zone()) return date::floor<date::days>(now);
    return date::sys_days(date::floor<date::days>(calendar->zone()->to_local(now)).time_since_epoch());
  }
};

Result<PlanCalendar> calendar_of(storage::Connection& c, const Services& s, const std::optional<std::string>& id) {
  PlanCalendar out;
  if (!id) return out;
  ASSIGN_OR_RETURN(out.calendar, load_calendar(c, *id, s.directory_cache->calendars));
  return out;
}

Json action_json(const ob::PlanAction& a) {
  return {{"id", a.id},
          {"key", a.what.key},
          {"title", text_json(a.what.title)},
          {"dimension", ob::to_string(a.what.dimension)},
          {"performed_by", ob::to_string(a.what.performed_by)},
          {"owner_role", a.what.owner_role},
          {"due_offset_days", a.what.due_offset_days},
          {"depends_on", a.what.depends_on},
          {"owner_id", a.owner_id ? Json(*a.owner_id) : Json(nullptr)},
          {"due", day_text(a.due)},
          {"status", ob::to_string(a.status)}};
}

std::string actions_text(const std::vector<ob::PlanAction>& actions) {
  Json out = Json::array();
  for (const auto& a : actions) out.push_back(action_json(a));
  return out.dump();
}

// The stored actions (checked when written).
std::vector<ob::PlanAction> actions_of(const std::string& text) {
  std::vector<ob::PlanAction> out;
  for (const auto& j : Json::parse(text)) {
    ob::PlanAction a;
    a.id = j.value("id", "");
    a.what.key = j.value("key", "");
    a.what.title = stored_text(j["title"]);
    a.what.dimension = ob::parse_dimension(j.value("dimension", "")).value_or(ob::Dimension::organizations_people);
    a.what.performed_by = ob::parse_performer(j.value("performed_by", "")).value_or(ob::Performer::provider);
    a.what.owner_role = j.value("owner_role", "");
    a.what.due_offset_days = j.value("due_offset_days", 0);
    a.what.depends_on = j.value("depends_on", std::vector<std::string>{});
    if (j["owner_id"].is_string()) a.owner_id = j["owner_id"].get<std::string>();
    a.due = parse_day(j.value("due", "")).value_or(date::sys_days{});
    a.status = ob::parse_action_status(j.value("status", "")).value_or(ob::ActionStatus::open);
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<ob::ActionTemplate> whats_of(const std::vector<ob::PlanAction>& actions) {
  std::vector<ob::ActionTemplate> out;
  for (const auto& a : actions) out.push_back(a.what);
  return out;
}

// ONB-4: an objective's live value over the people the plan onboards, from its start.
// ONB-4, ONB-8: how many of the people a plan onboards meet every enablement requirement the
// catalog's rules for their organisation and role ask of them (nobody asked anything is eligible).
Result<std::pair<std::int64_t, std::int64_t>> eligible_people(storage::Connection& c, const Services& s,
                                                              const storage::OnboardingPlan& plan) {
  struct Rule {
    std::string organization_id;
    std::optional<identity::Role> role;
    std::vector<std::string> requirement_ids;
  };
  std::vector<Rule> rules;
  ASSIGN_OR_RETURN(auto stored_rules, storage::definitions::all(c, Kind::entitlement));
  for (const auto& d : stored_rules) {
    auto def = Json::parse(d.definition);
    Rule r{def.value("organization_id", Json()).is_string() ? def["organization_id"].get<std::string>() : "",
           def.value("role", Json()).is_string() ? identity::parse_role(def["role"].get<std::string>()) : std::nullopt,
           def.value("requirement_ids", std::vector<std::string>{})};
    if (d.active && !r.requirement_ids.empty() && (r.organization_id.empty() || r.organization_id == plan.organization_id))
      rules.push_back(std::move(r));
  }
  TrainingLinks trainings;
  std::set<std::string> inactive;  // ask nothing, as in the catalog
  ASSIGN_OR_RETURN(auto requirements, storage::definitions::all(c, Kind::requirement));
  for (const auto& d : requirements) {
    if (!d.active) inactive.insert(d.id);
    if (auto def = Json::parse(d.definition); def.value("training_id", Json()).is_string())
      trainings.training_of.emplace(d.id, def["training_id"].get<std::string>());
  }
  ASSIGN_OR_RETURN(auto courses, storage::definitions::all(c, Kind::training));
  for (const auto& d : courses) trainings.digest_of.emplace(d.id, training_digest(d.definition));

  std::int64_t eligible = 0, counted = 0;
  auto today = date::floor<date::days>(s.clock.now());
  auto count = [&](const storage::User& person) -> Result<void> {
    ++counted;
    std::set<std::string> asked;
    for (const auto& r : rules)
      if (!r.role || std::ranges::find(person.roles, *r.role) != person.roles.end())
        for (const auto& id : r.requirement_ids)
          if (!inactive.contains(id)) asked.insert(id);
    if (asked.empty()) {
      ++eligible;
      return {};
    }
    ASSIGN_OR_RETURN(auto standing, requirement_statuses(c, person.id, today, trainings));
    eligible += std::ranges::all_of(asked, [&](const std::string& id) {
      auto it = standing.find(id);
      return it != standing.end() && it->second == ob::RequirementStatus::met;
    });
    return {};
  };
  if (plan.user_id) {
    ASSIGN_OR_RETURN(auto one, storage::users::find(c, storage::Scope::system(), *plan.user_id));
    if (one && one->active) TRY(count(*one));
  } else {
    // Every person of the organisation, a page at a time: measured off the request path
    // (kObjectivesFreshForMs), so a large organisation is counted whole.
    storage::PageRequest page{500, ""};
    do {
      ASSIGN_OR_RETURN(auto found, storage::users::list(c, storage::Scope::system(), {plan.organization_id, std::nullopt, true}, page));
      for (const auto& u : found.items) TRY(count(u));
      page.after = found.next_after.value_or("");
    } while (!page.after.empty());
  }
  return std::pair{eligible, counted};
}

Result<ObjectiveReading> read_objective(storage::Connection& c, const Services& s, const storage::OnboardingPlan& plan,
                                        const ob::Objective& o) {
  namespace plans = storage::onboarding_plans;
  ObjectiveReading r{o, std::nullopt, false, true, {}, ""};
  auto start = to_millis(parse_day(plan.start_date).value_or(date::sys_days{}));
  switch (o.metric) {
    case ob::Metric::tickets_per_user_first_days: {
      ASSIGN_OR_RETURN(auto seen, plans::first_days(c, plan.organization_id, plan.user_id, start, o.days));
      if (seen.people > 0) r.value = double(seen.tickets) / double(seen.people);
      r.counts = {{"tickets", seen.tickets}, {"people", seen.people}};
      r.basis = fmt::format("{} tickets from {} people in their first {} days", seen.tickets, seen.people, o.days);
      break;
    }
    case ob::Metric::first_contact_resolution: {
      ASSIGN_OR_RETURN(auto seen, plans::first_contact(c, plan.organization_id, plan.user_id, start));
      if (seen.resolved > 0) r.value = double(seen.first_contact) / double(seen.resolved);
      r.counts = {{"first_contact", seen.first_contact}, {"resolved", seen.resolved}};
      r.basis = fmt::format("{} of {} resolved tickets at the first contact", seen.first_contact, seen.resolved);
      break;
    }
    // Not recorded yet: satisfaction ratings come with the feedback issue. No value rather than
    // an invented one.
    case ob::Metric::satisfaction_average:
      r.recorded = false;
      r.basis = "no satisfaction ratings are recorded yet";
      break;
    case ob::Metric::share_of_users_eligible: {
      ASSIGN_OR_RETURN(auto seen, eligible_people(c, s, plan));
      if (seen.second > 0) r.value = double(seen.first) / double(seen.second);
      r.counts = {{"eligible", seen.first}, {"people", seen.second}};
      r.basis = fmt::format("{} of {} people meet every requirement asked of them", seen.first, seen.second);
      break;
    }
  }
  r.met = r.value && ob::objective_met(o.metric, o.target, *r.value);
  return r;
}

// ONB-4: every objective of the plan, measured now from the desk's data.
Result<std::vector<ObjectiveReading>> measure(storage::Connection& c, const Services& s, const storage::OnboardingPlan& plan,
                                              const std::vector<ob::Objective>& objectives) {
  std::vector<ObjectiveReading> out;
  for (const auto& o : objectives) {
    ASSIGN_OR_RETURN(auto reading, read_objective(c, s, plan, o));
    out.push_back(std::move(reading));
  }
  return out;
}

std::string readings_text(const std::vector<ObjectiveReading>& readings) {
  Json out = Json::array();
  for (const auto& r : readings)
    out.push_back({{"key", r.objective.key},
                   {"value", r.value ? Json(*r.value) : Json(nullptr)},
                   {"met", r.met},
                   {"recorded", r.recorded},
                   {"counts", r.counts},
                   {"basis", r.basis}});
  return out.dump();
}

// The kept readings of the plan's objectives, each paired with its objective; none when an
// objective has no reading (kept before it existed).
std::optional<std::vector<ObjectiveReading>> readings_of(const std::string& text, const std::vector<ob::Objective>& objectives) {
  auto kept = Json::parse(text, nullptr, false);
  if (!kept.is_array()) return std::nullopt;
  std::vector<ObjectiveReading> out;
  for (const auto& o : objectives) {
    auto it = std::ranges::find_if(kept, [&](const Json& r) { return r.value("key", "") == o.key; });
    if (it == kept.end()) return std::nullopt;
    ObjectiveReading r{o, std::nullopt, it->value("met", false), it->value("recorded", true), {}, it->value("basis", "")};
    if ((*it)["value"].is_number()) r.value = (*it)["value"].get<double>();
    if ((*it)["counts"].is_object()) r.counts = (*it)["counts"].get<std::map<std::string, std::int64_t>>();
    out.push_back(std::move(r));
  }
  return out;
}

// Which objectives a view carries: none (lists), the kept readings only (inside a write: never
// a count over the organisation's tickets there), or the kept ones and, for a plan that has
// none yet, a measurement now (one plan's read).
enum class Objectives { none, kept, measured_if_missing };

Result<PlanView> view_of(storage::Connection& c, const Services& s, storage::OnboardingPlan stored, Objectives objectives) {
  PlanView v;
  storage::StoredDefinition def;
  def.definition = stored.definition;
  v.tmpl = template_view(std::move(def)).tmpl;
  auto snapshot = Json::parse(stored.definition);
  v.start_trigger = snapshot.value("start_trigger", "");
  v.end_criterion = snapshot.value("end_criterion", "");
  v.actions = actions_of(stored.actions);
  v.tmpl.actions = whats_of(v.actions);
  ASSIGN_OR_RETURN(auto calendar, calendar_of(c, s, stored.calendar_id));
  v.today = calendar.today(s.clock.now());
  v.progress = ob::progress(ob::states_of(v.actions));
  // Both sides of a plan see who owns its actions and who accepted it, whichever side they are
  // on: the plan names them, so their names are read past the caller's scope.
  std::set<std::string> named;
  for (const auto& a : v.actions)
    if (a.owner_id) named.insert(*a.owner_id);
  if (stored.accepted_by) named.insert(*stored.accepted_by);
  if (stored.review) named.insert(Json::parse(*stored.review).value("reviewed_by", std::string()));
  for (const auto& id : named) {
    ASSIGN_OR_RETURN(auto person, storage::users::find(c, storage::Scope::system(), id));
    if (person) v.people[id] = person->name;
  }
  // The objectives as last measured (kObjectivesFreshFor); measured here only when they never
  // were, so that reading a plan never waits for a count over a large organisation's tickets.
  if (objectives != Objectives::none && !v.tmpl.objectives.empty()) {
    ASSIGN_OR_RETURN(auto kept, storage::onboarding_plans::readings(c, stored.id));
    std::optional<std::vector<ObjectiveReading>> known;
    if (kept) known = readings_of(kept->readings, v.tmpl.objectives);
    if (known) {
      v.objectives = std::move(*known);
      v.objectives_measured_at = kept->measured_at;
    } else if (objectives == Objectives::measured_if_missing) {
      ASSIGN_OR_RETURN(v.objectives, measure(c, s, stored, v.tmpl.objectives));
      v.objectives_measured_at = to_millis(s.clock.now());
    }
  }
  v.stored = std::move(stored);
  return v;
}

Result<storage::OnboardingPlan> load_plan(storage::Connection& c, const identity::Actor& actor, std::string_view id) {
  ASSIGN_OR_RETURN(auto found, storage::onboarding_plans::find(c, storage::Scope::for_actor(actor), id, storage::Lock::for_update));
  if (!found) return fail(Code::not_found, std::string(kMissing));
  return std::move(*found);
}

// Who owns an action when the plan is made: on the provider's side the maker when they hold the
// role, else the provider's first person who does; on the consumer's side the plan's person when
// they hold it, else the organisation's first who does. Nobody, when nobody holds it.
class Owners {
 public:
  Owners(storage::Connection& c, const identity::Actor& maker, std::string provider_id, std::string organization_id,
         std::optional<storage::User> person)
      : c_(c), maker_(maker), provider_id_(std::move(provider_id)), organization_id_(std::move(organization_id)),
        person_(std::move(person)) {}

  Result<std::optional<std::string>> of(const ob::ActionTemplate& a) {
    auto role = identity::parse_role(a.owner_role);
    if (!role) return std::optional<std::string>();
    bool provider = a.performed_by == ob::Performer::provider;
    if (provider && maker_.user_id != system_actor().user_id && std::ranges::find(maker_.roles, *role) != maker_.roles.end())
      return std::optional<std::string>(maker_.user_id);
    if (!provider && person_ && std::ranges::find(person_->roles, *role) != person_->roles.end()) return std::optional<std::string>(person_->id);
    // On the consumer's side only the organisation's customer sees every plan of it (anyone else
    // sees only the plans made for them): nobody else is made owner of what they cannot see.
    if (!provider && *role != identity::Role::customer) return std::optional<std::string>();
    auto key = std::make_pair(provider, *role);
    if (auto kept = first_.find(key); kept != first_.end()) return kept->second;
    storage::UserFilter filter{provider ? provider_id_ : organization_id_, *role, true};
    ASSIGN_OR_RETURN(auto page, storage::users::list(c_, storage::Scope::system(), filter, {1, ""}));
    std::optional<std::string> found;
    if (!page.items.empty()) found = page.items[0].id;
    first_[key] = found;
    return found;
  }

 private:
  storage::Connection& c_;
  const identity::Actor& maker_;
  std::string provider_id_, organization_id_;
  std::optional<storage::User> person_;
  std::map<std::pair<bool, identity::Role>, std::optional<std::string>> first_;
};

// The event of the plan's new version and its audit entry; the event's id.
Result<std::string> record_change(storage::Connection& c, const Services& s, const identity::Actor& actor, const char* action,
                                  const std::optional<storage::OnboardingPlan>& before, const storage::OnboardingPlan& after,
                                  std::string kind, std::optional<std::string> action_id, const Json& data) {
  auto id = new_id("ple", s.clock.now());
  TRY(storage::onboarding_plans::append_event(
      c, {id, after.id, after.version, std::move(kind), actor.user_id, std::move(action_id), data.dump(), to_millis(s.clock.now())}));
  TRY(record(c, s, actor,
             {action, "onboarding_plan", after.id, after.organization_id,
              before ? std::optional<std::string>(storage::canonical(*before)) : std::nullopt, storage::canonical(after)}));
  return id;
}

// ONB-3: the people a change concerns hear of it in the notification centre, each in their own
// language — never the one who made it, nor anyone no longer active.
template <class Summary>
Result<void> notify(storage::Connection& c, const Services& s, const identity::Actor& actor, const storage::OnboardingPlan& plan,
                    const std::string& event_id, const char* kind, std::set<std::string> people, Summary summary) {
  people.erase(actor.user_id);
  for (const auto& id : people) {
    ASSIGN_OR_RETURN(auto person, storage::users::find(c, storage::Scope::system(), id));
    if (!person || !person->active) continue;
    storage::Notification n{new_id("ntf", s.clock.now()), id,      "", event_id, kind, summary(person->language == "zh-CN"),
                            to_millis(s.clock.now()),       std::nullopt, plan.id};
    TRY(storage::notifications::insert(c, n));
  }
  return {};
}

std::string plan_name(const storage::OnboardingPlan& plan, bool chinese) {
  return std::string(stored_text(Json::parse(plan.definition)["name"]).in(chinese ? "zh-CN" : "en"));
}

std::string_view status_word(ob::ActionStatus status, bool chinese) {
  if (!chinese) return ob::to_string(status);
  switch (status) {
    case ob::ActionStatus::open: return "未开始";
    case ob::ActionStatus::in_progress: return "进行中";
    case ob::ActionStatus::done: return "已完成";
    case ob::ActionStatus::dropped: return "已取消";
  }
  return ob::to_string(status);
}

std::set<std::string> owners_of(const std::vector<ob::PlanAction>& actions) {
  std::set<std::string> out;
  for (const auto& a : actions)
    if (a.owner_id) out.insert(*a.owner_id);
  return out;
}

// The plan's status once its actions moved, as the plan's own progress moves it.
void follow_progress(storage::OnboardingPlan& plan, const std::vector<ob::PlanAction>& actions) {
  auto status = ob::parse_plan_status(plan.status).value_or(ob::PlanStatus::draft);
  plan.status = ob::to_string(ob::status_after(ob::Lifecycle::builtin(), status, ob::states_of(actions)));
}

constexpr std::string_view kScenarios =
    "new_organization, new_customer_existing_org, existing_customer_new_services, migration_from_provider, new_user, "
    "existing_user_new_services, version_switch, service_migration";

// ONB-4: measures the plan's objectives in a read and keeps the readings in a short write.
struct Measured {
  std::vector<ObjectiveReading> readings;
  std::int64_t at = 0;
};
Result<Measured> measure_plan(const Services& s, const storage::OnboardingPlan& plan) {
  storage::StoredDefinition def;
  def.definition = plan.definition;
  auto objectives = template_view(std::move(def)).tmpl.objectives;
  Measured out{{}, to_millis(s.clock.now())};
  ASSIGN_OR_RETURN(out.readings, s.db.read([&](storage::Connection& c) { return measure(c, s, plan, objectives); }));
  TRY(s.db.write([&](storage::Connection& c) {
    return storage::onboarding_plans::save_readings(c, plan.id, {readings_text(out.readings), out.at});
  }));
  return out;
}

}  // namespace

Result<PlanView> create_plan(const Services& s, const identity::Actor& actor, const PlanInput& in) {
  TRY(authorize(actor, "plan.manage"));
  Problems p;
  auto scenario = ob::parse_scenario(in.scenario);
  if (!scenario) p.add("scenario", "allowed: " + std::string(kScenarios));
  auto start = parse_day(in.start_date);
  if (!start) p.add("start_date", "must be a day as YYYY-MM-DD");
  if (in.start_trigger.size() > 1000) p.add("start_trigger", "must be at most 1000 bytes");
  if (in.end_criterion.size() > 1000) p.add("end_criterion", "must be at most 1000 bytes");
  ASSIGN_OR_RETURN(auto made, s.db.write([&](storage::Connection& c) -> Result<PlanView> {
    auto scope = storage::Scope::for_actor(actor);
    ASSIGN_OR_RETURN(auto tmpl, storage::definitions::find(c, Kind::onboarding_template, in.template_id));
    if (!tmpl) p.add("template_id", "no such onboarding template");
    else if (!tmpl->active) p.add("template_id", "is not active");
    ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, scope, in.organization_id));
    if (!org) p.add("organization_id", "no such organisation");
    else if (org->kind != identity::OrganizationKind::consumer)
      p.add("organization_id", "must be a customer organisation: the provider does not onboard itself");
    std::optional<storage::User> person;
    if (in.user_id) {
      ASSIGN_OR_RETURN(person, storage::users::find(c, scope, *in.user_id));
      if (!person || person->organization_id != in.organization_id) {
        p.add("user_id", "no such person in the organisation");
        person.reset();
      }
    } else if (scenario && ob::about_a_user(*scenario)) {
      p.add("user_id", fmt::format("is required for {}: the person the plan onboards", ob::to_string(*scenario)));
    }
    auto calendar_id = in.calendar_id;
    if (calendar_id) {
      ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::calendar, *calendar_id));
      if (!found) p.add("calendar_id", "no such calendar");
    } else {
      // ADR 0009: the provider's first calendar, as no organisation has its own yet.
      ASSIGN_OR_RETURN(auto calendars, storage::definitions::all(c, Kind::calendar));
      auto first = std::ranges::find_if(calendars, &storage::StoredDefinition::active);
      if (first != calendars.end()) calendar_id = first->id;
    }
    if (p.any()) return fail(p.error());

    auto view = template_view(*tmpl);
    auto definition = onboarding_template_json<Json>(view, text_json);
    definition.erase("actions");
    definition["start_trigger"] = trimmed(in.start_trigger);
    definition["end_criterion"] = trimmed(in.end_criterion);
    ASSIGN_OR_RETURN(auto provider, storage::organizations::find_provider(c));
    Owners owners(c, actor, provider ? provider->id : "", in.organization_id, person);
    ASSIGN_OR_RETURN(auto calendar, calendar_of(c, s, calendar_id));
    auto now = s.clock.now();
    std::vector<ob::PlanAction> actions;
    for (const auto& what : view.tmpl.actions) {
      ob::PlanAction a{new_id("act", now), what, std::nullopt, {}, ob::ActionStatus::open};
      a.due = ob::due_date(*start, what.due_offset_days, [&](date::sys_days d) { return calendar.works_on(d); });
      ASSIGN_OR_RETURN(a.owner_id, owners.of(what));
      actions.push_back(std::move(a));
    }
    storage::OnboardingPlan plan;
    plan.id = new_id("pln", now);
    plan.template_id = in.template_id;
    plan.organization_id = in.organization_id;
    plan.user_id = person ? std::optional<std::string>(person->id) : std::nullopt;
    plan.scenario = ob::to_string(*scenario);
    plan.status = ob::to_string(ob::PlanStatus::draft);
    plan.definition = definition.dump();
    plan.actions = actions_text(actions);
    plan.calendar_id = calendar_id;
    plan.start_date = day_text(*start);
    plan.created_by = actor.user_id;
    plan.created_at = plan.updated_at = to_millis(now);
    TRY(storage::onboarding_plans::insert(c, plan));
    TRY(record_change(c, s, actor, "onboarding_plan.create", std::nullopt, plan, "created", std::nullopt,
                      {{"template_id", plan.template_id}, {"scenario", plan.scenario}, {"start_date", plan.start_date}}));
    return view_of(c, s, std::move(plan), Objectives::none);
  }));
  // Measured once made, outside the plan's write: a count over a large organisation's tickets
  // holds no other writer up.
  // The plan is made whatever happens to its measuring; the beat measures it if this did not.
  if (auto measured = measure_plan(s, made.stored)) {
    made.objectives = std::move(measured->readings);
    made.objectives_measured_at = measured->at;
  }
  return made;
}

Result<ObjectiveBeat> measure_plan_objectives(const Services& s, int limit) {
  auto before = to_millis(s.clock.now()) - kObjectivesFreshForMs;
  ASSIGN_OR_RETURN(auto due, s.db.read([&](storage::Connection& c) { return storage::onboarding_plans::to_measure(c, before, limit); }));
  ObjectiveBeat beat;
  beat.taken = int(due.size());
  for (const auto& id : due) {
    auto measured = [&]() -> Result<void> {
      ASSIGN_OR_RETURN(auto plan, s.db.read([&](storage::Connection& c) {
        return storage::onboarding_plans::find(c, storage::Scope::system(), id);
      }));
      if (!plan) return {};
      TRY(measure_plan(s, *plan));
      return {};
    }();
    // One plan that cannot be measured holds none of the others up: it keeps no readings (its
    // page says so) and waits its next turn behind them.
    if (measured) {
      ++beat.measured;
    } else {
      beat.failures.push_back(id + ": " + measured.error().message);
      auto at = to_millis(s.clock.now());
      (void)s.db.write([&](storage::Connection& c) { return storage::onboarding_plans::save_readings(c, id, {"[]", at}); });
    }
  }
  return beat;
}

Result<storage::Page<PlanView>> list_plans(const Services& s, const identity::Actor& actor, const storage::PlanFilter& filter,
                                           const storage::PageRequest& page) {
  TRY(authorize(actor, "plan.read"));
  if (filter.status && !ob::parse_plan_status(*filter.status))
    return fail(invalid_field("status", "allowed: draft, accepted, in_progress, completed, reviewed"));
  return s.db.read([&](storage::Connection& c) -> Result<storage::Page<PlanView>> {
    ASSIGN_OR_RETURN(auto found, storage::onboarding_plans::list(c, storage::Scope::for_actor(actor), filter, page));
    storage::Page<PlanView> out{{}, found.next_after};
    for (auto& plan : found.items) {
      ASSIGN_OR_RETURN(auto v, view_of(c, s, std::move(plan), Objectives::none));
      out.items.push_back(std::move(v));
    }
    return out;
  });
}

Result<PlanView> get_plan(const Services& s, const identity::Actor& actor, std::string_view id) {
  TRY(authorize(actor, "plan.read"));
  return s.db.read([&](storage::Connection& c) -> Result<PlanView> {
    ASSIGN_OR_RETURN(auto found, storage::onboarding_plans::find(c, storage::Scope::for_actor(actor), id));
    if (!found) return fail(Code::not_found, std::string(kMissing));
    return view_of(c, s, std::move(*found), Objectives::measured_if_missing);
  });
}

Result<PlanView> adapt_plan(const Services& s, const identity::Actor& actor, std::string_view id, std::int64_t expected_version,
                            const std::string& actions_json) {
  TRY(authorize(actor, "plan.manage"));
  auto body = Json::parse(actions_json, nullptr, false);
  if (!body.is_array()) return fail(invalid_field("actions", "must be a list of actions"));
  if (body.size() > ob::kMaxActions) return fail(invalid_field("actions", fmt::format("must hold at most {}", ob::kMaxActions)));
  return s.db.write([&](storage::Connection& c) -> Result<PlanView> {
    ASSIGN_OR_RETURN(auto plan, load_plan(c, actor, id));
    if (plan.version != expected_version)
      return fail(Code::failed_precondition, "The plan was changed by someone else; reload it.");
    auto status = ob::parse_plan_status(plan.status).value_or(ob::PlanStatus::draft);
    auto& life = ob::Lifecycle::builtin();
    if (status != ob::PlanStatus::draft && !life.plan_may_move(status, ob::PlanStatus::draft, ob::PlanMover::provider))
      return fail(Error(Code::conflict, "The plan is reviewed and closed: it is a record now.", "plan_reviewed"));
    auto before = plan;
    auto old_actions = actions_of(plan.actions);
    auto start = parse_day(plan.start_date).value_or(date::sys_days{});
    ASSIGN_OR_RETURN(auto calendar, calendar_of(c, s, plan.calendar_id));

    Problems p;
    std::vector<ob::PlanAction> actions;
    std::vector<std::optional<date::sys_days>> fixed_due;  // a `due` given as a day
    std::set<std::string> kept;
    auto now = s.clock.now();
    for (std::size_t i = 0; i < body.size(); ++i) {
      auto at = fmt::format("actions[{}]", i);
      const auto& entry = body[i];
      if (!entry.is_object()) {
        p.add(at, "must be an object");
        continue;
      }
      Json merged = entry;
      ob::PlanAction a{new_id("act", now), {}, std::nullopt, {}, ob::ActionStatus::open};
      const ob::PlanAction* old = nullptr;
      if (auto given = entry.find("id"); given != entry.end()) {
        auto it = given->is_string() ? std::ranges::find(old_actions, given->get<std::string>(), &ob::PlanAction::id) : old_actions.end();
        if (it == old_actions.end()) {
          p.add(at + ".id", "is not an action of this plan; leave it out to add an action");
          continue;
        }
        if (!kept.insert(it->id).second) {
          p.add(at + ".id", "names an action given earlier in the list");
          continue;
        }
        old = &*it;
        a = *it;
        // Fields left out stay as they are.
        merged = action_json(*it);
        merged.erase("due");
        for (const auto& [key, value] : entry.items()) merged[key] = value;
        // A title merges per language, as the catalog's texts do: a string is the writer's.
        if (auto title = entry.find("title"); title != entry.end() && (title->is_string() || title->is_object())) {
          auto kept_title = action_json(*it)["title"];
          kept_title.merge_patch(title->is_string() ? Json{{actor.language, *title}} : *title);
          merged["title"] = kept_title;
        }
      }
      a.what = read_onboarding_action(merged, at, actor.language, p);
      if (auto owner = merged.find("owner_id"); owner != merged.end() && !owner->is_null()) {
        if (!owner->is_string()) p.add(at + ".owner_id", "must be the id of a person");
        else a.owner_id = owner->get<std::string>();
      } else {
        a.owner_id.reset();
      }
      std::optional<date::sys_days> due;
      if (auto given = entry.find("due"); given != entry.end() && !given->is_null()) {
        due = given->is_string() ? parse_day(given->get<std::string>()) : std::nullopt;
        if (!due) p.add(at + ".due", "must be a day as YYYY-MM-DD");
        else if (*due < start) p.add(at + ".due", "must not be before the plan's start, " + plan.start_date);
        else a.what.due_offset_days = int((*due - start).count());
      }
      if (!due && old && old->what.due_offset_days == a.what.due_offset_days) due = old->due;
      fixed_due.push_back(due);
      actions.push_back(std::move(a));
    }
    // The adapted plan must still be a plan its template could have been: keys, roles, offsets,
    // dependencies and their cycles, checked as a whole.
    auto whole = onboarding::Template{};
    {
      storage::StoredDefinition def;
      def.definition = plan.definition;
      whole = template_view(std::move(def)).tmpl;
    }
    whole.actions = whats_of(actions);
    if (!p.any())
      if (auto checked = ob::check_template(whole); !checked)
        for (auto& d : checked.error().details) p.add(std::move(d.field), std::move(d.problem));
    // An owner is a person of the action's side.
    ASSIGN_OR_RETURN(auto provider, storage::organizations::find_provider(c));
    for (std::size_t i = 0; i < actions.size() && !p.any(); ++i) {
      auto& a = actions[i];
      if (!a.owner_id) continue;
      ASSIGN_OR_RETURN(auto person, storage::users::find(c, storage::Scope::system(), *a.owner_id));
      bool provider_side = a.what.performed_by == ob::Performer::provider;
      auto side_org = provider_side ? (provider ? provider->id : "") : plan.organization_id;
      // A consumer owner must see the plan: the organisation's customer, or the person it is for.
      bool sees = person && (provider_side || plan.user_id == person->id ||
                             std::ranges::find(person->roles, identity::Role::customer) != person->roles.end());
      if (!person || person->organization_id != side_org || !person->active || !sees)
        p.add(fmt::format("actions[{}].owner_id", i),
              provider_side ? "must be one of the provider's people"
                            : "must be the organisation's customer or the person the plan is for: they see the plan");
    }
    if (p.any()) return fail(p.error());
    for (std::size_t i = 0; i < actions.size(); ++i)
      actions[i].due = fixed_due[i] ? *fixed_due[i]
                                    : ob::due_date(start, actions[i].what.due_offset_days, [&](date::sys_days d) {
                                        return calendar.works_on(d);
                                      });

    Json added = Json::array(), removed = Json::array(), changed = Json::array();
    for (const auto& a : actions) {
      auto old = std::ranges::find(old_actions, a.id, &ob::PlanAction::id);
      if (old == old_actions.end()) added.push_back(a.what.key);
      else if (action_json(*old) != action_json(a)) changed.push_back(a.what.key);
    }
    for (const auto& a : old_actions)
      if (!kept.contains(a.id)) removed.push_back(a.what.key);
    // Changes after acceptance need a new acceptance (ONB-3).
    plan.status = ob::to_string(ob::PlanStatus::draft);
    plan.accepted_by.reset();
    plan.accepted_at.reset();
    plan.accepted_version.reset();
    plan.actions = actions_text(actions);
    plan.version += 1;
    plan.updated_at = to_millis(now);
    TRY(storage::onboarding_plans::update(c, plan));
    ASSIGN_OR_RETURN(auto event_id, record_change(c, s, actor, "onboarding_plan.adapt", before, plan, "adapted", std::nullopt,
                                                  {{"added", added}, {"removed", removed}, {"changed", changed}, {"from_status", before.status}}));
    // Who accepted the last version accepts this one; the owners of new or changed actions hear of them.
    std::set<std::string> told;
    if (before.accepted_by) told.insert(*before.accepted_by);
    for (const auto& a : actions) {
      auto old = std::ranges::find(old_actions, a.id, &ob::PlanAction::id);
      if (a.owner_id && (old == old_actions.end() || action_json(*old) != action_json(a))) told.insert(*a.owner_id);
    }
    TRY(notify(c, s, actor, plan, event_id, "plan_adapted", told, [&](bool zh) {
      return zh ? fmt::format("入驻计划“{}”已修改{}。", plan_name(plan, true), before.accepted_by ? "，需要重新确认" : "")
                : fmt::format("The onboarding plan “{}” was changed{}.", plan_name(plan, false),
                              before.accepted_by ? " and needs accepting again" : "");
    }));
    return view_of(c, s, std::move(plan), Objectives::kept);
  });
}

Result<PlanView> accept_plan(const Services& s, const identity::Actor& actor, std::string_view id) {
  TRY(authorize(actor, "plan.accept"));
  return s.db.write([&](storage::Connection& c) -> Result<PlanView> {
    ASSIGN_OR_RETURN(auto plan, load_plan(c, actor, id));
    // The scope leaves a customer only their own organisation's plans.
    if (plan.organization_id != actor.organization_id) return fail(Code::not_found, std::string(kMissing));
    auto status = ob::parse_plan_status(plan.status).value_or(ob::PlanStatus::draft);
    if (!ob::Lifecycle::builtin().plan_may_move(status, ob::PlanStatus::accepted, ob::PlanMover::customer))
      return fail(Error(Code::conflict, fmt::format("The plan is {}: only a draft is accepted.", plan.status), "plan_not_draft"));
    auto before = plan;
    plan.version += 1;
    plan.status = ob::to_string(ob::PlanStatus::accepted);
    plan.accepted_by = actor.user_id;
    plan.accepted_at = plan.updated_at = to_millis(s.clock.now());
    plan.accepted_version = plan.version;
    // A plan adapted while under way goes on where it was once accepted again.
    follow_progress(plan, actions_of(plan.actions));
    TRY(storage::onboarding_plans::update(c, plan));
    ASSIGN_OR_RETURN(auto event_id, record_change(c, s, actor, "onboarding_plan.accept", before, plan, "accepted", std::nullopt,
                                                  {{"version", plan.version}, {"status", plan.status}}));
    // Its maker and every owner: the work can start.
    auto told = owners_of(actions_of(plan.actions));
    told.insert(plan.created_by);
    ASSIGN_OR_RETURN(auto customer, storage::users::find(c, storage::Scope::system(), actor.user_id));
    auto who = customer ? customer->name : actor.user_id;
    TRY(notify(c, s, actor, plan, event_id, "plan_accepted", told, [&](bool zh) {
      return zh ? fmt::format("{}确认了入驻计划“{}”，工作可以开始了。", who, plan_name(plan, true))
                : fmt::format("{} accepted the onboarding plan “{}”: the work can start.", who, plan_name(plan, false));
    }));
    return view_of(c, s, std::move(plan), Objectives::kept);
  });
}

Result<PlanView> move_plan_action(const Services& s, const identity::Actor& actor, std::string_view plan_id, std::string_view action_id,
                                  std::string_view to) {
  TRY(authorize(actor, "plan.work"));
  auto target = ob::parse_action_status(to);
  if (!target) return fail(invalid_field("to", "allowed: open, in_progress, done, dropped"));
  return s.db.write([&](storage::Connection& c) -> Result<PlanView> {
    ASSIGN_OR_RETURN(auto plan, load_plan(c, actor, plan_id));
    auto actions = actions_of(plan.actions);
    auto it = std::ranges::find(actions, action_id, &ob::PlanAction::id);
    if (it == actions.end()) return fail(Code::not_found, "No such action in this plan.");
    // Each side works its own actions; the provider's staff may also record the consumer's.
    if (!actor.staff() && it->what.performed_by == ob::Performer::provider)
      return fail(Code::permission_denied, "This action is the provider's to perform.");
    // On the consumer's side the organisation's customer works any action; anyone else the
    // actions they own, or those of their own plan their role is to do.
    auto holds = [&](identity::Role r) { return std::ranges::find(actor.roles, r) != actor.roles.end(); };
    auto role = identity::parse_role(it->what.owner_role);
    bool theirs = it->owner_id == actor.user_id || (plan.user_id == actor.user_id && role && holds(*role));
    if (!actor.staff() && !holds(identity::Role::customer) && !theirs)
      return fail(Code::permission_denied, "This action is its owner's to perform.");
    auto status = ob::parse_plan_status(plan.status).value_or(ob::PlanStatus::draft);
    auto& life = ob::Lifecycle::builtin();
    auto index = std::size_t(it - actions.begin());
    // `done` may be reached from any open state (the contract): through in_progress when the
    // table has no direct move.
    auto states = ob::states_of(actions);
    auto checked = ob::check_action_move(life, status, states, index, *target);
    if (!checked && *target == ob::ActionStatus::done && checked.error().slug == "action_move_not_allowed" &&
        life.action_may_move(it->status, ob::ActionStatus::in_progress) &&
        life.action_may_move(ob::ActionStatus::in_progress, ob::ActionStatus::done)) {
      states[index].status = ob::ActionStatus::in_progress;
      checked = ob::check_action_move(life, status, states, index, *target);
    }
    TRY(checked);
    auto before = plan;
    auto from = it->status;
    it->status = *target;
    follow_progress(plan, actions);
    plan.actions = actions_text(actions);
    plan.version += 1;
    plan.updated_at = to_millis(s.clock.now());
    TRY(storage::onboarding_plans::update(c, plan));
    Json data = {{"key", it->what.key}, {"from", ob::to_string(from)}, {"to", ob::to_string(*target)}};
    if (plan.status != before.status) data["plan_status"] = {{"from", before.status}, {"to", plan.status}};
    ASSIGN_OR_RETURN(auto event_id, record_change(c, s, actor, "onboarding_plan.action", before, plan, "action_moved", it->id, data));
    std::set<std::string> told;
    if (it->owner_id) told.insert(*it->owner_id);
    TRY(notify(c, s, actor, plan, event_id, "plan_action_moved", told, [&](bool zh) {
      return zh ? fmt::format("入驻计划“{}”中的“{}”：{} → {}", plan_name(plan, true), it->what.title.in("zh-CN"), status_word(from, true),
                              status_word(*target, true))
                : fmt::format("“{}” in the onboarding plan “{}”: {} → {}", it->what.title.in("en"), plan_name(plan, false),
                              status_word(from, false), status_word(*target, false));
    }));
    return view_of(c, s, std::move(plan), Objectives::kept);
  });
}

Result<PlanView> review_plan(const Services& s, const identity::Actor& actor, std::string_view id, const PlanReviewInput& in) {
  TRY(authorize(actor, "plan.manage"));
  Problems p;
  for (auto [field, value] : {std::pair{"satisfaction.users", in.users_satisfaction}, std::pair{"satisfaction.customer", in.customer_satisfaction}})
    if (value && !(*value >= 1 && *value <= 5)) p.add(field, "must be from 1 to 5");
  check_text(p, "risk_assessment", trimmed(in.risk_assessment), 5000);
  if (in.summary.size() > 5000) p.add("summary", "must be at most 5000 bytes");
  if (in.open_errors.size() > 50) p.add("open_errors", "list at most 50");
  for (std::size_t i = 0; i < in.open_errors.size(); ++i) check_text(p, fmt::format("open_errors[{}]", i), trimmed(in.open_errors[i]), 500);
  if (in.improvements.size() > 20) p.add("improvements", "list at most 20");
  for (std::size_t i = 0; i < in.improvements.size(); ++i) {
    check_text(p, fmt::format("improvements[{}].title", i), trimmed(in.improvements[i].title), 200);
    if (in.improvements[i].description.size() > 20000) p.add(fmt::format("improvements[{}].description", i), "must be at most 20000 bytes");
  }
  if (p.any()) return fail(p.error());
  // The objectives as they stand now, measured in a read: a large organisation's counts hold no
  // writer up. They are the review's record and the plan's last readings.
  auto measured_at = to_millis(s.clock.now());
  ASSIGN_OR_RETURN(auto measured, s.db.read([&](storage::Connection& c) -> Result<std::vector<ObjectiveReading>> {
    ASSIGN_OR_RETURN(auto plan, storage::onboarding_plans::find(c, storage::Scope::for_actor(actor), id));
    if (!plan) return fail(Code::not_found, std::string(kMissing));
    storage::StoredDefinition def;
    def.definition = plan->definition;
    return measure(c, s, *plan, template_view(std::move(def)).tmpl.objectives);
  }));
  return s.db.write([&](storage::Connection& c) -> Result<PlanView> {
    ASSIGN_OR_RETURN(auto plan, load_plan(c, actor, id));
    auto status = ob::parse_plan_status(plan.status).value_or(ob::PlanStatus::draft);
    if (!ob::Lifecycle::builtin().plan_may_move(status, ob::PlanStatus::reviewed, ob::PlanMover::provider))
      return fail(Error(Code::conflict, fmt::format("The plan is {}: a plan is reviewed once its work is under way or done.", plan.status),
                        "plan_not_reviewable"));
    auto before = plan;
    auto now = s.clock.now();
    auto actions = actions_of(plan.actions);
    Json open_items = Json::array(), objectives = Json::array(), improvement_ids = Json::array(), errors = Json::array();
    for (const auto& a : actions)
      if (!ob::Lifecycle::builtin().finished(a.status))
        open_items.push_back({{"id", a.id}, {"key", a.what.key}, {"status", ob::to_string(a.status)}});
    for (const auto& reading : measured)
      objectives.push_back({{"key", reading.objective.key}, {"value", reading.value ? Json(*reading.value) : Json(nullptr)}, {"met", reading.met}});
    TRY(storage::onboarding_plans::save_readings(c, plan.id, {readings_text(measured), measured_at}));
    for (const auto& idea : in.improvements) {
      auto stamp = to_millis(now);
      storage::Improvement entry{new_id("imp", now), trimmed(idea.title),
                                 fmt::format("{}\n\nFrom the review of the onboarding plan “{}” ({}).", idea.description,
                                             plan_name(plan, false), plan.id),
                                 "proposed", actor.user_id, 1, stamp, stamp};
      TRY(storage::improvements::insert(c, entry));
      TRY(record(c, s, actor, {"improvement.create", "improvement", entry.id, actor.organization_id, std::nullopt, canonical(entry)}));
      improvement_ids.push_back(entry.id);
    }
    for (const auto& e : in.open_errors) errors.push_back(trimmed(e));
    auto score = [](const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); };
    Json review = {{"reviewed_by", actor.user_id},
                   {"reviewed_at", to_millis(now)},
                   {"all_complete", open_items.empty()},
                   {"open_items", open_items},
                   {"satisfaction", {{"users", score(in.users_satisfaction)}, {"customer", score(in.customer_satisfaction)}}},
                   {"open_errors", errors},
                   {"risk_assessment", trimmed(in.risk_assessment)},
                   {"summary", trimmed(in.summary)},
                   {"objectives", objectives},
                   {"improvement_ids", improvement_ids}};
    plan.review = review.dump();
    plan.status = ob::to_string(ob::PlanStatus::reviewed);
    plan.version += 1;
    plan.updated_at = to_millis(now);
    TRY(storage::onboarding_plans::update(c, plan));
    ASSIGN_OR_RETURN(auto event_id, record_change(c, s, actor, "onboarding_plan.review", before, plan, "reviewed", std::nullopt,
                                                  {{"open_items", open_items.size()}, {"improvements", improvement_ids}}));
    // The customer who accepted it reads the review.
    std::set<std::string> told;
    if (plan.accepted_by) told.insert(*plan.accepted_by);
    TRY(notify(c, s, actor, plan, event_id, "plan_reviewed", told, [&](bool zh) {
      return zh ? fmt::format("入驻计划“{}”已完成复盘。", plan_name(plan, true))
                : fmt::format("The onboarding plan “{}” has been reviewed.", plan_name(plan, false));
    }));
    return view_of(c, s, std::move(plan), Objectives::kept);
  });
}

Result<PlanTimeline> plan_timeline(const Services& s, const identity::Actor& actor, std::string_view id,
                                   const storage::PageRequest& page) {
  TRY(authorize(actor, "plan.read"));
  return s.db.read([&](storage::Connection& c) -> Result<PlanTimeline> {
    ASSIGN_OR_RETURN(auto found, storage::onboarding_plans::find(c, storage::Scope::for_actor(actor), id));
    if (!found) return fail(Code::not_found, std::string(kMissing));
    PlanTimeline out;
    ASSIGN_OR_RETURN(out.page, storage::onboarding_plans::events(c, id, page));
    // Who acted on a plan is named to both its sides, as its owners are.
    for (const auto& e : out.page.items) {
      if (out.people.contains(e.actor_id)) continue;
      ASSIGN_OR_RETURN(auto person, storage::users::find(c, storage::Scope::system(), e.actor_id));
      if (person) out.people[e.actor_id] = person->name;
    }
    return out;
  });
}

}  // namespace tandem::usecase
