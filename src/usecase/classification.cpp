#include "usecase/classification.h"

#include <nlohmann/json.hpp>

#include "core/id.h"
#include "storage/definitions.h"
#include "storage/organizations.h"
#include "storage/scope.h"
#include "storage/teams.h"
#include "usecase/directory.h"
#include "usecase/json_conditions.h"

namespace tandem::usecase {
namespace {

using identity::Actor;
using Json = nlohmann::json;
namespace tk = ::tandem::tickets;

// Reads conditions and actions; problems name the field ("conditions.types", "actions.team_id").
tk::ClassificationRule parse_rule(const std::string& name, const std::string& conditions, const std::string& actions, Problems& p) {
  tk::ClassificationRule r;
  r.name = name;
  auto when = Json::parse(conditions, nullptr, false);
  if (!when.is_object()) {
    p.add("conditions", "must be an object");
  } else {
    for (const auto& [k, _] : when.items())
      if (k != "types" && k != "channels" && k != "organization_ids" && k != "words" && k != "user_flags" && k != "languages" &&
          k != "time_zones" && k != "service_ids")
        p.add("conditions." + k,
              "is not a condition; conditions: types, channels, organization_ids, service_ids, words, user_flags, languages, time_zones");
    r.when.types = names_in<tk::Type>(when, "conditions.", "types", tk::parse_type, p, tk::allowed_names(tk::all_types()));
    r.when.channels = names_in<tk::Channel>(when, "conditions.", "channels", tk::parse_channel, p, tk::allowed_names(tk::all_channels()));
    r.when.user_flags = names_in<identity::UserFlag>(when, "conditions.", "user_flags", identity::parse_flag, p, user_flag_names());
    r.when.organization_ids = texts_in(when, "conditions.", "organization_ids", p, 100, 64);
    r.when.words = texts_in(when, "conditions.", "words", p, 50, 100);
    r.when.languages = texts_in(when, "conditions.", "languages", p, 50, 35);
    r.when.time_zones = texts_in(when, "conditions.", "time_zones", p, 100, 64);
    r.when.service_ids = texts_in(when, "conditions.", "service_ids", p, 100, 64);
    for (const auto& zone : r.when.time_zones)
      if (!is_known_time_zone(zone)) p.add("conditions.time_zones", "not a time zone: " + zone + " (an IANA name such as Asia/Shanghai)");
  }
  auto then = Json::parse(actions, nullptr, false);
  if (!then.is_object()) {
    p.add("actions", "must be an object");
    return r;
  }
  for (const auto& [k, v] : then.items()) {
    if (!v.is_string() || trimmed(v.get<std::string>()).empty() || v.get<std::string>().size() > 100) {
      p.add("actions." + k, "must be a string of 1 to 100 bytes");
      continue;
    }
    auto value = trimmed(v.get<std::string>());
    if (k == "category") r.then.category = value;
    else if (k == "team_id") r.then.team_id = value;
    else if (k == "skill") r.then.skill = value;
    else if (k == "priority") {
      r.then.priority = tk::parse_priority(value);
      if (!r.then.priority) p.add("actions.priority", "allowed: " + tk::allowed_names(tk::all_priorities()));
    } else p.add("actions." + k, "is not an action; actions: category, team_id, skill, priority");
  }
  if (r.then.empty() && then.empty()) p.add("actions", "must set at least one of category, team_id, skill, priority");
  if (r.then.team_id && r.then.skill) p.add("actions.skill", "a rule routes to a team or by a skill, not both");
  return r;
}

// References must exist when the rule is saved.
Result<void> check_references(storage::Connection& c, const tk::ClassificationRule& r, Problems& p) {
  if (r.then.team_id) {
    ASSIGN_OR_RETURN(auto team, storage::teams::find(c, *r.then.team_id));
    if (!team) p.add("actions.team_id", "no such team");
  }
  if (r.then.skill) {
    ASSIGN_OR_RETURN(auto team, team_for_skill(c, *r.then.skill, ""));
    if (!team) p.add("actions.skill", "no team has this skill (teams' skills are set on Teams)");
  }
  for (const auto& service : r.when.service_ids) {
    ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, storage::DefinitionKind::service, service));
    if (!found) p.add("conditions.service_ids", "no such service: " + service);
  }
  for (const auto& org : r.when.organization_ids) {
    ASSIGN_OR_RETURN(auto found, storage::organizations::find(c, storage::Scope::system(), org));
    if (!found) p.add("conditions.organization_ids", "no such organisation: " + org);
  }
  return {};
}

RuleView view_of(storage::StoredRule stored) {
  Problems ignored;  // stored rules were checked when saved
  auto rule = parse_rule(stored.name, stored.conditions, stored.actions, ignored);
  return RuleView{std::move(stored), std::move(rule)};
}

Result<storage::StoredRule> load(storage::Connection& c, std::string_view id) {
  ASSIGN_OR_RETURN(auto r, storage::classification_rules::find(c, id));
  if (!r) return fail(Code::not_found, "No such rule.");
  return std::move(*r);
}

// The canonical JSON text of a checked rule's parts.
std::string json_text(const std::string& raw) { return Json::parse(raw, nullptr, false).dump(); }

}  // namespace

Result<std::vector<tk::TeamSkills>> team_skills(storage::Connection& c) {
  std::vector<tk::TeamSkills> teams;
  storage::PageRequest page{200, ""};
  for (;;) {
    ASSIGN_OR_RETURN(auto found, storage::teams::list(c, page));
    for (auto& t : found.items) teams.push_back({t.id, std::move(t.skills), std::move(t.languages)});
    if (!found.next_after) break;
    page.after = *found.next_after;
  }
  return teams;
}

Result<std::optional<std::string>> team_for_skill(storage::Connection& c, std::string_view skill, std::string_view language) {
  ASSIGN_OR_RETURN(auto teams, team_skills(c));
  return tk::team_with_skill(teams, skill, language);
}

Result<RuleView> create_classification_rule(const Services& s, const Actor& actor, const RuleInput& in) {
  TRY(authorize(actor, "classification.manage"));
  Problems p;
  check_text(p, "name", in.name.value_or(""), 100);
  if (!in.actions_json) p.add("actions", "is required");
  auto rule = parse_rule(in.name.value_or(""), in.conditions_json.value_or("{}"), in.actions_json.value_or("{}"), p);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<RuleView> {
    Problems q;
    TRY(check_references(c, rule, q));
    if (q.any()) return fail(q.error());
    auto now = to_millis(s.clock.now());
    storage::StoredRule stored{new_id("rule", s.clock.now()), in.position.value_or(0), trimmed(*in.name),
                               json_text(in.conditions_json.value_or("{}")), json_text(*in.actions_json), in.active.value_or(true),
                               1, now, now};
    TRY(storage::classification_rules::insert(c, stored));
    TRY(record(c, s, actor, {"classification_rule.create", "classification_rule", stored.id, actor.organization_id, std::nullopt,
                             canonical(stored)}));
    return view_of(std::move(stored));
  });
}

Result<std::vector<RuleView>> list_classification_rules(const Services& s, const Actor& actor) {
  TRY(authorize(actor, "classification.read"));
  return s.db.read([&](storage::Connection& c) -> Result<std::vector<RuleView>> {
    ASSIGN_OR_RETURN(auto rules, storage::classification_rules::all(c, false));
    std::vector<RuleView> out;
    for (auto& r : rules) out.push_back(view_of(std::move(r)));
    return out;
  });
}

Result<RuleView> get_classification_rule(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "classification.read"));
  return s.db.read([&](storage::Connection& c) -> Result<RuleView> {
    ASSIGN_OR_RETURN(auto r, load(c, id));
    return view_of(std::move(r));
  });
}

Result<RuleView> update_classification_rule(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                            const RuleInput& patch) {
  TRY(authorize(actor, "classification.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<RuleView> {
    ASSIGN_OR_RETURN(auto stored, load(c, id));
    if (stored.version != expected_version) return fail(Code::failed_precondition, "The rule was changed by someone else; reload it.");
    auto before = canonical(stored);
    Problems p;
    if (patch.name) check_text(p, "name", *patch.name, 100);
    auto name = patch.name ? trimmed(*patch.name) : stored.name;
    auto conditions = patch.conditions_json.value_or(stored.conditions);
    auto actions = patch.actions_json.value_or(stored.actions);
    auto rule = parse_rule(name, conditions, actions, p);
    if (!p.any()) TRY(check_references(c, rule, p));
    if (p.any()) return fail(p.error());
    stored.name = name;
    stored.conditions = json_text(conditions);
    stored.actions = json_text(actions);
    if (patch.position) stored.position = *patch.position;
    if (patch.active) stored.active = *patch.active;
    stored.version += 1;
    stored.updated_at = to_millis(s.clock.now());
    TRY(storage::classification_rules::update(c, stored));
    TRY(record(c, s, actor, {"classification_rule.update", "classification_rule", stored.id, actor.organization_id, before,
                             canonical(stored)}));
    return view_of(std::move(stored));
  });
}

Result<void> delete_classification_rule(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "classification.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto stored, load(c, id));
    TRY(storage::classification_rules::remove(c, stored.id));
    return record(c, s, actor, {"classification_rule.delete", "classification_rule", stored.id, actor.organization_id,
                                canonical(stored), std::nullopt});
  });
}

Result<std::vector<tk::ClassificationRule>> active_classification_rules(storage::Connection& c) {
  ASSIGN_OR_RETURN(auto stored, storage::classification_rules::all(c, true));
  std::vector<tk::ClassificationRule> out;
  for (auto& r : stored) out.push_back(view_of(std::move(r)).rule);
  return out;
}

}  // namespace tandem::usecase
