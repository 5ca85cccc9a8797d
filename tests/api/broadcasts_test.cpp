// REL-5 on every store: proactive communication. Members of the car-share club follow the
// booking service's news through the channels they choose; staff write a maintenance window in
// English and Chinese and publish it once to the club: subscribers hear by their own channels
// (one who chose none hears nothing), everyone else of the club in the portal and by mail, each
// in their language; SMS goes out through the outbound webhook a gateway listens on. People read
// the broadcasts that reached them and no others; a major incident's news reaches the people on
// it; bad input changes nothing. With the test mail servers, the mail goes through Postfix into
// Dovecot and is read back.
#include <unistd.h>

#include "api/api_fixture.h"
#include "channels/mail.h"
#include "channels/smtp.h"
#include "channels/webhook_client.h"
#include "support/mail_servers.h"
#include "support/webhook_receiver.h"
#include "usecase/mail_out.h"
#include "usecase/webhooks.h"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;

// Mail goes to the test Postfix when it runs (and is off otherwise).
TestServerOptions mail_to_test_servers() {
  TestServerOptions o;
  o.mail_out = usecase::MailOut{true, "news@tandem.test", "Campus Mobility", "https://desk.test"};
  return o;
}

class BroadcastsTest : public ApiTest {
 protected:
  BroadcastsTest() : ApiTest(mail_to_test_servers()) {}

  void SetUp() override {
    club_ = create_org("Car-share Club 共享汽车俱乐部");
    other_ = create_org("West College");
    // Unique mailboxes: Dovecot keeps its mail between tests.
    suffix_ = std::to_string(::getpid()) + (GetParam() == "sqlite" ? "s" : "p");
    amy_user_ = create_user("amy" + suffix_ + "@customer.test", "user", id(club_));
    bo_user_ = create_user("bo" + suffix_ + "@customer.test", "user", id(club_), "Passw0rd-test!", {{"language", "zh-CN"}});
    create_user("cy@club.test", "user", id(club_));
    create_user("wu@west.test", "user", id(other_));
    create_user("agent@provider.test", "agent");
    create_user("boss" + suffix_ + "@customer.test", "customer", id(club_));
    amy_ = login("amy" + suffix_ + "@customer.test");
    bo_ = login("bo" + suffix_ + "@customer.test");
    cy_ = login("cy@club.test");
    wu_ = login("wu@west.test");
    agent_ = login("agent@provider.test");
    boss_ = login("boss" + suffix_ + "@customer.test");
    service_ = admin_.post("/api/v1/services", {{"name", {{"en", "Car bookings"}, {"zh-CN", "车辆预约"}}}}).json();
    ASSERT_EQ(admin_.post("/api/v1/entitlements", {{"service_id", id(service_)}, {"organization_id", id(club_)}}).status, 201);
  }

  HttpResponse follow(HttpClient& who, std::vector<std::string> channels) {
    return who.post("/api/v1/service-subscriptions", {{"service_id", id(service_)}, {"channels", channels}});
  }

  Json maintenance(Json extra = Json::object()) {
    Json body{{"kind", "maintenance"},
              {"service_id", id(service_)},
              {"organization_ids", {id(club_)}},
              {"title", {{"en", "Bookings down Saturday 02:00–04:00"}, {"zh-CN", "周六 02:00–04:00 暂停预约"}}},
              {"body", {{"en", "The booking system is upgraded; cars already booked can be picked up."},
                        {"zh-CN", "预约系统升级；已预约的车辆仍可取车。"}}},
              {"starts_at", to_rfc3339(server_.clock().now() + 48h)},
              {"ends_at", to_rfc3339(server_.clock().now() + 50h)}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    return body;
  }

  Json draft(Json body) {
    auto r = agent_.post("/api/v1/broadcasts", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }

  HttpResponse publish(const Json& b) {
    return agent_.request("POST", "/api/v1/broadcasts/" + id(b) + "/publish", "{}",
                          {{"Content-Type", "application/json"}, {"If-Match", b["etag"].get<std::string>()}});
  }

  Json notifications(HttpClient& who) { return who.get("/api/v1/notifications").json()["items"]; }

  Json club_, other_, service_, amy_user_, bo_user_;
  std::string suffix_;
  HttpClient amy_{0}, bo_{0}, cy_{0}, wu_{0}, agent_{0}, boss_{0};
};

TEST_P(BroadcastsTest, AMaintenanceWindowReachesEachPersonByTheirChannelsInTheirLanguage) {
  WebhookReceiver gateway;
  auto hook = admin_.post("/api/v1/webhooks",
                          {{"name", "SMS"}, {"url", gateway.url("/sms")}, {"events", {"broadcast.message"}}, {"local_network", true}});
  ASSERT_EQ(hook.status, 201) << hook.body;
  auto followed = follow(amy_, {"portal", "sms"});
  ASSERT_EQ(followed.status, 201) << followed.body;
  EXPECT_EQ(follow(amy_, {"portal", "sms"}).status, 200) << "following again changes the channels";
  ASSERT_EQ(follow(cy_, {}).status, 201) << "Cy asks to hear nothing of it";
  EXPECT_EQ(follow(wu_, {"email"}).status, 404) << "not a service of West College";
  EXPECT_EQ(follow(amy_, {"fax"}).status, 422);

  auto b = draft(maintenance());
  EXPECT_EQ(b["state"], "draft");
  EXPECT_EQ(amy_.get("/api/v1/broadcasts/" + id(b)).status, 404) << "a draft reaches nobody";
  auto published = publish(b);
  ASSERT_EQ(published.status, 200) << published.body;
  auto reach = published.json()["reach"];
  EXPECT_EQ(reach["people"], 3) << "Amy by her channels, Bo and the club's customer as its people; Cy chose none" << reach;
  EXPECT_EQ(reach["portal"], 3);
  EXPECT_EQ(reach["email"], 2) << "Bo and the customer, not subscribed, also by mail";
  EXPECT_EQ(reach["sms"], 1);
  EXPECT_EQ(published.json()["state"], "published");
  EXPECT_EQ(publish(published.json()).status, 409) << "published once";
  EXPECT_EQ(agent_.patch("/api/v1/broadcasts/" + id(b), {{"title", "Changed"}}, published.json()["etag"].get<std::string>()).status, 409);

  auto amys = notifications(amy_);
  ASSERT_EQ(amys.size(), 1u);
  EXPECT_EQ(amys[0]["kind"], "broadcast");
  EXPECT_EQ(amys[0]["summary"], "Bookings down Saturday 02:00–04:00");
  EXPECT_EQ(amys[0]["broadcast_id"], id(b));
  auto bos = notifications(bo_);
  ASSERT_EQ(bos.size(), 1u);
  EXPECT_EQ(bos[0]["summary"], "周六 02:00–04:00 暂停预约") << "in Bo's language";
  EXPECT_TRUE(notifications(cy_).empty());
  EXPECT_TRUE(notifications(wu_).empty());

  EXPECT_EQ(amy_.get("/api/v1/broadcasts").json()["items"].size(), 1u);
  EXPECT_EQ(amy_.get("/api/v1/broadcasts/" + id(b)).json()["body"]["zh-CN"], "预约系统升级；已预约的车辆仍可取车。");
  EXPECT_TRUE(wu_.get("/api/v1/broadcasts").json()["items"].empty()) << "another organisation's news";
  EXPECT_EQ(wu_.get("/api/v1/broadcasts/" + id(b)).status, 404);
  EXPECT_TRUE(cy_.get("/api/v1/broadcasts").json()["items"].empty());
  auto recipients = agent_.get("/api/v1/broadcasts/" + id(b) + "/recipients").json()["items"];
  ASSERT_EQ(recipients.size(), 3u);

  auto mails = admin_.get("/api/v1/outgoing-mail?state=queued").json()["items"];
  ASSERT_EQ(mails.size(), 2u) << mails.dump();
  bool bos_mail = false;
  for (const auto& m : mails) {
    EXPECT_EQ(m["kind"], "broadcast");
    EXPECT_EQ(m["ticket_id"], nullptr);
    EXPECT_EQ(m["broadcast_id"], id(b));
    EXPECT_NE(m["user_id"], id(amy_user_)) << "Amy chose the portal and SMS";
    bos_mail = bos_mail || m["user_id"] == id(bo_user_);
  }
  EXPECT_TRUE(bos_mail);

  channels::CurlWebhookSender sender(false);
  ASSERT_EQ(usecase::deliver_events(server_.services(), sender).value_or(usecase::DeliveryRun{}).sent, 1);
  auto got = gateway.received();
  ASSERT_EQ(got.size(), 1u);
  auto sms = Json::parse(got[0].body);
  EXPECT_EQ(sms["type"], "broadcast.message");
  EXPECT_EQ(sms["data"]["person"]["id"], id(amy_user_));
  EXPECT_EQ(sms["data"]["channels"], Json({"sms"}));
  EXPECT_EQ(sms["data"]["title"], "Bookings down Saturday 02:00–04:00");

  // With the test mail servers: Bo's mail goes through Postfix into Dovecot, in Chinese.
  auto mta = mail_servers();
  if (!mta) return;
  channels::SmtpMailSender relay({"smtp://127.0.0.1:" + std::to_string(mta->smtp)}, server_.clock());
  auto sent = usecase::send_outgoing_mail(server_.services(), relay);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->sent, 2);
  std::optional<std::string> raw;
  ASSERT_TRUE(eventually([&] { return (raw = imap_fetch(mta->imap, "bo" + suffix_ + "@customer.test", 1)).has_value(); }));
  auto read = channels::read_mail(*raw);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->subject, "周六 02:00–04:00 暂停预约");
  EXPECT_NE(read->text.find("预约系统升级"), std::string::npos) << read->text;
  EXPECT_NE(read->text.find("车辆预约"), std::string::npos) << "whose news it is: " << read->text;
}

TEST_P(BroadcastsTest, AMajorIncidentsNewsReachesThePeopleOnIt) {
  auto mine = amy_.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "App will not open the car"}, {"description", "."}}).json();
  auto major = agent_.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Car unlock outage"}, {"description", "."},
                                               {"on_behalf_of", id(amy_user_)}})
                   .json();
  ASSERT_EQ(agent_.patch("/api/v1/tickets/" + id(major), {{"major_incident", true}}, major["etag"]).status, 200);
  ASSERT_EQ(agent_.post("/api/v1/tickets/" + id(major) + "/links", {{"ticket_id", id(mine)}, {"kind", "child"}}).status, 201);
  auto unrelated = amy_.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Dirty seats"}, {"description", "."}}).json();

  auto bad = agent_.post("/api/v1/broadcasts", {{"kind", "major_incident"}, {"ticket_id", id(unrelated)}, {"title", "x"}, {"body", "y"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(problems(bad).contains("ticket_id")) << bad.body;
  auto b = draft({{"kind", "major_incident"}, {"ticket_id", id(major)}, {"title", "Unlocking works again"}, {"body", "Restart the app."}});
  auto published = publish(b);
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(published.json()["reach"]["people"], 1) << "Amy, on the incident; nobody else of the club";
  auto amys = notifications(amy_);
  EXPECT_TRUE(std::ranges::any_of(amys, [&](const Json& n) { return n["broadcast_id"] == id(b); })) << amys.dump();
  EXPECT_TRUE(notifications(bo_).empty());
}

TEST_P(BroadcastsTest, AnOrganisationsNewsStaysWithItAndMembersReadOnlyWhatItSaid) {
  ASSERT_EQ(admin_.post("/api/v1/entitlements", {{"service_id", id(service_)}, {"organization_id", id(other_)}}).status, 201);
  ASSERT_EQ(follow(wu_, {"portal"}).status, 201) << "West College uses the service too";
  ASSERT_EQ(follow(amy_, {"portal"}).status, 201);
  auto club_only = draft(maintenance());
  auto published = publish(club_only);
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_TRUE(notifications(wu_).empty()) << "the club's window is not West College's news";
  EXPECT_EQ(notifications(amy_).size(), 1u);

  auto everyone = draft({{"kind", "notice"}, {"service_id", id(service_)}, {"title", "New app version"}, {"body", "Update the app."}});
  ASSERT_EQ(publish(everyone).status, 200);
  EXPECT_EQ(notifications(wu_).size(), 1u) << "a service's own news reaches every subscriber";

  // A member reads what it said, not whom else it addressed or how many heard it.
  auto read = amy_.get("/api/v1/broadcasts/" + id(club_only)).json();
  EXPECT_EQ(read["title"]["en"], "Bookings down Saturday 02:00–04:00");
  for (auto hidden : {"organization_ids", "reach", "created_by", "ticket_id"}) EXPECT_FALSE(read.contains(hidden)) << hidden;
  EXPECT_TRUE(agent_.get("/api/v1/broadcasts/" + id(club_only)).json().contains("organization_ids")) << "staff read it all";
  // Staff's own news: only what reached them.
  EXPECT_EQ(agent_.get("/api/v1/broadcasts").json()["items"].size(), 2u);
  EXPECT_TRUE(agent_.get("/api/v1/broadcasts?reached=me").json()["items"].empty());
  EXPECT_EQ(amy_.get("/api/v1/broadcasts?reached=me").json()["items"].size(), 2u);
  EXPECT_EQ(amy_.get("/api/v1/broadcasts?reached=everyone").status, 422);
}

TEST_P(BroadcastsTest, OnlyStaffBroadcastAndBadInputChangesNothing) {
  auto b = draft(maintenance());
  auto path = "/api/v1/broadcasts/" + id(b);
  auto etag = b["etag"].get<std::string>();
  auto provider = admin_.get("/api/v1/me").json()["organization_id"].get<std::string>();
  auto anonymous = server_.client();
  expect_answers({
      {"a member writing", [&](HttpClient& c) { return c.post("/api/v1/broadcasts", maintenance()); },
       {{&anonymous, 401}, {&amy_, 403}, {&boss_, 403}}},
      {"reading without signing in", [&](HttpClient& c) { return c.get("/api/v1/broadcasts"); }, {{&anonymous, 401}}},
      {"subscriptions without signing in", [&](HttpClient& c) { return c.get("/api/v1/service-subscriptions"); }, {{&anonymous, 401}}},
      {"following without signing in",
       [&](HttpClient& c) { return c.post("/api/v1/service-subscriptions", {{"service_id", id(service_)}, {"channels", {"email"}}}); },
       {{&anonymous, 401}}},
      {"a member changing", [&](HttpClient& c) { return c.patch(path, {{"title", "x"}}, etag); }, {{&amy_, 403}, {&boss_, 403}}},
      {"a member publishing",
       [&](HttpClient& c) { return c.request("POST", path + "/publish", "{}", {{"Content-Type", "application/json"}, {"If-Match", etag}}); },
       {{&amy_, 403}, {&boss_, 403}}},
      {"a member reading a draft", [&](HttpClient& c) { return c.get(path); }, {{&amy_, 404}, {&wu_, 404}, {&agent_, 200}}},
      {"the recipients", [&](HttpClient& c) { return c.get(path + "/recipients"); }, {{&amy_, 403}, {&agent_, 200}}},
      {"a window without its times",
       [&](HttpClient& c) { return c.post("/api/v1/broadcasts", maintenance({{"starts_at", nullptr}, {"ends_at", nullptr}})); },
       {{&agent_, 422}}},
      {"an end before the start",
       [&](HttpClient& c) { return c.post("/api/v1/broadcasts", maintenance({{"ends_at", to_rfc3339(server_.clock().now())}})); },
       {{&agent_, 422}}},
      {"an unknown kind", [&](HttpClient& c) { return c.post("/api/v1/broadcasts", maintenance({{"kind", "outage"}})); }, {{&agent_, 422}}},
      {"an unknown field", [&](HttpClient& c) { return c.post("/api/v1/broadcasts", maintenance({{"urgent", true}})); }, {{&agent_, 422}}},
      {"an unknown organisation",
       [&](HttpClient& c) { return c.post("/api/v1/broadcasts", maintenance({{"organization_ids", {"org_none"}}})); },
       {{&agent_, 422}}},
      {"the provider's own organisation",
       [&](HttpClient& c) { return c.post("/api/v1/broadcasts", maintenance({{"organization_ids", {provider}}})); },
       {{&agent_, 422}}},
      {"no title", [&](HttpClient& c) { return c.post("/api/v1/broadcasts", maintenance({{"title", Json::object()}})); }, {{&agent_, 422}}},
      {"publishing without If-Match", [&](HttpClient& c) { return c.post(path + "/publish", Json::object()); }, {{&agent_, 428}}},
      {"publishing a stale version",
       [&](HttpClient& c) { return c.request("POST", path + "/publish", "{}", {{"Content-Type", "application/json"}, {"If-Match", "\"v9\""}}); },
       {{&agent_, 412}}},
  });
  auto problems_of = problems(agent_.post("/api/v1/broadcasts", maintenance({{"service_id", nullptr}, {"starts_at", nullptr}})));
  EXPECT_TRUE(problems_of.contains("service_id"));
  EXPECT_TRUE(problems_of.contains("starts_at"));
  EXPECT_TRUE(notifications(amy_).empty()) << "nothing was sent";

  // A draft changes on the version read; a title in one language keeps the other's.
  auto changed = agent_.patch(path, {{"title", {{"en", "Bookings down Sunday"}}}}, etag);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json()["title"]["en"], "Bookings down Sunday");
  EXPECT_EQ(changed.json()["title"]["zh-CN"], "周六 02:00–04:00 暂停预约");

  // Subscriptions are one's own.
  auto mine = follow(amy_, {"email"}).json();
  EXPECT_EQ(amy_.get("/api/v1/service-subscriptions").json()["items"].size(), 1u);
  EXPECT_TRUE(bo_.get("/api/v1/service-subscriptions").json()["items"].empty());
  EXPECT_EQ(bo_.del("/api/v1/service-subscriptions/" + id(mine)).status, 404);
  EXPECT_EQ(amy_.del("/api/v1/service-subscriptions/" + id(mine)).status, 204);
  EXPECT_TRUE(amy_.get("/api/v1/service-subscriptions").json()["items"].empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, BroadcastsTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
