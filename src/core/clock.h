// Time is injected (ARCHITECTURE.md): everything that reads the time takes a Clock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace tandem {

using Time = std::chrono::sys_time<std::chrono::milliseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Time now() const override;
};

// A clock tests move by hand. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Time start) : ms_(start.time_since_epoch().count()) {}
  Time now() const override { return Time(std::chrono::milliseconds(ms_.load())); }
  void advance(std::chrono::milliseconds d) { ms_ += d.count(); }

 private:
  std::atomic<std::int64_t> ms_;
};

std::int64_t to_millis(Time t);
Time from_millis(std::int64_t ms);
// RFC 3339 in UTC with millisecond precision, e.g. 2026-11-23T13:22:00.123Z.
std::string to_rfc3339(Time t);
// Parses RFC 3339 (Z or ±hh:mm offset); false on anything else.
bool parse_rfc3339(std::string_view text, Time& out);
// A calendar day written YYYY-MM-DD (ISO 8601), e.g. a due date; nullopt for anything else,
// 2026-02-30 included.
std::optional<std::chrono::sys_days> parse_day(std::string_view text);
std::string day_text(std::chrono::sys_days day);

}  // namespace tandem
