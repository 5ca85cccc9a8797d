#include "storage/person_archives.h"

namespace tandem::storage::person_archives {

Result<void> insert(Connection& c, const PersonArchive& a) {
  TRY(c.execute("INSERT INTO person_archives (offboarding_id, organization_id, user_id, contact, kept_until, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                {a.offboarding_id, a.organization_id, a.user_id, a.contact, a.kept_until, a.created_at}));
  return {};
}

Result<std::optional<PersonArchive>> find(Connection& c, std::string_view offboarding_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT offboarding_id, organization_id, user_id, contact, kept_until, created_at "
                                      "FROM person_archives WHERE offboarding_id = ?",
                                      {std::string(offboarding_id)}));
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  return PersonArchive{r.text(0), r.text(1), r.text(2), r.text(3), r.integer(4), r.integer(5)};
}

Result<bool> any_expired(Connection& c, std::int64_t now) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT 1 FROM person_archives WHERE kept_until <= ? LIMIT 1", {now}));
  return !rows.empty();
}

Result<std::int64_t> remove_expired(Connection& c, std::int64_t now) {
  return c.execute("DELETE FROM person_archives WHERE kept_until <= ?", {now});
}

}  // namespace tandem::storage::person_archives
