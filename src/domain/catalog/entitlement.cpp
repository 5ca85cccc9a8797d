#include "domain/catalog/entitlement.h"

#include <algorithm>

namespace tandem::catalog {
namespace {

bool holds(const std::vector<std::string>& held, const std::string& id) { return std::find(held.begin(), held.end(), id) != held.end(); }

bool applies(const EntitlementRule& rule, const CatalogReader& reader) {
  if (!rule.organization_id.empty() && rule.organization_id != reader.organization_id) return false;
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
  for (std::size_t i = 0; i < rules_.size(); ++i) by_target_.emplace(rules_[i].target_id, i);
}

void Entitlements::weigh(std::string_view target_id, const CatalogReader& reader, Entitlement& out) const {
  auto [from, to] = by_target_.equal_range(target_id);
  for (auto it = from; it != to && !out.eligible; ++it) {
    const auto& rule = rules_[it->second];
    if (!applies(rule, reader)) continue;
    auto missing = still_needed(rule, reader);
    if (!out.visible || missing.size() < out.missing.size()) out.missing = std::move(missing);
    out.visible = true;
    out.eligible = out.missing.empty();
  }
}

Entitlement Entitlements::of_request_type(std::string_view service_id, std::string_view request_type_id,
                                          const CatalogReader& reader) const {
  Entitlement out;
  weigh(request_type_id, reader, out);
  weigh(service_id, reader, out);
  return out;
}

Entitlement Entitlements::of_service(std::string_view service_id, const CatalogReader& reader) const {
  Entitlement out;
  weigh(service_id, reader, out);
  return out;
}

}  // namespace tandem::catalog
