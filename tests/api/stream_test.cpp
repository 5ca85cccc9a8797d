// Live updates over the WebSocket stream (REL-5, issue "Service desk core" §9), on every store:
// each subscriber hears of the changes to tickets it may see, in order, and of nothing else —
// not another organisation's tickets, not internal notes unless staff. "Nothing else" is shown
// by order, not by waiting: after a change a subscriber must not hear of, a change it must hear
// of is made, and that must be the next message.
#include "api/api_fixture.h"
#include "support/ws_client.h"

namespace tandem::testing {
namespace {

class StreamTest : public ApiTest {
 protected:
  void SetUp() override {
    a_ = create_org("Campus");
    b_ = create_org("Other Co");
    create_user("a1@a.test", "user", a_["id"]);
    create_user("b1@b.test", "user", b_["id"]);
    create_user("agent@p.test", "agent");
  }
  WsClient stream(const HttpClient& c, const std::string& origin = "") { return WsClient(server_.port(), c.session(), origin); }
  static Json message(WsClient& ws) {
    auto m = ws.next();
    EXPECT_TRUE(m) << "no message";
    return m ? Json::parse(*m) : Json();
  }
  static std::string raise(HttpClient& c, const std::string& subject) {
    auto r = c.post("/api/v1/tickets", {{"type", "incident"}, {"subject", subject}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["id"];
  }
  Json a_, b_;
};

TEST_P(StreamTest, EachSubscriberHearsOfWhatItMaySeeAndNothingElse) {
  auto a1 = login("a1@a.test");
  auto b1 = login("b1@b.test");
  auto agent = login("agent@p.test");
  auto ws_a = stream(a1);
  auto ws_b = stream(b1);
  auto ws_agent = stream(agent);
  ASSERT_TRUE(ws_a.open() && ws_b.open() && ws_agent.open());

  auto ta = raise(a1, "VPN down");
  auto created = message(ws_a);
  EXPECT_EQ(created["type"], "ticket.created");
  EXPECT_EQ(created["id"], ta);
  EXPECT_EQ(created["version"], 1);
  EXPECT_EQ(created["event"], "created") << "a consumer is never told the kind of an internal event";
  auto staff_created = message(ws_agent);
  EXPECT_EQ(staff_created["id"], ta);
  EXPECT_EQ(staff_created["event"], "rule_fired") << "staff hear of the last event, internal ones too";

  // An internal note reaches staff only; the requester's next message is the public reply.
  ASSERT_EQ(agent.post("/api/v1/tickets/" + ta + "/comments", {{"body", "check the firewall"}, {"public", false}}).status, 201);
  auto note = message(ws_agent);
  EXPECT_EQ(note["event"], "note");
  ASSERT_EQ(agent.post("/api/v1/tickets/" + ta + "/comments", {{"body", "please reinstall"}}).status, 201);
  auto reply = message(ws_a);
  EXPECT_EQ(reply["type"], "ticket.updated");
  EXPECT_EQ(reply["event"], "comment");
  EXPECT_EQ(message(ws_agent)["event"], "comment");

  // The other organisation heard of none of it: its first message is about its own ticket.
  auto tb = raise(b1, "Badge reader broken");
  auto first_b = message(ws_b);
  EXPECT_EQ(first_b["id"], tb) << first_b.dump();
  EXPECT_EQ(message(ws_agent)["id"], tb);
  // …and the requester of A does not hear of B's ticket: its next message is A's transition.
  ASSERT_EQ(agent.post("/api/v1/tickets/" + ta + "/transitions", {{"to", "triaged"}}).status, 200);
  auto moved = message(ws_a);
  EXPECT_EQ(moved["id"], ta);
  EXPECT_EQ(moved["event"], "status_changed");
  EXPECT_EQ(moved["version"], 2);
}

TEST_P(StreamTest, TheStreamNeedsALoginAndThisSitesOrigin) {
  WsClient anonymous(server_.port(), "");
  EXPECT_FALSE(anonymous.open());
  EXPECT_EQ(anonymous.refused_status(), 401);
  auto a1 = login("a1@a.test");
  auto foreign = stream(a1, "http://evil.example");
  EXPECT_FALSE(foreign.open());
  EXPECT_EQ(foreign.refused_status(), 403);
  auto own = stream(a1, "http://127.0.0.1:" + std::to_string(server_.port()));
  EXPECT_TRUE(own.open());
  // A plain GET is told to upgrade.
  auto plain = a1.get("/api/v1/stream");
  EXPECT_EQ(plain.status, 400);
  EXPECT_EQ(plain.error_code(), "upgrade_required");
}

TEST_P(StreamTest, AFailedChangeIsNeverAnnounced) {
  auto a1 = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto ws = stream(agent);
  ASSERT_TRUE(ws.open());
  auto ta = raise(a1, "Printer jam");
  EXPECT_EQ(message(ws)["id"], ta);
  // Refused (a resolution is missing): nothing published; the next message is the next change.
  ASSERT_EQ(agent.post("/api/v1/tickets/" + ta + "/transitions", {{"to", "in_progress"}}).status, 200);
  EXPECT_EQ(message(ws)["event"], "status_changed");
  ASSERT_EQ(agent.post("/api/v1/tickets/" + ta + "/transitions", {{"to", "resolved"}}).status, 422);
  ASSERT_EQ(agent.post("/api/v1/tickets/" + ta + "/comments", {{"body", "still on it"}}).status, 201);
  auto next = message(ws);
  EXPECT_EQ(next["event"], "comment") << next.dump();
  EXPECT_EQ(next["version"], 2);
}

// A stream delivers on the rights it was opened with only while they hold: after a logout or a
// change of roles it closes (1008) at the next change instead of telling of it. The store is
// asked again once per kStreamRecheck of the server's clock, which the test moves.
TEST_P(StreamTest, AStreamEndsWhenItsLoginOrRightsEnd) {
  auto a1 = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto ws_agent = stream(agent);
  auto ws_a = stream(a1);
  ASSERT_TRUE(ws_agent.open() && ws_a.open());
  server_.clock().advance(std::chrono::seconds(11));
  auto first = raise(a1, "Still signed in");
  EXPECT_EQ(message(ws_agent)["id"], first) << "a credential that still holds keeps its stream";
  EXPECT_EQ(message(ws_a)["id"], first);

  ASSERT_EQ(agent.post("/api/v1/auth/logout", Json::object()).status, 204);
  auto user = create_user("a2@a.test", "user", a_["id"]);
  auto path = "/api/v1/users/" + user["id"].get<std::string>();
  ASSERT_EQ(admin_.patch(path, {{"roles", {"customer"}}}, admin_.get(path).header("etag")).status, 200);
  auto a2 = login("a2@a.test");
  auto ws_a2 = stream(a2);
  ASSERT_TRUE(ws_a2.open());
  ASSERT_EQ(admin_.patch(path, {{"roles", {"user"}}}, admin_.get(path).header("etag")).status, 200);

  server_.clock().advance(std::chrono::seconds(11));
  raise(a1, "After the logout");
  EXPECT_FALSE(ws_agent.next()) << "nothing reaches a stream whose session ended";
  EXPECT_EQ(ws_agent.close_code(), 1008);
  EXPECT_FALSE(ws_a2.next()) << "a customer made a user no longer hears of the organisation's tickets";
  EXPECT_EQ(ws_a2.close_code(), 1008);
  EXPECT_TRUE(ws_a.next()) << "the requester's own stream goes on";
}

INSTANTIATE_TEST_SUITE_P(Stores, StreamTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
