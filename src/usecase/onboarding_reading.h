// What the onboarding use cases share (internal to usecase/): reading one action of a body as
// templates and adapted plans send it, and a stored template as the use cases read it.
#pragma once

#include <string>
#include <string_view>

#include "usecase/catalog_definitions.h"
#include "usecase/onboarding_templates.h"

namespace tandem::usecase {

// One action of a body, each problem named at its place under `at` ("actions[2].dimension").
// Only what can be read alone is checked here; the template as a whole checks the rest.
onboarding::ActionTemplate read_onboarding_action(const catalog_definitions::Json& o, const std::string& at,
                                                  std::string_view language, Problems& p);

// A stored template (its definition was checked when saved).
OnboardingTemplateView template_view(storage::StoredDefinition stored);

}  // namespace tandem::usecase
