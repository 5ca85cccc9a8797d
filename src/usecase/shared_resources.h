// REL-5: shared resources an organisation's people take in turn — the car-share club's cars —
// and the alert the next person gets when the one before is late to return (seed chapter 8.2:
// "an alert system telling the current and the next driver where the car is and when it is
// expected back"). Staff keep the resources; the organisation's people book them, pick them up,
// say when they expect to be back, and return them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/shared_resources.h"
#include "usecase/context.h"

namespace tandem::usecase {

struct ResourceInput {
  std::optional<std::string> organization_id, name, kind, location;
  std::optional<bool> active;
};
Result<storage::SharedResource> create_resource(const Services& s, const identity::Actor& actor, const ResourceInput& in);
Result<storage::SharedResource> update_resource(const Services& s, const identity::Actor& actor, std::string_view id,
                                                std::int64_t expected_version, const ResourceInput& patch);
Result<storage::SharedResource> get_resource(const Services& s, const identity::Actor& actor, std::string_view id);
Result<storage::Page<storage::SharedResource>> list_resources(const Services& s, const identity::Actor& actor,
                                                              const std::optional<std::string>& kind, const storage::PageRequest& page);

// A booking as its reader may see it: someone else's shows only when the resource is taken.
struct BookingView {
  storage::Booking booking;
  bool own = false;  // the reader's own, or the reader is staff: every field is theirs to see
};

Result<BookingView> book_resource(const Services& s, const identity::Actor& actor, std::string_view resource_id, std::int64_t starts_at,
                                  std::int64_t ends_at);
Result<std::vector<BookingView>> resource_bookings(const Services& s, const identity::Actor& actor, std::string_view resource_id,
                                                  std::int64_t from, std::int64_t to);
// The caller's bookings not yet over (and any still out).
Result<std::vector<BookingView>> my_bookings(const Services& s, const identity::Actor& actor);

// POST /api/v1/bookings/{id}/{pickup,return,cancel,estimate}: by the booker (or staff).
struct BookingMove {
  std::string to;  // picked_up, returned, cancelled, or "estimate"
  std::optional<std::int64_t> expected_return_at;
  std::optional<std::string> location;
};
Result<BookingView> move_booking(const Services& s, const identity::Actor& actor, std::string_view id, const BookingMove& move);

// The timer: each booking out that is (or will soon be) late, whose next booker must hear it,
// gets them a notification with the estimate, where it is, and resources of the same kind free
// for their time. Each estimate is told once. How many were told.
Result<int> alert_late_returns(const Services& s, int limit = 200);

}  // namespace tandem::usecase
