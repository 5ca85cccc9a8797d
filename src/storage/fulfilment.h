// DESK-5: what fulfils a request — its tasks, copied from its type's procedure when it was
// submitted, and the webhook deliveries of its automated tasks (a durable queue that workers on
// any node claim), with the signing secret of each webhook endpoint kept apart from its
// definition. Consumers read tasks only through a ticket their Scope sees.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/scope.h"

namespace tandem::storage {

struct RequestTask {
  std::string ticket_id;
  std::string key;
  std::int64_t position = 0;
  std::string organization_id;
  std::string name = "{}";  // JSON: the template's translatable name
  std::string team_id;
  std::string after = "[]";  // JSON: keys of the tasks it waits for
  std::int64_t due_hours = 0;
  std::string endpoint_id;        // empty when done by hand
  std::string state = "waiting";  // catalog::TaskState
  std::optional<std::string> assignee_id;
  std::optional<std::int64_t> due_at;
  std::optional<std::int64_t> opened_at;
  std::optional<std::int64_t> finished_at;
  std::optional<std::string> finished_by;
  std::string note;  // what was done, or why it was cancelled
  std::int64_t version = 1;
  std::int64_t updated_at = 0;
};

std::string canonical(const RequestTask& t);

struct TaskQuery {
  std::optional<std::string> team_id;
  std::optional<std::string> assignee_id;
  std::vector<std::string> states;  // empty: open and in_progress
};

namespace request_tasks {
Result<void> insert(Connection& c, const RequestTask& t);
// The tasks of a ticket, in the procedure's order. Callers have read the ticket through their
// scope.
Result<std::vector<RequestTask>> of_ticket(Connection& c, std::string_view ticket_id);
// failed_precondition when the stored version is not `t.version - 1`.
Result<void> update(Connection& c, const RequestTask& t);
// Staff's work list: soonest due first (those without a due time last), then by ticket and key.
// The cursor is the last row's "<due>|<ticket_id>|<key>" (`task_cursor`).
Result<Page<RequestTask>> list(Connection& c, const TaskQuery& q, const PageRequest& page);
std::string task_cursor(const RequestTask& t);
}  // namespace request_tasks

struct WebhookDelivery {
  std::string id;  // the receiver's idempotency key: the same on every attempt
  std::string ticket_id;
  std::string task_key;
  std::string endpoint_id;
  std::string organization_id;
  std::string payload;  // the JSON body sent, the same on every attempt
  std::string state =
      "pending";  // pending, delivered (awaiting its callback), failed (given up), completed
  std::int64_t attempts = 0;
  std::optional<std::int64_t> next_at;  // when pending: the next attempt
  std::int64_t claimed_until = 0;       // a worker sends it until then; others leave it
  std::optional<std::int64_t> last_status;
  std::string last_error;
  std::string outcome;  // from the callback: done or failed
  std::int64_t created_at = 0;
  std::optional<std::int64_t> delivered_at;
  std::optional<std::int64_t> completed_at;
};

namespace webhook_deliveries {
Result<void> insert(Connection& c, const WebhookDelivery& d);
Result<std::optional<WebhookDelivery>> find(Connection& c, std::string_view id, Lock lock);
// Pending deliveries due at `now` and not claimed by another worker, soonest first; each is
// claimed until `claim_until` in the same transaction (on PostgreSQL rows other workers hold
// are skipped, not waited for).
Result<std::vector<WebhookDelivery>> claim_due(Connection& c, std::int64_t now,
                                               std::int64_t claim_until, int limit);
Result<void> update(Connection& c, const WebhookDelivery& d);
// The ticket's deliveries, oldest first.
Result<std::vector<WebhookDelivery>> of_ticket(Connection& c, std::string_view ticket_id);
}  // namespace webhook_deliveries

namespace webhook_secrets {
Result<void> put(Connection& c, std::string_view endpoint_id, std::string_view secret);
Result<std::optional<std::string>> find(Connection& c, std::string_view endpoint_id);
Result<void> remove(Connection& c, std::string_view endpoint_id);
}  // namespace webhook_secrets

}  // namespace tandem::storage
