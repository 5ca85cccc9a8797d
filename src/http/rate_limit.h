// Token buckets per key (route + client address, or account), refilled continuously.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace tandem::http {

class RateLimiter {
 public:
  explicit RateLimiter(const Clock& clock) : clock_(clock) {}
  // Takes one token from `key`'s bucket of `per_minute`; when empty, the seconds until one is back.
  // Returns 0 when allowed.
  int acquire(const std::string& key, int per_minute);

 private:
  struct Bucket {
    double tokens;
    std::int64_t at_ms;
  };
  const Clock& clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace tandem::http
