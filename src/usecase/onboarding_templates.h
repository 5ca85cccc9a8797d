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
  catalog::LocalizedText name;  // tmpl.name, where the catalog's kinds keep their name
  std::optional<std::string> offering_id;
  onboarding::Template tmpl;
};

Result<OnboardingTemplateView> create_onboarding_template(const Services& s, const identity::Actor& actor, const CatalogInput& in);
Result<std::vector<OnboardingTemplateView>> list_onboarding_templates(const Services& s, const identity::Actor& actor);
Result<OnboardingTemplateView> get_onboarding_template(const Services& s, const identity::Actor& actor, std::string_view id);
Result<OnboardingTemplateView> update_onboarding_template(const Services& s, const identity::Actor& actor, std::string_view id,
                                                          std::int64_t expected_version, const CatalogInput& patch);
Result<void> delete_onboarding_template(const Services& s, const identity::Actor& actor, std::string_view id);

}  // namespace tandem::usecase
