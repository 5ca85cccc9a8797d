// OPS-3, REL-5 on every store: outbound webhooks. An administrator subscribes a receiver (an SMS
// or push gateway, here a real HTTP server on a loopback port) to events; each event it hears is
// queued with the change, posted signed, retried with back-off under one delivery id, given up
// after six attempts and kept in its log, from which it can be sent again. A webhook limited to
// one organisation hears only what that organisation's people may see; no webhook reaches the
// local network unless an administrator allows it for that webhook.
#include <unistd.h>

#include "api/api_fixture.h"
#include "channels/webhook_client.h"
#include "core/crypto.h"
#include "support/webhook_receiver.h"
#include "usecase/shared_resources.h"
#include "usecase/webhooks.h"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;

class WebhooksTest : public ApiTest {
 protected:
  void SetUp() override {
    club_ = create_org("Car-share Club 共享汽车俱乐部");
    other_ = create_org("West College");
    create_user("amy@club.test", "user", id(club_));
    create_user("bo@club.test", "user", id(club_));
    create_user("wu@west.test", "user", id(other_));
    create_user("agent@provider.test", "agent");
    create_user("boss@club.test", "customer", id(club_));
    amy_ = login("amy@club.test");
    bo_ = login("bo@club.test");
    wu_ = login("wu@west.test");
    agent_ = login("agent@provider.test");
    boss_ = login("boss@club.test");
  }

  Json subscribe(Json body) {
    if (!body.contains("name")) body["name"] = "SMS gateway";
    if (!body.contains("url")) body["url"] = receiver_.url("/sms");
    if (!body.contains("local_network")) body["local_network"] = true;  // the receiver listens on loopback
    auto r = admin_.post("/api/v1/webhooks", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }

  usecase::DeliveryRun deliver() {
    auto run = usecase::deliver_events(server_.services(), sender_);
    EXPECT_TRUE(run) << run.error().message;
    return run.value_or(usecase::DeliveryRun{});
  }

  Json ticket(HttpClient& who, const std::string& subject) {
    auto r = who.post("/api/v1/tickets", {{"type", "incident"}, {"subject", subject}, {"description", "It broke."}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }

  Json deliveries(const Json& webhook, const std::string& query = "") {
    auto r = admin_.get("/api/v1/webhooks/" + id(webhook) + "/deliveries" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["items"];
  }

  static void expect_signed(const ReceivedRequest& got, const std::string& secret) {
    auto stamp = got.headers.at("tandem-timestamp");
    EXPECT_EQ(got.headers.at("tandem-signature"), "sha256=" + hmac_sha256_hex(secret, stamp + "." + got.body));
  }

  Json club_, other_;
  HttpClient amy_{0}, bo_{0}, wu_{0}, agent_{0}, boss_{0};
  WebhookReceiver receiver_;
  // The operator allows no local network: only a webhook's own leave lets it reach the receiver.
  channels::CurlWebhookSender sender_{false};
};

TEST_P(WebhooksTest, AReceiverGetsEachEventItSubscribedToSignedWithItsSecret) {
  auto hook = subscribe({{"events", {"ticket.created", "ticket.updated"}}});
  auto secret = hook["secret"].get<std::string>();
  EXPECT_GE(secret.size(), 43u) << "32 random bytes";
  EXPECT_FALSE(admin_.get("/api/v1/webhooks/" + id(hook)).json().contains("secret")) << "shown once";
  EXPECT_EQ(hook["organization_id"], nullptr);

  auto t = ticket(amy_, "The car's door will not lock");
  EXPECT_EQ(deliver().sent, 1);
  auto got = receiver_.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].target, "/sms");
  EXPECT_EQ(got[0].headers["tandem-event"], "ticket.created");
  expect_signed(got[0], secret);
  auto body = Json::parse(got[0].body);
  EXPECT_EQ(body["type"], "ticket.created");
  EXPECT_EQ(body["id"], got[0].headers["tandem-delivery"]);
  EXPECT_EQ(body["data"]["ticket"]["id"], t["id"]);
  EXPECT_EQ(body["data"]["ticket"]["subject"], "The car's door will not lock");
  EXPECT_EQ(body["data"]["person"]["email"], "amy@club.test");
  EXPECT_EQ(body["data"]["events"][0]["kind"], "created");

  // The provider's own webhook hears internal notes too.
  server_.clock().advance(1s);  // delivery ids sort by time: the log lists the newest first
  ASSERT_EQ(agent_.post("/api/v1/tickets/" + id(t) + "/comments", {{"body", "Check the lock's fuse."}, {"public", false}}).status, 201);
  EXPECT_EQ(deliver().sent, 1);
  got = receiver_.received();
  ASSERT_EQ(got.size(), 2u);
  body = Json::parse(got[1].body);
  EXPECT_EQ(body["type"], "ticket.updated");
  EXPECT_EQ(body["data"]["events"][0]["visibility"], "internal");
  EXPECT_EQ(body["data"]["events"][0]["body"], "Check the lock's fuse.");
  EXPECT_NE(body["event_id"], Json::parse(got[0].body)["event_id"]);
  EXPECT_EQ(deliver().sent, 0) << "each event once";

  auto log = deliveries(hook);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["state"], "delivered");
  EXPECT_EQ(log[0]["event"], "ticket.updated") << "newest first";
  EXPECT_EQ(log[0]["last_status"], 200);
  EXPECT_EQ(log[1]["payload"]["data"]["ticket"]["id"], t["id"]);
}

TEST_P(WebhooksTest, AnOrganisationsWebhookHearsOnlyWhatItsPeopleMaySee) {
  auto hook = subscribe({{"events", {"ticket.created", "ticket.updated"}}, {"organization_id", id(club_)}});
  ticket(wu_, "West's projector");
  EXPECT_EQ(deliver().sent, 0) << "another organisation's ticket";
  auto t = ticket(bo_, "Scratch on the left door");
  EXPECT_EQ(deliver().sent, 1);
  ASSERT_EQ(agent_.post("/api/v1/tickets/" + id(t) + "/comments", {{"body", "Probably Amy."}, {"public", false}}).status, 201);
  EXPECT_EQ(deliver().sent, 0) << "an internal note is not the club's to hear";
  ASSERT_EQ(agent_.post("/api/v1/tickets/" + id(t) + "/comments", {{"body", "We will look at it on Monday."}}).status, 201);
  EXPECT_EQ(deliver().sent, 1);
  auto got = receiver_.received();
  ASSERT_EQ(got.size(), 2u);
  auto body = Json::parse(got[1].body);
  ASSERT_EQ(body["data"]["events"].size(), 1u);
  EXPECT_EQ(body["data"]["events"][0]["body"], "We will look at it on Monday.");
  EXPECT_FALSE(body["data"]["ticket"].contains("assignee_id")) << "the provider's desk is not the club's";
  for (const auto& g : got) EXPECT_EQ(Json::parse(g.body)["data"]["ticket"]["organization_id"], id(club_));
}

TEST_P(WebhooksTest, AFailingReceiverIsRetriedWithBackOffThenGivenUpAndCanBeSentAgain) {
  auto hook = subscribe({{"events", {"ticket.created"}}});
  receiver_.answer_with({500, 503, 500, 502, 500, 500});
  ticket(amy_, "The app will not unlock the car");
  EXPECT_EQ(deliver().failed, 1);
  EXPECT_EQ(deliver().failed, 0) << "not due again before its back-off";
  auto log = deliveries(hook);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["state"], "pending");
  EXPECT_EQ(log[0]["attempts"], 1);
  EXPECT_EQ(log[0]["last_status"], 500);
  EXPECT_TRUE(log[0]["next_at"].is_string());
  for (auto wait : {1min, 5min, 30min, 120min}) {
    server_.clock().advance(wait);
    EXPECT_EQ(deliver().failed, 1);
  }
  server_.clock().advance(360min);
  EXPECT_EQ(deliver().given_up, 1);
  auto got = receiver_.received();
  ASSERT_EQ(got.size(), 6u) << "six attempts in all";
  for (const auto& g : got) {
    EXPECT_EQ(g.headers.at("tandem-delivery"), got[0].headers.at("tandem-delivery")) << "one id for every attempt";
    EXPECT_EQ(g.body, got[0].body);
  }
  log = deliveries(hook, "?state=failed");
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["attempts"], 6);
  EXPECT_EQ(log[0]["last_error"], "the receiver answered 500");
  EXPECT_TRUE(deliveries(hook, "?state=pending").empty());
  EXPECT_EQ(admin_.get("/api/v1/webhooks/" + id(hook) + "/deliveries?state=lost").status, 422);

  auto retry = "/api/v1/webhooks/" + id(hook) + "/deliveries/" + id(log[0]) + "/retry";
  auto again = admin_.post(retry, Json::object());
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["state"], "pending");
  EXPECT_EQ(admin_.post(retry, Json::object()).status, 409) << "already waiting to go";
  EXPECT_EQ(deliver().sent, 1);
  ASSERT_EQ(receiver_.received().size(), 7u);
  EXPECT_EQ(receiver_.received()[6].headers.at("tandem-delivery"), got[0].headers.at("tandem-delivery"));
  EXPECT_EQ(admin_.post(retry, Json::object()).status, 409) << "delivered";
  EXPECT_EQ(admin_.post("/api/v1/webhooks/" + id(hook) + "/deliveries/whd_none/retry", Json::object()).status, 404);

  // The log keeps a delivered post for 30 days.
  server_.clock().advance(std::chrono::days(29));
  EXPECT_EQ(usecase::prune_event_deliveries(server_.services()).value_or(-1), 0);
  server_.clock().advance(std::chrono::days(2));
  EXPECT_EQ(usecase::prune_event_deliveries(server_.services()).value_or(-1), 1);
  admin_ = server_.admin();  // a month on, the session has long ended
  EXPECT_TRUE(deliveries(hook).empty());
}

TEST_P(WebhooksTest, TheLogKeepsWhatWasGivenUpLongerThanWhatWasDelivered) {
  auto hook = subscribe({{"events", {"ticket.created"}}});
  receiver_.answer_with({500, 500, 500, 500, 500, 500});
  ticket(amy_, "Given up");
  for (auto wait : {0min, 1min, 5min, 30min, 120min, 360min}) {
    server_.clock().advance(wait);
    deliver();
  }
  ticket(amy_, "Delivered");
  deliver();
  ASSERT_EQ(deliveries(hook, "?state=failed").size(), 1u);
  server_.clock().advance(std::chrono::days(31));
  EXPECT_EQ(usecase::prune_event_deliveries(server_.services()).value_or(-1), 1) << "the delivered one";
  admin_ = server_.admin();  // a month on, the session has long ended
  EXPECT_EQ(deliveries(hook, "?state=failed").size(), 1u) << "still there to send again";
  server_.clock().advance(std::chrono::days(60));
  EXPECT_EQ(usecase::prune_event_deliveries(server_.services()).value_or(-1), 1);
  admin_ = server_.admin();  // a month on, the session has long ended
  EXPECT_TRUE(deliveries(hook).empty());
}

TEST_P(WebhooksTest, TheLocalNetworkIsReachedOnlyWithAnAdministratorsLeave) {
  for (auto url : {receiver_.url("/sms"), std::string("http://localhost:9/"), std::string("http://[::1]/"), std::string("http://169.254.169.254/")}) {
    auto r = admin_.post("/api/v1/webhooks", {{"name", "Gateway"}, {"url", url}, {"events", {"ticket.created"}}});
    EXPECT_EQ(r.status, 422) << url;
    EXPECT_TRUE(problems(r).contains("url")) << r.body;
  }
  // A name that only resolves into the local network — this machine's own, which the hosts file
  // maps to a loopback or private address — is caught as the connection is made.
  char host[256] = {};
  ASSERT_EQ(gethostname(host, sizeof host - 1), 0);
  auto hook = subscribe({{"url", std::string("http://") + host + ":" + std::to_string(receiver_.port()) + "/sms"},
                         {"local_network", false},
                         {"events", {"ticket.created"}}});
  ticket(amy_, "Flat tyre");
  deliver();
  EXPECT_TRUE(receiver_.received().empty());
  auto log = deliveries(hook);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["last_status"], nullptr);
  EXPECT_FALSE(log[0]["last_error"].get<std::string>().empty());

  // The guard at the connection itself, whatever name led there: the sender refuses a loopback
  // receiver unless the post carries the webhook's leave.
  auto refused = sender_.post({receiver_.url("/sms"), {{"Content-Type", "application/json"}}, "{}"});
  EXPECT_EQ(refused.status, 0);
  EXPECT_NE(refused.error.find("local network"), std::string::npos) << refused.error;
  EXPECT_TRUE(receiver_.received().empty());
  usecase::OutboundPost allowed{receiver_.url("/sms"), {{"Content-Type", "application/json"}}, "{}"};
  allowed.local_network_allowed = true;
  EXPECT_EQ(sender_.post(allowed).status, 200);
  EXPECT_EQ(receiver_.received().size(), 1u);
}

TEST_P(WebhooksTest, APingTriesTheReceiverAndARotatedSecretSignsWhatFollows) {
  auto hook = subscribe({{"events", {"ticket.created"}}});
  auto ping = admin_.post("/api/v1/webhooks/" + id(hook) + "/ping", Json::object());
  ASSERT_EQ(ping.status, 202) << ping.body;
  EXPECT_EQ(ping.json()["event"], "webhook.ping");
  EXPECT_EQ(deliver().sent, 1);
  auto rotated = admin_.post("/api/v1/webhooks/" + id(hook) + "/secret", Json::object());
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  auto secret = rotated.json()["secret"].get<std::string>();
  EXPECT_NE(secret, hook["secret"].get<std::string>());
  ASSERT_EQ(admin_.post("/api/v1/webhooks/" + id(hook) + "/ping", Json::object()).status, 202);
  EXPECT_EQ(deliver().sent, 1);
  auto got = receiver_.received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].headers["tandem-event"], "webhook.ping");
  expect_signed(got[0], hook["secret"].get<std::string>());
  expect_signed(got[1], secret);
  EXPECT_NE(got[1].headers["tandem-signature"], "sha256=" + hmac_sha256_hex(hook["secret"].get<std::string>(),
                                                                               got[1].headers["tandem-timestamp"] + "." + got[1].body));
}

TEST_P(WebhooksTest, ASwitchedOffWebhookHearsNothingAndWhatItHadWaitingFails) {
  auto hook = subscribe({{"events", {"ticket.created"}}});
  receiver_.answer_with({500});
  ticket(amy_, "Wipers");
  EXPECT_EQ(deliver().failed, 1);
  auto off = admin_.patch("/api/v1/webhooks/" + id(hook), {{"active", false}}, hook["etag"].get<std::string>());
  ASSERT_EQ(off.status, 200) << off.body;
  ticket(amy_, "Mirrors");
  server_.clock().advance(2min);
  EXPECT_EQ(deliver().given_up, 1) << "what waited is given up, not sent";
  EXPECT_EQ(receiver_.received().size(), 1u);
  EXPECT_EQ(deliveries(hook).size(), 1u) << "nothing queued while off";
}

TEST_P(WebhooksTest, TheNextBookerHearsOfALateCarThroughTheGateway) {
  auto hook = subscribe({{"events", {"booking.late"}}, {"organization_id", id(club_)}});
  auto car = agent_.post("/api/v1/resources", {{"organization_id", id(club_)}, {"name", "Tesla 3"}, {"kind", "car"}, {"location", "Library"}});
  ASSERT_EQ(car.status, 201) << car.body;
  auto at = [&](auto from_now) { return to_rfc3339(server_.clock().now() + from_now); };
  auto amys = amy_.post("/api/v1/resources/" + id(car.json()) + "/bookings", {{"starts_at", at(0min)}, {"ends_at", at(120min)}}).json();
  ASSERT_EQ(bo_.post("/api/v1/resources/" + id(car.json()) + "/bookings", {{"starts_at", at(130min)}, {"ends_at", at(240min)}}).status, 201);
  ASSERT_EQ(amy_.post("/api/v1/bookings/" + id(amys) + "/pickup", Json::object()).status, 200);
  server_.clock().advance(90min);
  ASSERT_EQ(amy_.post("/api/v1/bookings/" + id(amys) + "/estimate", {{"expected_return_at", at(90min)}, {"location", "Ring road"}}).status,
            200);
  ASSERT_EQ(usecase::alert_late_returns(server_.services()).value_or(-1), 1);
  EXPECT_EQ(deliver().sent, 1);
  auto got = receiver_.received();
  ASSERT_EQ(got.size(), 1u);
  auto body = Json::parse(got[0].body);
  EXPECT_EQ(body["type"], "booking.late");
  EXPECT_EQ(body["data"]["person"]["email"], "bo@club.test") << "the next booker, not the late holder";
  EXPECT_EQ(body["data"]["resource"]["name"], "Tesla 3");
  EXPECT_EQ(body["data"]["last_location"], "Ring road");
  EXPECT_TRUE(body["data"]["expected_back_at"].is_string());
}

TEST_P(WebhooksTest, OnlyAdministratorsKeepWebhooksAndBadInputChangesNothing) {
  auto hook = subscribe({{"events", {"ticket.created"}}});
  auto path = "/api/v1/webhooks/" + id(hook);
  auto provider = admin_.get("/api/v1/me").json()["organization_id"].get<std::string>();
  auto anonymous = server_.client();
  expect_answers({
      {"listing", [](HttpClient& c) { return c.get("/api/v1/webhooks"); },
       {{&anonymous, 401}, {&agent_, 403}, {&boss_, 403}, {&amy_, 403}, {&admin_, 200}}},
      {"reading", [&](HttpClient& c) { return c.get(path); }, {{&agent_, 403}, {&boss_, 403}, {&amy_, 403}}},
      {"creating", [&](HttpClient& c) { return c.post("/api/v1/webhooks", {{"name", "x"}, {"url", "https://gw.example/"}, {"events", {"ticket.created"}}}); },
       {{&anonymous, 401}, {&agent_, 403}, {&boss_, 403}, {&amy_, 403}}},
      {"changing", [&](HttpClient& c) { return c.patch(path, {{"name", "y"}}, hook["etag"].get<std::string>()); }, {{&agent_, 403}, {&boss_, 403}}},
      {"rotating", [&](HttpClient& c) { return c.post(path + "/secret", Json::object()); }, {{&agent_, 403}, {&boss_, 403}}},
      {"pinging", [&](HttpClient& c) { return c.post(path + "/ping", Json::object()); }, {{&agent_, 403}, {&amy_, 403}}},
      {"the log", [&](HttpClient& c) { return c.get(path + "/deliveries"); }, {{&agent_, 403}, {&boss_, 403}, {&admin_, 200}}},
      {"unknown", [](HttpClient& c) { return c.get("/api/v1/webhooks/whk_none"); }, {{&admin_, 404}}},
      {"bad events",
       [](HttpClient& c) { return c.post("/api/v1/webhooks", {{"name", "x"}, {"url", "https://gw.example/"}, {"events", {"ticket.deleted"}}}); },
       {{&admin_, 422}}},
      {"no events", [](HttpClient& c) { return c.post("/api/v1/webhooks", {{"name", "x"}, {"url", "https://gw.example/"}}); }, {{&admin_, 422}}},
      {"a password in the url",
       [](HttpClient& c) { return c.post("/api/v1/webhooks", {{"name", "x"}, {"url", "https://u:p@gw.example/"}, {"events", {"ticket.created"}}}); },
       {{&admin_, 422}}},
      {"an unknown organisation",
       [&](HttpClient& c) {
         return c.post("/api/v1/webhooks", {{"name", "x"}, {"url", "https://gw.example/"}, {"events", {"ticket.created"}}, {"organization_id", "org_none"}});
       },
       {{&admin_, 422}}},
      {"the provider's own organisation",
       [&](HttpClient& c) {
         return c.post("/api/v1/webhooks", {{"name", "x"}, {"url", "https://gw.example/"}, {"events", {"ticket.created"}}, {"organization_id", provider}});
       },
       {{&admin_, 422}}},
      {"an unknown field", [&](HttpClient& c) { return c.patch(path, {{"secret", "mine"}}, hook["etag"].get<std::string>()); }, {{&admin_, 422}}},
      {"no If-Match", [&](HttpClient& c) { return c.patch(path, {{"name", "y"}}, ""); }, {{&admin_, 428}}},
      {"a stale version", [&](HttpClient& c) { return c.patch(path, {{"name", "y"}}, "\"v9\""); }, {{&admin_, 412}}},
  });
  auto renamed = admin_.patch(path, {{"name", "Push gateway"}, {"events", {"ticket.created", "booking.late"}}}, hook["etag"].get<std::string>());
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json()["version"], 2);
  EXPECT_EQ(renamed.json()["events"].size(), 2u);
  auto audit = admin_.get("/api/v1/audit?limit=5").json()["items"];
  bool found = false;
  for (const auto& a : audit) {
    EXPECT_EQ(a.dump().find(hook["secret"].get<std::string>()), std::string::npos) << "no secret in the audit log";
    found = found || a["action"] == "webhook.update";
  }
  EXPECT_TRUE(found) << audit.dump();
}

INSTANTIATE_TEST_SUITE_P(Stores, WebhooksTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
