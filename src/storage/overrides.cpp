#include "storage/overrides.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kOverrideColumns =
    "id, rule, target_type, target_id, organization_id, actor_id, reason_code, justification, details, improvement_id, created_at";

Override override_from(const Row& r) {
  return Override{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6), r.text(7), r.text(8),
                  r.maybe_text(9), r.integer(10)};
}

constexpr std::string_view kImprovementColumns = "id, title, description, status, created_by, version, created_at, updated_at";

Improvement improvement_from(const Row& r) {
  return Improvement{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.integer(5), r.integer(6), r.integer(7)};
}

std::string where_of(const OverrideFilter& f, std::vector<Value>& params) {
  std::string where = "1 = 1";
  for (auto [column, value] : {std::pair{"rule", &f.rule}, std::pair{"actor_id", &f.actor_id}, std::pair{"reason_code", &f.reason_code},
                               std::pair{"improvement_id", &f.improvement_id}, std::pair{"target_id", &f.target_id}})
    if (*value) {
      where += fmt::format(" AND {} = ?", column);
      params.emplace_back(**value);
    }
  return where;
}

}  // namespace

std::string canonical(const Override& o) {
  return fmt::format("override\nid={}\nrule={}\ntarget={} {}\norganization={}\nactor={}\nreason={}\njustification={}\ndetails={}\n",
                     o.id, o.rule, o.target_type, o.target_id, o.organization_id, o.actor_id, o.reason_code, o.justification,
                     o.details);
}

std::string canonical(const Improvement& i) {
  return fmt::format("improvement\nid={}\ntitle={}\ndescription={}\nstatus={}\nversion={}\n", i.id, i.title, i.description, i.status,
                     i.version);
}

namespace overrides {

Result<void> insert(Connection& c, const Override& o) {
  TRY(c.execute(fmt::format("INSERT INTO overrides ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kOverrideColumns),
                {o.id, o.rule, o.target_type, o.target_id, o.organization_id, o.actor_id, o.reason_code, o.justification, o.details,
                 o.improvement_id ? Value(*o.improvement_id) : null_value(), o.created_at}));
  return {};
}

Result<std::optional<Override>> find(Connection& c, std::string_view id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM overrides WHERE id = ?", kOverrideColumns), {std::string(id)}));
  if (rows.empty()) return std::nullopt;
  return override_from(rows[0]);
}

Result<Page<Override>> list(Connection& c, const OverrideFilter& f, const PageRequest& page) {
  std::vector<Value> params;
  auto where = where_of(f, params);
  if (!page.after.empty()) where += " AND id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows,
                   c.query(fmt::format("SELECT {} FROM overrides WHERE {} ORDER BY id DESC LIMIT ?", kOverrideColumns, where), params));
  std::vector<Override> items;
  for (const auto& r : rows) items.push_back(override_from(r));
  return make_page(std::move(items), page.limit, [](const Override& o) { return o.id; });
}

Result<std::vector<Override>> latest(Connection& c, const OverrideFilter& f, int limit) {
  std::vector<Value> params;
  auto where = where_of(f, params);
  params.emplace_back(std::int64_t(limit));
  ASSIGN_OR_RETURN(auto rows,
                   c.query(fmt::format("SELECT {} FROM overrides WHERE {} ORDER BY id DESC LIMIT ?", kOverrideColumns, where), params));
  std::vector<Override> out;
  for (const auto& r : rows) out.push_back(override_from(r));
  return out;
}

Result<void> link(Connection& c, const std::vector<std::string>& ids, const std::string& improvement_id) {
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(auto n, c.execute("UPDATE overrides SET improvement_id = ? WHERE id = ? AND improvement_id IS NULL",
                                       {improvement_id, id}));
    if (n == 0) return fail(Code::conflict, "The override " + id + " already belongs to an improvement.", "already_linked");
  }
  return {};
}

}  // namespace overrides

namespace improvements {

Result<void> insert(Connection& c, const Improvement& i) {
  TRY(c.execute(fmt::format("INSERT INTO improvements ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", kImprovementColumns),
                {i.id, i.title, i.description, i.status, i.created_by, i.version, i.created_at, i.updated_at}));
  return {};
}

Result<std::optional<Improvement>> find(Connection& c, std::string_view id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM improvements WHERE id = ?", kImprovementColumns), {std::string(id)}));
  if (rows.empty()) return std::nullopt;
  return improvement_from(rows[0]);
}

Result<Page<Improvement>> list(Connection& c, const PageRequest& page) {
  std::vector<Value> params;
  std::string where = "1 = 1";
  if (!page.after.empty()) where += " AND id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM improvements WHERE {} ORDER BY id DESC LIMIT ?",
                                                  kImprovementColumns, where),
                                      params));
  std::vector<Improvement> items;
  for (const auto& r : rows) items.push_back(improvement_from(r));
  return make_page(std::move(items), page.limit, [](const Improvement& i) { return i.id; });
}

Result<void> update(Connection& c, const Improvement& i) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE improvements SET title = ?, description = ?, status = ?, version = ?, updated_at = ? "
                                     "WHERE id = ? AND version = ?",
                                     {i.title, i.description, i.status, i.version, i.updated_at, i.id, i.version - 1}));
  if (n == 0) return fail(Code::failed_precondition, "The improvement was changed by someone else; reload it.");
  return {};
}

}  // namespace improvements

}  // namespace tandem::storage
