// DESK-8: negative sentiment in what a person writes, in Chinese and English, from the list.
#include <gtest/gtest.h>

#include "domain/feedback/sentiment.h"

namespace tandem::feedback {
namespace {

TEST(Sentiment, FindsTheListedPhrasesInEitherLanguage) {
  EXPECT_EQ(negative_phrase("This is UNACCEPTABLE. Fix it."), "unacceptable");
  EXPECT_EQ(negative_phrase("I'm fed up with the app"), "fed up");
  EXPECT_EQ(negative_phrase("充电桩又坏了，太差了！"), "太差了");
  EXPECT_EQ(negative_phrase("这已经是第三次了"), "第三次了");
  EXPECT_EQ(negative_phrase("ｕｎａｃｃｅｐｔａｂｌｅ"), "unacceptable") << "full-width letters read as letters";
}

TEST(Sentiment, EnglishPhrasesAreWholeWordsAndNeutralTextHasNone) {
  EXPECT_FALSE(negative_phrase("The printer is not working"));
  EXPECT_FALSE(negative_phrase("I was fedupped"));  // not "fed up"
  EXPECT_FALSE(negative_phrase("Please reset my password, thanks"));
  EXPECT_FALSE(negative_phrase("空调坏了，请派人来修"));
  EXPECT_FALSE(negative_phrase(""));
}

TEST(Sentiment, TheListParsesAndALineWithoutLettersIsRefused) {
  auto parsed = parse_negative_phrases("# comment\nunacceptable\n太差了\n");
  ASSERT_TRUE(parsed.has_value());
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].form, " unacceptable ");
  EXPECT_EQ((*parsed)[1].form, "太差了");
  EXPECT_FALSE(parse_negative_phrases("!!!\n").has_value());
}

}  // namespace
}  // namespace tandem::feedback
