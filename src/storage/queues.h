// Queues (issue "Service desk core" §6): saved ticket filters that agents work from. A queue is
// personal to its owner or shared with all staff.
#pragma once

#include <optional>
#include <string>

#include "storage/scope.h"

namespace tandem::storage {

struct Queue {
  std::string id;
  std::string name;
  std::optional<std::string> owner_id;  // nullopt: shared with all staff
  std::string filter = "{}";           // JSON object of ticket-list query parameters
  std::string created_by;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

std::string canonical(const Queue& queue);

namespace queues {
Result<void> insert(Connection& c, const Queue& queue);
// A queue `user_id` may use: shared, or their own.
Result<std::optional<Queue>> find(Connection& c, std::string_view user_id, std::string_view id);
Result<Page<Queue>> list(Connection& c, std::string_view user_id, const PageRequest& page);
Result<void> remove(Connection& c, std::string_view id);
}  // namespace queues

}  // namespace tandem::storage
