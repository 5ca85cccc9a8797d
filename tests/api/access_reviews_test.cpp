// Access reviews over HTTP on every store (ONB-12): an organisation's customer opens a review of
// every grant its people hold — accounts, roles, group memberships, tokens, entitlement rules —
// and nothing of another organisation's; a revocation takes effect at once (a revoked account's
// browser gets 401 on its next call); the review stays as the record.
#include "api/api_fixture.h"

#include <fmt/format.h>

#include <set>

namespace tandem::testing {
namespace {

class AccessReviewsTest : public ApiTest {
 protected:
  void SetUp() override {
    a_ = create_org("Org A");
    b_ = create_org("Org B");
    user_ = create_user("u@a.test", "user", id(a_));
    customer_ = create_user("cust@a.test", "customer", id(a_));
    create_user("cust@b.test", "customer", id(b_));
    other_ = create_user("u@b.test", "user", id(b_));
    create_user("agent@p.test", "agent");
    group_ = admin_.post("/api/v1/groups", {{"name", "Drivers"}, {"organization_id", id(a_)}, {"member_ids", {id(user_)}}}).json();
    auto service = admin_.post("/api/v1/services", {{"name", {{"en", "Car sharing"}, {"zh-CN", "共享汽车"}}}}).json();
    rule_ = admin_.post("/api/v1/entitlements", {{"service_id", id(service)}, {"organization_id", id(a_)}}).json();
  }
  static Json grant(const Json& review, const std::string& grant_id) {
    for (const auto& g : review["grants"])
      if (g["id"] == grant_id) return g;
    return Json();
  }
  Json a_, b_, user_, customer_, other_, group_, rule_;
};

TEST_P(AccessReviewsTest, TheCustomerReviewsEveryGrantAndARevocationTakesEffectAtOnce) {
  auto customer = login("cust@a.test");
  auto user = login("u@a.test");
  auto opened = customer.post("/api/v1/access-reviews", {{"organization_id", id(a_)}});
  ASSERT_EQ(opened.status, 201) << opened.body;
  auto review = opened.json();
  auto path = "/api/v1/access-reviews/" + id(review);
  EXPECT_FALSE(grant(review, "account:" + id(user_)).is_null());
  EXPECT_FALSE(grant(review, "role:" + id(user_) + ":user").is_null());
  EXPECT_FALSE(grant(review, "membership:" + id(group_) + ":" + id(user_)).is_null());
  EXPECT_FALSE(grant(review, "entitlement:" + id(rule_)).is_null());
  EXPECT_EQ(opened.body.find(id(other_)), std::string::npos) << "nothing of another organisation";

  ASSERT_EQ(customer.post(path + "/decisions", {{"grant_id", "entitlement:" + id(rule_)}, {"decision", "confirm"}}).status, 200);
  EXPECT_EQ(customer.get(path).json()["decided"], 1);
  EXPECT_EQ(problems(customer.post(path + "/decisions", {{"grant_id", "nothing"}, {"decision", "revoke"}})).count("grant_id"), 1u);
  EXPECT_EQ(problems(customer.post(path + "/decisions", {{"grant_id", "account:" + id(user_)}, {"decision", "maybe"}})).count("decision"), 1u);
  EXPECT_EQ(user.get("/api/v1/me").status, 200);
  // Confirmed, then revoked after all: one decision counted, the later one kept.
  auto membership_id = "membership:" + id(group_) + ":" + id(user_);
  ASSERT_EQ(customer.post(path + "/decisions", {{"grant_id", membership_id}, {"decision", "confirm"}}).status, 200);
  EXPECT_EQ(customer.get(path).json()["decided"], 2);
  auto membership = customer.post(path + "/decisions", {{"grant_id", membership_id}, {"decision", "revoke"}});
  ASSERT_EQ(membership.status, 200) << membership.body;
  EXPECT_EQ(membership.json()["decided"], 2) << "the same grant decided again";
  EXPECT_EQ(membership.json()["grant"]["decision"], "revoke");
  EXPECT_TRUE(admin_.get("/api/v1/groups/" + id(group_)).json()["member_ids"].empty());
  auto revoked = customer.post(path + "/decisions", {{"grant_id", "account:" + id(user_)}, {"decision", "revoke"}});
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(user.get("/api/v1/me").status, 401) << "the revoked person's browser is signed out at once";
  auto record = customer.get(path).json();
  EXPECT_EQ(grant(record, "account:" + id(user_))["decision"], "revoke");
  EXPECT_EQ(grant(record, membership_id)["decision"], "revoke");
  EXPECT_EQ(record["decided"], 3);
  // Each decision is audited on its review, with the grant as it was and as decided.
  auto audit = admin_.get("/api/v1/audit?limit=20").json()["items"];
  auto decided = std::find_if(audit.begin(), audit.end(), [](const Json& e) { return e["action"] == "access_review.decide"; });
  ASSERT_NE(decided, audit.end()) << audit.dump().substr(0, 500);
  EXPECT_EQ((*decided)["target_id"], id(review));
  EXPECT_FALSE((*decided)["before_digest"].is_null()) << "the grant as it was";
  EXPECT_NE((*decided)["after_digest"], (*decided)["before_digest"]) << "and as decided";
  EXPECT_EQ(customer.post(path + "/decisions", {{"grant_id", "account:" + id(user_)}, {"decision", "confirm"}}).json()["error"]["code"],
            "already_revoked");
  auto mine = customer.post(path + "/decisions", {{"grant_id", "account:" + id(customer_)}, {"decision", "revoke"}});
  EXPECT_EQ(mine.json()["error"]["code"], "self_revocation") << "nobody locks themselves out here";
}

// ONB-6, ONB-12: the tiers held now, by the organisation and by one of its people, are grants
// named by their tier; a rule is named by what it opens. Revoking a tier ends the subscription
// at that instant; one that ended before the review, or another organisation's, is not listed.
TEST_P(AccessReviewsTest, TiersHeldAreReviewedByNameAndARevokedOneEndsAtOnce) {
  auto service = admin_.post("/api/v1/services", {{"name", "Rooms"}}).json();
  auto offering = admin_.post("/api/v1/offerings", {{"service_id", id(service)}, {"name", "Membership"}}).json();
  auto regular = admin_.post("/api/v1/offering-tiers", {{"offering_id", id(offering)}, {"name", {{"en", "Regular"}, {"zh-CN", "常规会员"}}},
                                                        {"monthly_fee", "30.00"}}).json();
  auto subscribe = [&](const Json& body) {
    auto r = admin_.post("/api/v1/subscriptions", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  };
  auto whole = subscribe({{"tier_id", id(regular)}, {"organization_id", id(a_)}});
  auto own = subscribe({{"tier_id", id(regular)}, {"organization_id", id(a_)}, {"user_id", id(user_)}});
  auto ended = subscribe({{"tier_id", id(regular)}, {"organization_id", id(a_)}, {"user_id", id(customer_)},
                          {"starts_at", "2020-01-01T00:00:00Z"}, {"ends_at", "2020-02-01T00:00:00Z"}});
  auto theirs = subscribe({{"tier_id", id(regular)}, {"organization_id", id(b_)}});

  auto customer = login("cust@a.test");
  auto review = customer.post("/api/v1/access-reviews", {{"organization_id", id(a_)}}).json();
  auto path = "/api/v1/access-reviews/" + id(review);
  auto held = grant(review, "subscription:" + id(whole));
  ASSERT_FALSE(held.is_null()) << review.dump();
  EXPECT_EQ(held["kind"], "subscription");
  EXPECT_EQ(held["subject"]["tier"]["zh-CN"], "常规会员");
  EXPECT_TRUE(held["subject"]["user_id"].is_null()) << "the whole organisation's";
  auto person = grant(review, "subscription:" + id(own));
  ASSERT_FALSE(person.is_null());
  EXPECT_EQ(person["subject"]["user_id"], id(user_));
  EXPECT_TRUE(grant(review, "subscription:" + id(ended)).is_null()) << "ended before the review";
  EXPECT_EQ(review.dump().find(id(theirs)), std::string::npos) << "nothing of another organisation";
  EXPECT_EQ(grant(review, "entitlement:" + id(rule_))["subject"]["target"]["zh-CN"], "共享汽车");

  auto revoked = customer.post(path + "/decisions", {{"grant_id", "subscription:" + id(own)}, {"decision", "revoke"}});
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  auto after = admin_.get("/api/v1/subscriptions/" + id(own)).json();
  EXPECT_FALSE(after["ends_at"].is_null()) << "ended at once: " << after;
  EXPECT_TRUE(admin_.get("/api/v1/subscriptions/" + id(whole)).json()["ends_at"].is_null()) << "the rest untouched";
  auto whole_revoked = customer.post(path + "/decisions", {{"grant_id", "subscription:" + id(whole)}, {"decision", "revoke"}});
  ASSERT_EQ(whole_revoked.status, 200) << whole_revoked.body;
  EXPECT_FALSE(admin_.get("/api/v1/subscriptions/" + id(whole)).json()["ends_at"].is_null()) << "the organisation's own tier ends too";
  EXPECT_TRUE(admin_.get("/api/v1/subscriptions/" + id(theirs)).json()["ends_at"].is_null());
  server_.clock().advance(std::chrono::seconds(1));
  auto next = customer.post("/api/v1/access-reviews", {{"organization_id", id(a_)}}).json();
  EXPECT_TRUE(grant(next, "subscription:" + id(own)).is_null()) << "no longer held";
  EXPECT_TRUE(grant(next, "subscription:" + id(whole)).is_null());
}

// ONB-12: an organisation of any size is reviewed whole — more than the 5,000 people once read —
// its grants read a page at a time in their order, and a grant far down the list is decided
// like the first.
TEST_P(AccessReviewsTest, ALargeOrganisationIsReviewedWholeAPageAtATime) {
  constexpr int kMore = 5100;
  insert_people(id(a_), kMore, "member");
  auto customer = login("cust@a.test");
  auto opened = customer.post("/api/v1/access-reviews", {{"organization_id", id(a_)}});
  ASSERT_EQ(opened.status, 201) << opened.body.substr(0, 500);
  auto review = opened.json();
  auto path = "/api/v1/access-reviews/" + id(review);
  EXPECT_EQ(review["grants"].size(), 200u) << "the first page";
  ASSERT_TRUE(review["grants_next_cursor"].is_string());
  std::set<std::string> seen;
  for (const auto& g : review["grants"]) seen.insert(g["id"]);
  std::string cursor = review["grants_next_cursor"];
  int pages = 0;
  while (!cursor.empty() && ++pages < 100) {
    auto page = customer.get(path + "/grants?limit=500&cursor=" + cursor);
    ASSERT_EQ(page.status, 200) << page.body;
    auto body = page.json();
    for (const auto& g : body["items"]) EXPECT_TRUE(seen.insert(g["id"]).second) << "each grant once: " << g["id"];
    cursor = body["next_cursor"].is_string() ? body["next_cursor"].get<std::string>() : "";
  }
  EXPECT_EQ(std::int64_t(seen.size()), review["total"].get<std::int64_t>());
  auto last = fmt::format("account:usr_member{:05d}", kMore - 1);
  EXPECT_TRUE(seen.contains(last));
  EXPECT_GT(seen.size(), std::size_t(2 * kMore)) << "an account and a role for each";
  auto decided = customer.post(path + "/decisions", {{"grant_id", last}, {"decision", "confirm"}});
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(decided.json()["grant"]["decision"], "confirm");
  EXPECT_EQ(decided.json()["decided"], 1);
  EXPECT_EQ(customer.get(path + "/grants?cursor=nonsense").status, 422);
  EXPECT_EQ(login("cust@b.test").get(path + "/grants").status, 404) << "another organisation's customer";
}

// What changed since the review was opened is not its customer's to revoke: a rule now for
// another organisation stays.
TEST_P(AccessReviewsTest, AGrantThatMovedOutOfTheOrganisationIsNotRevoked) {
  auto customer = login("cust@a.test");
  auto review = customer.post("/api/v1/access-reviews", {{"organization_id", id(a_)}}).json();
  auto moved = admin_.patch("/api/v1/entitlements/" + id(rule_), {{"organization_id", id(b_)}}, rule_["etag"]);
  ASSERT_EQ(moved.status, 200) << moved.body;
  auto refused = customer.post("/api/v1/access-reviews/" + id(review) + "/decisions",
                               {{"grant_id", "entitlement:" + id(rule_)}, {"decision", "revoke"}});
  EXPECT_EQ(refused.json()["error"]["code"], "grant_changed") << refused.body;
  EXPECT_EQ(admin_.get("/api/v1/entitlements/" + id(rule_)).status, 200);
}

TEST_P(AccessReviewsTest, NoOtherOrganisationOpensOrReadsAReview) {
  auto review = admin_.post("/api/v1/access-reviews", {{"organization_id", id(a_)}}).json();
  auto path = "/api/v1/access-reviews/" + id(review);
  auto anonymous = server_.client();
  auto other = login("cust@b.test");
  auto user = login("u@a.test");
  auto agent = login("agent@p.test");
  auto customer = login("cust@a.test");
  expect_answers({
      {"POST review", [&](HttpClient& c) { return c.post("/api/v1/access-reviews", {{"organization_id", id(a_)}}); },
       {{&anonymous, 401}, {&other, 404}, {&user, 403}, {&agent, 403}}},
      {"GET review", [&](HttpClient& c) { return c.get(path); },
       {{&anonymous, 401}, {&other, 404}, {&user, 403}, {&agent, 403}, {&customer, 200}}},
      {"GET grants", [&](HttpClient& c) { return c.get(path + "/grants"); },
       {{&anonymous, 401}, {&other, 404}, {&user, 403}, {&agent, 403}, {&customer, 200}}},
      {"GET reviews", [&](HttpClient& c) { return c.get("/api/v1/access-reviews"); },
       {{&anonymous, 401}, {&user, 403}, {&agent, 403}, {&customer, 200}}},
      {"POST decision", [&](HttpClient& c) { return c.post(path + "/decisions", {{"grant_id", "account:" + id(user_)}, {"decision", "revoke"}}); },
       {{&anonymous, 401}, {&other, 404}, {&user, 403}, {&agent, 403}}},
  });
  EXPECT_TRUE(other.get("/api/v1/access-reviews").json()["items"].empty());
  EXPECT_EQ(customer.get("/api/v1/access-reviews").json()["items"].size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Stores, AccessReviewsTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
