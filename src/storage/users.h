// Users, their identities (several e-mails/phones/handles per user, unique across users) and
// whom a representative acts for (DESK-6).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/identity/access.h"
#include "storage/scope.h"

namespace tandem::storage {

struct Identity {
  std::string kind;  // email, phone, handle
  std::string value;
  std::string normalized;
  std::string label;  // ONB-13: SCIM's type (work, mobile, home…); empty when none was given
};

struct User {
  std::string id;
  std::string organization_id;
  std::string email;
  std::string name;
  std::vector<identity::Role> roles;
  std::string language = "en";
  std::string time_zone = "UTC";
  std::vector<identity::UserFlag> flags;
  std::vector<std::string> represented_user_ids;
  std::vector<Identity> identities;  // including the primary e-mail
  bool active = true;
  std::optional<std::string> external_id;  // ONB-13: the identity provider's id for the person
  std::optional<std::int64_t> left_at;     // ms; deleted by the identity provider or offboarded
  std::optional<std::int64_t> erased_at;   // OFF-1: ms; nothing personal is kept since
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// What login needs and nothing else reads.
struct Credentials {
  std::string user_id;
  std::optional<std::string> password_hash;
  bool active = false;
  std::int64_t failed_logins = 0;
  std::int64_t locked_until = 0;
};

std::string canonical(const User& user);

struct UserFilter {
  std::string organization_id;
  std::optional<identity::Role> role;
  std::optional<bool> active;
};

namespace users {
Result<void> insert(Connection& c, const User& user, const std::optional<std::string>& password_hash);
Result<std::optional<User>> find(Connection& c, const Scope& scope, std::string_view id);
Result<Page<User>> list(Connection& c, const Scope& scope, const UserFilter& filter, const PageRequest& page);
// Writes every field, the identities and the representations; failed_precondition on a stale version.
Result<void> update(Connection& c, const User& user);
// Whose identity of `kind` compares equal to `normalized`, across all organisations.
Result<std::optional<std::string>> owner_of_identity(Connection& c, std::string_view kind, std::string_view normalized);
Result<std::optional<Credentials>> credentials_by_email(Connection& c, std::string_view normalized_email);
Result<std::optional<Credentials>> credentials_by_id(Connection& c, std::string_view user_id, Lock lock = Lock::none);
Result<void> record_failed_login(Connection& c, std::string_view user_id, std::int64_t failed, std::int64_t locked_until);
Result<void> record_successful_login(Connection& c, std::string_view user_id);
Result<void> set_password(Connection& c, std::string_view user_id, std::string_view hash, std::int64_t now);
Result<bool> any_admin(Connection& c);
// The actor and CSRF token of a live session of an active user, in one query.
struct SessionActor {
  identity::Actor actor;
  std::string csrf_token;
  std::int64_t expires_at = 0;
};
Result<std::optional<SessionActor>> session_actor(Connection& c, std::string_view token_hash, std::int64_t now);
// The fields that make an authenticated Actor, for an active user; nullopt otherwise.
Result<std::optional<identity::Actor>> active_actor(Connection& c, std::string_view user_id);
Result<std::int64_t> count_in_organization(Connection& c, std::string_view organization_id);
// ONB-13: the organisation's people who have not left, oldest first, from position `offset`
// (SCIM pages by position); and how many there are.
Result<std::vector<User>> present_in_organization(Connection& c, std::string_view organization_id, std::int64_t offset,
                                                  int limit);
Result<std::int64_t> count_present(Connection& c, std::string_view organization_id);
// The person of the organisation the identity provider knows by `external_id`.
Result<std::optional<std::string>> with_external_id(Connection& c, std::string_view organization_id,
                                                    std::string_view external_id);
// DESK-6: whether the representative acts for the user.
Result<bool> represents(Connection& c, std::string_view representative_id, std::string_view user_id);
}  // namespace users

}  // namespace tandem::storage
