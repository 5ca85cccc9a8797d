// REL-1: the mail we send, rendered per language from the templates, and its back-off.
#include "domain/channels/notification_mail.h"

#include <gtest/gtest.h>

namespace tandem::channels {
namespace {

NotificationFacts reply(std::string language) {
  NotificationFacts f;
  f.kind = "reply";
  f.language = std::move(language);
  f.recipient_name = "Li Lei";
  f.number = 42;
  f.subject = "Projector dark";
  f.reference_tag = "[T#42-1a2b3c4d]";
  f.author = "Wang Fang";
  f.text = "Please try the other input.";
  f.link = "https://desk.test/tickets/tkt_1";
  return f;
}

TEST(NotificationMail, AReplyQuotesItsAuthorAndKeepsTheReferenceInTheSubject) {
  auto m = render_notification(reply("en"));
  EXPECT_EQ(m.subject, "Re: Projector dark [T#42-1a2b3c4d]");
  EXPECT_NE(m.text.find("Wang Fang wrote on your request \"Projector dark\":\n\nPlease try the other input."), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("See the request: https://desk.test/tickets/tkt_1"), std::string::npos);
  EXPECT_NE(m.text.find("\n-- \n"), std::string::npos) << "the footer is a signature, which a reply folds away";
}

TEST(NotificationMail, ChineseReadersGetChineseAndUnknownLanguagesEnglish) {
  auto zh = render_notification(reply("zh-CN"));
  EXPECT_EQ(zh.subject, "回复：Projector dark [T#42-1a2b3c4d]");
  EXPECT_NE(zh.text.find("Wang Fang 在您的请求“Projector dark”中写道"), std::string::npos) << zh.text;
  EXPECT_NE(zh.text.find("查看请求：https://desk.test/tickets/tkt_1"), std::string::npos);
  EXPECT_EQ(render_notification(reply("fr")).subject, "Re: Projector dark [T#42-1a2b3c4d]");
  EXPECT_EQ(render_notification(reply("zh")).subject, zh.subject);
}

TEST(NotificationMail, ASurveysInvitationAndReminderLinkToItInTheReadersLanguage) {
  NotificationFacts f;
  f.kind = "survey_invitation";
  f.language = "zh-CN";
  f.recipient_name = "张伟";
  f.subject = "我们做得怎么样？";
  f.author = "Campus Desk";
  f.text = "只需两分钟。";
  f.link = "https://desk.test/surveys/srv_1";
  auto m = render_notification(f);
  EXPECT_EQ(m.subject, "我们做得怎么样？") << "no ticket reference";
  EXPECT_NE(m.text.find("只需两分钟。"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("在这里作答：https://desk.test/surveys/srv_1"), std::string::npos) << m.text;
  f.kind = "survey_reminder";
  f.language = "en";
  m = render_notification(f);
  EXPECT_EQ(m.subject, "Reminder: 我们做得怎么样？");
  EXPECT_NE(m.text.find("Answer here: https://desk.test/surveys/srv_1"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("This is the only reminder."), std::string::npos);
  f.link.clear();
  EXPECT_EQ(render_notification(f).text.find("Answer here"), std::string::npos) << "no public address, no link";
}

TEST(NotificationMail, ABroadcastSaysWhyItCameAndAsksForNoAnswer) {
  NotificationFacts f;
  f.kind = "broadcast";
  f.language = "zh-CN";
  f.recipient_name = "张伟";
  f.subject = "周六 02:00–04:00 预约系统维护";
  f.author = "Car-share bookings";
  f.text = "维护期间无法预约车辆。";
  auto m = render_notification(f);
  EXPECT_EQ(m.subject, "周六 02:00–04:00 预约系统维护") << "no ticket reference: there is no request to answer";
  EXPECT_NE(m.text.find("维护期间无法预约车辆。"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("Car-share bookings"), std::string::npos) << "which service's news it is";
  EXPECT_EQ(m.text.find("回复"), std::string::npos) << "nothing to answer";
  f.language = "en";
  EXPECT_NE(render_notification(f).text.find("You get this as news of Car-share bookings"), std::string::npos);
}

TEST(NotificationMail, ValuesAreTextNeverTemplatesOrHtml) {
  auto f = reply("en");
  f.subject = "{{link}} <b>&</b>";
  f.text = "{{#link}}x{{/link}} {{{name}}}";
  auto m = render_notification(f);
  EXPECT_EQ(m.subject, "Re: {{link}} <b>&</b> [T#42-1a2b3c4d]");
  EXPECT_NE(m.text.find("{{#link}}x{{/link}} {{{name}}}"), std::string::npos) << m.text;
}

TEST(NotificationMail, AResolutionAsksForARatingWithALinkPerScore) {
  auto f = reply("zh-CN");
  f.kind = "status_changed";
  f.status = "resolved";
  f.rating_link = "https://desk.test/r/tkt_1.usr_2.99.n.sig";
  auto zh = render_notification(f);
  EXPECT_NE(zh.text.find("对这次服务满意吗"), std::string::npos) << zh.text;
  for (int score = 1; score <= 5; ++score)
    EXPECT_NE(zh.text.find(std::to_string(score) + " 分：https://desk.test/r/tkt_1.usr_2.99.n.sig?score=" + std::to_string(score)),
              std::string::npos)
        << zh.text;
  f.language = "en";
  EXPECT_NE(render_notification(f).text.find("5: https://desk.test/r/tkt_1.usr_2.99.n.sig?score=5"), std::string::npos);
  f.rating_link.clear();
  EXPECT_EQ(render_notification(f).text.find("/r/"), std::string::npos) << "no link, no question";
}

TEST(NotificationMail, WithoutAPublicAddressThereIsNoLink) {
  auto f = reply("en");
  f.link.clear();
  auto m = render_notification(f);
  EXPECT_EQ(m.text.find("See the request"), std::string::npos) << m.text;
}

TEST(NotificationMail, AStateChangeNamesTheStateInTheReadersLanguageAndItsNoteWhenThereIsOne) {
  auto f = reply("en");
  f.kind = "status_changed";
  f.status = "resolved";
  f.text = "Lamp replaced.";
  auto m = render_notification(f);
  EXPECT_EQ(m.subject, "Projector dark: resolved [T#42-1a2b3c4d]");
  EXPECT_NE(m.text.find("is now resolved.\n\nWang Fang noted:\n\nLamp replaced."), std::string::npos) << m.text;
  f.language = "zh-CN";
  f.status = "waiting_for_user";
  f.text.clear();
  m = render_notification(f);
  EXPECT_EQ(m.subject, "Projector dark：等待您的答复 [T#42-1a2b3c4d]");
  EXPECT_EQ(m.text.find("备注"), std::string::npos) << "no note, no heading for one";
  EXPECT_EQ(state_label("somewhere_else", "en"), "somewhere_else");
}

TEST(NotificationMail, AReceiptNamesTheRequestsNumber) {
  auto f = reply("en");
  f.kind = "created";
  f.text.clear();
  auto m = render_notification(f);
  EXPECT_EQ(m.subject, "We have your request: Projector dark [T#42-1a2b3c4d]");
  EXPECT_NE(m.text.find("Hello Li Lei,"), std::string::npos);
  EXPECT_NE(m.text.find("(number 42)"), std::string::npos);
}

TEST(NotificationMail, BackOffGrowsThenGivesUpAfterADay) {
  EXPECT_EQ(mail_retry_delay_ms(0), std::nullopt);
  EXPECT_EQ(mail_retry_delay_ms(1), 60'000);
  EXPECT_EQ(mail_retry_delay_ms(2), 5 * 60'000);
  EXPECT_EQ(mail_retry_delay_ms(6), 12 * 3'600'000);
  EXPECT_EQ(mail_retry_delay_ms(7), std::nullopt);
  std::int64_t total = 0;
  for (int i = 1; mail_retry_delay_ms(i); ++i) total += *mail_retry_delay_ms(i);
  EXPECT_GT(total, 17 * 3'600'000);
  EXPECT_LT(total, 24 * 3'600'000);
}

}  // namespace
}  // namespace tandem::channels
