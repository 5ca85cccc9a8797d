#include "http/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace tandem::http {

int RateLimiter::acquire(const std::string& key, int per_minute) {
  auto now = to_millis(clock_.now());
  double rate = per_minute / 60000.0;  // tokens per ms
  std::lock_guard lock(mutex_);
  if (buckets_.size() > 100000) {
    // Forget buckets that have refilled: they hold no state worth keeping.
    std::erase_if(buckets_, [&](const auto& kv) { return kv.second.tokens + (now - kv.second.at_ms) * rate >= per_minute; });
  }
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{double(per_minute), now});
  auto& b = it->second;
  b.tokens = std::min<double>(per_minute, b.tokens + (now - b.at_ms) * rate);
  b.at_ms = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return std::max(1, int(std::ceil((1 - b.tokens) / rate / 1000)));
}

}  // namespace tandem::http
