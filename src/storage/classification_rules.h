// DESK-2: the stored classification rules, in order. Provider configuration: no consumer reads it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace tandem::storage {

struct StoredRule {
  std::string id;
  std::int64_t position = 0;
  std::string name;
  std::string conditions = "{}";  // JSON
  std::string actions = "{}";     // JSON
  bool active = true;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

std::string canonical(const StoredRule& rule);

namespace classification_rules {
Result<void> insert(Connection& c, const StoredRule& rule);
Result<std::optional<StoredRule>> find(Connection& c, std::string_view id);
// Every rule in order (there are tens, not thousands); `active_only` for classifying.
Result<std::vector<StoredRule>> all(Connection& c, bool active_only);
// failed_precondition when the stored version is not `rule.version - 1`.
Result<void> update(Connection& c, const StoredRule& rule);
Result<void> remove(Connection& c, std::string_view id);
}  // namespace classification_rules

}  // namespace tandem::storage
