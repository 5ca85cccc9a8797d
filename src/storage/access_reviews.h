// ONB-12: access reviews, read and written whole under their version. Staff read every one; a
// customer those of their organisation; nobody else any.
#pragma once

#include <optional>
#include <string>

#include "storage/scope.h"

namespace tandem::storage {

struct AccessReview {
  std::string id;
  std::string organization_id;
  std::string opened_by;
  std::string grants = "[]";  // JSON: each {id, kind, subject, decision, decided_by, decided_at}
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

std::string canonical(const AccessReview& r);

namespace access_reviews {
Result<void> insert(Connection& c, const AccessReview& r);
Result<std::optional<AccessReview>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock = Lock::none);
// Newest first.
Result<Page<AccessReview>> list(Connection& c, const Scope& scope, const PageRequest& page);
// failed_precondition when the stored version is not `r.version - 1`.
Result<void> update(Connection& c, const AccessReview& r);
}  // namespace access_reviews

}  // namespace tandem::storage
