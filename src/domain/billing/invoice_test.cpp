#include "domain/billing/invoice.h"

#include <date/date.h>
#include <gtest/gtest.h>

namespace tandem::billing {
namespace {

std::int64_t at(date::year_month_day day, int hour = 0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             date::sys_days(day).time_since_epoch() + std::chrono::hours(hour))
      .count();
}

Money money(const char* text) { return *Money::parse(text); }

TEST(Period, IsACalendarMonthInUtc) {
  using namespace date::literals;
  auto nov = parse_period("2026-11");
  ASSERT_TRUE(nov);
  EXPECT_EQ(nov->start, at(2026_y / 11 / 1));
  EXPECT_EQ(nov->end, at(2026_y / 12 / 1));
  auto dec = parse_period("2026-12");
  EXPECT_EQ(dec->end, at(2027_y / 1 / 1)) << "December ends with the year";
  auto feb = parse_period("2028-02");
  EXPECT_EQ(feb->end - feb->start, 29 * 86'400'000LL) << "a leap February";
  for (auto bad : {"2026-13", "2026-00", "2026-1", "26-11", "2026/11", "2026-11-01", "1999-12",
                   "abcd-ef", "", "2026-1x"})
    EXPECT_FALSE(parse_period(bad)) << bad;
}

// DESK-11: a monthly fee is charged for the part of the month the tier was held, to the cent.
TEST(FeeLines, AFeeIsProratedToThePartOfTheMonthHeld) {
  using namespace date::literals;
  auto nov = *parse_period("2026-11");  // 30 days
  std::vector<HeldTier> held = {
      {"sub_whole", "tier_regular", std::nullopt, money("30.00"), at(2026_y / 1 / 1), std::nullopt},
      {"sub_from_11th", "tier_regular", "usr_a", money("30.00"), at(2026_y / 11 / 11),
       std::nullopt},
      {"sub_ended", "tier_regular", std::nullopt, money("30.00"), at(2026_y / 10 / 1),
       at(2026_y / 10 / 20)},
      {"sub_free", "tier_occasional", std::nullopt, money("0.00"), at(2026_y / 11 / 1),
       std::nullopt},
      {"sub_odd", "tier_premium", std::nullopt, money("10.00"), at(2026_y / 11 / 1),
       at(2026_y / 11 / 2, 12)},
  };
  auto lines = fee_lines(nov, held);
  ASSERT_EQ(lines.size(), 3u) << "a tier held outside the month, or without a fee, gives no line";
  EXPECT_EQ(lines[0].amount, money("30.00"));
  EXPECT_EQ(lines[0].from, nov.start);
  EXPECT_EQ(lines[0].to, nov.end);
  EXPECT_EQ(lines[1].amount, money("20.00")) << "20 of 30 days";
  EXPECT_EQ(lines[1].user_id, "usr_a");
  EXPECT_EQ(lines[2].amount, money("0.50")) << "a day and a half of 30: 10 × 1.5 / 30";
}

// DESK-11, ONB-6: a tier changed mid-month (effective now) splits the month between the two
// subscriptions; each is charged its share, rounded to the cent.
TEST(FeeLines, ATierChangedMidMonthChargesEachTierItsShare) {
  using namespace date::literals;
  auto dec = *parse_period("2026-12");  // 31 days
  auto change = at(2026_y / 12 / 11);   // 10 days on the first, 21 on the second
  std::vector<HeldTier> held = {
      {"sub_regular", "tier_regular", std::nullopt, money("30.00"), at(2026_y / 6 / 1), change},
      {"sub_premium", "tier_premium", std::nullopt, money("50.00"), change, std::nullopt},
  };
  auto lines = fee_lines(dec, held);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].amount, money("9.68")) << "30 × 10 / 31 = 9.677…";
  EXPECT_EQ(lines[1].amount, money("33.87")) << "50 × 21 / 31 = 33.870…";
  EXPECT_EQ(lines[0].to, lines[1].from);
}

}  // namespace
}  // namespace tandem::billing
