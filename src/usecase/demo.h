// The car-share demo (PRODUCT.md running example): the provider, a university consumer
// organisation, staff and users in both languages, and teams. Loading twice changes nothing.
#pragma once

#include "usecase/context.h"

namespace tandem::usecase {

inline constexpr std::string_view kDemoPassword = "demo-Passw0rd!";

struct DemoSummary {
  int organizations = 0;
  int users = 0;
  int teams = 0;
  bool already_loaded = false;
};
Result<DemoSummary> load_demo(const Services& s);

}  // namespace tandem::usecase
