#include "storage/settings.h"

namespace tandem::storage {

namespace settings {

Result<Setting> get(Connection& c, std::string_view name) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT name, value, version, updated_at FROM settings WHERE name = ?", {std::string(name)}));
  if (rows.empty()) return Setting{std::string(name), "", 0, 0};
  return Setting{rows[0].text(0), rows[0].text(1), rows[0].integer(2), rows[0].integer(3)};
}

Result<void> put(Connection& c, const Setting& s, std::int64_t stored_version) {
  if (stored_version == 0) {
    ASSIGN_OR_RETURN(auto n, c.execute("INSERT INTO settings (name, value, version, updated_at) VALUES (?, ?, ?, ?) "
                                       "ON CONFLICT (name) DO NOTHING",
                                       {s.name, s.value, s.version, s.updated_at}));
    if (n == 0) return fail(Code::failed_precondition, "The setting was changed by someone else; reload it.");
    return {};
  }
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE settings SET value = ?, version = ?, updated_at = ? WHERE name = ? AND version = ?",
                                     {s.value, s.version, s.updated_at, s.name, stored_version}));
  if (n == 0) return fail(Code::failed_precondition, "The setting was changed by someone else; reload it.");
  return {};
}

}  // namespace settings

}  // namespace tandem::storage
