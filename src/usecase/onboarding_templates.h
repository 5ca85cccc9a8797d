// ONB-1: onboarding templates as the provider keeps them — relationship managers and
// administrators design them, the provider's staff read them. A template is checked as a whole
// (domain/onboarding/template.h: a dependency cycle is refused and named) and kept as a
// definition like the catalog's, its texts in every language they were written in.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/onboarding/template.h"
#include "storage/definitions.h"
#include "usecase/catalog.h"
#include "usecase/context.h"

namespace tandem::usecase {

// The fields of a template's body; any other is refused by name.
inline constexpr std::array<std::string_view, 9> kOnboardingTemplateFields = {
    "name", "offering_id", "control_method", "checklist", "objectives", "scope", "actions", "order", "active"};

struct OnboardingTemplateView {
  storage::StoredDefinition stored;
  std::optional<std::string> offering_id;
  onboarding::Template tmpl;
};

// The template's fields as JSON, each text written by `text` — every language as stored, one
// language as a reader asks. One writer for both, so what is kept and what is read never part.
// (A template over Json: this header stays free of the JSON library.)
template <class Json, class Text>
Json onboarding_template_json(const OnboardingTemplateView& v, Text text) {
  namespace ob = ::tandem::onboarding;
  const auto& t = v.tmpl;
  Json checklist = Json::array(), objectives = Json::array(), scope = Json::array(), actions = Json::array();
  for (const auto& step : t.checklist) checklist.push_back(text(step));
  for (const auto& o : t.objectives) {
    Json one = {{"key", o.key}, {"name", text(o.name)}, {"metric", ob::to_string(o.metric)}, {"target", o.target}};
    if (o.metric == ob::Metric::tickets_per_user_first_days) one["days"] = o.days;
    objectives.push_back(std::move(one));
  }
  for (const auto& e : t.scope)
    scope.push_back({{"dimension", ob::to_string(e.dimension)}, {"side", ob::to_string(e.side)}, {"description", text(e.description)}});
  for (const auto& a : t.actions)
    actions.push_back({{"key", a.key},
                       {"title", text(a.title)},
                       {"dimension", ob::to_string(a.dimension)},
                       {"performed_by", ob::to_string(a.performed_by)},
                       {"owner_role", a.owner_role},
                       {"due_offset_days", a.due_offset_days},
                       {"depends_on", a.depends_on}});
  return {{"name", text(t.name)},
          {"offering_id", v.offering_id ? Json(*v.offering_id) : Json(nullptr)},
          {"control_method", ob::to_string(t.control_method)},
          {"checklist", checklist},
          {"objectives", objectives},
          {"scope", scope},
          {"actions", actions}};
}

Result<OnboardingTemplateView> create_onboarding_template(const Services& s, const identity::Actor& actor, const CatalogInput& in);
Result<std::vector<OnboardingTemplateView>> list_onboarding_templates(const Services& s, const identity::Actor& actor);
Result<OnboardingTemplateView> get_onboarding_template(const Services& s, const identity::Actor& actor, std::string_view id);
Result<OnboardingTemplateView> update_onboarding_template(const Services& s, const identity::Actor& actor, std::string_view id,
                                                          std::int64_t expected_version, const CatalogInput& patch);
Result<void> delete_onboarding_template(const Services& s, const identity::Actor& actor, std::string_view id);

}  // namespace tandem::usecase
