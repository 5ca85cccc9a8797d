// Teams of provider staff: members, skills and languages (used by routing, REL-4).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/scope.h"

namespace tandem::storage {

struct Team {
  std::string id;
  std::string organization_id;
  std::string name;
  std::string description;
  std::vector<std::string> skills;
  std::vector<std::string> languages;
  std::vector<std::string> member_ids;
  std::optional<std::string> lead_id;  // DESK-8: receives the team's recovery tasks; a member
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

std::string canonical(const Team& team);

namespace teams {
Result<void> insert(Connection& c, const Team& team);
Result<std::optional<Team>> find(Connection& c, std::string_view id);
Result<Page<Team>> list(Connection& c, const PageRequest& page);
Result<void> update(Connection& c, const Team& team);
Result<void> remove(Connection& c, std::string_view id);
}  // namespace teams

}  // namespace tandem::storage
