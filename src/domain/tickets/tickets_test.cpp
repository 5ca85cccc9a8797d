#include <gtest/gtest.h>

#include "domain/tickets/classification.h"
#include "domain/tickets/priority.h"
#include "domain/tickets/workflow.h"

namespace tandem::domain_data {
const std::map<std::string, std::string_view>& embedded_files();
}

namespace tandem::tickets {
namespace {

std::string_view domain_table() { return domain_data::embedded_files().at("tickets/workflows.txt"); }

using identity::Role;
using identity::UserFlag;

TEST(TicketVocabulary, EveryNameRoundTrips) {
  for (auto t : all_types()) EXPECT_EQ(parse_type(to_string(t)), t);
  for (auto c : all_channels()) EXPECT_EQ(parse_channel(to_string(c)), c);
  for (auto l : all_levels()) EXPECT_EQ(parse_level(to_string(l)), l);
  for (auto p : all_priorities()) EXPECT_EQ(parse_priority(to_string(p)), p);
  EXPECT_FALSE(parse_type("wish"));
  EXPECT_EQ(allowed_names(all_levels()), "low, medium, high");
}

TEST(Workflows, BuiltinTableParsesWithAWorkflowPerType) {
  auto parsed = Workflows::parse(domain_table());
  ASSERT_TRUE(parsed) << parsed.error().message;
  for (auto t : all_types()) EXPECT_EQ(parsed->of(t).initial, "new");
}

const Mover kAgent{{Role::agent}, false};
const Mover kRelationshipManager{{Role::relationship_manager}, false};
const Mover kRequester{{Role::user}, true};
const Mover kBystander{{Role::user}, false};

TransitionRequest to(std::string state, std::set<std::string> provided = {}) {
  return TransitionRequest{std::move(state), std::move(provided), 0, std::nullopt};
}

struct Case {
  Type type;
  std::string from, to;
  Mover mover;
  std::set<std::string> provided;
  std::optional<Code> refused;  // nullopt: allowed
  std::string slug = {};
};

class WorkflowCase : public ::testing::TestWithParam<Case> {};

TEST_P(WorkflowCase, DecidesAsTheTableSays) {
  const auto& c = GetParam();
  auto d = decide_transition(Workflows::builtin().of(c.type), c.from, c.mover, to(c.to, c.provided));
  if (!c.refused) {
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ((*d)->to, c.to);
  } else {
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code, *c.refused) << d.error().message;
    if (!c.slug.empty()) {
      EXPECT_EQ(d.error().slug, c.slug);
    }
  }
}

const std::set<std::string> kResolution{"resolution"};

INSTANTIATE_TEST_SUITE_P(
    Incident, WorkflowCase,
    ::testing::Values(Case{Type::incident, "new", "triaged", kAgent, {}, std::nullopt},
                      Case{Type::incident, "new", "closed", kAgent, {}, Code::conflict, "transition_not_allowed"},
                      Case{Type::incident, "new", "resolved", kAgent, kResolution, Code::conflict, "transition_not_allowed"},
                      Case{Type::incident, "new", "triaged", kRequester, {}, Code::permission_denied},
                      Case{Type::incident, "new", "cancelled", kRequester, {}, std::nullopt},
                      Case{Type::incident, "new", "cancelled", kBystander, {}, Code::permission_denied},
                      Case{Type::incident, "new", "sleeping", kAgent, {}, Code::invalid_argument},
                      Case{Type::incident, "in_progress", "resolved", kAgent, {}, Code::invalid_argument},
                      Case{Type::incident, "in_progress", "resolved", kAgent, kResolution, std::nullopt},
                      Case{Type::incident, "waiting_for_user", "in_progress", kRequester, {}, std::nullopt},
                      Case{Type::incident, "resolved", "closed", kRequester, {}, std::nullopt},
                      Case{Type::incident, "resolved", "in_progress", kRequester, {}, std::nullopt},
                      Case{Type::incident, "closed", "in_progress", kAgent, {}, Code::conflict, "transition_not_allowed"}));

INSTANTIATE_TEST_SUITE_P(
    OtherTypes, WorkflowCase,
    ::testing::Values(
        Case{Type::service_request, "new", "awaiting_approval", kAgent, {}, std::nullopt},
        Case{Type::service_request, "awaiting_approval", "fulfilment", kAgent, {}, std::nullopt},
        Case{Type::service_request, "awaiting_approval", "rejected", kAgent, {}, Code::invalid_argument},
        Case{Type::service_request, "fulfilment", "resolved", kAgent, kResolution, std::nullopt},
        Case{Type::service_request, "new", "triaged", kAgent, {}, Code::invalid_argument},
        Case{Type::complaint, "new", "in_progress", kAgent, {}, Code::permission_denied},
        Case{Type::complaint, "new", "in_progress", kRelationshipManager, {}, std::nullopt},
        Case{Type::complaint, "in_progress", "resolved", kRelationshipManager, kResolution, Code::invalid_argument},
        Case{Type::complaint, "in_progress", "resolved", kRelationshipManager, {"recovery_action"}, std::nullopt},
        Case{Type::compliment, "new", "acknowledged", kAgent, {}, Code::invalid_argument},
        Case{Type::compliment, "new", "acknowledged", kAgent, {"credited_to"}, std::nullopt},
        Case{Type::compliment, "new", "acknowledged", kRequester, {"credited_to"}, Code::permission_denied},
        Case{Type::consultation, "new", "resolved", kAgent, kResolution, std::nullopt},
        Case{Type::consultation, "resolved", "in_progress", kRequester, {}, std::nullopt}));

TEST(Workflows, ReopenOnlyWithinTheWindow) {
  const auto& incident = Workflows::builtin().of(Type::incident);
  const std::int64_t day = 86'400'000;
  TransitionRequest inside{"in_progress", {}, 7 * day, 0};
  EXPECT_TRUE(decide_transition(incident, "resolved", kRequester, inside));
  TransitionRequest after{"in_progress", {}, 7 * day + 1, 0};
  auto refused = decide_transition(incident, "resolved", kRequester, after);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().slug, "transition_not_allowed");
  // Closing is no reopen: it stays allowed after the window.
  EXPECT_TRUE(decide_transition(incident, "resolved", kRequester, TransitionRequest{"closed", {}, 30 * day, 0}));
}

TEST(Workflows, EveryStateIsReachableFromTheStartAndEveryTransitionIsListedOnce) {
  for (auto type : all_types()) {
    const auto& w = Workflows::builtin().of(type);
    std::set<std::string> reached{w.initial};
    for (bool grew = true; grew;) {
      grew = false;
      for (const auto& t : w.transitions)
        if (reached.contains(t.from) && reached.insert(t.to).second) grew = true;
    }
    for (const auto& s : w.state_names()) EXPECT_TRUE(reached.contains(s)) << to_string(type) << " " << s;
  }
}

TEST(Workflows, ComplaintsEndWithARecoveryActionAndComplimentsAreCredited) {
  const auto& complaint = Workflows::builtin().of(Type::complaint);
  for (const auto& t : complaint.transitions)
    if (complaint.category_of(t.to) == StateCategory::resolved) {
      EXPECT_EQ(t.needs, std::vector<std::string>{"recovery_action"});
    }
  const auto& compliment = Workflows::builtin().of(Type::compliment);
  for (const auto& t : compliment.transitions)
    if (compliment.category_of(t.to) == StateCategory::resolved) {
      EXPECT_EQ(t.needs, std::vector<std::string>{"credited_to"});
    }
}

struct BadTable {
  std::string text;
  std::string says;
};
class BadWorkflowTable : public ::testing::TestWithParam<BadTable> {};

TEST_P(BadWorkflowTable, IsRefusedWithTheLine) {
  auto parsed = Workflows::parse(GetParam().text);
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find(GetParam().says), std::string::npos) << parsed.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Tables, BadWorkflowTable,
    ::testing::Values(BadTable{"wish states new:open\n", "line 1: unknown type wish"},
                      BadTable{"incident states new:opened\n", "name:category"},
                      BadTable{"incident states new:open\nincident new -> gone by staff\n", "line 2: undeclared state gone"},
                      BadTable{"incident states new:open done:closed\nincident new -> done by nobody\n", "unknown performer"},
                      BadTable{"incident states new:open done:closed\nincident new -> done by staff needs colour\n",
                               "unknown field colour"},
                      BadTable{"incident states new:open done:closed\nincident new -> done by staff\n"
                               "incident new -> done by staff\n",
                               "line 3: transition listed twice"},
                      BadTable{"incident states new:open\nincident starts new\n", "no workflow for service_request"},
                      BadTable{"incident fly away\n", "cannot read"}));

TEST(PriorityRules, BuiltinMatrixCoversEveryPair) {
  const auto& rules = PriorityRules::builtin();
  EXPECT_EQ(rules.decide(Level::high, Level::high, {}).priority, Priority::critical);
  EXPECT_EQ(rules.decide(Level::low, Level::low, {}).priority, Priority::low);
  EXPECT_EQ(rules.decide(Level::medium, Level::medium, {}).priority, Priority::medium);
  auto d = rules.decide(Level::high, Level::low, {});
  EXPECT_EQ(d.priority, Priority::medium);
  ASSERT_EQ(d.fired.size(), 1u);
  EXPECT_EQ(d.fired[0].name, "impact_urgency_matrix");
  EXPECT_EQ(d.fired[0].effect, "impact high × urgency low → medium");
}

TEST(PriorityRules, AVulnerableUserFlagRaisesOnceAndIsExplained) {
  const auto& rules = PriorityRules::builtin();
  auto d = rules.decide(Level::medium, Level::medium, {UserFlag::priority_repair, UserFlag::accessibility_needs});
  EXPECT_EQ(d.priority, Priority::high);
  ASSERT_EQ(d.fired.size(), 2u);
  EXPECT_EQ(d.fired[1].name, "flag:priority_repair");
  // Already critical: nothing to raise, nothing claimed.
  auto top = rules.decide(Level::high, Level::high, {UserFlag::priority_repair});
  EXPECT_EQ(top.priority, Priority::critical);
  EXPECT_EQ(top.fired.size(), 1u);
  // A flag without a raise changes nothing.
  EXPECT_EQ(rules.decide(Level::low, Level::low, {UserFlag::third_party_bill_contact}).fired.size(), 1u);
}

TEST(PriorityRules, IncompleteOrBrokenTablesAreRefused) {
  EXPECT_FALSE(PriorityRules::parse("matrix high high critical\n"));
  EXPECT_FALSE(PriorityRules::parse("matrix high high urgent\n"));
  EXPECT_FALSE(PriorityRules::parse("raise tall 1\n"));
  std::string full;
  for (auto i : all_levels())
    for (auto u : all_levels()) full += "matrix " + std::string(to_string(i)) + " " + std::string(to_string(u)) + " low\n";
  EXPECT_TRUE(PriorityRules::parse(full));
  EXPECT_FALSE(PriorityRules::parse(full + "raise priority_repair 9\n"));
  EXPECT_FALSE(PriorityRules::parse(full + "matrix low low high\n"));
}

}  // namespace
}  // namespace tandem::tickets

namespace tandem::tickets {
namespace {

ClassificationRule rule(std::string name, RuleConditions when, RuleActions then) {
  return ClassificationRule{std::move(name), std::move(when), std::move(then)};
}

TicketFacts facts(std::string subject, Type type = Type::incident, Channel channel = Channel::portal) {
  TicketFacts f;
  f.type = type;
  f.channel = channel;
  f.organization_id = "org_a";
  f.subject = std::move(subject);
  return f;
}

TEST(Classification, ASkillRoutesLikeATeamAndTheFirstRuleToRouteWins) {
  std::vector<ClassificationRule> rules{rule("chargers", {.words = {"charger", "充电"}}, {.skill = "ev-charging"}),
                                        rule("everything else", {}, {.team_id = "team_desk"})};
  auto c = classify(rules, facts("充电桩坏了"));
  EXPECT_EQ(c.set.skill, "ev-charging");
  EXPECT_FALSE(c.set.team_id) << "the skill routed it; the later team does not";
  EXPECT_EQ(c.fired[0].effect, "set skill ev-charging");
  auto other = classify(rules, facts("Wipers squeak"));
  EXPECT_FALSE(other.set.skill);
  EXPECT_EQ(other.set.team_id, "team_desk");
}

TEST(Classification, ARuleWhoseTeamOrSkillIsGoneLeavesTheRoutingToALaterRule) {
  std::vector<ClassificationRule> rules{rule("chargers", {.words = {"charger"}}, {.skill = "ev-charging"}),
                                        rule("old fleet", {.words = {"charger"}}, {.team_id = "team_gone"}),
                                        rule("everything else", {}, {.team_id = "team_desk"})};
  std::vector<TeamSkills> teams{{"team_desk", {"accounts"}, {"en"}}};
  auto c = classify(rules, facts("Charger broken"), &teams);
  EXPECT_FALSE(c.set.skill) << "no team has the skill any more";
  EXPECT_EQ(c.set.team_id, "team_desk") << "nor does the old team exist: the last rule routes it";
  ASSERT_EQ(c.fired.size(), 3u);
  EXPECT_EQ(c.fired[0].effect, "no team has its skill ev-charging, so a later rule may route the ticket");
  EXPECT_EQ(c.fired[1].effect, "its team team_gone no longer exists, so a later rule may route the ticket");
  teams.push_back({"team_fleet", {"EV-Charging"}, {"en"}});
  EXPECT_EQ(classify(rules, facts("Charger broken"), &teams).set.skill, "ev-charging") << "staffed again, the skill routes";
  EXPECT_EQ(classify(rules, facts("Charger broken")).set.skill, "ev-charging") << "without the teams, every skill counts as staffed";
}

TEST(Classification, TheTeamWithTheSkillThatSpeaksTheUsersLanguageIsChosen) {
  std::vector<TeamSkills> teams{{"team_fleet", {"EV-Charging", "tyres"}, {"en"}},
                                {"team_fleet_zh", {"ev-charging"}, {"zh"}},
                                {"team_desk", {"accounts"}, {"en", "zh-CN"}}};
  EXPECT_EQ(team_with_skill(teams, "ev-charging", "zh-CN"), "team_fleet_zh") << "zh speaks zh-CN";
  EXPECT_EQ(team_with_skill(teams, "ev-charging", "en-GB"), "team_fleet") << "skills compared without case";
  EXPECT_EQ(team_with_skill(teams, "ev-charging", "fr"), "team_fleet") << "nobody speaks it: the first with the skill";
  EXPECT_EQ(team_with_skill(teams, "tyres", "zh-CN"), "team_fleet");
  EXPECT_FALSE(team_with_skill(teams, "welding", "en"));
  EXPECT_TRUE(language_matches("zh-CN", "zh"));
  EXPECT_TRUE(language_matches("zh-cn", "zh-CN"));
  EXPECT_FALSE(language_matches("zhx", "zh"));
  EXPECT_FALSE(language_matches("zh", "zh-CN"));
  EXPECT_FALSE(language_matches("en", ""));
}

TEST(Classification, MatchingRulesFireInOrderAndTheFirstToSetAFieldWins) {
  std::vector<ClassificationRule> rules{
      rule("printers", {.words = {"打印机", "printer"}}, {.category = "printing", .team_id = "team_print"}),
      rule("all incidents", {.types = {Type::incident}}, {.category = "general", .priority = Priority::high}),
      rule("phone only", {.channels = {Channel::phone}}, {.team_id = "team_phone"})};
  auto c = classify(rules, facts("三楼打印机卡纸"));
  EXPECT_EQ(c.set.category, "printing");
  EXPECT_EQ(c.set.team_id, "team_print");
  EXPECT_EQ(c.set.priority, Priority::high);
  ASSERT_EQ(c.fired.size(), 2u);
  EXPECT_EQ(c.fired[0].name, "rule:printers");
  EXPECT_EQ(c.fired[0].effect, "set category printing, team team_print");
  EXPECT_EQ(c.fired[1].effect, "set priority high");
}

TEST(Classification, WordsMatchAcrossCaseAndWidth) {
  std::vector<ClassificationRule> rules{rule("vpn", {.words = {"VPN"}}, {.category = "network"})};
  EXPECT_EQ(classify(rules, facts("ｖｐｎ keeps dropping")).set.category, "network");
  EXPECT_FALSE(classify(rules, facts("Wi-Fi keeps dropping")).set.category);
}

TEST(Classification, EveryNonEmptyConditionMustHold) {
  std::vector<ClassificationRule> rules{rule("vip phone complaints",
                                             {.types = {Type::complaint}, .channels = {Channel::phone}, .organization_ids = {"org_a"}},
                                             {.priority = Priority::critical})};
  EXPECT_EQ(classify(rules, facts("x", Type::complaint, Channel::phone)).set.priority, Priority::critical);
  EXPECT_FALSE(classify(rules, facts("x", Type::complaint, Channel::portal)).set.priority);
  EXPECT_FALSE(classify(rules, facts("x", Type::incident, Channel::phone)).set.priority);
  auto other = facts("x", Type::complaint, Channel::phone);
  other.organization_id = "org_b";
  EXPECT_FALSE(classify(rules, other).set.priority);
}

TEST(Classification, UserFlagsSelectVulnerableUsers) {
  std::vector<ClassificationRule> rules{
      rule("accessible", {.user_flags = {identity::UserFlag::accessibility_needs}}, {.team_id = "team_care"})};
  auto f = facts("x");
  EXPECT_FALSE(classify(rules, f).set.team_id);
  f.user_flags = {identity::UserFlag::accessibility_needs};
  EXPECT_EQ(classify(rules, f).set.team_id, "team_care");
}

TEST(Classification, RoutingByLanguageTimeZoneAndService) {
  std::vector<ClassificationRule> rules{
      rule("Chinese speakers", {.languages = {"zh"}}, {.team_id = "team_zh"}),
      rule("Americas at night", {.time_zones = {"America/New_York", "America/Los_Angeles"}}, {.team_id = "team_follow_the_sun"}),
      rule("car share", {.service_ids = {"svc_cars"}}, {.category = "vehicles"})};
  auto f = facts("x");
  f.language = "zh-CN";
  EXPECT_EQ(classify(rules, f).set.team_id, "team_zh") << "zh matches zh-CN";
  f.language = "ZH-cn";
  EXPECT_EQ(classify(rules, f).set.team_id, "team_zh") << "tags without case";
  f.language = "zhx";
  EXPECT_FALSE(classify(rules, f).set.team_id) << "but not a language that merely begins so";
  f.language = "en";
  f.time_zone = "America/New_York";
  EXPECT_EQ(classify(rules, f).set.team_id, "team_follow_the_sun");
  f.time_zone = "Europe/Berlin";
  EXPECT_FALSE(classify(rules, f).set.team_id);
  EXPECT_FALSE(classify(rules, f).set.category) << "no service, no service rule";
  f.service_id = "svc_cars";
  EXPECT_EQ(classify(rules, f).set.category, "vehicles");
  f.service_id = "svc_bikes";
  EXPECT_FALSE(classify(rules, f).set.category);
}

TEST(Classification, ARuleThatMatchesButSetsNothingNewIsStillExplained) {
  std::vector<ClassificationRule> rules{rule("a", {}, {.category = "x"}), rule("b", {}, {.category = "y"})};
  auto c = classify(rules, facts("anything"));
  EXPECT_EQ(c.set.category, "x");
  ASSERT_EQ(c.fired.size(), 2u);
  EXPECT_NE(c.fired[1].effect.find("earlier rule"), std::string::npos);
}

TEST(PriorityRules, ARuleSetPriorityReplacesTheMatrixButFlagsStillRaiseIt) {
  auto d = PriorityRules::builtin().decide(Level::low, Level::low, {identity::UserFlag::priority_repair}, Priority::high);
  EXPECT_EQ(d.priority, Priority::critical);
  ASSERT_EQ(d.fired.size(), 1u);
  EXPECT_EQ(d.fired[0].name, "flag:priority_repair");
}

}  // namespace
}  // namespace tandem::tickets
