// DESK-2, REL-4: ordered classification rules, which are also the routing rules. Each rule has
// conditions on the ticket (type, channel, organisation, service, words in its text; the affected
// user's flags, language and time zone) and sets category, team and/or priority. Every rule that matches fires, in order; a field set by an earlier rule stays set,
// so order expresses precedence. What fired is returned to be written on the timeline.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/identity/identity.h"
#include "domain/tickets/priority.h"
#include "domain/tickets/ticket.h"

namespace tandem::tickets {

struct RuleConditions {
  // Each list, when not empty, must hold the ticket's value; all non-empty lists must match.
  std::vector<Type> types;
  std::vector<Channel> channels;
  std::vector<std::string> organization_ids;
  std::vector<std::string> words;  // any of them in subject or description (case and width folded)
  std::vector<identity::UserFlag> user_flags;  // any of them on the affected user (REL-6)
  // REL-4: routing by the affected user's language ("zh" also matches "zh-CN") and time zone
  // (IANA names: where they are, and so when they can be answered), and by the ticket's service.
  std::vector<std::string> languages;
  std::vector<std::string> time_zones;
  std::vector<std::string> service_ids;
};

struct RuleActions {
  std::optional<std::string> category;
  std::optional<std::string> team_id;
  std::optional<Priority> priority;
  // REL-4: routing by skill — the ticket goes to a team that has it (team_with_skill). A team
  // and a skill set the same thing: the first rule to set either wins.
  std::optional<std::string> skill;
  bool empty() const { return !category && !team_id && !priority && !skill; }
};

struct ClassificationRule {
  std::string name;
  RuleConditions when;
  RuleActions then;
};

struct TicketFacts {
  Type type = Type::incident;
  Channel channel = Channel::portal;
  std::string organization_id;
  std::string subject;
  std::string description;
  std::vector<identity::UserFlag> user_flags;
  std::string language;   // the affected user's
  std::string time_zone;  // the affected user's
  std::optional<std::string> service_id;
};

struct Classification {
  RuleActions set;
  std::vector<FiredRule> fired;
};

// A team as routing sees it.
struct TeamSkills {
  std::string id;
  std::vector<std::string> skills, languages;
};
// `rules` in their order; inactive rules are not passed in. With `teams`, the desk's teams as
// they are now: a rule whose team is gone, or whose skill no team has, routes nowhere (it says
// so), and a later rule may route instead. Without, every team and skill counts as staffed.
Classification classify(const std::vector<ClassificationRule>& rules, const TicketFacts& ticket,
                        const std::vector<TeamSkills>* teams = nullptr);

// Whether a person's language tag is one a rule or a team names: "zh" is any Chinese, "zh-CN"
// only that; tags are compared without case.
bool language_matches(std::string_view person, std::string_view named);

// REL-4: the team a skill routes to — among the teams with the skill (compared without case),
// the first, in the order given, that speaks the affected user's language; else the first with
// the skill; none when no team has it.
std::optional<std::string> team_with_skill(const std::vector<TeamSkills>& teams, std::string_view skill, std::string_view language);

}  // namespace tandem::tickets
