// OFF-3: the records an import made or merged with, by their source (our export of an
// organisation, a Request Tracker, a CSV file) and their id there. Unscoped: imports are the
// provider's administrators'.
#pragma once

#include <optional>
#include <string>

#include "storage/database.h"

namespace tandem::storage::import_keys {

// The local id of the record `source_id` of `kind` from `source`, if it was imported before.
Result<std::optional<std::string>> find(Connection& c, std::string_view source, std::string_view kind, std::string_view source_id);
// Remembers it; a second call for the same key changes nothing.
Result<void> remember(Connection& c, std::string_view source, std::string_view kind, std::string_view source_id,
                      std::string_view local_id, std::int64_t at);
// Whether a row with this id is in `table` (one of the tables an import writes), and of which
// organisation: an id that exists elsewhere is never taken over.
Result<std::optional<std::string>> organization_of(Connection& c, std::string_view table, std::string_view id);
// Whether a timeline entry or an attachment has this id already (a primary key lookup, no more).
Result<bool> exists(Connection& c, std::string_view table, std::string_view id);

}  // namespace tandem::storage::import_keys
