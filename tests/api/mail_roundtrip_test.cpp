// REL-1 through real mail servers: a customer's mail goes in through Postfix, which pipes it to
// `tandem mailgate`; the desk's receipt and its agent's reply go out through Postfix into the
// customer's Dovecot mailbox, where IMAP reads them back; the customer's answer to the reply
// (its subject stripped of our tag) threads by Message-ID onto the same ticket. The servers are
// started by scripts/with-mail-servers.sh, which `make test` runs the suites under; without them
// (not root) the test says it was skipped.
#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "api/api_fixture.h"
#include "channels/mail.h"
#include "support/mail_servers.h"

namespace tandem::testing {
namespace {

usecase::IncomingMail expect_mail(const MailServers& mta, int uid) {
  std::optional<std::string> raw;
  EXPECT_TRUE(eventually([&] { return (raw = imap_fetch(mta.imap, "alice@customer.test", uid)).has_value(); }))
      << "mail " << uid << " never reached the customer's mailbox";
  auto read = raw ? channels::read_mail(*raw) : std::nullopt;
  return read.value_or(usecase::IncomingMail{});
}

std::string header(const usecase::IncomingMail& m, std::string_view name) {
  for (const auto& [n, value] : m.headers)
    if (n == name) return value;
  return "";
}

// The pipe runs mailgate as the MTA's user: the store's files become that user's (the server,
// root, writes them all the same; SQLite gives the files it adds the database's owner).
void give_to(const std::string& user, const std::string& dir) {
  const passwd* pw = getpwnam(user.c_str());
  ASSERT_NE(pw, nullptr);
  ASSERT_EQ(::chown(dir.c_str(), pw->pw_uid, pw->pw_gid), 0);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
    ASSERT_EQ(::lchown(entry.path().c_str(), pw->pw_uid, pw->pw_gid), 0) << entry.path();
}

TEST(MailRoundTrip, InThroughPostfixToMailgateOutThroughPostfixIntoDovecotAndTheAnswerThreads) {
  auto mta = mail_servers();
  if (!mta) GTEST_SKIP() << "no mail servers (scripts/with-mail-servers.sh starts them, as root)";
  TestStore store("sqlite");
  auto smtp_url = "smtp://127.0.0.1:" + std::to_string(mta->smtp);
  ServerProcess server(store, {{"TANDEM_SMTP_URL", smtp_url}, {"TANDEM_MAIL_FROM", "support@tandem.test"},
                               {"TANDEM_MAIL_FROM_NAME", "Campus Desk"}});
  server.start();
  HttpClient admin(server.port());
  ASSERT_EQ(admin.login(kAdminEmail, kAdminPassword).status, 200);
  auto org = admin.post("/api/v1/organizations", {{"name", "Customer College"}}).json();
  auto channel = admin.post("/api/v1/channels", {{"kind", "email"}, {"name", "Support"}, {"address", "support@tandem.test"},
                                                 {"organization_id", id(org)}});
  ASSERT_EQ(channel.status, 201) << channel.body;

  {
    std::ofstream env(mta->dir + "/tandem.env", std::ios::trunc);
    env << "TANDEM_DATA_DIR=" << store.data_dir() << "\nTANDEM_DATABASE=sqlite\nTANDEM_LOG=warn\n"
        << "TANDEM_SMTP_URL=" << smtp_url << "\nTANDEM_MAIL_FROM=support@tandem.test\n";
  }
  give_to(mta->user, store.data_dir());

  // In: Postfix → mailgate → a new ticket for a stranger, added to the channel's organisation.
  ASSERT_TRUE(smtp_send(mta->smtp, "alice@customer.test", "support@tandem.test",
            "From: Alice <alice@customer.test>\r\nTo: support@tandem.test\r\nSubject: Projector in hall B is dark\r\n"
            "Message-ID: <first.alice@customer.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            "The projector shows nothing.\r\n"));
  Json tickets;
  ASSERT_TRUE(eventually([&] {
    tickets = admin.get("/api/v1/tickets?limit=10").json()["items"];
    return tickets.size() == 1;
  })) << "the mail never became a ticket";
  auto ticket = tickets[0];
  EXPECT_EQ(ticket["subject"], "Projector in hall B is dark");
  EXPECT_EQ(ticket["channel"], "email");
  auto tag = "[T#" + std::to_string(ticket["number"].get<int>()) + "-";

  // Out: the receipt, queued by mailgate and sent by the server, marked as an automatic answer.
  auto receipt = expect_mail(*mta, 1);
  EXPECT_NE(receipt.subject.find("We have your request: Projector in hall B is dark " + tag), std::string::npos) << receipt.subject;
  EXPECT_EQ(receipt.from_address, "support@tandem.test");
  EXPECT_EQ(header(receipt, "Auto-Submitted"), "auto-replied");
  EXPECT_EQ(receipt.in_reply_to, std::vector<std::string>{"first.alice@customer.test"});

  // Out: an agent's reply, threaded to the conversation, answerable at the tagged address.
  ASSERT_EQ(admin.post("/api/v1/tickets/" + id(ticket) + "/comments", {{"body", "Please press the input button twice."}, {"public", true}})
                .status,
            201);
  auto reply = expect_mail(*mta, 2);
  EXPECT_NE(reply.text.find("Please press the input button twice."), std::string::npos) << reply.text;
  EXPECT_EQ(header(reply, "Auto-Submitted"), "auto-generated");
  EXPECT_EQ(reply.references, (std::vector<std::string>{"first.alice@customer.test", receipt.message_id}));
  std::string reply_to;
  for (const auto& r : reply.recipients)
    if (r.starts_with("support+t")) reply_to = r;
  EXPECT_FALSE(reply_to.empty()) << "Reply-To carries the ticket's reference";

  // In again: the answer lost the tag from its subject and goes to the plain address; it threads
  // by the Message-ID it answers, and what it quotes is folded.
  ASSERT_TRUE(smtp_send(mta->smtp, "alice@customer.test", "support@tandem.test",
            "From: Alice <alice@customer.test>\r\nTo: support@tandem.test\r\nSubject: Re: Projector\r\n"
            "Message-ID: <second.alice@customer.test>\r\nIn-Reply-To: <" + reply.message_id + ">\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nPressed twice, it works now.\r\n\r\n> Please press the input button twice.\r\n"));
  ASSERT_TRUE(eventually([&] {
    auto timeline = admin.get("/api/v1/tickets/" + id(ticket) + "/timeline?limit=50").json()["items"].dump();
    return timeline.find("Pressed twice, it works now.") != std::string::npos;
  })) << "the answer never reached the ticket";
  EXPECT_EQ(admin.get("/api/v1/tickets?limit=10").json()["items"].size(), 1u);
  auto sent = admin.get("/api/v1/outgoing-mail?state=sent").json()["items"];
  EXPECT_EQ(sent.size(), 2u) << sent.dump();
}

}  // namespace
}  // namespace tandem::testing
