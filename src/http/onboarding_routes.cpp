// ONB-1: onboarding templates (relationship managers and administrators design them; the
// provider's staff read them). Texts are written as the catalog's are (http/texts.h).
#include "http/definition_routes.h"
#include "http/routes.h"
#include "http/texts.h"
#include "usecase/onboarding_templates.h"

namespace tandem::http {
namespace {

namespace ob = ::tandem::onboarding;

usecase::CatalogInput template_input(Fields&, const Json& body) { return usecase::CatalogInput{body.dump()}; }

Json render_template(const usecase::OnboardingTemplateView& v, const Request& r) {
  auto texts = texts_for(r);
  const auto& t = v.tmpl;
  Json checklist = Json::array(), objectives = Json::array(), scope = Json::array(), actions = Json::array();
  for (const auto& step : t.checklist) checklist.push_back(texts(step));
  for (const auto& o : t.objectives) {
    Json one = {{"key", o.key}, {"name", texts(o.name)}, {"metric", ob::to_string(o.metric)}, {"target", o.target}};
    if (o.metric == ob::Metric::tickets_per_user_first_days) one["days"] = o.days;
    objectives.push_back(std::move(one));
  }
  for (const auto& e : t.scope)
    scope.push_back({{"dimension", ob::to_string(e.dimension)}, {"side", ob::to_string(e.side)}, {"description", texts(e.description)}});
  for (const auto& a : t.actions)
    actions.push_back({{"key", a.key},
                       {"title", texts(a.title)},
                       {"dimension", ob::to_string(a.dimension)},
                       {"performed_by", ob::to_string(a.performed_by)},
                       {"owner_role", a.owner_role},
                       {"due_offset_days", a.due_offset_days},
                       {"depends_on", a.depends_on}});
  Json out = {{"id", v.stored.id},
          {"name", texts(t.name)},
          {"offering_id", v.offering_id ? Json(*v.offering_id) : Json(nullptr)},
          {"control_method", ob::to_string(t.control_method)},
          {"checklist", checklist},
          {"objectives", objectives},
          {"scope", scope},
          {"actions", actions},
          {"order", v.stored.position},
          {"active", v.stored.active},
          {"version", v.stored.version},
          {"etag", etag_of(v.stored.version)},
          {"created_at", time_text(v.stored.created_at)},
          {"updated_at", time_text(v.stored.updated_at)}};
  // A standard change follows the predefined checklist: shown apart, as it is nobody's to write.
  if (t.control_method == ob::ControlMethod::standard_change) {
    Json standard = Json::array();
    for (const auto& step : ob::standard_change_checklist()) standard.push_back(texts(step));
    out["standard_checklist"] = std::move(standard);
  }
  return out;
}

}  // namespace

void register_onboarding_routes(Router& router, const RouteContext& ctx) {
  add_definition_routes<usecase::CatalogInput, usecase::OnboardingTemplateView>(
      router, ctx.services,
      {"/api/v1/onboarding-templates", usecase::kOnboardingTemplateFields, template_input, usecase::list_onboarding_templates,
       usecase::create_onboarding_template, usecase::get_onboarding_template, usecase::update_onboarding_template,
       usecase::delete_onboarding_template, render_template});
}

}  // namespace tandem::http
