// ONB-9: each person's attempts at a training's quiz, scored on the server. A pass is remembered
// with the digest of the content it answered.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "storage/scope.h"

namespace tandem::storage {

struct TrainingAttempt {
  std::string id;
  std::string training_id;
  std::string user_id;
  std::string organization_id;
  std::string content_digest;
  std::string answers = "[]";  // JSON list of choice indexes
  std::int64_t correct = 0;
  std::int64_t questions = 0;
  bool passed = false;
  std::int64_t created_at = 0;
};

std::string canonical(const TrainingAttempt& a);

namespace training_attempts {
Result<void> insert(Connection& c, const TrainingAttempt& a);
// The trainings one person passed, each with the digests of the content they passed it on:
// "<training id>\n<digest>".
Result<std::set<std::string>> passes_of(Connection& c, std::string_view user_id);
// One person's attempts at a training, newest first.
Result<std::vector<TrainingAttempt>> of(Connection& c, std::string_view user_id, std::string_view training_id, int limit);
}  // namespace training_attempts

}  // namespace tandem::storage
