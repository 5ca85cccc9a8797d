// FDB-3 on every store: ratings credited to the counterparty, points and prize draws. A member
// who picks up the club's car rates the state they found it in, and the points go to whoever
// returned it last — never to the rater; an agent earns points when a ticket they resolved is
// rated well (and loses them when the rating drops); staff award points with a reason; a draw
// commits to its seed, publishes it when drawn, and anyone repeats the draw from it.
#include "api/api_fixture.h"
#include "core/crypto.h"
#include "domain/feedback/draw.h"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;

class PointsTest : public ApiTest {
 protected:
  void SetUp() override {
    club_ = create_org("Car-share Club 共享汽车俱乐部");
    other_ = create_org("West College");
    amy_user_ = create_user("amy@club.test", "user", id(club_));
    bo_user_ = create_user("bo@club.test", "user", id(club_));
    cat_user_ = create_user("cat@club.test", "customer", id(club_));
    create_user("wu@west.test", "user", id(other_));
    create_user("rm@provider.test", "relationship_manager");
    agent_user_ = create_user("agent@provider.test", "agent");
    amy_ = login("amy@club.test");
    bo_ = login("bo@club.test");
    cat_ = login("cat@club.test");
    wu_ = login("wu@west.test");
    rm_ = login("rm@provider.test");
    agent_ = login("agent@provider.test");
    auto car = agent_.post("/api/v1/resources", {{"organization_id", id(club_)}, {"name", "Tesla 3"}, {"kind", "car"}, {"location", "Library"}});
    ASSERT_EQ(car.status, 201) << car.body;
    car_ = car.json();
  }

  std::string at(std::chrono::minutes from_now) { return to_rfc3339(server_.clock().now() + from_now); }

  // Books the car for the next hour, picks it up and, unless `keep`, returns it.
  Json drive(HttpClient& who, bool keep = false) {
    auto b = who.post("/api/v1/resources/" + id(car_) + "/bookings", {{"starts_at", at(0min)}, {"ends_at", at(60min)}});
    EXPECT_EQ(b.status, 201) << b.body;
    auto booking = b.json();
    EXPECT_EQ(who.post("/api/v1/bookings/" + id(booking) + "/pickup", Json::object()).status, 200);
    if (!keep) {
      server_.clock().advance(30min);
      EXPECT_EQ(who.post("/api/v1/bookings/" + id(booking) + "/return", Json::object()).status, 200);
      server_.clock().advance(40min);
    }
    return booking;
  }
  HttpResponse rate_state(HttpClient& who, const Json& booking, Json score, Json extra = Json::object()) {
    extra["score"] = score;
    return who.post("/api/v1/bookings/" + id(booking) + "/condition", extra);
  }
  std::int64_t points(HttpClient& who) {
    auto r = who.get("/api/v1/points");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["total"].get<std::int64_t>();
  }
  HttpResponse run(HttpClient& who, const Json& draw) {
    return who.request("POST", "/api/v1/draws/" + id(draw) + "/run", "{}",
                       {{"Content-Type", "application/json"}, {"If-Match", draw["etag"].get<std::string>()}});
  }

  Json club_, other_, car_, amy_user_, bo_user_, cat_user_, agent_user_;
  HttpClient amy_{0}, bo_{0}, cat_{0}, wu_{0}, rm_{0}, agent_{0};
};

TEST_P(PointsTest, TheStateFoundAtPickUpIsCreditedToThePreviousHolderNeverToTheRater) {
  drive(amy_);
  auto bos = drive(bo_, true);
  auto before = audit_count();
  for (Json bad : {Json(0), Json(6), Json("clean"), Json(nullptr)}) EXPECT_EQ(rate_state(bo_, bos, bad).status, 422) << bad.dump();
  EXPECT_EQ(rate_state(bo_, bos, 5, {{"comment", std::string(1001, 'x')}}).status, 422);
  EXPECT_EQ(rate_state(amy_, bos, 5).status, 404) << "not Amy's booking";
  EXPECT_EQ(rate_state(wu_, bos, 5).status, 404) << "another organisation's";
  EXPECT_EQ(audit_count(), before);

  auto rated = rate_state(bo_, bos, 5, {{"comment", "Spotless, full battery"}});
  ASSERT_EQ(rated.status, 201) << rated.body;
  EXPECT_EQ(rated.json()["credited"], true);
  EXPECT_FALSE(rated.json().contains("credited_user_id")) << "Bo is not told who had it";
  EXPECT_EQ(points(amy_), 5) << "Amy left it clean";
  EXPECT_EQ(points(bo_), 0) << "never the rater";

  // Bo changes his mind: the same rating moves Amy's points, it does not add to them.
  ASSERT_EQ(rate_state(bo_, bos, 1, {{"comment", "Crumbs on the back seat"}}).status, 200);
  EXPECT_EQ(points(amy_), -5);
  ASSERT_EQ(rate_state(bo_, bos, 3).status, 200);
  EXPECT_EQ(points(amy_), 0) << "a middling score gives nothing";

  auto seen = agent_.get("/api/v1/resources/" + id(car_) + "/conditions").json()["items"];
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0]["credited_user_id"], id(amy_user_));
  EXPECT_EQ(seen[0]["rater_id"], id(bo_user_));
  EXPECT_EQ(amy_.get("/api/v1/resources/" + id(car_) + "/conditions").status, 403);
  EXPECT_EQ(cat_.get("/api/v1/resources/" + id(car_) + "/conditions").status, 403) << "the club's customer keeps no resources";
}

TEST_P(PointsTest, NobodyIsCreditedWhenTheRaterHeldItLastOrNobodyDid) {
  auto first = drive(amy_, true);
  auto r = rate_state(amy_, first, 4);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["credited"], false) << "nobody held it before";
  server_.clock().advance(30min);
  ASSERT_EQ(amy_.post("/api/v1/bookings/" + id(first) + "/return", Json::object()).status, 200);
  server_.clock().advance(40min);
  auto again = drive(amy_, true);
  auto own = rate_state(amy_, again, 5);
  ASSERT_EQ(own.status, 201);
  EXPECT_EQ(own.json()["credited"], false) << "Amy held it last: she does not rate her own care into points";
  EXPECT_EQ(points(amy_), 0);

  server_.clock().advance(10min);
  ASSERT_EQ(amy_.post("/api/v1/bookings/" + id(again) + "/return", Json::object()).status, 200);
  EXPECT_EQ(rate_state(amy_, again, 1).status, 409) << "returned: the state found is no longer hers to tell";
  auto before_pickup = bo_.post("/api/v1/resources/" + id(car_) + "/bookings", {{"starts_at", at(120min)}, {"ends_at", at(180min)}});
  ASSERT_EQ(before_pickup.status, 201);
  EXPECT_EQ(rate_state(bo_, before_pickup.json(), 4).status, 409) << "rated once picked up";
}

TEST_P(PointsTest, AnAgentEarnsPointsForAGoodRatingOfTheirTicket) {
  auto t = amy_.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Charging card lost"}, {"description", "details"}}).json();
  auto now = agent_.get("/api/v1/tickets/" + id(t)).json();
  ASSERT_EQ(agent_.patch("/api/v1/tickets/" + id(t), {{"assignee_id", id(agent_user_)}}, now["etag"]).status, 200);
  ASSERT_EQ(agent_.post("/api/v1/tickets/" + id(t) + "/transitions", {{"to", "in_progress"}}).status, 200);
  ASSERT_EQ(agent_.post("/api/v1/tickets/" + id(t) + "/transitions", {{"to", "resolved"}, {"resolution", "New card posted"}}).status, 200);
  // An award the same day (above the daily cap of 200) neither eats nor is cut by the cap.
  ASSERT_EQ(rm_.post("/api/v1/points", {{"user_id", id(agent_user_)}, {"points", 300}, {"reason", "Night shift"}}).status, 201);
  ASSERT_EQ(amy_.post("/api/v1/ratings", {{"ticket_id", id(t)}, {"score", 5}}).status, 201);
  EXPECT_EQ(points(agent_), 305);
  EXPECT_EQ(points(amy_), 0);
  // The ticket moves to another agent: the rating stays the first agent's.
  create_user("second@provider.test", "agent");
  auto second = login("second@provider.test");
  auto moved = agent_.get("/api/v1/tickets/" + id(t)).json();
  auto second_id = second.get("/api/v1/me").json()["id"].get<std::string>();
  ASSERT_EQ(agent_.patch("/api/v1/tickets/" + id(t), {{"assignee_id", second_id}}, moved["etag"]).status, 200);
  ASSERT_EQ(amy_.post("/api/v1/ratings", {{"ticket_id", id(t)}, {"score", 5}, {"comment", "Still great"}}).status, 200);
  EXPECT_EQ(points(agent_), 305);
  EXPECT_EQ(points(second), 0);
  ASSERT_EQ(amy_.post("/api/v1/ratings", {{"ticket_id", id(t)}, {"score", 2}}).status, 200);
  EXPECT_EQ(points(agent_), 300) << "the good rating was taken back";
}

TEST_P(PointsTest, StaffAwardPointsWithAReasonAndWhoReadsWhosePoints) {
  auto before = audit_count();
  EXPECT_EQ(rm_.post("/api/v1/points", {{"user_id", id(amy_user_)}, {"points", 0}, {"reason", "x"}}).status, 422);
  EXPECT_EQ(rm_.post("/api/v1/points", {{"user_id", id(amy_user_)}, {"points", 10}}).status, 422) << "a reason is required";
  EXPECT_EQ(rm_.post("/api/v1/points", {{"user_id", id(amy_user_)}, {"points", 5000}, {"reason", "x"}}).status, 422);
  EXPECT_EQ(rm_.post("/api/v1/points", {{"user_id", "usr_nope"}, {"points", 10}, {"reason", "x"}}).status, 404);
  EXPECT_EQ(agent_.post("/api/v1/points", {{"user_id", id(amy_user_)}, {"points", 10}, {"reason", "x"}}).status, 403);
  EXPECT_EQ(cat_.post("/api/v1/points", {{"user_id", id(amy_user_)}, {"points", 10}, {"reason", "x"}}).status, 403);
  auto own = rm_.post("/api/v1/points", {{"user_id", rm_.get("/api/v1/me").json()["id"]}, {"points", 10}, {"reason", "me"}});
  EXPECT_EQ(own.status, 403) << "never to oneself";
  EXPECT_EQ(audit_count(), before);
  auto award = rm_.post("/api/v1/points", {{"user_id", id(amy_user_)}, {"points", 300}, {"reason", "Washed the club's cars"}});
  ASSERT_EQ(award.status, 201) << award.body;
  EXPECT_EQ(points(amy_), 300) << "an award is no rule's: the daily cap does not cut it";
  EXPECT_EQ(amy_.get("/api/v1/points").json()["history"][0]["reason"], "award");

  EXPECT_EQ(cat_.get("/api/v1/points?user_id=" + id(amy_user_)).json()["total"], 300) << "the club's customer reads its people's";
  EXPECT_EQ(bo_.get("/api/v1/points?user_id=" + id(amy_user_)).status, 404) << "a member reads only their own";
  EXPECT_EQ(wu_.get("/api/v1/points?user_id=" + id(amy_user_)).status, 404);
  EXPECT_EQ(agent_.get("/api/v1/points?user_id=" + id(amy_user_)).status, 200);

  auto board = cat_.get("/api/v1/leaderboard?organization_id=" + id(club_) + "&period=month");
  ASSERT_EQ(board.status, 200) << board.body;
  ASSERT_EQ(board.json()["items"].size(), 1u);
  EXPECT_EQ(board.json()["items"][0]["points"], 300);
  EXPECT_EQ(wu_.get("/api/v1/leaderboard?organization_id=" + id(club_)).status, 404) << "another organisation's board";
}

TEST_P(PointsTest, ADrawCommitsToItsSeedAndAnyoneRepeatsItOnceDrawn) {
  for (auto [who, n] : {std::pair{&amy_user_, 50}, {&bo_user_, 20}, {&cat_user_, 5}})
    ASSERT_EQ(rm_.post("/api/v1/points", {{"user_id", id(*who)}, {"points", n}, {"reason", "helped"}}).status, 201);
  ASSERT_EQ(rm_.post("/api/v1/points", {{"user_id", id(agent_user_)}, {"points", 80}, {"reason", "staff"}}).status, 201);
  Json body = {{"organization_id", id(club_)}, {"name", "November draw"}, {"prize", "A month of free driving"},
               {"winners", 2}, {"period_from", at(-60min)}, {"period_to", at(60min)}, {"min_points", 10}};
  auto before = audit_count();
  auto bad = body;
  bad["winners"] = 0;
  EXPECT_EQ(rm_.post("/api/v1/draws", bad).status, 422);
  bad = body;
  bad["period_to"] = at(-120min);
  EXPECT_EQ(rm_.post("/api/v1/draws", bad).status, 422);
  EXPECT_EQ(agent_.post("/api/v1/draws", body).status, 403);
  EXPECT_EQ(audit_count(), before);

  auto made = rm_.post("/api/v1/draws", body);
  ASSERT_EQ(made.status, 201) << made.body;
  auto draw = made.json();
  EXPECT_TRUE(draw["seed"].is_null()) << "the seed is secret until the draw";
  auto commitment = draw["seed_sha256"].get<std::string>();
  EXPECT_EQ(commitment.size(), 64u);
  EXPECT_EQ(run(rm_, draw).status, 409) << "the period is not over";
  EXPECT_EQ(amy_.get("/api/v1/draws/" + id(draw)).json()["seed"], nullptr);
  EXPECT_EQ(wu_.get("/api/v1/draws/" + id(draw)).status, 404) << "another organisation's draw";
  EXPECT_TRUE(wu_.get("/api/v1/draws").json()["items"].empty());

  server_.clock().advance(61min);
  rm_ = login("rm@provider.test");
  amy_ = login("amy@club.test");
  agent_ = login("agent@provider.test");
  cat_ = login("cat@club.test");
  EXPECT_EQ(run(agent_, draw).status, 403) << "staff without draw.manage";
  EXPECT_EQ(run(cat_, draw).status, 403) << "the club's customer does not draw";
  auto drawn = run(rm_, draw);
  ASSERT_EQ(drawn.status, 200) << drawn.body;
  auto d = drawn.json();
  EXPECT_EQ(run(rm_, d).status, 409) << "drawn once";
  auto seed = d["seed"].get<std::string>();
  EXPECT_EQ(sha256_hex(seed), commitment) << "the seed published is the one committed to";
  std::vector<feedback::Entrant> entrants;
  std::set<std::string> who;
  for (const auto& e : d["entrants"]) {
    entrants.push_back({e["user_id"].get<std::string>(), e["tickets"].get<std::int64_t>()});
    who.insert(e["user_id"].get<std::string>());
  }
  EXPECT_EQ(who, (std::set<std::string>{id(amy_user_), id(bo_user_)})) << "the club's people with 10 points or more; not Cat (5), not staff";
  std::vector<std::string> winners;
  for (const auto& w : d["winner_list"]) winners.push_back(w["user_id"].get<std::string>());
  EXPECT_EQ(winners, feedback::draw_winners(seed, entrants, 2)) << "anyone repeats the draw from the seed";
  EXPECT_EQ(amy_.get("/api/v1/draws/" + id(draw)).json()["seed"], seed) << "published to the club";
}

INSTANTIATE_TEST_SUITE_P(Stores, PointsTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
