#include "storage/user_groups.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/table.h"

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "g.id, g.organization_id, g.name, g.description, g.external_id, g.version, g.created_at, "
    "g.updated_at";

UserGroup from_row(const Row& r) {
  UserGroup g;
  g.id = r.text(0);
  g.organization_id = r.text(1);
  g.name = r.text(2);
  g.description = r.text(3);
  g.external_id = r.maybe_text(4);
  g.version = r.integer(5);
  g.created_at = r.integer(6);
  g.updated_at = r.integer(7);
  return g;
}

Result<void> load_members(Connection& c, UserGroup& g) {
  ASSIGN_OR_RETURN(
      auto rows,
      c.query("SELECT user_id FROM user_group_members WHERE group_id = ? ORDER BY user_id",
              {g.id}));
  for (const auto& r : rows) g.member_ids.push_back(r.text(0));
  return {};
}

Result<void> write_members(Connection& c, const UserGroup& g) {
  TRY(c.execute("DELETE FROM user_group_members WHERE group_id = ?", {g.id}));
  for (const auto& m : g.member_ids)
    TRY(c.execute("INSERT INTO user_group_members (group_id, user_id) VALUES (?, ?)", {g.id, m}));
  return {};
}

}  // namespace

std::string canonical(const UserGroup& g) {
  return fmt::format(
      "user_group\nid={}\norganization={}\nname={}\ndescription={}\nexternal_id={}\nmembers={}"
      "\nversion={}\n",
      g.id, g.organization_id, g.name, g.description, g.external_id.value_or(""),
      fmt::join(g.member_ids, " "), g.version);
}

namespace user_groups {

Result<void> insert(Connection& c, const UserGroup& g) {
  TRY(
      c.execute("INSERT INTO user_groups (id, organization_id, name, description, external_id, "
                "version, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                {g.id, g.organization_id, g.name, g.description, optional_text(g.external_id),
                 g.version, g.created_at, g.updated_at}));
  return write_members(c, g);
}

Result<std::optional<UserGroup>> find(Connection& c, const Scope& scope, std::string_view id) {
  std::vector<Value> params{std::string(id)};
  auto where = scope.organization_condition("g.organization_id", params);
  ASSIGN_OR_RETURN(
      auto rows,
      c.query(fmt::format("SELECT {} FROM user_groups g WHERE g.id = ? AND {}", kColumns, where),
              params));
  if (rows.empty()) return std::nullopt;
  auto g = from_row(rows[0]);
  TRY(load_members(c, g));
  return g;
}

Result<std::optional<std::string>> id_named(Connection& c, std::string_view organization_id,
                                            std::string_view name) {
  ASSIGN_OR_RETURN(auto rows,
                   c.query("SELECT id FROM user_groups WHERE organization_id = ? AND name = ?",
                           {std::string(organization_id), std::string(name)}));
  if (rows.empty()) return std::nullopt;
  return rows[0].text(0);
}

Result<Page<UserGroup>> list(Connection& c, const Scope& scope,
                             const std::optional<std::string>& organization_id,
                             const PageRequest& page) {
  std::vector<Value> params{page.after};
  auto where = scope.organization_condition("g.organization_id", params);
  if (organization_id) {
    where += " AND g.organization_id = ?";
    params.emplace_back(*organization_id);
  }
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(
      auto rows,
      c.query(
          fmt::format("SELECT {} FROM user_groups g WHERE g.id > ? AND {} ORDER BY g.id LIMIT ?",
                      kColumns, where),
          params));
  std::vector<UserGroup> items;
  for (const auto& r : rows) items.push_back(from_row(r));
  auto out = make_page(std::move(items), page.limit, [](const UserGroup& g) { return g.id; });
  for (auto& g : out.items) TRY(load_members(c, g));
  return out;
}

Result<void> update(Connection& c, const UserGroup& g) {
  ASSIGN_OR_RETURN(
      auto n,
      c.execute("UPDATE user_groups SET name = ?, description = ?, external_id = ?, version = ?, "
                "updated_at = ? WHERE id = ? AND version = ?",
                {g.name, g.description, optional_text(g.external_id), g.version, g.updated_at, g.id,
                 g.version - 1}));
  if (n == 0)
    return fail(Code::failed_precondition, "The group was changed by someone else; reload it.");
  return write_members(c, g);
}

Result<void> remove(Connection& c, std::string_view id) {
  TRY(c.execute("DELETE FROM user_groups WHERE id = ?", {std::string(id)}));
  return {};
}

Result<std::vector<std::string>> of_user(Connection& c, std::string_view organization_id, std::string_view user_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT m.group_id FROM user_group_members m JOIN user_groups g ON g.id = m.group_id "
                                      "WHERE m.user_id = ? AND g.organization_id = ? ORDER BY m.group_id",
                                      {std::string(user_id), std::string(organization_id)}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

Result<void> leave_all(Connection& c, std::string_view user_id) {
  TRY(c.execute("DELETE FROM user_group_members WHERE user_id = ?", {std::string(user_id)}));
  return {};
}

}  // namespace user_groups
}  // namespace tandem::storage
