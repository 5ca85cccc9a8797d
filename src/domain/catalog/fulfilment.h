// DESK-5: how a request is fulfilled once approved — the request type's procedure of task
// templates, each done by a team, some only after others (dependencies), some by an outside
// system through a signed webhook; and the life of each task a request gets from them. Pure:
// the use case keeps the tasks and calls out to the webhooks.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/catalog/localized_text.h"

namespace tandem::catalog {

struct TaskTemplate {
  std::string key;  // a-z, 0-9, _: what other tasks' `after` name
  LocalizedText name;
  std::string team_id;             // the team that does it (and, when automated, watches it)
  std::vector<std::string> after;  // keys of the tasks done before it opens
  std::int64_t due_hours = 0;      // hours after it opens; 0 for no due time
  std::string endpoint_id;  // automated through this webhook endpoint; empty when done by hand
};

inline constexpr std::size_t kMaxTasks = 30;
inline constexpr std::int64_t kMaxDueHours = 24 * 365;

// Checks a procedure as a whole; each problem is named "tasks[i].<part>": a key malformed or
// used twice, a name missing, an `after` that names no task of the procedure or the task
// itself, a dependency cycle (named at the first task on it), a due time out of range.
Result<void> check_procedure(std::span<const TaskTemplate> tasks);

// waiting: its dependencies are not all done, or the request is not yet in fulfilment;
// open: ready for its team; in_progress: someone (or the automation) works it; done; cancelled:
// the request ended without it.
enum class TaskState { waiting, open, in_progress, done, cancelled };
std::optional<TaskState> parse_task_state(std::string_view text);
std::string_view to_string(TaskState s);
bool finished(TaskState s);  // done or cancelled

// Whether people move a task from one state to another: open ⇄ in_progress → done, any
// unfinished one to cancelled, a done or cancelled one back to open (work found lacking).
// Opening a waiting task is the procedure's, never a person's.
bool may_move(TaskState from, TaskState to);

// The tasks to open now: those waiting whose every `after` is finished (a task staff cancelled as
// not needed holds nothing up). `states` are by position
// in `tasks`; the answer too.
std::vector<std::size_t> ready_tasks(std::span<const TaskTemplate> tasks,
                                     std::span<const TaskState> states);

// Whether the request's fulfilment is complete: at least one task, every one done or cancelled
// and at least one done.
bool procedure_complete(std::span<const TaskState> states);

// DESK-5: an automated task's webhook is retried with growing waits when the receiver is down or
// answers with an error: 1 minute, 5, 30, 2 hours, 6 hours; after the sixth failed attempt it is
// given up and the task is left to its team. nullopt once given up.
inline constexpr int kMaxDeliveryAttempts = 6;
std::optional<std::int64_t> retry_delay_ms(int attempts_made);

}  // namespace tandem::catalog
