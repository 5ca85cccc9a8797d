#include "domain/tickets/priority.h"

#include <algorithm>
#include <cstdlib>

#include "core/table.h"

namespace tandem::domain_data {
const std::map<std::string, std::string_view>& embedded_files();
}

namespace tandem::tickets {
namespace {

Error at_line(int number, const std::string& what) {
  return Error(Code::invalid_argument, "priority line " + std::to_string(number) + ": " + what);
}

}  // namespace

Result<PriorityRules> PriorityRules::parse(std::string_view table) {
  PriorityRules rules;
  TRY(for_each_table_line(table, [&](int number, const std::vector<std::string>& w) -> Result<void> {
    if (w[0] == "matrix" && w.size() == 4) {
      auto impact = parse_level(w[1]), urgency = parse_level(w[2]);
      auto priority = parse_priority(w[3]);
      if (!impact || !urgency || !priority) return fail(at_line(number, "unknown level or priority"));
      if (!rules.matrix_.emplace(std::pair{*impact, *urgency}, *priority).second)
        return fail(at_line(number, "pair listed twice"));
    } else if (w[0] == "raise" && w.size() == 3) {
      auto flag = identity::parse_flag(w[1]);
      char* end = nullptr;
      long steps = std::strtol(w[2].c_str(), &end, 10);
      if (!flag) return fail(at_line(number, "unknown flag " + w[1]));
      if (*end != '\0' || steps < 0 || steps > 3) return fail(at_line(number, "steps must be 0 to 3"));
      rules.raise_[*flag] = int(steps);
    } else {
      return fail(at_line(number, "cannot read this line"));
    }
    return {};
  }));
  if (rules.matrix_.size() != all_levels().size() * all_levels().size())
    return fail(Code::invalid_argument, "priority: the matrix must list every impact × urgency pair");
  return rules;
}

const PriorityRules& PriorityRules::builtin() {
  static const PriorityRules table = [] {
    auto parsed = parse(tandem::domain_data::embedded_files().at("tickets/priority.txt"));
    if (!parsed) std::abort();  // a build that ships a broken table must not start; tests catch it first
    return *parsed;
  }();
  return table;
}

PriorityDecision PriorityRules::decide(Level impact, Level urgency, const std::vector<identity::UserFlag>& flags,
                                      std::optional<Priority> set_by_rule) const {
  PriorityDecision d;
  if (set_by_rule) {
    d.priority = *set_by_rule;
  } else {
    d.priority = matrix_.at({impact, urgency});
    d.fired.push_back({"impact_urgency_matrix", "impact " + std::string(to_string(impact)) + " × urgency " +
                                                    std::string(to_string(urgency)) + " → " + std::string(to_string(d.priority))});
  }
  // The largest raise of the user's flags applies once: two flags do not stack.
  int steps = 0;
  identity::UserFlag by{};
  for (auto f : flags)
    if (auto it = raise_.find(f); it != raise_.end() && it->second > steps) steps = it->second, by = f;
  if (steps > 0) {
    auto before = d.priority;
    d.priority = Priority(std::min(int(d.priority) + steps, int(Priority::critical)));
    if (d.priority != before)
      d.fired.push_back({"flag:" + std::string(identity::to_string(by)),
                         "the user is flagged " + std::string(identity::to_string(by)) + ": " +
                             std::string(to_string(before)) + " → " + std::string(to_string(d.priority))});
  }
  return d;
}

}  // namespace tandem::tickets
