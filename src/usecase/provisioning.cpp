#include "usecase/provisioning.h"

#include "core/id.h"
#include "storage/organizations.h"
#include "storage/sessions.h"
#include "storage/user_groups.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using storage::Scope;

constexpr std::string_view kScimTokenPrefix = "tdm_scim_";

// A present person of the provisioner's organisation, or nullopt.
Result<std::optional<storage::User>> present(storage::Connection& c, const identity::Actor& provisioner,
                                             const std::optional<std::string>& id) {
  if (!id) return std::nullopt;
  ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::for_actor(provisioner), *id));
  if (!user || user->left_at || user->organization_id != provisioner.organization_id) return std::nullopt;
  return user;
}

}  // namespace

Result<NewScimToken> create_scim_token(const Services& s, const identity::Actor& actor, const std::string& organization_id,
                                       const std::string& name) {
  TRY(authorize(actor, "scim_token.manage"));
  Problems p;
  check_text(p, "name", name);
  if (organization_id.empty()) p.add("organization_id", "is required");
  if (p.any()) return fail(p.error());
  auto now = s.clock.now();
  NewScimToken out;
  out.secret = std::string(kScimTokenPrefix) + random_token(32);
  out.token = storage::ScimToken{new_id("sct", now), organization_id, trimmed(name), actor.user_id, to_millis(now)};
  TRY(s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, Scope::for_actor(actor), organization_id));
    if (!org) return fail(Code::not_found, "No such organisation.");
    if (org->kind != identity::OrganizationKind::consumer) {
      Problems wrong;
      wrong.add("organization_id", "provisioning is for a customer organisation");
      return fail(wrong.error());
    }
    TRY(storage::scim_tokens::insert(c, out.token, sha256_hex(out.secret)));
    return record(c, s, actor, {"scim_token.create", "scim_token", out.token.id, organization_id, std::nullopt, std::nullopt});
  }));
  return out;
}

Result<std::vector<storage::ScimToken>> list_scim_tokens(const Services& s, const identity::Actor& actor,
                                                         const std::string& organization_id) {
  TRY(authorize(actor, "scim_token.manage"));
  return s.db.read([&](storage::Connection& c) -> Result<std::vector<storage::ScimToken>> {
    ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, Scope::for_actor(actor), organization_id));
    if (!org) return fail(Code::not_found, "No such organisation.");
    return storage::scim_tokens::of_organization(c, organization_id);
  });
}

Result<void> delete_scim_token(const Services& s, const identity::Actor& actor, std::string_view id) {
  TRY(authorize(actor, "scim_token.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto token, storage::scim_tokens::find(c, id));
    if (!token) return fail(Code::not_found, "No such SCIM token.");
    TRY(storage::scim_tokens::remove(c, id));
    return record(c, s, actor, {"scim_token.delete", "scim_token", token->id, token->organization_id, std::nullopt, std::nullopt});
  });
}

Result<std::optional<identity::Actor>> authenticate_scim(const Services& s, const std::string& secret) {
  if (!secret.starts_with(kScimTokenPrefix)) return std::nullopt;
  auto hash = sha256_hex(secret);
  ASSIGN_OR_RETURN(auto token, s.db.read([&](storage::Connection& c) { return storage::scim_tokens::by_hash(c, hash); }));
  if (!token) return std::nullopt;
  identity::Actor provisioner;
  provisioner.user_id = token->id;
  provisioner.organization_id = token->organization_id;
  provisioner.roles = {identity::Role::customer};
  return provisioner;
}

Result<PresentPeople> present_people(const Services& s, const identity::Actor& provisioner, std::int64_t offset, int limit) {
  TRY(authorize(provisioner, "user.read"));
  return s.db.read([&](storage::Connection& c) -> Result<PresentPeople> {
    PresentPeople out;
    ASSIGN_OR_RETURN(out.total, storage::users::count_present(c, provisioner.organization_id));
    if (limit > 0 && offset < out.total) {
      ASSIGN_OR_RETURN(out.users, storage::users::present_in_organization(c, provisioner.organization_id, offset, limit));
    }
    return out;
  });
}

Result<std::optional<storage::User>> present_person(const Services& s, const identity::Actor& provisioner, std::string_view id) {
  TRY(authorize(provisioner, "user.read"));
  return s.db.read([&](storage::Connection& c) { return present(c, provisioner, std::string(id)); });
}

Result<std::optional<storage::User>> present_person_with_email(const Services& s, const identity::Actor& provisioner,
                                                               std::string_view email) {
  TRY(authorize(provisioner, "user.read"));
  auto normalized = identity::normalize_email(email);
  if (!normalized) return std::nullopt;
  return s.db.read([&](storage::Connection& c) -> Result<std::optional<storage::User>> {
    ASSIGN_OR_RETURN(auto owner, storage::users::owner_of_identity(c, "email", *normalized));
    return present(c, provisioner, owner);
  });
}

Result<std::optional<storage::User>> present_person_with_external_id(const Services& s, const identity::Actor& provisioner,
                                                                     std::string_view external_id) {
  TRY(authorize(provisioner, "user.read"));
  return s.db.read([&](storage::Connection& c) -> Result<std::optional<storage::User>> {
    ASSIGN_OR_RETURN(auto owner, storage::users::with_external_id(c, provisioner.organization_id, external_id));
    return present(c, provisioner, owner);
  });
}

Result<void> remove_provisioned_person(const Services& s, const identity::Actor& provisioner, std::string_view id) {
  TRY(authorize(provisioner, "user.deactivate"));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto user, present(c, provisioner, std::string(id)));
    if (!user) return fail(Code::not_found, "No such user.");
    TRY(identity::check_user_write(provisioner, user->organization_id, user->roles));
    auto before = canonical(*user);
    auto now = to_millis(s.clock.now());
    user->active = false;
    user->external_id.reset();
    user->left_at = now;
    user->version += 1;
    user->updated_at = now;
    TRY(storage::users::update(c, *user));
    TRY(storage::sessions::revoke_all(c, user->id, ""));
    TRY(storage::user_groups::leave_all(c, user->id));
    return record(c, s, provisioner, {"user.deprovision", "user", user->id, user->organization_id, before, canonical(*user)});
  });
}

Result<std::optional<storage::User>> bring_back_person(const Services& s, const identity::Actor& provisioner, std::string_view email) {
  TRY(authorize(provisioner, "user.create"));
  auto normalized = identity::normalize_email(email);
  if (!normalized) return std::nullopt;
  return s.db.write([&](storage::Connection& c) -> Result<std::optional<storage::User>> {
    ASSIGN_OR_RETURN(auto owner, storage::users::owner_of_identity(c, "email", *normalized));
    if (!owner) return std::nullopt;
    ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::for_actor(provisioner), *owner));
    if (!user || !user->left_at || user->erased_at || user->organization_id != provisioner.organization_id) return std::nullopt;
    TRY(identity::check_user_write(provisioner, user->organization_id, user->roles));
    auto before = canonical(*user);
    user->left_at.reset();
    user->version += 1;
    user->updated_at = to_millis(s.clock.now());
    TRY(storage::users::update(c, *user));
    TRY(record(c, s, provisioner, {"user.reprovision", "user", user->id, user->organization_id, before, canonical(*user)}));
    return user;
  });
}

}  // namespace tandem::usecase
