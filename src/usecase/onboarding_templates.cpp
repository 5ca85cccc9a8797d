#include "usecase/onboarding_templates.h"

#include <fmt/format.h>

#include <cstdint>
#include <limits>
#include <set>

#include "domain/catalog/form.h"

#include "usecase/catalog_definitions.h"
#include "usecase/onboarding_reading.h"

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
    if (it == o.end() || it->is_null()) {
      p_.add(at, "is required");
      return "";
    }
    if (!it->is_string()) {
      p_.add(at, "must be text");
      return "";
    }
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

  std::optional<double> number(const Json& o, const char* key, const std::string& at) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) {
      p_.add(at, "is required");
      return std::nullopt;
    }
    if (!it->is_number()) {
      p_.add(at, "must be a number");
      return std::nullopt;
    }
    return it->get<double>();
  }

  // A whole number that fits an int (the template's own ranges are checked as a whole after).
  std::optional<int> whole(const Json& o, const char* key, const std::string& at) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return std::nullopt;
    // Read wide: nlohmann would cut a number too big for an int to fit, without a word.
    constexpr auto low = std::numeric_limits<int>::min(), high = std::numeric_limits<int>::max();
    bool fits = it->is_number_unsigned() ? it->get<std::uint64_t>() <= std::uint64_t(high)
                                         : it->is_number_integer() && it->get<std::int64_t>() >= low && it->get<std::int64_t>() <= high;
    if (!fits) {
      p_.add(at, "must be a whole number");
      return std::nullopt;
    }
    return static_cast<int>(it->get<std::int64_t>());
  }

  // The objects of a list field, each read by `read(object, "<key>[i]")`.
  template <class Read>
  void each(const Json& o, const char* key, bool required, Read read) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) {
      if (required) p_.add(key, "is required");
      return;
    }
    if (!it->is_array()) {
      p_.add(key, "must be a list");
      return;
    }
    auto most = std::string_view(key) == "actions" ? ob::kMaxActions : kMaxListed;
    if (it->size() > most) {
      p_.add(key, fmt::format("must hold at most {}", most));
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

// Keys only (a-z, 0-9, _, at most 64): what is not one is refused here, never repeated back in a
// problem.
std::vector<std::string> keys_of(const Json& o, const char* key, const std::string& at, Problems& p) {
  std::vector<std::string> out;
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return out;
  bool keys = it->is_array() && it->size() <= ob::kMaxActions;
  for (std::size_t i = 0; keys && i < it->size(); ++i) keys = (*it)[i].is_string() && catalog::valid_key((*it)[i].get<std::string>());
  if (!keys) {
    p.add(at, "must be a list of action keys (a-z, 0-9 and _)");
    return out;
  }
  for (const auto& k : *it) out.push_back(k.get<std::string>());
  return out;
}

}  // namespace

ob::ActionTemplate read_onboarding_action(const Json& o, const std::string& at, std::string_view language, Problems& p) {
  Reader in(language, p);
  ob::ActionTemplate a;
  a.key = in.word(o, "key", at + ".key");
  a.title = in.text(o, "title", at + ".title", true);
  a.dimension = in.one_of(o, "dimension", at + ".dimension", ob::parse_dimension,
                          "organizations_people, value_streams_processes, information_technology, partners_suppliers",
                          ob::Dimension::organizations_people);
  a.performed_by = in.one_of(o, "performed_by", at + ".performed_by", ob::parse_performer, "provider, consumer, consumer_partner",
                             ob::Performer::provider);
  a.owner_role = in.word(o, "owner_role", at + ".owner_role");
  a.due_offset_days = in.whole(o, "due_offset_days", at + ".due_offset_days").value_or(0);
  a.depends_on = keys_of(o, "depends_on", at + ".depends_on", p);
  return a;
}

namespace {

struct CheckedTemplate {
  Json definition;
  OnboardingTemplateView view;
};

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
    obj.target = in.number(o, "target", at + ".target").value_or(0);
    obj.days = in.whole(o, "days", at + ".days").value_or(0);
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
    t.actions.push_back(read_onboarding_action(o, at, language, p));
  });
  // The template as a whole — keys, roles, ranges, dependencies and their cycles — every
  // problem at once (API.md); but not again for a field, or an item ("objectives[0]"), already
  // named while reading: what could not be read was taken as a default the whole would blame.
  if (auto whole = ob::check_template(t); !whole) {
    auto item = [](const std::string& field) {
      auto end = field.find(']');
      return end == std::string::npos ? field : field.substr(0, end + 1);
    };
    std::set<std::string> named;
    for (const auto& d : p.details()) named.insert(item(d.field));
    for (auto& d : whole.error().details)
      if (!named.contains(item(d.field))) p.add(std::move(d.field), std::move(d.problem));
  }
  if (p.any()) return std::optional<CheckedTemplate>();
  // As stored: texts as objects by language, every field in its place.
  auto definition = onboarding_template_json<Json>(v, text_json);
  return std::optional<CheckedTemplate>(CheckedTemplate{std::move(definition), std::move(v)});
}

}  // namespace

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
  v.stored = std::move(stored);
  return v;
}

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
