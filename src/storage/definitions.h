// Provider configuration kept as a checked JSON definition per row: business calendars and SLA
// policies (DESK-3); the catalog's services, request types, entitlement rules, offerings and
// their tiers (DESK-5, ONB-6); the webhook endpoints of automated fulfilment (DESK-5); onboarding
// templates (ONB-1); enablement requirements (ONB-8), trainings (ONB-9) and terms (ONB-7). The use
// cases parse and check the definitions; storage only keeps them, in order, with optimistic
// versions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "storage/database.h"

namespace tandem::storage {

enum class DefinitionKind {
  calendar, sla_policy, service, request_type, entitlement, offering, tier, webhook_endpoint, onboarding_template, requirement,
  training, terms
};
inline constexpr DefinitionKind kTimeframeKinds[] = {DefinitionKind::calendar, DefinitionKind::sla_policy};
inline constexpr DefinitionKind kCatalogKinds[] = {DefinitionKind::service,  DefinitionKind::request_type, DefinitionKind::entitlement,
                                                   DefinitionKind::offering, DefinitionKind::tier,         DefinitionKind::requirement,
                                                   DefinitionKind::training, DefinitionKind::terms};

struct StoredDefinition {
  std::string id;
  std::int64_t position = 0;
  std::string name;
  std::string definition = "{}";  // JSON object
  bool active = true;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

std::string canonical(DefinitionKind kind, const StoredDefinition& d);

namespace definitions {
Result<void> insert(Connection& c, DefinitionKind kind, const StoredDefinition& d);
Result<std::optional<StoredDefinition>> find(Connection& c, DefinitionKind kind, std::string_view id);
// Every definition of the kind in order: tens of calendars and policies, thousands of request
// types at most (the catalog reads them once per change, into a cache).
Result<std::vector<StoredDefinition>> all(Connection& c, DefinitionKind kind);
// failed_precondition when the stored version is not `d.version - 1`.
Result<void> update(Connection& c, DefinitionKind kind, const StoredDefinition& d);
Result<void> remove(Connection& c, DefinitionKind kind, std::string_view id);
// A text that changes whenever any definition of the kinds is added, changed or removed — by
// this process, the command line or another node — for caches of what they define: the kinds'
// counters, which every insert, update and remove here raises in its transaction.
Result<std::string> fingerprint(Connection& c, std::span<const DefinitionKind> kinds);
}  // namespace definitions

}  // namespace tandem::storage
