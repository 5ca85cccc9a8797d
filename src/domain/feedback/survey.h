// FDB-1: relationship surveys. A survey asks the people of some customer organisations a few
// questions, as data: the built-in NPS question ("how likely are you to recommend us", 0–10)
// first, then the author's own — a score from 1 to 5, one of some options, or a text. Pure: the
// use cases keep surveys, invitations and responses (issue "Feedback and insight").
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/feedback/feedback.h"

namespace tandem::feedback {

enum class QuestionKind { nps, scale, choice, text };
std::string_view to_string(QuestionKind k);
std::optional<QuestionKind> question_kind_from(std::string_view text);

// The key of the built-in question every survey opens with.
inline constexpr std::string_view kNpsKey = "nps";
// What a survey may hold: the NPS question and up to 20 of the author's.
inline constexpr std::size_t kMaxQuestions = 21;
inline constexpr std::size_t kMaxOptions = 12;
inline constexpr std::size_t kTextAnswerLimit = 2000;  // characters

struct Question {
  std::string key;  // "nps", or the author's: 1–40 of a-z, 0-9 and '_'
  QuestionKind kind = QuestionKind::scale;
  bool required = false;
  std::size_t options = 0;  // a choice's number of options
};

// A question key as an author may write it (not "nps", which is the built-in one's).
bool valid_question_key(std::string_view key);

// An answer: a score (NPS 0–10, scale 1–5), the index of a choice's option, or a text.
using Answer = std::variant<std::int64_t, std::string>;
using Answers = std::map<std::string, Answer, std::less<>>;

struct AnswerProblem {
  std::string key;  // the question's, or the unknown key sent
  std::string problem;
};
// What is wrong with `answers` to `questions`: a key that is no question, a required question
// left out, a score out of range, an option that is not there, a text too long or not UTF-8.
// An empty text counts as not answered.
std::vector<AnswerProblem> check_answers(std::span<const Question> questions, const Answers& answers);

// The answers one question got, counted: NPS by score 0–10 (with its NPS), a scale by score 1–5
// (with its CSAT), a choice by option; texts are only counted (the caller keeps them).
struct QuestionTally {
  std::string key;
  QuestionKind kind = QuestionKind::scale;
  std::int64_t responses = 0;
  std::vector<std::int64_t> counts;  // by score (NPS 11, scale 5) or by option; empty for text
  std::optional<Nps> nps;
  std::optional<Csat> csat;
};
QuestionTally tally(const Question& q, std::span<const Answers> responses);

// A survey's schedule as its state reads at `now`: scheduled before it opens, open until it
// closes, closed after (or once closed early by hand); drafts stay drafts.
enum class SurveyState { draft, scheduled, open, closed };
std::string_view to_string(SurveyState s);
SurveyState survey_state(bool published, bool closed_by_hand, std::int64_t opens_at, std::int64_t closes_at, std::int64_t now);

// Whether an invitation not yet answered gets its one reminder at `now`: `reminder_days` (0: no
// reminder) after the invitation, while the survey is still open.
bool reminder_due(std::int64_t invited_at, std::int64_t reminder_days, std::int64_t closes_at, std::int64_t now);

}  // namespace tandem::feedback
