#include "storage/recovery_tasks.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "id, ticket_id, organization_id, signal, assignee_id, status, note, created_at, done_at, done_by, team_id, due_at";

RecoveryTask from_row(const Row& r) {
  RecoveryTask t;
  t.id = r.text(0);
  t.ticket_id = r.text(1);
  t.organization_id = r.text(2);
  t.signal = r.text(3);
  t.assignee_id = r.maybe_text(4);
  t.status = r.text(5);
  t.note = r.text(6);
  t.created_at = r.integer(7);
  t.done_at = r.maybe_integer(8);
  t.done_by = r.maybe_text(9);
  t.team_id = r.maybe_text(10);
  t.due_at = r.maybe_integer(11);
  return t;
}

}  // namespace

std::string canonical(const RecoveryTask& t) {
  return fmt::format("recovery_task\nid={}\nticket={}\nsignal={}\nassignee={}\nteam={}\ndue={}\nstatus={}\nnote={}\n", t.id,
                     t.ticket_id, t.signal, t.assignee_id.value_or(""), t.team_id.value_or(""),
                     t.due_at ? std::to_string(*t.due_at) : "", t.status, t.note);
}

namespace recovery_tasks {

Result<bool> insert(Connection& c, const RecoveryTask& t) {
  // The partial unique index keeps one open task per ticket and signal even when two writers
  // cross; the loser writes nothing.
  ASSIGN_OR_RETURN(auto n, c.execute("INSERT INTO recovery_tasks (id, ticket_id, organization_id, signal, assignee_id, status, note, "
                                     "created_at, done_at, done_by, team_id, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?) "
                                     "ON CONFLICT DO NOTHING",
                                     {t.id, t.ticket_id, t.organization_id, t.signal, optional_text(t.assignee_id), t.status, t.note,
                                      t.created_at, optional_text(t.team_id), optional_integer(t.due_at)}));
  return n > 0;
}

Result<bool> open_exists(Connection& c, std::string_view ticket_id, std::string_view signal) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT 1 FROM recovery_tasks WHERE ticket_id = ? AND signal = ? AND status = 'open'",
                                      {std::string(ticket_id), std::string(signal)}));
  return !rows.empty();
}

Result<std::optional<RecoveryTask>> find(Connection& c, std::string_view id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM recovery_tasks WHERE id = ?{}", kColumns, c.lock_clause()),
                                      {std::string(id)}));
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Result<Page<RecoveryTask>> list(Connection& c, const RecoveryFilter& filter, const PageRequest& page) {
  std::vector<Value> params;
  std::string where = "1 = 1";
  if (!filter.status.empty()) where += " AND status = ?", params.emplace_back(filter.status);
  if (filter.assignee_id) where += " AND assignee_id = ?", params.emplace_back(*filter.assignee_id);
  if (filter.ticket_id) where += " AND ticket_id = ?", params.emplace_back(*filter.ticket_id);
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
