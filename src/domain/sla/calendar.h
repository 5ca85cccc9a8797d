// DESK-3: business calendars — when a service desk works, in its own time zone — and the
// arithmetic of business minutes on them that every agreed timeframe is made of. A business
// minute is a minute of real time inside working hours: on the day clocks go forward a
// 00:00–24:00 calendar has 23 hours, on the day they go back 25.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>
#include <date/tz.h>

#include "core/clock.h"
#include "core/error.h"

namespace tandem::sla {

// Local wall-clock time after midnight, [from, to), to at most 24:00.
struct WorkingPeriod {
  std::chrono::minutes from{0};
  std::chrono::minutes to{0};
  bool operator==(const WorkingPeriod&) const = default;
};

struct CalendarRules {
  bool always_open = false;  // 24×7: every minute counts, the rest is ignored
  // By weekday, Sunday first (date::weekday::c_encoding). Periods of one day may not overlap.
  std::array<std::vector<WorkingPeriod>, 7> week;
  std::set<date::local_days> holidays;            // not worked, whatever the weekday
  std::set<date::local_days> extra_working_days;  // worked, whatever the weekday (make-up days)
  std::vector<WorkingPeriod> extra_day_hours;     // the hours of an extra working day
};

class Calendar {
 public:
  // Refuses rules with nothing to work (no hours and not always open), periods out of order,
  // overlapping or beyond 24:00, and a day that is both a holiday and an extra working day.
  // `zone` must outlive the calendar (the tz database's zones live as long as the process).
  static Result<Calendar> make(CalendarRules rules, const date::time_zone* zone);

  // The instant at which `business` minutes of working time after `start` have passed: `start`
  // itself for zero, and the end of a working period when the last minute ends it. Never throws;
  // a count beyond what the calendar can serve in 100 years answers the far future.
  Time add(Time start, std::chrono::milliseconds business) const;
  // Working time within [from, to); zero when to <= from.
  std::chrono::milliseconds between(Time from, Time to) const;
  bool is_open(Time t) const;
  // ONB-2: whether any of the local day is worked — an onboarding action due that day can be done
  // on it. Always for a 24×7 calendar; never on a holiday; an extra working day by its own hours.
  bool works_on(date::local_days day) const;

  const CalendarRules& rules() const { return rules_; }
  const date::time_zone* zone() const { return zone_; }

 private:
  struct Interval {
    Time from, to;
  };
  // One stretch of time with one UTC offset.
  struct Offset {
    std::chrono::sys_seconds begin, end;
    std::chrono::seconds offset;
  };
  Calendar(CalendarRules rules, const date::time_zone* zone);
  // The zone's offsets from 1970 to 2100 are read once: asking the tz database costs more than
  // the rest of the arithmetic.
  Offset offset_at(std::chrono::sys_seconds t) const;
  // Calls visit(Interval) for the working time of one local day, as instants, in order, until
  // it answers false; false when it did. No allocation: this runs for every day a clock crosses.
  template <class Visit>
  bool for_each_interval(date::local_days day, Visit&& visit) const;
  date::local_days local_day_of(Time t) const;

  CalendarRules rules_;
  const date::time_zone* zone_;
  std::vector<Offset> offsets_;  // in order, without gaps
};

// "09:00" → 540 minutes; "24:00" is the end of the day. nullopt for anything else.
std::optional<std::chrono::minutes> parse_clock_time(std::string_view text);

}  // namespace tandem::sla
