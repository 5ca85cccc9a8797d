#include "domain/channels/mail.h"

#include <gtest/gtest.h>

namespace tandem::channels {
namespace {

std::optional<std::string> automatic(std::vector<MailHeader> headers, std::string from = "wang.fang@east.test",
                                     std::string type = "text/plain") {
  return automatic_reason(headers, from, type);
}

TEST(Mail, MachinesMailIsKnownByItsHeaders) {
  EXPECT_FALSE(automatic({{"Subject", "打印机坏了"}}));
  EXPECT_FALSE(automatic({{"Auto-Submitted", "no"}})) << "RFC 3834: a person's mail may say so";
  EXPECT_EQ(automatic({{"auto-submitted", "Auto-Replied; owner-email=\"x@y\""}}), "Auto-Submitted: auto-replied");
  EXPECT_EQ(automatic({{"Auto-Submitted", "auto-generated"}}), "Auto-Submitted: auto-generated");
  EXPECT_EQ(automatic({{"Precedence", "bulk"}}), "Precedence: bulk");
  EXPECT_EQ(automatic({{"Precedence", "list"}}), "Precedence: list");
  EXPECT_FALSE(automatic({{"Precedence", "first-class"}}));
  EXPECT_EQ(automatic({{"X-Autoreply", "yes"}}), "X-Autoreply");
  EXPECT_EQ(automatic({{"X-Autorespond", "x"}}), "X-Autorespond");
  EXPECT_EQ(automatic({{"X-Auto-Response-Suppress", "All"}}), "X-Auto-Response-Suppress: All");
  EXPECT_FALSE(automatic({{"X-Auto-Response-Suppress", "OOF"}})) << "Outlook asks others not to answer; it is a person's mail";
  EXPECT_TRUE(automatic({{"List-Id", "<staff.lists.east.test>"}}));
  EXPECT_TRUE(automatic({{"Return-Path", "<>"}}));
  EXPECT_TRUE(automatic({}, "MAILER-DAEMON@east.test"));
  EXPECT_TRUE(automatic({}, "wang@east.test", "multipart/report; report-type=delivery-status"));
  EXPECT_TRUE(automatic({{"Subject", "Automatic reply: printer"}}));
  EXPECT_TRUE(automatic({{"Subject", "自动回复: 打印机"}}));
  EXPECT_FALSE(automatic({{"Subject", "Re: automatic reply settings do not work"}}));
}

TEST(Mail, AReferenceThreadsOnlyWithItsSignature) {
  auto sig = reference_signature("key", "tkt_01");
  EXPECT_EQ(sig.size(), 8u);
  EXPECT_NE(sig, reference_signature("other key", "tkt_01"));
  EXPECT_NE(sig, reference_signature("key", "tkt_02"));
  auto tag = subject_tag(42, sig);
  EXPECT_EQ(tag, "[T#42-" + sig + "]");
  auto found = reference_in_subject("Re: 打印机 " + tag + " still broken");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->number, 42);
  EXPECT_EQ(found->signature, sig);
  EXPECT_FALSE(reference_in_subject("Re: [T#42] no signature"));
  EXPECT_FALSE(reference_in_subject("Re: [T#42-12345] short"));
  EXPECT_FALSE(reference_in_subject("Re: [T#42-zzzzzzzz]"));
  EXPECT_EQ(reference_in_subject("[T#x] then [T#7-ABCDEF12]")->signature, "abcdef12") << "the first well-formed one";
  auto in_address = reference_in_address("support+t42-" + sig + "@helpdesk.test");
  ASSERT_TRUE(in_address);
  EXPECT_EQ(in_address->number, 42);
  EXPECT_FALSE(reference_in_address("support@helpdesk.test"));
  EXPECT_FALSE(reference_in_address("support+t42@helpdesk.test"));
  EXPECT_FALSE(reference_in_address("support+t42-" + sig + "x@helpdesk.test"));
}

TEST(Mail, QuotedRepliesAndSignaturesFold) {
  auto f = fold_quoted("Thanks, it still prints nothing.\n\nOn Mon, 王芳 wrote:\n> 三楼打印机无法打印\n");
  EXPECT_EQ(f.text, "Thanks, it still prints nothing.");
  EXPECT_EQ(f.folded, "On Mon, 王芳 wrote:\n> 三楼打印机无法打印");
  f = fold_quoted("Still broken\r\n\r\nOn Mon, 7 Dec 2026 at 10:00, Desk <desk@helpdesk.test>\r\nwrote:\r\n> Did you restart it?\r\n");
  EXPECT_EQ(f.text, "Still broken") << "a wrapped reply header, CRLF lines";
  EXPECT_EQ(fold_quoted("好的，谢谢。\n\n在 2026年12月7日 周一 10:00，服务台 写道：\n> 请重启\n").text, "好的，谢谢。");
  EXPECT_EQ(fold_quoted("See below.\n\n-----Original Message-----\nFrom: x\n").text, "See below.");
  EXPECT_EQ(fold_quoted("Done.\n\n________________________________\nFrom: Desk\nSent: Monday\nTo: me\n").text, "Done.\n\n________________________________");
  EXPECT_EQ(fold_quoted("Done.\nFrom: Desk <d@x>\nSent: Monday\n").text, "Done.");
  EXPECT_EQ(fold_quoted("收到\n发件人: 服务台\n发送时间: 2026年12月7日\n").text, "收到");
  f = fold_quoted("It works now.\n-- \n王芳\n信息学院\n");
  EXPECT_EQ(f.text, "It works now.");
  EXPECT_EQ(f.folded, "-- \n王芳\n信息学院");
  // Answers between quotes are the sender's text; a mail of nothing but quotes is kept whole.
  auto interleaved = "> Which floor?\nThe third.\n> Which printer?\nThe one by the lift.";
  EXPECT_EQ(fold_quoted(interleaved).text, interleaved);
  EXPECT_EQ(fold_quoted("> only a quote").text, "> only a quote");
  EXPECT_EQ(fold_quoted("No quotes at all.").folded, "");
  EXPECT_EQ(fold_quoted("From: a colleague, the printer on floor 3 jams").text, "From: a colleague, the printer on floor 3 jams");
}

TEST(Mail, DmarcFailureIsReadFromTheResults) {
  EXPECT_TRUE(fails_dmarc("mx.helpdesk.test; spf=fail smtp.mailfrom=east.test; dkim=none; dmarc=fail header.from=east.test"));
  EXPECT_TRUE(fails_dmarc("mx; DMARC=FAIL (p=reject)"));
  EXPECT_FALSE(fails_dmarc("mx.helpdesk.test; spf=pass; dkim=pass; dmarc=pass header.from=east.test"));
  EXPECT_FALSE(fails_dmarc("mx; x-dmarc=failure-reports"));
  EXPECT_FALSE(fails_dmarc(""));
}

TEST(Mail, FoldingALongMailTakesLinearTime) {
  std::string text;
  for (int i = 0; i < 200'000; ++i) text += i % 2 ? "> quoted\n" : "answer\n";
  text += "> the last quote\n";
  auto f = fold_quoted(text);  // quadratic, this took minutes
  EXPECT_EQ(f.folded, "> quoted\n> the last quote") << "the quotes after the last answer";
}

TEST(Mail, ReplyAndForwardPrefixesLeaveTheSubject) {
  EXPECT_EQ(clean_subject("Re: RE: Fwd: 打印机"), "打印机");
  EXPECT_EQ(clean_subject("回复：转发: VPN 断线"), "VPN 断线");
  EXPECT_EQ(clean_subject("  AW: Drucker  "), "Drucker");
  EXPECT_EQ(clean_subject("Regarding the printer"), "Regarding the printer");
}

}  // namespace
}  // namespace tandem::channels
