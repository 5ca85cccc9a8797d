// DESK-9: overrides of guarded rules and the improvement-register entries that gather them for
// the rule review. Provider data: consumers read none of it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/scope.h"

namespace tandem::storage {

struct Override {
  std::string id;
  std::string rule;         // e.g. sla.resolution, workflow.transition
  std::string target_type;  // ticket
  std::string target_id;
  std::string organization_id;  // the target's
  std::string actor_id;
  std::string reason_code;
  std::string justification;
  std::string details = "{}";  // JSON: what the override did
  std::optional<std::string> improvement_id;
  std::int64_t created_at = 0;
};

struct OverrideFilter {
  std::optional<std::string> rule, actor_id, reason_code, improvement_id, target_id;
};

struct Improvement {
  std::string id;
  std::string title;
  std::string description;
  std::string status;  // proposed, accepted, in_progress, done, rejected
  std::string created_by;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

std::string canonical(const Override& o);
std::string canonical(const Improvement& i);

namespace overrides {
Result<void> insert(Connection& c, const Override& o);
Result<std::optional<Override>> find(Connection& c, std::string_view id);
// Newest first.
Result<Page<Override>> list(Connection& c, const OverrideFilter& filter, const PageRequest& page);
// The newest `limit` matching, for summaries.
Result<std::vector<Override>> latest(Connection& c, const OverrideFilter& filter, int limit);
// conflict when one of them already belongs to an improvement.
Result<void> link(Connection& c, const std::vector<std::string>& ids, const std::string& improvement_id);
}  // namespace overrides

namespace improvements {
Result<void> insert(Connection& c, const Improvement& i);
Result<std::optional<Improvement>> find(Connection& c, std::string_view id);
Result<Page<Improvement>> list(Connection& c, const PageRequest& page);
// failed_precondition when the stored version is not `i.version - 1`.
Result<void> update(Connection& c, const Improvement& i);
}  // namespace improvements

}  // namespace tandem::storage
