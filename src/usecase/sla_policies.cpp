#include "usecase/sla_policies.h"

#include <algorithm>
#include <array>
#include <set>

#include <nlohmann/json.hpp>

#include "core/id.h"
#include "domain/tickets/workflow.h"
#include "storage/organizations.h"
#include "storage/teams.h"
#include "storage/tickets.h"
#include "usecase/calendars.h"
#include "usecase/directory_cache.h"
#include "usecase/definition_access.h"
#include "usecase/json_conditions.h"

namespace tandem::usecase {
namespace {

using identity::Actor;
using Json = nlohmann::json;
namespace tk = ::tandem::tickets;
using Kind = storage::DefinitionKind;

constexpr std::array<std::string_view, 6> kFields = {"calendar_id", "conditions", "targets", "pause_statuses", "warn_at", "escalations"};
constexpr std::array<std::string_view, 11> kConditions = {"type",     "channel",    "service_id", "organization_id",
                                                           "priority", "impact",     "user_flags", "vulnerable",
                                                           "raised_outside_hours_of", "offering_tier", "request_type"};

template <std::size_t N>
std::string listed(const std::array<std::string_view, N>& names) {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

// Every state of every workflow: the statuses a policy may pause in.
const std::set<std::string>& known_statuses() {
  static const std::set<std::string> statuses = [] {
    std::set<std::string> out;
    for (auto type : tk::all_types())
      for (const auto& [state, _] : tk::Workflows::builtin().of(type).states) out.insert(state);
    return out;
  }();
  return statuses;
}

void read_conditions(const Json& when, sla::PolicyConditions& out, Problems& p) {
  if (!when.is_object()) {
    p.add("conditions", "must be an object");
    return;
  }
  for (const auto& [k, _] : when.items())
    if (std::find(kConditions.begin(), kConditions.end(), k) == kConditions.end())
      p.add("conditions." + k, "is not a condition; conditions: " + listed(kConditions));
  const std::string prefix = "conditions.";
  out.types = names_in<tk::Type>(when, prefix, "type", tk::parse_type, p, tk::allowed_names(tk::all_types()));
  out.channels = names_in<tk::Channel>(when, prefix, "channel", tk::parse_channel, p, tk::allowed_names(tk::all_channels()));
  out.priorities = names_in<tk::Priority>(when, prefix, "priority", tk::parse_priority, p, tk::allowed_names(tk::all_priorities()));
  out.impacts = names_in<tk::Level>(when, prefix, "impact", tk::parse_level, p, tk::allowed_names(tk::all_levels()));
  out.user_flags = names_in<identity::UserFlag>(when, prefix, "user_flags", identity::parse_flag, p, user_flag_names());
  out.organization_ids = texts_in(when, prefix, "organization_id", p, 100, 64);
  out.service_ids = texts_in(when, prefix, "service_id", p, 100, 64);
  out.tier_ids = texts_in(when, prefix, "offering_tier", p, 100, 64);
  out.request_type_ids = texts_in(when, prefix, "request_type", p, 100, 64);
  if (auto v = when.find("vulnerable"); v != when.end() && !v->is_null()) {
    if (v->is_boolean()) out.vulnerable = v->get<bool>();
    else p.add("conditions.vulnerable", "must be true (the user has a REL-6 flag) or false (none)");
  }
  if (auto v = when.find("raised_outside_hours_of"); v != when.end() && !v->is_null()) {
    if (v->is_string() && !v->get<std::string>().empty()) out.raised_outside_hours_of = v->get<std::string>();
    else p.add("conditions.raised_outside_hours_of", "must be the id of a calendar");
  }
}

void read_targets(const Json& targets, sla::ClockTerms& terms, Problems& p) {
  if (!targets.is_object()) {
    p.add("targets", "must be an object of business minutes: first_response, next_update, resolution");
    return;
  }
  for (const auto& [k, v] : targets.items()) {
    auto metric = sla::parse_metric(k);
    if (!metric) {
      p.add("targets." + k, "is not a target; targets: first_response, next_update, resolution");
      continue;
    }
    if (v.is_null()) continue;
    if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > kMaxBusinessMinutes) {
      p.add("targets." + k, "must be a whole number of business minutes from 1 to " + std::to_string(kMaxBusinessMinutes));
      continue;
    }
    terms.targets[std::size_t(*metric)] = std::chrono::minutes(v.get<std::int64_t>());
  }
  if (std::none_of(terms.targets.begin(), terms.targets.end(), [](const auto& t) { return t.has_value(); }))
    p.add("targets", "must agree at least one of first_response, next_update, resolution");
}

// [{"at": "warning"|"breach", "target": "resolution" (any when absent), "action": "notify"|"reassign"|"raise_priority",
//   "team_id": "…" (reassign)}]
Json read_escalations(const Json& list, std::vector<sla::Escalation>& out, Problems& p) {
  Json canonical = Json::array();
  if (!list.is_array() || list.size() > 20) {
    p.add("escalations", "must be a list of at most 20 escalations");
    return canonical;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& e = list[i];
    auto field = "escalations[" + std::to_string(i) + "]";
    if (!e.is_object()) {
      p.add(field, "must be an object with at, action and (for some) target and team_id");
      continue;
    }
    for (const auto& [k, _] : e.items())
      if (k != "at" && k != "target" && k != "action" && k != "team_id") p.add(field + "." + k, "is not an escalation field");
    sla::Escalation esc;
    auto at = e.value("at", "");
    if (at == "warning") esc.at = sla::TargetState::warning;
    else if (at == "breach") esc.at = sla::TargetState::breached;
    else p.add(field + ".at", "must be warning or breach");
    if (e.contains("target") && !e["target"].is_null()) {
      esc.metric = e["target"].is_string() ? sla::parse_metric(e["target"].get<std::string>()) : std::nullopt;
      if (!esc.metric) p.add(field + ".target", "must be first_response, next_update or resolution");
    }
    auto action = e.value("action", "");
    if (auto parsed = sla::parse_escalation_action(action)) esc.action = *parsed;
    else p.add(field + ".action", "must be notify, reassign or raise_priority");
    if (e.contains("team_id") && e["team_id"].is_string()) esc.team_id = e["team_id"].get<std::string>();
    if (esc.action == sla::Escalation::Action::reassign && !esc.team_id) p.add(field + ".team_id", "is required to reassign");
    if (esc.action != sla::Escalation::Action::reassign && e.contains("team_id")) p.add(field + ".team_id", "is for reassign only");
    out.push_back(esc);
    Json c = {{"at", at}, {"action", action}};
    if (esc.metric) c["target"] = sla::to_string(*esc.metric);
    if (esc.team_id) c["team_id"] = *esc.team_id;
    canonical.push_back(c);
  }
  return canonical;
}

struct Checked {
  Json definition;  // canonical
  sla::Policy policy;
};

// Reads a whole definition; problems name the field ("conditions.priority", "targets.resolution").
std::optional<Checked> check_definition(const std::string& name, const Json& def, Problems& p) {
  for (const auto& [key, _] : def.items())
    if (std::find(kFields.begin(), kFields.end(), key) == kFields.end())
      p.add(key, "is not a policy field; fields: name, order, active, " + listed(kFields));
  sla::Policy policy;
  policy.name = name;
  auto calendar = def.find("calendar_id");
  if (calendar == def.end() || !calendar->is_string() || calendar->get<std::string>().empty())
    p.add("calendar_id", "is required: the calendar whose working time the targets count");
  else policy.calendar_id = calendar->get<std::string>();
  read_conditions(def.value("conditions", Json::object()), policy.when, p);
  if (auto targets = def.find("targets"); targets == def.end()) p.add("targets", "is required");
  else read_targets(*targets, policy.terms, p);
  auto pauses = def.value("pause_statuses", Json::array({"waiting_for_user"}));
  policy.terms.pause_statuses = texts_in(Json{{"pause_statuses", pauses}}, "", "pause_statuses", p, 20, 64);
  for (const auto& status : policy.terms.pause_statuses)
    if (!known_statuses().contains(status)) p.add("pause_statuses", "no workflow has the status \"" + status + "\"");
  auto warn = def.value("warn_at", Json(0.75));
  if (!warn.is_number() || warn.get<double>() <= 0 || warn.get<double>() > 1)
    p.add("warn_at", "must be a share of the target above 0 and at most 1, such as 0.75");
  else policy.terms.warn_at = warn.get<double>();
  auto escalations = read_escalations(def.value("escalations", Json::array()), policy.escalations, p);
  if (p.any()) return std::nullopt;

  Json conditions = def.value("conditions", Json::object());
  for (auto it = conditions.begin(); it != conditions.end();) it = it->is_null() ? conditions.erase(it) : std::next(it);
  Json targets = Json::object();
  for (auto m : sla::kMetrics)
    if (const auto& t = policy.terms.targets[std::size_t(m)]) targets[std::string(sla::to_string(m))] = t->count();
  Json canonical = {{"calendar_id", policy.calendar_id},
                    {"conditions", conditions},
                    {"targets", targets},
                    {"pause_statuses", policy.terms.pause_statuses},
                    {"warn_at", policy.terms.warn_at},
                    {"escalations", escalations}};
  return Checked{std::move(canonical), std::move(policy)};
}

// The calendars, organisations and services named must exist when the policy is saved.
Result<void> check_references(storage::Connection& c, const sla::Policy& policy, Problems& p) {
  if (!policy.calendar_id.empty()) {
    ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::calendar, policy.calendar_id));
    if (!found) p.add("calendar_id", "no such calendar");
  }
  if (policy.when.raised_outside_hours_of) {
    ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::calendar, *policy.when.raised_outside_hours_of));
    if (!found) p.add("conditions.raised_outside_hours_of", "no such calendar");
  }
  for (const auto& org : policy.when.organization_ids) {
    ASSIGN_OR_RETURN(auto found, storage::organizations::find(c, storage::Scope::system(), org));
    if (!found) p.add("conditions.organization_id", "no such organisation: " + org);
  }
  for (const auto& e : policy.escalations)
    if (e.team_id) {
      ASSIGN_OR_RETURN(auto team, storage::teams::find(c, *e.team_id));
      if (!team) p.add("escalations", "no such team: " + *e.team_id);
    }
  for (const auto& service : policy.when.service_ids) {
    ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::service, service));
    if (!found) p.add("conditions.service_id", "no such service: " + service);
  }
  for (const auto& tier : policy.when.tier_ids) {
    ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::tier, tier));
    if (!found) p.add("conditions.offering_tier", "no such offering tier: " + tier);
  }
  for (const auto& type : policy.when.request_type_ids) {
    ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::request_type, type));
    if (!found) p.add("conditions.request_type", "no such request type: " + type);
  }
  return {};
}

PolicyView view_of(storage::StoredDefinition stored) {
  Problems ignored;  // stored definitions were checked when saved
  auto checked = check_definition(stored.name, Json::parse(stored.definition), ignored);
  checked->policy.id = stored.id;
  return PolicyView{std::move(stored), std::move(checked->policy)};
}

Result<storage::StoredDefinition> load(storage::Connection& c, std::string_view id) {
  return load_definition(c, Kind::sla_policy, id, "No such SLA policy.");
}

}  // namespace

Result<PolicyView> create_sla_policy(const Services& s, const Actor& actor, const PolicyInput& in) {
  TRY(authorize(actor, "sla_policy.manage"));
  Problems p;
  check_text(p, "name", in.name.value_or(""), 100);
  auto checked = check_definition(trimmed(in.name.value_or("")), fields_object(in.fields_json, p), p);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<PolicyView> {
    Problems q;
    TRY(check_references(c, checked->policy, q));
    if (q.any()) return fail(q.error());
    auto now = to_millis(s.clock.now());
    storage::StoredDefinition stored{new_id("slp", s.clock.now()), in.order.value_or(0), trimmed(*in.name),
                                     checked->definition.dump(), in.active.value_or(true), 1, now, now};
    TRY(storage::definitions::insert(c, Kind::sla_policy, stored));
    TRY(record(c, s, actor, {"sla_policy.create", "sla_policy", stored.id, actor.organization_id, std::nullopt,
                             storage::canonical(Kind::sla_policy, stored)}));
    return view_of(std::move(stored));
  });
}

Result<std::vector<PolicyView>> list_sla_policies(const Services& s, const Actor& actor) {
  return list_definitions(s, actor, "sla_policy.read", Kind::sla_policy, view_of);
}

Result<PolicyView> get_sla_policy(const Services& s, const Actor& actor, std::string_view id) {
  return get_definition(s, actor, "sla_policy.read", Kind::sla_policy, id, "No such SLA policy.", view_of);
}

Result<PolicyView> update_sla_policy(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                     const PolicyInput& patch) {
  TRY(authorize(actor, "sla_policy.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<PolicyView> {
    ASSIGN_OR_RETURN(auto stored, load(c, id));
    if (stored.version != expected_version)
      return fail(Code::failed_precondition, "The SLA policy was changed by someone else; reload it.");
    auto before = storage::canonical(Kind::sla_policy, stored);
    Problems p;
    if (patch.name) check_text(p, "name", *patch.name, 100);
    auto name = patch.name ? trimmed(*patch.name) : stored.name;
    auto definition = Json::parse(stored.definition);
    definition.merge_patch(fields_object(patch.fields_json, p));  // RFC 7396: conditions and targets merge by key
    auto checked = check_definition(name, definition, p);
    if (!p.any()) TRY(check_references(c, checked->policy, p));
    if (p.any()) return fail(p.error());
    stored.name = name;
    stored.definition = checked->definition.dump();
    if (patch.order) stored.position = *patch.order;
    if (patch.active) stored.active = *patch.active;
    stored.version += 1;
    stored.updated_at = to_millis(s.clock.now());
    TRY(storage::definitions::update(c, Kind::sla_policy, stored));
    TRY(record(c, s, actor, {"sla_policy.update", "sla_policy", stored.id, actor.organization_id, before,
                             storage::canonical(Kind::sla_policy, stored)}));
    return view_of(std::move(stored));
  });
}

Result<void> delete_sla_policy(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "sla_policy.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto stored, load(c, id));
    ASSIGN_OR_RETURN(bool used, storage::ticket_store::any_under_policy(c, stored.id));
    if (used)
      return fail(Code::conflict, "Tickets are measured under this policy; deactivate it instead (\"active\": false).");
    TRY(storage::definitions::remove(c, Kind::sla_policy, stored.id));
    return record(c, s, actor, {"sla_policy.delete", "sla_policy", stored.id, actor.organization_id,
                                storage::canonical(Kind::sla_policy, stored), std::nullopt});
  });
}

Result<std::optional<std::string>> policy_using_calendar(storage::Connection& c, std::string_view calendar_id) {
  ASSIGN_OR_RETURN(auto policies, storage::definitions::all(c, Kind::sla_policy));
  for (auto& stored : policies) {
    auto policy = view_of(std::move(stored)).policy;
    if (policy.calendar_id == calendar_id || policy.when.raised_outside_hours_of == calendar_id) return std::optional(policy.name);
  }
  return std::optional<std::string>();
}

const sla::Calendar* Timeframes::calendar(std::string_view id) const {
  auto it = calendars.find(id);
  return it == calendars.end() ? nullptr : &it->second;
}

namespace {

Result<std::shared_ptr<const Timeframes>> load_timeframes(storage::Connection& c, VersionedCache<sla::Calendar>& calendars_kept) {
  auto out = std::make_shared<Timeframes>();
  ASSIGN_OR_RETURN(auto policies, storage::definitions::all(c, Kind::sla_policy));
  std::set<std::string> calendars;
  for (auto& stored : policies) {
    bool active = stored.active;
    auto view = view_of(std::move(stored));
    calendars.insert(view.policy.calendar_id);
    if (view.policy.when.raised_outside_hours_of) calendars.insert(*view.policy.when.raised_outside_hours_of);
    if (active) out->active.push_back(view.policy);
    if (active && !view.policy.when.tier_ids.empty()) out->uses_tiers = true;
    if (active && !view.policy.when.request_type_ids.empty()) out->uses_request_types = true;
    out->every.emplace(view.policy.id, std::move(view.policy));
  }
  for (const auto& id : calendars) {
    ASSIGN_OR_RETURN(auto calendar, load_calendar(c, id, calendars_kept));
    if (calendar) out->calendars.emplace(id, std::move(*calendar));
  }
  return std::shared_ptr<const Timeframes>(std::move(out));
}

}  // namespace

// Kept under the definitions' fingerprint, read in the same snapshot as them: right whoever
// changed them (the command line, another node), for one small query.
Result<std::shared_ptr<const Timeframes>> current_timeframes(const Services& s) {
  return s.db.read([&](storage::Connection& c) -> Result<std::shared_ptr<const Timeframes>> {
    ASSIGN_OR_RETURN(auto fingerprint, storage::definitions::fingerprint(c, storage::kTimeframeKinds));
    if (auto kept = s.directory_cache->timeframes.find(fingerprint, 0)) return *kept;
    ASSIGN_OR_RETURN(auto loaded, load_timeframes(c, s.directory_cache->calendars));
    s.directory_cache->timeframes.put(fingerprint, 0, loaded);
    return loaded;
  });
}

}  // namespace tandem::usecase
