// Onboarding templates over HTTP on every store (ONB-1): relationship managers and
// administrators design them, the provider's staff read them; a template is checked as a whole —
// a dependency cycle is refused naming it, an unknown dimension naming its place — and nothing
// is written until it is right. Texts are kept in both languages and read in the caller's.
#include "api/api_fixture.h"

namespace tandem::testing {
namespace {

Json action(const std::string& key, std::vector<std::string> depends_on, const std::string& dimension = "organizations_people",
            int offset = 3) {
  return {{"key", key},
          {"title", {{"en", "Do " + key}, {"zh-CN", "执行 " + key}}},
          {"dimension", dimension},
          {"performed_by", "provider"},
          {"owner_role", "relationship_manager"},
          {"due_offset_days", offset},
          {"depends_on", depends_on}};
}

Json template_body(Json actions) {
  return {{"name", {{"en", "New organisation"}, {"zh-CN", "新组织入驻"}}},
          {"control_method", "project"},
          {"objectives",
           {{{"key", "calls"}, {"name", {{"en", "At most two calls each"}, {"zh-CN", "每人最多两次来电"}}},
             {"metric", "tickets_per_user_first_days"}, {"target", 2}, {"days", 30}},
            {{"key", "eligible"}, {"name", "Members eligible"}, {"metric", "share_of_users_eligible"}, {"target", 0.8}}}},
          {"scope",
           {{{"dimension", "organizations_people"}, {"side", "consumer"}, {"description", {{"en", "Members"}, {"zh-CN", "会员"}}}}}},
          {"actions", actions}};
}

class OnboardingTest : public ApiTest {
 protected:
  void SetUp() override {
    org_ = create_org("Riverside University");
    create_user("rm@p.test", "relationship_manager");
    create_user("agent@p.test", "agent");
    create_user("cust@u.test", "customer", id(org_));
    create_user("u@u.test", "user", id(org_));
  }
  Json org_;
};

TEST_P(OnboardingTest, ARelationshipManagerDesignsATemplateTheStaffRead) {
  auto rm = login("rm@p.test");
  auto created = rm.post("/api/v1/onboarding-templates",
                         template_body({action("kickoff", {}), action("accounts", {"kickoff"}, "information_technology", 5),
                                        action("training", {"kickoff"}), action("go_live", {"accounts", "training"}, "value_streams_processes", 10)}));
  ASSERT_EQ(created.status, 201) << created.body;
  auto t = created.json();
  EXPECT_EQ(created.header("location"), "/api/v1/onboarding-templates/" + id(t));
  EXPECT_EQ(t["actions"].size(), 4u);
  EXPECT_EQ(t["actions"][3]["depends_on"], Json({"accounts", "training"}));
  EXPECT_EQ(t["objectives"][0]["days"], 30);
  EXPECT_FALSE(t["objectives"][1].contains("days")) << "a window only for tickets per user";

  // The staff read it in their language, an editor in every one.
  auto agent = login("agent@p.test");
  auto path = "/api/v1/onboarding-templates/" + id(t);
  auto read = agent.get(path);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.json()["name"], "New organisation");
  EXPECT_EQ(read.json()["actions"][1]["title"], "Do accounts");
  auto all = rm.get(path + "?lang=all").json();
  EXPECT_EQ(all["name"], Json({{"en", "New organisation"}, {"zh-CN", "新组织入驻"}}));
  EXPECT_EQ(all["objectives"][1]["name"], Json({{"en", "Members eligible"}})) << "a plain string is the writer's language";
  ASSERT_EQ(agent.get("/api/v1/onboarding-templates").json()["items"].size(), 1u);

  // Changed on the version read; a standard change shows the predefined checklist apart from its
  // own (none), so what is read can be written back.
  auto changed = rm.patch(path, {{"control_method", "standard_change"}}, read.header("etag"));
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_FALSE(changed.json()["standard_checklist"].empty());
  EXPECT_TRUE(changed.json()["checklist"].empty());
  EXPECT_EQ(rm.patch(path, {{"control_method", "programme"}}, read.header("etag")).status, 412);

  // A change that would close a circle is refused and changes nothing.
  auto before = audit_count();
  auto circular = changed.json()["actions"];
  circular[0]["depends_on"] = {"go_live"};
  auto refused = rm.patch(path, {{"actions", circular}}, changed.header("etag"));
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(problems(refused)["actions"].find("kickoff → go_live → accounts → kickoff"), std::string::npos) << refused.body;
  EXPECT_EQ(rm.get(path).header("etag"), changed.header("etag"));
  EXPECT_EQ(audit_count(), before);
  EXPECT_EQ(rm.del(path).status, 204);
  EXPECT_EQ(agent.get(path).status, 404);
}

TEST_P(OnboardingTest, ACycleIsRefusedNamingItAndNothingIsWritten) {
  auto before = audit_count();
  auto cycle = admin_.post("/api/v1/onboarding-templates",
                           template_body({action("sign", {"pay"}), action("pay", {"deliver"}), action("deliver", {"sign"})}));
  ASSERT_EQ(cycle.status, 422) << cycle.body;
  EXPECT_NE(problems(cycle)["actions"].find("sign → pay → deliver → sign"), std::string::npos) << cycle.body;

  auto odd = admin_.post("/api/v1/onboarding-templates", template_body({action("kickoff", {}, "astrology")}));
  ASSERT_EQ(odd.status, 422) << odd.body;
  EXPECT_TRUE(problems(odd).contains("actions[0].dimension")) << odd.body;

  auto body = template_body({action("kickoff", {"nowhere"}), action("kickoff", {})});
  body["objectives"][0]["metric"] = "nps";
  body["scope"][0]["side"] = "both";
  body["actions"][0]["owner_role"] = "wizard";
  body["offering_id"] = "off_missing";
  auto many = admin_.post("/api/v1/onboarding-templates", body);
  ASSERT_EQ(many.status, 422) << many.body;
  // Every problem at once: the parts as read, and the template as a whole (keys, roles,
  // dependencies).
  auto p = problems(many);
  for (auto field : {"objectives[0].metric", "scope[0].side", "offering_id", "actions[1].key", "actions[0].depends_on",
                     "actions[0].owner_role"})
    EXPECT_TRUE(p.contains(field)) << field << many.body;

  // Numbers too big for their field are refused, not cut to fit; a dependency that is no key is
  // refused without being repeated back.
  auto huge = template_body({action("kickoff", {})});
  huge["actions"][0]["due_offset_days"] = 4294967296LL;
  huge["objectives"][0]["days"] = 4294967326LL;
  auto wide = admin_.post("/api/v1/onboarding-templates", huge);
  ASSERT_EQ(wide.status, 422) << wide.body;
  EXPECT_TRUE(problems(wide).contains("actions[0].due_offset_days")) << wide.body;
  EXPECT_TRUE(problems(wide).contains("objectives[0].days")) << wide.body;
  auto odd_key = admin_.post("/api/v1/onboarding-templates", template_body({action("kickoff", {std::string(5000, 'x') + "\""})}));
  ASSERT_EQ(odd_key.status, 422) << odd_key.body;
  EXPECT_EQ(odd_key.body.find(std::string(100, 'x')), std::string::npos);
  std::vector<Json> many_actions;
  for (int i = 0; i <= 200; ++i) many_actions.push_back(action("a" + std::to_string(i), {}));
  EXPECT_EQ(problems(admin_.post("/api/v1/onboarding-templates", template_body(many_actions)))["actions"], "must hold at most 200");
  EXPECT_EQ(problems(admin_.post("/api/v1/onboarding-templates", {{"name", "x"}, {"colour", 1}}))["colour"], "is not a known field");
  EXPECT_EQ(admin_.post("/api/v1/onboarding-templates", {{"name", "No actions"}, {"control_method", "project"}}).status, 422);
  EXPECT_EQ(audit_count(), before);
}

// ONB-11: a Chinese-speaking designer reads the circle in Chinese.
TEST_P(OnboardingTest, ACircleIsNamedInTheDesignersLanguage) {
  create_user("rm.zh@p.test", "relationship_manager", "", "Passw0rd-test!", {{"language", "zh-CN"}});
  auto rm = login("rm.zh@p.test");
  auto cycle = rm.post("/api/v1/onboarding-templates", template_body({action("sign", {"pay"}), action("pay", {"sign"})}));
  ASSERT_EQ(cycle.status, 422) << cycle.body;
  EXPECT_EQ(problems(cycle)["actions"], "这些行动相互循环等待，永远无法开始：sign → pay → sign");
}

// An offering an onboarding template is attached to is not removed from under it.
TEST_P(OnboardingTest, AnOfferingInUseByATemplateStays) {
  auto service = admin_.post("/api/v1/services", {{"name", "Car sharing"}}).json();
  auto offering = admin_.post("/api/v1/offerings", {{"service_id", id(service)}, {"name", "Membership"}}).json();
  auto body = template_body({action("kickoff", {})});
  body["offering_id"] = id(offering);
  auto t = admin_.post("/api/v1/onboarding-templates", body);
  ASSERT_EQ(t.status, 201) << t.body;
  auto refused = admin_.del("/api/v1/offerings/" + id(offering));
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_NE(refused.body.find(id(t.json())), std::string::npos) << "the template is named";
  EXPECT_EQ(admin_.del("/api/v1/onboarding-templates/" + id(t.json())).status, 204);
  EXPECT_EQ(admin_.del("/api/v1/offerings/" + id(offering)).status, 204);
}

TEST_P(OnboardingTest, EveryRouteRefusesWhomItMust) {
  auto t = admin_.post("/api/v1/onboarding-templates", template_body({action("kickoff", {})})).json();
  auto anonymous = server_.client();
  auto agent = login("agent@p.test");
  auto customer = login("cust@u.test");
  auto user = login("u@u.test");
  auto path = "/api/v1/onboarding-templates/" + id(t);
  auto body = template_body({action("kickoff", {})});
  expect_answers({
      {"GET templates", [&](HttpClient& c) { return c.get("/api/v1/onboarding-templates"); },
       {{&anonymous, 401}, {&customer, 403}, {&user, 403}, {&agent, 200}}},
      {"GET template", [&](HttpClient& c) { return c.get(path); }, {{&anonymous, 401}, {&customer, 403}, {&user, 403}, {&agent, 200}}},
      {"POST template", [&](HttpClient& c) { return c.post("/api/v1/onboarding-templates", body); },
       {{&anonymous, 401}, {&customer, 403}, {&user, 403}, {&agent, 403}}},
      {"PATCH template", [&](HttpClient& c) { return c.patch(path, {{"control_method", "programme"}}, t["etag"]); },
       {{&anonymous, 401}, {&customer, 403}, {&user, 403}, {&agent, 403}}},
      {"DELETE template", [&](HttpClient& c) { return c.del(path); }, {{&anonymous, 401}, {&customer, 403}, {&user, 403}, {&agent, 403}}},
  });
}

INSTANTIATE_TEST_SUITE_P(Stores, OnboardingTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
