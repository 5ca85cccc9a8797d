// OFF-1: an organisation's retention policy — what is kept of a person who leaves, and for how
// long — set by the provider's administrators and relationship managers or by the organisation's
// customer (whose people they are). Applied by the offboarding's archive and erase steps:
//   archive_contact  keep the person's name, e-mail addresses and phone numbers aside, readable
//                    on the offboarding record by those who may manage it, for `archive_days`,
//                    then deleted by the background beat (default: keep nothing);
//   uploads          what becomes of the files they attached to tickets when they are erased:
//                    `keep` (default: they stay with the tickets, under the anonymised author) or
//                    `erase` (deleted with the person; the timelines keep the entries without them).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/database.h"
#include "storage/offboardings.h"
#include "storage/person_archives.h"
#include "storage/users.h"
#include "usecase/context.h"

namespace tandem::usecase {

enum class UploadsRule { keep, erase };

struct RetentionPolicy {
  bool archive_contact = false;
  int archive_days = 365;  // 1 to 3650
  UploadsRule uploads = UploadsRule::keep;
  std::int64_t version = 1;  // 1: never set
};
std::string_view to_string(UploadsRule rule);
std::optional<UploadsRule> parse_uploads_rule(std::string_view text);

Result<RetentionPolicy> get_retention_policy(const Services& s, const identity::Actor& actor, const std::string& organization_id);
// failed_precondition when `expected_version` is not the stored one.
Result<RetentionPolicy> set_retention_policy(const Services& s, const identity::Actor& actor, const std::string& organization_id,
                                             const RetentionPolicy& in, std::int64_t expected_version);

// In the archive step's transaction: what the policy keeps of `user`; the step's note.
Result<std::string> archive_by_policy(storage::Connection& c, const storage::Offboarding& o, const storage::User& user,
                                      std::int64_t now);
// In the erase step's transaction, before the person's texts are erased: the attachments they
// uploaded removed when the policy says so; the contents whose files may now be unused, for
// remove_unused_files (usecase/attachments.h) after the commit.
// Each as (organisation, sha256).
Result<std::vector<std::pair<std::string, std::string>>> erase_uploads_by_policy(storage::Connection& c, const storage::User& user);

// The archive kept for an offboarding, while it is kept (for its record).
Result<std::optional<storage::PersonArchive>> archive_of(storage::Connection& c, std::string_view offboarding_id);

// The background beat: archives past their time are deleted; how many.
Result<std::int64_t> expire_person_archives(const Services& s);

}  // namespace tandem::usecase
