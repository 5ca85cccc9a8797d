// REL-1 on every store: mail out. What is queued for whom (a staff reply, a state the requester
// must act on or that ends the request, the receipt of a request that came by mail; never a
// note, never one's own words, nothing without a relay); the durable outbox's back-off against a
// relay that is down, giving up, and an administrator's retry; threading a reply by the
// Message-ID of our mail. The relay here is libcurl's SMTP client talking to a closed port: the
// connection really fails. Mail through Postfix and back out of Dovecot is mail_roundtrip_test.cpp.
#include "api/api_fixture.h"
#include "channels/mail.h"
#include "channels/smtp.h"
#include "usecase/mail_out.h"

namespace tandem::testing {
namespace {

TestServerOptions with_mail_out() {
  TestServerOptions o;
  o.mail_out = usecase::MailOut{true, "support@desk.test", "Campus Desk", "https://desk.test"};
  return o;
}

class MailOutTest : public ApiTest {
 protected:
  MailOutTest() : ApiTest(with_mail_out()), agent_(server_.client()), requester_(server_.client()) {}

  void SetUp() override {
    org_ = create_org("East Campus");
    user_ = create_user("li.lei@east.test", "user", id(org_));
    create_user("agent@provider.test", "agent");
    agent_ = login("agent@provider.test");
    requester_ = login("li.lei@east.test");
  }

  Json open_ticket(const std::string& subject) {
    auto r = requester_.post("/api/v1/tickets", {{"type", "incident"}, {"subject", subject}, {"description", "It does not work."}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }

  Json outbox(const std::string& query = "") {
    auto r = admin_.get("/api/v1/outgoing-mail?limit=100" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["items"];
  }

  std::string path(const Json& t, const std::string& rest) { return "/api/v1/tickets/" + id(t) + rest; }

  Json org_, user_;
  HttpClient agent_, requester_;
};

TEST_P(MailOutTest, StaffRepliesAndEndingsAreQueuedForTheRequesterAndNothingElse) {
  auto t = open_ticket("Projector in room 4 is dark");
  EXPECT_TRUE(outbox().empty()) << "a request from the portal gets no receipt by mail";

  ASSERT_EQ(requester_.post(path(t, "/comments"), {{"body", "It is still dark."}, {"public", true}}).status, 201);
  ASSERT_EQ(agent_.post(path(t, "/comments"), {{"body", "Internal: lamp hours 4000"}, {"public", false}}).status, 201);
  EXPECT_TRUE(outbox().empty()) << "neither one's own words nor a staff note are mailed";

  server_.clock().advance(std::chrono::seconds(1));
  ASSERT_EQ(agent_.post(path(t, "/comments"), {{"body", "Please try the other input."}, {"public", true}}).status, 201);
  server_.clock().advance(std::chrono::seconds(1));
  ASSERT_EQ(agent_.post(path(t, "/transitions"), {{"to", "in_progress"}}).status, 200);
  EXPECT_EQ(outbox().size(), 1u) << "in progress asks nothing of the requester";
  server_.clock().advance(std::chrono::seconds(1));
  ASSERT_EQ(agent_.post(path(t, "/transitions"), {{"to", "resolved"}, {"resolution", "Lamp replaced."}}).status, 200);

  auto mails = outbox();
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(mails[0]["kind"], "status_changed");
  EXPECT_EQ(mails[1]["kind"], "reply");
  for (const auto& m : mails) {
    EXPECT_EQ(m["user_id"], id(user_));
    EXPECT_EQ(m["ticket_id"], id(t));
    EXPECT_EQ(m["state"], "queued");
    EXPECT_EQ(m["attempts"], 0);
    EXPECT_TRUE(m["message_id"].get<std::string>().ends_with("@desk.test"));
  }
  EXPECT_EQ(outbox("&ticket_id=" + id(t) + "&state=queued").size(), 2u);
  EXPECT_TRUE(outbox("&state=sent").empty());
}

TEST_P(MailOutTest, WithoutARelayNothingIsQueued) {
  TestServer plain(GetParam());
  auto admin = plain.admin();
  auto org = admin.post("/api/v1/organizations", {{"name", "West"}}).json();
  ASSERT_EQ(admin.post("/api/v1/users", {{"email", "u@west.test"}, {"name", "U"}, {"roles", {"user"}}, {"password", "Passw0rd-test!"},
                                         {"organization_id", id(org)}})
                .status,
            201);
  auto user = plain.client();
  ASSERT_EQ(user.login("u@west.test", "Passw0rd-test!").status, 200);
  auto t = user.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Broken"}, {"description", "x"}}).json();
  ASSERT_EQ(admin.post("/api/v1/tickets/" + id(t) + "/comments", {{"body", "On it."}, {"public", true}}).status, 201);
  EXPECT_TRUE(admin.get("/api/v1/outgoing-mail").json()["items"].empty());
}

TEST_P(MailOutTest, ARelayThatIsDownIsTriedAgainWithBackOffThenGivenUpAndAnAdministratorRetries) {
  auto t = open_ticket("Printer jam");
  ASSERT_EQ(agent_.post(path(t, "/comments"), {{"body", "Open tray 2."}, {"public", true}}).status, 201);
  channels::SmtpMailSender down({"smtp://127.0.0.1:" + std::to_string(free_port()), "", "", false, std::chrono::seconds(5)},
                                server_.clock());

  auto run = usecase::send_outgoing_mail(server_.services(), down);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->failed, 1);
  auto m = outbox()[0];
  EXPECT_EQ(m["state"], "queued");
  EXPECT_EQ(m["attempts"], 1);
  EXPECT_EQ(m["recipient"], "li.lei@east.test");
  EXPECT_FALSE(m["last_error"].is_null());
  // Not due again before its back-off has passed.
  run = usecase::send_outgoing_mail(server_.services(), down);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->failed, 0);
  EXPECT_EQ(outbox()[0]["attempts"], 1);

  // 1, 5, 15 minutes, 1, 4, 12 hours: the seventh failure gives up.
  for (int minutes : {1, 5, 15, 60, 240, 720}) {
    server_.clock().advance(std::chrono::minutes(minutes));
    run = usecase::send_outgoing_mail(server_.services(), down);
    ASSERT_TRUE(run);
  }
  EXPECT_EQ(run->given_up, 1);
  m = outbox()[0];
  EXPECT_EQ(m["state"], "failed");
  EXPECT_EQ(m["attempts"], 7);
  EXPECT_TRUE(m["next_at"].is_null());

  auto retry = "/api/v1/outgoing-mail/" + id(m) + "/retry";
  EXPECT_EQ(agent_.post(retry, Json::object()).status, 403);
  EXPECT_EQ(requester_.post(retry, Json::object()).status, 403);
  auto before = audit_count();
  auto r = admin_.post(retry, Json::object());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["state"], "queued");
  EXPECT_EQ(r.json()["attempts"], 0);
  EXPECT_EQ(audit_count(), before + 1) << "the retry is audited";
  EXPECT_EQ(admin_.post(retry, Json::object()).status, 409) << "only a failed mail is sent again";
  EXPECT_EQ(admin_.post("/api/v1/outgoing-mail/mal_nothing/retry", Json::object()).status, 404);
}

TEST_P(MailOutTest, AnAddressTheRecipientNoLongerHasEndsTheMailWithoutATry) {
  auto t = open_ticket("Door badge");
  ASSERT_EQ(agent_.post(path(t, "/comments"), {{"body", "Badge reissued."}, {"public", true}}).status, 201);
  auto closed = admin_.patch("/api/v1/users/" + id(user_), {{"active", false}}, "\"v" + std::to_string(user_["version"].get<int>()) + "\"");
  ASSERT_EQ(closed.status, 200) << closed.body;
  channels::SmtpMailSender down({"smtp://127.0.0.1:" + std::to_string(free_port())}, server_.clock());
  auto run = usecase::send_outgoing_mail(server_.services(), down);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->dropped, 1);
  auto m = outbox()[0];
  EXPECT_EQ(m["state"], "failed");
  EXPECT_EQ(m["attempts"], 0);
  EXPECT_EQ(m["last_error"], "the recipient's account is closed");
}

TEST_P(MailOutTest, AReplyToOurMailThreadsByItsMessageIdAndAMailedRequestGetsAReceipt) {
  auto raw = [](const std::string& message_id, const std::string& subject, const std::string& extra, const std::string& body) {
    return "From: Li Lei <li.lei@east.test>\r\nTo: support@desk.test\r\nSubject: " + subject + "\r\nMessage-ID: <" + message_id +
           ">\r\n" + extra + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
  };
  auto filed = channels::mailgate(server_.services(), raw("first@east.test", "Wifi down in library", "", "No signal."), std::nullopt, 1 << 20);
  ASSERT_EQ(filed.exit_code, channels::kMailTaken) << filed.line;
  auto mails = outbox();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0]["kind"], "created") << "a request that came by mail is acknowledged by mail";
  auto ticket_id = mails[0]["ticket_id"].get<std::string>();

  server_.clock().advance(std::chrono::seconds(1));
  ASSERT_EQ(agent_.post("/api/v1/tickets/" + ticket_id + "/comments", {{"body", "Which floor?"}, {"public", true}}).status, 201);
  auto reply_id = outbox()[0]["message_id"].get<std::string>();

  // The answer lost our tag from its subject: it threads by the Message-ID it answers.
  server_.clock().advance(std::chrono::seconds(1));
  filed = channels::mailgate(server_.services(),
                             raw("second@east.test", "Re: Wifi", "In-Reply-To: <" + reply_id + ">\r\nReferences: <" + reply_id + ">\r\n",
                                 "Second floor."),
                             std::nullopt, 1 << 20);
  ASSERT_EQ(filed.exit_code, channels::kMailTaken) << filed.line;
  auto tickets = admin_.get("/api/v1/tickets?limit=10").json()["items"];
  ASSERT_EQ(tickets.size(), 1u) << "no second ticket";
  auto timeline = admin_.get("/api/v1/tickets/" + ticket_id + "/timeline?limit=50").json()["items"].dump();
  EXPECT_NE(timeline.find("Second floor."), std::string::npos);
  EXPECT_EQ(outbox().size(), 2u) << "the requester's own mail is not mailed back";
}

TEST_P(MailOutTest, OnlyAdministratorsReadTheOutbox) {
  open_ticket("Anything");
  auto customer_email = "boss@east.test";
  create_user(customer_email, "customer", id(org_));
  auto customer = login(customer_email);
  auto anonymous = server_.client();
  expect_answers({
      {"list", [](HttpClient& c) { return c.get("/api/v1/outgoing-mail"); },
       {{&admin_, 200}, {&agent_, 403}, {&requester_, 403}, {&customer, 403}, {&anonymous, 401}}},
      {"bad state", [](HttpClient& c) { return c.get("/api/v1/outgoing-mail?state=lost"); }, {{&admin_, 422}}},
  });
}

INSTANTIATE_TEST_SUITE_P(Stores, MailOutTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
