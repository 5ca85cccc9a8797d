// REL-5 on every store: the car-share club's cars. Staff keep the club's resources; its members
// book them in turn (no two at once), pick up, say when they will be back, return; the next
// member hears — once per estimate — when the one before will be late, with where the car is
// and the club's cars free for their time. Other organisations never see the club's cars or
// bookings, and members see only that a car is taken, not by whom.
#include <thread>

#include "api/api_fixture.h"
#include "usecase/shared_resources.h"

namespace tandem::testing {
namespace {

constexpr auto kHour = std::chrono::hours(1);

class ResourcesTest : public ApiTest {
 protected:
  void SetUp() override {
    club_ = create_org("Car-share Club 共享汽车俱乐部");
    other_ = create_org("West College");
    create_user("amy@club.test", "user", id(club_));
    create_user("bo@club.test", "user", id(club_));
    create_user("wu@west.test", "user", id(other_));
    create_user("agent@provider.test", "agent");
    amy_ = login("amy@club.test");
    bo_ = login("bo@club.test");
    wu_ = login("wu@west.test");
    agent_ = login("agent@provider.test");
    car_ = make("Tesla 3 — 沪A·12345", "Library car park");
    spare_ = make("BYD Dolphin", "Sports hall");
  }

  Json make(const std::string& name, const std::string& location, const std::string& kind = "car") {
    auto r = agent_.post("/api/v1/resources", {{"organization_id", id(club_)}, {"name", name}, {"kind", kind}, {"location", location}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }

  std::string at(std::chrono::minutes from_now) { return to_rfc3339(server_.clock().now() + from_now); }

  HttpResponse book(HttpClient& who, const Json& resource, std::chrono::minutes start, std::chrono::minutes end) {
    return who.post("/api/v1/resources/" + id(resource) + "/bookings", {{"starts_at", at(start)}, {"ends_at", at(end)}});
  }

  Json notifications(HttpClient& who) { return who.get("/api/v1/notifications?limit=50").json()["items"]; }

  int alert() {
    auto told = usecase::alert_late_returns(server_.services());
    EXPECT_TRUE(told) << told.error().message;
    return told.value_or(-1);
  }

  Json club_, other_, car_, spare_;
  HttpClient amy_{0}, bo_{0}, wu_{0}, agent_{0};
};

TEST_P(ResourcesTest, MembersBookInTurnAndNeverTwiceAtOnce) {
  auto first = book(amy_, car_, std::chrono::minutes(60), std::chrono::minutes(180));
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json()["state"], "booked");
  auto clash = book(bo_, car_, std::chrono::minutes(120), std::chrono::minutes(240));
  EXPECT_EQ(clash.status, 409) << clash.body;
  EXPECT_EQ(book(bo_, car_, std::chrono::minutes(180), std::chrono::minutes(240)).status, 201) << "from when the first ends";

  // Bo sees that the car is taken, not by whom.
  auto seen = bo_.get("/api/v1/resources/" + id(car_) + "/bookings").json()["items"];
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_FALSE(seen[0]["own"].get<bool>());
  EXPECT_FALSE(seen[0].contains("user_id"));
  EXPECT_TRUE(seen[1]["own"].get<bool>());
  EXPECT_EQ(agent_.get("/api/v1/resources/" + id(car_) + "/bookings").json()["items"][0]["user_id"].is_string(), true);

  auto bad = amy_.post("/api/v1/resources/" + id(car_) + "/bookings", {{"starts_at", at(std::chrono::minutes(-120))}, {"ends_at", "soon"}});
  ASSERT_EQ(bad.status, 422);
  EXPECT_TRUE(problems(bad).contains("ends_at"));
  auto backwards = book(amy_, spare_, std::chrono::minutes(120), std::chrono::minutes(60));
  ASSERT_EQ(backwards.status, 422);
  EXPECT_TRUE(problems(backwards).contains("ends_at"));
  EXPECT_EQ(book(amy_, spare_, std::chrono::minutes(-600), std::chrono::minutes(-500)).status, 422) << "the past";
  EXPECT_EQ(amy_.get("/api/v1/bookings").json()["items"].size(), 1u);
}

TEST_P(ResourcesTest, TwoMembersBookingTheSameTimeAtOnceGetItOnce) {
  // Both ask at the same moment, many times over: the resource's row lock lets one in.
  for (int round = 0; round < 10; ++round) {
    auto start = std::chrono::minutes(60 + 120 * round), end = std::chrono::minutes(120 + 120 * round);
    int amy_status = 0, bo_status = 0;
    std::thread a([&] { amy_status = book(amy_, car_, start, end).status; });
    std::thread b([&] { bo_status = book(bo_, car_, start, end).status; });
    a.join();
    b.join();
    EXPECT_EQ(std::min(amy_status, bo_status), 201) << "round " << round;
    EXPECT_EQ(std::max(amy_status, bo_status), 409) << "round " << round;
  }
  EXPECT_EQ(agent_.get("/api/v1/resources/" + id(car_) + "/bookings?to=" + at(std::chrono::minutes(24 * 60))).json()["items"].size(), 10u);
}

TEST_P(ResourcesTest, TheNextMemberHearsOnceWhenTheCarWillBeLateWithWhereItIsAndWhatElseIsFree) {
  auto amys = book(amy_, car_, std::chrono::minutes(0), std::chrono::minutes(120)).json();
  auto bos = book(bo_, car_, std::chrono::minutes(130), std::chrono::minutes(240)).json();
  auto path = "/api/v1/bookings/" + id(amys);
  EXPECT_EQ(bo_.post(path + "/pickup", Json::object()).status, 404) << "not Bo's booking";
  auto picked = amy_.post(path + "/pickup", Json::object());
  ASSERT_EQ(picked.status, 200) << picked.body;
  EXPECT_EQ(picked.json()["state"], "picked_up");
  EXPECT_EQ(alert(), 0) << "on time so far, and Bo's booking is hours away";

  // Amy says she will be an hour late, from the ring road.
  server_.clock().advance(std::chrono::minutes(90));
  auto late = amy_.post(path + "/estimate", {{"expected_return_at", at(std::chrono::minutes(90))}, {"location", "Ring road, exit 4"}});
  ASSERT_EQ(late.status, 200) << late.body;
  EXPECT_EQ(alert(), 1);
  auto heard = notifications(bo_);
  ASSERT_EQ(heard.size(), 1u) << heard.dump();
  EXPECT_EQ(heard[0]["kind"], "booking_late");
  auto summary = heard[0]["summary"].get<std::string>();
  EXPECT_NE(summary.find("Tesla 3"), std::string::npos) << summary;
  EXPECT_NE(summary.find("Ring road, exit 4"), std::string::npos) << summary;
  EXPECT_NE(summary.find("BYD Dolphin"), std::string::npos) << "the free alternative: " << summary;
  auto told_amy = notifications(amy_);
  ASSERT_EQ(told_amy.size(), 1u) << "Amy hears that someone is waiting";
  EXPECT_EQ(told_amy[0]["kind"], "booking_waiting");
  EXPECT_EQ(told_amy[0]["booking_id"], id(amys));
  EXPECT_EQ(told_amy[0]["summary"].get<std::string>().find("bo@"), std::string::npos) << "not who";
  EXPECT_TRUE(notifications(wu_).empty());

  EXPECT_EQ(alert(), 0) << "the same estimate is told once";
  ASSERT_EQ(amy_.post(path + "/estimate", {{"expected_return_at", at(std::chrono::minutes(95))}}).status, 200);
  EXPECT_EQ(alert(), 0) << "five minutes more is no news";
  ASSERT_EQ(amy_.post(path + "/estimate", {{"expected_return_at", at(std::chrono::minutes(150))}}).status, 200);
  EXPECT_EQ(alert(), 1) << "an hour more is";
  EXPECT_EQ(amy_.post(path + "/estimate", Json::object()).status, 422) << "an estimate needs its time";
  EXPECT_EQ(amy_.post(path + "/return", {{"expected_return_at", at(std::chrono::minutes(5))}}).status, 422) << "a field the move does not take";
  EXPECT_EQ(notifications(bo_).size(), 2u);
  EXPECT_TRUE(bo_.get("/api/v1/bookings").json()["items"][0]["late_estimate"].is_string()) << "Bo's booking says what he was told";

  // Bo cannot take the car before Amy brings it back; then he can.
  server_.clock().advance(std::chrono::minutes(60));
  auto early = bo_.post("/api/v1/bookings/" + id(bos) + "/pickup", Json::object());
  EXPECT_EQ(early.status, 409) << early.body;
  ASSERT_EQ(amy_.post(path + "/return", Json::object()).status, 200);
  EXPECT_EQ(alert(), 0) << "returned: nothing more to tell";
  EXPECT_EQ(bo_.post("/api/v1/bookings/" + id(bos) + "/pickup", Json::object()).status, 200);
  EXPECT_EQ(amy_.post(path + "/return", Json::object()).status, 409) << "returned once";
}

TEST_P(ResourcesTest, ASilentLateHolderStillGetsTheNextMemberWarned) {
  auto amys = book(amy_, car_, std::chrono::minutes(0), std::chrono::minutes(60)).json();
  book(bo_, car_, std::chrono::minutes(60), std::chrono::minutes(120));
  ASSERT_EQ(amy_.post("/api/v1/bookings/" + id(amys) + "/pickup", Json::object()).status, 200);
  server_.clock().advance(std::chrono::minutes(65));  // past Amy's end, not a word from her
  EXPECT_EQ(alert(), 1);
  auto heard = notifications(bo_);
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_NE(heard[0]["summary"].get<std::string>().find(at(std::chrono::minutes(15))), std::string::npos)
      << "at least a quarter of an hour more: " << heard[0]["summary"];
  for (int i = 0; i < 6; ++i) {
    server_.clock().advance(std::chrono::minutes(10));
    EXPECT_EQ(alert(), 0) << "told once while she says nothing";
  }
}

TEST_P(ResourcesTest, NobodyTakesACarOutOfSomeoneElsesTime) {
  auto amys = book(amy_, car_, std::chrono::minutes(10), std::chrono::minutes(60)).json();
  auto bos = book(bo_, car_, std::chrono::minutes(60), std::chrono::minutes(120)).json();
  server_.clock().advance(std::chrono::minutes(50));  // Amy's time; she has not come
  auto early = bo_.post("/api/v1/bookings/" + id(bos) + "/pickup", Json::object());
  EXPECT_EQ(early.status, 409) << "ten minutes early, but it is Amy's until then: " << early.body;
  EXPECT_EQ(amy_.post("/api/v1/bookings/" + id(amys) + "/pickup", Json::object()).status, 200);
  ASSERT_EQ(amy_.post("/api/v1/bookings/" + id(amys) + "/return", {{"location", "North gate"}}).status, 200);
  EXPECT_EQ(bo_.post("/api/v1/bookings/" + id(bos) + "/pickup", Json::object()).status, 200) << "returned: his, early";
  server_.clock().advance(std::chrono::hours(3));
  auto later = book(amy_, spare_, std::chrono::minutes(10), std::chrono::minutes(20)).json();
  server_.clock().advance(std::chrono::minutes(30));
  EXPECT_EQ(amy_.post("/api/v1/bookings/" + id(later) + "/pickup", Json::object()).status, 409) << "a booking that is over";
  EXPECT_EQ(agent_.post("/api/v1/bookings/" + id(later) + "/cancel", Json::object()).status, 200) << "staff act for the club";
}

TEST_P(ResourcesTest, OtherOrganisationsNeverSeeTheClubsCars) {
  auto amys = book(amy_, car_, std::chrono::minutes(60), std::chrono::minutes(120)).json();
  auto customer_email = "boss@west.test";
  create_user(customer_email, "customer", id(other_));
  auto boss = login(customer_email);
  auto anonymous = server_.client();
  auto car = "/api/v1/resources/" + id(car_);
  expect_answers({
      {"resource", [&](HttpClient& c) { return c.get(car); }, {{&wu_, 404}, {&boss, 404}, {&amy_, 200}, {&agent_, 200}, {&anonymous, 401}}},
      {"bookings", [&](HttpClient& c) { return c.get(car + "/bookings"); }, {{&wu_, 404}, {&boss, 404}, {&anonymous, 401}}},
      {"book", [&](HttpClient& c) { return c.post(car + "/bookings", {{"starts_at", at(std::chrono::minutes(300))}, {"ends_at", at(std::chrono::minutes(360))}}); },
       {{&wu_, 404}, {&boss, 404}}},
      {"someone's booking", [&](HttpClient& c) { return c.post("/api/v1/bookings/" + id(amys) + "/cancel", Json::object()); },
       {{&wu_, 404}, {&bo_, 404}}},
      {"make one", [&](HttpClient& c) { return c.post("/api/v1/resources", {{"organization_id", id(club_)}, {"name", "x"}, {"kind", "car"}}); },
       {{&amy_, 403}, {&wu_, 403}, {&boss, 403}, {&anonymous, 401}}},
      {"change one", [&](HttpClient& c) { return c.patch(car, {{"name", "Mine now"}}, "\"v1\""); },
       {{&amy_, 403}, {&wu_, 403}, {&anonymous, 401}}},
      {"my bookings", [](HttpClient& c) { return c.get("/api/v1/bookings"); }, {{&anonymous, 401}}},
      {"someone's estimate", [&](HttpClient& c) { return c.post("/api/v1/bookings/" + id(amys) + "/estimate", {{"expected_return_at", at(std::chrono::minutes(200))}}); },
       {{&wu_, 404}, {&bo_, 404}, {&anonymous, 401}}},
  });
  EXPECT_TRUE(wu_.get("/api/v1/resources").json()["items"].empty());
  EXPECT_EQ(amy_.get("/api/v1/resources").json()["items"].size(), 2u);
}

TEST_P(ResourcesTest, StaffChangeAResourceOnTheVersionRead) {
  auto path = "/api/v1/resources/" + id(car_);
  EXPECT_EQ(agent_.patch(path, {{"location", "Main gate"}}, "\"v1\"").status, 200);
  EXPECT_EQ(agent_.patch(path, {{"location", "Elsewhere"}}, "\"v1\"").status, 412);
  auto off = agent_.patch(path, {{"active", false}}, "\"v2\"");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(book(amy_, car_, std::chrono::minutes(60), std::chrono::minutes(120)).status, 409) << "not available";
  EXPECT_EQ(agent_.patch(path, {{"organization_id", id(other_)}}, "\"v3\"").status, 422);
}

INSTANTIATE_TEST_SUITE_P(Stores, ResourcesTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
