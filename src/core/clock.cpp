#include "core/clock.h"

#include <cstdio>

#include <date/date.h>
#include <fmt/format.h>


namespace tandem {

Time SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

std::int64_t to_millis(Time t) { return t.time_since_epoch().count(); }
Time from_millis(std::int64_t ms) { return Time(std::chrono::milliseconds(ms)); }

std::string to_rfc3339(Time t) {
  // Arithmetic and digits by hand rather than date::format, whose stream and locale dominated
  // list responses, or fmt, which an export of a million records spent 4 % of its time in.
  auto day = date::floor<date::days>(t);
  date::year_month_day ymd{day};
  auto ms = (t - day).count();
  int year = int(ymd.year());
  if (year < 0 || year > 9999)
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", year, unsigned(ymd.month()), unsigned(ymd.day()),
                       ms / 3600000, ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
  char out[] = "0000-00-00T00:00:00.000Z";
  auto put = [&](int at, long long value, int width) {
    for (int i = at + width - 1; i >= at; --i, value /= 10) out[i] = char('0' + value % 10);
  };
  put(0, year, 4);
  put(5, unsigned(ymd.month()), 2);
  put(8, unsigned(ymd.day()), 2);
  put(11, ms / 3600000, 2);
  put(14, ms / 60000 % 60, 2);
  put(17, ms / 1000 % 60, 2);
  put(20, ms % 1000, 3);
  return std::string(out, sizeof out - 1);
}

bool parse_rfc3339(std::string_view text, Time& out) {
  // RFC 3339 §5.6 exactly: date-time = full-date "T" partial-time time-offset, with any number
  // of fraction digits (kept to the millisecond) and an offset of Z or ±hh:mm.
  std::size_t pos = 0;
  auto digits = [&](std::size_t count, int& value) {
    if (pos + count > text.size()) return false;
    value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      char c = text[pos + i];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    pos += count;
    return true;
  };
  auto literal = [&](char expected) {
    if (pos >= text.size() || (text[pos] != expected && !(expected == 'T' && text[pos] == 't'))) return false;
    ++pos;
    return true;
  };
  int year, month, day, hour, minute, second;
  if (!digits(4, year) || !literal('-') || !digits(2, month) || !literal('-') || !digits(2, day) || !literal('T') ||
      !digits(2, hour) || !literal(':') || !digits(2, minute) || !literal(':') || !digits(2, second))
    return false;
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    int scale = 100;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      millis += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return false;
  }
  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om;
    if (!digits(2, oh) || !literal(':') || !digits(2, om) || oh > 23 || om > 59) return false;
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return false;
  }
  if (pos != text.size()) return false;
  date::year_month_day ymd{date::year(year), date::month(unsigned(month)), date::day(unsigned(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return false;
  auto t = date::sys_days(ymd) + std::chrono::hours(hour) + std::chrono::minutes(minute) + std::chrono::seconds(second) +
           std::chrono::milliseconds(millis) - std::chrono::minutes(offset_minutes);
  out = std::chrono::time_point_cast<std::chrono::milliseconds>(t);
  return true;
}

std::optional<std::chrono::sys_days> parse_day(std::string_view text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char rest = 0;
  std::string copy(text);
  if (copy.size() != 10 || copy[4] != '-' || copy[7] != '-' || std::sscanf(copy.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &rest) != 3)
    return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd);
}

std::string day_text(std::chrono::sys_days day) {
  std::chrono::year_month_day ymd(day);
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
  return out;
}

}  // namespace tandem
