// ONB-9: trainings — content to watch or read and a quiz scored on the server. Administrators
// make them; everyone signed in takes them; only those who manage them read the right answers.
// A pass is remembered with the digest of the content it answered, so a person who returns does
// not repeat a training unless its content (items, questions, pass mark) changed since — a new
// title changes nothing. A training requirement (ONB-8) is met by such a pass.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "domain/onboarding/training.h"
#include "storage/definitions.h"
#include "storage/training_attempts.h"
#include "usecase/catalog.h"
#include "usecase/context.h"

namespace tandem::usecase {

inline constexpr std::array<std::string_view, 6> kTrainingFields = {"title", "content", "questions", "pass_mark", "order", "active"};

struct TrainingView {
  storage::StoredDefinition stored;
  onboarding::Training training;
  std::string digest;  // of the content a pass answers for
};

// Whether `actor` reads a training's right answers: those who manage trainings do, the people
// who take them never.
bool sees_training_answers(const identity::Actor& actor);

// The digest of a stored training definition's content, items, questions and pass mark.
std::string training_digest(const std::string& definition);

Result<TrainingView> create_training(const Services& s, const identity::Actor& actor, const CatalogInput& in);
Result<std::vector<TrainingView>> list_trainings(const Services& s, const identity::Actor& actor);
Result<TrainingView> get_training(const Services& s, const identity::Actor& actor, std::string_view id);
Result<TrainingView> update_training(const Services& s, const identity::Actor& actor, std::string_view id, std::int64_t expected_version,
                                     const CatalogInput& patch);
// conflict while a requirement names it.
Result<void> delete_training(const Services& s, const identity::Actor& actor, std::string_view id);

struct AttemptResult {
  storage::TrainingAttempt attempt;
  double pass_mark = 1;
};
Result<AttemptResult> attempt_training(const Services& s, const identity::Actor& actor, std::string_view id, const std::vector<int>& answers);
// The caller's own attempts, newest first, and whether a pass holds for the content as it is now.
struct TrainingRecord {
  std::vector<storage::TrainingAttempt> attempts;
  bool passed = false;
};
Result<TrainingRecord> my_attempts(const Services& s, const identity::Actor& actor, std::string_view id);

}  // namespace tandem::usecase
