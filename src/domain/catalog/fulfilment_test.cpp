#include "domain/catalog/fulfilment.h"

#include <gtest/gtest.h>

namespace tandem::catalog {
namespace {

TaskTemplate task(std::string key, std::vector<std::string> after = {}) {
  auto name = LocalizedText::make("name", {{"en", "Task " + key}}, 200);
  return TaskTemplate{key, name ? *name : LocalizedText(), "team_it", std::move(after), 0, ""};
}

std::vector<std::string> fields_of(const Result<void>& r) {
  std::vector<std::string> out;
  if (!r)
    for (const auto& d : r.error().details) out.push_back(d.field + ": " + d.problem);
  return out;
}

// DESK-5: order the laptop, then image it and register it, then hand it over.
std::vector<TaskTemplate> laptop() {
  return {task("order"), task("image", {"order"}), task("register", {"order"}),
          task("hand_over", {"image", "register"})};
}

TEST(Procedure, ADiamondOfDependenciesIsAccepted) { EXPECT_TRUE(check_procedure(laptop())); }

TEST(Procedure, EveryMalformedTaskIsNamedByItsPlace) {
  std::vector tasks{task("order"), task("image"), task("register"), task("hand_over")};
  tasks[1].key = "Image!";
  tasks[2].key = "order";
  tasks[3].name = LocalizedText();
  tasks[3].team_id.clear();
  tasks[0].due_hours = -1;
  auto problems = fields_of(check_procedure(tasks));
  ASSERT_EQ(problems.size(), 5u) << ::testing::PrintToString(problems);
  EXPECT_EQ(problems[0], "tasks[0].due_hours: must be 0 (none) to 8760");
  EXPECT_EQ(problems[1], "tasks[1].key: must be 1–64 characters of a-z, 0-9 and _");
  EXPECT_EQ(problems[2], "tasks[2].key: \"order\" is the key of an earlier task");
  EXPECT_EQ(problems[3], "tasks[3].name: is required");
  EXPECT_EQ(problems[4], "tasks[3].team_id: is required: the team that does the task");
}

TEST(Procedure, AnAfterMustNameAnotherTaskOfTheProcedureOnce) {
  auto problems = fields_of(
      check_procedure(std::vector{task("a", {"a"}), task("b", {"ghost"}), task("c", {"a", "a"})}));
  ASSERT_EQ(problems.size(), 3u) << ::testing::PrintToString(problems);
  EXPECT_EQ(problems[0], "tasks[0].after: a task cannot wait for itself");
  EXPECT_EQ(problems[1], "tasks[1].after: \"ghost\" is no task of this procedure");
  EXPECT_EQ(problems[2], "tasks[2].after: \"a\" is named twice");
}

TEST(Procedure, ACycleIsRefusedAtATaskOnIt) {
  // a → b → c → a, with d hanging off the cycle.
  auto problems = fields_of(check_procedure(
      std::vector{task("d", {"a"}), task("a", {"c"}), task("b", {"a"}), task("c", {"b"})}));
  ASSERT_EQ(problems.size(), 1u) << ::testing::PrintToString(problems);
  EXPECT_TRUE(
      problems[0].starts_with("tasks[1].after: the tasks wait for each other in a circle") ||
      problems[0].starts_with("tasks[2].after") || problems[0].starts_with("tasks[3].after"))
      << problems[0];
  EXPECT_FALSE(problems[0].starts_with("tasks[0]")) << "d is not on the cycle";
}

TEST(Procedure, AtMostThirtyTasks) {
  std::vector<TaskTemplate> tasks;
  for (std::size_t i = 0; i <= kMaxTasks; ++i) tasks.push_back(task("t" + std::to_string(i)));
  auto problems = fields_of(check_procedure(tasks));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "tasks: must be at most 30 tasks");
  tasks.pop_back();
  EXPECT_TRUE(check_procedure(tasks));
}

TEST(Procedure, TasksOpenOnceEveryTaskTheyWaitForIsFinished) {
  using enum TaskState;
  auto tasks = laptop();
  EXPECT_EQ(ready_tasks(tasks, std::vector{waiting, waiting, waiting, waiting}),
            (std::vector<std::size_t>{0}));
  EXPECT_EQ(ready_tasks(tasks, std::vector{open, waiting, waiting, waiting}),
            (std::vector<std::size_t>{}));
  EXPECT_EQ(ready_tasks(tasks, std::vector{done, waiting, waiting, waiting}),
            (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(ready_tasks(tasks, std::vector{done, done, in_progress, waiting}),
            (std::vector<std::size_t>{}));
  // Registration judged not needed: the hand-over waits no longer for it.
  EXPECT_EQ(ready_tasks(tasks, std::vector{done, done, cancelled, waiting}),
            (std::vector<std::size_t>{3}));
}

TEST(Procedure, CompleteWhenEveryTaskIsFinishedAndOneIsDone) {
  using enum TaskState;
  EXPECT_FALSE(procedure_complete(std::vector<TaskState>{}));
  EXPECT_FALSE(procedure_complete(std::vector{done, open}));
  EXPECT_FALSE(procedure_complete(std::vector{cancelled, cancelled}));
  EXPECT_TRUE(procedure_complete(std::vector{done, cancelled}));
  EXPECT_TRUE(procedure_complete(std::vector{done}));
}

TEST(TaskState, PeopleMoveTasksAlongTheirLifeButNeverOpenAWaitingOne) {
  using enum TaskState;
  EXPECT_TRUE(may_move(open, in_progress));
  EXPECT_TRUE(may_move(in_progress, open));
  EXPECT_TRUE(may_move(open, done));
  EXPECT_TRUE(may_move(in_progress, done));
  EXPECT_TRUE(may_move(done, open));
  EXPECT_TRUE(may_move(cancelled, open));
  EXPECT_TRUE(may_move(waiting, cancelled));
  EXPECT_FALSE(may_move(waiting, open));
  EXPECT_FALSE(may_move(waiting, done));
  EXPECT_FALSE(may_move(open, waiting));
  EXPECT_FALSE(may_move(done, done));
  EXPECT_FALSE(may_move(done, cancelled));
  for (auto s : {waiting, open, in_progress, done, cancelled})
    EXPECT_EQ(parse_task_state(to_string(s)), s);
  EXPECT_EQ(parse_task_state("closed"), std::nullopt);
}

TEST(WebhookRetry, WaitsGrowThenTheDeliveryIsGivenUpAfterTheSixthAttempt) {
  EXPECT_EQ(retry_delay_ms(0), std::nullopt);
  EXPECT_EQ(retry_delay_ms(1), 60'000);
  EXPECT_EQ(retry_delay_ms(2), 5 * 60'000);
  EXPECT_EQ(retry_delay_ms(3), 30 * 60'000);
  EXPECT_EQ(retry_delay_ms(4), 2 * 3'600'000);
  EXPECT_EQ(retry_delay_ms(5), 6 * 3'600'000);
  EXPECT_EQ(retry_delay_ms(6), std::nullopt);
}

}  // namespace
}  // namespace tandem::catalog
