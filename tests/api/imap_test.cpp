// REL-1 on every store: mail in from a mailbox. Mail goes through Postfix into a Dovecot mailbox
// (scripts/with-mail-servers.sh); an imap channel names the mailbox, and polling it files each
// new message once — a repeat poll reads nothing again, an auto-reply is ignored, a new message
// later is read from where the poll stopped — while a mailbox that cannot be read is told once in
// the channel's log. Without the mail servers (not root) the tests say they were skipped.
#include "api/api_fixture.h"
#include "channels/imap.h"
#include "core/crypto.h"
#include "support/mail_servers.h"

namespace tandem::testing {
namespace {

class ImapTest : public ApiTest {
 protected:
  void SetUp() override {
    mta_ = mail_servers();
    if (!mta_) GTEST_SKIP() << "no mail servers (scripts/with-mail-servers.sh starts them, as root)";
    org_ = create_org("Customer College");
    create_user("alice@customer.test", "user", id(org_));
    // A mailbox of its own per test and store: Dovecot makes it on first delivery.
    box_ = "desk-" + random_token(6);
  }

  Json make_channel(const std::string& password) {
    auto r = admin_.post("/api/v1/channels", {{"kind", "imap"},
                                              {"name", "Support mailbox"},
                                              {"address", "imap://" + box_ + "%40customer.test@127.0.0.1:" + std::to_string(mta_->imap) + "/INBOX"},
                                              {"secret", password},
                                              {"organization_id", id(org_)}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }

  std::optional<storage::Channel> stored(const Json& channel) {
    auto found = server_.services().db.read([&](storage::Connection& c) { return storage::channel_store::find(c, id(channel)); });
    return found ? *found : std::nullopt;
  }

  void deliver(const std::string& message_id, const std::string& subject, const std::string& extra = "") {
    ASSERT_TRUE(smtp_send(mta_->smtp, "alice@customer.test", box_ + "@customer.test",
                          "From: Alice <alice@customer.test>\r\nTo: " + box_ + "@customer.test\r\nSubject: " + subject +
                              "\r\nMessage-ID: <" + message_id + ">\r\n" + extra +
                              "Content-Type: text/plain; charset=utf-8\r\n\r\nWritten to the mailbox.\r\n"));
  }

  // Polls until `count` messages were taken in all, as Postfix hands them on at its own pace.
  int poll_until(const Json& channel, int count) {
    int taken = 0;
    eventually([&] {
      auto poll = channels::poll_mailbox(server_.services(), *stored(channel), 1 << 20);
      EXPECT_EQ(poll.error, "");
      taken += poll.taken;
      return taken >= count;
    });
    return taken;
  }

  Json tickets() { return admin_.get("/api/v1/tickets?limit=50").json()["items"]; }

  std::optional<MailServers> mta_;
  Json org_;
  std::string box_;
};

TEST_P(ImapTest, EachNewMessageIsFiledOnceAndThePollGoesOnWhereItStopped) {
  auto channel = make_channel("secret");
  deliver("one@customer.test", "Heating in room 12 is off");
  deliver("two@customer.test", "Automatic reply: away", "Auto-Submitted: auto-replied\r\n");
  // Both are in the mailbox before the first poll: a poll of a mailbox Dovecot has not made yet
  // would make it, racing the delivery that makes it too, and may see its UIDVALIDITY change
  // (which reads the mailbox again from the start — harmless, each message is filed once, but
  // not what this test counts).
  ASSERT_TRUE(eventually([&] { return imap_fetch(mta_->imap, box_ + "@customer.test", 2).has_value(); }));
  EXPECT_EQ(poll_until(channel, 2), 2);
  auto list = tickets();
  ASSERT_EQ(list.size(), 1u) << "the auto-reply opens nothing";
  EXPECT_EQ(list[0]["subject"], "Heating in room 12 is off");
  EXPECT_EQ(list[0]["channel"], "email");

  auto again = channels::poll_mailbox(server_.services(), *stored(channel), 1 << 20);
  EXPECT_EQ(again.error, "");
  EXPECT_EQ(again.taken, 0) << "nothing is read twice";

  deliver("three@customer.test", "Re: Heating in room 12 is off", "In-Reply-To: <one@customer.test>\r\n");
  EXPECT_EQ(poll_until(channel, 1), 1);
  EXPECT_EQ(tickets().size(), 1u) << "the answer threads to the ticket";
  auto timeline = admin_.get("/api/v1/tickets/" + id(list[0]) + "/timeline?limit=50").json()["items"];
  int mails = 0;
  for (const auto& e : timeline) mails += e["kind"] == "comment" && e["body"] == "Written to the mailbox.";
  EXPECT_EQ(mails, 1);
}

TEST_P(ImapTest, AMailboxThatCannotBeReadIsToldOnceInTheChannelsLogAndReadsNothing) {
  // A wrong password: refused by Dovecot (which delays every further failure from the address,
  // so it is tried once here).
  auto wrong = make_channel("not-the-password");
  deliver("four@customer.test", "Printer");
  auto poll = channels::poll_mailbox(server_.services(), *stored(wrong), 1 << 20);
  EXPECT_NE(poll.error.find("the mailbox could not be read"), std::string::npos) << poll.error;
  EXPECT_EQ(poll.taken, 0);
  EXPECT_EQ(admin_.get("/api/v1/channels/" + id(wrong) + "/deliveries").json()["items"].size(), 1u);

  // No server at all, polled again and again: told once.
  auto r = admin_.post("/api/v1/channels", {{"kind", "imap"},
                                            {"name", "Gone mailbox"},
                                            {"address", "imap://desk@127.0.0.1:" + std::to_string(free_port()) + "/INBOX"},
                                            {"secret", "secret"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto gone = r.json();
  for (int i = 0; i < 3; ++i) {
    poll = channels::poll_mailbox(server_.services(), *stored(gone), 1 << 20);
    EXPECT_NE(poll.error.find("the mailbox could not be read"), std::string::npos) << poll.error;
  }
  auto log = admin_.get("/api/v1/channels/" + id(gone) + "/deliveries").json()["items"];
  ASSERT_EQ(log.size(), 1u) << log.dump();
  EXPECT_EQ(log[0]["outcome"], "invalid");
  EXPECT_TRUE(tickets().empty());
}

TEST_P(ImapTest, AMailboxChannelNeedsItsUrlAndPasswordAndKeepsThePasswordItWasGiven) {
  auto bad = admin_.post("/api/v1/channels", {{"kind", "imap"}, {"name", "Box"}, {"address", "support@customer.test"}});
  ASSERT_EQ(bad.status, 422);
  auto why = problems(bad);
  EXPECT_TRUE(why.contains("address") && why.contains("secret")) << bad.body;
  auto channel = make_channel("secret");
  EXPECT_FALSE(channel.contains("secret")) << "the mailbox's password is not sent back";
  EXPECT_EQ(admin_.post("/api/v1/channels/" + id(channel) + "/secret", Json::object()).status, 409)
      << "the mail server keeps the password; Tandem cannot make a new one";
  auto patched = admin_.patch("/api/v1/channels/" + id(channel), {{"address", "imaps://nobody/INBOX"}}, "\"v1\"");
  EXPECT_EQ(patched.status, 422);
  patched = admin_.patch("/api/v1/channels/" + id(channel), {{"address", "imaps://desk@elsewhere.example/INBOX"}}, "\"v1\"");
  EXPECT_EQ(patched.status, 422) << "the password would go to another server";
  EXPECT_EQ(admin_.patch("/api/v1/channels/" + id(channel), {{"name", "Renamed"}}, "\"v1\"").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Stores, ImapTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
