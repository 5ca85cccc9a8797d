#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>

#include "core/log.h"
#include "storage/database.h"

namespace tandem::storage_data {
const std::map<std::string, std::string_view>& embedded_files();
}

namespace tandem::storage {

// One history per dialect, embedded in the binary: migrations/<dialect>/NNNN_name.sql, applied in
// name order, each in its own transaction together with its row in schema_migrations.
Result<int> migrate(Database& db) {
  std::string prefix = db.dialect() == Dialect::sqlite ? "migrations/sqlite/" : "migrations/postgres/";
  // Most starts — every `tandem mailgate` an MTA runs — find each migration applied: one read
  // says so, without a write transaction per migration. (No table yet reads as nothing applied.)
  auto known = db.read([&](Connection& c) -> Result<std::set<std::string>> {
    std::set<std::string> versions;
    // Asked first, so a new store's start logs no failed query.
    ASSIGN_OR_RETURN(auto table, c.query(c.dialect() == Dialect::sqlite
                                             ? "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
                                             : "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() "
                                               "AND table_name = 'schema_migrations'"));
    if (table.empty()) return versions;
    ASSIGN_OR_RETURN(auto rows, c.query("SELECT version FROM schema_migrations"));
    for (const auto& r : rows) versions.insert(r.text(0));
    return versions;
  });
  if (known && std::ranges::all_of(storage_data::embedded_files(), [&](const auto& file) {
        return !file.first.starts_with(prefix) || known->contains(file.first.substr(prefix.size()));
      }))
    return 0;
  TRY(db.write([&](Connection& c) -> Result<void> {
    if (c.dialect() == Dialect::postgresql) TRY(c.query("SELECT pg_advisory_xact_lock(7317001)"));
    TRY(c.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)"));
    return {};
  }));
  int applied = 0;
  for (const auto& [path, sql] : storage_data::embedded_files()) {
    if (!path.starts_with(prefix)) continue;
    std::string version = path.substr(prefix.size());
    ASSIGN_OR_RETURN(bool did, db.write([&](Connection& c) -> Result<bool> {
      // The lock serialises nodes that start together on one PostgreSQL database.
      if (c.dialect() == Dialect::postgresql) TRY(c.query("SELECT pg_advisory_xact_lock(7317001)"));
      ASSIGN_OR_RETURN(auto rows, c.query("SELECT 1 FROM schema_migrations WHERE version = ?", {version}));
      if (!rows.empty()) return false;
      TRY(c.execute_script(sql));
      TRY(c.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    {version, std::int64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count())}));
      return true;
    }));
    if (did) {
      ++applied;
      log_message(LogLevel::info, "applied migration " + version);
    }
  }
  return applied;
}

}  // namespace tandem::storage
