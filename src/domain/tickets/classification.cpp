#include "domain/tickets/classification.h"

#include <algorithm>
#include <cctype>

#include "domain/search/terms.h"

namespace tandem::tickets {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& ch : out) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

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
  if (!when.languages.empty() && std::none_of(when.languages.begin(), when.languages.end(),
                                              [&](const std::string& wanted) { return language_matches(t.language, wanted); }))
    return false;
  if (!when.user_flags.empty() &&
      std::none_of(when.user_flags.begin(), when.user_flags.end(), [&](identity::UserFlag f) {
        return std::find(t.user_flags.begin(), t.user_flags.end(), f) != t.user_flags.end();
      }))
    return false;
  return true;
}

}  // namespace

Classification classify(const std::vector<ClassificationRule>& rules, const TicketFacts& ticket, const std::vector<TeamSkills>* teams) {
  auto team_exists = [&](const std::string& id) {
    return !teams || std::any_of(teams->begin(), teams->end(), [&](const TeamSkills& team) { return team.id == id; });
  };
  auto skill_staffed = [&](const std::string& skill) { return !teams || team_with_skill(*teams, skill, "").has_value(); };
  Classification out;
  auto text = search::normalized_text(ticket.subject + "\n" + ticket.description);
  for (const auto& rule : rules) {
    if (!matches(rule.when, ticket, text)) continue;
    std::string effect;
    auto note = [&](const std::string& what) { effect += (effect.empty() ? "" : ", ") + what; };
    if (rule.then.category && !out.set.category) out.set.category = rule.then.category, note("category " + *rule.then.category);
    bool routed = out.set.team_id || out.set.skill;
    std::string unrouted;
    if (rule.then.team_id && !routed) {
      if (team_exists(*rule.then.team_id)) out.set.team_id = rule.then.team_id, note("team " + *rule.then.team_id);
      else unrouted = "its team " + *rule.then.team_id + " no longer exists";
    } else if (rule.then.skill && !routed) {
      if (skill_staffed(*rule.then.skill)) out.set.skill = rule.then.skill, note("skill " + *rule.then.skill);
      else unrouted = "no team has its skill " + *rule.then.skill;
    }
    if (rule.then.priority && !out.set.priority)
      out.set.priority = rule.then.priority, note("priority " + std::string(to_string(*rule.then.priority)));
    std::string said = effect.empty() ? "" : "set " + effect;
    if (!unrouted.empty()) said += (said.empty() ? "" : "; ") + unrouted + ", so a later rule may route the ticket";
    out.fired.push_back({"rule:" + rule.name, said.empty() ? "matched; an earlier rule had set everything it sets" : said});
  }
  return out;
}

bool language_matches(std::string_view person, std::string_view named) {
  auto language = lower(person), l = lower(named);
  return !l.empty() && (language == l || (language.size() > l.size() && language.starts_with(l) && language[l.size()] == '-'));
}

std::optional<std::string> team_with_skill(const std::vector<TeamSkills>& teams, std::string_view skill, std::string_view language) {
  auto wanted = lower(skill);
  std::optional<std::string> first;
  for (const auto& team : teams) {
    if (std::none_of(team.skills.begin(), team.skills.end(), [&](const std::string& s) { return lower(s) == wanted; })) continue;
    if (!language.empty() &&
        std::any_of(team.languages.begin(), team.languages.end(), [&](const std::string& l) { return language_matches(language, l); }))
      return team.id;
    if (!first) first = team.id;
  }
  return first;
}

}  // namespace tandem::tickets
