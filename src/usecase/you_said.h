// FDB-2: "you said, we did". People give feedback in the portal (staff also take it down from a
// survey, a comment, a complaint or the community, for an organisation and a person); staff link
// it to an entry of the improvement register (or decline it, saying why); the organisation's
// people see every linked item with the improvement's status and what the provider says back
// (the register's titles are the provider's own), and their own items whatever their state; the
// person who gave it is told — a notification in their language — when it is linked or declined
// and each time the improvement's status changes.
#pragma once

#include <optional>
#include <string>

#include "storage/feedback_items.h"
#include "storage/overrides.h"
#include "usecase/context.h"

namespace tandem::usecase {

struct FeedbackInput {
  std::string text;
  std::optional<std::string> source, source_id;
  std::optional<std::string> organization_id, submitter_id;  // staff only
};
Result<storage::FeedbackItem> give_feedback(const Services& s, const identity::Actor& actor, const FeedbackInput& in);

struct FeedbackPatch {
  std::optional<std::optional<std::string>> improvement_id;  // null unlinks
  std::optional<std::string> status;                         // new or declined (linked comes with an improvement)
  std::optional<std::string> public_note;
};
// Declining needs a public_note (why); a patch that changes nothing is refused.
Result<storage::FeedbackWithImprovement> update_feedback(const Services& s, const identity::Actor& actor, std::string_view id,
                                                        std::int64_t expected_version, const FeedbackPatch& patch);

// Staff: every item (filters status, improvement_id); anyone else their organisation's linked
// items and their own.
Result<storage::Page<storage::FeedbackWithImprovement>> list_feedback(const Services& s, const identity::Actor& actor,
                                                                      storage::FeedbackFilter filter, const storage::PageRequest& page);

// Tells the people whose feedback is linked to `improvement` that its status is now its status
// (inside the transaction that changed it).
Result<void> tell_feedback_givers(storage::Connection& c, const Services& s, const storage::Improvement& improvement);

}  // namespace tandem::usecase
