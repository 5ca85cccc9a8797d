#include "storage/recovery_tasks.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "id, ticket_id, organization_id, signal, assignee_id, status, note, created_at, done_at, done_by";

RecoveryTask from_row(const Row& r) {
  return RecoveryTask{r.text(0),        r.text(1),         r.text(2),        r.text(3),          r.maybe_text(4),
                      r.text(5),        r.text(6),         r.integer(7),     r.maybe_integer(8), r.maybe_text(9)};
}

}  // namespace

std::string canonical(const RecoveryTask& t) {
  return fmt::format("recovery_task\nid={}\nticket={}\nsignal={}\nassignee={}\nstatus={}\nnote={}\n", t.id, t.ticket_id, t.signal,
                     t.assignee_id.value_or(""), t.status, t.note);
}

namespace recovery_tasks {

Result<void> insert(Connection& c, const RecoveryTask& t) {
  TRY(c.execute("INSERT INTO recovery_tasks (id, ticket_id, organization_id, signal, assignee_id, status, note, created_at, "
                "done_at, done_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                {t.id, t.ticket_id, t.organization_id, t.signal, optional_text(t.assignee_id), t.status, t.note, t.created_at}));
  return {};
}

Result<std::optional<RecoveryTask>> find(Connection& c, std::string_view id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM recovery_tasks WHERE id = ?{}", kColumns, c.lock_clause()),
                                      {std::string(id)}));
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Result<Page<RecoveryTask>> list(Connection& c, std::string_view status, const std::optional<std::string>& assignee_id,
                                const PageRequest& page) {
  std::vector<Value> params;
  std::string where = "1 = 1";
  if (!status.empty()) where += " AND status = ?", params.emplace_back(std::string(status));
  if (assignee_id) where += " AND assignee_id = ?", params.emplace_back(*assignee_id);
  if (!page.after.empty()) where += " AND id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM recovery_tasks WHERE {} ORDER BY id DESC LIMIT ?", kColumns, where),
                                      params));
  std::vector<RecoveryTask> items;
  for (const auto& r : rows) items.push_back(from_row(r));
  return make_page(std::move(items), page.limit, [](const RecoveryTask& t) { return t.id; });
}

Result<void> complete(Connection& c, const RecoveryTask& t) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE recovery_tasks SET status = 'done', note = ?, done_at = ?, done_by = ? "
                                     "WHERE id = ? AND status = 'open'",
                                     {t.note, t.done_at.value_or(0), t.done_by.value_or(""), t.id}));
  if (n == 0) return fail(Code::conflict, "This recovery task is already done.", "already_done");
  return {};
}

}  // namespace recovery_tasks
}  // namespace tandem::storage
