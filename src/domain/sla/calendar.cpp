#include "domain/sla/calendar.h"

#include <algorithm>
#include <optional>

namespace tandem::sla {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using std::chrono::minutes;

namespace {

// How far add() and between() look: past it a count of business minutes is not a timeframe
// anyone agreed to.
constexpr int kHorizonDays = 366 * 100;

constexpr const char* kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

void check_periods(const std::vector<WorkingPeriod>& periods, const std::string& field, Error& e) {
  minutes end = 0min;
  for (const auto& p : periods) {
    if (p.from < 0min || p.to > 24h || p.from >= p.to) {
      e.details.push_back({field, "each period must run forward within 00:00–24:00"});
      return;
    }
    if (p.from < end) {
      e.details.push_back({field, "periods must be in order and must not overlap"});
      return;
    }
    end = p.to;
  }
}

}  // namespace

Result<Calendar> Calendar::make(CalendarRules rules, const date::time_zone* zone) {
  Error e(Code::invalid_argument, "The calendar is not valid.");
  if (!zone) e.details.push_back({"time_zone", "must be an IANA time zone such as Asia/Shanghai"});
  for (std::size_t day = 0; day < rules.week.size(); ++day) check_periods(rules.week[day], std::string("hours.") + kDayNames[day], e);
  check_periods(rules.extra_day_hours, "extra_day_hours", e);
  for (const auto& day : rules.extra_working_days)
    if (rules.holidays.contains(day)) e.details.push_back({"extra_working_days", date::format("%F", day) + " is also a holiday"});
  bool works = std::any_of(rules.week.begin(), rules.week.end(), [](const auto& periods) { return !periods.empty(); });
  if (!rules.always_open && !works) e.details.push_back({"hours", "a calendar that is not always open needs working hours"});
  if (!e.details.empty()) return fail(std::move(e));
  return Calendar(std::move(rules), zone);
}

Calendar::Calendar(CalendarRules rules, const date::time_zone* zone) : rules_(std::move(rules)), zone_(zone) {
  using namespace date::literals;
  auto end = std::chrono::sys_seconds(date::sys_days(2100_y / 1 / 1).time_since_epoch());
  for (auto t = std::chrono::sys_seconds(date::sys_days(1970_y / 1 / 1).time_since_epoch()); t < end;) {
    auto info = zone_->get_info(t);
    offsets_.push_back({info.begin, info.end, info.offset});
    t = info.end;
  }
}

Calendar::Offset Calendar::offset_at(std::chrono::sys_seconds t) const {
  auto it = std::upper_bound(offsets_.begin(), offsets_.end(), t, [](auto at, const Offset& o) { return at < o.end; });
  if (it != offsets_.end() && it->begin <= t) return *it;
  auto info = zone_->get_info(t);
  return {info.begin, info.end, info.offset};
}

date::local_days Calendar::local_day_of(Time t) const {
  auto seconds = std::chrono::floor<std::chrono::seconds>(t);
  return date::local_days(date::floor<date::days>(seconds + offset_at(seconds).offset).time_since_epoch());
}

template <class Visit>
bool Calendar::for_each_interval(date::local_days day, Visit&& visit) const {
  if (rules_.holidays.contains(day)) return true;
  const auto& periods =
      rules_.extra_working_days.contains(day) ? rules_.extra_day_hours : rules_.week[date::weekday(day).c_encoding()];
  if (periods.empty()) return true;
  // Most days are far from a change of offset: one lookup serves every period of the day.
  auto day_start = std::chrono::sys_seconds(day.time_since_epoch());
  auto info = offset_at(day_start - 26h);
  if (info.end > day_start + 50h) {
    for (const auto& p : periods)
      if (!visit(Interval{std::chrono::time_point_cast<milliseconds>(day_start + p.from - info.offset),
                          std::chrono::time_point_cast<milliseconds>(day_start + p.to - info.offset)}))
        return false;
    return true;
  }
  // The instants whose wall-clock time falls in the period, offset by offset: a time the clocks
  // skip is never worked, one they pass twice is worked twice.
  std::optional<Interval> pending;
  for (const auto& p : periods) {
    auto wall_from = std::chrono::sys_seconds((day + p.from).time_since_epoch());
    auto wall_to = std::chrono::sys_seconds((day + p.to).time_since_epoch());
    // No offset is beyond ±26 hours, so this window holds every instant the period can.
    for (auto cursor = wall_from - 26h; cursor < wall_to + 26h;) {
      auto at = offset_at(cursor);
      auto from = std::max(wall_from - at.offset, at.begin);
      auto to = std::min(wall_to - at.offset, at.end);
      if (from < to) {
        Interval piece{std::chrono::time_point_cast<milliseconds>(from), std::chrono::time_point_cast<milliseconds>(to)};
        if (pending && pending->to == piece.from) pending->to = piece.to;  // across a jump forward
        else {
          if (pending && !visit(*pending)) return false;
          pending = piece;
        }
      }
      cursor = at.end;
    }
  }
  return !pending || visit(*pending);
}

Time Calendar::add(Time start, milliseconds business) const {
  if (business <= 0ms) return start;
  if (rules_.always_open) return start + business;
  milliseconds remaining = business;
  std::optional<Time> result;
  auto day = local_day_of(start);
  for (int i = 0; i < kHorizonDays && !result; ++i, day += date::days{1}) {
    for_each_interval(day, [&](const Interval& interval) {
      auto from = std::max(interval.from, start);
      if (from >= interval.to) return true;
      auto available = interval.to - from;
      if (remaining <= available) {
        result = from + remaining;
        return false;
      }
      remaining -= available;
      return true;
    });
  }
  return result ? *result : start + date::days{kHorizonDays};
}

milliseconds Calendar::between(Time from, Time to) const {
  if (to <= from) return 0ms;
  if (rules_.always_open) return to - from;
  milliseconds total = 0ms;
  auto last = std::min(local_day_of(to), local_day_of(from) + date::days{kHorizonDays});
  for (auto day = local_day_of(from); day <= last; day += date::days{1}) {
    for_each_interval(day, [&](const Interval& interval) {
      auto overlap = std::min(interval.to, to) - std::max(interval.from, from);
      if (overlap > 0ms) total += overlap;
      return true;
    });
  }
  return total;
}

bool Calendar::works_on(date::local_days day) const {
  if (rules_.always_open) return true;
  if (rules_.holidays.contains(day)) return false;
  if (rules_.extra_working_days.contains(day)) return !rules_.extra_day_hours.empty();
  return !rules_.week[date::weekday(day).c_encoding()].empty();
}

bool Calendar::is_open(Time t) const {
  if (rules_.always_open) return true;
  bool open = false;
  for_each_interval(local_day_of(t), [&](const Interval& i) {
    open = i.from <= t && t < i.to;
    return !open;
  });
  return open;
}

std::optional<minutes> parse_clock_time(std::string_view text) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (text.size() != 5 || text[2] != ':' || !digit(text[0]) || !digit(text[1]) || !digit(text[3]) || !digit(text[4]))
    return std::nullopt;
  int hours = (text[0] - '0') * 10 + (text[1] - '0');
  int mins = (text[3] - '0') * 10 + (text[4] - '0');
  if (mins > 59 || hours > 24 || (hours == 24 && mins != 0)) return std::nullopt;
  return minutes(hours * 60 + mins);
}

}  // namespace tandem::sla
