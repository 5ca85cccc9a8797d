#include "storage/scim_tokens.h"

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns = "id, organization_id, name, created_by, created_at";

ScimToken from_row(const Row& r) { return ScimToken{r.text(0), r.text(1), r.text(2), r.text(3), r.integer(4)}; }

Result<std::optional<ScimToken>> one(Connection& c, std::string_view where, std::string_view value) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT " + std::string(kColumns) + " FROM scim_tokens WHERE " + std::string(where) + " = ?",
                                      {std::string(value)}));
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

}  // namespace

namespace scim_tokens {

Result<void> insert(Connection& c, const ScimToken& t, std::string_view token_hash) {
  TRY(c.execute("INSERT INTO scim_tokens (id, organization_id, name, token_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                {t.id, t.organization_id, t.name, std::string(token_hash), t.created_by, t.created_at}));
  return {};
}

Result<std::optional<ScimToken>> find(Connection& c, std::string_view id) { return one(c, "id", id); }

Result<std::optional<ScimToken>> by_hash(Connection& c, std::string_view token_hash) {
  return one(c, "token_hash", token_hash);
}

Result<std::vector<ScimToken>> of_organization(Connection& c, std::string_view organization_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT " + std::string(kColumns) + " FROM scim_tokens WHERE organization_id = ? ORDER BY id",
                                      {std::string(organization_id)}));
  std::vector<ScimToken> out;
  for (const auto& r : rows) out.push_back(from_row(r));
  return out;
}

Result<void> remove(Connection& c, std::string_view id) {
  TRY(c.execute("DELETE FROM scim_tokens WHERE id = ?", {std::string(id)}));
  return {};
}

}  // namespace scim_tokens
}  // namespace tandem::storage
