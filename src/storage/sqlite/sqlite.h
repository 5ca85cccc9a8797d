// Embedded store: one writer connection fed by a queue that commits several callers' writes
// in one transaction (group commit), each inside its own savepoint so one caller's failure
// undoes only its own changes; a pool of reader connections; WAL.
#pragma once

#include <memory>

#include "storage/database.h"

namespace tandem::storage {

Result<std::unique_ptr<Database>> open_sqlite(const DatabaseOptions& options);

}  // namespace tandem::storage
