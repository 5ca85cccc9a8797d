// Workflows per query type as data (DESK-1): states, the transitions between them, who may
// perform each and which fields each needs. The built-in table is workflows.txt; decisions are
// pure functions over it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "domain/identity/identity.h"
#include "domain/tickets/ticket.h"

namespace tandem::tickets {

// Where a state sits in the life of a ticket; SLA clocks pause in `waiting` (DESK-3).
enum class StateCategory { open, waiting, resolved, closed };
std::string_view to_string(StateCategory c);

// Who performs a transition: a staff role, or the consumer side of the ticket.
enum class Performer { admin, agent, specialist, relationship_manager, requester };
std::string_view to_string(Performer p);

struct Transition {
  std::string from, to;
  std::set<Performer> performers;
  std::vector<std::string> needs;  // fields the transition request must carry
  bool reopens = false;            // DESK-8: a reopen is a moment of truth
};

struct Workflow {
  Type type = Type::incident;
  std::string initial;
  std::vector<std::pair<std::string, StateCategory>> states;  // in the table's order
  std::vector<Transition> transitions;
  std::chrono::days reopen_window{0};

  std::optional<StateCategory> category_of(std::string_view state) const;
  const Transition* find(std::string_view from, std::string_view to) const;
  std::vector<std::string> state_names() const;
};

class Workflows {
 public:
  // Parses a table like workflows.txt. Every type needs a workflow; every state used must be
  // declared; performers and fields must be known. Errors name the line.
  static Result<Workflows> parse(std::string_view table);
  static const Workflows& builtin();
  const Workflow& of(Type type) const { return by_type_.at(type); }
  const std::map<Type, Workflow>& all() const { return by_type_; }

 private:
  std::map<Type, Workflow> by_type_;
};

// Fields a transition may need, and which may accompany any transition.
inline constexpr std::string_view kTransitionFields[] = {"resolution", "recovery_action", "credited_to"};

// The mover's relation to the ticket.
struct Mover {
  std::vector<identity::Role> roles;
  bool requester_side = false;  // a consumer who may see the ticket
};

struct TransitionRequest {
  std::string to;
  std::set<std::string> provided;                 // non-empty fields the request carries
  std::int64_t now_ms = 0;
  std::optional<std::int64_t> resolved_at_ms;     // when the ticket was last resolved
};

// The transition `request` asks for from `from`, or why not: an unknown state is
// invalid_argument (field "to"); a move the workflow lacks, or a reopen after the window, is
// conflict "transition_not_allowed"; a mover not listed is permission_denied; missing fields are
// invalid_argument with one detail each.
Result<const Transition*> decide_transition(const Workflow& workflow, std::string_view from, const Mover& mover,
                                            const TransitionRequest& request);

}  // namespace tandem::tickets
