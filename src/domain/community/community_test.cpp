// COM-3: reputation, levels and the rights they grant; the vote rules; the daily cap; the new
// member's pace.
#include <gtest/gtest.h>

#include "domain/community/community.h"

namespace tandem::community {
namespace {

TEST(Reputation, DefaultsAreTheIssues) {
  ReputationRules r;
  EXPECT_EQ(points_for(r, ReputationReason::upvote), 10);
  EXPECT_EQ(points_for(r, ReputationReason::downvote), -2);
  EXPECT_EQ(points_for(r, ReputationReason::accepted), 15);
  EXPECT_EQ(r.daily_cap, 200);
}

TEST(Reputation, GainsStopAtTheDailyCapLossesAlwaysCount) {
  ReputationRules r;
  EXPECT_EQ(capped(r, 10, 0), 10);
  EXPECT_EQ(capped(r, 10, 195), 5);
  EXPECT_EQ(capped(r, 10, 200), 0);
  EXPECT_EQ(capped(r, 10, 250), 0);
  EXPECT_EQ(capped(r, -2, 200), -2);
  EXPECT_EQ(capped(r, -10, 0), -10);
}

TEST(Reputation, LevelsGrantAndLoseRights) {
  ReputationRules r;
  EXPECT_EQ(level_of(r, -20), 1);
  EXPECT_EQ(level_of(r, 0), 1);
  EXPECT_EQ(level_of(r, 49), 1);
  EXPECT_EQ(level_of(r, 50), 2);
  EXPECT_EQ(level_of(r, 200), 3);
  EXPECT_EQ(level_of(r, 500), 4);
  EXPECT_TRUE(has_right(r, 0, Right::post));
  EXPECT_TRUE(has_right(r, 0, Right::vote));
  EXPECT_TRUE(has_right(r, 0, Right::flag));
  EXPECT_FALSE(has_right(r, 0, Right::trusted_flag));
  EXPECT_FALSE(has_right(r, 199, Right::hide_others));
  EXPECT_TRUE(has_right(r, 200, Right::hide_others));
  EXPECT_FALSE(has_right(r, 200, Right::moderate));
  EXPECT_TRUE(has_right(r, 500, Right::edit_others));
  // Down-votes take a right away again.
  EXPECT_FALSE(has_right(r, 200 - 2, Right::hide_others));
}

TEST(Votes, OwnPostRefusedTwoAccountsOfOnePersonWorthNothing) {
  EXPECT_EQ(judge_vote("u1", "u1", false), VoteOutcome::refused_own_post);
  EXPECT_EQ(judge_vote("u1", "u1", true), VoteOutcome::refused_own_post);
  EXPECT_EQ(judge_vote("u1", "u2", true), VoteOutcome::counted_without_points);
  EXPECT_EQ(judge_vote("u1", "u2", false), VoteOutcome::counted);
}

TEST(Pace, NewMembersPostAtMostSoOftenAnHour) {
  ReputationRules r;
  EXPECT_TRUE(may_post(r, 1, 9));
  EXPECT_FALSE(may_post(r, 1, 10));
  EXPECT_TRUE(may_post(r, 2, 1000));
}

}  // namespace
}  // namespace tandem::community
