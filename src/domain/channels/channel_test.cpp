#include <gtest/gtest.h>

#include "domain/channels/alerts.h"
#include "domain/channels/channel.h"

namespace tandem::channels {
namespace {

TEST(Channels, KindsAndFormatsReadBackAndPairUp) {
  for (auto k : all_kinds()) EXPECT_EQ(parse_kind(to_string(k)), k);
  EXPECT_FALSE(parse_kind("fax"));
  EXPECT_EQ(parse_format("telegram"), Format::telegram);
  EXPECT_FALSE(parse_format("whatsapp"));
  EXPECT_TRUE(speaks(Kind::messaging, Format::telegram));
  EXPECT_FALSE(speaks(Kind::telephony, Format::telegram));
  EXPECT_TRUE(speaks(Kind::telephony, Format::twilio));
  EXPECT_FALSE(speaks(Kind::alertmanager, Format::twilio));
  EXPECT_EQ(ticket_channel(Kind::alertmanager), tickets::Channel::monitoring);
  EXPECT_EQ(ticket_channel(Kind::imap), tickets::Channel::email);
  EXPECT_FALSE(has_hook(Kind::email));
  EXPECT_TRUE(has_hook(Kind::messaging));
}

TEST(Channels, AMailboxIsNamedByAnImapUrlWithAUserAHostAndAMailbox) {
  EXPECT_TRUE(is_mailbox_url("imaps://support%40desk.example@imap.example.com/INBOX"));
  EXPECT_TRUE(is_mailbox_url("imap://desk@127.0.0.1:1143/Support/Incoming"));
  for (auto bad : {"imaps://imap.example.com/INBOX", "imaps://desk@imap.example.com", "imaps://desk@imap.example.com/",
                   "imaps://desk:pw@imap.example.com/INBOX", "pop3://desk@host/INBOX", "https://desk@host/INBOX",
                   "imaps://desk@host/IN BOX", "imaps://desk@host/INBOX?x", "imaps://desk@host/INBOX;UID=1", "imaps://@host/INBOX",
                   "imaps://desk@host/IN%0D%0AA1 LOGOUT", "imaps://desk@host/IN%7fBOX", "imaps://desk@host/IN%zzBOX",
                   "imaps://desk@/INBOX", ""})
    EXPECT_FALSE(is_mailbox_url(bad)) << bad;
}

TEST(Channels, ASenderIsAnAddressANumberOrAHandle) {
  EXPECT_EQ(sender_of(" Chen.Jing@East.test ")->kind, "email");
  EXPECT_EQ(sender_of("Chen.Jing@East.test")->normalized, "chen.jing@east.test");
  auto phone = sender_of("+86 138-0013-8000");
  ASSERT_TRUE(phone);
  EXPECT_EQ(phone->kind, "phone");
  EXPECT_EQ(phone->normalized, *sender_of("+8613800138000").transform([](const Sender& s) { return s.normalized; }));
  EXPECT_FALSE(sender_of("+12")) << "too short for E.164";
  EXPECT_FALSE(sender_of("+1234567890123456")) << "too long for E.164";
  EXPECT_FALSE(sender_of("+86 138x"));
  ASSERT_TRUE(sender_of("@wang_fang"));
  EXPECT_EQ(sender_of("@wang_fang")->kind, "handle");
  EXPECT_FALSE(sender_of(""));
  EXPECT_FALSE(sender_of("not@an@address"));
  EXPECT_FALSE(sender_of(std::string("bell\x07", 5)));
  EXPECT_FALSE(sender_of("two words")) << "a handle is one word";
}

TEST(Channels, ASignatureHoldsForFiveMinutesUnderItsSecretOnly) {
  std::string body = R"({"text":"空调坏了"})";
  auto header = signature_header("s3cret", body, 1'000'000);
  EXPECT_EQ(check_signature("s3cret", header, body, 1'000'000), Verdict::valid);
  EXPECT_EQ(check_signature("s3cret", header, body, 1'000'000 + kHookTolerance), Verdict::valid);
  EXPECT_EQ(check_signature("s3cret", header, body, 1'000'000 + kHookTolerance + 1), Verdict::stale);
  EXPECT_EQ(check_signature("s3cret", header, body, 1'000'000 - kHookTolerance - 1), Verdict::stale) << "from the future";
  EXPECT_EQ(check_signature("other", header, body, 1'000'000), Verdict::mismatch);
  EXPECT_EQ(check_signature("s3cret", header, body + " ", 1'000'000), Verdict::mismatch) << "the body as sent, byte for byte";
  EXPECT_EQ(check_signature("s3cret", "", body, 1'000'000), Verdict::missing);
  EXPECT_EQ(check_signature("s3cret", "v1=abc", body, 1'000'000), Verdict::malformed);
  EXPECT_EQ(check_signature("s3cret", "t=1000000", body, 1'000'000), Verdict::malformed);
  EXPECT_EQ(check_signature("s3cret", "t=12x,v1=ab", body, 1'000'000), Verdict::malformed);
  EXPECT_EQ(check_signature("s3cret", "t=1000000,v1=zz", body, 1'000'000), Verdict::malformed);
  // While a secret is rotated the sender signs under both; upper-case hex is the same signature.
  auto old = signature_header("old", body, 1'000'000);
  auto both = header + "," + old.substr(old.find("v1="));
  EXPECT_EQ(check_signature("old", both, body, 1'000'000), Verdict::valid);
  std::string upper = header;
  for (auto& ch : upper) ch = char(std::toupper(static_cast<unsigned char>(ch)));
  upper[0] = 't', upper[upper.find("V1")] = 'v';
  EXPECT_EQ(check_signature("s3cret", upper, body, 1'000'000), Verdict::valid);
}

TEST(Channels, AMessageWithoutSubjectTakesItsFirstLine) {
  EXPECT_EQ(subject_from_text("\n  你好，宿舍 302 的空调坏了\n能派人来修吗？"), "你好，宿舍 302 的空调坏了");
  EXPECT_EQ(subject_from_text(""), "(no subject)");
  std::string long_line(100, 'x');
  EXPECT_EQ(subject_from_text(long_line), std::string(80, 'x') + "…");
  std::string chinese;
  for (int i = 0; i < 90; ++i) chinese += "空";
  auto s = subject_from_text(chinese);
  EXPECT_EQ(s.size(), 80 * 3 + std::string("…").size()) << "whole characters only";
}

AlertGroup disk_alert(std::string status) {
  AlertGroup g;
  g.group_key = R"({}/{service="campus-storage"}:{alertname="NasDiskAlmostFull"})";
  g.status = status;
  g.common_labels = {{"alertname", "NasDiskAlmostFull"}, {"service", "campus-storage"}, {"severity", "critical"}};
  g.common_annotations = {{"summary", "NAS disk 95% full 磁盘将满"}};
  g.alerts.push_back({status, {{"alertname", "NasDiskAlmostFull"}, {"instance", "nas01:9100"}, {"service", "campus-storage"}},
                      {{"description", "/srv/share 使用率过高"}}, "2026-12-07T08:00:00Z", "", "8f2d", "http://prometheus.test/graph"});
  return g;
}

TEST(Alerts, AGroupBecomesAnIncidentNamedAfterItsAlert) {
  auto g = disk_alert("firing");
  EXPECT_TRUE(problems_of(g).empty());
  EXPECT_EQ(incident_subject(g), "[critical] NasDiskAlmostFull: NAS disk 95% full 磁盘将满");
  auto text = incident_text(g);
  EXPECT_NE(text.find("/srv/share 使用率过高"), std::string::npos) << "the first alert's description";
  EXPECT_NE(text.find("`instance=nas01:9100`"), std::string::npos);
  EXPECT_NE(text.find("1 of 1 alerts firing"), std::string::npos);
  EXPECT_EQ(impact_urgency(g), std::pair(tickets::Level::high, tickets::Level::high));
  EXPECT_EQ(service_label(g), "campus-storage");
  EXPECT_FALSE(resolved(g));
  EXPECT_TRUE(resolved(disk_alert("resolved")));
}

TEST(Alerts, AGroupStillFiringSomewhereIsNotResolved) {
  auto g = disk_alert("resolved");
  g.alerts.push_back(g.alerts.front());
  g.alerts.back().status = "firing";
  EXPECT_FALSE(resolved(g));
}

TEST(Alerts, ServicesThatDisagreeNameNone) {
  auto g = disk_alert("firing");
  g.common_labels.erase("service");
  g.alerts.push_back(g.alerts.front());
  EXPECT_EQ(service_label(g), "campus-storage");
  g.alerts.back().labels["service"] = "mail";
  EXPECT_EQ(service_label(g), "");
}

TEST(Alerts, ProblemsAreNamedByField) {
  AlertGroup g;
  g.status = "burning";
  auto p = problems_of(g);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].first, "groupKey");
  EXPECT_EQ(p[1].first, "status");
  EXPECT_EQ(p[2].first, "alerts");
  auto bad = disk_alert("firing");
  bad.alerts[0].status = "?";
  EXPECT_EQ(problems_of(bad).at(0).first, "alerts[0].status");
  g = disk_alert("firing");
  g.common_labels["severity"] = "info";
  EXPECT_EQ(impact_urgency(g), std::pair(tickets::Level::low, tickets::Level::medium));
}

}  // namespace
}  // namespace tandem::channels
