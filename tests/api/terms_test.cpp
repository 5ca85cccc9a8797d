// Terms and conditions over HTTP on every store (ONB-7): published terms of a service keep its
// items ineligible until the person accepts that version — the catalog names them in the
// reader's language and a request is refused 403 not_eligible; a new published version asks
// again; an acceptance records who, which version and the channel; a draft asks nothing.
#include "api/api_fixture.h"

namespace tandem::testing {
namespace {

class TermsTest : public ApiTest {
 protected:
  void SetUp() override {
    org_ = create_org("Car club");
    create_user("driver@c.test", "user", id(org_), "Passw0rd-test!", {{"language", "zh-CN"}});
    service_ = admin_.post("/api/v1/services", {{"name", "Car sharing"}}).json();
    type_ = admin_.post("/api/v1/request-types", {{"service_id", id(service_)}, {"name", "Book a car"}}).json();
    EXPECT_EQ(admin_.post("/api/v1/entitlements", {{"service_id", id(service_)}, {"organization_id", id(org_)}}).status, 201);
  }
  Json entry(HttpClient& c) {
    auto cat = c.get("/api/v1/catalog").json();
    for (const auto& section : cat["items"])
      for (const auto& t : section["request_types"])
        if (t["id"] == id(type_)) return t;
    return Json();
  }
  HttpResponse book(HttpClient& c) { return c.post("/api/v1/requests", {{"request_type_id", id(type_)}, {"answers", Json::object()}}); }
  Json org_, service_, type_;
};

TEST_P(TermsTest, PublishedTermsAreAcceptedVersionByVersion) {
  auto driver = login("driver@c.test");
  auto created = admin_.post("/api/v1/terms", {{"service_id", id(service_)},
                                              {"title", {{"en", "Car use terms"}, {"zh-CN", "用车条款"}}},
                                              {"text", {{"en", "Return the car on time."}, {"zh-CN", "请按时还车。"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto terms = created.json();
  auto path = "/api/v1/terms/" + id(terms);
  EXPECT_TRUE(terms["current_version"].is_null());
  EXPECT_EQ(terms["latest_version"], 1);
  EXPECT_TRUE(entry(driver)["eligible"].get<bool>()) << "a draft asks nothing";
  EXPECT_EQ(driver.post(path + "/acceptances", {{"channel", "portal"}}).json()["error"]["code"], "terms_not_published");

  ASSERT_EQ(admin_.post(path + "/publish", Json::object()).status, 200);
  EXPECT_EQ(admin_.post(path + "/publish", Json::object()).json()["error"]["code"], "already_published");
  auto e = entry(driver);
  EXPECT_FALSE(e["eligible"].get<bool>());
  ASSERT_EQ(e["missing"].size(), 1u) << e;
  EXPECT_EQ(e["missing"][0]["kind"], "terms");
  EXPECT_EQ(e["missing"][0]["title"], "用车条款");
  auto refused = book(driver);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("用车条款"), std::string::npos) << refused.body;
  EXPECT_EQ(driver.get(path).json()["text"], "请按时还车。");

  EXPECT_EQ(problems(driver.post(path + "/acceptances", {{"channel", "pigeon"}})).count("channel"), 1u);
  auto accepted = driver.post(path + "/acceptances", {{"channel", "portal"}});
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  EXPECT_EQ(accepted.json()["version"], 1);
  EXPECT_EQ(accepted.json()["channel"], "portal");
  EXPECT_TRUE(entry(driver)["eligible"].get<bool>());
  EXPECT_EQ(book(driver).status, 201);

  // A new text is a draft until published; then it asks again.
  auto etag = admin_.get(path).header("etag");
  auto changed = admin_.patch(path, {{"text", {{"en", "Return it on time and clean."}, {"zh-CN", "请按时还车并保持整洁。"}}}}, etag);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json()["latest_version"], 2);
  EXPECT_EQ(changed.json()["current_version"], 1);
  EXPECT_TRUE(entry(driver)["eligible"].get<bool>());
  ASSERT_EQ(admin_.post(path + "/publish", Json::object()).status, 200);
  EXPECT_FALSE(entry(driver)["eligible"].get<bool>());
  EXPECT_EQ(book(driver).json()["error"]["code"], "not_eligible");
  ASSERT_EQ(driver.post(path + "/acceptances", {{"channel", "portal"}}).json()["version"], 2);
  EXPECT_EQ(book(driver).status, 201);

  // An edit in one language keeps the other's text.
  auto english = admin_.patch(path, {{"text", "Return it on time, clean and charged."}}, admin_.get(path).header("etag"));
  ASSERT_EQ(english.status, 200) << english.body;
  auto all = admin_.get(path + "?lang=all").json();
  EXPECT_EQ(all["versions"][2]["text"], Json({{"en", "Return it on time, clean and charged."}, {"zh-CN", "请按时还车并保持整洁。"}}));
}

// ONB-7: an offering's terms ask those who hold one of its tiers — through their organisation or
// themselves — and nobody else the service's items reach.
TEST_P(TermsTest, AnOfferingsTermsAskOnlyItsSubscribers) {
  create_user("member@c.test", "user", id(org_));
  auto driver = login("driver@c.test");
  auto offering = admin_.post("/api/v1/offerings", {{"service_id", id(service_)}, {"name", "Membership"}}).json();
  auto tier = admin_.post("/api/v1/offering-tiers", {{"offering_id", id(offering)}, {"name", "Regular"}, {"monthly_fee", "30"}}).json();
  auto terms = admin_.post("/api/v1/terms", {{"offering_id", id(offering)}, {"title", "Membership terms"}, {"text", "Pay monthly."}}).json();
  ASSERT_EQ(admin_.post("/api/v1/terms/" + id(terms) + "/publish", Json::object()).status, 200);
  EXPECT_TRUE(entry(driver)["eligible"].get<bool>()) << "not a member: the membership's terms ask nothing of them";
  EXPECT_EQ(book(driver).status, 201);

  auto held = admin_.post("/api/v1/subscriptions",
                          {{"tier_id", id(tier)}, {"organization_id", id(org_)}, {"user_id", driver.get("/api/v1/me").json()["id"]}});
  ASSERT_EQ(held.status, 201) << held.body;
  auto e = entry(driver);
  EXPECT_FALSE(e["eligible"].get<bool>()) << "a member now";
  ASSERT_EQ(e["missing"].size(), 1u) << e;
  EXPECT_EQ(e["missing"][0]["id"], id(terms));
  EXPECT_EQ(book(driver).json()["error"]["code"], "not_eligible");
  auto member = login("member@c.test");
  EXPECT_TRUE(entry(member)["eligible"].get<bool>()) << "their own subscription: not their neighbour's";

  // The offering moves to another service, and its terms go with it.
  auto rooms = admin_.post("/api/v1/services", {{"name", "Rooms"}}).json();
  auto offering_path = "/api/v1/offerings/" + id(offering);
  auto moved = admin_.patch(offering_path, {{"service_id", id(rooms)}}, admin_.get(offering_path).header("etag"));
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_TRUE(entry(driver)["eligible"].get<bool>()) << "car sharing is no longer the offering's";
  ASSERT_EQ(admin_.patch(offering_path, {{"service_id", id(service_)}}, admin_.get(offering_path).header("etag")).status, 200);
  EXPECT_FALSE(entry(driver)["eligible"].get<bool>());

  ASSERT_EQ(driver.post("/api/v1/terms/" + id(terms) + "/acceptances", {{"channel", "portal"}}).status, 201);
  EXPECT_TRUE(entry(driver)["eligible"].get<bool>());
}

TEST_P(TermsTest, TermsAreCheckedAndPublishedOnesStay) {
  auto before = audit_count();
  auto bad = admin_.post("/api/v1/terms", {{"title", "x"}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_TRUE(problems(bad).contains("service_id"));
  EXPECT_TRUE(problems(bad).contains("text"));
  EXPECT_EQ(admin_.post("/api/v1/terms", {{"title", "x"}, {"text", "y"}, {"service_id", "svc_none"}}).status, 422);
  EXPECT_EQ(login("driver@c.test").post("/api/v1/terms", {{"title", "x"}, {"text", "y"}, {"service_id", id(service_)}}).status, 403);
  EXPECT_EQ(audit_count(), before + 1) << "only the login";
  auto loose = admin_.post("/api/v1/offerings", {{"name", "Loose offering"}});
  ASSERT_EQ(loose.status, 201) << loose.body;
  auto cover = admin_.post("/api/v1/terms", {{"title", "x"}, {"text", "y"}, {"offering_id", id(loose.json())}});
  EXPECT_TRUE(problems(cover).contains("offering_id")) << "an offering of no service: " << cover.body;
  auto t = admin_.post("/api/v1/terms", {{"title", "x"}, {"text", "y"}, {"service_id", id(service_)}}).json();
  ASSERT_EQ(admin_.post("/api/v1/terms/" + id(t) + "/publish", Json::object()).status, 200);
  EXPECT_EQ(admin_.del("/api/v1/terms/" + id(t)).status, 409);
}

TEST_P(TermsTest, EveryRouteRefusesWhomItMust) {
  auto t = admin_.post("/api/v1/terms", {{"title", "x"}, {"text", "y"}, {"service_id", id(service_)}}).json();
  auto path = "/api/v1/terms/" + id(t);
  create_user("agent@p.test", "agent");
  auto anonymous = server_.client();
  auto driver = login("driver@c.test");
  auto agent = login("agent@p.test");
  expect_answers({
      {"GET terms", [&](HttpClient& c) { return c.get(path); }, {{&anonymous, 401}, {&driver, 200}, {&agent, 200}}},
      {"list terms", [&](HttpClient& c) { return c.get("/api/v1/terms"); }, {{&anonymous, 401}, {&driver, 200}}},
      {"POST terms", [&](HttpClient& c) { return c.post("/api/v1/terms", {{"title", "x"}, {"text", "y"}, {"service_id", id(service_)}}); },
       {{&anonymous, 401}, {&driver, 403}, {&agent, 403}}},
      {"PATCH terms", [&](HttpClient& c) { return c.patch(path, {{"text", "z"}}, t["etag"]); },
       {{&anonymous, 401}, {&driver, 403}, {&agent, 403}}},
      {"publish", [&](HttpClient& c) { return c.post(path + "/publish", Json::object()); }, {{&anonymous, 401}, {&driver, 403}, {&agent, 403}}},
      {"accept", [&](HttpClient& c) { return c.post(path + "/acceptances", {{"channel", "portal"}}); },
       {{&anonymous, 401}, {&agent, 403}}},
      {"DELETE terms", [&](HttpClient& c) { return c.del(path); }, {{&anonymous, 401}, {&driver, 403}, {&agent, 403}}},
  });
}

INSTANTIATE_TEST_SUITE_P(Stores, TermsTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
