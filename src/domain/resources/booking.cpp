#include "domain/resources/booking.h"

#include <algorithm>
#include <cstdlib>

namespace tandem::resources {

std::int64_t expected_back(const Holder& holder, std::int64_t now) {
  auto back = holder.expected_return_at.value_or(holder.ends_at);
  return back > now ? back : now + kUnknownDelay;
}

std::optional<std::int64_t> late_alert(const Holder& holder, const NextBooking& next, std::int64_t now) {
  if (next.starts_at - kAlertLead > now) return std::nullopt;
  auto back = expected_back(holder, now);
  if (back <= next.starts_at) return std::nullopt;
  if (next.alerted_estimate) {
    // A silent holder's guess moves with the clock: what was told (overdue) stands until they say.
    if (!holder.expected_return_at) return std::nullopt;
    if (std::llabs(back - *next.alerted_estimate) < kNewsworthy) return std::nullopt;
  }
  return back;
}

}  // namespace tandem::resources
