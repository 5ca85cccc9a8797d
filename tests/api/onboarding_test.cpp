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

  // Changed on the version read; the standard change shows its predefined checklist.
  auto changed = rm.patch(path, {{"control_method", "standard_change"}}, read.header("etag"));
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_FALSE(changed.json()["checklist"].empty());
  EXPECT_EQ(rm.patch(path, {{"control_method", "programme"}}, read.header("etag")).status, 412);
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
  auto p = problems(many);
  for (auto field : {"objectives[0].metric", "scope[0].side", "offering_id"}) EXPECT_TRUE(p.contains(field)) << field << many.body;
  // The parts read, the template as a whole is checked: keys, roles, dependencies.
  auto whole = admin_.post("/api/v1/onboarding-templates", template_body({action("kickoff", {"nowhere"}), action("kickoff", {})}));
  auto w = problems(whole);
  for (auto field : {"actions[1].key", "actions[0].depends_on"}) EXPECT_TRUE(w.contains(field)) << field << whole.body;
  EXPECT_EQ(problems(admin_.post("/api/v1/onboarding-templates", {{"name", "x"}, {"colour", 1}}))["colour"], "is not a known field");
  EXPECT_EQ(admin_.post("/api/v1/onboarding-templates", {{"name", "No actions"}, {"control_method", "project"}}).status, 422);
  EXPECT_EQ(audit_count(), before);
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
       {{&anonymous, 401}, {&customer, 403}, {&agent, 403}}},
      {"DELETE template", [&](HttpClient& c) { return c.del(path); }, {{&anonymous, 401}, {&customer, 403}, {&agent, 403}}},
  });
}

INSTANTIATE_TEST_SUITE_P(Stores, OnboardingTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
