#include "domain/search/terms.h"

#include <gtest/gtest.h>

namespace tandem::search {
namespace {

TEST(SearchTerms, EnglishWordsAreFoldedAndSplitOnPunctuation) {
  EXPECT_EQ(index_terms("Printer on Floor-3 prints BLANK pages!"), "printer on floor 3 prints blank pages");
}

TEST(SearchTerms, FullWidthAndCompatibilityFormsFoldToTheirPlainForms) {
  EXPECT_EQ(index_terms("ＶＰＮ　Ｅｒｒｏｒ"), "vpn error");
}

TEST(SearchTerms, ChineseRunsBecomePairsAndTheirLastCharacter) {
  EXPECT_EQ(index_terms("打印机"), "打印 印机 机");
  EXPECT_EQ(index_terms("网"), "网");
  EXPECT_EQ(index_terms("无法连接VPN服务器"), "无法 法连 连接 接 vpn 服务 务器 器");
}

TEST(SearchTerms, EmptyAndPunctuationOnlyTextHasNoTerms) {
  EXPECT_EQ(index_terms(""), "");
  EXPECT_EQ(index_terms("  ，。!? -- "), "");
}

TEST(SearchTerms, InvalidUtf8KeepsTheValidPrefix) {
  EXPECT_EQ(index_terms("good words \xff\xfe bad"), "good words");
  EXPECT_EQ(index_terms("\xff"), "");
}

TEST(SearchTerms, LongWordsAreCut) {
  auto terms = index_terms(std::string(500, 'a'));
  EXPECT_EQ(terms.size(), 64u);
}

TEST(SearchQuery, WordsMatchAsPrefixes) {
  auto q = parse_query("Blank pages");
  ASSERT_TRUE(q);
  EXPECT_EQ(*q, (std::vector<QueryTerm>{{"blank", true}, {"pages", true}}));
}

TEST(SearchQuery, OneChineseCharacterIsAPrefixOfAPair) {
  auto q = parse_query("打");
  ASSERT_TRUE(q);
  EXPECT_EQ(*q, (std::vector<QueryTerm>{{"打", true}}));
}

TEST(SearchQuery, TwoOrMoreChineseCharactersNeedEveryPair) {
  auto two = parse_query("打印");
  ASSERT_TRUE(two);
  EXPECT_EQ(*two, (std::vector<QueryTerm>{{"打印", false}}));
  auto mixed = parse_query("连接VPN");
  ASSERT_TRUE(mixed);
  EXPECT_EQ(*mixed, (std::vector<QueryTerm>{{"连接", false}, {"vpn", true}}));
}

// Every query of a text's own substrings must be satisfiable by that text's terms: this is what
// makes the index find what a query names.
TEST(SearchQuery, EverySubstringOfAChineseTextIsFoundByItsTerms) {
  std::string text = "三楼打印机卡纸";
  auto terms = " " + index_terms(text) + " ";
  std::vector<std::string> chars;
  for (std::size_t i = 0; i < text.size(); i += 3) chars.push_back(text.substr(i, 3));
  for (std::size_t from = 0; from < chars.size(); ++from) {
    for (std::size_t len = 1; from + len <= chars.size(); ++len) {
      std::string q;
      for (std::size_t k = from; k < from + len; ++k) q += chars[k];
      auto parsed = parse_query(q);
      ASSERT_TRUE(parsed) << q;
      for (const auto& t : *parsed) {
        bool found = t.prefix ? terms.find(" " + t.text) != std::string::npos
                              : terms.find(" " + t.text + " ") != std::string::npos;
        EXPECT_TRUE(found) << "query " << q << " term " << t.text << " not in " << terms;
      }
    }
  }
}

TEST(SearchQuery, RepeatedTermsCountOnceAndTheNumberIsBounded) {
  auto q = parse_query("vpn VPN vpn");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->size(), 1u);
  std::string many;
  for (int i = 0; i < 40; ++i) many += "w" + std::to_string(i) + " ";
  auto bounded = parse_query(many);
  ASSERT_TRUE(bounded);
  EXPECT_EQ(bounded->size(), kMaxQueryTerms);
}

TEST(SearchQuery, QueryWithoutWordsIsRefusedForFieldQ) {
  auto q = parse_query(" ?!。 ");
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().code, Code::invalid_argument);
  ASSERT_EQ(q.error().details.size(), 1u);
  EXPECT_EQ(q.error().details[0].field, "q");
}

TEST(ContentTerms, AQuestionKeepsItsContentWords) {
  auto q = parse_query("How do I charge the car?");
  ASSERT_TRUE(q);
  auto kept = content_terms(*q);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].text, "charge");
  EXPECT_EQ(kept[1].text, "car");
  auto only = parse_query("how to");
  ASSERT_TRUE(only);
  EXPECT_EQ(content_terms(*only).size(), 2u) << "nothing else left: kept";
  auto chinese = parse_query("如何 charge");
  ASSERT_TRUE(chinese);
  EXPECT_EQ(content_terms(*chinese).size(), 2u);
}

}  // namespace
}  // namespace tandem::search
