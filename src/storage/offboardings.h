// OFF-1, OFF-2, OFF-4: offboarding records (a person's or an organisation's leaving, its steps
// and what was found and done, as JSON the use case writes), and the keyed pseudonyms of people
// who left, which keep nothing but that they were members and what training they passed.
// Staff read every record; a customer their organisation's; nobody else any.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/scope.h"

namespace tandem::storage {

struct Offboarding {
  std::string id;
  std::string kind;        // user, organization
  std::string subject_id;  // the person or the organisation leaving
  std::string organization_id;
  std::string reason;
  std::int64_t effective_at = 0;  // access ends then
  std::string status = "open";    // open, completed, cancelled
  std::string steps = "[]";       // JSON
  std::string facts = "{}";       // JSON: open work, assets, settlement… as found and done
  std::string created_by;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> completed_at;
  std::int64_t version = 1;
};

std::string canonical(const Offboarding& o);

struct OffboardingFilter {
  std::optional<std::string> organization_id, subject_id, status;
};

namespace offboardings {
Result<void> insert(Connection& c, const Offboarding& o);
Result<std::optional<Offboarding>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock = Lock::none);
// Newest first.
Result<Page<Offboarding>> list(Connection& c, const Scope& scope, const OffboardingFilter& filter, const PageRequest& page);
// The open offboarding of a person or an organisation, if any.
Result<std::optional<std::string>> open_of(Connection& c, std::string_view subject_id);
// failed_precondition when the stored version is not `o.version - 1`.
Result<void> update(Connection& c, const Offboarding& o);
// Open offboardings whose access should have ended by `now` but whose step revoke_access is not
// done, oldest first.
Result<std::vector<std::string>> due(Connection& c, std::int64_t now, int limit);
}  // namespace offboardings

struct FormerMember {
  std::string pseudonym;  // HMAC of the normalised e-mail
  std::int64_t left_at = 0;
  std::string trainings = "[]";  // JSON: [{"training_id","content_digest","passed_at"}]
};

namespace former_members {
// Keeps (or replaces) what is remembered of a person who left.
Result<void> remember(Connection& c, const FormerMember& m);
Result<std::optional<FormerMember>> find(Connection& c, std::string_view pseudonym);
Result<void> forget(Connection& c, std::string_view pseudonym);
}  // namespace former_members

}  // namespace tandem::storage
