#include "usecase/onboarding_templates.h"

#include <fmt/format.h>

#include "usecase/catalog_definitions.h"

namespace tandem::usecase {
namespace {

using namespace catalog_definitions;
namespace ob = ::tandem::onboarding;

constexpr std::size_t kNameLimit = 200;
constexpr std::size_t kTextLimit = 2000;
constexpr std::size_t kMaxListed = 200;  // checklist steps, objectives, scope entries
const TranslatableKind kTemplate{Kind::onboarding_template,
                                 "onboarding_template",
                                 "obt",
                                 kOnboardingTemplateFields,
                                 "an onboarding template",
                                 "No such onboarding template.",
                                 "onboarding_template.manage"};

// Reads one part of the body, naming each problem by its place ("actions[1].dimension").
class Reader {
 public:
  Reader(std::string_view language, Problems& p) : language_(language), p_(p) {}

  LocalizedText text(const Json& o, const char* key, const std::string& at, bool required, std::size_t limit = kTextLimit) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) {
      if (required) p_.add(at, "is required");
      return {};
    }
    return text_of(*it, at, language_, limit, p_).value_or(LocalizedText());
  }

  std::string word(const Json& o, const char* key, const std::string& at) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return p_.add(at, "is required"), "";
    if (!it->is_string()) return p_.add(at, "must be text"), "";
    return it->get<std::string>();
  }

  // One of the words `parse` knows; `allowed` lists them for the problem.
  template <class E, class Parse>
  E one_of(const Json& o, const char* key, const std::string& at, Parse parse, std::string_view allowed, E fallback) {
    auto given = o.find(key);
    auto text = word(o, key, at);
    if (given == o.end() || !given->is_string()) return fallback;  // already named by word()
    auto parsed = parse(text);
    if (!parsed) p_.add(at, "allowed: " + std::string(allowed));
    return parsed.value_or(fallback);
  }

  template <class T>
  std::optional<T> number(const Json& o, const char* key, const std::string& at, bool required) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) {
      if (required) p_.add(at, "is required");
      return std::nullopt;
    }
    if constexpr (std::is_integral_v<T>) {
      if (!it->is_number_integer()) return p_.add(at, "must be a whole number"), std::nullopt;
    } else if (!it->is_number()) {
      return p_.add(at, "must be a number"), std::nullopt;
    }
    return it->get<T>();
  }

  // The objects of a list field, each read by `read(object, "<key>[i]")`.
  template <class Read>
  void each(const Json& o, const char* key, bool required, Read read) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) {
      if (required) p_.add(key, "is required");
      return;
    }
    if (!it->is_array() || it->size() > (std::string_view(key) == "actions" ? ob::kMaxActions : kMaxListed)) {
      p_.add(key, "must be a list");
      return;
    }
    for (std::size_t i = 0; i < it->size(); ++i) read((*it)[i], fmt::format("{}[{}]", key, i));
  }

  bool object(const Json& v, const std::string& at) {
    if (v.is_object()) return true;
    p_.add(at, "must be an object");
    return false;
  }

  Problems& problems() { return p_; }

 private:
  std::string_view language_;
  Problems& p_;
};

std::vector<std::string> keys_of(const Json& o, const char* key, const std::string& at, Problems& p) {
  std::vector<std::string> out;
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return out;
  if (!it->is_array()) return p.add(at, "must be a list of action keys"), out;
  for (const auto& k : *it) {
    if (!k.is_string()) return p.add(at, "must be a list of action keys"), out;
    out.push_back(k.get<std::string>());
  }
  return out;
}

struct CheckedTemplate {
  Json definition;
  OnboardingTemplateView view;
};

// The definition as stored: texts as objects by language, every field in its place.
Json definition_of(const OnboardingTemplateView& v) {
  const auto& t = v.tmpl;
  Json checklist = Json::array(), objectives = Json::array(), scope = Json::array(), actions = Json::array();
  for (const auto& step : t.checklist) checklist.push_back(text_json(step));
  for (const auto& o : t.objectives) {
    Json one = {{"key", o.key}, {"name", text_json(o.name)}, {"metric", ob::to_string(o.metric)}, {"target", o.target}};
    if (o.metric == ob::Metric::tickets_per_user_first_days) one["days"] = o.days;
    objectives.push_back(std::move(one));
  }
  for (const auto& e : t.scope)
    scope.push_back({{"dimension", ob::to_string(e.dimension)}, {"side", ob::to_string(e.side)}, {"description", text_json(e.description)}});
  for (const auto& a : t.actions)
    actions.push_back({{"key", a.key},
                       {"title", text_json(a.title)},
                       {"dimension", ob::to_string(a.dimension)},
                       {"performed_by", ob::to_string(a.performed_by)},
                       {"owner_role", a.owner_role},
                       {"due_offset_days", a.due_offset_days},
                       {"depends_on", a.depends_on}});
  return {{"name", text_json(t.name)},
          {"offering_id", v.offering_id ? Json(*v.offering_id) : Json(nullptr)},
          {"control_method", ob::to_string(t.control_method)},
          {"checklist", checklist},
          {"objectives", objectives},
          {"scope", scope},
          {"actions", actions}};
}

Result<std::optional<CheckedTemplate>> check_template_body(storage::Connection& c, const Json& def, std::string_view language,
                                                           Problems& p) {
  OnboardingTemplateView v;
  auto& t = v.tmpl;
  Reader in(language, p);
  t.name = in.text(def, "name", "name", true, kNameLimit);
  if (auto offering = id_field(def, "offering_id", p)) {
    ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::offering, *offering));
    if (!found) p.add("offering_id", "no such offering");
    v.offering_id = *offering;
  }
  t.control_method = in.one_of(def, "control_method", "control_method", ob::parse_control_method,
                               "programme, project, normal_change, standard_change, automated_deployment, audit_assurance",
                               ob::ControlMethod::project);
  if (auto it = def.find("checklist"); it != def.end() && !it->is_null()) {
    if (!it->is_array() || it->size() > kMaxListed) p.add("checklist", "must be a list of steps");
    else
      for (std::size_t i = 0; i < it->size(); ++i)
        if (auto step = text_of((*it)[i], fmt::format("checklist[{}]", i), language, kTextLimit, p)) t.checklist.push_back(*step);
  }
  in.each(def, "objectives", false, [&](const Json& o, const std::string& at) {
    if (!in.object(o, at)) return;
    ob::Objective obj;
    obj.key = in.word(o, "key", at + ".key");
    obj.name = in.text(o, "name", at + ".name", true);
    obj.metric = in.one_of(o, "metric", at + ".metric", ob::parse_metric,
                           "tickets_per_user_first_days, first_contact_resolution, satisfaction_average, share_of_users_eligible",
                           ob::Metric::first_contact_resolution);
    obj.target = in.number<double>(o, "target", at + ".target", true).value_or(0);
    obj.days = in.number<int>(o, "days", at + ".days", false).value_or(0);
    t.objectives.push_back(std::move(obj));
  });
  in.each(def, "scope", false, [&](const Json& o, const std::string& at) {
    if (!in.object(o, at)) return;
    ob::ScopeEntry entry;
    entry.dimension = in.one_of(o, "dimension", at + ".dimension", ob::parse_dimension,
                                "organizations_people, value_streams_processes, information_technology, partners_suppliers",
                                ob::Dimension::organizations_people);
    entry.side = in.one_of(o, "side", at + ".side", ob::parse_side, "provider, consumer", ob::Side::provider);
    entry.description = in.text(o, "description", at + ".description", true);
    t.scope.push_back(std::move(entry));
  });
  in.each(def, "actions", true, [&](const Json& o, const std::string& at) {
    if (!in.object(o, at)) return;
    ob::ActionTemplate a;
    a.key = in.word(o, "key", at + ".key");
    a.title = in.text(o, "title", at + ".title", true);
    a.dimension = in.one_of(o, "dimension", at + ".dimension", ob::parse_dimension,
                            "organizations_people, value_streams_processes, information_technology, partners_suppliers",
                            ob::Dimension::organizations_people);
    a.performed_by = in.one_of(o, "performed_by", at + ".performed_by", ob::parse_performer, "provider, consumer, consumer_partner",
                               ob::Performer::provider);
    a.owner_role = in.word(o, "owner_role", at + ".owner_role");
    a.due_offset_days = in.number<int>(o, "due_offset_days", at + ".due_offset_days", false).value_or(0);
    a.depends_on = keys_of(o, "depends_on", at + ".depends_on", p);
    t.actions.push_back(std::move(a));
  });
  // The template as a whole — keys, ranges, dependencies and their cycles — once every part
  // could be read (a part that could not is already named, and would only be named again).
  if (!p.any())
    if (auto whole = ob::check_template(t); !whole)
      for (auto& d : whole.error().details) p.add(std::move(d.field), std::move(d.problem));
  if (p.any()) return std::optional<CheckedTemplate>();
  v.name = t.name;
  auto definition = definition_of(v);
  return std::optional<CheckedTemplate>(CheckedTemplate{std::move(definition), std::move(v)});
}

// A stored template as the use cases read it (its definition was checked when saved).
OnboardingTemplateView template_view(storage::StoredDefinition stored) {
  auto def = Json::parse(stored.definition);
  OnboardingTemplateView v;
  auto& t = v.tmpl;
  t.name = stored_text(def["name"]);
  if (def["offering_id"].is_string()) v.offering_id = def["offering_id"].get<std::string>();
  t.control_method = ob::parse_control_method(def.value("control_method", "")).value_or(ob::ControlMethod::project);
  for (const auto& step : def["checklist"]) t.checklist.push_back(stored_text(step));
  for (const auto& o : def["objectives"])
    t.objectives.push_back({o.value("key", ""), stored_text(o["name"]), ob::parse_metric(o.value("metric", "")).value_or(ob::Metric::first_contact_resolution),
                            o.value("target", 0.0), o.value("days", 0)});
  for (const auto& e : def["scope"])
    t.scope.push_back({ob::parse_dimension(e.value("dimension", "")).value_or(ob::Dimension::organizations_people),
                       ob::parse_side(e.value("side", "")).value_or(ob::Side::provider), stored_text(e["description"])});
  for (const auto& a : def["actions"])
    t.actions.push_back({a.value("key", ""), stored_text(a["title"]),
                         ob::parse_dimension(a.value("dimension", "")).value_or(ob::Dimension::organizations_people),
                         ob::parse_performer(a.value("performed_by", "")).value_or(ob::Performer::provider), a.value("owner_role", ""),
                         a.value("due_offset_days", 0), a.value("depends_on", std::vector<std::string>{})});
  v.name = t.name;
  v.stored = std::move(stored);
  return v;
}

}  // namespace

Result<OnboardingTemplateView> create_onboarding_template(const Services& s, const Actor& actor, const CatalogInput& in) {
  return create_translatable<OnboardingTemplateView>(s, actor, kTemplate, in.fields_json,
                                                     [&](storage::Connection& c, const Json& def, Problems& p) {
                                                       return check_template_body(c, def, actor.language, p);
                                                     });
}

Result<std::vector<OnboardingTemplateView>> list_onboarding_templates(const Services& s, const Actor& actor) {
  return list_definitions(s, actor, "onboarding_template.read", Kind::onboarding_template, template_view);
}

Result<OnboardingTemplateView> get_onboarding_template(const Services& s, const Actor& actor, std::string_view id) {
  return get_definition(s, actor, "onboarding_template.read", Kind::onboarding_template, id, kTemplate.missing, template_view);
}

Result<OnboardingTemplateView> update_onboarding_template(const Services& s, const Actor& actor, std::string_view id,
                                                          std::int64_t expected_version, const CatalogInput& patch) {
  return patch_translatable<OnboardingTemplateView>(s, actor, kTemplate, id, expected_version, patch.fields_json,
                                                    [&](storage::Connection& c, const Json& def, Problems& p) {
                                                      return check_template_body(c, def, actor.language, p);
                                                    });
}

Result<void> delete_onboarding_template(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, kTemplate.manage));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto stored, load_definition(c, Kind::onboarding_template, id, kTemplate.missing));
    return remove_definition(c, s, actor, Kind::onboarding_template, kTemplate.type, stored);
  });
}

}  // namespace tandem::usecase
