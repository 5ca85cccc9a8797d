// FDB-2: feedback items and the improvements they are linked to ("you said, we did"). Items are
// an organisation's data: reads take a Scope.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/scope.h"

namespace tandem::storage {

struct FeedbackItem {
  std::string id;
  std::string organization_id;
  std::optional<std::string> submitter_id;  // the person who said it (none: taken down from a source, or erased)
  std::string source = "portal";            // portal, survey, comment, complaint, community
  std::optional<std::string> source_id;     // the survey, ticket or topic it came from
  std::string text;
  std::string status = "new";  // new, linked, declined
  std::optional<std::string> improvement_id;
  std::string public_note;  // what the provider says back, shown with it
  std::string created_by;
  std::int64_t version = 1;
  std::int64_t created_at = 0, updated_at = 0;
};
std::string canonical(const FeedbackItem& f);

// An item with the improvement it is linked to, as its organisation reads it.
struct FeedbackWithImprovement {
  FeedbackItem item;
  std::optional<std::string> improvement_title, improvement_status;
};

struct FeedbackFilter {
  std::optional<std::string> status, improvement_id;
  // Not staff: the organisation's linked items, and the reader's own of any status.
  std::optional<std::string> own_or_linked_for;
};

namespace feedback_items {
Result<void> insert(Connection& c, const FeedbackItem& f);
Result<void> update(Connection& c, const FeedbackItem& f);
Result<std::optional<FeedbackItem>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock = Lock::none);
// Newest first.
Result<Page<FeedbackWithImprovement>> list(Connection& c, const Scope& scope, const FeedbackFilter& filter, const PageRequest& page);
// Every item linked to the improvement, whatever its organisation (the register is the provider's).
Result<std::vector<FeedbackItem>> of_improvement(Connection& c, std::string_view improvement_id);
Result<void> move_submitter(Connection& c, std::string_view from_user_id, std::string_view to_user_id);
}  // namespace feedback_items

}  // namespace tandem::storage
