#include "storage/assets.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "id, organization_id, name, kind, assigned_to, state, note, version, created_at, updated_at";

Asset from_row(const Row& r) {
  return {r.text(0), r.text(1), r.text(2), r.text(3), r.maybe_text(4), r.text(5),
          r.text(6), r.integer(7), r.integer(8), r.integer(9)};
}

std::string assets_condition(const Scope& scope, std::vector<Value>& params) {
  if (scope.sees_everything()) return "1 = 1";
  params.emplace_back(scope.organization_id());
  if (scope.sees_whole_organization()) return "organization_id = ?";
  params.emplace_back(scope.user_id());
  return "organization_id = ? AND assigned_to = ?";
}

}  // namespace

std::string canonical(const Asset& a) {
  return fmt::format("asset\nid={}\norganization={}\nname={}\nkind={}\nassigned_to={}\nstate={}\nnote={}\nversion={}\n", a.id,
                     a.organization_id, a.name, a.kind, a.assigned_to.value_or(""), a.state, a.note, a.version);
}

namespace assets {

Result<void> insert(Connection& c, const Asset& a) {
  TRY(c.execute(fmt::format("INSERT INTO assets ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kColumns),
                {a.id, a.organization_id, a.name, a.kind, optional_text(a.assigned_to), a.state, a.note, a.version, a.created_at,
                 a.updated_at}));
  return {};
}

Result<std::optional<Asset>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock) {
  std::vector<Value> params{std::string(id)};
  auto where = assets_condition(scope, params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM assets WHERE id = ? AND {}{}", kColumns, where,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      params));
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Result<Page<Asset>> list(Connection& c, const Scope& scope, const AssetFilter& f, const PageRequest& page) {
  std::vector<Value> params;
  auto where = assets_condition(scope, params);
  if (f.organization_id) where += " AND organization_id = ?", params.emplace_back(*f.organization_id);
  if (f.assigned_to) where += " AND assigned_to = ?", params.emplace_back(*f.assigned_to);
  if (f.state) where += " AND state = ?", params.emplace_back(*f.state);
  where += " AND id > ?";
  params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM assets WHERE {} ORDER BY id LIMIT ?", kColumns, where), params));
  std::vector<Asset> items;
  for (const auto& r : rows) items.push_back(from_row(r));
  return make_page(std::move(items), page.limit, [](const Asset& a) { return a.id; });
}

Result<void> update(Connection& c, const Asset& a) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE assets SET name = ?, kind = ?, assigned_to = ?, state = ?, note = ?, version = ?, "
                                     "updated_at = ? WHERE id = ? AND version = ?",
                                     {a.name, a.kind, optional_text(a.assigned_to), a.state, a.note, a.version, a.updated_at, a.id,
                                      a.version - 1}));
  if (n == 0) return fail(Code::failed_precondition, "The asset was changed by someone else; reload it.");
  return {};
}

Result<std::vector<Asset>> held_by(Connection& c, std::string_view user_id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM assets WHERE assigned_to = ? AND state = 'assigned' ORDER BY id",
                                                  kColumns),
                                      {std::string(user_id)}));
  std::vector<Asset> out;
  for (const auto& r : rows) out.push_back(from_row(r));
  return out;
}

}  // namespace assets
}  // namespace tandem::storage
