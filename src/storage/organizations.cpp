#include "storage/organizations.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {
constexpr std::string_view kColumns = "id, name, kind, version, created_at, updated_at";

Organization from_row(const Row& r) {
  return Organization{r.text(0), r.text(1),
                      r.text(2) == "provider" ? identity::OrganizationKind::provider : identity::OrganizationKind::consumer,
                      r.integer(3), r.integer(4), r.integer(5)};
}
}  // namespace

std::string canonical(const Organization& o) {
  return fmt::format("organization\nid={}\nname={}\nkind={}\nversion={}\n", o.id, o.name, identity::to_string(o.kind), o.version);
}

namespace organizations {

Result<void> insert(Connection& c, const Organization& o) {
  TRY(c.execute("INSERT INTO organizations (id, name, kind, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                {o.id, o.name, std::string(identity::to_string(o.kind)), o.version, o.created_at, o.updated_at}));
  return {};
}

Result<std::optional<Organization>> find(Connection& c, const Scope& scope, std::string_view id) {
  std::vector<Value> params{std::string(id)};
  auto where = scope.organization_condition("id", params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM organizations WHERE id = ? AND {}", kColumns, where), params));
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Result<std::optional<Organization>> find_provider(Connection& c) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM organizations WHERE kind = 'provider'", kColumns)));
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Result<Page<Organization>> list(Connection& c, const Scope& scope, const PageRequest& page) {
  std::vector<Value> params;
  auto where = scope.organization_condition("id", params);
  params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM organizations WHERE {} AND id > ? ORDER BY id LIMIT ?",
                                                  kColumns, where),
                                      params));
  std::vector<Organization> items;
  for (const auto& r : rows) items.push_back(from_row(r));
  return make_page(std::move(items), page.limit, [](const Organization& o) { return o.id; });
}

Result<void> update(Connection& c, const Organization& o) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE organizations SET name = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?",
                                     {o.name, o.version, o.updated_at, o.id, o.version - 1}));
  if (n == 0) return fail(Code::failed_precondition, "The organisation was changed by someone else; reload it.");
  return {};
}

Result<void> remove(Connection& c, std::string_view id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT (SELECT COUNT(*) FROM users WHERE organization_id = ?) + "
                                      "(SELECT COUNT(*) FROM teams WHERE organization_id = ?) + "
                                      "(SELECT COUNT(*) FROM onboarding_plans WHERE organization_id = ?) + "
                                      "(SELECT COUNT(*) FROM access_reviews WHERE organization_id = ?)",
                                      {std::string(id), std::string(id), std::string(id), std::string(id)}));
  if (!rows.empty() && rows[0].integer(0) > 0)
    return fail(Code::conflict, "The organisation still has users, teams, onboarding plans or access reviews.", "organization_not_empty");
  TRY(c.execute("DELETE FROM organizations WHERE id = ?", {std::string(id)}));
  return {};
}

}  // namespace organizations
}  // namespace tandem::storage
