// Groups of a customer organisation's people (entitlements by group; SCIM groups, ONB-13).
// Reads go through the caller's scope: staff see every organisation's groups, anyone else only
// their own organisation's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/scope.h"

namespace tandem::storage {

struct UserGroup {
  std::string id;
  std::string organization_id;
  std::string name;
  std::string description;
  std::optional<std::string> external_id;  // the identity provider's id, when it pushed the group
  std::vector<std::string> member_ids;     // in id order
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

std::string canonical(const UserGroup& group);

namespace user_groups {
Result<void> insert(Connection& c, const UserGroup& group);
Result<std::optional<UserGroup>> find(Connection& c, const Scope& scope, std::string_view id);
// The group of the organisation with the name, if any (names are unique in an organisation).
Result<std::optional<std::string>> id_named(Connection& c, std::string_view organization_id,
                                            std::string_view name);
// In id order; only the organisation's when `organization_id` is given.
Result<Page<UserGroup>> list(Connection& c, const Scope& scope,
                             const std::optional<std::string>& organization_id,
                             const PageRequest& page);
// Fails with failed_precondition when the stored version is not `group.version - 1`.
Result<void> update(Connection& c, const UserGroup& group);
Result<void> remove(Connection& c, std::string_view id);
// The ids of the groups of the organisation the user belongs to, in id order.
Result<std::vector<std::string>> of_user(Connection& c, std::string_view organization_id, std::string_view user_id);
// The user leaves every group (on moving to another organisation).
Result<void> leave_all(Connection& c, std::string_view user_id);
}  // namespace user_groups

}  // namespace tandem::storage
