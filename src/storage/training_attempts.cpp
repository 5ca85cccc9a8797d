#include "storage/training_attempts.h"

#include <fmt/format.h>

namespace tandem::storage {

std::string canonical(const TrainingAttempt& a) {
  return fmt::format("training_attempt\nid={}\ntraining={}\nuser={}\ndigest={}\nanswers={}\ncorrect={}/{}\npassed={}\n", a.id,
                     a.training_id, a.user_id, a.content_digest, a.answers, a.correct, a.questions, a.passed);
}

namespace training_attempts {

Result<void> insert(Connection& c, const TrainingAttempt& a) {
  TRY(c.execute("INSERT INTO training_attempts (id, training_id, user_id, organization_id, content_digest, answers, correct, questions, "
                "passed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {a.id, a.training_id, a.user_id, a.organization_id, a.content_digest, a.answers, a.correct, a.questions,
                 std::int64_t(a.passed), a.created_at}));
  return {};
}

Result<std::set<std::string>> passes_of(Connection& c, std::string_view user_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT DISTINCT training_id, content_digest FROM training_attempts WHERE user_id = ? AND passed = 1",
                                      {std::string(user_id)}));
  std::set<std::string> out;
  for (const auto& r : rows) out.insert(r.text(0) + "\n" + r.text(1));
  return out;
}

Result<std::vector<TrainingAttempt>> of(Connection& c, std::string_view user_id, std::string_view training_id, int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT id, training_id, user_id, organization_id, content_digest, answers, correct, questions, "
                                      "passed, created_at FROM training_attempts WHERE user_id = ? AND training_id = ? "
                                      "ORDER BY id DESC LIMIT ?",
                                      {std::string(user_id), std::string(training_id), std::int64_t(limit)}));
  std::vector<TrainingAttempt> out;
  for (const auto& r : rows)
    out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.integer(6), r.integer(7), r.integer(8) != 0,
                   r.integer(9)});
  return out;
}

}  // namespace training_attempts
}  // namespace tandem::storage
