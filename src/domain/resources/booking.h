// REL-5: shared resources and their bookings (the car-share story). Pure: when two bookings
// collide, when the person holding a resource will be back as best known, and when the next
// person to book it must hear that it will be late.
#pragma once

#include <cstdint>
#include <optional>

namespace tandem::resources {

inline constexpr std::int64_t kMinute = 60'000;
// The next booker hears of a late return from this long before their booking starts.
inline constexpr std::int64_t kAlertLead = 60 * kMinute;
// A holder past their end who said nothing is taken to need at least this much more.
inline constexpr std::int64_t kUnknownDelay = 15 * kMinute;
// A new estimate is told again only when it moved at least this much.
inline constexpr std::int64_t kNewsworthy = 10 * kMinute;

// [start, end) windows.
inline bool overlaps(std::int64_t start_a, std::int64_t end_a, std::int64_t start_b, std::int64_t end_b) {
  return start_a < end_b && start_b < end_a;
}

struct Holder {
  std::int64_t ends_at = 0;
  std::optional<std::int64_t> expected_return_at;  // the holder's own estimate
};

// When the holder will be back, as best known at `now`: their estimate, else the booked end —
// but never a time already passed: then `now` + kUnknownDelay.
std::int64_t expected_back(const Holder& holder, std::int64_t now);

struct NextBooking {
  std::int64_t starts_at = 0;
  std::optional<std::int64_t> alerted_estimate;  // what they were told last
};

// The estimate the next booker must now hear, or nullopt: they hear when their booking starts
// within kAlertLead (or has started), the holder will be back after it starts, and what they
// were told (if anything) is kNewsworthy or more from it — a holder who said nothing is told of
// once (their rolling guess is no news).
std::optional<std::int64_t> late_alert(const Holder& holder, const NextBooking& next, std::int64_t now);

}  // namespace tandem::resources
