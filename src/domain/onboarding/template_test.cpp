// Unit tests for template.h (ONB-1, ONB-4): a template is checked as a whole, each problem named
// by its place; a dependency cycle is refused and named in full.
#include "domain/onboarding/template.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace tandem::onboarding {
namespace {

LocalizedText text(std::string en) { return *LocalizedText::make("t", {{"en", std::move(en)}}, 500); }

ActionTemplate action(std::string key, std::vector<std::string> depends_on = {}, int offset = 0) {
  ActionTemplate a;
  a.key = std::move(key);
  a.title = text("Do " + a.key);
  a.owner_role = "relationship_manager";
  a.due_offset_days = offset;
  a.depends_on = std::move(depends_on);
  return a;
}

// The university's new-organisation plan in small: agree, set up accounts, train, go live.
Template university() {
  Template t;
  t.name = text("New organisation");
  t.control_method = ControlMethod::project;
  t.objectives = {{"calls", text("At most two calls each in the first month"), Metric::tickets_per_user_first_days, 2, 30},
                  {"fcr", text("Solved at first contact"), Metric::first_contact_resolution, 0.7, 0}};
  t.scope = {{Dimension::organizations_people, Side::consumer, text("Members and their representatives")},
             {Dimension::information_technology, Side::provider, text("Booking app accounts")}};
  t.actions = {action("agree"), action("accounts", {"agree"}, 3), action("training", {"agree"}, 5),
               action("go_live", {"accounts", "training"}, 10)};
  return t;
}

std::vector<std::string> fields(const Result<void>& r) {
  std::vector<std::string> out;
  if (!r) for (const auto& d : r.error().details) out.push_back(d.field);
  return out;
}

const FieldProblem* detail(const Result<void>& r, std::string_view field) {
  if (r) return nullptr;
  for (const auto& d : r.error().details)
    if (d.field == field) return &d;
  return nullptr;
}

TEST(Template, ADiamondOfActionsIsAccepted) { EXPECT_TRUE(check_template(university())); }

TEST(Template, ACycleIsRefusedAndNamedInFull) {
  auto t = university();
  t.actions[0].depends_on = {"go_live"};  // agree waits for go_live, which waits (through accounts) for agree
  auto r = check_template(t);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::invalid_argument);
  auto d = detail(r, "actions");
  ASSERT_NE(d, nullptr);
  EXPECT_NE(d->problem.find("agree → go_live → accounts → agree"), std::string::npos) << d->problem;
}

TEST(Template, FindCycleGivesTheCircleFromItsStartBackToIt) {
  std::vector<ActionTemplate> actions = {action("a", {"b"}), action("b", {"c"}), action("c", {"a"}), action("d", {"a"})};
  auto cycle = find_cycle(actions);
  ASSERT_TRUE(cycle);
  EXPECT_EQ(*cycle, (std::vector<std::string>{"a", "b", "c", "a"}));
  EXPECT_FALSE(find_cycle({action("a"), action("b", {"a"}), action("c", {"a", "b"})}));
  EXPECT_FALSE(find_cycle({action("a", {"nowhere"})})) << "a dependency on no action is another problem";
}

TEST(Template, EveryMalformedActionIsNamedByItsPlace) {
  auto t = university();
  t.actions[1].key = "Accounts!";
  t.actions[2].key = "agree";
  t.actions[3].title = LocalizedText();
  t.actions[3].owner_role = "wizard";
  t.actions[3].due_offset_days = -1;
  t.actions[0].depends_on = {"agree"};
  auto r = check_template(t);
  auto found = fields(r);
  for (auto f : {"actions[1].key", "actions[2].key", "actions[3].title", "actions[3].owner_role", "actions[3].due_offset_days",
                 "actions[0].depends_on"})
    EXPECT_NE(std::ranges::find(found, f), found.end()) << f;
}

TEST(Template, ASelfDependencyIsNamedOnceNotAsACircle) {
  auto t = university();
  t.actions[0].depends_on = {"agree"};
  EXPECT_EQ(fields(check_template(t)), (std::vector<std::string>{"actions[0].depends_on"}));
  EXPECT_FALSE(find_cycle(t.actions));
}

TEST(Template, AnActionIsOwnedByARoleOfItsPerformersSide) {
  auto t = university();
  t.actions[1].performed_by = Performer::consumer;  // owned by the relationship manager
  t.actions[2].performed_by = Performer::consumer_partner;
  t.actions[2].owner_role = "partner_user";
  t.actions[3].owner_role = "customer";  // performed by the provider
  EXPECT_EQ(fields(check_template(t)), (std::vector<std::string>{"actions[1].owner_role", "actions[3].owner_role"}));
}

TEST(Template, ADependencyMustNameAnotherActionOnce) {
  auto t = university();
  t.actions[3].depends_on = {"accounts", "accounts", "launch"};
  auto r = check_template(t);
  ASSERT_FALSE(r);
  std::vector<std::string> problems;
  for (const auto& d : r.error().details) problems.push_back(d.field + ": " + d.problem);
  EXPECT_EQ(problems, (std::vector<std::string>{"actions[3].depends_on: \"accounts\" is named twice",
                                                "actions[3].depends_on: \"launch\" is no action of this template"}));
}

TEST(Template, ObjectivesTargetsLieInTheirMetricsRange) {
  auto t = university();
  t.objectives[0].days = 0;        // tickets per user needs its window
  t.objectives[1].target = 1.5;    // a share is at most 1
  t.objectives.push_back({"csat", text("Satisfied"), Metric::satisfaction_average, 0.5, 0});  // 1..5
  t.objectives.push_back({"fcr", text("Again"), Metric::share_of_users_eligible, 1, 7});      // key twice, days misplaced
  auto found = fields(check_template(t));
  for (auto f : {"objectives[0].days", "objectives[1].target", "objectives[2].target", "objectives[3].key", "objectives[3].days"})
    EXPECT_NE(std::ranges::find(found, f), found.end()) << f;
}

TEST(Template, ObjectivesAreMetOnTheRightSideOfTheTarget) {
  EXPECT_TRUE(objective_met(Metric::tickets_per_user_first_days, 2, 2));
  EXPECT_FALSE(objective_met(Metric::tickets_per_user_first_days, 2, 2.1));
  EXPECT_TRUE(objective_met(Metric::first_contact_resolution, 0.7, 0.7));
  EXPECT_FALSE(objective_met(Metric::satisfaction_average, 4, 3.9));
  EXPECT_TRUE(objective_met(Metric::share_of_users_eligible, 0.9, 1));
}

TEST(Template, ANormalChangeHasItsOwnChecklistAndOnlyIt) {
  auto t = university();
  t.control_method = ControlMethod::normal_change;
  EXPECT_EQ(fields(check_template(t)), (std::vector<std::string>{"checklist"}));
  t.checklist = {text("Backout plan agreed")};
  EXPECT_TRUE(check_template(t));
  t.control_method = ControlMethod::standard_change;
  EXPECT_EQ(fields(check_template(t)), (std::vector<std::string>{"checklist"}));
  EXPECT_FALSE(standard_change_checklist().empty());
  for (const auto& step : standard_change_checklist()) EXPECT_TRUE(step.has("en") && step.has("zh-CN"));
}

TEST(Template, NamesRoundTripAndUnknownWordsAreRefused) {
  for (auto d : {Dimension::organizations_people, Dimension::value_streams_processes, Dimension::information_technology,
                 Dimension::partners_suppliers})
    EXPECT_EQ(parse_dimension(to_string(d)), d);
  for (auto m : {ControlMethod::programme, ControlMethod::project, ControlMethod::normal_change, ControlMethod::standard_change,
                 ControlMethod::automated_deployment, ControlMethod::audit_assurance})
    EXPECT_EQ(parse_control_method(to_string(m)), m);
  for (auto p : {Performer::provider, Performer::consumer, Performer::consumer_partner}) EXPECT_EQ(parse_performer(to_string(p)), p);
  for (auto m : {Metric::tickets_per_user_first_days, Metric::first_contact_resolution, Metric::satisfaction_average,
                 Metric::share_of_users_eligible})
    EXPECT_EQ(parse_metric(to_string(m)), m);
  EXPECT_EQ(parse_side("consumer"), Side::consumer);
  EXPECT_FALSE(parse_dimension("people"));
  EXPECT_FALSE(parse_side(""));
  EXPECT_FALSE(parse_metric("nps"));
}

TEST(Template, AtMostTwoHundredActionsAndAtLeastOne) {
  auto t = university();
  t.actions.clear();
  EXPECT_EQ(fields(check_template(t)), (std::vector<std::string>{"actions"}));
  for (std::size_t i = 0; i <= kMaxActions; ++i) t.actions.push_back(action("a" + std::to_string(i)));
  EXPECT_EQ(fields(check_template(t)), (std::vector<std::string>{"actions"}));
  t.actions.pop_back();
  EXPECT_TRUE(check_template(t));
}

}  // namespace
}  // namespace tandem::onboarding
