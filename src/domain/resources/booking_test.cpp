// REL-5: late returns of shared resources, and who hears of them when.
#include "domain/resources/booking.h"

#include <gtest/gtest.h>

namespace tandem::resources {
namespace {

constexpr std::int64_t kNoon = 1'800'000'000'000;

TEST(Booking, WindowsCollideWhenTheyShareAMoment) {
  EXPECT_TRUE(overlaps(0, 10, 5, 15));
  EXPECT_TRUE(overlaps(5, 15, 0, 10));
  EXPECT_TRUE(overlaps(0, 10, 2, 3));
  EXPECT_FALSE(overlaps(0, 10, 10, 20)) << "one ends as the next begins";
  EXPECT_FALSE(overlaps(10, 20, 0, 10));
}

TEST(Booking, TheHolderIsBackAtTheirEstimateOrTheEndButNeverInThePast) {
  EXPECT_EQ(expected_back({kNoon, std::nullopt}, kNoon - kMinute), kNoon);
  EXPECT_EQ(expected_back({kNoon, kNoon + 20 * kMinute}, kNoon), kNoon + 20 * kMinute);
  EXPECT_EQ(expected_back({kNoon, std::nullopt}, kNoon + 5 * kMinute), kNoon + 5 * kMinute + kUnknownDelay) << "silent and late";
  EXPECT_EQ(expected_back({kNoon, kNoon + kMinute}, kNoon + 2 * kMinute), kNoon + 2 * kMinute + kUnknownDelay) << "an estimate passed";
}

TEST(Booking, TheNextBookerHearsOnceAnHourAheadAndAgainOnlyWhenTheEstimateMoves) {
  Holder holder{kNoon, kNoon + 30 * kMinute};
  NextBooking next{kNoon + 10 * kMinute, std::nullopt};
  EXPECT_FALSE(late_alert(holder, next, kNoon - 2 * 60 * kMinute)) << "too early to worry them";
  auto told = late_alert(holder, next, kNoon - 50 * kMinute);
  ASSERT_TRUE(told);
  EXPECT_EQ(*told, kNoon + 30 * kMinute);
  next.alerted_estimate = *told;
  EXPECT_FALSE(late_alert(holder, next, kNoon - 40 * kMinute)) << "nothing new";
  holder.expected_return_at = kNoon + 35 * kMinute;
  EXPECT_FALSE(late_alert(holder, next, kNoon - 30 * kMinute)) << "five minutes is no news";
  holder.expected_return_at = kNoon + 50 * kMinute;
  EXPECT_EQ(late_alert(holder, next, kNoon - 30 * kMinute), kNoon + 50 * kMinute);
}

TEST(Booking, ASilentHolderIsToldOfOnceNotEveryTimeTheGuessMoves) {
  NextBooking next{kNoon + 5 * kMinute, std::nullopt};
  auto first = late_alert({kNoon, std::nullopt}, next, kNoon + kMinute);
  ASSERT_TRUE(first);
  next.alerted_estimate = *first;
  for (int minutes = 11; minutes < 180; minutes += 10)
    EXPECT_FALSE(late_alert({kNoon, std::nullopt}, next, kNoon + minutes * kMinute)) << minutes;
  EXPECT_TRUE(late_alert({kNoon, kNoon + 3 * 60 * kMinute}, next, kNoon + 60 * kMinute)) << "until they give an estimate";
}

TEST(Booking, NoAlertWhenTheHolderIsBackInTime) {
  EXPECT_FALSE(late_alert({kNoon, std::nullopt}, {kNoon + 30 * kMinute, std::nullopt}, kNoon - 10 * kMinute));
  EXPECT_FALSE(late_alert({kNoon, kNoon + 30 * kMinute}, {kNoon + 30 * kMinute, std::nullopt}, kNoon)) << "back as it starts";
  // Silent past the end: the next booker hears at once, with the rolling estimate.
  auto told = late_alert({kNoon, std::nullopt}, {kNoon + 5 * kMinute, std::nullopt}, kNoon + kMinute);
  ASSERT_TRUE(told);
  EXPECT_EQ(*told, kNoon + kMinute + kUnknownDelay);
}

}  // namespace
}  // namespace tandem::resources
