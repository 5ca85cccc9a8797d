// FDB-1: relationship surveys — answers checked against the questions, answers counted, NPS over
// counts, the schedule and the one reminder.
#include <gtest/gtest.h>

#include <vector>

#include "domain/feedback/survey.h"

namespace tandem::feedback {
namespace {

const std::vector<Question> kQuestions = {
    {"nps", QuestionKind::nps, true, 0},
    {"support", QuestionKind::scale, false, 0},
    {"channel", QuestionKind::choice, true, 3},
    {"why", QuestionKind::text, false, 0},
};

std::vector<std::string> problem_keys(const Answers& answers) {
  std::vector<std::string> keys;
  for (const auto& p : check_answers(kQuestions, answers)) keys.push_back(p.key);
  return keys;
}

TEST(SurveyAnswers, AWholeAnswerPasses) {
  Answers a{{"nps", std::int64_t(9)}, {"support", std::int64_t(4)}, {"channel", std::int64_t(2)}, {"why", std::string("快")}};
  EXPECT_TRUE(check_answers(kQuestions, a).empty());
  // Optional questions may be left out, or sent as an empty text.
  EXPECT_TRUE(check_answers(kQuestions, {{"nps", std::int64_t(0)}, {"channel", std::int64_t(0)}, {"why", std::string()}}).empty());
}

TEST(SurveyAnswers, RequiredQuestionsMustBeAnswered) {
  EXPECT_EQ(problem_keys({{"support", std::int64_t(3)}}), (std::vector<std::string>{"nps", "channel"}));
}

TEST(SurveyAnswers, ScoresMustBeInTheirQuestionsRange) {
  EXPECT_EQ(problem_keys({{"nps", std::int64_t(11)}, {"channel", std::int64_t(1)}}), std::vector<std::string>{"nps"});
  EXPECT_EQ(problem_keys({{"nps", std::int64_t(-1)}, {"channel", std::int64_t(1)}}), std::vector<std::string>{"nps"});
  EXPECT_EQ(problem_keys({{"nps", std::int64_t(5)}, {"support", std::int64_t(0)}, {"channel", std::int64_t(1)}}),
            std::vector<std::string>{"support"});
  EXPECT_EQ(problem_keys({{"nps", std::int64_t(5)}, {"support", std::int64_t(6)}, {"channel", std::int64_t(1)}}),
            std::vector<std::string>{"support"});
  // A choice's answer is one of its options' numbers: three options are 0, 1 and 2.
  EXPECT_EQ(problem_keys({{"nps", std::int64_t(5)}, {"channel", std::int64_t(3)}}), std::vector<std::string>{"channel"});
  EXPECT_EQ(problem_keys({{"nps", std::string("ten")}, {"channel", std::int64_t(0)}}), std::vector<std::string>{"nps"});
}

TEST(SurveyAnswers, TextsAreTextsOfBoundedLength) {
  Answers base{{"nps", std::int64_t(8)}, {"channel", std::int64_t(0)}};
  auto with = [&](Answer why) {
    auto a = base;
    a.insert_or_assign("why", std::move(why));
    return problem_keys(a);
  };
  EXPECT_TRUE(with(std::string(2000, 'x')).empty());
  EXPECT_TRUE(with([] {
                std::string s;
                for (int i = 0; i < 2000; ++i) s += "好";  // 2000 characters, 6000 bytes
                return s;
              }())
                  .empty());
  EXPECT_EQ(with(std::string(2001, 'x')), std::vector<std::string>{"why"});
  EXPECT_EQ(with(std::string("\xff\xfe")), std::vector<std::string>{"why"});
  EXPECT_EQ(with(std::int64_t(3)), std::vector<std::string>{"why"});
}

TEST(SurveyAnswers, UnknownKeysAreNamed) {
  EXPECT_EQ(problem_keys({{"nps", std::int64_t(8)}, {"channel", std::int64_t(0)}, {"mood", std::int64_t(1)}}),
            std::vector<std::string>{"mood"});
}

TEST(SurveyTally, CountsEachKindAndComputesNpsAndCsat) {
  std::vector<Answers> responses = {
      {{"nps", std::int64_t(10)}, {"support", std::int64_t(5)}, {"channel", std::int64_t(0)}, {"why", std::string("great")}},
      {{"nps", std::int64_t(9)}, {"support", std::int64_t(4)}, {"channel", std::int64_t(0)}},
      {{"nps", std::int64_t(7)}, {"support", std::int64_t(2)}, {"channel", std::int64_t(2)}, {"why", std::string()}},
      {{"nps", std::int64_t(3)}, {"channel", std::int64_t(1)}, {"why", std::string("slow")}},
  };
  auto n = tally(kQuestions[0], responses);
  EXPECT_EQ(n.responses, 4);
  EXPECT_EQ(n.counts[10], 1);
  EXPECT_EQ(n.counts[9], 1);
  EXPECT_EQ(n.counts[7], 1);
  EXPECT_EQ(n.counts[3], 1);
  ASSERT_TRUE(n.nps);
  EXPECT_EQ(n.nps->promoters, 2);
  EXPECT_EQ(n.nps->passives, 1);
  EXPECT_EQ(n.nps->detractors, 1);
  EXPECT_DOUBLE_EQ(n.nps->score, 25);  // (2 − 1) / 4

  auto scale = tally(kQuestions[1], responses);
  EXPECT_EQ(scale.responses, 3);
  EXPECT_EQ(scale.counts, (std::vector<std::int64_t>{0, 1, 0, 1, 1}));
  ASSERT_TRUE(scale.csat);
  EXPECT_EQ(scale.csat->satisfied, 2);
  EXPECT_DOUBLE_EQ(scale.csat->mean, 11.0 / 3);

  auto choice = tally(kQuestions[2], responses);
  EXPECT_EQ(choice.counts, (std::vector<std::int64_t>{2, 1, 1}));

  auto text = tally(kQuestions[3], responses);
  EXPECT_EQ(text.responses, 2);  // the empty text is no answer
  EXPECT_TRUE(text.counts.empty());
}

TEST(SurveyTally, AnswersOutOfRangeAreNotCounted) {
  std::vector<Answers> responses = {{{"nps", std::int64_t(12)}}, {{"nps", std::int64_t(6)}}};
  auto n = tally(kQuestions[0], responses);
  EXPECT_EQ(n.responses, 1);
  EXPECT_DOUBLE_EQ(n.nps->score, -100);
}

TEST(Nps, OverCountsEqualsOverAnswers) {
  std::array<std::int64_t, 11> counts{};
  std::vector<int> answers;
  for (int score = 0; score <= 10; ++score)
    for (int i = 0; i < score % 4 + 1; ++i) {
      ++counts[std::size_t(score)];
      answers.push_back(score);
    }
  auto a = nps(counts);
  auto b = nps(answers);
  EXPECT_EQ(a.responses, b.responses);
  EXPECT_EQ(a.promoters, b.promoters);
  EXPECT_EQ(a.passives, b.passives);
  EXPECT_EQ(a.detractors, b.detractors);
  EXPECT_DOUBLE_EQ(a.score, b.score);
  EXPECT_DOUBLE_EQ(nps(std::array<std::int64_t, 11>{}).score, 0);
}

TEST(SurveySchedule, StatesFollowTheClock) {
  EXPECT_EQ(survey_state(false, false, 100, 200, 150), SurveyState::draft);
  EXPECT_EQ(survey_state(true, false, 100, 200, 99), SurveyState::scheduled);
  EXPECT_EQ(survey_state(true, false, 100, 200, 100), SurveyState::open);
  EXPECT_EQ(survey_state(true, false, 100, 200, 199), SurveyState::open);
  EXPECT_EQ(survey_state(true, false, 100, 200, 200), SurveyState::closed);
  EXPECT_EQ(survey_state(true, true, 100, 200, 150), SurveyState::closed);
}

TEST(SurveySchedule, OneReminderAfterItsDaysWhileOpen) {
  constexpr std::int64_t day = 86'400'000;
  EXPECT_FALSE(reminder_due(0, 3, 10 * day, 3 * day - 1));
  EXPECT_TRUE(reminder_due(0, 3, 10 * day, 3 * day));
  EXPECT_FALSE(reminder_due(0, 0, 10 * day, 5 * day));   // no reminders
  EXPECT_FALSE(reminder_due(0, 3, 10 * day, 10 * day));  // closed
}

TEST(SurveyQuestions, KeysAndKinds) {
  EXPECT_TRUE(valid_question_key("support_2"));
  EXPECT_FALSE(valid_question_key("nps"));
  EXPECT_FALSE(valid_question_key("Support"));
  EXPECT_FALSE(valid_question_key(""));
  EXPECT_FALSE(valid_question_key(std::string(41, 'a')));
  for (auto k : {QuestionKind::nps, QuestionKind::scale, QuestionKind::choice, QuestionKind::text})
    EXPECT_EQ(question_kind_from(to_string(k)), k);
  EXPECT_EQ(question_kind_from("stars"), std::nullopt);
}

}  // namespace
}  // namespace tandem::feedback
