#include "storage/sessions.h"

namespace tandem::storage {
namespace sessions {

Result<void> insert(Connection& c, std::string_view token_hash, std::string_view user_id, std::string_view csrf,
                    std::int64_t created_at, std::int64_t expires_at) {
  TRY(c.execute("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                {std::string(token_hash), std::string(user_id), std::string(csrf), created_at, expires_at}));
  return {};
}

Result<std::optional<SessionRecord>> find(Connection& c, std::string_view token_hash, std::int64_t now) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT user_id, csrf_token, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?",
                                      {std::string(token_hash), now}));
  if (rows.empty()) return std::nullopt;
  return SessionRecord{rows[0].text(0), rows[0].text(1), rows[0].integer(2)};
}

Result<void> remove(Connection& c, std::string_view token_hash) {
  TRY(c.execute("DELETE FROM sessions WHERE token_hash = ?", {std::string(token_hash)}));
  return {};
}

Result<void> revoke_all(Connection& c, std::string_view user_id, std::string_view keep_hash) {
  TRY(c.execute("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", {std::string(user_id), std::string(keep_hash)}));
  TRY(c.execute("DELETE FROM access_tokens WHERE user_id = ?", {std::string(user_id)}));
  return {};
}

}  // namespace sessions

namespace access_tokens {

Result<void> insert(Connection& c, const AccessToken& t, std::string_view token_hash) {
  TRY(c.execute("INSERT INTO access_tokens (id, user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                {t.id, t.user_id, t.name, std::string(token_hash), t.created_at,
                 t.expires_at ? Value(*t.expires_at) : null_value()}));
  return {};
}

Result<std::optional<TokenOwner>> user_for(Connection& c, std::string_view token_hash, std::int64_t now) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT user_id, expires_at FROM access_tokens WHERE token_hash = ? AND (expires_at IS NULL OR expires_at > ?)",
                                      {std::string(token_hash), now}));
  if (rows.empty()) return std::nullopt;
  return TokenOwner{rows[0].text(0), rows[0].maybe_integer(1)};
}

Result<std::vector<AccessToken>> list(Connection& c, std::string_view user_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT id, user_id, name, created_at, expires_at FROM access_tokens WHERE user_id = ? ORDER BY id",
                                      {std::string(user_id)}));
  std::vector<AccessToken> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.text(1), r.text(2), r.integer(3), r.maybe_integer(4)});
  return out;
}

Result<bool> remove(Connection& c, std::string_view user_id, std::string_view id) {
  ASSIGN_OR_RETURN(auto n, c.execute("DELETE FROM access_tokens WHERE id = ? AND user_id = ?", {std::string(id), std::string(user_id)}));
  return n > 0;
}

}  // namespace access_tokens
}  // namespace tandem::storage
