// Identity and tenancy as plain values (PRODUCT.md "Roles", REL-6, ONB-12): roles, flags, the
// people and organisations they belong to, and the pure rules for validating them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tandem::identity {

enum class Role {
  admin, agent, specialist, relationship_manager,      // provider staff
  customer, user, representative, partner_user,        // consumer side
};
enum class Side { provider, consumer };

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);
Side side_of(Role role);
const std::vector<Role>& all_roles();

// REL-6: flags that change priority/SLA and are shown to agents — the four of a vulnerable
// user, and vip (DESK-3: a user the provider agreed to serve faster; no vulnerability).
enum class UserFlag { accessibility_needs, priority_repair, third_party_bill_contact, accessible_formats, vip };
// Whether the flag marks a vulnerable user (REL-6): every flag but vip.
inline bool marks_vulnerability(UserFlag flag) { return flag != UserFlag::vip; }
std::string_view to_string(UserFlag flag);
std::optional<UserFlag> parse_flag(std::string_view text);

enum class OrganizationKind { provider, consumer };
std::string_view to_string(OrganizationKind kind);

// ONB-11: the languages Tandem speaks.
bool is_supported_language(std::string_view tag);

// E-mail addresses are compared after Unicode normalisation (NFKC) and case folding, so
// "Ａlice@Example.com" and "alice@example.com" are one identity. Returns the comparable form,
// or an error when the text is not an address.
Result<std::string> normalize_email(std::string_view address);
// Phone numbers compare on their digits with an optional leading '+'.
Result<std::string> normalize_phone(std::string_view number);

// Minimum password rules: 10 to 1024 bytes of valid UTF-8, not one repeated character.
std::optional<std::string> password_problem(std::string_view password);

// The shape of a user as the use cases see it; storage fills ids and times.
struct UserDraft {
  std::string email;
  std::string name;
  std::vector<Role> roles;
  std::string organization_id;
  std::string language = "en";
  std::string time_zone = "UTC";
  std::vector<UserFlag> flags;
  std::vector<std::string> represented_user_ids;
};

// Staff roles and consumer roles never mix on one person, and the side decides the
// organisation kind it must belong to.
std::optional<std::string> roles_problem(const std::vector<Role>& roles);
bool is_staff(const std::vector<Role>& roles);
bool has_role(const std::vector<Role>& roles, Role role);

}  // namespace tandem::identity
