#include "usecase/auth.h"

#include "core/id.h"
#include "usecase/directory.h"

namespace tandem::usecase {
namespace {

constexpr std::string_view kTokenPrefix = "tdm_";

Error bad_credentials() {
  return Error(Code::unauthenticated, "The e-mail address or password is wrong.", "invalid_credentials");
}

// Verifying against a fixed hash when the account is unknown keeps the answer's timing the same.
const std::string& decoy_hash(PasswordCost cost) {
  static const std::string interactive = hash_password("decoy-password", PasswordCost::interactive).value_or("");
  static const std::string minimal = hash_password("decoy-password", PasswordCost::minimal).value_or("");
  return cost == PasswordCost::interactive ? interactive : minimal;
}

identity::Actor actor_for(const std::string& user_id) {
  identity::Actor a;
  a.user_id = user_id;
  return a;
}

}  // namespace

Result<LoginResult> login(const Services& s, const std::string& email, const std::string& password) {
  auto normalized = identity::normalize_email(email);
  auto now = to_millis(s.clock.now());
  std::optional<storage::Credentials> cred;
  if (normalized) {
    ASSIGN_OR_RETURN(cred, s.db.read([&](storage::Connection& c) { return storage::users::credentials_by_email(c, *normalized); }));
  }
  if (!cred || !cred->password_hash) {
    (void)verify_password(decoy_hash(s.password_cost), password);
    return fail(bad_credentials());
  }
  if (cred->locked_until > now) {
    Error e(Code::rate_limited, "Too many failed logins; the account is locked for a while.", "account_locked");
    e.retry_after_seconds = int((cred->locked_until - now + 999) / 1000);
    return fail(std::move(e));
  }
  if (!verify_password(*cred->password_hash, password) || !cred->active) {
    // Counted inside the write, from the stored count, so concurrent failures all count.
    TRY(s.db.write([&](storage::Connection& c) -> Result<void> {
      ASSIGN_OR_RETURN(auto current, storage::users::credentials_by_id(c, cred->user_id, storage::Lock::for_update));
      if (!current) return {};
      auto failed = current->failed_logins + 1;
      std::int64_t locked_until = 0;
      if (failed >= s.login_attempts) {
        locked_until = now + std::chrono::duration_cast<std::chrono::milliseconds>(s.lockout).count();
        failed = 0;
      }
      TRY(storage::users::record_failed_login(c, cred->user_id, failed, locked_until));
      if (locked_until)
        TRY(record(c, s, system_actor(), {"user.lock", "user", cred->user_id, "", std::nullopt, std::nullopt}));
      return {};
    }));
    return fail(bad_credentials());
  }
  LoginResult out;
  out.session_token = random_token(32);
  out.csrf_token = random_token(24);
  auto expires = now + std::chrono::duration_cast<std::chrono::milliseconds>(s.session_lifetime).count();
  TRY(s.db.write([&](storage::Connection& c) -> Result<void> {
    TRY(storage::users::record_successful_login(c, cred->user_id));
    TRY(storage::sessions::insert(c, sha256_hex(out.session_token), cred->user_id, out.csrf_token, now, expires));
    return record(c, s, actor_for(cred->user_id), {"session.create", "user", cred->user_id, "", std::nullopt, std::nullopt});
  }));
  ASSIGN_OR_RETURN(auto user, s.db.read([&](storage::Connection& c) { return storage::users::find(c, storage::Scope::system(), cred->user_id); }));
  if (!user) return fail(bad_credentials());
  out.user = std::move(*user);
  return out;
}

Result<void> logout(const Services& s, const std::string& session_token) {
  auto hash = sha256_hex(session_token);
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto session, storage::sessions::find(c, hash, 0));
    if (!session) return {};
    TRY(storage::sessions::remove(c, hash));
    return record(c, s, actor_for(session->user_id), {"session.delete", "user", session->user_id, "", std::nullopt, std::nullopt});
  });
}

Result<std::optional<Authenticated>> authenticate_session(const Services& s, const std::string& session_token) {
  auto hash = sha256_hex(session_token);
  auto now = to_millis(s.clock.now());
  ASSIGN_OR_RETURN(auto session, read_through(
      s.db, s.directory_cache->sessions, hash, [now](const DirectoryCache::Session& live) { return live.expires_at > now; },
      [&](storage::Connection& c) -> Result<std::optional<DirectoryCache::Session>> {
        ASSIGN_OR_RETURN(auto found, storage::users::session_actor(c, hash, now));
        if (!found) return std::nullopt;
        return DirectoryCache::Session{{std::move(found->actor), std::move(found->csrf_token), hash}, found->expires_at};
      }));
  if (!session) return std::nullopt;
  return std::move(session->who);
}

Result<std::optional<Authenticated>> authenticate_bearer(const Services& s, const std::string& token) {
  if (!token.starts_with(kTokenPrefix)) return std::nullopt;
  auto hash = sha256_hex(token);
  auto now = to_millis(s.clock.now());
  ASSIGN_OR_RETURN(auto owner, read_through(
      s.db, s.directory_cache->tokens, hash,
      [now](const DirectoryCache::Token& live) { return !live.expires_at || *live.expires_at > now; },
      [&](storage::Connection& c) -> Result<std::optional<DirectoryCache::Token>> {
        ASSIGN_OR_RETURN(auto found, storage::access_tokens::user_for(c, hash, now));
        if (!found) return std::nullopt;
        ASSIGN_OR_RETURN(auto actor, storage::users::active_actor(c, found->user_id));
        if (!actor) return std::nullopt;
        return DirectoryCache::Token{std::move(*actor), found->expires_at};
      }));
  if (!owner) return std::nullopt;
  return Authenticated{std::move(owner->actor), "", ""};
}

Result<void> change_password(const Services& s, const Authenticated& who, const std::string& current,
                             const std::string& replacement) {
  if (auto problem = identity::password_problem(replacement)) {
    Error e(Code::invalid_argument, "Some fields are invalid.");
    e.details.push_back({"new_password", *problem});
    return fail(std::move(e));
  }
  ASSIGN_OR_RETURN(auto cred, s.db.read([&](storage::Connection& c) { return storage::users::credentials_by_id(c, who.actor.user_id); }));
  if (!cred || !cred->password_hash || !verify_password(*cred->password_hash, current)) {
    Error e(Code::invalid_argument, "The current password is wrong.", "wrong_password");
    e.details.push_back({"current_password", "does not match"});
    return fail(std::move(e));
  }
  auto hash = hash_password(replacement, s.password_cost);
  if (!hash) return fail(Code::unavailable, "The server is out of memory for password hashing; try again.");
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    TRY(storage::users::set_password(c, who.actor.user_id, *hash, to_millis(s.clock.now())));
    TRY(storage::sessions::revoke_all(c, who.actor.user_id, who.session_hash));
    return record(c, s, who.actor, {"user.password_change", "user", who.actor.user_id, who.actor.organization_id, std::nullopt, std::nullopt});
  });
}

Result<NewToken> create_token(const Services& s, const identity::Actor& actor, const std::string& name,
                              std::optional<std::int64_t> expires_at) {
  TRY(authorize(actor, "token.manage"));
  auto now = s.clock.now();
  Error e(Code::invalid_argument, "Some fields are invalid.");
  if (name.empty() || name.size() > 200) e.details.push_back({"name", "must be 1 to 200 bytes"});
  if (expires_at && *expires_at <= to_millis(now)) e.details.push_back({"expires_at", "must be in the future"});
  if (!e.details.empty()) return fail(std::move(e));
  NewToken out;
  out.secret = std::string(kTokenPrefix) + random_token(32);
  out.token = storage::AccessToken{new_id("tok", now), actor.user_id, name, to_millis(now), expires_at};
  TRY(s.db.write([&](storage::Connection& c) -> Result<void> {
    TRY(storage::access_tokens::insert(c, out.token, sha256_hex(out.secret)));
    return record(c, s, actor, {"token.create", "access_token", out.token.id, actor.organization_id, std::nullopt, std::nullopt});
  }));
  return out;
}

Result<std::vector<storage::AccessToken>> list_tokens(const Services& s, const identity::Actor& actor) {
  TRY(authorize(actor, "token.manage"));
  return s.db.read([&](storage::Connection& c) { return storage::access_tokens::list(c, actor.user_id); });
}

Result<void> delete_token(const Services& s, const identity::Actor& actor, std::string_view id) {
  TRY(authorize(actor, "token.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(bool removed, storage::access_tokens::remove(c, actor.user_id, id));
    if (!removed) return fail(Code::not_found, "No such token.");
    return record(c, s, actor, {"token.delete", "access_token", std::string(id), actor.organization_id, std::nullopt, std::nullopt});
  });
}

Result<bool> ensure_first_admin(const Services& s, const std::string& email, const std::string& password) {
  ASSIGN_OR_RETURN(bool exists, s.db.read([](storage::Connection& c) { return storage::users::any_admin(c); }));
  if (exists) return false;
  TRY(ensure_provider(s, "Service provider"));
  NewUser admin;
  admin.draft.email = email;
  admin.draft.name = "Administrator";
  admin.draft.roles = {identity::Role::admin};
  admin.password = password;
  auto created = create_user(s, system_actor(), admin);
  if (!created) {
    // Another node may have created it at the same moment.
    if (created.error().code == Code::conflict) return false;
    return std::unexpected(created.error());
  }
  return true;
}

}  // namespace tandem::usecase
