#include "domain/catalog/fulfilment.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "domain/catalog/form.h"

namespace tandem::catalog {
namespace {

constexpr std::array<std::pair<TaskState, std::string_view>, 5> kStates = {
    {{TaskState::waiting, "waiting"},
     {TaskState::open, "open"},
     {TaskState::in_progress, "in_progress"},
     {TaskState::done, "done"},
     {TaskState::cancelled, "cancelled"}}};

}  // namespace

Result<void> check_procedure(std::span<const TaskTemplate> tasks) {
  Error e(Code::invalid_argument, "The fulfilment procedure is invalid.");
  auto problem = [&](std::size_t i, std::string_view part, std::string text) {
    e.details.push_back({fmt::format("tasks[{}].{}", i, part), std::move(text)});
  };
  if (tasks.size() > kMaxTasks)
    e.details.push_back({"tasks", fmt::format("must be at most {} tasks", kMaxTasks)});
  std::map<std::string_view, std::size_t> at;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const auto& t = tasks[i];
    if (!valid_key(t.key))
      problem(i, "key", "must be 1–64 characters of a-z, 0-9 and _");
    else if (!at.emplace(t.key, i).second)
      problem(i, "key", "\"" + t.key + "\" is the key of an earlier task");
    if (t.name.empty()) problem(i, "name", "is required");
    if (t.team_id.empty()) problem(i, "team_id", "is required: the team that does the task");
    if (t.due_hours < 0 || t.due_hours > kMaxDueHours)
      problem(i, "due_hours", fmt::format("must be 0 (none) to {}", kMaxDueHours));
  }
  bool known = true;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    std::set<std::string_view> seen;
    for (const auto& key : tasks[i].after) {
      if (key == tasks[i].key)
        problem(i, "after", "a task cannot wait for itself");
      else if (!at.contains(key))
        problem(i, "after", "\"" + key + "\" is no task of this procedure"), known = false;
      else if (!seen.insert(key).second)
        problem(i, "after", "\"" + key + "\" is named twice");
    }
  }
  // A cycle would leave its tasks waiting for ever: depth-first search, colouring each task.
  if (known && e.details.empty()) {
    enum class Mark { unseen, on_path, cleared };
    std::vector<Mark> mark(tasks.size(), Mark::unseen);
    std::optional<std::size_t> cycle_at;
    auto visit = [&](auto&& self, std::size_t i) -> void {
      mark[i] = Mark::on_path;
      for (const auto& key : tasks[i].after) {
        auto j = at.at(key);
        if (mark[j] == Mark::on_path && !cycle_at) cycle_at = j;
        if (mark[j] == Mark::unseen) self(self, j);
      }
      mark[i] = Mark::cleared;
    };
    for (std::size_t i = 0; i < tasks.size() && !cycle_at; ++i)
      if (mark[i] == Mark::unseen) visit(visit, i);
    if (cycle_at)
      problem(*cycle_at, "after",
              "the tasks wait for each other in a circle, so none would ever open");
  }
  if (!e.details.empty()) return std::unexpected(std::move(e));
  return {};
}

std::optional<TaskState> parse_task_state(std::string_view text) {
  for (auto [state, name] : kStates)
    if (name == text) return state;
  return std::nullopt;
}

std::string_view to_string(TaskState s) {
  for (auto [state, name] : kStates)
    if (state == s) return name;
  return "waiting";
}

bool finished(TaskState s) { return s == TaskState::done || s == TaskState::cancelled; }

bool may_move(TaskState from, TaskState to) {
  using enum TaskState;
  if (from == to || to == waiting) return false;
  switch (from) {
    case waiting:
      return to == cancelled;
    case open:
      return to == in_progress || to == done || to == cancelled;
    case in_progress:
      return to == open || to == done || to == cancelled;
    case done:
    case cancelled:
      return to == open;
  }
  return false;
}

std::vector<std::size_t> ready_tasks(std::span<const TaskTemplate> tasks,
                                     std::span<const TaskState> states) {
  std::map<std::string_view, TaskState> by_key;
  for (std::size_t i = 0; i < tasks.size() && i < states.size(); ++i)
    by_key.emplace(tasks[i].key, states[i]);
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < tasks.size() && i < states.size(); ++i) {
    if (states[i] != TaskState::waiting) continue;
    bool ready =
        std::all_of(tasks[i].after.begin(), tasks[i].after.end(), [&](const std::string& key) {
          auto it = by_key.find(key);
          return it != by_key.end() && finished(it->second);
        });
    if (ready) out.push_back(i);
  }
  return out;
}

bool procedure_complete(std::span<const TaskState> states) {
  return !states.empty() && std::all_of(states.begin(), states.end(), finished) &&
         std::any_of(states.begin(), states.end(),
                     [](TaskState s) { return s == TaskState::done; });
}

std::optional<std::int64_t> retry_delay_ms(int attempts_made) {
  constexpr std::array<std::int64_t, kMaxDeliveryAttempts - 1> kMinutes = {1, 5, 30, 120, 360};
  if (attempts_made < 1 || attempts_made >= kMaxDeliveryAttempts) return std::nullopt;
  return kMinutes[std::size_t(attempts_made - 1)] * 60'000;
}

}  // namespace tandem::catalog
