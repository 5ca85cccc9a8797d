// ONB-9: a training checked as a whole, and attempts scored on the server.
#include "domain/onboarding/training.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace tandem::onboarding {
namespace {

catalog::LocalizedText text(const char* en) { return catalog::LocalizedText::make("en", {{"en", en}}, 1000).value(); }

Training safety() {
  Training t;
  t.title = text("Safety");
  t.content = {{ContentKind::video, "https://media.example.org/safety.mp4", text("Video")}};
  t.questions = {{text("Drive after drinking?"), {text("Yes"), text("No")}, 1},
                 {text("Return the car where?"), {text("Its bay"), text("Anywhere"), text("At home")}, 0},
                 {text("Check the tyres?"), {text("Yes"), text("No")}, 0}};
  t.pass_mark = 2.0 / 3;
  return t;
}

std::set<std::string> fields(const Result<void>& r) {
  std::set<std::string> out;
  if (!r) for (const auto& d : r.error().details) out.insert(d.field);
  return out;
}

TEST(Training, AWellMadeTrainingPasses) { EXPECT_TRUE(check_training(safety())); }

TEST(Training, EveryProblemIsNamedByItsPlace) {
  auto t = safety();
  t.title = {};
  t.content[0].url = "javascript:alert(1)";
  t.questions[0].answer = 2;
  t.questions[1].choices = {text("Only one")};
  t.questions[2].choices[1] = {};
  t.pass_mark = 1.5;
  EXPECT_EQ(fields(check_training(t)), (std::set<std::string>{"title", "content[0].url", "questions[0].answer", "questions[1].choices",
                                                                "questions[2].choices[1]", "pass_mark"}));
  Training empty;
  empty.title = text("Nothing");
  EXPECT_EQ(fields(check_training(empty)), (std::set<std::string>{"content"}));
}

TEST(Training, AttemptsAreScoredAgainstThePassMark) {
  auto t = safety();
  std::vector<int> all_right{1, 0, 0}, two_right{1, 0, 1}, one_right{0, 0, 1};
  auto best = score_attempt(t, all_right);
  ASSERT_TRUE(best);
  EXPECT_EQ(best->correct, 3);
  EXPECT_TRUE(best->passed);
  // Scored, and passed: a refused attempt fails the test rather than reading an error as a score.
  auto passes = [&](const std::vector<int>& answers) {
    auto r = score_attempt(t, answers);
    EXPECT_TRUE(r);
    return r && r->passed;
  };
  EXPECT_TRUE(passes(two_right)) << "2 of 3 reaches a pass mark of 2/3";
  EXPECT_FALSE(passes(one_right));
  t.pass_mark = 1;
  EXPECT_FALSE(passes(two_right));
}

TEST(Training, AnswersMustFitTheQuestions) {
  auto t = safety();
  std::vector<int> short_list{1, 0}, out_of_range{1, 3, 0};
  auto short_answer = score_attempt(t, short_list);
  ASSERT_FALSE(short_answer);
  EXPECT_EQ(short_answer.error().details[0].field, "answers");
  auto out_answer = score_attempt(t, out_of_range);
  ASSERT_FALSE(out_answer);
  EXPECT_EQ(out_answer.error().details[0].field, "answers[1]");
  Training reading;
  reading.title = text("Read me");
  reading.content = t.content;
  auto taken = score_attempt(reading, {});
  ASSERT_TRUE(taken);
  EXPECT_TRUE(taken->passed) << "no quiz: taking it is passing it";
}

}  // namespace
}  // namespace tandem::onboarding
