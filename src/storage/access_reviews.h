// ONB-12: access reviews and their grants, one row each (any number of them: an organisation is
// reviewed whole). Staff read every review; a customer those of their organisation; nobody else
// any. A decision writes one grant and moves its review's version.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/scope.h"

namespace tandem::storage {

struct AccessReview {
  std::string id;
  std::string organization_id;
  std::string opened_by;
  std::int64_t grant_count = 0;
  std::int64_t decided_count = 0;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// One grant as it stood when the review was opened, and what its customer decided.
struct ReviewGrant {
  std::string review_id;
  std::int64_t ordinal = 0;  // its place in the review
  std::string id;            // "account:<user>", "role:<user>:<role>", …
  std::string kind;          // account, role, membership, token, entitlement, subscription
  std::string subject = "{}";  // JSON: whom and what it names
  std::optional<std::string> decision;  // confirm, revoke
  std::optional<std::string> decided_by;
  std::optional<std::int64_t> decided_at;
};

std::string canonical(const AccessReview& r);
std::string canonical(const ReviewGrant& g);

namespace access_reviews {
// The review with its grants, in their order.
Result<void> insert(Connection& c, const AccessReview& r, const std::vector<ReviewGrant>& grants);
Result<std::optional<AccessReview>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock = Lock::none);
// Newest first.
Result<Page<AccessReview>> list(Connection& c, const Scope& scope, const PageRequest& page);
// In their order; the cursor is the last grant's ordinal. Unscoped: read the review first.
Result<Page<ReviewGrant>> grants(Connection& c, std::string_view review_id, const PageRequest& page);
Result<std::optional<ReviewGrant>> find_grant(Connection& c, std::string_view review_id, std::string_view grant_id);
// The grant's decision, and its review's counts and version; failed_precondition when the
// review's stored version is not `r.version - 1`.
Result<void> decide(Connection& c, const AccessReview& r, const ReviewGrant& g);
}  // namespace access_reviews

}  // namespace tandem::storage
