#include "storage/fulfilment.h"

#include <charconv>

#include <fmt/format.h>

#include "storage/claims.h"

namespace tandem::storage {
namespace {

constexpr std::string_view kTaskColumns =
    "ticket_id, task_key, position, organization_id, name, team_id, after_keys, due_hours, "
    "endpoint_id, state, assignee_id, due_at, "
    "opened_at, finished_at, finished_by, note, version, updated_at";
// Tasks without a due time sort after every due one.
constexpr std::int64_t kNoDue = 9'000'000'000'000'000;

RequestTask task_from(const Row& r) {
  return RequestTask{r.text(0),           r.text(1),           r.integer(2),
                     r.text(3),           r.text(4),           r.text(5),
                     r.text(6),           r.integer(7),        r.text(8),
                     r.text(9),           r.maybe_text(10),    r.maybe_integer(11),
                     r.maybe_integer(12), r.maybe_integer(13), r.maybe_text(14),
                     r.text(15),          r.integer(16),       r.integer(17)};
}

constexpr std::string_view kDeliveryColumns =
    "id, ticket_id, task_key, endpoint_id, organization_id, payload, state, attempts, next_at, "
    "claimed_until, last_status, last_error, "
    "outcome, created_at, delivered_at, completed_at";

WebhookDelivery delivery_from(const Row& r) {
  return WebhookDelivery{
      r.text(0),          r.text(1),     r.text(2),           r.text(3),
      r.text(4),          r.text(5),     r.text(6),           r.integer(7),
      r.maybe_integer(8), r.integer(9),  r.maybe_integer(10), r.text(11),
      r.text(12),         r.integer(13), r.maybe_integer(14), r.maybe_integer(15)};
}

}  // namespace

std::string canonical(const RequestTask& t) {
  return fmt::format("request_task\nticket={}\nkey={}\nstate={}\nassignee={}\ndue_at={}\nnote={}\n",
                     t.ticket_id, t.key, t.state, t.assignee_id.value_or(""),
                     t.due_at ? std::to_string(*t.due_at) : "", t.note);
}

namespace request_tasks {

Result<void> insert(Connection& c, const RequestTask& t) {
  TRY(c.execute(
      fmt::format("INSERT INTO request_tasks ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  "?, ?, ?, ?, ?)",
                  kTaskColumns),
      {t.ticket_id, t.key, t.position, t.organization_id, t.name, t.team_id, t.after, t.due_hours,
       t.endpoint_id, t.state, optional_text(t.assignee_id), optional_integer(t.due_at),
       optional_integer(t.opened_at), optional_integer(t.finished_at), optional_text(t.finished_by),
       t.note, t.version, t.updated_at}));
  return {};
}

Result<std::vector<RequestTask>> of_ticket(Connection& c, std::string_view ticket_id) {
  ASSIGN_OR_RETURN(
      auto rows,
      c.query(fmt::format("SELECT {} FROM request_tasks WHERE ticket_id = ? ORDER BY position",
                          kTaskColumns),
              {std::string(ticket_id)}));
  std::vector<RequestTask> out;
  for (const auto& r : rows) out.push_back(task_from(r));
  return out;
}

Result<void> update(Connection& c, const RequestTask& t) {
  ASSIGN_OR_RETURN(
      auto n, c.execute("UPDATE request_tasks SET state = ?, assignee_id = ?, due_at = ?, "
                        "opened_at = ?, finished_at = ?, "
                        "finished_by = ?, note = ?, version = ?, updated_at = ? "
                        "WHERE ticket_id = ? AND task_key = ? AND version = ?",
                        {t.state, optional_text(t.assignee_id), optional_integer(t.due_at),
                         optional_integer(t.opened_at), optional_integer(t.finished_at),
                         optional_text(t.finished_by), t.note, t.version, t.updated_at, t.ticket_id,
                         t.key, t.version - 1}));
  if (n == 0)
    return fail(Code::failed_precondition, "The task was changed by someone else; reload it.");
  return {};
}

std::string task_cursor(const RequestTask& t) {
  return fmt::format("{}|{}|{}", t.due_at.value_or(kNoDue), t.ticket_id, t.key);
}

Result<Page<RequestTask>> list(Connection& c, const TaskQuery& q, const PageRequest& page) {
  std::vector<Value> params;
  std::string where = "1 = 1";
  if (q.team_id) where += " AND team_id = ?", params.emplace_back(*q.team_id);
  if (q.assignee_id) where += " AND assignee_id = ?", params.emplace_back(*q.assignee_id);
  auto states = q.states.empty() ? std::vector<std::string>{"open", "in_progress"} : q.states;
  where += " AND state IN (";
  for (std::size_t i = 0; i < states.size(); ++i)
    where += i ? ", ?" : "?", params.emplace_back(states[i]);
  where += ")";
  constexpr auto kDue = "COALESCE(due_at, 9000000000000000)";
  if (!page.after.empty()) {
    auto first = page.after.find('|');
    auto second = first == std::string::npos ? std::string::npos : page.after.find('|', first + 1);
    std::int64_t due = 0;
    auto head = std::string_view(page.after).substr(0, first);
    if (second == std::string::npos ||
        std::from_chars(head.data(), head.data() + head.size(), due).ec != std::errc())
      return fail(Code::invalid_argument, "The cursor is not one this list gave.");
    auto ticket = page.after.substr(first + 1, second - first - 1);
    auto key = page.after.substr(second + 1);
    where += fmt::format(
        " AND ({0} > ? OR ({0} = ? AND (ticket_id > ? OR (ticket_id = ? AND task_key > ?))))",
        kDue);
    for (Value v : {Value(due), Value(due), Value(ticket), Value(ticket), Value(key)})
      params.push_back(std::move(v));
  }
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(
      auto rows,
      c.query(fmt::format(
                  "SELECT {} FROM request_tasks WHERE {} ORDER BY {}, ticket_id, task_key LIMIT ?",
                  kTaskColumns, where, kDue),
              params));
  std::vector<RequestTask> items;
  for (const auto& r : rows) items.push_back(task_from(r));
  return make_page(std::move(items), page.limit, task_cursor);
}

}  // namespace request_tasks

namespace webhook_deliveries {

Result<void> insert(Connection& c, const WebhookDelivery& d) {
  TRY(c.execute(fmt::format("INSERT INTO webhook_deliveries ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                            "?, ?, ?, ?, ?, ?, ?, ?)",
                            kDeliveryColumns),
                {d.id, d.ticket_id, d.task_key, d.endpoint_id, d.organization_id, d.payload,
                 d.state, d.attempts, optional_integer(d.next_at), d.claimed_until,
                 optional_integer(d.last_status), d.last_error, d.outcome, d.created_at,
                 optional_integer(d.delivered_at), optional_integer(d.completed_at)}));
  return {};
}

Result<std::optional<WebhookDelivery>> find(Connection& c, std::string_view id, Lock lock) {
  ASSIGN_OR_RETURN(
      auto rows,
      c.query(fmt::format("SELECT {} FROM webhook_deliveries WHERE id = ?{}", kDeliveryColumns,
                          lock == Lock::for_update ? c.lock_clause() : ""),
              {std::string(id)}));
  if (rows.empty()) return std::nullopt;
  return delivery_from(rows[0]);
}

Result<std::vector<WebhookDelivery>> claim_due(Connection& c, std::int64_t now,
                                               std::int64_t claim_until, int limit) {
  return storage::claim_due<WebhookDelivery>(c, "webhook_deliveries", kDeliveryColumns, "pending", now, claim_until,
                                             limit, delivery_from);
}

Result<void> update(Connection& c, const WebhookDelivery& d) {
  TRY(
      c.execute("UPDATE webhook_deliveries SET state = ?, attempts = ?, next_at = ?, claimed_until "
                "= ?, last_status = ?, last_error = ?, "
                "outcome = ?, delivered_at = ?, completed_at = ? WHERE id = ?",
                {d.state, d.attempts, optional_integer(d.next_at), d.claimed_until,
                 optional_integer(d.last_status), d.last_error, d.outcome,
                 optional_integer(d.delivered_at), optional_integer(d.completed_at), d.id}));
  return {};
}

Result<std::vector<WebhookDelivery>> of_ticket(Connection& c, std::string_view ticket_id) {
  ASSIGN_OR_RETURN(
      auto rows,
      c.query(fmt::format(
                  "SELECT {} FROM webhook_deliveries WHERE ticket_id = ? ORDER BY created_at, id",
                  kDeliveryColumns),
              {std::string(ticket_id)}));
  std::vector<WebhookDelivery> out;
  for (const auto& r : rows) out.push_back(delivery_from(r));
  return out;
}

}  // namespace webhook_deliveries

namespace webhook_secrets {

Result<void> put(Connection& c, std::string_view endpoint_id, std::string_view secret) {
  TRY(c.execute("DELETE FROM webhook_secrets WHERE endpoint_id = ?", {std::string(endpoint_id)}));
  TRY(c.execute("INSERT INTO webhook_secrets (endpoint_id, secret) VALUES (?, ?)",
                {std::string(endpoint_id), std::string(secret)}));
  return {};
}

Result<std::optional<std::string>> find(Connection& c, std::string_view endpoint_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT secret FROM webhook_secrets WHERE endpoint_id = ?",
                                      {std::string(endpoint_id)}));
  if (rows.empty()) return std::nullopt;
  return rows[0].text(0);
}

Result<void> remove(Connection& c, std::string_view endpoint_id) {
  TRY(c.execute("DELETE FROM webhook_secrets WHERE endpoint_id = ?", {std::string(endpoint_id)}));
  return {};
}

}  // namespace webhook_secrets

}  // namespace tandem::storage
