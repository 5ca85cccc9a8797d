#include "domain/offboarding/offboarding.h"

#include <algorithm>
#include <cctype>

namespace tandem::offboarding {
namespace {

constexpr std::string_view kUserSteps[] = {"communicate", "open_work", "assets", "revoke_access",
                                           "archive",     "erase",     "record", "thank_you"};
constexpr std::string_view kOrganizationSteps[] = {"users", "notify", "settlement", "export", "record"};

std::vector<std::string_view> keys_of(Kind kind) {
  if (kind == Kind::user) return {std::begin(kUserSteps), std::end(kUserSteps)};
  return {std::begin(kOrganizationSteps), std::end(kOrganizationSteps)};
}

}  // namespace

std::string_view to_string(Kind k) { return k == Kind::user ? "user" : "organization"; }

std::optional<StepStatus> parse_step_status(std::string_view text) {
  if (text == "pending") return StepStatus::pending;
  if (text == "done") return StepStatus::done;
  return std::nullopt;
}

std::string_view to_string(StepStatus s) { return s == StepStatus::done ? "done" : "pending"; }

std::vector<Step> steps_for(Kind kind) {
  std::vector<Step> out;
  for (auto key : keys_of(kind)) out.push_back(Step{std::string(key), StepStatus::pending, std::nullopt, "", ""});
  return out;
}

std::vector<std::string> prerequisites(Kind kind, std::string_view key) {
  std::vector<std::string> out;
  if (key != "record" && !(kind == Kind::user && key == "erase")) return out;
  for (auto other : keys_of(kind))
    if (other != key && !(key == "erase" && other == "record")) out.emplace_back(other);
  return out;
}

const Step* find_step(const std::vector<Step>& steps, std::string_view key) {
  auto it = std::find_if(steps.begin(), steps.end(), [&](const Step& s) { return s.key == key; });
  return it == steps.end() ? nullptr : &*it;
}

Result<void> may_finish(Kind kind, const std::vector<Step>& steps, std::string_view key) {
  if (!find_step(steps, key)) return fail(Code::not_found, "This offboarding has no step '" + std::string(key) + "'.");
  std::string waiting;
  for (const auto& before : prerequisites(kind, key)) {
    const Step* s = find_step(steps, before);
    if (s && s->status != StepStatus::done) waiting += (waiting.empty() ? "" : ", ") + before;
  }
  if (!waiting.empty())
    return fail(Code::conflict, "The step '" + std::string(key) + "' waits for: " + waiting + ".", "steps_pending");
  return {};
}

bool all_done(const std::vector<Step>& steps) {
  return std::all_of(steps.begin(), steps.end(), [](const Step& s) { return s.status == StepStatus::done; });
}

namespace {

bool ascii_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
char folded(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Where `needle` next occurs in `text` from `from`, letters compared without case (ASCII), and —
// where the needle begins or ends with an ASCII letter or digit — not inside a longer word.
std::size_t find_occurrence(const std::string& text, const std::string& needle, std::size_t from) {
  auto equal = [](char a, char b) { return folded(a) == folded(b); };
  while (from + needle.size() <= text.size()) {
    auto it = std::search(text.begin() + std::ptrdiff_t(from), text.end(), needle.begin(), needle.end(), equal);
    if (it == text.end()) return std::string::npos;
    auto at = std::size_t(it - text.begin());
    auto end = at + needle.size();
    bool starts_word = !ascii_word_char(needle.front()) || at == 0 || !ascii_word_char(text[at - 1]);
    bool ends_word = !ascii_word_char(needle.back()) || end == text.size() || !ascii_word_char(text[end]);
    if (starts_word && ends_word) return at;
    from = at + 1;
  }
  return std::string::npos;
}

}  // namespace

std::string redacted(std::string text, std::vector<std::string> needles, std::string_view replacement) {
  std::erase_if(needles, [](const std::string& n) { return n.size() < 3; });
  std::sort(needles.begin(), needles.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& needle : needles) {
    for (auto at = find_occurrence(text, needle, 0); at != std::string::npos;
         at = find_occurrence(text, needle, at + replacement.size()))
      text.replace(at, needle.size(), replacement);
  }
  return text;
}

}  // namespace tandem::offboarding
