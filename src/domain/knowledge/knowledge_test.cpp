// KB-1: article states, audiences and the language a reader is served.
#include <gtest/gtest.h>

#include "domain/knowledge/article.h"
#include "domain/markup/diff.h"

namespace tandem::knowledge {
namespace {

using enum ArticleState;

TEST(ArticleState, NamesRoundTrip) {
  for (auto s : {draft, review, published, archived}) EXPECT_EQ(parse_article_state(to_string(s)), s);
  EXPECT_FALSE(parse_article_state("deleted"));
  EXPECT_FALSE(parse_article_state("Published"));
}

TEST(ArticleState, MovesFollowTheLifeOfAnArticle) {
  EXPECT_TRUE(can_move(draft, review));
  EXPECT_TRUE(can_move(review, draft));
  EXPECT_TRUE(can_move(published, archived));
  EXPECT_TRUE(can_move(archived, draft));
  EXPECT_FALSE(can_move(draft, published));  // publishing is its own step
  EXPECT_FALSE(can_move(review, published));
  EXPECT_FALSE(can_move(draft, archived));
  EXPECT_FALSE(can_move(archived, published));
  EXPECT_FALSE(can_move(published, draft));
  EXPECT_FALSE(can_move(draft, draft));
  EXPECT_TRUE(can_publish(draft));
  EXPECT_TRUE(can_publish(review));
  EXPECT_FALSE(can_publish(published));
  EXPECT_FALSE(can_publish(archived));
}

TEST(Audience, EmptyMeansEverySignedInUser) {
  EXPECT_TRUE(in_audience({}, Reader{"org_a", {identity::Role::user}, {}}));
}

TEST(Audience, EachNamedListMustBeMet) {
  Audience a{{"org_a", "org_b"}, {identity::Role::customer}, {}};
  EXPECT_TRUE(in_audience(a, Reader{"org_b", {identity::Role::user, identity::Role::customer}, {}}));
  EXPECT_FALSE(in_audience(a, Reader{"org_c", {identity::Role::customer}, {}}));
  EXPECT_FALSE(in_audience(a, Reader{"org_a", {identity::Role::user}, {}}));
  Audience offering{{}, {}, {"off_gold"}};
  EXPECT_TRUE(in_audience(offering, Reader{"org_x", {identity::Role::user}, {"off_silver", "off_gold"}}));
  EXPECT_FALSE(in_audience(offering, Reader{"org_x", {identity::Role::user}, {"off_silver"}}));
}

TEST(Translation, ServesTheReadersLanguageThenTheOriginal) {
  std::vector<std::string> both{"zh-CN", "en"};
  EXPECT_EQ(served_language("en", "zh-CN", both), "en");
  EXPECT_EQ(served_language("zh-CN", "en", both), "zh-CN");
  EXPECT_EQ(served_language("zh", "en", both), "zh-CN");
  EXPECT_EQ(served_language("en-GB", "zh-CN", both), "en");
  EXPECT_EQ(served_language("fr", "zh-CN", both), "zh-CN");
}

TEST(Diff, ShowsRemovedThenAddedLinesBetweenCommonOnes) {
  using markup::DiffLine;
  using enum DiffLine::Op;
  auto d = markup::diff_lines("a\nb\nc\nd", "a\nB\nc\nd\ne");
  std::vector<DiffLine> want{{same, "a"}, {removed, "b"}, {added, "B"}, {same, "c"}, {same, "d"}, {added, "e"}};
  EXPECT_EQ(d, want);
  EXPECT_TRUE(markup::diff_lines("", "").empty());
  EXPECT_EQ(markup::diff_lines("", "x"), (std::vector<DiffLine>{{added, "x"}}));
  EXPECT_EQ(markup::diff_lines("x\ny", "y"), (std::vector<DiffLine>{{removed, "x"}, {same, "y"}}));
}

TEST(Diff, TooLongToCompareShowsEverythingReplaced) {
  std::string before, after;
  for (int i = 0; i < 2100; ++i) {
    before += "b" + std::to_string(i) + "\n";
    after += "a" + std::to_string(i) + "\n";
  }
  auto d = markup::diff_lines(before, after);
  ASSERT_EQ(d.size(), 4200u);
  EXPECT_EQ(d.front().op, markup::DiffLine::Op::removed);
  EXPECT_EQ(d.back().op, markup::DiffLine::Op::added);
}

}  // namespace
}  // namespace tandem::knowledge

#include "domain/knowledge/ranking.h"
#include "domain/search/highlight.h"

namespace tandem::knowledge {
namespace {

TEST(Ranking, HelpfulAndRecentDocumentsRankHigher) {
  EXPECT_DOUBLE_EQ(hit_score(2.0, 0, 0, 0), 2.0);
  EXPECT_GT(hit_score(1.0, 10, 0, 0), hit_score(1.0, 0, 0, 0));
  EXPECT_LT(hit_score(1.0, 0, 10, 0), hit_score(1.0, 0, 0, 0));
  EXPECT_GT(hit_score(1.0, 100, 0, 0), hit_score(1.0, 1, 0, 0));
  EXPECT_NEAR(hit_score(1.0, 0, 0, 365), 0.75, 1e-9);
  EXPECT_GT(hit_score(1.0, 0, 0, 10), hit_score(1.0, 0, 0, 400));
  EXPECT_GE(hit_score(1.0, 0, 1000000, 1e6), 0.75 * 0.5 - 1e-9);
  // Relevance still leads: a far better match beats a helpful one.
  EXPECT_GT(hit_score(3.0, 0, 5, 30), hit_score(1.0, 50, 0, 0));
}

TEST(Highlight, MarksEveryOccurrenceOfEveryTerm) {
  std::vector<search::QueryTerm> terms{{"vpn", true}, {"超时", false}};
  auto s = search::highlight("VPN 连接超时，请重连 vpn", terms);
  std::vector<search::Snippet> want{{"VPN", true}, {" 连接", false}, {"超时", true}, {"，请重连 ", false}, {"vpn", true}};
  EXPECT_EQ(s, want);
}

TEST(Highlight, WordsMatchAtTheirStartOnly) {
  auto s = search::highlight("reprint print", {{"print", true}});
  std::vector<search::Snippet> want{{"reprint ", false}, {"print", true}};
  EXPECT_EQ(s, want);
}

TEST(Highlight, LongTextIsCutAroundTheFirstMatchAtCharacterBoundaries) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "打";
  text += "目标";
  for (int i = 0; i < 200; ++i) text += "印";
  auto s = search::highlight(text, {{"目标", false}}, 60);
  ASSERT_GE(s.size(), 4u);
  EXPECT_EQ(s.front().text, "…");
  EXPECT_EQ(s.back().text, "…");
  bool marked = false;
  std::size_t bytes = 0;
  for (const auto& piece : s) {
    marked = marked || (piece.marked && piece.text == "目标");
    if (piece.text != "…") bytes += piece.text.size();
    EXPECT_EQ(piece.text.size() % 3, 0u) << "cut inside a character";
  }
  EXPECT_TRUE(marked);
  EXPECT_LE(bytes, 60u);
}

TEST(Highlight, NoMatchShowsTheStart) {
  auto s = search::highlight("hello world", {{"zzz", false}}, 5);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0], (search::Snippet{"hello", false}));
  EXPECT_EQ(s[1].text, "…");
}

}  // namespace
}  // namespace tandem::knowledge

#include "domain/markup/markdown.h"

namespace tandem::markup {
namespace {

TEST(MarkdownText, IsWhatReadersSeeOnOneLine) {
  EXPECT_EQ(markdown_to_text("# 打印\n\n三楼**打印机**：\n\n| 系统 | 驱动 |\n|---|---|\n| Windows | `Setup.exe` |\n\n"
                             "- one &amp; <b>two</b>\n- [link](https://x.example)"),
            "打印 三楼打印机： 系统 驱动 Windows Setup.exe one & two link");
}

}  // namespace
}  // namespace tandem::markup
