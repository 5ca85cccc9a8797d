// FDB-2 on every store: "you said, we did". A member gives feedback in the portal; the desk links
// it to an entry of the improvement register; the member is told, and told again as the entry
// moves on; the organisation's people see what became of the linked items (not who said them),
// another organisation sees nothing; declined items say why.
#include "api/api_fixture.h"

namespace tandem::testing {
namespace {

class YouSaidTest : public ApiTest {
 protected:
  void SetUp() override {
    campus_ = create_org("Campus 甲大学");
    other_ = create_org("Other Co");
    ann_user_ = create_user("ann@a.test", "user", id(campus_), "Passw0rd-test!", {{"language", "zh-CN"}});
    create_user("ada@a.test", "user", id(campus_));
    create_user("bob@b.test", "user", id(other_));
    create_user("agent@p.test", "agent");
    ann_ = login("ann@a.test");
    ada_ = login("ada@a.test");
    bob_ = login("bob@b.test");
    agent_ = login("agent@p.test");
    auto made = admin_.post("/api/v1/improvements", {{"title", "Weekend cover on the desk"}, {"description", "Two agents on Saturdays."}});
    EXPECT_EQ(made.status, 201) << made.body;
    improvement_ = made.json();
  }
  Json notifications(HttpClient& who) { return who.get("/api/v1/notifications").json()["items"]; }
  // The notification of `kind` (ids of one millisecond do not sort).
  Json told_of(HttpClient& who, const std::string& kind) {
    auto all = notifications(who);
    for (const auto& n : all)
      if (n["kind"] == kind) return n;
    return Json();
  }
  HttpResponse patch(const Json& item, Json body) { return agent_.patch("/api/v1/feedback/" + id(item), std::move(body), item["etag"]); }
  Json as_staff(const Json& item) {
    auto listed = agent_.get("/api/v1/feedback").json();
    for (const auto& f : listed["items"])
      if (f["id"] == item["id"]) return f;
    return Json();
  }

  Json campus_, other_, ann_user_, improvement_;
  HttpClient ann_{0}, ada_{0}, bob_{0}, agent_{0};
};

TEST_P(YouSaidTest, FeedbackLinkedToAnImprovementTellsItsGiverAndShowsToTheOrganisation) {
  auto before = audit_count();
  EXPECT_EQ(ann_.post("/api/v1/feedback", {{"text", "   "}}).status, 422);
  EXPECT_EQ(ann_.post("/api/v1/feedback", {{"text", std::string(2001, 'x')}}).status, 422);
  EXPECT_EQ(ann_.post("/api/v1/feedback", {{"text", "x"}, {"source", "dream"}}).status, 422);
  EXPECT_EQ(ann_.post("/api/v1/feedback", {{"text", "x"}, {"organization_id", id(other_)}}).status, 422) << "not for another organisation";
  EXPECT_EQ(ann_.post("/api/v1/feedback", {{"text", "x"}, {"source", "survey"}, {"source_id", "srv_x"}}).status, 422) << "staff's to record";
  EXPECT_EQ(ada_.get("/api/v1/feedback?status=lost").status, 422);
  EXPECT_EQ(agent_.post("/api/v1/feedback", {{"text", "x"}}).status, 422) << "staff name the organisation";
  EXPECT_EQ(audit_count(), before);

  auto given = ann_.post("/api/v1/feedback", {{"text", "周末也希望有人接电话"}});
  ASSERT_EQ(given.status, 201) << given.body;
  EXPECT_EQ(given.json()["status"], "new");
  EXPECT_TRUE(given.json()["mine"].get<bool>());
  auto item = as_staff(given.json());
  ASSERT_TRUE(item.is_object());
  EXPECT_EQ(item["submitter_id"], id(ann_user_));
  EXPECT_TRUE(ada_.get("/api/v1/feedback").json()["items"].empty()) << "not linked yet: Ann's own";

  EXPECT_EQ(ann_.patch("/api/v1/feedback/" + id(item), {{"improvement_id", id(improvement_)}}, item["etag"]).status, 403);
  EXPECT_EQ(patch(item, {{"improvement_id", "imp_nope"}}).status, 422);
  EXPECT_EQ(patch(item, {{"status", "linked"}}).status, 422);
  auto linked = patch(item, {{"improvement_id", id(improvement_)}, {"public_note", "We are hiring for Saturdays."}});
  ASSERT_EQ(linked.status, 200) << linked.body;
  EXPECT_EQ(linked.json()["status"], "linked");
  auto told = notifications(ann_);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0]["kind"], "feedback_linked");
  EXPECT_EQ(told[0]["feedback_id"], id(item));
  EXPECT_NE(told[0]["summary"].get<std::string>().find("We are hiring for Saturdays."), std::string::npos) << told[0]["summary"];
  EXPECT_EQ(told[0]["summary"].get<std::string>().find("Weekend cover"), std::string::npos) << "the register's titles are the provider's";
  EXPECT_EQ(linked.json()["improvement"]["title"], "Weekend cover on the desk") << "staff read it";

  // Ada reads what was said and what is being done, not who said it.
  auto seen = ada_.get("/api/v1/feedback").json()["items"];
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_FALSE(seen[0]["improvement"].contains("title"));
  EXPECT_EQ(seen[0]["improvement"]["status"], "proposed");
  EXPECT_EQ(seen[0]["public_note"], "We are hiring for Saturdays.");
  EXPECT_FALSE(seen[0].contains("submitter_id"));
  EXPECT_FALSE(seen[0]["mine"].get<bool>());
  EXPECT_TRUE(bob_.get("/api/v1/feedback").json()["items"].empty()) << "another organisation's";

  // The improvement moves on: Ann hears each step.
  auto entry = admin_.get("/api/v1/improvements/" + id(improvement_)).json();
  auto moved = admin_.patch("/api/v1/improvements/" + id(improvement_), {{"status", "in_progress"}}, entry["etag"]);
  ASSERT_EQ(moved.status, 200) << moved.body;
  ASSERT_EQ(notifications(ann_).size(), 2u);
  auto progress = told_of(ann_, "feedback_progress");
  ASSERT_TRUE(progress.is_object());
  EXPECT_NE(progress["summary"].get<std::string>().find("正在进行"), std::string::npos) << "in Ann's language: " << progress["summary"];
  EXPECT_EQ(ada_.get("/api/v1/feedback").json()["items"][0]["improvement"]["status"], "in_progress");
  auto renamed = admin_.patch("/api/v1/improvements/" + id(improvement_), {{"title", "Saturday cover"}}, moved.json()["etag"]);
  ASSERT_EQ(renamed.status, 200);
  EXPECT_EQ(notifications(ann_).size(), 2u) << "a new title is no new status";
}

TEST_P(YouSaidTest, DeclinedFeedbackSaysWhyAndStaffTakeItDownFromATicket) {
  auto t = ada_.post("/api/v1/tickets", {{"type", "complaint"}, {"subject", "Nobody answered on Saturday"}, {"description", "..."}}).json();
  auto bad = agent_.post("/api/v1/feedback", {{"text", "Weekend cover"}, {"organization_id", id(other_)}, {"source", "complaint"},
                                              {"source_id", id(t)}});
  EXPECT_EQ(bad.status, 422) << "the ticket is not Other Co's";
  auto taken = agent_.post("/api/v1/feedback", {{"text", "Weekend cover"}, {"organization_id", id(campus_)}, {"source", "complaint"},
                                                {"source_id", id(t)}, {"submitter_id", ada_.get("/api/v1/me").json()["id"]}});
  ASSERT_EQ(taken.status, 201) << taken.body;
  EXPECT_EQ(ada_.get("/api/v1/feedback").json()["items"][0]["mine"], true) << "taken down for Ada: hers";
  EXPECT_EQ(patch(taken.json(), {{"status", "declined"}}).status, 422) << "a decline says why";
  EXPECT_EQ(patch(taken.json(), Json::object()).status, 422) << "a patch that changes nothing";
  auto declined = patch(taken.json(), {{"status", "declined"}, {"public_note", "The desk is closed at weekends by contract."}});
  ASSERT_EQ(declined.status, 200) << declined.body;
  auto told = told_of(ada_, "feedback_declined");
  ASSERT_TRUE(told.is_object());
  EXPECT_NE(told["summary"].get<std::string>().find("closed at weekends"), std::string::npos);
  EXPECT_EQ(patch(taken.json(), {{"status", "new"}}).status, 412) << "the version read is gone";
}

INSTANTIATE_TEST_SUITE_P(Stores, YouSaidTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
