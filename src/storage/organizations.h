// Organisations: the provider (exactly one) and consumer organisations (tenants).
#pragma once

#include <optional>
#include <string>

#include "domain/identity/identity.h"
#include "storage/scope.h"

namespace tandem::storage {

struct Organization {
  std::string id;
  std::string name;
  identity::OrganizationKind kind = identity::OrganizationKind::consumer;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// The form hashed into audit digests.
std::string canonical(const Organization& org);

namespace organizations {
Result<void> insert(Connection& c, const Organization& org);
Result<std::optional<Organization>> find(Connection& c, const Scope& scope, std::string_view id);
Result<std::optional<Organization>> find_provider(Connection& c);
Result<Page<Organization>> list(Connection& c, const Scope& scope, const PageRequest& page);
// Fails with failed_precondition when the stored version is not `org.version - 1`.
Result<void> update(Connection& c, const Organization& org);
// Fails with conflict while users or teams still belong to it.
Result<void> remove(Connection& c, std::string_view id);
}  // namespace organizations

}  // namespace tandem::storage
