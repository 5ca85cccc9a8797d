// ONB-13: the bearer tokens an identity provider provisions one organisation's people with. Only
// a hash of each secret is kept.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace tandem::storage {

struct ScimToken {
  std::string id;
  std::string organization_id;
  std::string name;
  std::string created_by;
  std::int64_t created_at = 0;
};

namespace scim_tokens {
Result<void> insert(Connection& c, const ScimToken& token, std::string_view token_hash);
Result<std::optional<ScimToken>> find(Connection& c, std::string_view id);
Result<std::optional<ScimToken>> by_hash(Connection& c, std::string_view token_hash);
// The organisation's tokens in id order.
Result<std::vector<ScimToken>> of_organization(Connection& c, std::string_view organization_id);
Result<void> remove(Connection& c, std::string_view id);
}  // namespace scim_tokens

}  // namespace tandem::storage
