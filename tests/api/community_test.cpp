// The community over HTTP on every store (COM-1…COM-4, FDB-3): spaces read by their audience
// (by default the service's entitled organisations) in every route; topics, replies, votes
// (never one's own; one per member, changeable; worthless between two accounts of one person)
// and the reputation they make, capped per day; levels granting and losing rights; accepted
// answers; a topic made a ticket and an answer made an article, each linked; flags hiding a
// post; moderation and its log; super users; subscriptions; the pace of new members; public
// profiles without e-mail.
#include "api/api_fixture.h"
#include "storage/erasure.h"
#include "api/zip_files.h"

namespace tandem::testing {
namespace {

class CommunityTest : public ApiTest {
 protected:
  void SetUp() override {
    org_a_ = create_org("Campus club");
    org_b_ = create_org("Other Co");
    a1_ = id(create_user("li.lei@a.test", "user", id(org_a_), "Passw0rd-test!", {{"name", "李雷"}}));
    a2_ = id(create_user("han.meimei@a.test", "user", id(org_a_), "Passw0rd-test!", {{"name", "韩梅梅"}}));
    a3_ = id(create_user("wang.fang@a.test", "user", id(org_a_), "Passw0rd-test!", {{"name", "王芳"}}));
    b1_ = id(create_user("bob@b.test", "user", id(org_b_), "Passw0rd-test!", {{"name", "Bob Smith"}}));
    agent_ = id(create_user("desk@p.test", "agent", "", "Passw0rd-test!", {{"name", "Zhou Desk"}}));
    service_ = admin_.post("/api/v1/services", {{"name", "Car sharing"}}).json();
    EXPECT_EQ(admin_.post("/api/v1/entitlements", {{"service_id", id(service_)}, {"organization_id", id(org_a_)}}).status, 201);
    auto made = admin_.post("/api/v1/spaces", {{"name", "Charging Q&A"}, {"service_id", id(service_)}, {"language", "zh-CN"}});
    EXPECT_EQ(made.status, 201) << made.body;
    space_ = made.json();
  }
  Json topic(HttpClient& c, const std::string& title, const std::string& body = "第一次用车，不知道充电卡怎么用。",
             const std::string& kind = "question") {
    auto r = c.post("/api/v1/topics", {{"space_id", id(space_)}, {"title", title}, {"body", body}, {"kind", kind}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  Json reply(HttpClient& c, const Json& t, const std::string& body) {
    auto r = c.post("/api/v1/topics/" + id(t) + "/replies", {{"body", body}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  std::int64_t points(const std::string& user) {
    auto r = admin_.get("/api/v1/users/" + user + "/reputation");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["points"].get<std::int64_t>();
  }
  // Lowers the level thresholds so that a few votes make a level.
  void thresholds(std::vector<int> levels) {
    auto etag = admin_.get("/api/v1/community/reputation-rules").header("etag");
    auto r = admin_.put("/api/v1/community/reputation-rules", {{"level_thresholds", levels}}, {{"If-Match", etag}});
    ASSERT_EQ(r.status, 200) << r.body;
  }
  std::string text(const HttpResponse& r) { return r.body; }
  Json org_a_, org_b_, service_, space_;
  std::string a1_, a2_, a3_, b1_, agent_;
};

TEST_P(CommunityTest, ASpaceIsReadByItsAudienceInEveryRoute) {
  EXPECT_EQ(space_["audience"]["organization_ids"], Json::array({id(org_a_)})) << "the service's entitled organisations by default";
  auto a1 = login("li.lei@a.test");
  auto b1 = login("bob@b.test");
  auto t = topic(a1, "如何给电动车充电？ CHARGETOPIC");
  auto r = reply(a1, t, "自问自答 SELFREPLY");
  auto path = "/api/v1/topics/" + id(t);
  auto anonymous = server_.client();
  expect_answers({
      {"space", [&](HttpClient& c) { return c.get("/api/v1/spaces/" + id(space_)); }, {{&anonymous, 401}, {&b1, 404}, {&a1, 200}}},
      {"topics", [&](HttpClient& c) { return c.get("/api/v1/spaces/" + id(space_) + "/topics"); }, {{&b1, 404}, {&a1, 200}}},
      {"topic", [&](HttpClient& c) { return c.get(path); }, {{&anonymous, 401}, {&b1, 404}, {&a1, 200}}},
      {"replies", [&](HttpClient& c) { return c.get(path + "/replies"); }, {{&b1, 404}}},
      {"reply", [&](HttpClient& c) { return c.post(path + "/replies", {{"body", "x"}}); }, {{&anonymous, 401}, {&b1, 404}}},
      {"vote", [&](HttpClient& c) { return c.post("/api/v1/posts/" + id(r) + "/votes", {{"value", 1}}); }, {{&b1, 404}}},
      {"flag", [&](HttpClient& c) { return c.post("/api/v1/posts/" + id(r) + "/flags", {{"reason", "spam"}}); }, {{&b1, 404}}},
      {"accept", [&](HttpClient& c) { return c.post(path + "/accepted-answer", {{"post_id", id(r)}}); }, {{&b1, 404}}},
      {"ticket", [&](HttpClient& c) { return c.post(path + "/ticket", Json::object()); }, {{&b1, 404}, {&a1, 403}}},
      {"promote", [&](HttpClient& c) { return c.post("/api/v1/posts/" + id(r) + "/promote", Json::object()); }, {{&b1, 403}, {&a1, 403}}},
      {"moderate", [&](HttpClient& c) { return c.post("/api/v1/moderation", {{"action", "hide"}, {"target_id", id(r)}, {"reason", "x"}}); },
       {{&b1, 404}, {&a1, 403}}},
      {"subscribe", [&](HttpClient& c) { return c.put(path + "/subscription", Json::object()); }, {{&b1, 404}}},
      {"leaderboard", [&](HttpClient& c) { return c.get("/api/v1/leaderboard?space_id=" + id(space_)); }, {{&b1, 404}, {&a1, 200}}},
      {"profile", [&](HttpClient& c) { return c.get("/api/v1/users/" + a1_); }, {{&b1, 404}}},
      {"reputation", [&](HttpClient& c) { return c.get("/api/v1/users/" + a1_ + "/reputation"); }, {{&b1, 404}}},
      {"log", [&](HttpClient& c) { return c.get("/api/v1/moderation-log"); }, {{&a1, 403}, {&b1, 403}}},
      {"new space", [&](HttpClient& c) { return c.post("/api/v1/spaces", {{"name", "x"}, {"language", "en"}}); }, {{&a1, 403}}},
  });
  EXPECT_EQ(b1.post("/api/v1/topics", {{"space_id", id(space_)}, {"title", "t"}, {"body", "b"}}).status, 422);
  // Nothing of it in the other organisation's search or lists.
  EXPECT_EQ(b1.get("/api/v1/search?q=CHARGETOPIC").body.find(id(t)), std::string::npos);
  EXPECT_EQ(b1.get("/api/v1/spaces").body.find(id(space_)), std::string::npos);
  EXPECT_NE(a1.get("/api/v1/search?kind=topic&q=" + std::string("%E5%85%85%E7%94%B5")).body.find(id(t)), std::string::npos)
      << "充电 finds the topic";
  // A space for everyone: no service, no audience.
  auto open = admin_.post("/api/v1/spaces", {{"name", "Open"}, {"language", "en"}}).json();
  EXPECT_EQ(b1.get("/api/v1/spaces/" + id(open)).status, 200);
}

TEST_P(CommunityTest, ASpacesNewAudienceReachesItsTopicsAtOnce) {
  auto a1 = login("li.lei@a.test");
  auto b1 = login("bob@b.test");
  auto t = topic(a1, "开放话题 OPENTOPIC");
  auto path = "/api/v1/spaces/" + id(space_);
  EXPECT_EQ(b1.get("/api/v1/search?q=OPENTOPIC").body.find(id(t)), std::string::npos);
  auto etag = admin_.get(path).header("etag");
  EXPECT_EQ(a1.patch(path, {{"name", "x"}}, etag).status, 403);
  EXPECT_EQ(problems(admin_.patch(path, {{"language", "fr"}, {"audience", {{"roles", {"wizard"}}}}}, etag)).size(), 2u);
  auto opened = admin_.patch(path, {{"name", "充电问答（所有人）"}, {"audience", Json::object()}}, etag);
  ASSERT_EQ(opened.status, 200) << opened.body;
  EXPECT_EQ(opened.json()["name"], "充电问答（所有人）");
  EXPECT_EQ(admin_.patch(path, {{"name", "stale"}}, etag).status, 412);
  EXPECT_EQ(b1.get("/api/v1/topics/" + id(t)).status, 200);
  EXPECT_NE(b1.get("/api/v1/search?q=OPENTOPIC").body.find(id(t)), std::string::npos) << "the index follows the audience";
  auto closed = admin_.patch(path, {{"audience", {{"organization_ids", {id(org_a_)}}}}}, opened.header("etag"));
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(b1.get("/api/v1/topics/" + id(t)).status, 404);
  EXPECT_EQ(b1.get("/api/v1/search?q=OPENTOPIC").body.find(id(t)), std::string::npos);
}

TEST_P(CommunityTest, VotesMakeReputationOncePerMemberNeverOnOnesOwnPost) {
  auto a1 = login("li.lei@a.test");
  auto a2 = login("han.meimei@a.test");
  auto a3 = login("wang.fang@a.test");
  auto t = topic(a1, "如何给电动车充电？");
  auto answer = reply(a2, t, "把充电卡贴在感应区。");
  auto vote = [&](HttpClient& c, int value) { return c.post("/api/v1/posts/" + id(answer) + "/votes", {{"value", value}}); };
  auto own = vote(a2, 1);
  EXPECT_EQ(own.status, 403);
  EXPECT_EQ(own.json()["error"]["code"], "own_post");
  EXPECT_EQ(points(a2_), 0);
  ASSERT_EQ(vote(a1, 1).status, 200);
  EXPECT_EQ(points(a2_), 10);
  EXPECT_EQ(vote(a1, 1).json()["score"], 1) << "a second vote replaces the first";
  EXPECT_EQ(points(a2_), 10);
  auto down = vote(a1, -1);
  EXPECT_EQ(down.json()["score"], -1);
  EXPECT_EQ(down.json()["my_vote"], -1);
  EXPECT_EQ(points(a2_), -2) << "the up-vote's points are taken back, the down-vote costs two";
  EXPECT_EQ(vote(a1, 0).json()["score"], 0);
  EXPECT_EQ(points(a2_), 0);
  server_.clock().advance(std::chrono::seconds(1));  // the newest first in the history
  ASSERT_EQ(vote(a3, 1).status, 200);
  EXPECT_EQ(points(a2_), 10);
  EXPECT_EQ(problems(vote(a1, 2)).count("value"), 1u);
  auto history = admin_.get("/api/v1/users/" + a2_ + "/reputation").json()["history"];
  ASSERT_GE(history.size(), 4u);
  EXPECT_EQ(history[0]["reason"], "upvote");

  // Accepting an answer: 15 to its author; a change of mind takes them back.
  auto second = reply(a3, t, "先插枪再刷卡。");
  ASSERT_EQ(a1.post("/api/v1/topics/" + id(t) + "/accepted-answer", {{"post_id", id(answer)}}).status, 200);
  EXPECT_EQ(points(a2_), 25);
  EXPECT_EQ(a2.post("/api/v1/topics/" + id(t) + "/accepted-answer", {{"post_id", id(second)}}).status, 403) << "only the asker";
  auto changed = a1.post("/api/v1/topics/" + id(t) + "/accepted-answer", {{"post_id", id(second)}});
  EXPECT_EQ(changed.json()["accepted_post_id"], id(second));
  EXPECT_EQ(points(a2_), 10);
  EXPECT_EQ(points(a3_), 15);
  EXPECT_EQ(problems(a1.post("/api/v1/topics/" + id(t) + "/accepted-answer", {{"post_id", t["first_post_id"]}})).count("post_id"), 1u);
  auto discussion = topic(a1, "Chat", "Anyone?", "discussion");
  auto d_reply = reply(a2, discussion, "Hi");
  EXPECT_EQ(a1.post("/api/v1/topics/" + id(discussion) + "/accepted-answer", {{"post_id", id(d_reply)}}).status, 409);
}

TEST_P(CommunityTest, TwoAccountsOfOnePersonEarnNothingFromEachOther) {
  create_user("li.lei+alt@a.test", "user", id(org_a_));
  auto alt = login("li.lei+alt@a.test");
  auto a1 = login("li.lei@a.test");
  auto a2 = login("han.meimei@a.test");
  auto t = topic(a2, "问题");
  auto mine = reply(a1, t, "我的回答");
  auto r = alt.post("/api/v1/posts/" + id(mine) + "/votes", {{"value", 1}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["score"], 1) << "the vote counts on the post";
  EXPECT_EQ(points(a1_), 0) << "but earns nothing";
}

TEST_P(CommunityTest, GainsStopAtTheDailyCap) {
  auto etag = admin_.get("/api/v1/community/reputation-rules").header("etag");
  ASSERT_EQ(admin_.put("/api/v1/community/reputation-rules", {{"daily_cap", 25}}, {{"If-Match", etag}}).status, 200);
  auto a1 = login("li.lei@a.test");
  auto a2 = login("han.meimei@a.test");
  auto a3 = login("wang.fang@a.test");
  auto agent = login("desk@p.test");
  auto t = topic(a2, "问题");
  auto answer = reply(a1, t, "回答");
  for (auto* c : {&a2, &a3, &agent}) {
    server_.clock().advance(std::chrono::seconds(1));  // the history's order is the votes'
    ASSERT_EQ(c->post("/api/v1/posts/" + id(answer) + "/votes", {{"value", 1}}).status, 200);
  }
  auto history = admin_.get("/api/v1/users/" + a1_ + "/reputation").json()["history"];
  EXPECT_EQ(points(a1_), 25) << "10 + 10 + 5 of the third: the cap " << history;
  EXPECT_EQ(history[0]["points"], 5);
  EXPECT_EQ(history[0]["earned"], 10);
  server_.clock().advance(std::chrono::hours(24));
  a1 = login("li.lei@a.test");
  a2 = login("han.meimei@a.test");
  admin_ = server_.admin();
  auto more = reply(a1, t, "再补充");
  ASSERT_EQ(a2.post("/api/v1/posts/" + id(more) + "/votes", {{"value", 1}}).status, 200);
  EXPECT_EQ(points(a1_), 35) << "a new day";
  auto bad = problems(admin_.put("/api/v1/community/reputation-rules", {{"upvote", -3}, {"karma", 1}},
                                 {{"If-Match", admin_.get("/api/v1/community/reputation-rules").header("etag")}}));
  EXPECT_EQ(bad.count("upvote"), 1u);
  EXPECT_EQ(bad.count("karma"), 1u);
  EXPECT_EQ(a1.get("/api/v1/community/reputation-rules").status, 403);
  agent = login("desk@p.test");  // a day passed: a new session
  EXPECT_EQ(agent.put("/api/v1/community/reputation-rules", {{"daily_cap", 1000}},
                      {{"If-Match", admin_.get("/api/v1/community/reputation-rules").header("etag")}})
                .status,
            403)
      << "agents make spaces; only administrators change the rules";
  EXPECT_EQ(server_.client().get("/api/v1/community/reputation-rules").status, 401);
}

TEST_P(CommunityTest, LevelsGrantAndLoseTheRightToHideOthersPosts) {
  thresholds({5, 10, 100});  // level 2 at 5, level 3 at 10
  auto a1 = login("li.lei@a.test");
  auto a2 = login("han.meimei@a.test");
  auto a3 = login("wang.fang@a.test");
  auto t = topic(a2, "问题");
  auto spam = reply(a3, t, "便宜充电卡 SPAMPOST");
  auto hide = [&](HttpClient& c) { return c.post("/api/v1/moderation", {{"action", "hide"}, {"target_id", id(spam)}, {"reason", "广告"}}); };
  auto refused = hide(a1);
  EXPECT_EQ(refused.status, 403) << "level 1";
  // An up-vote makes a1 level 3 (10 points): the right comes.
  auto answer = reply(a1, t, "回答");
  ASSERT_EQ(a2.post("/api/v1/posts/" + id(answer) + "/votes", {{"value", 1}}).status, 200);
  EXPECT_EQ(admin_.get("/api/v1/users/" + a1_ + "/reputation").json()["level"], 3);
  auto hidden = hide(a1);
  ASSERT_EQ(hidden.status, 201) << hidden.body;
  EXPECT_EQ(a2.get("/api/v1/topics/" + id(t)).body.find("SPAMPOST"), std::string::npos);
  // A down-vote takes a1 below level 3: the right goes.
  auto more = reply(a3, t, "又一条 MORESPAM");
  ASSERT_EQ(a2.post("/api/v1/posts/" + id(answer) + "/votes", {{"value", -1}}).status, 200);
  EXPECT_EQ(a1.post("/api/v1/moderation", {{"action", "hide"}, {"target_id", id(more)}, {"reason", "广告"}}).status, 403);
  EXPECT_EQ(a1.post("/api/v1/moderation", {{"action", "unhide"}, {"target_id", id(spam)}, {"reason", "误判"}}).status, 404)
      << "nor do they see the hidden post any more";
}

TEST_P(CommunityTest, EnoughTrustedFlagsHideAPostUntilReviewed) {
  thresholds({5, 1000, 2000});  // level 2 (trusted flags) at 5
  auto etag = admin_.get("/api/v1/community/reputation-rules").header("etag");
  ASSERT_EQ(admin_.put("/api/v1/community/reputation-rules", {{"level_thresholds", {5, 1000, 2000}}, {"flags_to_hide", 2}}, {{"If-Match", etag}}).status,
            200);
  auto a1 = login("li.lei@a.test");
  auto a2 = login("han.meimei@a.test");
  auto a3 = login("wang.fang@a.test");
  auto t = topic(a3, "问题");
  auto spam = reply(a3, t, "spam FLAGGED");
  auto p1 = reply(a1, t, "x");
  auto p2 = reply(a2, t, "y");
  // Each earns 10 from the other: both level 2, trusted.
  ASSERT_EQ(a2.post("/api/v1/posts/" + id(p1) + "/votes", {{"value", 1}}).status, 200);
  ASSERT_EQ(a1.post("/api/v1/posts/" + id(p2) + "/votes", {{"value", 1}}).status, 200);
  EXPECT_EQ(problems(a1.post("/api/v1/posts/" + id(spam) + "/flags", {{"reason", " "}})).count("reason"), 1u);
  ASSERT_EQ(a1.post("/api/v1/posts/" + id(spam) + "/flags", {{"reason", "spam"}}).status, 201);
  EXPECT_EQ(a1.post("/api/v1/posts/" + id(spam) + "/flags", {{"reason", "spam"}}).status, 409);
  EXPECT_NE(a1.get("/api/v1/topics/" + id(t)).body.find("FLAGGED"), std::string::npos) << "one flag is not enough";
  ASSERT_EQ(a2.post("/api/v1/posts/" + id(spam) + "/flags", {{"reason", "spam"}}).status, 201);
  EXPECT_EQ(a1.get("/api/v1/topics/" + id(t)).body.find("FLAGGED"), std::string::npos) << "hidden";
  EXPECT_NE(admin_.get("/api/v1/topics/" + id(t)).body.find("FLAGGED"), std::string::npos) << "moderators still see it";
  auto log = admin_.get("/api/v1/moderation-log").json()["items"];
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log[0]["action"], "hide");
  EXPECT_EQ(log[0]["actor_id"], "system");
  // Reviewed: shown again.
  ASSERT_EQ(admin_.post("/api/v1/moderation", {{"action", "unhide"}, {"target_id", id(spam)}, {"reason", "reviewed"}}).status, 201);
  EXPECT_NE(a1.get("/api/v1/topics/" + id(t)).body.find("FLAGGED"), std::string::npos);
}

TEST_P(CommunityTest, ModerationActsAndEveryActionIsLogged) {
  auto a1 = login("li.lei@a.test");
  auto a2 = login("han.meimei@a.test");
  auto agent = login("desk@p.test");
  auto t = topic(a1, "问题 LOCKME");
  auto other = topic(a2, "同一个问题 MERGEME");
  auto r = reply(a2, other, "在这里回答 MOVEDREPLY");
  // A second apart, so that the log's order is theirs.
  auto mod = [&](const Json& body) {
    server_.clock().advance(std::chrono::seconds(1));
    return agent.post("/api/v1/moderation", body);
  };
  EXPECT_EQ(problems(mod({{"action", "burn"}, {"target_id", id(t)}, {"reason", ""}})).count("action"), 1u);
  EXPECT_EQ(problems(mod({{"action", "move"}, {"target_id", id(t)}, {"reason", "x"}})).count("space_id"), 1u);

  ASSERT_EQ(mod({{"action", "lock"}, {"target_id", id(t)}, {"reason", "已解决"}}).status, 201);
  auto locked = a2.post("/api/v1/topics/" + id(t) + "/replies", {{"body", "late"}});
  EXPECT_EQ(locked.status, 409);
  EXPECT_EQ(locked.json()["error"]["code"], "topic_locked");
  ASSERT_EQ(mod({{"action", "unlock"}, {"target_id", id(t)}, {"reason", "reopened"}}).status, 201);
  EXPECT_EQ(a2.post("/api/v1/topics/" + id(t) + "/replies", {{"body", "now"}}).status, 201);

  auto merged = mod({{"action", "merge"}, {"target_id", id(other)}, {"into_id", id(t)}, {"reason", "duplicate"}});
  ASSERT_EQ(merged.status, 201) << merged.body;
  EXPECT_EQ(a1.get("/api/v1/topics/" + id(other)).status, 404);
  EXPECT_NE(a1.get("/api/v1/topics/" + id(t) + "/replies").body.find("MOVEDREPLY"), std::string::npos);
  EXPECT_EQ(a1.get("/api/v1/topics/" + id(t)).json()["replies"], 3) << "its reply, and the other topic's opening post and reply";

  auto elsewhere = admin_.post("/api/v1/spaces", {{"name", "Elsewhere"}, {"language", "zh-CN"}, {"audience", {{"organization_ids", {id(org_a_)}}}}}).json();
  ASSERT_EQ(mod({{"action", "move"}, {"target_id", id(t)}, {"space_id", id(elsewhere)}, {"reason", "wrong space"}}).status, 201);
  EXPECT_EQ(a1.get("/api/v1/topics/" + id(t)).json()["space_id"], id(elsewhere));
  ASSERT_EQ(mod({{"action", "delete"}, {"target_id", id(r)}, {"reason", "abuse DELREASON"}}).status, 201);
  EXPECT_EQ(a1.get("/api/v1/topics/" + id(t) + "/replies").body.find("MOVEDREPLY"), std::string::npos);
  ASSERT_EQ(mod({{"action", "delete"}, {"target_id", id(t)}, {"reason", "gone"}}).status, 201);
  EXPECT_EQ(a1.get("/api/v1/topics/" + id(t)).status, 404);

  auto log = admin_.get("/api/v1/moderation-log?limit=500").json()["items"];
  std::vector<std::string> actions;
  for (const auto& e : log) actions.push_back(e["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"delete", "delete", "move", "merge", "unlock", "lock"}));
  EXPECT_EQ(log[1]["reason"], "abuse DELREASON");
  EXPECT_EQ(log[1]["before"], Json({{"deleted", false}}));
  EXPECT_EQ(log[1]["after"], Json({{"deleted", true}}));
  EXPECT_EQ(log[1]["actor_id"], agent_);
  EXPECT_EQ(log[2]["before"], Json({{"space_id", id(space_)}}));
}

TEST_P(CommunityTest, SuperUsersModerateTheirSpaceAndWearABadge) {
  auto a1 = login("li.lei@a.test");
  auto a2 = login("han.meimei@a.test");
  auto path = "/api/v1/spaces/" + id(space_) + "/super-users";
  auto bad = problems(admin_.post(path, {{"user_id", b1_}, {"backup_user_id", b1_}}));
  EXPECT_EQ(bad.count("user_id"), 1u) << "cannot read the space";
  EXPECT_EQ(bad.count("backup_user_id"), 1u);
  auto made = admin_.post(path, {{"user_id", a1_}, {"backup_user_id", a2_}});
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.json()["super_users"], Json::array({{{"user_id", a1_}, {"backup_user_id", a2_}}}));
  EXPECT_EQ(a1.post(path, {{"user_id", a1_}, {"backup_user_id", a2_}}).status, 403);
  auto profile = a2.get("/api/v1/users/" + a1_);
  ASSERT_EQ(profile.status, 200) << profile.body;
  EXPECT_EQ(profile.json()["badges"], Json::array({"super_user"}));
  auto t = topic(a2, "问题");
  auto r = reply(a2, t, "spam");
  EXPECT_EQ(a1.post("/api/v1/moderation", {{"action", "lock"}, {"target_id", id(t)}, {"reason", "done"}}).status, 201);
  EXPECT_EQ(a1.post("/api/v1/moderation", {{"action", "delete"}, {"target_id", id(r)}, {"reason", "spam"}}).status, 201);
  auto log = a1.get("/api/v1/moderation-log");
  ASSERT_EQ(log.status, 200) << "a super user reads their spaces' log";
  EXPECT_EQ(log.json()["items"].size(), 2u);
  // The topic becomes a ticket by a super user's hand too.
  EXPECT_EQ(a1.post("/api/v1/topics/" + id(t) + "/ticket", Json::object()).status, 201);
}

TEST_P(CommunityTest, ATopicBecomesATicketAndAnAnswerAnArticleEachLinked) {
  auto a1 = login("li.lei@a.test");
  auto a2 = login("han.meimei@a.test");
  auto agent = login("desk@p.test");
  auto t = topic(a1, "如何给电动车充电？ CHARGETOPIC");
  auto answer = reply(a2, t, "Tap the card, then plug in. CARDANSWER");
  auto made = agent.post("/api/v1/topics/" + id(t) + "/ticket", Json::object());
  ASSERT_EQ(made.status, 201) << made.body;
  auto ticket = made.json();
  EXPECT_EQ(ticket["requester_id"], a1_) << "the asker's ticket";
  EXPECT_NE(ticket["description"].get<std::string>().find(id(t)), std::string::npos);
  EXPECT_EQ(agent.get("/api/v1/topics/" + id(t)).json()["ticket_id"], id(ticket));
  EXPECT_EQ(a1.get("/api/v1/tickets/" + id(ticket)).status, 200) << "the asker follows it";
  auto again = agent.post("/api/v1/topics/" + id(t) + "/ticket", Json::object());
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.json()["error"]["code"], "already_a_ticket");

  auto promoted = agent.post("/api/v1/posts/" + id(answer) + "/promote", Json::object());
  ASSERT_EQ(promoted.status, 201) << promoted.body;
  auto article = admin_.get("/api/v1/articles/" + id(promoted.json())).json();
  EXPECT_EQ(article["state"], "draft");
  EXPECT_EQ(article["author_id"], a2_);
  EXPECT_EQ(article["source_post_id"], id(answer));
  EXPECT_EQ(article["title"], "如何给电动车充电？ CHARGETOPIC");
  EXPECT_EQ(article["audience"]["organization_ids"], Json::array({id(org_a_)})) << "the space's audience";
  EXPECT_EQ(a1.get("/api/v1/articles/" + id(article)).status, 404) << "a draft";
  // Published and found helpful: its author gains.
  ASSERT_EQ(admin_.post("/api/v1/articles/" + id(article) + "/publish", Json::object()).status, 200);
  auto before = points(a2_);
  ASSERT_EQ(a1.post("/api/v1/articles/" + id(article) + "/feedback", {{"helpful", true}}).status, 201);
  ASSERT_EQ(a1.post("/api/v1/articles/" + id(article) + "/feedback", {{"helpful", true}}).status, 201);
  EXPECT_EQ(points(a2_), before + 5) << "once per reader";
}

TEST_P(CommunityTest, AcceptedAnswersAreSuggestedAndHiddenPostsAreNotFound) {
  auto a1 = login("li.lei@a.test");
  auto a2 = login("han.meimei@a.test");
  auto t = topic(a1, "充电卡怎么用");
  auto answer = reply(a2, t, "把充电卡贴在感应区 ANSWERWORD");
  auto suggested = [&] { return a1.get("/api/v1/suggestions?q=ANSWERWORD").body; };
  EXPECT_EQ(suggested().find(id(answer)), std::string::npos) << "not accepted yet";
  ASSERT_EQ(a1.post("/api/v1/topics/" + id(t) + "/accepted-answer", {{"post_id", id(answer)}}).status, 200);
  auto s = a1.get("/api/v1/suggestions?q=ANSWERWORD").json()["items"];
  ASSERT_EQ(s.size(), 1u) << s;
  EXPECT_EQ(s[0]["kind"], "answer");
  EXPECT_EQ(s[0]["id"], id(answer));
  EXPECT_EQ(s[0]["topic_id"], id(t));
  // The answer did it: a deflection, for those who may read it only.
  EXPECT_EQ(a1.post("/api/v1/deflections", {{"kind", "answer"}, {"id", id(answer)}, {"query", "ANSWERWORD"}}).status, 201);
  auto b1 = login("bob@b.test");
  EXPECT_EQ(b1.post("/api/v1/deflections", {{"kind", "answer"}, {"id", id(answer)}}).status, 404);
  ASSERT_EQ(admin_.post("/api/v1/moderation", {{"action", "hide"}, {"target_id", id(answer)}, {"reason", "x"}}).status, 201);
  EXPECT_EQ(suggested().find(id(answer)), std::string::npos);
  EXPECT_EQ(a1.get("/api/v1/search?q=ANSWERWORD").body.find(id(answer)), std::string::npos);
}

TEST_P(CommunityTest, ProfilesShowNameLevelAndBadgesNeverEmail) {
  auto a1 = login("li.lei@a.test");
  auto a2 = login("han.meimei@a.test");
  auto b1 = login("bob@b.test");
  EXPECT_EQ(a2.get("/api/v1/users/" + a1_).status, 404) << "not seen anywhere yet";
  topic(a1, "问题");
  auto profile = a2.get("/api/v1/users/" + a1_);
  ASSERT_EQ(profile.status, 200);
  EXPECT_TRUE(profile.json()["name"].is_string());
  EXPECT_EQ(profile.body.find("li.lei@a.test"), std::string::npos);
  EXPECT_EQ(profile.body.find(id(org_a_)), std::string::npos);
  EXPECT_EQ(profile.json()["level"], 1);
  EXPECT_EQ(b1.get("/api/v1/users/" + a1_).status, 404) << "another organisation's member who posted nowhere they can read";
  for (const auto& path : {"/api/v1/spaces/" + id(space_) + "/topics", "/api/v1/leaderboard?space_id=" + id(space_)})
    EXPECT_EQ(a2.get(path).body.find("li.lei@a.test"), std::string::npos) << path;
}

TEST_P(CommunityTest, LeaderboardsRankASpacesMembersByPeriod) {
  auto a1 = login("li.lei@a.test");
  auto a2 = login("han.meimei@a.test");
  auto a3 = login("wang.fang@a.test");
  auto t = topic(a3, "问题");
  auto old_answer = reply(a1, t, "一");
  ASSERT_EQ(a3.post("/api/v1/posts/" + id(old_answer) + "/votes", {{"value", 1}}).status, 200);
  ASSERT_EQ(a2.post("/api/v1/posts/" + id(old_answer) + "/votes", {{"value", 1}}).status, 200);
  server_.clock().advance(std::chrono::days(10));
  a2 = login("han.meimei@a.test");
  a3 = login("wang.fang@a.test");
  auto new_answer = reply(a2, t, "二");
  ASSERT_EQ(a3.post("/api/v1/posts/" + id(new_answer) + "/votes", {{"value", 1}}).status, 200);
  auto board = [&](const std::string& period) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    auto r = a3.get("/api/v1/leaderboard?space_id=" + id(space_) + "&period=" + period);
    EXPECT_EQ(r.status, 200) << r.body;
    auto body = r.json();
    for (const auto& row : body["items"]) out.emplace_back(row["member"]["id"], row["points"]);
    return out;
  };
  EXPECT_EQ(board("all"), (std::vector<std::pair<std::string, std::int64_t>>{{a1_, 20}, {a2_, 10}}));
  EXPECT_EQ(board("week"), (std::vector<std::pair<std::string, std::int64_t>>{{a2_, 10}}));
  EXPECT_EQ(a3.get("/api/v1/leaderboard?space_id=" + id(space_) + "&period=year").status, 422);
  EXPECT_EQ(a3.get("/api/v1/leaderboard").status, 422) << "a member names the space";
}

TEST_P(CommunityTest, FollowersHearOfNewRepliesAndTopics) {
  auto a1 = login("li.lei@a.test");
  auto a2 = login("han.meimei@a.test");
  auto a3 = login("wang.fang@a.test");
  ASSERT_EQ(a3.put("/api/v1/spaces/" + id(space_) + "/subscription", Json::object()).status, 200);
  auto t = topic(a1, "新话题 NEWTOPIC");
  reply(a2, t, "回复");
  auto of = [&](HttpClient& c) { return c.get("/api/v1/notifications").json()["items"]; };
  auto mine = of(a1);
  ASSERT_EQ(mine.size(), 1u) << "the author follows their topic";
  EXPECT_EQ(mine[0]["topic_id"], id(t));
  EXPECT_EQ(mine[0]["kind"], "community_reply");
  auto theirs = of(a3);
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_EQ(theirs[0]["kind"], "community_topic");
  EXPECT_EQ(a1.del("/api/v1/topics/" + id(t) + "/subscription").status, 204);
  reply(a2, t, "再回复");
  EXPECT_EQ(of(a1).size(), 1u) << "no longer following";
}

TEST_P(CommunityTest, NewMembersPostAtAMeasuredPace) {
  auto etag = admin_.get("/api/v1/community/reputation-rules").header("etag");
  ASSERT_EQ(admin_.put("/api/v1/community/reputation-rules", {{"new_member_posts_per_hour", 2}}, {{"If-Match", etag}}).status, 200);
  auto a1 = login("li.lei@a.test");
  auto t = topic(a1, "一");
  reply(a1, t, "二");
  auto third = a1.post("/api/v1/topics/" + id(t) + "/replies", {{"body", "三"}});
  EXPECT_EQ(third.status, 429);
  EXPECT_FALSE(third.header("retry-after").empty());
  server_.clock().advance(std::chrono::minutes(61));
  a1 = login("li.lei@a.test");
  EXPECT_EQ(a1.post("/api/v1/topics/" + id(t) + "/replies", {{"body", "三"}}).status, 201);
}

TEST_P(CommunityTest, BadInputIsRefusedWhole) {
  auto a1 = login("li.lei@a.test");
  auto bad = problems(a1.post("/api/v1/topics", {{"space_id", id(space_)}, {"title", " "}, {"body", ""}, {"kind", "poem"}}));
  EXPECT_EQ(bad.count("kind"), 1u);
  bad = problems(a1.post("/api/v1/topics", {{"space_id", id(space_)}, {"title", " "}, {"body", ""}}));
  EXPECT_EQ(bad.count("title"), 1u);
  EXPECT_EQ(bad.count("body"), 1u);
  auto space = problems(admin_.post("/api/v1/spaces", {{"name", ""}, {"language", "fr"}, {"service_id", "svc_nope"}, {"audience", {{"roles", {"wizard"}}}}}));
  for (auto field : {"name", "language", "service_id", "audience.roles"}) EXPECT_EQ(space.count(field), 1u) << field;
}

TEST_P(CommunityTest, AuthorsEditTheirPostsOthersNeedLevelFourAndAreLogged) {
  thresholds({5, 10, 20});  // level 4 at 20
  auto a1 = login("li.lei@a.test");
  auto a2 = login("han.meimei@a.test");
  auto a3 = login("wang.fang@a.test");
  auto agent = login("desk@p.test");
  auto t = topic(a1, "问题 EDITME");
  auto r = reply(a2, t, "first words");
  auto path = "/api/v1/posts/" + id(r);
  auto etag = [](const Json& post) { return "\"v" + std::to_string(post["version"].get<std::int64_t>()) + "\""; };
  EXPECT_EQ(a2.patch(path, {{"body", "second words"}}, "").status, 428);
  auto edited = a2.patch(path, {{"body", "second words SECONDWORDS"}}, etag(r));
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_FALSE(edited.json()["edited_at"].is_null());
  EXPECT_EQ(a2.patch(path, {{"body", "stale"}}, etag(r)).status, 412);
  EXPECT_NE(a1.get("/api/v1/search?q=SECONDWORDS").body.find(id(r)), std::string::npos) << "the index has the new words";
  EXPECT_EQ(problems(a2.patch(path, {{"title", "x"}}, etag(edited.json()))).count("title"), 1u) << "a reply has no title";
  auto refused = a3.patch(path, {{"body", "vandal"}}, etag(edited.json()));
  EXPECT_EQ(refused.status, 403) << "level 1";
  // 20 points make a3 level 4: they may edit others' posts, and it is logged.
  auto a3_post = reply(a3, t, "helpful");
  ASSERT_EQ(a1.post("/api/v1/posts/" + id(a3_post) + "/votes", {{"value", 1}}).status, 200);
  ASSERT_EQ(a2.post("/api/v1/posts/" + id(a3_post) + "/votes", {{"value", 1}}).status, 200);
  auto fixed = a3.patch(path, {{"body", "second words, spelling fixed"}}, etag(edited.json()));
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  auto log = admin_.get("/api/v1/moderation-log").json()["items"];
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log[0]["action"], "edit");
  EXPECT_EQ(log[0]["actor_id"], a3_);
  EXPECT_EQ(log[0]["before"]["body"], "second words SECONDWORDS");
  // The opening post carries the topic's title; a locked topic keeps its posts.
  auto opening = a1.get("/api/v1/topics/" + id(t)).json()["opening"];
  auto retitled = a1.patch("/api/v1/posts/" + id(opening), {{"title", "问题（已补充）"}}, etag(opening));
  ASSERT_EQ(retitled.status, 200) << retitled.body;
  EXPECT_EQ(a1.get("/api/v1/topics/" + id(t)).json()["title"], "问题（已补充）");
  ASSERT_EQ(agent.post("/api/v1/moderation", {{"action", "lock"}, {"target_id", id(t)}, {"reason", "done"}}).status, 201);
  EXPECT_EQ(a1.patch("/api/v1/posts/" + id(opening), {{"body", "late"}}, etag(retitled.json())).status, 409);
}

TEST_P(CommunityTest, AnErasedMembersDataLeavesTheCommunityAndItsSearch) {
  auto a1 = login("li.lei@a.test");
  auto a2 = login("han.meimei@a.test");
  auto t = topic(a1, "李雷的充电问题", "我是李雷，邮箱 li.lei@a.test，请联系我。");
  auto r = reply(a2, t, "李雷你好，先刷卡。");
  ASSERT_EQ(a1.post("/api/v1/topics/" + id(t) + "/accepted-answer", {{"post_id", id(r)}}).status, 200);
  auto found = [&](const std::string& q) { return a2.get("/api/v1/search?q=" + q).body; };
  ASSERT_NE(found("%E6%9D%8E%E9%9B%B7").find(id(t)), std::string::npos) << "李雷 finds the topic before";
  auto now = to_millis(server_.clock().now());
  auto erased = server_.db().write([&](storage::Connection& c) {
    return storage::erasure::erase_person(c, {a1_, id(org_a_), "Former user 7", {"李雷", "li.lei@a.test"}, {}, now});
  });
  ASSERT_TRUE(erased) << erased.error().message;
  auto topic_now = a2.get("/api/v1/topics/" + id(t));
  ASSERT_EQ(topic_now.status, 200);
  EXPECT_EQ(topic_now.json()["title"], "Former user 7的充电问题");
  for (auto needle : {"李雷", "li.lei@a.test"}) EXPECT_EQ(topic_now.body.find(needle), std::string::npos) << needle;
  EXPECT_EQ(topic_now.json()["author"]["name"], "Former user 7");
  for (auto q : {"%E6%9D%8E%E9%9B%B7", "li.lei"}) EXPECT_EQ(found(q).find("李雷"), std::string::npos) << q;
  EXPECT_EQ(found("%E6%9D%8E%E9%9B%B7").find(id(t)), std::string::npos) << "the index forgot the name";
  EXPECT_NE(found("Former").find(id(t)), std::string::npos) << "and knows the new one";
  EXPECT_EQ(a2.get("/api/v1/suggestions?q=%E6%9D%8E%E9%9B%B7").body.find("李雷"), std::string::npos);
}

TEST_P(CommunityTest, SwitchingAVoteOnAndOffSpendsNoneOfTheDailyCap) {
  auto etag = admin_.get("/api/v1/community/reputation-rules").header("etag");
  ASSERT_EQ(admin_.put("/api/v1/community/reputation-rules", {{"daily_cap", 20}}, {{"If-Match", etag}}).status, 200);
  auto a1 = login("li.lei@a.test");
  auto a2 = login("han.meimei@a.test");
  auto a3 = login("wang.fang@a.test");
  auto t = topic(a2, "问题");
  auto answer = reply(a1, t, "回答");
  for (int i = 0; i < 5; ++i)
    for (int value : {1, 0}) ASSERT_EQ(a2.post("/api/v1/posts/" + id(answer) + "/votes", {{"value", value}}).status, 200);
  EXPECT_EQ(points(a1_), 0);
  ASSERT_EQ(a2.post("/api/v1/posts/" + id(answer) + "/votes", {{"value", 1}}).status, 200);
  ASSERT_EQ(a3.post("/api/v1/posts/" + id(answer) + "/votes", {{"value", 1}}).status, 200);
  EXPECT_EQ(points(a1_), 20) << "two real up-votes still count in full";
}

TEST_P(CommunityTest, ADeletedAcceptedAnswerKeepsNoneOfItsPoints) {
  auto a1 = login("li.lei@a.test");
  auto a2 = login("han.meimei@a.test");
  auto t = topic(a1, "问题");
  auto answer = reply(a2, t, "回答");
  ASSERT_EQ(a1.post("/api/v1/topics/" + id(t) + "/accepted-answer", {{"post_id", id(answer)}}).status, 200);
  EXPECT_EQ(points(a2_), 15);
  ASSERT_EQ(admin_.post("/api/v1/moderation", {{"action", "delete"}, {"target_id", id(answer)}, {"reason", "wrong"}}).status, 201);
  EXPECT_EQ(points(a2_), 0);
  EXPECT_TRUE(admin_.get("/api/v1/topics/" + id(t)).json()["accepted_post_id"].is_null());
}

TEST_P(CommunityTest, ASharedSpaceKeepsEachOrganisationsBusinessItsOwn) {
  auto shared = admin_.post("/api/v1/spaces", {{"name", "Shared"}, {"language", "en"},
                                               {"audience", {{"organization_ids", {id(org_a_), id(org_b_)}}}}}).json();
  auto a1 = login("li.lei@a.test");
  auto b1 = login("bob@b.test");
  ASSERT_EQ(admin_.post("/api/v1/spaces/" + id(shared) + "/super-users", {{"user_id", a1_}, {"backup_user_id", a2_}}).status, 201);
  EXPECT_FALSE(a1.get("/api/v1/spaces/" + id(shared)).json().contains("audience")) << "who else reads it is the provider's business";
  auto theirs = b1.post("/api/v1/topics", {{"space_id", id(shared)}, {"title", "Bob's question"}, {"body", "b"}}).json();
  EXPECT_EQ(a1.post("/api/v1/topics/" + id(theirs) + "/ticket", Json::object()).status, 403)
      << "a super user raises tickets for their own organisation's members only";
  auto mine = a1.post("/api/v1/topics", {{"space_id", id(shared)}, {"title", "Li's question"}, {"body", "b"}}).json();
  auto a2 = login("han.meimei@a.test");
  auto made = a2.post("/api/v1/topics/" + id(mine) + "/ticket", Json::object());
  ASSERT_EQ(made.status, 201) << "the backup too: " << made.body;
  EXPECT_FALSE(made.json().contains("description")) << "the ticket is the asker's; its id is all the super user gets";
  EXPECT_TRUE(b1.get("/api/v1/topics/" + id(mine)).json()["ticket_id"].is_null()) << "nor does another member learn of it";
  // Points from a space one cannot read come without their source.
  auto in_a = topic(a1, "A only");
  auto answer = reply(a2, in_a, "answer");
  ASSERT_EQ(a1.post("/api/v1/posts/" + id(answer) + "/votes", {{"value", 1}}).status, 200);
  auto b_view = b1.post("/api/v1/topics", {{"space_id", id(shared)}, {"title", "x"}, {"body", "y"}});
  ASSERT_EQ(b_view.status, 201);
  auto a2_reply_in_shared = a2.post("/api/v1/topics/" + id(theirs) + "/replies", {{"body", "seen by b"}});
  ASSERT_EQ(a2_reply_in_shared.status, 201);
  auto history = b1.get("/api/v1/users/" + a2_ + "/reputation");
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_EQ(history.body.find(id(answer)), std::string::npos);
  EXPECT_EQ(history.body.find(id(space_)), std::string::npos);
}

TEST_P(CommunityTest, AServiceOfferedToNobodyHasASpaceForTheProviderOnly) {
  auto lone = admin_.post("/api/v1/services", {{"name", "Not yet offered"}}).json();
  auto space = admin_.post("/api/v1/spaces", {{"name", "Lone"}, {"service_id", id(lone)}, {"language", "en"}}).json();
  auto a1 = login("li.lei@a.test");
  EXPECT_EQ(a1.get("/api/v1/spaces/" + id(space)).status, 404);
  EXPECT_EQ(admin_.get("/api/v1/spaces/" + id(space)).status, 200);
  // Offered through one of its request types: that organisation reads it.
  auto type = admin_.post("/api/v1/request-types", {{"service_id", id(lone)}, {"name", "Ask"}}).json();
  ASSERT_EQ(admin_.post("/api/v1/entitlements", {{"request_type_id", id(type)}, {"organization_id", id(org_a_)}}).status, 201);
  auto later = admin_.post("/api/v1/spaces", {{"name", "Lone 2"}, {"service_id", id(lone)}, {"language", "en"}}).json();
  EXPECT_EQ(a1.get("/api/v1/spaces/" + id(later)).status, 200);
  EXPECT_EQ(login("bob@b.test").get("/api/v1/spaces/" + id(later)).status, 404);
}

TEST_P(CommunityTest, AnOrganisationsExportHoldsWhatItsMembersWrote) {
  auto a1 = login("li.lei@a.test");
  auto b1 = login("bob@b.test");
  auto t = topic(a1, "导出的话题 EXPORTTOPIC", "正文 EXPORTBODY");
  auto open = admin_.post("/api/v1/spaces", {{"name", "Open"}, {"language", "en"}}).json();
  auto theirs = b1.post("/api/v1/topics", {{"space_id", id(open)}, {"title", "B's BOBTOPIC"}, {"body", "b"}}).json();
  ASSERT_EQ(a1.post("/api/v1/topics/" + id(theirs) + "/replies", {{"body", "A's reply AREPLY"}}).status, 201);
  auto r = admin_.get("/api/v1/organizations/" + id(org_a_) + "/export");
  ASSERT_EQ(r.status, 200);
  auto files = unzip(r.body);
  ASSERT_TRUE(files.contains("community_topics.json"));
  EXPECT_NE(files["community_topics.json"].find("EXPORTTOPIC"), std::string::npos);
  EXPECT_NE(files["community_posts.json"].find("EXPORTBODY"), std::string::npos);
  EXPECT_NE(files["community_posts.json"].find("AREPLY"), std::string::npos);
  for (const auto& [name, text] : files) EXPECT_EQ(text.find("BOBTOPIC"), std::string::npos) << name << ": another organisation's topic";
  EXPECT_TRUE(files.contains("reputation.csv"));
}

INSTANTIATE_TEST_SUITE_P(Stores, CommunityTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
