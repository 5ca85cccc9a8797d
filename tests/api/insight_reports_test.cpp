// OPS-1 on every store: the overrides, onboarding and vulnerable-user (REL-6) reports — as JSON,
// CSV and XLSX holding the same rows (the workbook read back with openpyxl), with formulas as
// text; staff read every organisation, a customer its own (without staff's justifications), a
// plain user none.
#include "api/api_fixture.h"
#include "api/workbook.h"
#include "domain/migration/csv.h"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;

class InsightReportsTest : public ApiTest {
 protected:
  void SetUp() override {
    campus_ = create_org("Campus 甲大学");
    other_ = create_org("Other Co");
    frail_ = create_user("frail@a.test", "user", id(campus_), "Passw0rd-test!", {{"flags", {"accessibility_needs"}}});
    create_user("plain@a.test", "user", id(campus_));
    create_user("dean@a.test", "customer", id(campus_));
    create_user("bob@b.test", "user", id(other_), "Passw0rd-test!", {{"flags", {"priority_repair"}}});
    create_user("cy@b.test", "customer", id(other_));
    create_user("agent@p.test", "agent");
    frail_session_ = login("frail@a.test");
    plain_ = login("plain@a.test");
    dean_ = login("dean@a.test");
    bob_ = login("bob@b.test");
    cy_ = login("cy@b.test");
    agent_ = login("agent@p.test");
  }
  Json raise(HttpClient& who, const std::string& subject) {
    auto r = who.post("/api/v1/tickets", {{"type", "incident"}, {"subject", subject}, {"description", "details"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  std::string period() {
    auto now = server_.clock().now();
    return "from=" + url_quoted(to_rfc3339(now - 24h)) + "&to=" + url_quoted(to_rfc3339(now + 1s));
  }

  Json campus_, other_, frail_;
  HttpClient frail_session_{0}, plain_{0}, dean_{0}, bob_{0}, cy_{0}, agent_{0};
};

TEST_P(InsightReportsTest, VulnerableUsersTicketsWithTheirHandlingTimesBesideEveryTicket) {
  auto theirs = raise(frail_session_, "=HYPERLINK(\"x\") wheelchair ramp");
  raise(plain_, "Projector");
  raise(bob_, "Door OTHERMARK");
  server_.clock().advance(2h);
  ASSERT_EQ(agent_.post("/api/v1/tickets/" + id(theirs) + "/comments", {{"body", "On our way."}, {"public", true}}).status, 201);
  server_.clock().advance(2h);
  ASSERT_EQ(agent_.post("/api/v1/tickets/" + id(theirs) + "/transitions", {{"to", "in_progress"}}).status, 200);
  ASSERT_EQ(agent_.post("/api/v1/tickets/" + id(theirs) + "/transitions", {{"to", "resolved"}, {"resolution", "Ramp fitted"}}).status, 200);
  server_.clock().advance(1h);
  agent_ = login("agent@p.test");
  dean_ = login("dean@a.test");
  cy_ = login("cy@b.test");
  plain_ = login("plain@a.test");

  auto json = agent_.get("/api/v1/reports/vulnerable?" + period());
  ASSERT_EQ(json.status, 200) << json.body;
  auto report = json.json();
  ASSERT_EQ(report["tickets"].size(), 2u) << "Frail's and Bob's; not the plain one";
  Json row;
  for (const auto& t : report["tickets"])
    if (t["ticket_id"] == id(theirs)) row = t;
  ASSERT_TRUE(row.is_object()) << report.dump();
  EXPECT_EQ(row["flags"], "accessibility_needs");
  EXPECT_EQ(row["first_reply_hours"], 2);
  EXPECT_EQ(row["resolution_hours"], 4);
  std::map<std::string, Json> orgs;
  for (const auto& o : report["organizations"]) orgs[o["organization_id"].get<std::string>()] = o;
  EXPECT_EQ(orgs[id(campus_)]["tickets"], 1);
  EXPECT_EQ(orgs[id(campus_)]["median_resolution_hours"], 4);
  EXPECT_EQ(orgs[id(campus_)]["all_tickets"], 2) << "every campus ticket, for comparison";
  EXPECT_EQ(orgs[id(campus_)]["all_resolved"], 1);

  auto csv = agent_.get("/api/v1/reports/vulnerable?" + period() + "&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  auto records = migration::parse_csv(csv.body);
  ASSERT_TRUE(records.has_value());
  ASSERT_EQ(records->size(), 3u) << "a header and two organisations: " << csv.body;
  auto xlsx = agent_.get("/api/v1/reports/vulnerable?" + period() + "&format=xlsx");
  auto book = read_workbook(xlsx.body);
  ASSERT_TRUE(book.is_object());
  EXPECT_TRUE(book["formulas"].empty()) << book["formulas"].dump();
  auto sheet = book["sheets"]["Tickets"];
  ASSERT_EQ(sheet.size(), 3u) << book.dump();
  bool neutralised = false;
  for (const auto& r : sheet)
    for (const auto& cell : r) neutralised = neutralised || (cell.is_string() && cell.get<std::string>().starts_with("'=HYPERLINK"));
  EXPECT_TRUE(neutralised) << "the subject that looks like a formula is text: " << sheet.dump();

  auto customer = dean_.get("/api/v1/reports/vulnerable?" + period());
  ASSERT_EQ(customer.status, 200) << customer.body;
  EXPECT_EQ(customer.json()["tickets"].size(), 1u);
  EXPECT_EQ(customer.body.find("OTHERMARK"), std::string::npos) << "nothing of Other Co";
  EXPECT_EQ(plain_.get("/api/v1/reports/vulnerable?" + period()).status, 403);
}

TEST_P(InsightReportsTest, OverridesPerRuleAndTheNewestWithoutStaffsWordsForACustomer) {
  auto admin_session = server_.admin();
  auto t = raise(plain_, "Copy of my other ticket");
  auto other = raise(bob_, "Other Co's copy");
  for (const auto& ticket : {t, other}) {
    auto r = admin_session.post("/api/v1/overrides", {{"rule", "workflow.transition"}, {"target_id", id(ticket)}, {"reason_code", "other"},
                                                      {"justification", "Raised twice; closing the copy."}, {"to", "closed"}});
    ASSERT_EQ(r.status, 201) << r.body;
  }
  server_.clock().advance(1s);
  auto report = admin_session.get("/api/v1/reports/overrides?" + period());
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_EQ(report.json()["total"], 2);
  ASSERT_EQ(report.json()["overrides"].size(), 2u);
  EXPECT_EQ(report.json()["overrides"][0]["justification"], "Raised twice; closing the copy.");
  auto agents = agent_.get("/api/v1/reports/overrides?" + period()).json();
  EXPECT_EQ(agents["total"], 2) << "an agent counts them";
  EXPECT_FALSE(agents["overrides"][0].contains("justification")) << "the review of overrides is not the agent's";
  auto campus = dean_.get("/api/v1/reports/overrides?" + period()).json();
  EXPECT_EQ(campus["total"], 1);
  ASSERT_EQ(campus["overrides"].size(), 1u);
  EXPECT_EQ(campus["overrides"][0]["ticket_id"], id(t));
  EXPECT_FALSE(campus["overrides"][0].contains("justification")) << "staff's words stay with staff";
  auto csv = dean_.get("/api/v1/reports/overrides?" + period() + "&format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.find("Other Co"), std::string::npos);
  EXPECT_EQ(plain_.get("/api/v1/reports/overrides?" + period()).status, 403);
  EXPECT_EQ(agent_.get("/api/v1/reports/overrides?" + period() + "&format=pdf").status, 422);
}

TEST_P(InsightReportsTest, OnboardingPlansProgress) {
  auto tmpl = admin_.post("/api/v1/onboarding-templates",
                          {{"name", {{"en", "New organisation"}, {"zh-CN", "新组织入驻"}}},
                           {"control_method", "project"},
                           {"actions",
                            {{{"key", "kickoff"}, {"title", "Kick-off"}, {"dimension", "organizations_people"}, {"performed_by", "provider"},
                              {"owner_role", "relationship_manager"}, {"due_offset_days", 0}, {"depends_on", Json::array()}},
                             {{"key", "accounts"}, {"title", "Accounts"}, {"dimension", "organizations_people"}, {"performed_by", "provider"},
                              {"owner_role", "relationship_manager"}, {"due_offset_days", 3}, {"depends_on", Json::array()}}}}});
  ASSERT_EQ(tmpl.status, 201) << tmpl.body;
  create_user("rm@p.test", "relationship_manager");
  auto rm = login("rm@p.test");
  auto start = to_rfc3339(server_.clock().now() - 10 * 24h).substr(0, 10);
  for (const auto& org : {campus_, other_}) {
    auto plan = rm.post("/api/v1/plans", {{"template_id", id(tmpl.json())}, {"organization_id", id(org)}, {"scenario", "new_organization"},
                                          {"start_date", start}});
    ASSERT_EQ(plan.status, 201) << plan.body;
  }
  server_.clock().advance(1s);
  auto report = agent_.get("/api/v1/reports/onboarding?" + period());
  ASSERT_EQ(report.status, 200) << report.body;
  auto plans = report.json()["plans"];
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[0]["actions"], 2);
  EXPECT_EQ(plans[0]["done"], 0);
  EXPECT_EQ(plans[0]["overdue"], 2) << "both were due days ago";
  EXPECT_EQ(plans[0]["progress"], 0);
  auto campus = dean_.get("/api/v1/reports/onboarding?" + period() + "&format=csv");
  ASSERT_EQ(campus.status, 200) << campus.body;
  auto records = migration::parse_csv(campus.body);
  ASSERT_TRUE(records.has_value());
  EXPECT_EQ(records->size(), 2u) << "a header and the campus's plan: " << campus.body;
  EXPECT_EQ(campus.body.find("Other Co"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Stores, InsightReportsTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
