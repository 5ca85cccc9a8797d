// ONB-8: where a person stands on a requirement, from their evidence and the day — the state
// machine of missing, pending, met, rejected and expired, with renewal and reminders.
#include "domain/onboarding/requirement.h"

#include <gtest/gtest.h>

#include <vector>

namespace tandem::onboarding {
namespace {

using namespace date::literals;
const date::sys_days kToday = date::sys_days(2026_y / 12 / 6);
const date::sys_days kYesterday = kToday - date::days(1);

RequirementStatus status(std::vector<Evidence> newest_first, date::sys_days today = kToday) { return status_of(newest_first, today); }

TEST(Requirement, FollowsTheEvidenceThroughEveryState) {
  EXPECT_EQ(status({}), RequirementStatus::missing);
  EXPECT_EQ(status({{EvidenceStatus::pending, {}}}), RequirementStatus::pending);
  EXPECT_EQ(status({{EvidenceStatus::rejected, {}}}), RequirementStatus::rejected);
  EXPECT_EQ(status({{EvidenceStatus::pending, {}}, {EvidenceStatus::rejected, {}}}), RequirementStatus::pending) << "tried again";
  EXPECT_EQ(status({{EvidenceStatus::approved, {}}}), RequirementStatus::met) << "no expiry: holds";
  EXPECT_EQ(status({{EvidenceStatus::approved, kToday}}), RequirementStatus::met) << "its last day still counts";
  EXPECT_EQ(status({{EvidenceStatus::approved, kYesterday}}), RequirementStatus::expired);
  EXPECT_EQ(status({{EvidenceStatus::pending, {}}, {EvidenceStatus::approved, kYesterday}}), RequirementStatus::pending)
      << "a renewal waits for its decision";
  EXPECT_EQ(status({{EvidenceStatus::approved, kToday + date::days(700)}, {EvidenceStatus::approved, kYesterday}}), RequirementStatus::met)
      << "renewed";
  EXPECT_EQ(status({{EvidenceStatus::rejected, {}}, {EvidenceStatus::approved, kToday}}), RequirementStatus::met)
      << "a later rejected upload does not undo an approval that holds";
  EXPECT_EQ(status({{EvidenceStatus::rejected, {}}, {EvidenceStatus::approved, kYesterday}}), RequirementStatus::rejected)
      << "the newest decision says how it ended";
}

TEST(Requirement, TheClockMovesMetToExpired) {
  std::vector<Evidence> licence{{EvidenceStatus::approved, kToday + date::days(30)}};
  EXPECT_EQ(status(licence, kToday), RequirementStatus::met);
  EXPECT_EQ(status(licence, kToday + date::days(30)), RequirementStatus::met);
  EXPECT_EQ(status(licence, kToday + date::days(31)), RequirementStatus::expired);
}

TEST(Requirement, AReminderIsDueFromItsDayUntilExpiry) {
  Evidence licence{EvidenceStatus::approved, kToday + date::days(30)};
  EXPECT_FALSE(reminder_due(licence, kToday, 14));
  EXPECT_TRUE(reminder_due(licence, kToday + date::days(16), 14));
  EXPECT_TRUE(reminder_due(licence, kToday + date::days(30), 14)) << "the last day";
  EXPECT_FALSE(reminder_due(licence, kToday + date::days(31), 14)) << "expired: nothing to remind of";
  EXPECT_FALSE(reminder_due({EvidenceStatus::approved, {}}, kToday, 14)) << "no expiry";
  EXPECT_FALSE(reminder_due({EvidenceStatus::pending, kToday}, kToday, 14));
}

TEST(Requirement, AnApprovalRunsUntilTheGivenDayOrForTheValidity) {
  auto given = kToday + date::days(730);
  EXPECT_EQ(approval_expiry(given, 365, kToday), given);
  EXPECT_EQ(approval_expiry(std::nullopt, 365, kToday), kToday + date::days(364)) << "365 days including the first";
  EXPECT_EQ(approval_expiry(std::nullopt, std::nullopt, kToday), std::nullopt);
}

TEST(Requirement, WordsRoundTrip) {
  for (auto k : {RequirementKind::clearance, RequirementKind::training, RequirementKind::certification, RequirementKind::safety_training,
                 RequirementKind::age, RequirementKind::identity, RequirementKind::licence, RequirementKind::custom})
    EXPECT_EQ(parse_requirement_kind(to_string(k)), k);
  EXPECT_FALSE(parse_requirement_kind("driving"));
  for (auto s : {EvidenceStatus::pending, EvidenceStatus::approved, EvidenceStatus::rejected}) EXPECT_EQ(parse_evidence_status(to_string(s)), s);
  EXPECT_EQ(to_string(RequirementStatus::expired), "expired");
}

}  // namespace
}  // namespace tandem::onboarding
