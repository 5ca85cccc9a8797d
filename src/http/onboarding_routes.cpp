// ONB-1: onboarding templates (relationship managers and administrators design them; the
// provider's staff read them). Texts are written as the catalog's are (http/texts.h).
#include "http/definition_routes.h"
#include "http/routes.h"
#include "http/texts.h"
#include "usecase/onboarding_templates.h"

namespace tandem::http {
namespace {

namespace ob = ::tandem::onboarding;

Json render_template(const usecase::OnboardingTemplateView& v, const Request& r) {
  auto out = usecase::onboarding_template_json<Json>(v, texts_for(r));
  out.update({{"id", v.stored.id},
              {"order", v.stored.position},
              {"active", v.stored.active},
              {"version", v.stored.version},
              {"etag", etag_of(v.stored.version)},
              {"created_at", time_text(v.stored.created_at)},
              {"updated_at", time_text(v.stored.updated_at)}});
  // A standard change follows the predefined checklist: shown apart, as it is nobody's to write.
  if (v.tmpl.control_method == ob::ControlMethod::standard_change) {
    Json standard = Json::array();
    for (const auto& step : ob::standard_change_checklist()) standard.push_back(texts_for(r)(step));
    out["standard_checklist"] = std::move(standard);
  }
  return out;
}

}  // namespace

void register_onboarding_routes(Router& router, const RouteContext& ctx) {
  add_definition_routes<usecase::CatalogInput, usecase::OnboardingTemplateView>(
      router, ctx.services,
      {"/api/v1/onboarding-templates", usecase::kOnboardingTemplateFields, definition_json, usecase::list_onboarding_templates,
       usecase::create_onboarding_template, usecase::get_onboarding_template, usecase::update_onboarding_template,
       usecase::delete_onboarding_template, render_template});
}

}  // namespace tandem::http
