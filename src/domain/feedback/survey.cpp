#include "domain/feedback/survey.h"

#include <algorithm>

#include "domain/tickets/attachment.h"

namespace tandem::feedback {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

bool answered(const Answer& a) { return !std::holds_alternative<std::string>(a) || !std::get<std::string>(a).empty(); }

std::optional<std::string> problem_with(const Question& q, const Answer& a) {
  auto score = std::get_if<std::int64_t>(&a);
  switch (q.kind) {
    case QuestionKind::nps:
      if (!score || *score < 0 || *score > 10) return "must be a whole number from 0 to 10";
      return std::nullopt;
    case QuestionKind::scale:
      if (!score || *score < 1 || *score > 5) return "must be a whole number from 1 to 5";
      return std::nullopt;
    case QuestionKind::choice:
      if (!score || *score < 0 || std::size_t(*score) >= q.options)
        return "must be the number of one of the options, from 0 to " + std::to_string(q.options == 0 ? 0 : q.options - 1);
      return std::nullopt;
    case QuestionKind::text: {
      auto text = std::get_if<std::string>(&a);
      if (!text) return "must be text";
      if (!tickets::valid_utf8(*text)) return "must be UTF-8 text";
      if (tickets::utf8_length(*text) > kTextAnswerLimit) return "must be at most 2000 characters";
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(QuestionKind k) {
  switch (k) {
    case QuestionKind::nps: return "nps";
    case QuestionKind::scale: return "scale";
    case QuestionKind::choice: return "choice";
    case QuestionKind::text: return "text";
  }
  return "scale";
}

std::optional<QuestionKind> question_kind_from(std::string_view text) {
  for (auto k : {QuestionKind::nps, QuestionKind::scale, QuestionKind::choice, QuestionKind::text})
    if (to_string(k) == text) return k;
  return std::nullopt;
}

bool valid_question_key(std::string_view key) {
  if (key.empty() || key.size() > 40 || key == kNpsKey) return false;
  return std::ranges::all_of(key, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::vector<AnswerProblem> check_answers(std::span<const Question> questions, const Answers& answers) {
  std::vector<AnswerProblem> out;
  for (const auto& [key, _] : answers)
    if (std::ranges::none_of(questions, [&](const Question& q) { return q.key == key; }))
      out.push_back({key, "is not a question of this survey"});
  for (const auto& q : questions) {
    auto it = answers.find(q.key);
    if (it == answers.end() || !answered(it->second)) {
      if (q.required) out.push_back({q.key, "is required"});
      continue;
    }
    if (auto problem = problem_with(q, it->second)) out.push_back({q.key, *problem});
  }
  return out;
}

QuestionTally tally(const Question& q, std::span<const Answers> responses) {
  QuestionTally t{q.key, q.kind, 0, {}, std::nullopt, std::nullopt};
  switch (q.kind) {
    case QuestionKind::nps: t.counts.assign(11, 0); break;
    case QuestionKind::scale: t.counts.assign(5, 0); break;
    case QuestionKind::choice: t.counts.assign(q.options, 0); break;
    case QuestionKind::text: break;
  }
  for (const auto& answers : responses) {
    auto it = answers.find(q.key);
    if (it == answers.end() || !answered(it->second) || problem_with(q, it->second)) continue;
    ++t.responses;
    if (auto score = std::get_if<std::int64_t>(&it->second)) {
      auto index = q.kind == QuestionKind::scale ? *score - 1 : *score;
      t.counts[std::size_t(index)] += 1;
    }
  }
  if (q.kind == QuestionKind::nps) {
    std::array<std::int64_t, 11> by_score{};
    std::ranges::copy(t.counts, by_score.begin());
    t.nps = nps(by_score);
  } else if (q.kind == QuestionKind::scale) {
    std::array<std::int64_t, 5> by_score{};
    std::ranges::copy(t.counts, by_score.begin());
    t.csat = csat(by_score);
  }
  return t;
}

std::string_view to_string(SurveyState s) {
  switch (s) {
    case SurveyState::draft: return "draft";
    case SurveyState::scheduled: return "scheduled";
    case SurveyState::open: return "open";
    case SurveyState::closed: return "closed";
  }
  return "draft";
}

SurveyState survey_state(bool published, bool closed_by_hand, std::int64_t opens_at, std::int64_t closes_at, std::int64_t now) {
  if (!published) return SurveyState::draft;
  if (closed_by_hand || now >= closes_at) return SurveyState::closed;
  if (now < opens_at) return SurveyState::scheduled;
  return SurveyState::open;
}

bool reminder_due(std::int64_t invited_at, std::int64_t reminder_days, std::int64_t closes_at, std::int64_t now) {
  return reminder_days > 0 && now < closes_at && now >= invited_at + reminder_days * kDayMs;
}

}  // namespace tandem::feedback
