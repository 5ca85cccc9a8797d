#include "domain/catalog/entitlement.h"

#include <algorithm>

namespace tandem::catalog {
namespace {

bool holds(const std::vector<std::string>& held, const std::string& id) { return std::find(held.begin(), held.end(), id) != held.end(); }

bool applies(const EntitlementRule& rule, const CatalogReader& reader) {
  if (!rule.organization_id.empty() && rule.organization_id != reader.organization_id) return false;
  if (!rule.group_id.empty() && !holds(reader.group_ids, rule.group_id)) return false;
  return !rule.role || std::find(reader.roles.begin(), reader.roles.end(), *rule.role) != reader.roles.end();
}

std::vector<Missing> still_needed(const EntitlementRule& rule, const CatalogReader& reader) {
  std::vector<Missing> out;
  if (!rule.tier_id.empty() && !holds(reader.tier_ids, rule.tier_id)) out.push_back({Missing::Kind::tier, rule.tier_id});
  for (const auto& r : rule.requirement_ids)
    if (!holds(reader.requirements_met, r)) out.push_back({Missing::Kind::requirement, r});
  return out;
}

}  // namespace

Entitlements::Entitlements(std::vector<EntitlementRule> rules) : rules_(std::move(rules)) {
  for (std::size_t i = 0; i < rules_.size(); ++i) by_target_[rules_[i].target_id].push_back(i);
}

const Entitlements::RuleIndices* Entitlements::rules_naming(std::string_view target_id) const {
  auto found = by_target_.find(target_id);
  return found == by_target_.end() ? nullptr : &found->second;
}

void Entitlements::weigh(const RuleIndices* rules, const CatalogReader& reader, Entitlement& out) const {
  if (!rules) return;
  for (auto i : *rules) {
    if (out.eligible) return;
    const auto& rule = rules_[i];
    if (!applies(rule, reader)) continue;
    auto missing = still_needed(rule, reader);
    if (!out.visible || missing.size() < out.missing.size()) out.missing = std::move(missing);
    out.visible = true;
    out.eligible = out.missing.empty();
  }
}

Entitlement Entitlements::of(const RuleIndices* type_rules, const RuleIndices* service_rules, const CatalogReader& reader) const {
  Entitlement out;
  weigh(type_rules, reader, out);
  weigh(service_rules, reader, out);
  return out;
}

Entitlement Entitlements::of_request_type(std::string_view service_id, std::string_view request_type_id,
                                          const CatalogReader& reader) const {
  return of(rules_naming(request_type_id), rules_naming(service_id), reader);
}

Entitlement Entitlements::of_service(std::string_view service_id, const CatalogReader& reader) const {
  return of(nullptr, rules_naming(service_id), reader);
}

}  // namespace tandem::catalog
