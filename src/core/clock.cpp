// date::parse leaves a field unset on paths where it reports failure; g++ 12 cannot see that.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "core/clock.h"

#include <date/date.h>

#include <sstream>

namespace tandem {

Time SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

std::int64_t to_millis(Time t) { return t.time_since_epoch().count(); }
Time from_millis(std::int64_t ms) { return Time(std::chrono::milliseconds(ms)); }

std::string to_rfc3339(Time t) { return date::format("%FT%TZ", t); }

bool parse_rfc3339(std::string_view text, Time& out) {
  std::istringstream in{std::string(text)};
  date::sys_time<std::chrono::milliseconds> tp;
  if (text.ends_with('Z') || text.ends_with('z')) {
    in >> date::parse("%FT%T", tp);
    if (in.fail()) return false;
    char z = 0;
    in >> z;
    if (in.fail() || (z != 'Z' && z != 'z')) return false;
  } else {
    in >> date::parse("%FT%T%Ez", tp);
    if (in.fail()) return false;
  }
  if (in.peek() != std::char_traits<char>::eof()) return false;
  out = tp;
  return true;
}

}  // namespace tandem
