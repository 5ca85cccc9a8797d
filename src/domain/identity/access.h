// Who may do what (PRODUCT.md "Roles"; tenancy). Pure decisions over an Actor; reads are
// additionally filtered by storage's Scope, built from the same Actor.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/identity/identity.h"

namespace tandem::identity {

// The authenticated caller of a request or command.
struct Actor {
  std::string user_id;
  std::string organization_id;
  std::vector<Role> roles;
  std::vector<std::string> represented_user_ids;  // DESK-6, for representatives
  std::string language = "en";                    // ONB-11: messages follow it
  bool staff() const { return is_staff(roles); }
};

// How far a caller's reads reach.
enum class Reach {
  everything,     // provider staff: every organisation
  organization,   // customer: their organisation
  represented,    // representative: themselves and the users they represent
  self,           // user, partner_user: themselves
};
Reach reach_of(const Actor& actor);

class Permissions {
 public:
  // Parses the table in permissions.txt; every unknown role or malformed line is an error.
  static Result<Permissions> parse(std::string_view table);
  // The table compiled into the binary.
  static const Permissions& builtin();

  bool allows(const Actor& actor, std::string_view action) const;
  std::vector<std::string> actions() const;

 private:
  std::map<std::string, std::set<Role>, std::less<>> allowed_;
};

// Whether `actor` may create or change a user in `organization_id` with `roles`. Customers act
// only inside their organisation and only on consumer roles; staff roles are for admins.
Result<void> check_user_write(const Actor& actor, std::string_view organization_id, const std::vector<Role>& roles);
// Fields a person may change on their own record without a managing role.
bool is_self_editable(std::string_view field);

// Whether `actor` may see the organisation.
bool may_see_organization(const Actor& actor, std::string_view organization_id);

}  // namespace tandem::identity
