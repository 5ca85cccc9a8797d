// DESK-3: the SLA clock against hand-computed answers — across DST in Europe/London and
// America/New_York, across Chinese holidays with a make-up Saturday, pauses that start and end
// outside business hours, a priority raised mid-flight, a calendar edited after the fact, a
// ticket raised at 23:59 on a Friday — and properties that hold for any history.
#include "domain/sla/clock.h"

#include <gtest/gtest.h>

#include <random>

namespace tandem::sla {
namespace {

using namespace std::chrono_literals;
using namespace date::literals;
using std::chrono::milliseconds;
using std::chrono::minutes;

Time utc(date::year_month_day day, minutes time_of_day) {
  return std::chrono::time_point_cast<milliseconds>(date::sys_days(day) + time_of_day);
}

WorkingPeriod hours(const char* from, const char* to) { return {*parse_clock_time(from), *parse_clock_time(to)}; }

Calendar nine_to_five(const char* zone_name) {
  CalendarRules r;
  for (int day = 1; day <= 5; ++day) r.week[day] = {hours("09:00", "17:00")};
  r.extra_day_hours = r.week[1];
  return *Calendar::make(r, date::locate_zone(zone_name));
}

CalendarRules shanghai_rules() {
  CalendarRules r;
  for (int day = 1; day <= 5; ++day) r.week[day] = {hours("09:00", "12:00"), hours("13:00", "18:00")};
  r.extra_day_hours = r.week[1];
  for (unsigned d = 1; d <= 8; ++d) r.holidays.insert(date::local_days(2026_y / 10 / d));
  r.extra_working_days = {date::local_days(2026_y / 9 / 27), date::local_days(2026_y / 10 / 10)};
  return r;
}

Calendar always_open() {
  CalendarRules r;
  r.always_open = true;
  return *Calendar::make(r, date::locate_zone("Europe/London"));
}

ClockTerms terms(std::optional<int> first_response, std::optional<int> next_update, std::optional<int> resolution) {
  ClockTerms t;
  auto m = [](std::optional<int> v) { return v ? std::optional<minutes>(minutes(*v)) : std::nullopt; };
  t.targets = {m(first_response), m(next_update), m(resolution)};
  t.pause_statuses = {"waiting_for_user", "awaiting_approval"};
  return t;
}

ClockEvent opened(Time at) { return {at, ClockEventKind::opened}; }
ClockEvent staff(Time at) { return {at, ClockEventKind::staff_reply}; }
ClockEvent user(Time at) { return {at, ClockEventKind::user_reply}; }
ClockEvent status(Time at, const char* to, bool done = false) { return {at, ClockEventKind::status, to, done}; }

const TargetClock& target(const ClockReading& r, Metric m) {
  for (const auto& t : r.targets)
    if (t.metric == m) return t;
  throw std::logic_error("no such target");
}

struct Case {
  const char* what;
  Calendar calendar;
  ClockTerms terms;
  std::vector<ClockEvent> events;
  Time now;
  Metric metric;
  std::optional<Time> due;
  TargetState state;
  milliseconds elapsed;
};

TEST(Clock, HandComputedAnswers) {
  auto london = nine_to_five("Europe/London");
  auto new_york = nine_to_five("America/New_York");
  auto shanghai = *Calendar::make(shanghai_rules(), date::locate_zone("Asia/Shanghai"));
  auto mon = 2026_y / 11 / 23;  // a plain Monday in GMT
  auto tue = 2026_y / 11 / 24;
  auto wed = 2026_y / 11 / 25;
  const std::vector<Case> cases = {
      {"GMT Friday 16:00 + 2 h lands on BST Monday 10:00", london, terms(120, {}, {}), {opened(utc(2026_y / 3 / 27, 16h))},
       utc(2026_y / 3 / 27, 16h + 30min), Metric::first_response, utc(2026_y / 3 / 30, 9h), TargetState::ok, 30min},
      {"EDT Friday 16:30 + 1 h lands on EST Monday 09:30", new_york, terms(60, {}, {}), {opened(utc(2026_y / 10 / 30, 20h + 30min))},
       utc(2026_y / 11 / 2, 14h + 40min), Metric::first_response, utc(2026_y / 11 / 2, 14h + 30min), TargetState::breached, 70min},
      {"eight days of national holiday are skipped", shanghai, terms({}, {}, 120), {opened(utc(2026_y / 9 / 30, 9h))},
       utc(2026_y / 10 / 5, 0h), Metric::resolution, utc(2026_y / 10 / 9, 2h), TargetState::ok, 60min},
      {"the make-up Saturday counts, Sunday does not", shanghai, terms({}, {}, 600), {opened(utc(2026_y / 10 / 9, 9h + 30min))},
       utc(2026_y / 10 / 9, 9h + 30min), Metric::resolution, utc(2026_y / 10 / 12, 2h + 30min), TargetState::ok, 0ms},
      {"raised at 23:59 on a Friday: Monday 10:00", london, terms(60, {}, {}), {opened(utc(2026_y / 11 / 20, 23h + 59min))},
       utc(2026_y / 11 / 21, 12h), Metric::first_response, utc(mon, 10h), TargetState::ok, 0ms},
      {"a pause from Monday evening to Wednesday before opening takes out Tuesday", london, terms({}, {}, 600),
       {opened(utc(mon, 9h)), status(utc(mon, 19h), "waiting_for_user"), status(utc(wed, 8h), "in_progress")},
       utc(wed, 8h + 30min), Metric::resolution, utc(wed, 11h), TargetState::warning, 480min},
      {"the same history with no pause", london, terms({}, {}, 600), {opened(utc(mon, 9h))}, utc(tue, 8h), Metric::resolution,
       utc(tue, 11h), TargetState::warning, 480min},
      {"a pause at lunch moves the promise by its length", london, terms({}, {}, 600),
       {opened(utc(mon, 9h)), status(utc(mon, 12h), "waiting_for_user"), status(utc(mon, 14h), "in_progress")}, utc(mon, 14h),
       Metric::resolution, utc(tue, 13h), TargetState::ok, 180min},
      {"paused: no promise while the user is awaited", london, terms({}, {}, 600),
       {opened(utc(mon, 9h)), status(utc(mon, 12h), "waiting_for_user")}, utc(tue, 12h), Metric::resolution, std::nullopt,
       TargetState::ok, 180min},
      {"answered in time: met, with the promise that stood", london, terms(60, {}, {}), {opened(utc(mon, 9h)), staff(utc(mon, 9h + 50min))},
       utc(wed, 0h), Metric::first_response, utc(mon, 10h), TargetState::met, 50min},
      {"answered late: breached at the promise", london, terms(60, {}, {}), {opened(utc(mon, 9h)), staff(utc(mon, 11h))}, utc(wed, 0h),
       Metric::first_response, utc(mon, 10h), TargetState::breached, 120min},
      {"resolving answers the first response", london, terms(60, {}, 480),
       {opened(utc(mon, 9h)), status(utc(mon, 9h + 20min), "resolved", true)}, utc(mon, 12h), Metric::first_response, utc(mon, 10h),
       TargetState::met, 20min},
      {"a reopen resumes the resolution clock where it stopped", london, terms({}, {}, 480),
       {opened(utc(mon, 9h)), status(utc(mon, 10h), "resolved", true), status(utc(mon, 13h), "in_progress")}, utc(mon, 14h),
       Metric::resolution, utc(tue, 12h), TargetState::ok, 120min},
      {"24×7 across the night the clocks go forward: real minutes", always_open(), terms({}, {}, 180),
       {opened(utc(2026_y / 3 / 28, 23h))}, utc(2026_y / 3 / 28, 23h), Metric::resolution, utc(2026_y / 3 / 29, 2h), TargetState::ok, 0ms},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto reading = read_clock(c.terms, c.calendar, c.events, c.now);
    const auto& t = target(reading, c.metric);
    EXPECT_EQ(t.due, c.due);
    EXPECT_EQ(to_string(t.state), to_string(c.state));
    EXPECT_EQ(t.elapsed, c.elapsed);
  }
}

TEST(Clock, ARaisedPriorityOrAnEditedCalendarIsANewReadingOfTheSameHistory) {
  auto london = nine_to_five("Europe/London");
  auto mon = 2026_y / 11 / 23;
  std::vector<ClockEvent> history = {opened(utc(mon, 9h)), status(utc(mon, 10h), "waiting_for_user"),
                                     status(utc(mon, 11h), "in_progress")};
  auto now = utc(mon, 13h);
  // Priority raised at 13:00: the policy for high priority agrees 4 h instead of 8 h.
  auto medium = target(read_clock(terms({}, {}, 480), london, history, now), Metric::resolution);
  auto high = target(read_clock(terms({}, {}, 240), london, history, now), Metric::resolution);
  EXPECT_EQ(medium.due, utc(2026_y / 11 / 24, 10h));
  EXPECT_EQ(high.due, utc(mon, 14h));
  EXPECT_EQ(medium.elapsed, high.elapsed) << "the time already worked is the same";
  EXPECT_EQ(high.state, TargetState::warning);
  EXPECT_EQ(high.pauses, (std::vector<Span>{{utc(mon, 10h), utc(mon, 11h)}}));
  // Monday declared a holiday afterwards: nothing was worked that day, the promise is Tuesday's.
  CalendarRules edited = london.rules();
  edited.holidays.insert(date::local_days(mon));
  auto holiday = *Calendar::make(edited, london.zone());
  auto reread = target(read_clock(terms({}, {}, 480), holiday, history, now), Metric::resolution);
  EXPECT_EQ(reread.elapsed, 0ms);
  EXPECT_EQ(reread.due, utc(2026_y / 11 / 24, 17h));
}

TEST(Clock, WarningsAndBreachesAreCrossingsTimersCanWaitFor) {
  auto clock = always_open();
  auto t0 = utc(2026_y / 11 / 23, 9h);
  auto t = terms(60, {}, {});
  auto at = [&](minutes m) { return read_clock(t, clock, std::vector{opened(t0)}, t0 + m); };
  EXPECT_EQ(target(at(30min), Metric::first_response).state, TargetState::ok);
  EXPECT_EQ(at(30min).next_crossing, t0 + 45min) << "the 75 % warning comes first";
  EXPECT_EQ(target(at(45min), Metric::first_response).state, TargetState::warning);
  EXPECT_EQ(target(at(45min), Metric::first_response).warning_at, t0 + 45min);
  EXPECT_EQ(at(50min).next_crossing, t0 + 60min + 1ms) << "then the breach, just after the promise";
  EXPECT_EQ(target(at(60min), Metric::first_response).state, TargetState::warning) << "answering at the promise keeps it";
  EXPECT_EQ(target(at(61min), Metric::first_response).state, TargetState::breached);
  EXPECT_FALSE(at(61min).next_crossing) << "nothing more to wait for";
  auto paused = read_clock(terms({}, {}, 60), clock, std::vector{opened(t0), status(t0 + 10min, "waiting_for_user")}, t0 + 20min);
  EXPECT_FALSE(paused.next_crossing) << "a paused clock crosses nothing";
  EXPECT_TRUE(target(paused, Metric::resolution).paused);
}

TEST(Clock, EachUnansweredUserReplyStartsANextUpdateCycle) {
  auto clock = always_open();
  auto t0 = utc(2026_y / 11 / 23, 9h);
  auto t = terms(60, 240, {});
  std::vector<ClockEvent> events = {opened(t0), staff(t0 + 10min)};
  auto reading = read_clock(t, clock, events, t0 + 20min);
  EXPECT_FALSE(target(reading, Metric::next_update).started_at) << "no reply from the user yet";
  events.push_back(user(t0 + 1h));
  events.push_back(user(t0 + 2h));  // a second reply before the answer does not restart it
  events.push_back(staff(t0 + 3h));
  reading = read_clock(t, clock, events, t0 + 4h);
  auto update = target(reading, Metric::next_update);
  EXPECT_EQ(update.state, TargetState::met);
  EXPECT_EQ(update.elapsed, 2h);
  EXPECT_EQ(update.cycle, 1);
  events.push_back(user(t0 + 5h));
  reading = read_clock(t, clock, events, t0 + 10h);
  update = target(reading, Metric::next_update);
  EXPECT_EQ(update.cycle, 2);
  EXPECT_EQ(update.state, TargetState::breached);
  EXPECT_EQ(update.due, t0 + 9h);
  events.push_back(staff(t0 + 10h));
  events.push_back(user(t0 + 11h));
  reading = read_clock(t, clock, events, t0 + 11h + 30min);
  update = target(reading, Metric::next_update);
  EXPECT_EQ(update.cycle, 3);
  EXPECT_EQ(update.breached_cycles, 1);
  EXPECT_EQ(update.state, TargetState::ok);
  EXPECT_EQ(update.due, t0 + 15h);
  EXPECT_EQ(target(reading, Metric::first_response).state, TargetState::met) << "first response is answered once";
}

TEST(Clock, AnExtensionGivesMoreTimeAndCanUndoABreach) {
  auto clock = always_open();
  auto t0 = utc(2026_y / 11 / 23, 9h);
  auto more = [](Time at, Metric m, minutes n) {
    ClockEvent e{at, ClockEventKind::extended};
    e.metric = m;
    e.minutes = n;
    return e;
  };
  auto t = terms(60, 60, 120);
  // Granted while counting: the promise moves by the extension.
  auto read = read_clock(t, clock, std::vector{opened(t0), more(t0 + 30min, Metric::resolution, 60min)}, t0 + 40min);
  EXPECT_EQ(target(read, Metric::resolution).due, t0 + 180min);
  EXPECT_EQ(target(read, Metric::resolution).target, 180min);
  // Granted after the breach: it is no longer one; the warning returns at 75 % of 180 min.
  read = read_clock(t, clock, std::vector{opened(t0), more(t0 + 150min, Metric::resolution, 60min)}, t0 + 150min);
  EXPECT_EQ(target(read, Metric::resolution).state, TargetState::warning);
  EXPECT_EQ(target(read, Metric::resolution).due, t0 + 180min);
  // After a breached first response was answered: met after all.
  read = read_clock(t, clock, std::vector{opened(t0), staff(t0 + 90min), more(t0 + 100min, Metric::first_response, 30min)},
                    t0 + 100min);
  EXPECT_EQ(target(read, Metric::first_response).state, TargetState::met);
  // A next-update extension holds for its cycle only.
  read = read_clock(t, clock,
                    std::vector{opened(t0), staff(t0 + 1min), user(t0 + 10min), more(t0 + 20min, Metric::next_update, 60min),
                                staff(t0 + 30min), user(t0 + 40min)},
                    t0 + 50min);
  EXPECT_EQ(target(read, Metric::next_update).cycle, 2);
  EXPECT_EQ(target(read, Metric::next_update).due, t0 + 100min);
}

// For any history on any calendar: elapsed never decreases as now moves on, and is exactly the
// working time from the start less the working time of the pauses (no time in a pause counts).
TEST(Clock, PausesNeverCountAndElapsedNeverDecreases) {
  std::mt19937 random(20261206);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  const char* zones[] = {"Europe/London", "America/New_York", "Asia/Shanghai"};
  for (int round = 0; round < 200; ++round) {
    CalendarRules r;
    r.always_open = pick(0, 9) == 0;
    for (int day = 0; day < 7; ++day)
      if (pick(0, 3) > 0) r.week[std::size_t(day)] = {{minutes(pick(0, 20) * 30), minutes(pick(21, 48) * 30)}};
    if (std::all_of(r.week.begin(), r.week.end(), [](const auto& d) { return d.empty(); })) r.week[2] = {hours("09:00", "17:00")};
    r.extra_day_hours = r.week[1];
    auto calendar = *Calendar::make(r, date::locate_zone(zones[pick(0, 2)]));
    auto t = utc(2026_y / 1 / 1, 0h) + milliseconds(std::int64_t(pick(0, 360)) * 24 * 3600 * 1000);
    std::vector<ClockEvent> events = {opened(t)};
    bool waiting = false;
    for (int n = pick(0, 20); n > 0; --n) {
      t += minutes(pick(1, 3000));
      switch (pick(0, 2)) {
        case 0: events.push_back(user(t)); break;
        case 1: events.push_back(staff(t)); break;
        default:
          waiting = !waiting;
          events.push_back(status(t, waiting ? "waiting_for_user" : "in_progress"));
      }
    }
    auto tm = terms(pick(1, 600), pick(1, 600), pick(1, 6000));
    SCOPED_TRACE("round " + std::to_string(round));
    milliseconds last{0};
    for (auto now = events.front().at; now <= t + 48h; now += minutes(pick(60, 4000))) {
      auto resolution = target(read_clock(tm, calendar, events, now), Metric::resolution);
      EXPECT_GE(resolution.elapsed, last);
      last = resolution.elapsed;
      auto paused = 0ms;
      for (const auto& p : resolution.pauses) paused += calendar.between(p.from, p.to);
      EXPECT_EQ(resolution.elapsed, calendar.between(events.front().at, now) - paused);
    }
  }
}

}  // namespace
}  // namespace tandem::sla

namespace tandem::sla {
namespace {

TEST(ClockHistory, WhatIsKeptReadsBackAsItWas) {
  auto t0 = Time(std::chrono::milliseconds(1'764'950'400'123));
  std::vector<ClockEvent> events = {{t0, ClockEventKind::opened},
                                    {t0 + 1min, ClockEventKind::staff_reply},
                                    {t0 + 2min, ClockEventKind::status, "waiting_for_user", false},
                                    {t0 + 3min, ClockEventKind::user_reply},
                                    {t0 + 4min, ClockEventKind::status, "resolved", true},
                                    {t0 + 5min, ClockEventKind::extended, "", false, Metric::next_update, 90min}};
  std::string kept;
  for (const auto& e : events) append_history(kept, e);
  auto back = decode_history(kept);
  ASSERT_EQ(back.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(back[i].at, events[i].at);
    EXPECT_EQ(back[i].kind, events[i].kind);
    EXPECT_EQ(back[i].status, events[i].status);
    EXPECT_EQ(back[i].done, events[i].done);
    EXPECT_EQ(back[i].metric, events[i].metric);
    EXPECT_EQ(back[i].minutes, events[i].minutes);
  }
  EXPECT_EQ(decode_history("garbage\n12 x\n\n12 t\n12 t  1\n12 x lunch 5\n12 x resolution 5m\n5 o").size(), 1u)
      << "only the readable line";
}

}  // namespace
}  // namespace tandem::sla
