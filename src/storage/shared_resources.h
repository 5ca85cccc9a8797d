// REL-5: shared resources and their bookings. Reads take a Scope: staff see every
// organisation's, anyone else their own organisation's (which bookings of others they are shown,
// and how much of them, the use case decides).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/scope.h"

namespace tandem::storage {

struct SharedResource {
  std::string id;
  std::string organization_id;
  std::string name;
  std::string kind;  // car, bike, room, projector…
  std::string location;
  bool active = true;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct Booking {
  std::string id;
  std::string resource_id;
  std::string organization_id;
  std::string user_id;
  std::int64_t starts_at = 0, ends_at = 0;
  std::string state = "booked";  // booked, picked_up, returned, cancelled
  std::optional<std::int64_t> picked_up_at, returned_at, expected_return_at;
  std::string location;  // where the holder says it is
  std::optional<std::int64_t> alerted_estimate;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

std::string canonical(const SharedResource& r);
std::string canonical(const Booking& b);

namespace shared_resources {
Result<void> insert(Connection& c, const SharedResource& r);
Result<std::optional<SharedResource>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock = Lock::none);
Result<Page<SharedResource>> list(Connection& c, const Scope& scope, const std::optional<std::string>& kind, const PageRequest& page);
// failed_precondition when the stored version is not `r.version - 1`.
Result<void> update(Connection& c, const SharedResource& r);
// The organisation's active resources of `kind` with no live booking in [start, end), by name.
Result<std::vector<SharedResource>> free_between(Connection& c, std::string_view organization_id, std::string_view kind,
                                                 std::int64_t start, std::int64_t end, std::string_view except_id, int limit);
}  // namespace shared_resources

namespace bookings {
Result<void> insert(Connection& c, const Booking& b);
Result<std::optional<Booking>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock = Lock::none);
// failed_precondition when the stored version is not `b.version - 1`.
Result<void> update(Connection& c, const Booking& b);
// The resource's live bookings (booked or out) meeting [start, end), by start.
Result<std::vector<Booking>> live_between(Connection& c, std::string_view resource_id, std::int64_t start, std::int64_t end);
// The resource's bookings meeting [from, to), cancelled ones left out, by start.
Result<std::vector<Booking>> of_resource(Connection& c, std::string_view resource_id, std::int64_t from, std::int64_t to);
// The user's bookings ending after `since`, by start.
Result<std::vector<Booking>> of_user(Connection& c, std::string_view user_id, std::int64_t since, int limit);
// Bookings out (picked up, not returned) whose end falls in [after, before): the ones that may
// run late (one out for longer than a week is a matter for staff, not for alerts).
Result<std::vector<Booking>> out_ending_before(Connection& c, std::int64_t after, std::int64_t before, int limit);
// The first booking of the resource still to be picked up that starts at or after `after`.
Result<std::optional<Booking>> next_after(Connection& c, std::string_view resource_id, std::int64_t after, Lock lock = Lock::none);
}  // namespace bookings

}  // namespace tandem::storage
