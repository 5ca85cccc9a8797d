#include "domain/sla/policy.h"

#include <algorithm>

namespace tandem::sla {
namespace {

template <class T>
bool holds(const std::vector<T>& allowed, const T& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

// The conditions on what was raised: the service and the catalog request type.
bool item_holds(const PolicyConditions& when, std::optional<std::string_view> service_id,
                std::optional<std::string_view> request_type_id) {
  auto named = [](const std::vector<std::string>& ids, std::string_view id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  if (!when.service_ids.empty() && (!service_id || !named(when.service_ids, *service_id))) return false;
  return when.request_type_ids.empty() || (request_type_id && named(when.request_type_ids, *request_type_id));
}

std::optional<std::string_view> view(const std::optional<std::string>& s) {
  return s ? std::optional<std::string_view>(*s) : std::nullopt;
}

// Every other condition.
bool rest_holds(const PolicyConditions& when, const PolicyFacts& t, const OpenAt& open_at) {
  if (!holds(when.types, t.type) || !holds(when.channels, t.channel) || !holds(when.organization_ids, t.organization_id) ||
      !holds(when.priorities, t.priority) || !holds(when.impacts, t.impact))
    return false;
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

bool matches(const PolicyConditions& when, const PolicyFacts& t, const OpenAt& open_at) {
  return item_holds(when, view(t.service_id), view(t.request_type_id)) && rest_holds(when, t, open_at);
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

PolicyShortlist::PolicyShortlist(std::span<const Policy> policies, const PolicyFacts& common, const OpenAt& open_at) {
  for (const auto& p : policies)
    if (rest_holds(p.when, common, open_at)) candidates_.push_back(&p);
}

const Policy* PolicyShortlist::first_for(std::optional<std::string_view> service_id,
                                         std::optional<std::string_view> request_type_id) const {
  for (const auto* p : candidates_)
    if (item_holds(p->when, service_id, request_type_id)) return p;
  return nullptr;
}

}  // namespace tandem::sla
