// OFF-1, OFF-2: the steps of leaving, what waits for what, and redaction.
#include <gtest/gtest.h>

#include "domain/offboarding/offboarding.h"

namespace tandem::offboarding {
namespace {

std::vector<std::string> keys(const std::vector<Step>& steps) {
  std::vector<std::string> out;
  for (const auto& s : steps) out.push_back(s.key);
  return out;
}

void finish(std::vector<Step>& steps, std::string_view key) {
  for (auto& s : steps)
    if (s.key == key) s.status = StepStatus::done;
}

TEST(Offboarding, APersonsStepsInOrder) {
  EXPECT_EQ(keys(steps_for(Kind::user)), (std::vector<std::string>{"communicate", "open_work", "assets", "revoke_access",
                                                                    "archive", "erase", "record", "thank_you"}));
  EXPECT_EQ(keys(steps_for(Kind::organization)),
            (std::vector<std::string>{"users", "notify", "settlement", "export", "record"}));
  for (const auto& s : steps_for(Kind::user)) EXPECT_EQ(s.status, StepStatus::pending);
}

TEST(Offboarding, ErasureWaitsForEverythingButTheRecordAndTheRecordForEverything) {
  auto steps = steps_for(Kind::user);
  EXPECT_TRUE(may_finish(Kind::user, steps, "communicate"));
  auto erase = may_finish(Kind::user, steps, "erase");
  ASSERT_FALSE(erase);
  EXPECT_EQ(erase.error().code, Code::conflict);
  EXPECT_EQ(erase.error().slug, "steps_pending");
  EXPECT_NE(erase.error().message.find("thank_you"), std::string::npos) << "an erased person can no longer be thanked";
  EXPECT_EQ(erase.error().message.find("record"), std::string::npos);
  for (auto key : {"communicate", "open_work", "assets", "revoke_access", "archive"}) finish(steps, key);
  EXPECT_FALSE(may_finish(Kind::user, steps, "erase"));
  finish(steps, "thank_you");
  EXPECT_TRUE(may_finish(Kind::user, steps, "erase"));
  EXPECT_FALSE(may_finish(Kind::user, steps, "record"));
  finish(steps, "erase");
  EXPECT_TRUE(may_finish(Kind::user, steps, "record"));
  EXPECT_FALSE(all_done(steps));
  finish(steps, "record");
  EXPECT_TRUE(all_done(steps));
  EXPECT_TRUE(may_finish(Kind::user, steps, "erase")) << "done again changes nothing and is allowed";

  auto org = steps_for(Kind::organization);
  EXPECT_TRUE(prerequisites(Kind::organization, "users").empty());
  EXPECT_EQ(prerequisites(Kind::organization, "record"), (std::vector<std::string>{"users", "notify", "settlement", "export"}));
  auto unknown = may_finish(Kind::organization, org, "erase");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Code::not_found);
}

TEST(Offboarding, RedactionReplacesEveryOccurrenceLongestFirst) {
  EXPECT_EQ(redacted("Ask 赵兰 (zhao.lan@a.test, +86 138 0013 7733) or 赵兰 again", {"赵兰", "zhao.lan@a.test", "+86 138 0013 7733"},
                     "Former user 3"),
            "Ask Former user 3 (Former user 3, Former user 3) or Former user 3 again");
  EXPECT_EQ(redacted("Lan at lan@a.test", {"Lan", "lan@a.test"}, "X"), "X at X") << "the address goes whole";
  EXPECT_EQ(redacted("Li is here", {"Li", ""}, "X"), "Li is here") << "too short to replace safely";
  EXPECT_EQ(redacted("aaa", {"aa"}, "aab"), "aaa") << "short needles are skipped";
  EXPECT_EQ(redacted("nan nan", {"nan"}, "nanny nan"), "nanny nan nanny nan") << "the replacement is not searched again";
  EXPECT_EQ(redacted("Annual review by Ann, ANN and ann_x", {"Ann"}, "X"), "Annual review by X, X and ann_x")
      << "whole words only, without case";
  EXPECT_EQ(redacted("Mail ZHAO.LAN@A.TEST now", {"zhao.lan@a.test"}, "X"), "Mail X now");
  EXPECT_EQ(redacted("陈静怡和陈静", {"陈静"}, "X"), "X怡和X") << "Chinese names have no word boundaries";
}

}  // namespace
}  // namespace tandem::offboarding
