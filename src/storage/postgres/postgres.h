// Scale store: PostgreSQL through libpq with a fixed pool of connections. Connections that
// break are re-established on their next use.
#pragma once

#include <memory>

#include "storage/database.h"

namespace tandem::storage {

Result<std::unique_ptr<Database>> open_postgres(const DatabaseOptions& options);

}  // namespace tandem::storage
