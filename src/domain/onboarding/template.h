// ONB-1: an onboarding template — what a provider does with a customer to bring it, or one of its
// people, onto a service: objectives measured on live data, the scope over the four dimensions of
// service management and both sides, the actions with their owners, due offsets and
// dependencies, and the method by which the work is controlled. Pure: the use case reads and
// keeps templates; this checks one as a whole.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/catalog/localized_text.h"

namespace tandem::onboarding {

using catalog::LocalizedText;

// The four dimensions of service management (ITIL 4).
enum class Dimension { organizations_people, value_streams_processes, information_technology, partners_suppliers };
std::optional<Dimension> parse_dimension(std::string_view text);
std::string_view to_string(Dimension d);

enum class Side { provider, consumer };
std::optional<Side> parse_side(std::string_view text);
std::string_view to_string(Side s);

// Who performs an action: the provider, the consumer, or a partner the consumer brings.
enum class Performer { provider, consumer, consumer_partner };
std::optional<Performer> parse_performer(std::string_view text);
std::string_view to_string(Performer p);

// How the onboarding work is controlled. A normal change has its own checklist in the template;
// a standard change follows the predefined one (standard_change_checklist).
enum class ControlMethod { programme, project, normal_change, standard_change, automated_deployment, audit_assurance };
std::optional<ControlMethod> parse_control_method(std::string_view text);
std::string_view to_string(ControlMethod m);

// ONB-4: what an objective measures, from live data. tickets_per_user_first_days (tickets each
// onboarded user raised in their first `days` days) is met at or below the target; the others —
// first_contact_resolution and share_of_users_eligible as shares 0..1, satisfaction_average on
// the 1..5 scale — at or above it.
enum class Metric { tickets_per_user_first_days, first_contact_resolution, satisfaction_average, share_of_users_eligible };
std::optional<Metric> parse_metric(std::string_view text);
std::string_view to_string(Metric m);
bool objective_met(Metric m, double target, double value);

struct Objective {
  std::string key;
  LocalizedText name;
  Metric metric = Metric::first_contact_resolution;
  double target = 0;
  int days = 0;  // tickets_per_user_first_days only: the first N days (1..365)
};

struct ScopeEntry {
  Dimension dimension = Dimension::organizations_people;
  Side side = Side::provider;
  LocalizedText description;
};

struct ActionTemplate {
  std::string key;  // a-z, 0-9, _: what other actions' depends_on name
  LocalizedText title;
  Dimension dimension = Dimension::organizations_people;
  Performer performed_by = Performer::provider;
  std::string owner_role;  // the role that owns it on its side (identity role name)
  int due_offset_days = 0;  // days after the plan's start; 0..3650
  std::vector<std::string> depends_on;
};

struct Template {
  LocalizedText name;
  ControlMethod control_method = ControlMethod::project;
  std::vector<LocalizedText> checklist;  // a normal change's own; empty otherwise
  std::vector<Objective> objectives;
  std::vector<ScopeEntry> scope;
  std::vector<ActionTemplate> actions;
};

inline constexpr std::size_t kMaxActions = 200;
inline constexpr int kMaxDueOffsetDays = 3650;

// A standard change's predefined checklist: the steps agreed once for every change of its kind.
const std::vector<LocalizedText>& standard_change_checklist();

// Checks a template as a whole. Each problem is named by its place ("actions[2].depends_on",
// "objectives[0].days"): keys malformed or used twice, a dependency on no action or on itself,
// an owner role that is no role, offsets and targets out of range, a normal change without its
// checklist. A dependency cycle is named in full, in order, e.g. "a → b → c → a".
Result<void> check_template(const Template& t);

// The dependency cycle among `actions`, as keys from a start back to it (the first key again at
// the end), or nullopt. Dependencies that name no action are ignored.
std::optional<std::vector<std::string>> find_cycle(const std::vector<ActionTemplate>& actions);

}  // namespace tandem::onboarding
