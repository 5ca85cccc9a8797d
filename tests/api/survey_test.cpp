// FDB-1 on every store: relationship surveys. A relationship manager writes a survey (the
// built-in NPS question and their own, as data) for some organisations and publishes it; its
// people are invited when it opens (and mailed), answer once, and get one reminder when they do
// not; the results hold the NPS arithmetic, each question counted and each organisation's
// turnout; a customer reads its own organisation's figures only; an anonymous survey names no one.
#include <unistd.h>

#include "api/api_fixture.h"
#include "api/workbook.h"
#include "channels/mail.h"
#include "domain/migration/csv.h"
#include "channels/smtp.h"
#include "support/mail_servers.h"
#include "usecase/mail_out.h"
#include "usecase/surveys.h"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;

TestServerOptions with_mail_out() {
  TestServerOptions o;
  o.mail_out = usecase::MailOut{true, "support@desk.test", "Campus Desk", "https://desk.test"};
  return o;
}

class SurveyTest : public ApiTest {
 protected:
  SurveyTest() : ApiTest(with_mail_out()) {}

  void SetUp() override {
    campus_ = create_org("Campus 甲大学");
    other_ = create_org("Other Co");
    ann_user_ = create_user("ann@a.test", "user", id(campus_));
    create_user("ada@a.test", "user", id(campus_));
    create_user("dean@a.test", "customer", id(campus_));
    create_user("bob@b.test", "user", id(other_));
    create_user("cy@b.test", "customer", id(other_));
    create_user("rm@p.test", "relationship_manager");
    create_user("agent@p.test", "agent");
    ann_ = login("ann@a.test");
    ada_ = login("ada@a.test");
    dean_ = login("dean@a.test");
    bob_ = login("bob@b.test");
    cy_ = login("cy@b.test");
    rm_ = login("rm@p.test");
    agent_ = login("agent@p.test");
  }

  std::string at(std::chrono::hours from_now) { return to_rfc3339(server_.clock().now() + from_now); }

  Json body(Json extra = Json::object()) {
    Json b = {{"title", {{"en", "How are we doing?"}, {"zh-CN", "我们做得怎么样？"}}},
              {"intro", "Five minutes of your time."},
              {"organization_ids", {id(campus_)}},
              {"closes_at", at(14 * 24h)},
              {"questions",
               {{{"key", "support"}, {"kind", "scale"}, {"prompt", "How was our support?"}, {"required", true}},
                {{"kind", "choice"}, {"prompt", "How do you reach us?"}, {"options", {"Portal", "Mail", "Phone"}}},
                {{"key", "why"}, {"kind", "text"}, {"prompt", "What should we change?"}}}}};
    for (auto& [k, v] : extra.items()) b[k] = v;
    return b;
  }
  Json draft(Json extra = Json::object()) {
    auto r = rm_.post("/api/v1/surveys", body(std::move(extra)));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  HttpResponse act(const Json& s, const std::string& what) {
    return rm_.request("POST", "/api/v1/surveys/" + id(s) + "/" + what, "{}",
                       {{"Content-Type", "application/json"}, {"If-Match", s["etag"].get<std::string>()}});
  }
  Json published(Json extra = Json::object()) {
    auto r = act(draft(std::move(extra)), "publish");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  HttpResponse answer(HttpClient& who, const Json& s, Json answers) {
    return who.post("/api/v1/surveys/" + id(s) + "/responses", {{"answers", std::move(answers)}});
  }
  Json results(HttpClient& who, const Json& s) {
    auto r = who.get("/api/v1/surveys/" + id(s) + "/results");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  Json outbox() {
    auto r = admin_.get("/api/v1/outgoing-mail?limit=100");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["items"];
  }
  std::vector<std::string> mailed(const std::string& kind) {
    std::vector<std::string> to;
    for (const auto& m : outbox())
      if (m["kind"] == kind) to.push_back(m["user_id"].get<std::string>());
    std::sort(to.begin(), to.end());
    return to;
  }
  usecase::SurveyBeat beat() {
    auto run = usecase::run_survey_schedule(server_.services());
    EXPECT_TRUE(run) << run.error().message;
    return run.value_or(usecase::SurveyBeat{});
  }

  Json campus_, other_, ann_user_;
  HttpClient ann_{0}, ada_{0}, dean_{0}, bob_{0}, cy_{0}, rm_{0}, agent_{0};
};

TEST_P(SurveyTest, ASurveyOpensWithTheBuiltInNpsQuestionAndRefusesWhatIsWrong) {
  auto s = draft();
  EXPECT_EQ(s["state"], "draft");
  auto questions = s["questions"];
  ASSERT_EQ(questions.size(), 4u);
  EXPECT_EQ(questions[0]["key"], "nps");
  EXPECT_EQ(questions[0]["kind"], "nps");
  EXPECT_EQ(questions[0]["prompt"]["zh-CN"], "您有多大可能把我们推荐给朋友或同事？");
  EXPECT_EQ(questions[2]["key"], "q2") << "a question sent without a key is named by its place";
  EXPECT_EQ(questions[2]["options"].size(), 3u);

  auto before = audit_count();
  auto problem = [&](Json extra, const std::string& field) {
    auto r = rm_.post("/api/v1/surveys", body(std::move(extra)));
    EXPECT_EQ(r.status, 422) << field << ": " << r.body;
    bool named = false;
    auto error = r.json();
    for (const auto& d : error["error"]["details"]) named = named || d["field"] == field;
    EXPECT_TRUE(named) << field << " not named: " << r.body;
  };
  problem({{"questions", {{{"kind", "nps"}, {"prompt", "Again?"}}}}}, "questions[0].kind");
  problem({{"questions", {{{"kind", "stars"}, {"prompt", "?"}}}}}, "questions[0].kind");
  problem({{"questions", {{{"kind", "choice"}, {"prompt", "One?"}, {"options", {"only"}}}}}}, "questions[0].options");
  problem({{"questions", {{{"kind", "text"}, {"prompt", "A"}, {"options", {"x", "y"}}}}}}, "questions[0].options");
  problem({{"questions", {{{"kind", "text"}}}}}, "questions[0].prompt");
  problem({{"questions", {{{"key", "a"}, {"kind", "text"}, {"prompt", "A"}}, {{"key", "a"}, {"kind", "text"}, {"prompt", "B"}}}}},
          "questions[1].key");
  problem({{"questions", {{{"key", "nps"}, {"kind", "text"}, {"prompt", "A"}}}}}, "questions[0].key");
  problem({{"organization_ids", {"org_nope"}}}, "organization_ids");
  problem({{"opens_at", at(48h)}, {"closes_at", at(24h)}}, "closes_at");
  problem({{"reminder_days", 31}}, "reminder_days");
  problem({{"title", ""}}, "title.en");
  problem({{"colour", "red"}}, "colour");
  Json many = Json::array();
  for (int i = 0; i < 21; ++i) many.push_back({{"kind", "text"}, {"prompt", "Q"}});
  problem({{"questions", many}}, "questions");
  EXPECT_EQ(rm_.post("/api/v1/surveys", body()).status, 201);
  before += 1;
  for (auto* who : {&agent_, &dean_, &ann_}) EXPECT_EQ(who->post("/api/v1/surveys", body()).status, 403);
  EXPECT_EQ(audit_count(), before) << "refused surveys write nothing";
}

TEST_P(SurveyTest, PublishingInvitesThePeopleOfItsOrganisationsAndMailsThem) {
  auto s = draft();
  // Only those who keep surveys change, publish or close them; nothing is written otherwise.
  auto before = audit_count();
  for (auto* who : {&agent_, &dean_, &ann_, &bob_}) {
    EXPECT_EQ(who->patch("/api/v1/surveys/" + id(s), {{"reminder_days", 2}}, s["etag"]).status, 403);
    for (auto action : {"publish", "close"})
      EXPECT_EQ(who->request("POST", "/api/v1/surveys/" + id(s) + "/" + action, "{}",
                             {{"Content-Type", "application/json"}, {"If-Match", s["etag"].get<std::string>()}})
                    .status,
                403)
          << action;
  }
  EXPECT_EQ(audit_count(), before);
  auto patched = rm_.patch("/api/v1/surveys/" + id(s), {{"reminder_days", 2}}, s["etag"]);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(rm_.patch("/api/v1/surveys/" + id(s), {{"reminder_days", 1}}, s["etag"]).status, 412);
  EXPECT_EQ(rm_.request("POST", "/api/v1/surveys/" + id(s) + "/publish", "{}", {{"Content-Type", "application/json"}}).status, 428);
  EXPECT_EQ(ann_.get("/api/v1/surveys/" + id(s)).status, 404) << "a draft is nobody's but its keepers'";
  EXPECT_TRUE(outbox().empty());

  auto open = act(patched.json(), "publish");
  ASSERT_EQ(open.status, 200) << open.body;
  EXPECT_EQ(open.json()["state"], "open");
  EXPECT_EQ(act(open.json(), "publish").status, 409);
  EXPECT_EQ(rm_.patch("/api/v1/surveys/" + id(s), {{"reminder_days", 1}}, open.json()["etag"]).status, 409)
      << "a published survey is not changed";

  auto invited = mailed("survey_invitation");
  EXPECT_EQ(invited.size(), 3u) << "Ann, Ada and Dean of the campus; nobody of Other Co, no staff";
  for (const auto& m : outbox()) EXPECT_EQ(m["survey_id"], id(s));

  auto mine = ann_.get("/api/v1/surveys").json()["items"];
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0]["invitation"]["answered"], false);
  EXPECT_FALSE(mine[0].contains("organization_ids")) << "whom it addresses stays with staff";
  EXPECT_TRUE(bob_.get("/api/v1/surveys").json()["items"].empty());
  EXPECT_EQ(bob_.get("/api/v1/surveys/" + id(s)).status, 404);
  EXPECT_EQ(cy_.get("/api/v1/surveys/" + id(s)).status, 404) << "it does not concern Other Co";
  EXPECT_EQ(rm_.get("/api/v1/surveys").json()["items"].size(), 1u);
  EXPECT_EQ(agent_.get("/api/v1/surveys").json()["items"].size(), 1u) << "staff list the published surveys for their results";
  draft();
  EXPECT_EQ(rm_.get("/api/v1/surveys").json()["items"].size(), 2u);
  EXPECT_EQ(agent_.get("/api/v1/surveys").json()["items"].size(), 1u) << "drafts are their keepers'";
}

TEST_P(SurveyTest, MergingADuplicateMovesItsInvitationAndResponse) {
  auto twin = create_user("ann.twin@a.test", "user", id(campus_));
  auto s = published();
  auto twin_session = login("ann.twin@a.test");
  ASSERT_EQ(answer(twin_session, s, {{"nps", 7}, {"support", 3}}).status, 201);
  auto merged = admin_.post("/api/v1/users/" + id(ann_user_) + "/merge", {{"from_user_id", id(twin)}});
  ASSERT_EQ(merged.status, 200) << merged.body;
  ann_ = login("ann@a.test");
  auto mine = ann_.get("/api/v1/surveys").json()["items"];
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0]["invitation"]["answered"], true) << "the twin answered for Ann";
  EXPECT_EQ(answer(ann_, s, {{"nps", 9}, {"support", 4}}).status, 409) << "one person, one answer";
  auto r = results(rm_, s);
  EXPECT_EQ(r["nps"]["responses"], 1);
  EXPECT_EQ(r["invited"], 3) << "Ann, Ada and Dean: the twin is Ann";
}

TEST_P(SurveyTest, EachAnswersOnceAndTheResultsHoldTheNpsArithmetic) {
  auto s = published();
  auto before = audit_count();
  auto bad = answer(ada_, s, {{"nps", 11}, {"support", 0}, {"q2", 3}, {"mood", "fine"}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  std::set<std::string> fields;
  auto error = bad.json();
  for (const auto& d : error["error"]["details"]) fields.insert(d["field"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"answers.nps", "answers.support", "answers.q2", "answers.mood"}));
  EXPECT_EQ(answer(ada_, s, {{"support", 4}}).status, 422) << "the NPS question is required";
  EXPECT_EQ(ann_.post("/api/v1/surveys/" + id(s) + "/responses", {{"answers", {{"nps", 9}}}, {"extra", 1}}).status, 422);
  EXPECT_EQ(answer(bob_, s, {{"nps", 9}, {"support", 4}}).status, 404) << "not invited";
  EXPECT_EQ(answer(agent_, s, {{"nps", 9}, {"support", 4}}).status, 403) << "staff do not answer";
  EXPECT_EQ(audit_count(), before);

  auto first = answer(ann_, s, {{"nps", 10}, {"support", 5}, {"q2", 0}, {"why", "  Faster replies, please.  "}});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json()["anonymous"], false);
  auto again = answer(ann_, s, {{"nps", 0}, {"support", 1}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "already_answered");
  ASSERT_EQ(answer(ada_, s, {{"nps", 6}, {"support", 2}, {"q2", 2}}).status, 201);
  ASSERT_EQ(answer(dean_, s, {{"nps", 9}, {"support", 4}, {"q2", 0}, {"why", ""}}).status, 201);
  EXPECT_EQ(ann_.get("/api/v1/surveys").json()["items"][0]["invitation"]["answered"], true);

  auto r = results(rm_, s);
  EXPECT_EQ(r["invited"], 3);
  EXPECT_EQ(r["answered"], 3);
  EXPECT_EQ(r["response_rate"], 1);
  EXPECT_EQ(r["nps"]["promoters"], 2);
  EXPECT_EQ(r["nps"]["passives"], 0);
  EXPECT_EQ(r["nps"]["detractors"], 1);
  EXPECT_NEAR(r["nps"]["score"].get<double>(), 33.3333, 1e-3) << "(2 promoters − 1 detractor) / 3";
  auto support = r["questions"][1];
  EXPECT_EQ(support["key"], "support");
  EXPECT_EQ(support["counts"], (Json{0, 1, 0, 1, 1}));
  EXPECT_NEAR(support["csat"]["mean"].get<double>(), 11.0 / 3, 1e-3);
  EXPECT_EQ(r["questions"][2]["counts"], (Json{2, 0, 1}));
  ASSERT_EQ(r["texts"].size(), 1u);
  EXPECT_EQ(r["texts"][0]["text"], "Faster replies, please.");
  EXPECT_EQ(r["texts"][0]["user_id"], id(ann_user_));
  ASSERT_EQ(r["organizations"].size(), 1u);
  EXPECT_EQ(r["organizations"][0]["name"], "Campus 甲大学");

  auto customers = results(dean_, s);
  EXPECT_EQ(customers["nps"], r["nps"]) << "the customer sees the same figures";
  EXPECT_FALSE(customers.contains("texts")) << "but not what each colleague wrote";
  EXPECT_EQ(cy_.get("/api/v1/surveys/" + id(s) + "/results").status, 404) << "another organisation's";
  EXPECT_EQ(ann_.get("/api/v1/surveys/" + id(s) + "/results").status, 403);

  // The satisfaction report carries the period's NPS, per organisation when grouped by it (the
  // period ends now, exclusive: a second on, the answers are in it).
  server_.clock().advance(1s);
  auto report = rm_.get("/api/v1/reports/satisfaction?group_by=organization");
  ASSERT_EQ(report.status, 200) << report.body;
  auto nps = report.json()["nps"];
  EXPECT_EQ(nps["responses"], 3);
  EXPECT_NEAR(nps["nps"].get<double>(), 33.3333, 1e-3);
  ASSERT_EQ(nps["groups"].size(), 1u);
  EXPECT_EQ(nps["groups"][0]["key"], id(campus_));
  EXPECT_EQ(nps["groups"][0]["name"], "Campus 甲大学");
  EXPECT_EQ(cy_.get("/api/v1/reports/satisfaction").json()["nps"]["responses"], 0) << "Other Co answered nothing";
  EXPECT_TRUE(rm_.get("/api/v1/reports/satisfaction?group_by=channel").json()["nps"]["groups"].empty())
      << "a relationship survey has no channel";
}

TEST_P(SurveyTest, ResultsComeAsCsvAndXlsxHoldingTheJsonCounts) {
  auto s = published({{"organization_ids", Json::array()}});
  ASSERT_EQ(answer(ann_, s, {{"nps", 10}, {"support", 5}, {"q2", 1}, {"why", "=HYPERLINK(\"http://x\")"}}).status, 201);
  ASSERT_EQ(answer(ada_, s, {{"nps", 3}, {"support", 5}, {"q2", 1}}).status, 201);
  ASSERT_EQ(answer(bob_, s, {{"nps", 8}, {"support", 2}}).status, 201);
  auto path = "/api/v1/surveys/" + id(s) + "/results";
  EXPECT_EQ(rm_.get(path + "?format=pdf").status, 422);
  auto csv = rm_.get(path + "?format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  auto records = migration::parse_csv(csv.body);
  ASSERT_TRUE(records.has_value());
  auto count_of = [&](const std::string& question, const std::string& answer_text) -> std::string {
    for (const auto& row : *records)
      if (row.size() == 4 && row[0] == question && row[2] == answer_text) return row[3];
    return "";
  };
  auto json = results(rm_, s);
  EXPECT_EQ(count_of("support", "5"), std::to_string(json["questions"][1]["counts"][4].get<int>()));
  EXPECT_EQ(count_of("support", "5"), "2");
  EXPECT_EQ(count_of("q2", "Mail"), "2") << "a choice's row names its option";
  EXPECT_EQ(count_of("nps", "10"), "1");
  auto book = read_workbook(rm_.get(path + "?format=xlsx").body);
  ASSERT_TRUE(book.is_object());
  EXPECT_TRUE(book["formulas"].empty()) << book["formulas"].dump();
  ASSERT_TRUE(book["sheets"].contains("Texts"));
  EXPECT_EQ(book["sheets"]["Texts"][1][1], "'=HYPERLINK(\"http://x\")") << "a text that looks like a formula is text";
  EXPECT_EQ(book["sheets"]["Organizations"].size(), 3u) << "a header and both organisations";
  auto theirs = read_workbook(cy_.get(path + "?format=xlsx").body);
  ASSERT_TRUE(theirs.is_object());
  EXPECT_FALSE(theirs["sheets"].contains("Texts")) << "a customer reads no texts";
  EXPECT_EQ(theirs["sheets"]["Organizations"].size(), 2u) << "only Other Co";
  EXPECT_EQ(theirs.dump().find("Campus"), std::string::npos);
}

TEST_P(SurveyTest, ACustomerSeesOnlyItsOrganisationsFiguresOfASurveyToAll) {
  auto s = published({{"organization_ids", Json::array()}});
  EXPECT_EQ(mailed("survey_invitation").size(), 5u) << "every person of every customer organisation";
  ASSERT_EQ(answer(ann_, s, {{"nps", 10}, {"support", 5}}).status, 201);
  ASSERT_EQ(answer(bob_, s, {{"nps", 2}, {"support", 1}}).status, 201);
  auto all = results(rm_, s);
  EXPECT_EQ(all["nps"]["responses"], 2);
  EXPECT_EQ(all["organizations"].size(), 2u);
  auto other = results(cy_, s);
  EXPECT_EQ(other["invited"], 2);
  EXPECT_EQ(other["nps"]["responses"], 1);
  EXPECT_EQ(other["nps"]["score"], -100);
  ASSERT_EQ(other["organizations"].size(), 1u);
  EXPECT_EQ(other["organizations"][0]["id"], id(other_));
}

TEST_P(SurveyTest, AnAnonymousSurveyNamesNoOneInItsResponses) {
  auto s = published({{"anonymous", true}});
  server_.clock().advance(3h);
  ann_ = login("ann@a.test");
  auto r = answer(ann_, s, {{"nps", 8}, {"support", 3}, {"why", "匿名意见"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["anonymous"], true);
  EXPECT_EQ(r.json()["submitted_at"], s["opens_at"]) << "no time of its own: the survey's opening";
  auto audit = admin_.get("/api/v1/audit?limit=1").json()["items"][0];
  EXPECT_EQ(audit["action"], "survey.answer");
  EXPECT_EQ(audit["target_id"], id(s)) << "the audit names the survey, not the response";
  EXPECT_EQ(answer(ann_, s, {{"nps", 8}, {"support", 3}}).status, 409) << "still once";
  EXPECT_TRUE(ann_.get("/api/v1/surveys").json()["items"][0]["invitation"]["answered_on"].is_null());

  auto few = results(rm_, s);
  EXPECT_EQ(few["withheld"], true) << "one answer would name its author";
  EXPECT_TRUE(few["nps"].is_null());
  EXPECT_TRUE(few["texts"].empty());
  EXPECT_EQ(few["answered"], 1) << "how many answered is no secret";

  ASSERT_EQ(answer(ada_, s, {{"nps", 9}, {"support", 4}}).status, 201);
  ASSERT_EQ(answer(dean_, s, {{"nps", 10}, {"support", 5}, {"why", "   "}}).status, 201);
  auto enough = results(rm_, s);
  EXPECT_EQ(enough["withheld"], false);
  EXPECT_EQ(enough["nps"]["responses"], 3);
  ASSERT_EQ(enough["texts"].size(), 1u) << "a blank text is no answer";
  EXPECT_EQ(enough["texts"][0]["text"], "匿名意见");
  EXPECT_TRUE(enough["texts"][0]["user_id"].is_null());
  EXPECT_TRUE(enough["texts"][0]["organization_id"].is_null());
}

TEST_P(SurveyTest, AScheduledSurveyInvitesWhenItOpensRemindsOnceAndCloses) {
  auto s = published({{"opens_at", at(48h)}, {"closes_at", at(10 * 24h)}, {"reminder_days", 3}});
  EXPECT_EQ(s["state"], "scheduled");
  EXPECT_TRUE(outbox().empty());
  EXPECT_EQ(beat().invited, 0);
  EXPECT_TRUE(ann_.get("/api/v1/surveys").json()["items"].empty());

  server_.clock().advance(48h);
  EXPECT_EQ(beat().invited, 3);
  EXPECT_EQ(beat().invited, 0) << "invited once";
  ann_ = login("ann@a.test");
  ada_ = login("ada@a.test");
  ASSERT_EQ(answer(ann_, s, {{"nps", 9}, {"support", 4}}).status, 201);

  server_.clock().advance(3 * 24h - 1min);
  EXPECT_EQ(beat().reminded, 0) << "not before its days";
  server_.clock().advance(1min);
  EXPECT_EQ(beat().reminded, 2) << "Ada and Dean, who did not answer; not Ann";
  EXPECT_EQ(beat().reminded, 0) << "one reminder only";
  admin_ = server_.admin();
  EXPECT_EQ(mailed("survey_reminder").size(), 2u);

  server_.clock().advance(5 * 24h);
  ada_ = login("ada@a.test");
  auto late = answer(ada_, s, {{"nps", 9}, {"support", 4}});
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.error_code(), "survey_not_open");
  EXPECT_EQ(ada_.get("/api/v1/surveys").json()["items"][0]["state"], "closed");
}

TEST_P(SurveyTest, ClosingByHandEndsAnswering) {
  auto s = published();
  EXPECT_EQ(act(draft(), "close").status, 409) << "a draft is not open";
  auto closed = act(s, "close");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json()["state"], "closed");
  EXPECT_EQ(act(closed.json(), "close").status, 409);
  EXPECT_EQ(answer(ann_, s, {{"nps", 9}, {"support", 4}}).status, 409);
}

TEST_P(SurveyTest, SomeoneWhoMovedOrganisationIsNeitherMailedNorReminded) {
  auto s = published({{"reminder_days", 1}});
  auto ada = admin_.get("/api/v1/users?limit=100").json()["items"];
  Json ada_user;
  for (const auto& u : ada)
    if (u["email"] == "ada@a.test") ada_user = u;
  ASSERT_TRUE(ada_user.is_object());
  ASSERT_EQ(admin_.patch("/api/v1/users/" + id(ada_user), {{"organization_id", id(other_)}}, "\"v" + std::to_string(ada_user["version"].get<int>()) + "\"")
                .status,
            200);
  channels::SmtpMailSender down({"smtp://127.0.0.1:" + std::to_string(free_port())}, server_.clock());
  auto run = usecase::send_outgoing_mail(server_.services(), down);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->dropped, 1) << "Ada's invitation: she is Other Co's now";
  bool said = false;
  for (const auto& m : outbox()) said = said || m["last_error"] == "the recipient moved organisation";
  EXPECT_TRUE(said);
  server_.clock().advance(24h);
  EXPECT_EQ(beat().reminded, 2) << "Ann and Dean; not Ada";
}

TEST_P(SurveyTest, TheInvitationMailLinksToTheSurveyAndIsNotSentOnceAnswered) {
  auto mta = mail_servers();
  if (!mta) GTEST_SKIP() << "needs the test mail servers (make test starts them)";
  auto mailbox = "surveyed" + std::to_string(::getpid()) + (GetParam() == "sqlite" ? "s" : "p") + "@customer.test";
  auto org = create_org("Mailed Org");
  create_user(mailbox, "user", id(org), "Passw0rd-test!", {{"language", "zh-CN"}});
  auto other = "answered" + std::to_string(::getpid()) + (GetParam() == "sqlite" ? "s" : "p") + "@customer.test";
  create_user(other, "user", id(org));
  auto s = published({{"organization_ids", {id(org)}}});
  auto quick = login(other);
  ASSERT_EQ(answer(quick, s, {{"nps", 9}, {"support", 4}}).status, 201);

  channels::SmtpMailSender relay({"smtp://127.0.0.1:" + std::to_string(mta->smtp)}, server_.clock());
  auto sent = usecase::send_outgoing_mail(server_.services(), relay);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->sent, 1);
  EXPECT_EQ(sent->dropped, 1) << "the one who answered before the mail went gets none";
  std::optional<std::string> raw;
  ASSERT_TRUE(eventually([&] { return (raw = imap_fetch(mta->imap, mailbox, 1)).has_value(); }));
  auto read = channels::read_mail(*raw);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->subject, "我们做得怎么样？");
  EXPECT_NE(read->text.find("https://desk.test/surveys/" + id(s)), std::string::npos) << read->text;
}

INSTANTIATE_TEST_SUITE_P(Stores, SurveyTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
