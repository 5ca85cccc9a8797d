// Unit tests for plan.h (ONB-2, ONB-3): due dates in the organisation's working days, the
// lifecycle table, the dependency order of actions and the plan's status from its actions'.
#include "domain/onboarding/plan.h"

#include <gtest/gtest.h>

namespace tandem::onboarding {
namespace {

using date::days;
using date::sys_days;
using namespace date::literals;

const Lifecycle& life() { return Lifecycle::builtin(); }

// Monday to Friday, with the National Day week of 2026 off.
bool campus_works_on(sys_days day) {
  date::weekday wd{day};
  if (wd == date::Saturday || wd == date::Sunday) return false;
  return !(day >= sys_days{2026_y / 10 / 1} && day <= sys_days{2026_y / 10 / 8});
}

std::vector<ActionState> university(ActionStatus agree = ActionStatus::open, ActionStatus accounts = ActionStatus::open,
                                    ActionStatus training = ActionStatus::open, ActionStatus go_live = ActionStatus::open) {
  return {{"agree", agree, {}},
          {"accounts", accounts, {"agree"}},
          {"training", training, {"agree"}},
          {"go_live", go_live, {"accounts", "training"}}};
}

TEST(DueDate, OffsetDaysFromTheStartMovedToTheNextWorkingDay) {
  auto monday = sys_days{2026_y / 9 / 21};
  EXPECT_EQ(due_date(monday, 0, campus_works_on), monday);
  EXPECT_EQ(due_date(monday, 4, campus_works_on), sys_days{2026_y / 9 / 25});   // Friday
  EXPECT_EQ(due_date(monday, 5, campus_works_on), sys_days{2026_y / 9 / 28});   // Saturday → Monday
  EXPECT_EQ(due_date(monday, 10, campus_works_on), sys_days{2026_y / 10 / 9});  // in the holiday week → after it
  EXPECT_EQ(due_date(sys_days{2026_y / 10 / 3}, 0, campus_works_on), sys_days{2026_y / 10 / 9});
}

TEST(DueDate, ACalendarThatNeverWorksDoesNotHang) {
  auto start = sys_days{2026_y / 1 / 1};
  auto due = due_date(start, 3, [](sys_days) { return false; });
  EXPECT_GT(due, start + days(3));
  EXPECT_LE(due, start + days(3 + 366));
}

TEST(Lifecycle, TheBuiltinTableParses) {
  EXPECT_TRUE(life().plan_may_move(PlanStatus::draft, PlanStatus::accepted, PlanMover::customer));
  EXPECT_FALSE(life().plan_may_move(PlanStatus::draft, PlanStatus::accepted, PlanMover::provider)) << "the customer accepts";
  EXPECT_TRUE(life().plan_may_move(PlanStatus::accepted, PlanStatus::draft, PlanMover::provider));
  EXPECT_TRUE(life().plan_may_move(PlanStatus::completed, PlanStatus::reviewed, PlanMover::provider));
  EXPECT_TRUE(life().finished(ActionStatus::done));
  EXPECT_TRUE(life().finished(ActionStatus::dropped));
  EXPECT_FALSE(life().finished(ActionStatus::in_progress));
}

TEST(Lifecycle, ABrokenTableIsRefusedNamingTheLine) {
  auto bad = Lifecycle::parse("plan draft -> accepted by customer\naction open => done\naction finished done\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("line 2"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(Lifecycle::parse("plan draft -> signed by customer\naction finished done\n"));
  EXPECT_FALSE(Lifecycle::parse("plan draft -> accepted by robot\naction finished done\n"));
  EXPECT_FALSE(Lifecycle::parse("action open -> done\n")) << "no finished status";
  EXPECT_FALSE(Lifecycle::parse("task open -> done\naction finished done\n"));
}

TEST(ActionMove, DoneWaitsForEveryDependencyToBeFinished) {
  auto actions = university(ActionStatus::done, ActionStatus::done, ActionStatus::in_progress);
  auto refused = check_action_move(life(), PlanStatus::in_progress, actions, 3, ActionStatus::done);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Code::conflict);
  EXPECT_EQ(refused.error().slug, "dependency_open");
  ASSERT_EQ(refused.error().details.size(), 1u);
  EXPECT_EQ(refused.error().details[0].problem, "training");
  EXPECT_TRUE(check_action_move(life(), PlanStatus::in_progress, actions, 3, ActionStatus::in_progress))
      << "work may start before its dependencies are finished";
  actions[2].status = ActionStatus::dropped;  // a dropped dependency holds nothing up
  EXPECT_TRUE(check_action_move(life(), PlanStatus::in_progress, actions, 3, ActionStatus::done));
}

TEST(ActionMove, DoneFromAnyOpenStateAndOnlyTheTablesMoves) {
  auto actions = university();
  EXPECT_TRUE(check_action_move(life(), PlanStatus::accepted, actions, 0, ActionStatus::done));
  actions[0].status = ActionStatus::in_progress;
  EXPECT_TRUE(check_action_move(life(), PlanStatus::in_progress, actions, 0, ActionStatus::done));
  actions[0].status = ActionStatus::dropped;
  auto refused = check_action_move(life(), PlanStatus::in_progress, actions, 0, ActionStatus::done);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().slug, "action_move_not_allowed");
  EXPECT_TRUE(check_action_move(life(), PlanStatus::in_progress, actions, 0, ActionStatus::open));
}

TEST(ActionMove, NoWorkBeforeAcceptanceNorAfterTheReview) {
  auto actions = university();
  auto draft = check_action_move(life(), PlanStatus::draft, actions, 0, ActionStatus::done);
  ASSERT_FALSE(draft);
  EXPECT_EQ(draft.error().slug, "plan_not_accepted");
  auto reviewed = check_action_move(life(), PlanStatus::reviewed, actions, 0, ActionStatus::open);
  ASSERT_FALSE(reviewed);
  EXPECT_EQ(reviewed.error().slug, "plan_reviewed");
}

TEST(PlanStatus, FollowsItsActions) {
  EXPECT_EQ(status_after(life(), PlanStatus::accepted, university()), PlanStatus::accepted);
  EXPECT_EQ(status_after(life(), PlanStatus::accepted, university(ActionStatus::in_progress)), PlanStatus::in_progress);
  auto all = university(ActionStatus::done, ActionStatus::done, ActionStatus::dropped, ActionStatus::done);
  EXPECT_EQ(status_after(life(), PlanStatus::in_progress, all), PlanStatus::completed);
  EXPECT_EQ(status_after(life(), PlanStatus::accepted, all), PlanStatus::completed) << "through being under way";
  all[3].status = ActionStatus::open;  // found lacking
  EXPECT_EQ(status_after(life(), PlanStatus::completed, all), PlanStatus::in_progress);
  auto dropped = university(ActionStatus::dropped, ActionStatus::dropped, ActionStatus::dropped, ActionStatus::dropped);
  EXPECT_EQ(status_after(life(), PlanStatus::in_progress, dropped), PlanStatus::in_progress) << "nothing done is no completion";
  EXPECT_EQ(status_after(life(), PlanStatus::draft, university(ActionStatus::done)), PlanStatus::draft);
  EXPECT_EQ(status_after(life(), PlanStatus::reviewed, university()), PlanStatus::reviewed);
}

TEST(PlanProgress, DroppedActionsAreNoLongerPartOfTheWork) {
  auto p = progress(university(ActionStatus::done, ActionStatus::dropped, ActionStatus::in_progress));
  EXPECT_EQ(p.done, 1);
  EXPECT_EQ(p.total, 3);
}

TEST(PlanAction, OverdueIsUnfinishedWorkPastItsDay) {
  PlanAction a{"act_1", {}, std::nullopt, date::sys_days(2026_y / 12 / 7), ActionStatus::open};
  EXPECT_FALSE(overdue(life(), a, date::sys_days(2026_y / 12 / 7))) << "due today is not late yet";
  EXPECT_TRUE(overdue(life(), a, date::sys_days(2026_y / 12 / 8)));
  a.status = ActionStatus::in_progress;
  EXPECT_TRUE(overdue(life(), a, date::sys_days(2026_y / 12 / 8)));
  for (auto finished : {ActionStatus::done, ActionStatus::dropped}) {
    a.status = finished;
    EXPECT_FALSE(overdue(life(), a, date::sys_days(2027_y / 1 / 1)));
  }
}

TEST(PlanAction, StatesCarryKeysStatusAndDependencies) {
  PlanAction a{"act_1", {}, std::nullopt, {}, ActionStatus::done};
  a.what.key = "accounts";
  a.what.depends_on = {"kickoff"};
  std::vector<PlanAction> plan{a};
  auto states = states_of(plan);
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].key, "accounts");
  EXPECT_EQ(states[0].status, ActionStatus::done);
  EXPECT_EQ(states[0].depends_on, std::vector<std::string>{"kickoff"});
}

TEST(PlanStatus, AdaptingAPlanAtAnyPointBeforeItsReviewAsksForANewAcceptance) {
  for (auto from : {PlanStatus::accepted, PlanStatus::in_progress, PlanStatus::completed})
    EXPECT_TRUE(life().plan_may_move(from, PlanStatus::draft, PlanMover::provider)) << to_string(from);
  EXPECT_FALSE(life().plan_may_move(PlanStatus::reviewed, PlanStatus::draft, PlanMover::provider)) << "a reviewed plan is a record";
  EXPECT_FALSE(life().plan_may_move(PlanStatus::in_progress, PlanStatus::draft, PlanMover::customer));
}

TEST(Scenario, EightScenariosRoundTripAndTwoAreAboutAUser) {
  int about_users = 0;
  for (auto s : {Scenario::new_organization, Scenario::new_customer_existing_org, Scenario::existing_customer_new_services,
                 Scenario::migration_from_provider, Scenario::new_user, Scenario::existing_user_new_services,
                 Scenario::version_switch, Scenario::service_migration}) {
    EXPECT_EQ(parse_scenario(to_string(s)), s);
    about_users += about_a_user(s);
  }
  EXPECT_EQ(about_users, 2);
  EXPECT_FALSE(parse_scenario("new_org"));
  for (auto s : {PlanStatus::draft, PlanStatus::accepted, PlanStatus::in_progress, PlanStatus::completed, PlanStatus::reviewed})
    EXPECT_EQ(parse_plan_status(to_string(s)), s);
  for (auto s : {ActionStatus::open, ActionStatus::in_progress, ActionStatus::done, ActionStatus::dropped})
    EXPECT_EQ(parse_action_status(to_string(s)), s);
}

}  // namespace
}  // namespace tandem::onboarding
