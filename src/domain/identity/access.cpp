#include "domain/identity/access.h"

#include <cstdlib>

#include "core/table.h"

namespace tandem::identity {

std::string_view builtin_permissions_table();

Reach reach_of(const Actor& actor) {
  if (actor.staff()) return Reach::everything;
  if (has_role(actor.roles, Role::customer)) return Reach::organization;
  if (has_role(actor.roles, Role::representative)) return Reach::represented;
  return Reach::self;
}

Result<Permissions> Permissions::parse(std::string_view table) {
  Permissions p;
  TRY(for_each_table_line(table, [&](int number, const std::vector<std::string>& words) -> Result<void> {
    if (words.size() < 2) return fail(Code::invalid_argument, "permissions line " + std::to_string(number) + ": no roles");
    auto& roles = p.allowed_[words[0]];
    for (std::size_t i = 1; i < words.size(); ++i) {
      auto r = parse_role(words[i]);
      if (!r) return fail(Code::invalid_argument, "permissions line " + std::to_string(number) + ": unknown role " + words[i]);
      roles.insert(*r);
    }
    return {};
  }));
  return p;
}

const Permissions& Permissions::builtin() {
  static const Permissions table = [] {
    auto parsed = parse(builtin_permissions_table());
    if (!parsed) std::abort();  // a build that ships a broken table must not start; tests catch it first
    return *parsed;
  }();
  return table;
}

bool Permissions::allows(const Actor& actor, std::string_view action) const {
  auto it = allowed_.find(action);
  if (it == allowed_.end()) return false;
  for (auto r : actor.roles)
    if (it->second.contains(r)) return true;
  return false;
}

std::vector<std::string> Permissions::actions() const {
  std::vector<std::string> out;
  for (const auto& [a, _] : allowed_) out.push_back(a);
  return out;
}

Result<void> check_user_write(const Actor& actor, std::string_view organization_id, const std::vector<Role>& roles) {
  if (has_role(actor.roles, Role::admin)) return {};
  bool staff_target = is_staff(roles);
  if (has_role(actor.roles, Role::relationship_manager)) {
    if (staff_target) return fail(Code::permission_denied, "Only an administrator may manage staff accounts.");
    return {};
  }
  if (has_role(actor.roles, Role::customer)) {
    if (organization_id != actor.organization_id)
      return fail(Code::not_found, "No such organisation.");
    if (staff_target) return fail(Code::permission_denied, "Customers may give consumer roles only.");
    return {};
  }
  return fail(Code::permission_denied, "You may not manage user accounts.");
}

bool is_self_editable(std::string_view field) {
  return field == "name" || field == "language" || field == "time_zone" || field == "phones" || field == "handles";
}

bool may_see_organization(const Actor& actor, std::string_view organization_id) {
  return actor.staff() || actor.organization_id == organization_id;
}

}  // namespace tandem::identity
