// REL-1: the mail we compose reads back as sent through our own reader (GMime both ways):
// UTF-8 subject and text, the threading headers, and the marks that keep auto-responders quiet.
#include "channels/smtp.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "channels/mail.h"

namespace tandem::channels {
namespace {

usecase::OutgoingMessage message() {
  usecase::OutgoingMessage m;
  m.from_address = "support@desk.test";
  m.from_name = "校园服务台 Desk";
  m.to_address = "li.lei@east.test";
  m.to_name = "李雷";
  m.reply_to = "support+t42-1a2b3c4d@desk.test";
  m.subject = "回复：投影仪不亮 [T#42-1a2b3c4d]";
  m.text = "王芳 在您的请求中写道：\n\n请换一个输入口试试。\n" + std::string(100, 'x') + "\n\n-- \n直接回复本邮件即可答复。\n";
  m.message_id = "mal_1@desk.test";
  m.references = {"first@east.test", "mal_0@desk.test"};
  m.language = "zh-CN";
  return m;
}

std::string header(const usecase::IncomingMail& m, std::string_view name) {
  for (const auto& [n, value] : m.headers)
    if (n == name) return value;
  return "";
}

TEST(ComposeMail, ReadsBackAsSent) {
  auto raw = compose_mail(message(), 1'800'000'000);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    ASSERT_LT(static_cast<unsigned char>(raw[i]), 0x80) << "7-bit clean at " << i;
    if (raw[i] == '\n') {
      ASSERT_TRUE(i > 0 && raw[i - 1] == '\r') << "CRLF line ends";
    }
  }
  auto read = read_mail(raw);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->subject, "回复：投影仪不亮 [T#42-1a2b3c4d]");
  EXPECT_EQ(read->from_address, "support@desk.test");
  EXPECT_EQ(read->from_name, "校园服务台 Desk");
  EXPECT_EQ(read->message_id, "mal_1@desk.test");
  EXPECT_EQ(read->in_reply_to, std::vector<std::string>{"mal_0@desk.test"});
  EXPECT_EQ(read->references, (std::vector<std::string>{"first@east.test", "mal_0@desk.test"}));
  EXPECT_NE(std::find(read->recipients.begin(), read->recipients.end(), "support+t42-1a2b3c4d@desk.test"), read->recipients.end());
  EXPECT_NE(std::find(read->recipients.begin(), read->recipients.end(), "li.lei@east.test"), read->recipients.end());
  EXPECT_NE(read->text.find("请换一个输入口试试。"), std::string::npos) << read->text;
  EXPECT_EQ(header(*read, "Auto-Submitted"), "auto-generated");
  EXPECT_EQ(header(*read, "X-Auto-Response-Suppress"), "All");
  EXPECT_NE(raw.find("\r\nContent-Language: zh-CN\r\n"), std::string::npos);
  EXPECT_NE(raw.find("Date: "), std::string::npos);
}

TEST(ComposeMail, ItsOwnReaderKnowsItForAMachinesMail) {
  auto m = message();
  m.auto_submitted = "auto-replied";
  auto read = read_mail(compose_mail(m, 1'800'000'000));
  ASSERT_TRUE(read);
  EXPECT_TRUE(automatic_reason(read->headers, read->from_address, read->content_type)) << "a desk answering its own mail would loop";
}

TEST(ComposeMail, AFirstMailHasNoThreadingHeaders) {
  auto m = message();
  m.references.clear();
  auto raw = compose_mail(m, 1'800'000'000);
  EXPECT_EQ(raw.find("In-Reply-To:"), std::string::npos);
  EXPECT_EQ(raw.find("References:"), std::string::npos);
}

}  // namespace
}  // namespace tandem::channels
