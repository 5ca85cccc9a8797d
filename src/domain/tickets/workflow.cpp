#include "domain/tickets/workflow.h"

#include <algorithm>
#include <cstdlib>

#include "core/table.h"

namespace tandem::domain_data {
const std::map<std::string, std::string_view>& embedded_files();
}

namespace tandem::tickets {
namespace {

std::optional<StateCategory> parse_category(std::string_view s) {
  for (auto c : {StateCategory::open, StateCategory::waiting, StateCategory::resolved, StateCategory::closed})
    if (to_string(c) == s) return c;
  return std::nullopt;
}

std::optional<std::set<Performer>> parse_performer(std::string_view s) {
  if (s == "staff") return std::set{Performer::admin, Performer::agent, Performer::specialist, Performer::relationship_manager};
  if (s == "admin") return std::set{Performer::admin};
  if (s == "agent") return std::set{Performer::agent};
  if (s == "specialist") return std::set{Performer::specialist};
  if (s == "relationship_manager") return std::set{Performer::relationship_manager};
  if (s == "requester") return std::set{Performer::requester};
  return std::nullopt;
}

bool may_perform(const std::set<Performer>& performers, const Mover& mover) {
  using identity::Role;
  for (auto role : mover.roles) {
    if (role == Role::admin && performers.contains(Performer::admin)) return true;
    if (role == Role::agent && performers.contains(Performer::agent)) return true;
    if (role == Role::specialist && performers.contains(Performer::specialist)) return true;
    if (role == Role::relationship_manager && performers.contains(Performer::relationship_manager)) return true;
  }
  return mover.requester_side && performers.contains(Performer::requester);
}

Error at_line(int number, const std::string& what) {
  return Error(Code::invalid_argument, "workflows line " + std::to_string(number) + ": " + what);
}

}  // namespace

std::string_view to_string(StateCategory c) {
  switch (c) {
    case StateCategory::open: return "open";
    case StateCategory::waiting: return "waiting";
    case StateCategory::resolved: return "resolved";
    case StateCategory::closed: return "closed";
  }
  return "open";
}

std::string_view to_string(Performer p) {
  switch (p) {
    case Performer::admin: return "admin";
    case Performer::agent: return "agent";
    case Performer::specialist: return "specialist";
    case Performer::relationship_manager: return "relationship_manager";
    case Performer::requester: return "requester";
  }
  return "requester";
}

std::optional<StateCategory> Workflow::category_of(std::string_view state) const {
  for (const auto& [name, category] : states)
    if (name == state) return category;
  return std::nullopt;
}

const Transition* Workflow::find(std::string_view from, std::string_view to) const {
  for (const auto& t : transitions)
    if (t.from == from && t.to == to) return &t;
  return nullptr;
}

std::vector<std::string> Workflow::state_names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : states) out.push_back(name);
  return out;
}

Result<Workflows> Workflows::parse(std::string_view table) {
  Workflows w;
  std::map<Type, int> first_line;
  TRY(for_each_table_line(table, [&](int number, const std::vector<std::string>& word) -> Result<void> {
    auto type = parse_type(word[0]);
    if (!type) return fail(at_line(number, "unknown type " + word[0]));
    if (word.size() < 2) return fail(at_line(number, "incomplete line"));
    auto& flow = w.by_type_[*type];
    flow.type = *type;
    first_line.try_emplace(*type, number);
    const auto& verb = word[1];
    if (verb == "states") {
      for (std::size_t i = 2; i < word.size(); ++i) {
        auto colon = word[i].find(':');
        auto category = colon == std::string::npos ? std::nullopt : parse_category(word[i].substr(colon + 1));
        if (!category) return fail(at_line(number, "state needs name:category, got " + word[i]));
        auto name = word[i].substr(0, colon);
        if (flow.category_of(name)) return fail(at_line(number, "state declared twice: " + name));
        flow.states.emplace_back(name, *category);
      }
    } else if (verb == "starts" && word.size() == 3) {
      flow.initial = word[2];
    } else if (verb == "reopen-days" && word.size() == 3) {
      char* end = nullptr;
      long days = std::strtol(word[2].c_str(), &end, 10);
      if (*end != '\0' || days < 0 || days > 3650) return fail(at_line(number, "reopen-days needs 0 to 3650"));
      flow.reopen_window = std::chrono::days(days);
    } else if (word.size() >= 5 && word[2] == "->" && word[4] == "by") {
      Transition t{verb, word[3], {}, {}, false};
      std::size_t i = 5;
      for (; i < word.size() && word[i] != "needs" && word[i] != "reopens"; ++i) {
        auto p = parse_performer(word[i]);
        if (!p) return fail(at_line(number, "unknown performer " + word[i]));
        t.performers.insert(p->begin(), p->end());
      }
      if (t.performers.empty()) return fail(at_line(number, "a transition needs at least one performer"));
      if (i < word.size() && word[i] == "needs") {
        for (++i; i < word.size() && word[i] != "reopens"; ++i) {
          if (std::find(std::begin(kTransitionFields), std::end(kTransitionFields), word[i]) == std::end(kTransitionFields))
            return fail(at_line(number, "unknown field " + word[i]));
          t.needs.push_back(word[i]);
        }
      }
      if (i < word.size() && word[i] == "reopens") t.reopens = true, ++i;
      if (i != word.size()) return fail(at_line(number, "unexpected " + word[i]));
      for (const auto& s : {t.from, t.to})
        if (!flow.category_of(s)) return fail(at_line(number, "undeclared state " + s));
      if (flow.find(t.from, t.to)) return fail(at_line(number, "transition listed twice"));
      flow.transitions.push_back(std::move(t));
    } else {
      return fail(at_line(number, "cannot read this line"));
    }
    return {};
  }));
  for (auto type : all_types()) {
    auto it = w.by_type_.find(type);
    if (it == w.by_type_.end()) return fail(Code::invalid_argument, "workflows: no workflow for " + std::string(to_string(type)));
    if (!it->second.category_of(it->second.initial))
      return fail(at_line(first_line[type], "the initial state of " + std::string(to_string(type)) + " is not declared"));
  }
  return w;
}

const Workflows& Workflows::builtin() {
  static const Workflows table = [] {
    auto parsed = parse(tandem::domain_data::embedded_files().at("tickets/workflows.txt"));
    if (!parsed) std::abort();  // a build that ships a broken table must not start; tests catch it first
    return *parsed;
  }();
  return table;
}

Result<const Transition*> decide_transition(const Workflow& workflow, std::string_view from, const Mover& mover,
                                            const TransitionRequest& request) {
  if (!workflow.category_of(request.to)) {
    Error e(Code::invalid_argument, "Some fields are invalid.");
    std::string allowed;
    for (const auto& s : workflow.state_names()) allowed += (allowed.empty() ? "" : ", ") + s;
    e.details.push_back({"to", "not a state of this workflow; states: " + allowed});
    return fail(std::move(e));
  }
  const Transition* t = workflow.find(from, request.to);
  if (!t)
    return fail(Code::conflict,
                "A " + std::string(to_string(workflow.type)) + " cannot move from " + std::string(from) + " to " + request.to + ".",
                "transition_not_allowed");
  if (!may_perform(t->performers, mover)) return fail(Code::permission_denied, "You may not make this change.");
  if (t->reopens) {
    auto window_ms = std::chrono::duration_cast<std::chrono::milliseconds>(workflow.reopen_window).count();
    if (request.resolved_at_ms && request.now_ms - *request.resolved_at_ms > window_ms)
      return fail(Code::conflict,
                  "This was resolved more than " + std::to_string(workflow.reopen_window.count()) +
                      " days ago and can no longer be reopened; raise a new one.",
                  "transition_not_allowed");
  }
  Error missing(Code::invalid_argument, "Some fields are invalid.");
  for (const auto& field : t->needs)
    if (!request.provided.contains(field)) missing.details.push_back({field, "is required to move to " + request.to});
  if (!missing.details.empty()) return fail(std::move(missing));
  return t;
}

}  // namespace tandem::tickets
