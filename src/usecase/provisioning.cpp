#include "usecase/provisioning.h"

#include <nlohmann/json.hpp>

#include <set>

#include "core/id.h"
#include "core/log.h"
#include "storage/definitions.h"
#include "storage/organizations.h"
#include "storage/sessions.h"
#include "storage/user_groups.h"
#include "usecase/directory.h"
#include "usecase/json_setting.h"
#include "usecase/onboarding_plans.h"
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

std::string settings_key(std::string_view organization_id) { return "provisioning:" + std::string(organization_id); }

Result<ProvisioningSettings> read_settings(storage::Connection& c, std::string_view organization_id) {
  ASSIGN_OR_RETURN(auto stored, read_json_setting(c, settings_key(organization_id)));
  ProvisioningSettings out;
  out.version = stored.version;
  const auto& j = stored.value;
  for (const auto& g : j.value("group_roles", nlohmann::json::array()))
    if (auto role = identity::parse_role(g.value("role", "")))
      out.group_roles.push_back({g.value("group", ""), *role});
  if (j.contains("new_user_template_id") && j["new_user_template_id"].is_string())
    out.new_user_template_id = j["new_user_template_id"].get<std::string>();
  return out;
}

}  // namespace

Result<ProvisioningSettings> get_provisioning_settings(const Services& s, const identity::Actor& actor,
                                                       const std::string& organization_id) {
  TRY(authorize(actor, "scim_token.manage"));
  return s.db.read([&](storage::Connection& c) -> Result<ProvisioningSettings> {
    ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, Scope::for_actor(actor), organization_id));
    if (!org) return fail(Code::not_found, "No such organisation.");
    return read_settings(c, organization_id);
  });
}

Result<ProvisioningSettings> set_provisioning_settings(const Services& s, const identity::Actor& actor,
                                                       const std::string& organization_id, const ProvisioningSettings& in,
                                                       std::int64_t expected_version) {
  TRY(authorize(actor, "scim_token.manage"));
  Problems p;
  if (in.group_roles.size() > 100) p.add("group_roles", "must be at most 100");
  std::set<std::string> groups;
  for (std::size_t i = 0; i < in.group_roles.size() && i < 100; ++i) {
    const auto& g = in.group_roles[i];
    auto field = "group_roles[" + std::to_string(i) + "]";
    check_text(p, field + ".group", g.group);
    if (identity::is_staff({g.role})) p.add(field + ".role", "must be a role of a customer organisation: customer, user or representative");
    if (!groups.insert(trimmed(g.group)).second) p.add(field + ".group", "is named twice");
  }
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<ProvisioningSettings> {
    ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, Scope::for_actor(actor), organization_id));
    if (!org) return fail(Code::not_found, "No such organisation.");
    if (org->kind != identity::OrganizationKind::consumer)
      return fail(Code::invalid_argument, "Provisioning is for a customer organisation.");
    if (in.new_user_template_id) {
      ASSIGN_OR_RETURN(auto tmpl, storage::definitions::find(c, storage::DefinitionKind::onboarding_template, *in.new_user_template_id));
      if (!tmpl || !tmpl->active) {
        Problems q;
        q.add("new_user_template_id", "no such onboarding template");
        return fail(q.error());
      }
    }
    nlohmann::json roles = nlohmann::json::array();
    for (const auto& g : in.group_roles) roles.push_back({{"group", trimmed(g.group)}, {"role", identity::to_string(g.role)}});
    nlohmann::json value = {{"group_roles", roles},
                            {"new_user_template_id", in.new_user_template_id ? nlohmann::json(*in.new_user_template_id) : nullptr}};
    TRY(write_json_setting(c, settings_key(organization_id), value, expected_version, to_millis(s.clock.now()),
                           "The provisioning settings were changed by someone else; reload them."));
    TRY(record(c, s, actor, {"provisioning.settings", "organization", organization_id, organization_id, std::nullopt, value.dump()}));
    return read_settings(c, organization_id);
  });
}

Result<void> apply_group_roles(const Services& s, const identity::Actor& provisioner, const std::vector<std::string>& user_ids) {
  struct Change {
    std::string id;
    std::int64_t version;
    std::vector<identity::Role> roles;
  };
  std::vector<Change> changes;
  TRY(s.db.read([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto settings, read_settings(c, provisioner.organization_id));
    if (settings.group_roles.empty()) return {};
    for (const auto& id : std::set<std::string>(user_ids.begin(), user_ids.end())) {
      ASSIGN_OR_RETURN(auto user, present(c, provisioner, id));
      if (!user || user->erased_at) continue;
      ASSIGN_OR_RETURN(auto group_ids, storage::user_groups::of_user(c, provisioner.organization_id, id));
      // The mapping governs the roles it names: those come from the groups; any other role the
      // person has (given here by hand) stays. Nobody is left without a role.
      std::set<identity::Role> mapped, given;
      for (const auto& g : settings.group_roles) mapped.insert(g.role);
      for (const auto& gid : group_ids) {
        ASSIGN_OR_RETURN(auto group, storage::user_groups::find(c, Scope::system(), gid));
        if (!group) continue;
        for (const auto& g : settings.group_roles)
          if (g.group == group->name) given.insert(g.role);
      }
      std::set<identity::Role> roles = given;
      for (auto r : user->roles)
        if (!mapped.contains(r) && !(r == identity::Role::user && !given.empty())) roles.insert(r);
      if (roles.empty()) roles.insert(identity::Role::user);
      std::vector<identity::Role> wanted(roles.begin(), roles.end());
      std::set<identity::Role> had(user->roles.begin(), user->roles.end());
      if (had != roles) changes.push_back({user->id, user->version, std::move(wanted)});
    }
    return {};
  }));
  for (const auto& change : changes) {
    UserPatch patch;
    patch.roles = change.roles;
    auto updated = update_user(s, provisioner, change.id, change.version, patch);
    // Someone changed the person meanwhile (the provider's next PATCH of them): once more on
    // what is stored now, so the roles do not wait for the group's next change.
    if (!updated && updated.error().code == Code::failed_precondition) {
      ASSIGN_OR_RETURN(auto now, s.db.read([&](storage::Connection& c) { return present(c, provisioner, change.id); }));
      if (!now) continue;
      updated = update_user(s, provisioner, change.id, now->version, patch);
    }
    if (!updated) return std::unexpected(updated.error());
  }
  return {};
}

Result<std::optional<std::string>> start_new_user_plan(const Services& s, const identity::Actor& provisioner, const std::string& user_id) {
  ASSIGN_OR_RETURN(auto settings, s.db.read([&](storage::Connection& c) { return read_settings(c, provisioner.organization_id); }));
  if (!settings.new_user_template_id) return std::optional<std::string>();
  PlanInput plan;
  plan.template_id = *settings.new_user_template_id;
  plan.organization_id = provisioner.organization_id;
  plan.user_id = user_id;
  plan.scenario = "new_user";
  plan.start_date = to_rfc3339(s.clock.now()).substr(0, 10);
  plan.start_trigger = "Created by the organisation's identity provider";
  // The provider's plan, made on its behalf: a customer does not make plans.
  ASSIGN_OR_RETURN(auto made, create_plan(s, system_actor(), plan));
  return std::optional<std::string>(made.stored.id);
}

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
