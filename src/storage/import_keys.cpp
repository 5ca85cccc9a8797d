#include "storage/import_keys.h"

namespace tandem::storage::import_keys {

Result<std::optional<std::string>> find(Connection& c, std::string_view source, std::string_view kind, std::string_view source_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT local_id FROM import_keys WHERE source = ? AND kind = ? AND source_id = ?",
                                      {std::string(source), std::string(kind), std::string(source_id)}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].text(0));
}

Result<void> remember(Connection& c, std::string_view source, std::string_view kind, std::string_view source_id,
                      std::string_view local_id, std::int64_t at) {
  TRY(c.execute("INSERT INTO import_keys (source, kind, source_id, local_id, created_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (source, kind, source_id) DO NOTHING",
                {std::string(source), std::string(kind), std::string(source_id), std::string(local_id), at}));
  return {};
}

Result<std::optional<std::string>> organization_of(Connection& c, std::string_view table, std::string_view id) {
  std::string sql;
  if (table == "organizations") sql = "SELECT id FROM organizations WHERE id = ?";
  else if (table == "users") sql = "SELECT organization_id FROM users WHERE id = ?";
  else if (table == "tickets") sql = "SELECT organization_id FROM tickets WHERE id = ?";
  else if (table == "ticket_events") sql = "SELECT t.organization_id FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE e.id = ?";
  else if (table == "attachments") sql = "SELECT t.organization_id FROM attachments a JOIN tickets t ON t.id = a.ticket_id WHERE a.id = ?";
  else if (table == "teams") sql = "SELECT id FROM teams WHERE id = ?";
  else if (table == "services") sql = "SELECT id FROM services WHERE id = ?";
  else return fail(Code::internal, "import: no table " + std::string(table));
  ASSIGN_OR_RETURN(auto rows, c.query(sql, {std::string(id)}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].text(0));
}

Result<bool> exists(Connection& c, std::string_view table, std::string_view id) {
  std::string sql;
  if (table == "ticket_events") sql = "SELECT 1 FROM ticket_events WHERE id = ?";
  else if (table == "attachments") sql = "SELECT 1 FROM attachments WHERE id = ?";
  else return fail(Code::internal, "import: no table " + std::string(table));
  ASSIGN_OR_RETURN(auto rows, c.query(sql, {std::string(id)}));
  return !rows.empty();
}

}  // namespace tandem::storage::import_keys
