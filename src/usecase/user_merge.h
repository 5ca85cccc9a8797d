// REL-1: one person, two accounts (a second e-mail address, a number they wrote from). An
// agent merges the duplicate into the surviving user: its tickets, watches and identities move,
// the duplicate is closed, and the merge is in the audit log (`user.merged`) to report on.
#pragma once

#include <string>

#include "storage/users.h"
#include "usecase/context.h"

namespace tandem::usecase {

struct MergeOutcome {
  storage::User user;  // the survivor, with the identities it took over
  std::int64_t tickets = 0, identities = 0;
};

// Both must be customer-side users of one organisation; the duplicate must still be open.
// The duplicate's own timeline entries keep their author: history says who wrote what.
Result<MergeOutcome> merge_users(const Services& s, const identity::Actor& actor, std::string_view survivor_id,
                                 std::string_view duplicate_id);

}  // namespace tandem::usecase
