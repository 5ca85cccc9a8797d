// FDB-1, OPS-1: NPS and CSAT arithmetic, spreadsheet cells as text, and the one-click link.
#include <gtest/gtest.h>

#include <vector>

#include "domain/feedback/feedback.h"
#include "domain/feedback/table.h"

namespace tandem::feedback {
namespace {

TEST(Nps, PromotersLessDetractorsInPoints) {
  std::vector<int> answers{10, 9, 9, 8, 7, 6, 0, 3, 10, 5};  // 4 promoters, 2 passives, 4 detractors
  auto n = nps(answers);
  EXPECT_EQ(n.promoters, 4);
  EXPECT_EQ(n.passives, 2);
  EXPECT_EQ(n.detractors, 4);
  EXPECT_EQ(n.responses, 10);
  EXPECT_DOUBLE_EQ(n.score, 0);
  EXPECT_DOUBLE_EQ(nps(std::vector<int>{10, 10, 9}).score, 100);
  EXPECT_DOUBLE_EQ(nps(std::vector<int>{0, 6}).score, -100);
  EXPECT_DOUBLE_EQ(nps(std::vector<int>{9, 7, 7, 1}).score, 0);
  EXPECT_NEAR(nps(std::vector<int>{9, 8, 2}).score, 0, 1e-9);
  EXPECT_NEAR(nps(std::vector<int>{9, 9, 2}).score, 100.0 / 3, 1e-9);
}

TEST(Nps, NoAnswersIsZeroAndAnswersOutOfRangeAreNotCounted) {
  EXPECT_DOUBLE_EQ(nps(std::span<const int>{}).score, 0);
  auto n = nps(std::vector<int>{11, -1, 9});
  EXPECT_EQ(n.responses, 1);
  EXPECT_DOUBLE_EQ(n.score, 100);
}

TEST(Csat, TheShareOfFoursAndFivesAndTheMean) {
  auto c = csat(std::vector<int>{5, 4, 3, 1});
  EXPECT_EQ(c.satisfied, 2);
  EXPECT_EQ(c.responses, 4);
  EXPECT_DOUBLE_EQ(c.percent, 50);
  EXPECT_DOUBLE_EQ(c.mean, 3.25);
  EXPECT_DOUBLE_EQ(csat(std::span<const int>{}).percent, 0);
  EXPECT_EQ(csat(std::vector<int>{0, 6, 5}).responses, 1) << "ratings outside 1–5 are not counted";
}

TEST(Cells, WhatASpreadsheetWouldRunIsWrittenAsText) {
  for (std::string formula : {"=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"})
    EXPECT_EQ(neutralised_cell(formula), "'" + formula) << formula;
  EXPECT_EQ(neutralised_cell("VPN 客户端 = broken"), "VPN 客户端 = broken") << "only the first character counts";
  EXPECT_EQ(neutralised_cell(""), "");
  EXPECT_EQ(neutralised_cell("'quoted"), "'quoted");
}

TEST(RatingLinks, ALinkReadsBackUntilItExpires) {
  RatingLink link{"tkt_01abc", "usr_01def", 1'000'000, "n0nce-_x"};
  auto token = sign_rating_link("key", link);
  auto read = read_rating_link("key", token, 999'999);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->ticket_id, "tkt_01abc");
  EXPECT_EQ(read->user_id, "usr_01def");
  EXPECT_EQ(read->expires_at, 1'000'000);
  EXPECT_EQ(read->nonce, "n0nce-_x");
  auto late = read_rating_link("key", token, 1'000'000);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().slug, "link_expired");
}

TEST(RatingLinks, AnyChangedPartOrAnotherKeyIsTampering) {
  RatingLink link{"tkt_01abc", "usr_01def", 1'000'000, "nonce"};
  auto token = sign_rating_link("key", link);
  EXPECT_EQ(read_rating_link("other key", token, 0).error().slug, "link_tampered");
  for (auto [from, to] : {std::pair{"tkt_01abc", "tkt_01abd"}, std::pair{"usr_01def", "usr_01deg"}, std::pair{"1000000", "9000000"},
                          std::pair{"nonce", "nonc3"}}) {
    auto changed = token;
    changed.replace(changed.find(from), std::string_view(from).size(), to);
    auto read = read_rating_link("key", changed, 0);
    ASSERT_FALSE(read) << changed;
    EXPECT_EQ(read.error().slug, "link_tampered") << changed;
  }
  auto flipped = token;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_EQ(read_rating_link("key", flipped, 0).error().slug, "link_tampered");
}

TEST(RatingLinks, WhatIsNoTokenOfOursIsMalformed) {
  for (std::string bad : {"", "abc", "a.b.c.d", "a.b.notanumber.d.e", "a.b.1.d.e.f", "a.b.1..e", "a b.c.1.d.e", "a.b.1x.d.e", "a.b.-1.d.e"})
    EXPECT_EQ(read_rating_link("key", bad, 0).error().slug, "link_malformed") << bad;
}


TEST(Csat, CountedRatingsGiveWhatTheRatingsGive) {
  std::vector<int> ratings{5, 5, 4, 3, 1, 2, 4};
  std::array<std::int64_t, 5> counted{1, 1, 1, 2, 2};
  auto one = csat(ratings);
  auto other = csat(counted);
  EXPECT_EQ(other.responses, one.responses);
  EXPECT_EQ(other.satisfied, one.satisfied);
  EXPECT_DOUBLE_EQ(other.percent, one.percent);
  EXPECT_DOUBLE_EQ(other.mean, one.mean);
  EXPECT_EQ(csat(std::array<std::int64_t, 5>{}).responses, 0);
}

// ---- FDB-4: status page address and availability --------------------------------------------

TEST(Slug, FromTheEnglishNameLowerCaseWithOneDashPerGap) {
  EXPECT_EQ(feedback::slug_from("Campus Wi-Fi STATUSMARK"), "campus-wi-fi-statusmark");
  EXPECT_EQ(feedback::slug_from("  E-mail & Calendar!! "), "e-mail-calendar");
  EXPECT_EQ(feedback::slug_from("校园无线网络"), "");
  EXPECT_EQ(feedback::slug_from("校园 VPN 服务"), "vpn");
  EXPECT_EQ(feedback::slug_from(std::string(80, 'a')).size(), 60u);
  EXPECT_EQ(feedback::slug_from(std::string(59, 'a') + " bcd"), std::string(59, 'a'));  // no dash left hanging
}

TEST(Slug, SetByHandMustBeLowerCaseLettersDigitsAndInnerDashes) {
  EXPECT_TRUE(feedback::valid_slug("wifi-2"));
  EXPECT_FALSE(feedback::valid_slug(""));
  EXPECT_FALSE(feedback::valid_slug("-wifi"));
  EXPECT_FALSE(feedback::valid_slug("wifi-"));
  EXPECT_FALSE(feedback::valid_slug("Wifi"));
  EXPECT_FALSE(feedback::valid_slug("wi fi"));
  EXPECT_FALSE(feedback::valid_slug("无线"));
  EXPECT_FALSE(feedback::valid_slug(std::string(61, 'a')));
}

TEST(Availability, CountsOverlappingOutagesOnce) {
  // A day of 1,000 units: outages 100–300 and 200–400 overlap (300 down), 350–360 lies inside.
  std::vector<feedback::Outage> outages = {{100, 300}, {200, 400}, {350, 360}};
  EXPECT_DOUBLE_EQ(feedback::availability(outages, 0, 1000), 0.7);
}

TEST(Availability, ClipsToTheWindowAndRunsAnOpenOutageToItsEnd) {
  EXPECT_DOUBLE_EQ(feedback::availability({{-500, 100}}, 0, 1000), 0.9);     // began before the window
  EXPECT_DOUBLE_EQ(feedback::availability({{900, 5000}}, 0, 1000), 0.9);     // ends after it
  EXPECT_DOUBLE_EQ(feedback::availability({{800, std::nullopt}}, 0, 1000), 0.8);  // not over yet
  EXPECT_DOUBLE_EQ(feedback::availability({{2000, 3000}}, 0, 1000), 1.0);    // outside
  EXPECT_DOUBLE_EQ(feedback::availability({}, 0, 1000), 1.0);
  EXPECT_DOUBLE_EQ(feedback::availability({{0, 10}}, 5, 5), 1.0);            // empty window
  EXPECT_DOUBLE_EQ(feedback::availability({{0, 1000}, {0, 1000}}, 0, 1000), 0.0);
}

TEST(Availability, TouchingOutagesAddUp) {
  EXPECT_DOUBLE_EQ(feedback::availability({{300, 400}, {100, 200}, {200, 300}}, 0, 1000), 0.7);
}

TEST(Recovery, AComplaintIsMoreUrgentThanAReopen) {
  EXPECT_LT(feedback::recovery_hours("complaint"), feedback::recovery_hours("rating_low"));
  EXPECT_LT(feedback::recovery_hours("rating_low"), feedback::recovery_hours("reopen"));
  EXPECT_EQ(feedback::recovery_hours("something_new"), 24);
}

// ---- OPS-1: a report's CSV -------------------------------------------------------------------

TEST(ReportCsv, HeaderRowsBomAndCrlf) {
  feedback::Table t{"SLA", {"organization", "tickets", "attainment"}, {}};
  t.rows.push_back({std::string("甲大学"), std::int64_t(3), 0.6667});
  t.rows.push_back({std::string("B"), std::int64_t(-2), std::monostate{}});
  EXPECT_EQ(feedback::to_csv(t), "\xEF\xBB\xBForganization,tickets,attainment\r\n甲大学,3,0.6667\r\nB,-2,\r\n");
}

TEST(ReportCsv, QuotesWhatWouldSplitAFieldAndNeutralisesFormulas) {
  feedback::Table t{"x", {"subject"}, {}};
  for (auto text : {"a,b", "say \"hi\"", "two\nlines", "=HYPERLINK(\"http://evil\",\"x\")", "+1", "-1", "@SUM(A1)", "\tx"})
    t.rows.push_back({std::string(text)});
  EXPECT_EQ(feedback::to_csv(t), "\xEF\xBB\xBFsubject\r\n\"a,b\"\r\n\"say \"\"hi\"\"\"\r\n\"two\nlines\"\r\n"
                                 "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"\r\n'+1\r\n'-1\r\n'@SUM(A1)\r\n'\tx\r\n");
}

TEST(ReportCsv, FractionsRoundedToFourDecimals) {
  EXPECT_DOUBLE_EQ(feedback::rounded(2.0 / 3.0), 0.6667);
  EXPECT_DOUBLE_EQ(feedback::rounded(1.0), 1.0);
}

TEST(TouchpointEffect, TheResolutionsMeanAfterAGoodTouchpointLessAfterAPoorOne) {
  std::vector<TouchpointPair> pairs = {{5, 5, 3}, {4, 4, 1}, {2, 2, 2}, {1, 1, 1}, {3, 5, 4}};
  auto e = touchpoint_effect(pairs);
  EXPECT_EQ(e.pairs, 11);
  EXPECT_EQ(e.after_good_count, 4);
  EXPECT_EQ(e.after_poor_count, 3);
  EXPECT_DOUBLE_EQ(*e.after_good, (5.0 * 3 + 4) / 4);
  EXPECT_DOUBLE_EQ(*e.after_poor, (2.0 * 2 + 1) / 3);
  EXPECT_DOUBLE_EQ(*e.swing, (5.0 * 3 + 4) / 4 - (2.0 * 2 + 1) / 3);
}

TEST(TouchpointEffect, NoSwingWithoutBothSidesAndOutOfRangeIsIgnored) {
  std::vector<TouchpointPair> only_good = {{5, 4, 2}, {0, 1, 9}, {4, 6, 9}};
  auto e = touchpoint_effect(only_good);
  EXPECT_EQ(e.pairs, 2);
  EXPECT_TRUE(e.after_good.has_value());
  EXPECT_FALSE(e.after_poor.has_value());
  EXPECT_FALSE(e.swing.has_value());
  EXPECT_EQ(touchpoint_effect({}).pairs, 0);
}

}  // namespace
}  // namespace tandem::feedback
