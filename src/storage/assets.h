// OFF-1: what the provider lent a person (a laptop, a phone, a car key, a badge…), tracked per
// person until it is returned or written off. Staff see every organisation's; a customer their
// organisation's; anyone else the assets they hold.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/scope.h"

namespace tandem::storage {

struct Asset {
  std::string id;
  std::string organization_id;
  std::string name;
  std::string kind;  // laptop, phone, car_key, badge, other…
  std::optional<std::string> assigned_to;
  std::string state = "assigned";  // assigned, returned, written_off
  std::string note;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

std::string canonical(const Asset& a);

struct AssetFilter {
  std::optional<std::string> organization_id;
  std::optional<std::string> assigned_to;
  std::optional<std::string> state;
};

namespace assets {
Result<void> insert(Connection& c, const Asset& a);
Result<std::optional<Asset>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock = Lock::none);
// In id order.
Result<Page<Asset>> list(Connection& c, const Scope& scope, const AssetFilter& filter, const PageRequest& page);
// failed_precondition when the stored version is not `a.version - 1`.
Result<void> update(Connection& c, const Asset& a);
// What the person still holds (state assigned), in id order.
Result<std::vector<Asset>> held_by(Connection& c, std::string_view user_id);
}  // namespace assets

}  // namespace tandem::storage
