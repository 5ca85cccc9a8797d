// Browser sessions and personal access tokens. Only hashes of the secrets are stored.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace tandem::storage {

struct SessionRecord {
  std::string user_id;
  std::string csrf_token;
  std::int64_t expires_at = 0;
};

struct AccessToken {
  std::string id;
  std::string user_id;
  std::string name;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> expires_at;
};

namespace sessions {
Result<void> insert(Connection& c, std::string_view token_hash, std::string_view user_id, std::string_view csrf,
                    std::int64_t created_at, std::int64_t expires_at);
Result<std::optional<SessionRecord>> find(Connection& c, std::string_view token_hash, std::int64_t now);
Result<void> remove(Connection& c, std::string_view token_hash);
// Ends every session of the user but `keep_hash` (empty: all) and every access token.
Result<void> revoke_all(Connection& c, std::string_view user_id, std::string_view keep_hash);
}  // namespace sessions

namespace access_tokens {
Result<void> insert(Connection& c, const AccessToken& token, std::string_view token_hash);
struct TokenOwner {
  std::string user_id;
  std::optional<std::int64_t> expires_at;
};
// The owner of a live token.
Result<std::optional<TokenOwner>> user_for(Connection& c, std::string_view token_hash, std::int64_t now);
Result<std::vector<AccessToken>> list(Connection& c, std::string_view user_id);
// False when the user has no such token.
Result<bool> remove(Connection& c, std::string_view user_id, std::string_view id);
}  // namespace access_tokens

}  // namespace tandem::storage
