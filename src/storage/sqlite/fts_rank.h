// The rank function both SQLite search indexes order their candidates by:
// `tandem_rank(<fts5 table>)`, search::relevance over the table's first column (the terms).
#pragma once

#include <sqlite3.h>

#include "core/error.h"

namespace tandem::storage {

Result<void> add_rank_function(sqlite3* db);

}  // namespace tandem::storage
