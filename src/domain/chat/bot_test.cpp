// REL-3: what the chat bot reads in a message and what it does next.
#include <gtest/gtest.h>

#include <algorithm>

#include "domain/chat/bot.h"

namespace tandem::chat {
namespace {

TEST(ChatIntent, AskingForAPersonWinsInEitherLanguageAndAnywhere) {
  EXPECT_EQ(intent_of("Can I talk to a real person please?"), Intent::person);
  EXPECT_EQ(intent_of("no, I want a human"), Intent::person) << "stronger than the 'no'";
  EXPECT_EQ(intent_of("转人工"), Intent::person);
  EXPECT_EQ(intent_of("我要找客服，这个回答没用"), Intent::person);
  EXPECT_EQ(intent_of("HUMAN"), Intent::person) << "case folded";
  EXPECT_EQ(intent_of("humane society"), Intent::question) << "English phrases are whole words";
}

TEST(ChatIntent, TicketsAreAskedForInEitherLanguage) {
  EXPECT_EQ(intent_of("please open a ticket for this"), Intent::ticket);
  EXPECT_EQ(intent_of("帮我提交工单"), Intent::ticket);
}

TEST(ChatIntent, FeedbackCountsOnlyInAShortMessage) {
  EXPECT_EQ(intent_of("no"), Intent::not_helped);
  EXPECT_EQ(intent_of("Nope."), Intent::not_helped);
  EXPECT_EQ(intent_of("that didn’t help"), Intent::not_helped) << "the typographic apostrophe";
  EXPECT_EQ(intent_of("没用"), Intent::not_helped);
  EXPECT_EQ(intent_of("thanks, but it did not help"), Intent::not_helped) << "the complaint wins over the courtesy";
  EXPECT_EQ(intent_of("Thank you!"), Intent::helped);
  EXPECT_EQ(intent_of("谢谢，解决了"), Intent::helped);
  EXPECT_EQ(intent_of("hi"), Intent::greeting);
  EXPECT_EQ(intent_of("你好"), Intent::greeting);
  EXPECT_EQ(intent_of("there is no charging cable in the car I booked this morning at the north gate"), Intent::question);
  EXPECT_EQ(intent_of("How do I unlock the car with the app?"), Intent::question);
}

TEST(ChatIntent, ThePhraseTableIsCheckedLineByLine) {
  EXPECT_TRUE(parse_phrases("person human\nticket 开工单\n"));
  auto unknown = parse_phrases("person human\nshout hey\n");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("line 2"), std::string::npos);
  EXPECT_FALSE(parse_phrases("person\n"));
  EXPECT_FALSE(parse_phrases("question what\n")) << "a question is what no phrase matched";
  EXPECT_FALSE(parse_phrases("person ?!\n")) << "no letters";
}

TEST(ChatIntent, ThePhraseFormKeepsWordsApart) {
  EXPECT_EQ(phrase_form("Hello,  World!"), " hello world ");
  EXPECT_EQ(phrase_form(""), " ");
  EXPECT_EQ(phrase_form("ＡＢＣ"), " abc ") << "NFKC";
}

TEST(ChatAnswer, AQuestionIsSearchedByItsContentTerms) {
  auto terms = question_terms("How do I unlock the car?");
  EXPECT_NE(std::ranges::find(terms, "unlock"), terms.end());
  EXPECT_NE(std::ranges::find(terms, "car"), terms.end());
  EXPECT_EQ(std::ranges::find(terms, "the"), terms.end()) << "function words are not searched";
  auto zh = question_terms("空调坏了");
  EXPECT_NE(std::ranges::find(zh, "空调"), zh.end());
  EXPECT_TRUE(question_terms("?!").empty());
}

TEST(ChatAnswer, CoverageCountsWordsAndChineseCharactersNotPairs) {
  std::vector<std::string> q{"unlock", "car", "app"};
  EXPECT_DOUBLE_EQ(coverage(q, std::vector<std::string>{"unlock", "car"}), 2.0 / 3);
  auto zh = question_terms("空调坏了怎么办");
  // An article about 空调不制冷怎么办 holds 空调, 怎么 and 么办 — five of the six characters
  // that count (了 is a particle); the straddling pairs 调坏 and 了怎 do not count against it.
  EXPECT_NEAR(coverage(zh, std::vector<std::string>{"空调", "怎么", "么办"}), 5.0 / 6, 1e-9);
  EXPECT_DOUBLE_EQ(coverage(zh, std::vector<std::string>{}), 0);
  EXPECT_DOUBLE_EQ(coverage(std::vector<std::string>{}, std::vector<std::string>{"car"}), 0);
  EXPECT_DOUBLE_EQ(coverage(q, std::vector<std::string>{"bike"}), 0) << "only the question's own units count";
}

TEST(ChatAnswer, TheArticleCoveringMostOfTheQuestionWinsThenTheScore) {
  std::vector<std::string> q{"unlock", "car", "app", "phone"};
  std::vector<Candidate> c{{"kba_1", {"unlock", "car"}, 9.0}, {"kba_2", {"unlock", "car", "app"}, 1.0}, {"kba_3", {"car", "app", "phone"}, 2.0}};
  auto best = best_answer(c, q);
  ASSERT_TRUE(best);
  EXPECT_EQ(best->article_id, "kba_3");
  EXPECT_DOUBLE_EQ(best->confidence, 0.75);
  EXPECT_FALSE(best_answer({}, q));
  EXPECT_FALSE(best_answer(c, {}));
  std::vector<Candidate> none{{"kba_1", {}, 3.0}};
  EXPECT_FALSE(best_answer(none, q));
}

TEST(ChatTurn, AConfidentAnswerIsQuotedAndAwaitsAVerdict) {
  auto t = next_turn({}, Intent::question, Answer{"kba_1", 0.8});
  EXPECT_EQ(t.move, Move::answer);
  ASSERT_TRUE(t.answer);
  EXPECT_EQ(t.answer->article_id, "kba_1");
  EXPECT_TRUE(t.memory.answered);
}

TEST(ChatTurn, LowConfidenceOrNothingFoundHandsOver) {
  auto low = next_turn({}, Intent::question, Answer{"kba_1", 0.5});
  EXPECT_EQ(low.move, Move::hand_off);
  EXPECT_EQ(low.reason, HandOffReason::low_confidence);
  EXPECT_FALSE(low.answer);
  auto at = next_turn({}, Intent::question, Answer{"kba_1", kConfidenceNeeded});
  EXPECT_EQ(at.move, Move::answer) << "the threshold itself is enough";
  EXPECT_EQ(next_turn({}, Intent::question, std::nullopt).reason, HandOffReason::low_confidence);
}

TEST(ChatTurn, AskingForAPersonHandsOverAtOnce) {
  auto t = next_turn({0, true}, Intent::person, Answer{"kba_1", 1.0});
  EXPECT_EQ(t.move, Move::hand_off);
  EXPECT_EQ(t.reason, HandOffReason::asked_for_person);
}

TEST(ChatTurn, TwoAnswersThatDidNotHelpHandOver) {
  Memory m;
  auto first = next_turn(m, Intent::question, Answer{"kba_1", 1.0});
  auto verdict = next_turn(first.memory, Intent::not_helped, std::nullopt);
  EXPECT_EQ(verdict.move, Move::ask_again);
  EXPECT_EQ(verdict.memory.failures, 1);
  auto second = next_turn(verdict.memory, Intent::question, Answer{"kba_2", 0.9});
  EXPECT_EQ(second.move, Move::answer);
  EXPECT_EQ(second.memory.failures, 1) << "failures are kept across answers";
  auto again = next_turn(second.memory, Intent::not_helped, std::nullopt);
  EXPECT_EQ(again.move, Move::hand_off);
  EXPECT_EQ(again.reason, HandOffReason::failed_answers);
}

TEST(ChatTurn, FeedbackWithoutAnAnswerIsReadAsWords) {
  auto thanks = next_turn({}, Intent::helped, std::nullopt);
  EXPECT_EQ(thanks.move, Move::greet);
  EXPECT_EQ(thanks.memory.failures, 0);
  auto no_wifi = next_turn({}, Intent::not_helped, Answer{"kba_wifi", 1.0});
  EXPECT_EQ(no_wifi.move, Move::answer) << "'no wifi' asked before any answer is a question";
  EXPECT_EQ(next_turn({}, Intent::greeting, std::nullopt).move, Move::greet) << "a greeting is not a failed question";
}

TEST(ChatTurn, AnAnswerThatHelpedResolvesAndATicketCanBeAskedForAnyTime) {
  EXPECT_EQ(next_turn({0, true}, Intent::helped, std::nullopt).move, Move::close_resolved);
  EXPECT_EQ(next_turn({1, false}, Intent::ticket, std::nullopt).move, Move::open_ticket);
}

TEST(ChatQuote, TheFirstParagraphCutAtACharacter) {
  EXPECT_EQ(quote_of("\n  Open the app.\nTap Unlock.\n\nIf that fails, call us."), "Open the app.\nTap Unlock.");
  EXPECT_EQ(quote_of("abcdef", 4), "abcd…");
  EXPECT_EQ(quote_of("打开应用", 4), "打…") << "never half a character";
  EXPECT_EQ(quote_of("打开", 6), "打开");
  EXPECT_EQ(quote_of("  \n "), "");
}

TEST(ChatTranscript, EachLineNamesTimeAndSpeakerAndIndentsContinuations) {
  std::vector<TranscriptLine> lines{{0, "Zhang Wei", "The car is dirty"}, {60'000, "Bot", "Sorry.\nSee: Cleaning"}};
  EXPECT_EQ(transcript_text(lines),
            "[1970-01-01 00:00:00 UTC] Zhang Wei: The car is dirty\n"
            "[1970-01-01 00:01:00 UTC] Bot: Sorry.\n"
            "    See: Cleaning\n");
}

}  // namespace
}  // namespace tandem::chat
