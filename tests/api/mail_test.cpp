// REL-1 on every store: mail in. The corpus in tests/fixtures/mail — auto-replies of common
// servers, bounces, lists, GBK/GB2312/Big5/GB18030/ISO-2022-JP/Windows-1252 mail, HTML-only mail,
// forwards, attachments, winmail.dat, strangers, repeats — each piped through mailgate in order
// with the outcome expected.txt names; then what the corpus cannot hold: our signed reference, a
// loop, a file over the limit, a requester's reply to a waiting ticket. The real `tandem mailgate`
// process and its exit codes are in process_test.cpp.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/api_fixture.h"
#include "channels/mail.h"
#include "domain/channels/mail.h"

namespace tandem::testing {
namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

const std::filesystem::path kCorpus = std::filesystem::path(TANDEM_FIXTURES) / "mail";

struct Expected {
  std::string file, outcome, want, unwanted;
};

std::vector<Expected> expectations() {
  std::vector<Expected> out;
  std::istringstream in(read_file(kCorpus / "expected.txt"));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.starts_with('#')) continue;
    Expected e;
    std::istringstream fields(line);
    std::getline(fields, e.file, '\t');
    std::getline(fields, e.outcome, '\t');
    std::getline(fields, e.want, '\t');
    std::getline(fields, e.unwanted, '\t');
    out.push_back(e);
  }
  return out;
}

class MailTest : public ApiTest {
 protected:
  void SetUp() override {
    east_ = create_org("East Campus 华东");
    auto west = create_org("West College");
    wang_ = create_user("wang.fang@east.test", "user", id(east_));
    for (auto email : {"zhao.min@east.test", "sun.li@east.test"}) create_user(email, "user", id(east_));
    create_user("john.smith@west.test", "user", id(west));
    create_user("desk@provider.test", "agent");
  }

  channels::MailgateResult pipe(const std::string& raw, std::size_t limit = 25 << 20) {
    server_.clock().advance(std::chrono::seconds(1));  // the delivery log lists by time
    return channels::mailgate(server_.services(), raw, std::nullopt, limit);
  }

  Json tickets() {
    auto r = admin_.get("/api/v1/tickets?limit=500");
    EXPECT_EQ(r.status, 200);
    return r.json()["items"];
  }

  Json timeline(const std::string& ticket_id) { return admin_.get("/api/v1/tickets/" + ticket_id + "/timeline?limit=500").json()["items"]; }

  // Everything the ticket and its timeline say, as one text.
  std::string everything(const std::string& ticket_id) {
    return admin_.get("/api/v1/tickets/" + ticket_id).json().dump(-1, ' ', false) + timeline(ticket_id).dump(-1, ' ', false);
  }

  Json last_delivery() {
    auto channels = admin_.get("/api/v1/channels").json()["items"];
    return admin_.get("/api/v1/channels/" + id(channels[0]) + "/deliveries?limit=1").json()["items"][0];
  }

  std::string mail(const std::string& from, const std::string& subject, const std::string& message_id, const std::string& body,
                   const std::vector<std::string>& extra = {}) {
    std::string raw = "From: " + from + "\nTo: support@helpdesk.test\nSubject: " + subject + "\nMessage-ID: <" + message_id +
                      ">\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n";
    for (const auto& h : extra) raw += h + "\n";
    return raw + "\n" + body + "\n";
  }

  Json east_, wang_;
};

TEST_P(MailTest, TheCorpusEndsAsExpectedMessageByMessage) {
  auto all = expectations();
  ASSERT_GE(all.size(), 30u);
  std::map<std::string, std::string> ticket_of_first;  // the first ticket the corpus opened
  for (const auto& e : all) {
    SCOPED_TRACE(e.file);
    auto before = tickets().size();
    auto result = pipe(read_file(kCorpus / e.file));
    EXPECT_EQ(result.exit_code, 0) << result.line;
    auto after = tickets();
    auto d = last_delivery();
    if (e.outcome == "new") {
      EXPECT_EQ(after.size(), before + 1) << result.line;
      EXPECT_EQ(d["outcome"], "filed");
      EXPECT_EQ(d["status"], 201);
      if (ticket_of_first.empty()) ticket_of_first["01"] = d["ticket_id"].get<std::string>();
      EXPECT_EQ(admin_.get("/api/v1/tickets/" + d["ticket_id"].get<std::string>()).json()["channel"], "email");
    } else if (e.outcome == "reply" || e.outcome == "recorded") {
      EXPECT_EQ(after.size(), before) << result.line;
      EXPECT_EQ(d["outcome"], "filed") << d;
      EXPECT_EQ(d["ticket_id"], ticket_of_first["01"]) << "threaded onto the corpus's first ticket";
      auto entries = timeline(d["ticket_id"].get<std::string>());
      Json entry;
      for (const auto& x : entries)
        if (!e.want.empty() && x.dump(-1, ' ', false).find(e.want) != std::string::npos) entry = x;
      ASSERT_FALSE(entry.is_null()) << e.want;
      EXPECT_EQ(entry["channel"], "email");
      EXPECT_EQ(entry["kind"], e.outcome == "reply" ? "comment" : "message") << entry;
      if (e.outcome == "recorded") {
        EXPECT_FALSE(entry["public"].get<bool>()) << "for the agents";
        EXPECT_FALSE(entry["data"]["flagged"].get<std::string>().empty());
      }
    } else {
      EXPECT_EQ(after.size(), before) << result.line;
      EXPECT_EQ(d["outcome"], e.outcome) << d;
    }
    if ((e.outcome == "new" || e.outcome == "reply") && (!e.want.empty() || !e.unwanted.empty())) {
      auto text = everything(d["ticket_id"].get<std::string>());
      if (!e.want.empty()) {
        EXPECT_NE(text.find(e.want), std::string::npos) << text;
      }
      if (!e.unwanted.empty()) {
        EXPECT_EQ(text.find(e.unwanted), std::string::npos) << text;
      }
    }
  }
  // What the corpus's first ticket became: a reply's quote and signature folded away, the
  // stranger's word kept for the agents only, the status untouched by anyone but its people.
  auto first = ticket_of_first["01"];
  auto wang = login("wang.fang@east.test");
  auto seen = wang.get("/api/v1/tickets/" + first + "/timeline?limit=500").json()["items"].dump();
  EXPECT_EQ(seen.find("CORPUS22"), std::string::npos) << "the requester never reads a stranger's mail on their ticket";
  for (const auto& x : timeline(first))
    if (x.dump().find("CORPUS02") != std::string::npos) {
      EXPECT_EQ(x["body"], "Restarted it, still nothing. CORPUS02");
      EXPECT_NE(x["data"]["folded"].get<std::string>().find("wrote:"), std::string::npos);
    }
  EXPECT_EQ(admin_.get("/api/v1/tickets/" + first).json()["status"], "new");
}

TEST_P(MailTest, FilesAndTheirNamesArriveWithTheMessage) {
  for (auto file : {"19-pdf-attachment.eml", "20-inline-image.eml", "21-winmail-dat.eml", "18-forward-as-attachment.eml"})
    ASSERT_EQ(pipe(read_file(kCorpus / file)).exit_code, 0);
  std::set<std::string> names;
  auto all = tickets();
  for (const auto& t : all) {
    auto entries = timeline(id(t));
    for (const auto& e : entries)
      if (e["kind"] == "attachment") names.insert(e["body"].get<std::string>());
  }
  EXPECT_TRUE(names.contains("发票.pdf")) << "RFC 2231 names decoded";
  EXPECT_TRUE(names.contains("screenshot.png"));
  EXPECT_TRUE(names.contains("winmail.dat")) << "left as the file it is";
  EXPECT_TRUE(names.contains("Hall B projector.eml")) << "a forwarded message attached whole";
}

TEST_P(MailTest, OurSignedReferenceThreadsAndAGuessedOneDoesNot) {
  auto t = login("wang.fang@east.test").post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Projector"}, {"description", "."}}).json();
  auto key = usecase::mail_reference_key(server_.services());
  ASSERT_TRUE(key);
  auto tag = channels::subject_tag(t["number"].get<std::int64_t>(), channels::reference_signature(*key, id(t)));
  ASSERT_EQ(pipe(mail("wang.fang@east.test", "Re: Projector " + tag, "ref1@east.test", "Still dark. REFERENCED")).exit_code, 0);
  EXPECT_NE(everything(id(t)).find("REFERENCED"), std::string::npos);
  auto guessed = channels::subject_tag(t["number"].get<std::int64_t>(), "00000000");
  auto before = tickets().size();
  ASSERT_EQ(pipe(mail("wang.fang@east.test", "Re: Projector " + guessed, "ref2@east.test", "GUESSED")).exit_code, 0);
  EXPECT_EQ(tickets().size(), before + 1) << "a wrong signature threads nothing: a new ticket";
  EXPECT_EQ(everything(id(t)).find("GUESSED"), std::string::npos);
  // In the Reply-To address's plus part, as our mail will ask for replies.
  auto plus = "support+t" + std::to_string(t["number"].get<std::int64_t>()) + "-" + channels::reference_signature(*key, id(t)) + "@helpdesk.test";
  auto raw = "From: wang.fang@east.test\nTo: " + plus + "\nSubject: no tag\nMessage-ID: <ref3@east.test>\n\nBY ADDRESS\n";
  ASSERT_EQ(pipe(raw).exit_code, 0);
  EXPECT_NE(everything(id(t)).find("BY ADDRESS"), std::string::npos);
}

TEST_P(MailTest, ARequestersReplyMovesAWaitingTicketAndAStrangersDoesNot) {
  ASSERT_EQ(pipe(mail("wang.fang@east.test", "Scanner", "w1@east.test", "The scanner is broken.")).exit_code, 0);
  auto ticket = last_delivery()["ticket_id"].get<std::string>();
  auto agent = login("desk@provider.test");
  for (std::string to : {"in_progress", "waiting_for_user"})
    ASSERT_EQ(agent.post("/api/v1/tickets/" + ticket + "/transitions", {{"to", to}}).status, 200);
  pipe(mail("mallory@evil.test", "Re: Scanner", "w2@evil.test", "Fixed, close it.", {"In-Reply-To: <w1@east.test>"}));
  EXPECT_EQ(admin_.get("/api/v1/tickets/" + ticket).json()["status"], "waiting_for_user");
  pipe(mail("wang.fang@east.test", "Re: Scanner", "w3@east.test", "Here is the model number.", {"In-Reply-To: <w1@east.test>"}));
  EXPECT_EQ(admin_.get("/api/v1/tickets/" + ticket).json()["status"], "in_progress");
}

TEST_P(MailTest, ALoopIsCutAfterThirtyMailsAnHour) {
  for (int i = 0; i < 30; ++i)
    ASSERT_EQ(pipe(mail("sun.li@east.test", "Ping " + std::to_string(i), "loop" + std::to_string(i) + "@east.test", "ping")).exit_code, 0);
  auto before = tickets().size();
  ASSERT_EQ(pipe(mail("sun.li@east.test", "Ping 30", "loop30@east.test", "ping")).exit_code, 0);
  EXPECT_EQ(tickets().size(), before);
  EXPECT_EQ(last_delivery()["outcome"], "ignored");
  EXPECT_NE(last_delivery()["reason"].get<std::string>().find("loop"), std::string::npos);
  server_.clock().advance(std::chrono::hours(1));
  ASSERT_EQ(pipe(mail("sun.li@east.test", "Ping 31", "loop31@east.test", "ping")).exit_code, 0);
  EXPECT_EQ(tickets().size(), before + 1) << "an hour later the sender is heard again";
}

TEST_P(MailTest, AFileOverTheLimitIsNamedNotKept) {
  std::string big(300'000, 'x');
  std::string raw =
      "From: wang.fang@east.test\nTo: support@helpdesk.test\nSubject: Big log BIGFILE\nMessage-ID: <big@east.test>\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\nSee the log.\n--B\nContent-Type: text/plain; "
      "name=\"server.log\"\nContent-Disposition: attachment; filename=\"server.log\"\n\n" + big + "\n--B--\n";
  auto result = pipe(raw, 100'000);
  EXPECT_EQ(result.exit_code, 0) << result.line;
  auto d = last_delivery();
  EXPECT_EQ(d["outcome"], "filed");
  EXPECT_NE(d["reason"].get<std::string>().find("server.log"), std::string::npos) << d;
  auto entries = timeline(d["ticket_id"].get<std::string>());
  for (const auto& e : entries) EXPECT_NE(e["kind"], "attachment") << e;
}

TEST_P(MailTest, StrangersJoinTheChannelsOrganisationWhenItNamesOne) {
  ASSERT_EQ(pipe(mail("new.person@east.test", "Hello", "s1@east.test", "First mail.")).exit_code, 0);
  EXPECT_EQ(last_delivery()["outcome"], "unmatched");
  EXPECT_NE(last_delivery()["payload"].get<std::string>().find("First mail."), std::string::npos) << "nothing lost";
  auto channel = admin_.get("/api/v1/channels").json()["items"][0];
  EXPECT_EQ(channel["kind"], "email") << "made on first use";
  auto current = admin_.get("/api/v1/channels/" + id(channel));
  ASSERT_EQ(admin_.patch("/api/v1/channels/" + id(channel), {{"organization_id", id(east_)}}, current.headers["etag"]).status, 200);
  ASSERT_EQ(pipe(mail("New Person <new.person@east.test>", "Hello again", "s2@east.test", "Second mail.")).exit_code, 0);
  auto t = admin_.get("/api/v1/tickets/" + last_delivery()["ticket_id"].get<std::string>()).json();
  EXPECT_EQ(t["organization_id"], id(east_));
}

TEST_P(MailTest, NothingASenderWroteIsLost) {
  // One byte GBK does not know costs that byte, not the text.
  std::string gbk = "From: zhao.min@east.test\nTo: s@x\nSubject: bad byte\nMessage-ID: <bad@east.test>\nMIME-Version: 1.0\n"
                    "Content-Type: text/plain; charset=GBK\nContent-Transfer-Encoding: 8bit\n\n";
  gbk += std::string("\xB4\xF2\xD3\xA1") + "\x80\xFF" + "\xBB\xFA GBKTAIL\n";  // 打印, two bad bytes, 机
  ASSERT_EQ(pipe(gbk).exit_code, 0);
  auto text = everything(last_delivery()["ticket_id"].get<std::string>());
  EXPECT_NE(text.find("打印"), std::string::npos) << text;
  EXPECT_NE(text.find("机 GBKTAIL"), std::string::npos) << text;
  // Text, a picture, more text (as Apple Mail sends it): both texts are the sender's.
  std::string mixed = "From: sun.li@east.test\nTo: s@x\nSubject: two texts\nMessage-ID: <mixed@east.test>\nMIME-Version: 1.0\n"
                      "Content-Type: multipart/mixed; boundary=\"M\"\n\n--M\nContent-Type: text/plain; charset=utf-8\n\nFIRSTTEXT\n"
                      "--M\nContent-Type: image/png; name=\"a.png\"\nContent-Disposition: inline; filename=\"a.png\"\n\nPNG\n"
                      "--M\nContent-Type: text/plain; charset=utf-8\n\nSECONDTEXT\n--M--\n";
  ASSERT_EQ(pipe(mixed).exit_code, 0);
  text = everything(last_delivery()["ticket_id"].get<std::string>());
  EXPECT_NE(text.find("FIRSTTEXT"), std::string::npos);
  EXPECT_NE(text.find("SECONDTEXT"), std::string::npos);
  // A reply of nothing but a file, and an empty file beside it: the file is kept, the reply too.
  auto ticket = last_delivery()["ticket_id"].get<std::string>();
  std::string files = "From: sun.li@east.test\nTo: s@x\nSubject: Re: two texts\nMessage-ID: <files@east.test>\nIn-Reply-To: <mixed@east.test>\n"
                      "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"F\"\n\n--F\nContent-Type: text/plain\n\n\n"
                      "--F\nContent-Type: application/pdf; name=\"empty.pdf\"\nContent-Disposition: attachment; filename=\"empty.pdf\"\n\n"
                      "--F\nContent-Type: application/pdf; name=\"scan.pdf\"\nContent-Disposition: attachment; filename=\"scan.pdf\"\n\n%PDF-1.4 x\n--F--\n";
  auto r = pipe(files);
  ASSERT_EQ(r.exit_code, 0) << r.line;
  EXPECT_EQ(last_delivery()["ticket_id"], ticket) << r.line;
  text = everything(ticket);
  EXPECT_NE(text.find("(no text)"), std::string::npos);
  EXPECT_NE(text.find("scan.pdf"), std::string::npos);
  EXPECT_EQ(text.find("empty.pdf"), std::string::npos) << "an empty part is no file";
  // A mail longer than a timeline entry holds: its beginning there, the whole of it as a file.
  std::string body(70'000, 'x');
  ASSERT_EQ(pipe(mail("sun.li@east.test", "Long log", "long@east.test", body + " LONGTAIL")).exit_code, 0);
  text = everything(last_delivery()["ticket_id"].get<std::string>());
  EXPECT_NE(text.find("message.txt"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Stores, MailTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
