// DESK-8: recovery tasks opened by moments of truth (a complaint, a reopen, a low rating, a
// breach), for the ticket's team and its lead, due within hours. One open task per ticket and
// signal kind. Provider staff work them; consumers never read them.
#pragma once

#include <optional>
#include <string>

#include "storage/scope.h"

namespace tandem::storage {

struct RecoveryTask {
  std::string id;
  std::string ticket_id;
  std::string organization_id;
  std::string signal;  // complaint, reopen, rating_low, sla_breach
  std::optional<std::string> assignee_id;
  std::optional<std::string> team_id;
  std::string status = "open";  // open, done
  std::string note;             // what was done, when done
  std::int64_t created_at = 0;
  std::optional<std::int64_t> done_at;
  std::optional<std::string> done_by;
  std::optional<std::int64_t> due_at;
};

struct RecoveryFilter {
  std::string status;  // empty for all
  std::optional<std::string> assignee_id, ticket_id;
};

std::string canonical(const RecoveryTask& task);

namespace recovery_tasks {
// Nothing is written (and false returned) when the ticket has an open task of the signal already.
Result<bool> insert(Connection& c, const RecoveryTask& task);
Result<bool> open_exists(Connection& c, std::string_view ticket_id, std::string_view signal);
Result<std::optional<RecoveryTask>> find(Connection& c, std::string_view id);
// Newest first.
Result<Page<RecoveryTask>> list(Connection& c, const RecoveryFilter& filter, const PageRequest& page);
// conflict when it is already done.
Result<void> complete(Connection& c, const RecoveryTask& task);
}  // namespace recovery_tasks

}  // namespace tandem::storage
