#include "domain/billing/settlement.h"

#include <date/date.h>
#include <gtest/gtest.h>

namespace tandem::billing {
namespace {

using namespace date::literals;

std::int64_t at(date::year_month_day day, int hour = 0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(date::sys_days(day).time_since_epoch() +
                                                               std::chrono::hours(hour))
      .count();
}

Money money(const char* text) { return *Money::parse(text); }

HeldTier membership(const char* fee, std::int64_t from, std::optional<std::int64_t> to = std::nullopt) {
  return {"sub_member", "tier_regular", "usr_member", money(fee), from, to};
}

std::string amounts(const Settlement& s) {
  std::string out;
  for (const auto& l : s.lines) out += std::string(to_string(l.kind)) + " " + l.amount.to_string() + "; ";
  return out + "total " + s.total.to_string();
}

// OFF-2: a member who pays in arrears and leaves mid-month owes the days held, like the invoice
// of the month would have charged them.
TEST(Settlement, MidMonthLeaveInArrearsOwesTheDaysHeld) {
  SettlementInput in;
  in.leaving_at = at(2026_y / 11 / 16);  // 15 of November's 30 days
  in.held = {membership("99.00", at(2026_y / 11 / 1))};
  auto s = settle(in);
  EXPECT_EQ(amounts(s), "tier_fee 49.50; total 49.50");
  EXPECT_FALSE(s.is_credit());
  EXPECT_EQ(s.lines[0].from, at(2026_y / 11 / 1));
  EXPECT_EQ(s.lines[0].to, at(2026_y / 11 / 16));
  EXPECT_EQ(s.lines[0].user_id, "usr_member");
}

// The car-share story: the month was paid ahead; leaving in its middle gives back the whole days
// not used, from the day after the leaving day.
TEST(Settlement, MidMonthLeaveWithThePrepaidMonthCreditsTheDaysLeft) {
  SettlementInput in;
  in.leaving_at = at(2026_y / 11 / 16, 10);  // the 16th is used; 14 days are left
  in.held = {membership("99.00", at(2026_y / 10 / 1))};
  in.paid = {{"sub_member", "tier_regular", "usr_member", money("99.00"), at(2026_y / 10 / 1), at(2026_y / 11 / 1)},
             {"sub_member", "tier_regular", "usr_member", money("99.00"), at(2026_y / 11 / 1), at(2026_y / 12 / 1)}};
  auto s = settle(in);
  EXPECT_EQ(amounts(s), "prepaid_credit -46.20; total -46.20") << "99.00 × 14 / 30; October is used up";
  EXPECT_TRUE(s.is_credit());
  EXPECT_EQ(s.lines[0].from, at(2026_y / 11 / 17));
  EXPECT_EQ(s.lines[0].to, at(2026_y / 12 / 1));
}

TEST(Settlement, LeavingAtMidnightCreditsThatDayToo) {
  SettlementInput in;
  in.leaving_at = at(2026_y / 11 / 16);
  in.held = {membership("99.01", at(2026_y / 11 / 1))};
  in.paid = {{"sub_member", "tier_regular", "usr_member", money("99.01"), at(2026_y / 11 / 1), at(2026_y / 12 / 1)}};
  // 99.01 × 15 / 30 = 49.505: half to even gives 49.50 (half away from zero would give 49.51).
  EXPECT_EQ(amounts(settle(in)), "prepaid_credit -49.50; total -49.50");
}

// A year paid at once: the days left of it, over the year's days.
TEST(Settlement, AnnualPrepayCreditsTheRestOfTheYearByDays) {
  SettlementInput in;
  in.leaving_at = at(2026_y / 12 / 6, 23);
  in.held = {membership("99.00", at(2026_y / 9 / 1))};
  in.paid = {{"sub_member", "tier_regular", "usr_member", money("1000.00"), at(2026_y / 9 / 1), at(2027_y / 9 / 1)}};
  // 7 December 2026 to 1 September 2027: 268 of 365 days; 1000 × 268 / 365 = 734.246… → 734.25.
  EXPECT_EQ(amounts(settle(in)), "prepaid_credit -734.25; total -734.25");
}

TEST(Settlement, OutstandingUsageAndTheMonthHeldAddUp) {
  SettlementInput in;
  in.leaving_at = at(2026_y / 11 / 11);
  in.held = {membership("30.00", at(2026_y / 10 / 1))};
  in.paid = {{"sub_member", "tier_regular", "usr_member", money("30.00"), at(2026_y / 10 / 1), at(2026_y / 11 / 1)}};
  in.charges = {{"chg_1", "usr_member", money("12.50")}, {"chg_2", std::nullopt, money("3.05")}};
  auto s = settle(in);
  EXPECT_EQ(amounts(s), "tier_fee 10.00; charge 12.50; charge 3.05; total 25.55");
  EXPECT_EQ(s.lines[1].source_id, "chg_1");
}

// Months never invoiced are settled one by one, each prorated by its own length.
TEST(Settlement, MonthsNotInvoicedAreChargedEachOnItsOwn) {
  SettlementInput in;
  in.leaving_at = at(2026_y / 11 / 10);
  in.held = {membership("30.00", at(2026_y / 9 / 15))};
  in.paid = {{"sub_member", "tier_regular", "usr_member", money("30.00"), at(2026_y / 10 / 1), at(2026_y / 11 / 1)}};
  auto s = settle(in);
  // September: 16 of 30 days; October paid; November: 9 of 30 days.
  EXPECT_EQ(amounts(s), "tier_fee 16.00; tier_fee 9.00; total 25.00");
  EXPECT_EQ(s.lines[0].to, at(2026_y / 10 / 1));
  EXPECT_EQ(s.lines[1].from, at(2026_y / 11 / 1));
}

TEST(Settlement, AZeroFeeSettlesToZero) {
  SettlementInput in;
  in.leaving_at = at(2026_y / 11 / 16);
  in.held = {membership("0.00", at(2026_y / 1 / 1))};
  auto s = settle(in);
  EXPECT_TRUE(s.lines.empty());
  EXPECT_EQ(s.total, Money());
  EXPECT_FALSE(s.is_credit()) << "nothing owed either way is a final invoice of zero";
}

TEST(Settlement, ExitPaymentsAreAddedAsAgreed) {
  SettlementInput in;
  in.leaving_at = at(2026_y / 11 / 16);
  in.exit_payments = {{"Early termination", money("200.00")}, {"Deposit returned", money("-50.00")}};
  auto s = settle(in);
  EXPECT_EQ(amounts(s), "exit_payment 200.00; exit_payment -50.00; total 150.00");
  EXPECT_EQ(s.lines[1].description, "Deposit returned");
}

// A subscription that ended before the leaving day is charged to its end, not beyond; one that
// had not begun owes nothing.
TEST(Settlement, OnlyTheTimeActuallyHeldIsCharged) {
  SettlementInput in;
  in.leaving_at = at(2026_y / 11 / 20);
  in.held = {{"sub_old", "tier_regular", std::nullopt, money("30.00"), at(2026_y / 11 / 1), at(2026_y / 11 / 4)},
             {"sub_future", "tier_regular", std::nullopt, money("30.00"), at(2026_y / 12 / 1), std::nullopt}};
  EXPECT_EQ(amounts(settle(in)), "tier_fee 3.00; total 3.00");
}

TEST(Settlement, AFeePaidOnlyForTimeBeforeLeavingGivesNoCredit) {
  EXPECT_EQ(unused_part(money("99.00"), at(2026_y / 10 / 1), at(2026_y / 11 / 1), at(2026_y / 11 / 16)), Money());
  EXPECT_EQ(unused_part(money("99.00"), at(2026_y / 11 / 1), at(2026_y / 12 / 1), at(2026_y / 10 / 20)), money("99.00"))
      << "leaving before a paid span begins gives all of it back";
  EXPECT_EQ(unused_part(money("99.00"), at(2026_y / 11 / 1), at(2026_y / 12 / 1), at(2026_y / 11 / 30, 1)), Money())
      << "the last day was begun, so it is used";
}

// A year paid ahead, then a change to a cheaper tier in March: the paid year is credited from the
// change, not from the later leaving day.
TEST(Settlement, APaidSpanIsCreditedFromWhenItsSubscriptionStopped) {
  SettlementInput in;
  in.leaving_at = at(2027_y / 6 / 1);
  in.held = {membership("99.00", at(2026_y / 9 / 1), at(2027_y / 3 / 1))};
  in.paid = {{"sub_member", "tier_regular", "usr_member", money("1000.00"), at(2026_y / 9 / 1), at(2027_y / 9 / 1)}};
  // 1 March to 1 September 2027: 184 of 365 days; 1000 × 184 / 365 = 504.109… → 504.11.
  EXPECT_EQ(amounts(settle(in)), "prepaid_credit -504.11; total -504.11");
}

// The monthly run charges only what no issued fee pays for: a year paid ahead is left alone, and
// the time after it is charged again.
TEST(UnpaidParts, LeaveOutTheTimePaidForAndKeepTheRest) {
  auto held = membership("99.00", at(2026_y / 6 / 1));
  std::vector<PaidFee> paid = {
      {"sub_member", "tier_regular", "usr_member", money("1000.00"), at(2026_y / 9 / 1), at(2027_y / 9 / 1)},
      {"sub_other", "tier_regular", std::nullopt, money("99.00"), at(2026_y / 6 / 1), at(2026_y / 7 / 1)}};
  auto parts = unpaid_parts(held, paid);
  ASSERT_EQ(parts.size(), 2u) << "another subscription's fee pays nothing of this one";
  EXPECT_EQ(parts[0].from, at(2026_y / 6 / 1));
  EXPECT_EQ(parts[0].to, at(2026_y / 9 / 1));
  EXPECT_EQ(parts[1].from, at(2027_y / 9 / 1));
  EXPECT_FALSE(parts[1].to) << "still open-ended after the paid year";
  held.to = at(2027_y / 1 / 1);
  EXPECT_EQ(unpaid_parts(held, paid).size(), 1u) << "ended inside the paid year";
  paid.push_back({"sub_member", "tier_regular", "usr_member", money("297.00"), at(2026_y / 5 / 1), at(2026_y / 9 / 1)});
  EXPECT_TRUE(unpaid_parts(held, paid).empty()) << "overlapping paid spans cover it all";
}

}  // namespace
}  // namespace tandem::billing
