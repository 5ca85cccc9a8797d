#include "storage/idempotency.h"

namespace tandem::storage::idempotency {

Result<std::optional<StoredResponse>> find(Connection& c, std::string_view actor_id, std::string_view key) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT method, path, status, location, body FROM idempotency_keys WHERE actor_id = ? AND key = ?",
                                      {std::string(actor_id), std::string(key)}));
  if (rows.empty()) return std::nullopt;
  return StoredResponse{rows[0].text(0), rows[0].text(1), int(rows[0].integer(2)), rows[0].text(3), rows[0].text(4)};
}

Result<void> store(Connection& c, std::string_view actor_id, std::string_view key, const StoredResponse& r, std::int64_t now) {
  TRY(c.execute("INSERT INTO idempotency_keys (actor_id, key, method, path, status, location, body, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                {std::string(actor_id), std::string(key), r.method, r.path, std::int64_t(r.status), r.location, r.body, now}));
  return {};
}

}  // namespace tandem::storage::idempotency
