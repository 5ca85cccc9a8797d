#include "storage/classification_rules.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns = "id, position, name, conditions, actions, active, version, created_at, updated_at";

StoredRule from_row(const Row& r) {
  return StoredRule{r.text(0), r.integer(1), r.text(2), r.text(3), r.text(4), r.integer(5) != 0, r.integer(6), r.integer(7), r.integer(8)};
}

}  // namespace

std::string canonical(const StoredRule& r) {
  return fmt::format("classification_rule\nid={}\nposition={}\nname={}\nconditions={}\nactions={}\nactive={}\nversion={}\n", r.id,
                     r.position, r.name, r.conditions, r.actions, r.active, r.version);
}

namespace classification_rules {

Result<void> insert(Connection& c, const StoredRule& r) {
  TRY(c.execute("INSERT INTO classification_rules (id, position, name, conditions, actions, active, version, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {r.id, r.position, r.name, r.conditions, r.actions, std::int64_t(r.active), r.version, r.created_at, r.updated_at}));
  return {};
}

Result<std::optional<StoredRule>> find(Connection& c, std::string_view id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM classification_rules WHERE id = ?", kColumns), {std::string(id)}));
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Result<std::vector<StoredRule>> all(Connection& c, bool active_only) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM classification_rules{} ORDER BY position, id LIMIT 1000", kColumns,
                                                  active_only ? " WHERE active = 1" : "")));
  std::vector<StoredRule> out;
  for (const auto& r : rows) out.push_back(from_row(r));
  return out;
}

Result<void> update(Connection& c, const StoredRule& r) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE classification_rules SET position = ?, name = ?, conditions = ?, actions = ?, active = ?, "
                                     "version = ?, updated_at = ? WHERE id = ? AND version = ?",
                                     {r.position, r.name, r.conditions, r.actions, std::int64_t(r.active), r.version, r.updated_at,
                                      r.id, r.version - 1}));
  if (n == 0) return fail(Code::failed_precondition, "The rule was changed by someone else; reload it.");
  return {};
}

Result<void> remove(Connection& c, std::string_view id) {
  TRY(c.execute("DELETE FROM classification_rules WHERE id = ?", {std::string(id)}));
  return {};
}

}  // namespace classification_rules
}  // namespace tandem::storage
