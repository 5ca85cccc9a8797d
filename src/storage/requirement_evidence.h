// ONB-8: the evidence people give for enablement requirements, and the agents' decisions on it.
// A person reads their own; the provider's staff read and decide everyone's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/scope.h"

namespace tandem::storage {

// A file given as evidence: its content is in the person's organisation's files.
struct EvidenceFile {
  std::string sha256;
  std::string name;  // sanitised
  std::int64_t size = 0;
  std::string content_type;  // sniffed
};

struct RequirementEvidence {
  std::string id;
  std::string requirement_id;
  std::string user_id;
  std::string organization_id;
  std::string note;
  std::optional<EvidenceFile> file;
  std::string status = "pending";  // pending, approved, rejected
  std::string reason;              // the decision's, told to the person
  std::optional<std::string> decided_by;
  std::optional<std::int64_t> decided_at;
  std::optional<std::string> expires_on;  // YYYY-MM-DD: an approval's last day
  std::optional<std::int64_t> reminded_at;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
};

std::string canonical(const RequirementEvidence& e);

namespace requirement_evidence {
Result<void> insert(Connection& c, const RequirementEvidence& e);
// Staff read any; anyone else their own only.
Result<std::optional<RequirementEvidence>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock = Lock::none);
// Every piece of one person's evidence, newest first within each requirement.
Result<std::vector<RequirementEvidence>> of_user(Connection& c, std::string_view user_id);
// How many of one person's pieces of evidence wait for a decision.
Result<std::int64_t> pending_of_user(Connection& c, std::string_view user_id);
// The queue of the provider's agents, oldest first; `status` empty for all.
Result<Page<RequirementEvidence>> list(Connection& c, std::string_view status, const PageRequest& page);
// failed_precondition when the stored version is not `e.version - 1`.
Result<void> update(Connection& c, const RequirementEvidence& e);
// ONB-8: approvals whose reminder is not sent yet and whose last day is `last_day` (YYYY-MM-DD)
// or sooner, soonest first, held until the transaction ends.
Result<std::vector<RequirementEvidence>> to_remind(Connection& c, std::string_view last_day, int limit);
// Whether evidence of the organisation has this content (the sweep of unreferenced files asks).
Result<bool> content_in_use(Connection& c, std::string_view organization_id, std::string_view sha256);
}  // namespace requirement_evidence

}  // namespace tandem::storage
