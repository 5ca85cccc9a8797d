#include "storage/sqlite/fts_rank.h"

#include <vector>

#include "domain/search/relevance.h"

namespace tandem::storage {
namespace {

// The store's average document length, asked once per query.
struct Average {
  double terms = 0;
};

void rank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* out, int, sqlite3_value**) {
  auto* average = static_cast<Average*>(api->xGetAuxdata(fts, 0));
  if (!average) {
    average = new Average;
    sqlite3_int64 rows = 0, total = 0;
    if (api->xRowCount(fts, &rows) == SQLITE_OK && api->xColumnTotalSize(fts, 0, &total) == SQLITE_OK && rows > 0)
      average->terms = double(total) / double(rows);
    if (api->xSetAuxdata(fts, average, [](void* p) { delete static_cast<Average*>(p); }) != SQLITE_OK) {
      sqlite3_result_error_nomem(out);
      return;
    }
  }
  std::vector<int> occurrences(std::size_t(api->xPhraseCount(fts)), 0);
  int instances = 0, length = 0;
  if (api->xInstCount(fts, &instances) != SQLITE_OK || api->xColumnSize(fts, 0, &length) != SQLITE_OK) {
    sqlite3_result_error(out, "tandem_rank: the row cannot be read", -1);
    return;
  }
  for (int i = 0; i < instances; ++i) {
    int phrase = 0, column = 0, offset = 0;
    if (api->xInst(fts, i, &phrase, &column, &offset) == SQLITE_OK && column == 0 && phrase >= 0 &&
        std::size_t(phrase) < occurrences.size())
      ++occurrences[std::size_t(phrase)];
  }
  sqlite3_result_double(out, search::relevance(occurrences, length, average->terms));
}

}  // namespace

Result<void> add_rank_function(sqlite3* db) {
  fts5_api* fts = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&fts), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  if (!fts || fts->iVersion < 2) return fail(Code::unavailable, "This SQLite has no FTS5: Tandem's search needs it.");
  if (fts->xCreateFunction(fts, "tandem_rank", nullptr, rank, nullptr) != SQLITE_OK)
    return fail(Code::unavailable, "The search's rank function cannot be added to SQLite.");
  return {};
}

}  // namespace tandem::storage
