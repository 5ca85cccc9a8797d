// Sessions, personal access tokens, passwords, login throttling per account (API.md
// "Authentication"). Throttling per client address is the HTTP layer's rate limit.
#pragma once

#include <optional>
#include <string>

#include "storage/sessions.h"
#include "storage/users.h"
#include "usecase/context.h"

namespace tandem::usecase {

struct LoginResult {
  std::string session_token;  // for the cookie; only its hash is stored
  std::string csrf_token;
  storage::User user;
};
// A new session id at every login. Wrong password, unknown user and inactive user give the same
// answer; after `login_attempts` failures the account is locked for `lockout`.
Result<LoginResult> login(const Services& s, const std::string& email, const std::string& password);
Result<void> logout(const Services& s, const std::string& session_token);

Result<std::optional<Authenticated>> authenticate_session(const Services& s, const std::string& session_token);
Result<std::optional<Authenticated>> authenticate_bearer(const Services& s, const std::string& token);

// Ends every other session and every token of the user.
Result<void> change_password(const Services& s, const Authenticated& who, const std::string& current,
                             const std::string& replacement);

struct NewToken {
  storage::AccessToken token;
  std::string secret;  // shown once
};
Result<NewToken> create_token(const Services& s, const identity::Actor& actor, const std::string& name,
                              std::optional<std::int64_t> expires_at);
Result<std::vector<storage::AccessToken>> list_tokens(const Services& s, const identity::Actor& actor);
Result<void> delete_token(const Services& s, const identity::Actor& actor, std::string_view id);

// Creates the first administrator when no active administrator exists. Returns whether it did.
Result<bool> ensure_first_admin(const Services& s, const std::string& email, const std::string& password);

}  // namespace tandem::usecase
