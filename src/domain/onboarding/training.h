// ONB-9: a training — things to watch or read, and a quiz scored by the provider, never by the
// browser: a person passes when the share of right answers reaches the pass mark. Pure.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/catalog/localized_text.h"

namespace tandem::onboarding {

enum class ContentKind { video, document };
std::optional<ContentKind> parse_content_kind(std::string_view text);
std::string_view to_string(ContentKind k);

struct ContentItem {
  ContentKind kind = ContentKind::document;
  std::string url;  // http or https
  catalog::LocalizedText title;
};

struct Question {
  catalog::LocalizedText text;
  std::vector<catalog::LocalizedText> choices;
  int answer = 0;  // the right choice's index
};

struct Training {
  catalog::LocalizedText title;
  std::vector<ContentItem> content;
  std::vector<Question> questions;
  double pass_mark = 1;  // the share of right answers that passes, 0..1
};

inline constexpr std::size_t kMaxQuestions = 100;
inline constexpr std::size_t kMaxChoices = 10;

// Every problem by its place ("questions[1].answer"): a title, content links that are http(s)
// URLs, questions with 2–10 choices and an answer among them, a pass mark from 0 to 1.
Result<void> check_training(const Training& t);

struct Score {
  int correct = 0;
  int questions = 0;
  bool passed = false;
};
// One attempt: an answer (a choice's index) for every question, in order. A quiz with no
// questions is passed by taking it (the content was read). 422 naming the place when the answers
// do not fit the questions.
Result<Score> score_attempt(const Training& t, std::span<const int> answers);

}  // namespace tandem::onboarding
