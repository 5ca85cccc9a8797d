#include "domain/sla/policy.h"

#include <algorithm>

namespace tandem::sla {
namespace {

template <class T>
bool holds(const std::vector<T>& allowed, const T& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

bool matches(const PolicyConditions& when, const PolicyFacts& t, const OpenAt& open_at) {
  if (!holds(when.types, t.type) || !holds(when.channels, t.channel) || !holds(when.organization_ids, t.organization_id) ||
      !holds(when.priorities, t.priority) || !holds(when.impacts, t.impact))
    return false;
  if (!when.service_ids.empty() && (!t.service_id || !holds(when.service_ids, *t.service_id))) return false;
  if (!when.request_type_ids.empty() && (!t.request_type_id || !holds(when.request_type_ids, *t.request_type_id))) return false;
  if (!when.tier_ids.empty() && std::none_of(t.tier_ids.begin(), t.tier_ids.end(), [&](const std::string& tier) {
        return std::find(when.tier_ids.begin(), when.tier_ids.end(), tier) != when.tier_ids.end();
      }))
    return false;
  if (!when.user_flags.empty() &&
      std::none_of(when.user_flags.begin(), when.user_flags.end(),
                   [&](auto flag) { return std::find(t.user_flags.begin(), t.user_flags.end(), flag) != t.user_flags.end(); }))
    return false;
  bool vulnerable = std::any_of(t.user_flags.begin(), t.user_flags.end(), identity::marks_vulnerability);
  if (when.vulnerable && *when.vulnerable != vulnerable) return false;
  if (when.raised_outside_hours_of && open_at(*when.raised_outside_hours_of, t.raised_at)) return false;
  return true;
}

}  // namespace

std::string_view to_string(Escalation::Action action) {
  switch (action) {
    case Escalation::Action::notify: return "notify";
    case Escalation::Action::reassign: return "reassign";
    case Escalation::Action::raise_priority: return "raise_priority";
  }
  return "";
}

std::optional<Escalation::Action> parse_escalation_action(std::string_view text) {
  for (auto a : {Escalation::Action::notify, Escalation::Action::reassign, Escalation::Action::raise_priority})
    if (to_string(a) == text) return a;
  return std::nullopt;
}

const Policy* match_policy(std::span<const Policy> policies, const PolicyFacts& ticket, const OpenAt& open_at) {
  for (const auto& p : policies)
    if (matches(p.when, ticket, open_at)) return &p;
  return nullptr;
}

}  // namespace tandem::sla
