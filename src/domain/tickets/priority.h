// DESK-2 and REL-6: priority from the impact × urgency matrix, raised by flags of the affected
// user. The built-in table is priority.txt. Every step that decided the priority is returned,
// so the timeline can explain it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "domain/identity/identity.h"
#include "domain/tickets/ticket.h"

namespace tandem::tickets {

struct FiredRule {
  std::string name;    // stable, e.g. "impact_urgency_matrix", "flag:priority_repair"
  std::string effect;  // a sentence for people, e.g. "impact high × urgency low → medium"
};

struct PriorityDecision {
  Priority priority = Priority::medium;
  std::vector<FiredRule> fired;
};

class PriorityRules {
 public:
  // Every impact × urgency pair exactly once; flags known; steps 0 to 3. Errors name the line.
  static Result<PriorityRules> parse(std::string_view table);
  static const PriorityRules& builtin();

  // `set_by_rule`: a classification rule fixed the priority; the matrix is then not consulted,
  // but the user's flags still raise it.
  PriorityDecision decide(Level impact, Level urgency, const std::vector<identity::UserFlag>& flags,
                          std::optional<Priority> set_by_rule = std::nullopt) const;

 private:
  std::map<std::pair<Level, Level>, Priority> matrix_;
  std::map<identity::UserFlag, int> raise_;
};

}  // namespace tandem::tickets
