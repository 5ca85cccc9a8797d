// Idempotency-Key (API.md "Writes"): a POST repeated with the same key by the same caller gets
// the first response again and creates nothing new.
#pragma once

#include <optional>
#include <string>

#include "storage/database.h"

namespace tandem::storage {

struct StoredResponse {
  std::string method;
  std::string path;
  int status = 0;
  std::string location;
  std::string body;
};

namespace idempotency {
Result<std::optional<StoredResponse>> find(Connection& c, std::string_view actor_id, std::string_view key);
Result<void> store(Connection& c, std::string_view actor_id, std::string_view key, const StoredResponse& response,
                   std::int64_t now);
}  // namespace idempotency

}  // namespace tandem::storage
