#include "domain/tickets/classification.h"

#include <algorithm>
#include <cctype>

#include "domain/search/terms.h"

namespace tandem::tickets {
namespace {

template <class T>
bool allows(const std::vector<T>& wanted, const T& value) {
  return wanted.empty() || std::find(wanted.begin(), wanted.end(), value) != wanted.end();
}

bool matches(const RuleConditions& when, const TicketFacts& t, const std::string& text) {
  if (!allows(when.types, t.type) || !allows(when.channels, t.channel) || !allows(when.organization_ids, t.organization_id))
    return false;
  if (!when.words.empty() &&
      std::none_of(when.words.begin(), when.words.end(), [&](const std::string& w) {
        auto folded = search::normalized_text(w);
        return !folded.empty() && text.find(folded) != std::string::npos;
      }))
    return false;
  if (!allows(when.time_zones, t.time_zone) || !allows(when.service_ids, t.service_id.value_or(""))) return false;
  // "zh" is any Chinese; "zh-CN" only that; tags are compared without case (zh-cn is zh-CN).
  if (!when.languages.empty()) {
    auto lower = [](std::string text) {
      for (auto& ch : text) ch = char(std::tolower(static_cast<unsigned char>(ch)));
      return text;
    };
    auto language = lower(t.language);
    if (std::none_of(when.languages.begin(), when.languages.end(), [&](const std::string& wanted) {
          auto l = lower(wanted);
          return language == l || (language.size() > l.size() && language.starts_with(l) && language[l.size()] == '-');
        }))
      return false;
  }
  if (!when.user_flags.empty() &&
      std::none_of(when.user_flags.begin(), when.user_flags.end(), [&](identity::UserFlag f) {
        return std::find(t.user_flags.begin(), t.user_flags.end(), f) != t.user_flags.end();
      }))
    return false;
  return true;
}

}  // namespace

Classification classify(const std::vector<ClassificationRule>& rules, const TicketFacts& ticket) {
  Classification out;
  auto text = search::normalized_text(ticket.subject + "\n" + ticket.description);
  for (const auto& rule : rules) {
    if (!matches(rule.when, ticket, text)) continue;
    std::string effect;
    auto note = [&](const std::string& what) { effect += (effect.empty() ? "" : ", ") + what; };
    if (rule.then.category && !out.set.category) out.set.category = rule.then.category, note("category " + *rule.then.category);
    if (rule.then.team_id && !out.set.team_id) out.set.team_id = rule.then.team_id, note("team " + *rule.then.team_id);
    if (rule.then.priority && !out.set.priority)
      out.set.priority = rule.then.priority, note("priority " + std::string(to_string(*rule.then.priority)));
    out.fired.push_back({"rule:" + rule.name, effect.empty() ? "matched; an earlier rule had set everything it sets" : "set " + effect});
  }
  return out;
}

}  // namespace tandem::tickets
