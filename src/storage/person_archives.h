// OFF-1: the contact details of a person who left, kept aside by their organisation's retention
// policy until a date, then deleted (migration 0039). Out of reach of the erasure that follows the
// archive step: that is what keeping them means.
#pragma once

#include <optional>
#include <string>

#include "storage/database.h"

namespace tandem::storage {

struct PersonArchive {
  std::string offboarding_id;
  std::string organization_id;
  std::string user_id;
  std::string contact;  // JSON: {"name", "emails": […], "phones": […]}
  std::int64_t kept_until = 0;
  std::int64_t created_at = 0;
};

namespace person_archives {
Result<void> insert(Connection& c, const PersonArchive& a);
Result<std::optional<PersonArchive>> find(Connection& c, std::string_view offboarding_id);
Result<bool> any_expired(Connection& c, std::int64_t now);
// Deletes the archives whose time has passed; how many.
Result<std::int64_t> remove_expired(Connection& c, std::int64_t now);
}  // namespace person_archives

}  // namespace tandem::storage
