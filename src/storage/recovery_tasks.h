// DESK-8: recovery tasks opened by moments of truth (a complaint, a reopen; later a low rating,
// a breach), for the lead of the ticket's team. Provider staff work them; consumers never read them.
#pragma once

#include <optional>
#include <string>

#include "storage/scope.h"

namespace tandem::storage {

struct RecoveryTask {
  std::string id;
  std::string ticket_id;
  std::string organization_id;
  std::string signal;  // complaint, reopen
  std::optional<std::string> assignee_id;
  std::string status = "open";  // open, done
  std::string note;             // what was done, when done
  std::int64_t created_at = 0;
  std::optional<std::int64_t> done_at;
  std::optional<std::string> done_by;
};

std::string canonical(const RecoveryTask& task);

namespace recovery_tasks {
Result<void> insert(Connection& c, const RecoveryTask& task);
Result<std::optional<RecoveryTask>> find(Connection& c, std::string_view id);
// Newest first; `status` empty for all.
Result<Page<RecoveryTask>> list(Connection& c, std::string_view status, const std::optional<std::string>& assignee_id,
                                const PageRequest& page);
// conflict when it is already done.
Result<void> complete(Connection& c, const RecoveryTask& task);
}  // namespace recovery_tasks

}  // namespace tandem::storage
