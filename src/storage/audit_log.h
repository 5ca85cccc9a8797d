// OPS-2: the stored audit chain. append() runs inside the writing transaction, so an entry
// exists exactly when its change does.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "domain/audit/chain.h"
#include "storage/scope.h"

namespace tandem::storage {

struct AuditFilter {
  std::string actor_id;
  std::string action;
  std::string target_type;
  std::string target_id;
  std::string organization_id;
  std::optional<std::int64_t> since, until;  // ms, inclusive / exclusive
};

namespace audit_log {
// Links `entry` after the stored head (fills seq and hashes) and stores it with the new head.
Result<void> append(Connection& c, audit::Entry entry);
// Newest first; `page.after` is a sequence number as text.
Result<Page<audit::Entry>> list(Connection& c, const AuditFilter& filter, const PageRequest& page);
// Walks the whole chain in order, a chunk at a time.
Result<audit::Verdict> verify(Connection& c);
}  // namespace audit_log

}  // namespace tandem::storage
