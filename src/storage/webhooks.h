// OPS-3, REL-5: outbound webhooks and the log of what was posted to them. Webhooks are the
// provider's configuration: no organisation scope applies; the use cases let administrators
// alone read them. A webhook's secret lives in webhook_secrets (storage/fulfilment.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/scope.h"

namespace tandem::storage {

struct Webhook {
  std::string id;
  std::string name;
  std::string url;
  std::vector<std::string> events;
  std::optional<std::string> organization_id;  // none: every organisation's events
  bool local_network = false;                  // an administrator let it reach the local network
  bool active = true;
  std::int64_t version = 1;
  std::int64_t created_at = 0, updated_at = 0;
};
std::string canonical(const Webhook& w);  // for the audit log

struct EventDelivery {
  std::string id;  // the receiver's idempotency key: the same on every attempt
  std::string webhook_id;
  std::string event;
  std::string organization_id;  // what the event is about; empty for none
  std::string payload;          // the JSON body, the same on every attempt
  std::string state = "pending";  // pending, delivered, failed (given up)
  std::int64_t attempts = 0;
  std::optional<std::int64_t> next_at;  // when pending: the next attempt
  std::int64_t claimed_until = 0;
  std::optional<std::int64_t> last_status;
  std::string last_error;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> delivered_at;
};

namespace webhook_store {
Result<void> insert(Connection& c, const Webhook& w);
Result<void> update(Connection& c, const Webhook& w);
Result<std::optional<Webhook>> find(Connection& c, std::string_view id, Lock lock = Lock::none);
Result<Page<Webhook>> list(Connection& c, const PageRequest& page);
// Every active webhook: what an event is matched against (few rows, read per event).
Result<std::vector<Webhook>> active(Connection& c);
}  // namespace webhook_store

namespace event_deliveries {
Result<void> insert(Connection& c, const EventDelivery& d);
Result<std::optional<EventDelivery>> find(Connection& c, std::string_view id, Lock lock = Lock::none);
// Pending deliveries due at `now` and not claimed by another worker, soonest first; each is
// claimed until `claim_until` in the same transaction (on PostgreSQL rows other workers hold
// are skipped, not waited for).
Result<std::vector<EventDelivery>> claim_due(Connection& c, std::int64_t now, std::int64_t claim_until, int limit);
Result<void> update(Connection& c, const EventDelivery& d);
// The webhook's deliveries, newest first; `state` filters when not empty.
Result<Page<EventDelivery>> list(Connection& c, std::string_view webhook_id, std::string_view state, const PageRequest& page);
// Removes deliveries in `state` made before `before` (ms); how many.
Result<std::int64_t> remove_older(Connection& c, std::string_view state, std::int64_t before);
}  // namespace event_deliveries

}  // namespace tandem::storage
