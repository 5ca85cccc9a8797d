#include "domain/onboarding/training.h"

#include <fmt/format.h>

#include <cmath>

#include "domain/onboarding/names.h"

namespace tandem::onboarding {
namespace {

constexpr names::Table<ContentKind, 2> kContentKinds = {{{ContentKind::video, "video"}, {ContentKind::document, "document"}}};

bool web_address(std::string_view url) {
  auto rest = url.starts_with("https://") ? url.substr(8) : url.starts_with("http://") ? url.substr(7) : std::string_view();
  return !rest.empty() && rest.front() != '/' && url.size() <= 2000 && url.find_first_of(" \t\r\n\"<>") == std::string_view::npos;
}

}  // namespace

std::optional<ContentKind> parse_content_kind(std::string_view text) { return names::parse(kContentKinds, text); }
std::string_view to_string(ContentKind k) { return names::of(kContentKinds, k); }

Result<void> check_training(const Training& t) {
  Error e(Code::invalid_argument, "The training is invalid.");
  auto problem = [&](std::string field, std::string text) { e.details.push_back({std::move(field), std::move(text)}); };
  if (t.title.empty()) problem("title", "is required");
  if (t.content.empty() && t.questions.empty()) problem("content", "a training has something to watch or read, or a quiz");
  for (std::size_t i = 0; i < t.content.size(); ++i)
    if (!web_address(t.content[i].url)) problem(fmt::format("content[{}].url", i), "must be an http or https address");
  if (t.questions.size() > kMaxQuestions) problem("questions", fmt::format("must be at most {}", kMaxQuestions));
  for (std::size_t i = 0; i < t.questions.size(); ++i) {
    const auto& q = t.questions[i];
    if (q.text.empty()) problem(fmt::format("questions[{}].text", i), "is required");
    if (q.choices.size() < 2 || q.choices.size() > kMaxChoices)
      problem(fmt::format("questions[{}].choices", i), fmt::format("must be 2 to {} choices", kMaxChoices));
    for (std::size_t j = 0; j < q.choices.size(); ++j)
      if (q.choices[j].empty()) problem(fmt::format("questions[{}].choices[{}]", i, j), "is required");
    if (q.answer < 0 || std::size_t(q.answer) >= q.choices.size())
      problem(fmt::format("questions[{}].answer", i), "must be the index of one of its choices, from 0");
  }
  if (!std::isfinite(t.pass_mark) || t.pass_mark < 0 || t.pass_mark > 1) problem("pass_mark", "must be from 0 to 1: the share of right answers");
  if (e.details.empty()) return {};
  return fail(std::move(e));
}

Result<Score> score_attempt(const Training& t, std::span<const int> answers) {
  if (answers.size() != t.questions.size()) {
    Error e(Code::invalid_argument, "Some fields are invalid.");
    e.details.push_back({"answers", fmt::format("must hold one answer for each of the {} questions, in order", t.questions.size())});
    return fail(std::move(e));
  }
  Score s{0, int(t.questions.size()), false};
  Error e(Code::invalid_argument, "Some fields are invalid.");
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (answers[i] < 0 || std::size_t(answers[i]) >= t.questions[i].choices.size())
      e.details.push_back({fmt::format("answers[{}]", i), "must be the index of one of the question's choices, from 0"});
    else if (answers[i] == t.questions[i].answer)
      ++s.correct;
  }
  if (!e.details.empty()) return fail(std::move(e));
  // A whole-number comparison: 2 of 3 against a pass mark of 2/3 passes whatever the rounding.
  s.passed = s.questions == 0 || double(s.correct) >= t.pass_mark * s.questions - 1e-9;
  return s;
}

}  // namespace tandem::onboarding
