// Small provider settings kept by name as JSON, with optimistic versions (e.g. the reason codes
// overrides may give, DESK-9).
#pragma once

#include <string>
#include <string_view>

#include "storage/database.h"

namespace tandem::storage {

struct Setting {
  std::string name;
  std::string value;  // JSON
  std::int64_t version = 0;  // 0: never saved
  std::int64_t updated_at = 0;
};

namespace settings {
Result<Setting> get(Connection& c, std::string_view name);  // version 0 when never saved
// failed_precondition when the stored version is not `stored_version` (0: none stored yet).
Result<void> put(Connection& c, const Setting& s, std::int64_t stored_version);
}  // namespace settings

}  // namespace tandem::storage
