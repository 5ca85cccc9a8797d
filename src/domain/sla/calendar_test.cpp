// DESK-3: business calendars against hand-computed answers — DST in Europe/London and
// America/New_York, Chinese holidays with a make-up Saturday in Asia/Shanghai, a ticket raised
// at 23:59 on a Friday — and properties that must hold for any calendar.
#include "domain/sla/calendar.h"

#include <gtest/gtest.h>

#include <random>

namespace tandem::sla {
namespace {

using namespace std::chrono_literals;
using namespace date::literals;
using std::chrono::milliseconds;
using std::chrono::minutes;

const date::time_zone* zone(const char* name) { return date::locate_zone(name); }

// A wall-clock time in `z` that exists and is not ambiguous.
Time local(const date::time_zone* z, date::year_month_day day, minutes time_of_day) {
  return std::chrono::time_point_cast<milliseconds>(z->to_sys(date::local_days(day) + time_of_day));
}

WorkingPeriod hours(const char* from, const char* to) { return {*parse_clock_time(from), *parse_clock_time(to)}; }

// Monday to Friday 09:00–12:00 and 13:00–18:00: eight working hours a day.
CalendarRules office() {
  CalendarRules r;
  for (int day = 1; day <= 5; ++day) r.week[day] = {hours("09:00", "12:00"), hours("13:00", "18:00")};
  r.extra_day_hours = r.week[1];
  return r;
}

// Every day, all day: business time is then real time, so a day's length shows DST.
CalendarRules all_day() {
  CalendarRules r;
  for (auto& day : r.week) day = {hours("00:00", "24:00")};
  return r;
}

// The working time of one local day.
std::chrono::milliseconds worked_on(const Calendar& c, date::year_month_day day) {
  return c.between(local(c.zone(), day, 0h), local(c.zone(), day, 24h));
}

Calendar make(CalendarRules rules, const char* zone_name) {
  auto c = Calendar::make(std::move(rules), zone(zone_name));
  EXPECT_TRUE(c) << (c ? "" : c.error().details.empty() ? c.error().message : c.error().details[0].problem);
  return *c;
}

TEST(Calendar, ADayOfWorkFollowsTheClocksInLondon) {
  auto london = zone("Europe/London");
  auto c = make(all_day(), "Europe/London");
  // 2026-03-29: 01:00 GMT becomes 02:00 BST; 2026-10-25: 02:00 BST becomes 01:00 GMT.
  EXPECT_EQ(worked_on(c, 2026_y / 3 / 29), 23h);
  EXPECT_EQ(worked_on(c, 2026_y / 10 / 25), 25h);
  EXPECT_EQ(worked_on(c, 2026_y / 3 / 28), 24h);
  // Half past midnight GMT plus an hour of work is half past two by the (new) clock.
  EXPECT_EQ(c.add(local(london, 2026_y / 3 / 29, 30min), 60min), local(london, 2026_y / 3 / 29, 2h + 30min));
}

TEST(Calendar, WallClockTimesTheClocksSkipAreNeverWorkedAndOnesTheyRepeatAreWorkedTwice) {
  auto london = zone("Europe/London");
  auto night = [&](const char* from, const char* to) {
    CalendarRules r;
    r.week[0] = {hours(from, to)};  // Sundays: both 2026 changes fall on one
    return make(r, "Europe/London");
  };
  auto march = 2026_y / 3 / 29;    // 01:00–02:00 does not exist
  auto october = 2026_y / 10 / 25;  // 01:00–02:00 happens twice
  EXPECT_EQ(worked_on(night("01:00", "01:30"), march), 0min);
  EXPECT_EQ(worked_on(night("00:30", "02:30"), march), 60min);
  EXPECT_EQ(worked_on(night("01:00", "01:30"), october), 60min);
  EXPECT_EQ(worked_on(night("00:30", "01:30"), october), 90min);
  EXPECT_EQ(worked_on(night("00:30", "02:30"), october), 180min);
  // An hour of work from midnight on 29 March ends as the clocks jump: at 02:00 BST.
  EXPECT_EQ(night("00:00", "03:00").add(local(london, march, 0h), 60min), local(london, march, 2h));
}

TEST(Calendar, HoursTheClocksSkipOrRepeatCountAsTheyWereLivedInNewYork) {
  auto new_york = zone("America/New_York");
  CalendarRules r;
  r.week[0] = {hours("01:00", "04:00")};  // Sunday nights only
  auto c = make(r, "America/New_York");
  // 2026-03-08: 02:00 EST becomes 03:00 EDT, so 01:00–04:00 holds two real hours.
  EXPECT_EQ(worked_on(c, 2026_y / 3 / 8), 2h);
  // 2026-11-01: 02:00 EDT becomes 01:00 EST, so it holds four.
  EXPECT_EQ(worked_on(c, 2026_y / 11 / 1), 4h);
  EXPECT_EQ(worked_on(c, 2026_y / 3 / 1), 3h);
  // The 121st minute of work on 8 March falls on the next Sunday.
  EXPECT_EQ(c.add(local(new_york, 2026_y / 3 / 8, 0h), 121min), local(new_york, 2026_y / 3 / 15, 1h + 1min));
}

TEST(Calendar, ChineseHolidaysAndAMakeUpSaturdayInShanghai) {
  auto shanghai = zone("Asia/Shanghai");
  auto r = office();
  for (unsigned d = 1; d <= 8; ++d) r.holidays.insert(date::local_days(2026_y / 10 / d));  // National Day
  r.extra_working_days.insert(date::local_days(2026_y / 10 / 10));  // worked, a Saturday
  auto c = make(r, "Asia/Shanghai");
  auto raised = local(shanghai, 2026_y / 9 / 30, 17h);  // Wednesday, the last hour before the holiday
  EXPECT_EQ(c.add(raised, 60min), local(shanghai, 2026_y / 9 / 30, 18h));
  EXPECT_EQ(c.add(raised, 61min), local(shanghai, 2026_y / 10 / 9, 9h + 1min)) << "eight days of holiday skipped";
  EXPECT_EQ(c.add(raised, 60min + 480min + 30min), local(shanghai, 2026_y / 10 / 10, 9h + 30min)) << "the make-up Saturday";
  EXPECT_EQ(c.add(raised, 60min + 480min + 480min + 30min), local(shanghai, 2026_y / 10 / 12, 9h + 30min))
      << "Sunday 11 October is not worked";
  EXPECT_EQ(c.between(raised, local(shanghai, 2026_y / 10 / 12, 0h)), 60min + 480min + 480min);
  EXPECT_FALSE(c.is_open(local(shanghai, 2026_y / 10 / 1, 10h)));
  EXPECT_TRUE(c.is_open(local(shanghai, 2026_y / 10 / 10, 10h)));
}

// ONB-2: the days an onboarding action may fall due on.
TEST(Calendar, WorksOnItsWeekdaysAndMakeUpDaysNotOnHolidays) {
  auto r = office();
  r.holidays.insert(date::local_days(2026_y / 10 / 1));
  r.extra_working_days.insert(date::local_days(2026_y / 10 / 10));  // a Saturday
  auto c = make(r, "Asia/Shanghai");
  EXPECT_TRUE(c.works_on(date::local_days(2026_y / 9 / 30)));    // Wednesday
  EXPECT_FALSE(c.works_on(date::local_days(2026_y / 10 / 1)));   // a holiday on a Thursday
  EXPECT_TRUE(c.works_on(date::local_days(2026_y / 10 / 10)));   // the make-up Saturday
  EXPECT_FALSE(c.works_on(date::local_days(2026_y / 10 / 11)));  // Sunday
  auto always = all_day();
  always.always_open = true;
  always.holidays.insert(date::local_days(2026_y / 10 / 1));
  EXPECT_TRUE(make(always, "Asia/Shanghai").works_on(date::local_days(2026_y / 10 / 1))) << "24×7 ignores the rest";
}

TEST(Calendar, ATicketRaisedAt2359OnAFridayWaitsForMonday) {
  auto london = zone("Europe/London");
  auto c = make(office(), "Europe/London");
  auto friday_night = local(london, 2026_y / 11 / 20, 23h + 59min);
  EXPECT_EQ(c.add(friday_night, 60min), local(london, 2026_y / 11 / 23, 10h));
  EXPECT_EQ(c.add(friday_night, 180min), local(london, 2026_y / 11 / 23, 12h)) << "ends as the morning ends";
  EXPECT_EQ(c.add(friday_night, 181min), local(london, 2026_y / 11 / 23, 13h + 1min)) << "lunch is not worked";
  EXPECT_EQ(c.add(friday_night, 0min), friday_night) << "no time asked, no time moved";
  EXPECT_EQ(c.between(local(london, 2026_y / 11 / 20, 17h + 30min), local(london, 2026_y / 11 / 23, 9h + 30min)), 60min);
  EXPECT_EQ(c.between(friday_night, friday_night - 1h), 0ms);
  EXPECT_FALSE(c.is_open(friday_night));
  EXPECT_TRUE(c.is_open(local(london, 2026_y / 11 / 23, 9h)));
  EXPECT_FALSE(c.is_open(local(london, 2026_y / 11 / 23, 12h)));
}

TEST(Calendar, AlwaysOpenCountsEveryMinute) {
  CalendarRules r;
  r.always_open = true;
  auto c = make(r, "Asia/Shanghai");
  auto t = local(zone("Asia/Shanghai"), 2026_y / 10 / 1, 3h);
  EXPECT_EQ(c.add(t, 90min), t + 90min);
  EXPECT_EQ(c.between(t, t + 36h), 36h);
  EXPECT_TRUE(c.is_open(t));
}

TEST(Calendar, RulesThatCannotBeWorkedAreRefusedWithEveryReason) {
  auto problems = [](CalendarRules r, const date::time_zone* z) {
    auto c = Calendar::make(std::move(r), z);
    std::vector<std::string> fields;
    if (!c)
      for (const auto& d : c.error().details) fields.push_back(d.field);
    return fields;
  };
  EXPECT_TRUE(problems(office(), zone("Europe/London")).empty());
  EXPECT_EQ(problems(CalendarRules{}, zone("Europe/London")), std::vector<std::string>{"hours"});
  auto r = office();
  r.week[1] = {hours("13:00", "18:00"), hours("09:00", "12:00")};
  r.week[2] = {hours("09:00", "12:00"), hours("11:00", "14:00")};
  r.week[3] = {hours("18:00", "09:00")};
  r.extra_day_hours = {WorkingPeriod{0min, 25h}};
  r.holidays.insert(date::local_days(2026_y / 10 / 10));
  r.extra_working_days.insert(date::local_days(2026_y / 10 / 10));
  EXPECT_EQ(problems(r, nullptr),
            (std::vector<std::string>{"time_zone", "hours.mon", "hours.tue", "hours.wed", "extra_day_hours", "extra_working_days"}));
}

TEST(Calendar, ClockTimesAreHoursAndMinutes) {
  EXPECT_EQ(parse_clock_time("09:30"), 570min);
  EXPECT_EQ(parse_clock_time("00:00"), 0min);
  EXPECT_EQ(parse_clock_time("24:00"), 1440min);
  for (const char* bad : {"24:01", "9:30", "09:60", "0930", "09:3x", "", "25:00", "-1:00"})
    EXPECT_FALSE(parse_clock_time(bad)) << bad;
}

// For any calendar: time worked is additive, adding and measuring agree, and business time
// elapsed never decreases as the end moves later.
TEST(Calendar, AddingAndMeasuringAgreeOnRandomCalendars) {
  std::mt19937 random(20261205);
  const char* zones[] = {"Europe/London", "America/New_York", "Asia/Shanghai", "Australia/Sydney", "Asia/Kolkata"};
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  auto random_day = [&]() {
    std::vector<WorkingPeriod> periods;
    int at = pick(0, 16) * 30;  // starts at a half hour of the first eight
    for (int n = pick(0, 3); n > 0 && at < 1440; --n) {
      int length = pick(1, 16) * 15;
      int to = std::min(1440, at + length);
      periods.push_back({minutes(at), minutes(to)});
      at = to + pick(0, 8) * 15;
    }
    return periods;
  };
  for (int round = 0; round < 300; ++round) {
    CalendarRules r;
    for (auto& day : r.week) day = random_day();
    if (std::all_of(r.week.begin(), r.week.end(), [](const auto& d) { return d.empty(); })) r.week[3] = {hours("10:00", "11:00")};
    r.extra_day_hours = random_day();
    auto first = date::local_days(2026_y / 1 / 1);
    for (int n = pick(0, 20); n > 0; --n) r.holidays.insert(first + date::days(pick(0, 729)));
    for (int n = pick(0, 5); n > 0; --n) {
      auto day = first + date::days(pick(0, 729));
      if (!r.holidays.contains(day)) r.extra_working_days.insert(day);
    }
    const char* zone_name = zones[pick(0, 4)];
    auto c = Calendar::make(r, zone(zone_name));
    ASSERT_TRUE(c);
    auto start = std::chrono::time_point_cast<milliseconds>(date::sys_days(first.time_since_epoch())) +
                 milliseconds(std::uniform_int_distribution<std::int64_t>(0, 600LL * 24 * 3600 * 1000)(random));
    auto a = minutes(pick(0, 3000)), b = minutes(pick(0, 3000));
    auto after_a = c->add(start, a);
    SCOPED_TRACE(std::string(zone_name) + " round " + std::to_string(round));
    EXPECT_EQ(c->add(start, a + b), c->add(after_a, b));
    EXPECT_EQ(c->between(start, after_a), a);
    EXPECT_GE(after_a, start);
    auto t1 = start + milliseconds(std::uniform_int_distribution<std::int64_t>(0, 20LL * 24 * 3600 * 1000)(random));
    auto t2 = t1 + milliseconds(std::uniform_int_distribution<std::int64_t>(0, 20LL * 24 * 3600 * 1000)(random));
    EXPECT_LE(c->between(start, t1), c->between(start, t2));
    EXPECT_EQ(c->between(start, t2), c->between(start, t1) + c->between(t1, t2));
  }
}

}  // namespace
}  // namespace tandem::sla
