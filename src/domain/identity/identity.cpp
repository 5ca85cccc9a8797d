#include "domain/identity/identity.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>

namespace tandem::identity {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 8> kRoles{{
    {Role::admin, "admin"}, {Role::agent, "agent"}, {Role::specialist, "specialist"},
    {Role::relationship_manager, "relationship_manager"}, {Role::customer, "customer"},
    {Role::user, "user"}, {Role::representative, "representative"}, {Role::partner_user, "partner_user"},
}};

constexpr std::array<std::pair<UserFlag, std::string_view>, 5> kFlags{{
    {UserFlag::accessibility_needs, "accessibility_needs"},
    {UserFlag::priority_repair, "priority_repair"},
    {UserFlag::third_party_bill_contact, "third_party_bill_contact"},
    {UserFlag::accessible_formats, "accessible_formats"},
    {UserFlag::vip, "vip"},
}};

bool valid_utf8(std::string_view text) {
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    auto n = utf8proc_iterate(p, left, &cp);
    if (n < 0) return false;
    p += n;
    left -= n;
  }
  return true;
}

}  // namespace

std::string_view to_string(Role role) {
  for (auto [r, name] : kRoles)
    if (r == role) return name;
  return "";
}

std::optional<Role> parse_role(std::string_view text) {
  for (auto [r, name] : kRoles)
    if (name == text) return r;
  return std::nullopt;
}

Side side_of(Role role) {
  switch (role) {
    case Role::admin: case Role::agent: case Role::specialist: case Role::relationship_manager:
      return Side::provider;
    default:
      return Side::consumer;
  }
}

const std::vector<Role>& all_roles() {
  static const std::vector<Role> roles = [] {
    std::vector<Role> v;
    for (auto [r, _] : kRoles) v.push_back(r);
    return v;
  }();
  return roles;
}

std::string_view to_string(UserFlag flag) {
  for (auto [f, name] : kFlags)
    if (f == flag) return name;
  return "";
}

std::optional<UserFlag> parse_flag(std::string_view text) {
  for (auto [f, name] : kFlags)
    if (name == text) return f;
  return std::nullopt;
}

std::string_view to_string(OrganizationKind kind) {
  return kind == OrganizationKind::provider ? "provider" : "consumer";
}

bool is_supported_language(std::string_view tag) { return tag == "en" || tag == "zh-CN"; }

Result<std::string> normalize_email(std::string_view address) {
  // utf8proc reads a C string: an embedded NUL would silently cut the address short.
  if (address.empty() || address.size() > 320 || address.find('\0') != std::string_view::npos || !valid_utf8(address))
    return fail(Code::invalid_argument, "not an e-mail address");
  std::string text(address);
  utf8proc_uint8_t* folded = utf8proc_NFKC_Casefold(reinterpret_cast<const utf8proc_uint8_t*>(text.c_str()));
  if (!folded) return fail(Code::invalid_argument, "not an e-mail address");
  std::string out(reinterpret_cast<char*>(folded));
  std::free(folded);
  auto at = out.rfind('@');
  bool has_space = std::any_of(out.begin(), out.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; });
  if (at == std::string::npos || at == 0 || at + 1 >= out.size() || has_space ||
      out.find('@') != at || out.find('.', at) == std::string::npos || out.back() == '.')
    return fail(Code::invalid_argument, "not an e-mail address");
  return out;
}

Result<std::string> normalize_phone(std::string_view number) {
  std::string out;
  for (std::size_t i = 0; i < number.size(); ++i) {
    char c = number[i];
    if (c >= '0' && c <= '9') out.push_back(c);
    else if (c == '+' && out.empty()) out.push_back(c);
    else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.')
      return fail(Code::invalid_argument, "not a phone number");
  }
  auto digits = out.starts_with('+') ? out.size() - 1 : out.size();
  if (digits < 3 || digits > 20) return fail(Code::invalid_argument, "not a phone number");
  return out;
}

std::optional<std::string> password_problem(std::string_view password) {
  if (password.size() < 10) return "must be at least 10 characters";
  if (password.size() > 1024) return "must be at most 1024 bytes";
  if (!valid_utf8(password)) return "must be valid UTF-8";
  // One character repeated, compared by code point so that "密密密…" counts too.
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(password.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(password.size());
  utf8proc_int32_t first = -1, cp = 0;
  bool one_character = true;
  while (left > 0) {
    auto n = utf8proc_iterate(p, left, &cp);
    if (first < 0) first = cp;
    one_character = one_character && cp == first;
    p += n;
    left -= n;
  }
  if (one_character) return "must not repeat a single character";
  return std::nullopt;
}

std::optional<std::string> roles_problem(const std::vector<Role>& roles) {
  if (roles.empty()) return "at least one role is required";
  bool provider = false, consumer = false;
  for (auto r : roles) (side_of(r) == Side::provider ? provider : consumer) = true;
  if (provider && consumer) return "provider and consumer roles cannot be combined";
  return std::nullopt;
}

bool is_staff(const std::vector<Role>& roles) {
  return std::any_of(roles.begin(), roles.end(), [](Role r) { return side_of(r) == Side::provider; });
}

bool has_role(const std::vector<Role>& roles, Role role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

}  // namespace tandem::identity
