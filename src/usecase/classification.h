// DESK-2: managing the ordered classification rules (administrators; staff may read them), and
// reading the active ones for classifying a new ticket. Conditions and actions travel as JSON
// objects:
//   conditions {"types":[…], "channels":[…], "organization_ids":[…], "words":[…], "user_flags":[…]}
//   actions    {"category": "…", "team_id": "…", "priority": "low|medium|high|critical"}
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/tickets/classification.h"
#include "storage/classification_rules.h"
#include "usecase/context.h"

namespace tandem::usecase {

struct RuleView {
  storage::StoredRule stored;
  tickets::ClassificationRule rule;
};

struct RuleInput {
  std::optional<std::string> name;
  std::optional<std::int64_t> position;
  std::optional<bool> active;
  std::optional<std::string> conditions_json, actions_json;  // JSON objects as text
};

Result<RuleView> create_classification_rule(const Services& s, const identity::Actor& actor, const RuleInput& rule);
Result<std::vector<RuleView>> list_classification_rules(const Services& s, const identity::Actor& actor);
Result<RuleView> get_classification_rule(const Services& s, const identity::Actor& actor, std::string_view id);
Result<RuleView> update_classification_rule(const Services& s, const identity::Actor& actor, std::string_view id,
                                            std::int64_t expected_version, const RuleInput& patch);
Result<void> delete_classification_rule(const Services& s, const identity::Actor& actor, std::string_view id);

// The active rules in order, for create_ticket.
Result<std::vector<tickets::ClassificationRule>> active_classification_rules(storage::Connection& c);
// REL-4: the team a rule's skill routes a ticket to, for the affected user's language
// (tickets::team_with_skill over every team); none when no team has the skill.
Result<std::optional<std::string>> team_for_skill(storage::Connection& c, std::string_view skill, std::string_view language);
// Every team with its skills and languages, for routing rules (tickets::classify).
Result<std::vector<tickets::TeamSkills>> team_skills(storage::Connection& c);

}  // namespace tandem::usecase
