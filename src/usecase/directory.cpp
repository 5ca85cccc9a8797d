#include "usecase/directory.h"

#include <date/tz.h>

#include <algorithm>
#include <set>

#include "core/id.h"
#include "storage/sessions.h"
#include "storage/user_groups.h"
#include "usecase/catalog_definitions.h"
#include "usecase/offboarding.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using storage::Scope;

template <class T>
bool has_duplicates(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return std::adjacent_find(v.begin(), v.end()) != v.end();
}

Result<storage::Organization> load_org(storage::Connection& c, const Scope& scope, std::string_view id) {
  ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, scope, id));
  if (!org) return fail(Code::not_found, "No such organisation.");
  return *org;
}

Result<storage::User> load_user(storage::Connection& c, const Scope& scope, std::string_view id) {
  ASSIGN_OR_RETURN(auto user, storage::users::find(c, scope, id));
  if (!user) return fail(Code::not_found, "No such user.");
  return *user;
}

Result<storage::Team> load_team(storage::Connection& c, std::string_view id) {
  ASSIGN_OR_RETURN(auto team, storage::teams::find(c, id));
  if (!team) return fail(Code::not_found, "No such team.");
  return *team;
}

Error version_mismatch(std::string_view what) {
  return Error(Code::failed_precondition, std::string("The ") + std::string(what) + " was changed by someone else; reload it.");
}

// Checks a user as a whole, whether new or patched; `problems` collects every invalid field.
void check_user(Problems& p, const storage::User& u) {
  check_text(p, "name", u.name);
  if (auto problem = identity::roles_problem(u.roles)) p.add("roles", *problem);
  if (!identity::is_supported_language(u.language)) p.add("language", "must be one of: en, zh-CN");
  if (!is_known_time_zone(u.time_zone)) p.add("time_zone", "must be an IANA time zone such as Asia/Shanghai");
  if (has_duplicates(u.flags)) p.add("flags", "must not repeat a flag");
  if (u.external_id && (u.external_id->empty() || u.external_id->size() > 200))
    p.add("external_id", "must be 1 to 200 bytes");
  if (!u.represented_user_ids.empty() && !identity::has_role(u.roles, identity::Role::representative))
    p.add("represented_user_ids", "only a representative represents users");
  if (std::find(u.represented_user_ids.begin(), u.represented_user_ids.end(), u.id) != u.represented_user_ids.end())
    p.add("represented_user_ids", "must not include the representative");
}

// The parts of a user checked against stored data: organisation kind, unique identities,
// represented users in the same organisation.
Result<void> check_user_against_store(storage::Connection& c, const storage::User& u) {
  ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, Scope::system(), u.organization_id));
  Problems p;
  if (!org) {
    p.add("organization_id", "no such organisation");
  } else {
    bool staff = identity::is_staff(u.roles);
    if (staff && org->kind != identity::OrganizationKind::provider)
      p.add("organization_id", "staff belong to the provider organisation");
    if (!staff && org->kind != identity::OrganizationKind::consumer)
      p.add("organization_id", "consumer roles belong to a consumer organisation");
  }
  for (const auto& target : u.represented_user_ids) {
    ASSIGN_OR_RETURN(auto other, storage::users::find(c, Scope::system(), target));
    if (!other || other->organization_id != u.organization_id)
      p.add("represented_user_ids", "no such user in the organisation: " + target);
  }
  if (p.any()) return fail(p.error());
  Error taken(Code::conflict, "An identity is already in use by another user.", "identity_taken");
  for (const auto& i : u.identities) {
    ASSIGN_OR_RETURN(auto owner, storage::users::owner_of_identity(c, i.kind, i.normalized));
    if (owner && *owner != u.id) {
      bool primary = i.kind == "email" && i.value == u.email;
      taken.details.push_back({primary ? "email" : i.kind + "s", "already in use: " + i.value});
    }
  }
  if (u.external_id) {
    ASSIGN_OR_RETURN(auto owner, storage::users::with_external_id(c, u.organization_id, *u.external_id));
    if (owner && *owner != u.id) taken.details.push_back({"external_id", "already in use: " + *u.external_id});
  }
  if (!taken.details.empty()) return fail(std::move(taken));
  return {};
}

// Replaces the primary e-mail identity, keeping the others; a bad address goes to `p`.
void set_primary_email(storage::User& u, const std::string& email, Problems& p) {
  auto normalized = identity::normalize_email(email);
  if (!normalized) {
    p.add("email", "must be an e-mail address");
    return;
  }
  if (!u.email.empty()) {
    auto old = identity::normalize_email(u.email).value_or("");
    std::erase_if(u.identities, [&](const storage::Identity& i) { return i.kind == "email" && i.normalized == old; });
  }
  u.email = email;
  u.identities.insert(u.identities.begin(), storage::Identity{"email", email, *normalized});
}

}  // namespace

bool is_known_time_zone(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  try {
    return date::locate_zone(name) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

std::vector<std::string> UserPatch::fields() const {
  std::vector<std::string> f;
  if (email) f.push_back("email");
  if (name) f.push_back("name");
  if (language) f.push_back("language");
  if (time_zone) f.push_back("time_zone");
  if (organization_id) f.push_back("organization_id");
  if (roles) f.push_back("roles");
  if (flags) f.push_back("flags");
  if (represented_user_ids) f.push_back("represented_user_ids");
  if (active) f.push_back("active");
  if (phones) f.push_back("phones");
  if (handles) f.push_back("handles");
  if (other_emails) f.push_back("emails");
  if (external_id) f.push_back("external_id");
  return f;
}

// Organisations ------------------------------------------------------------------------------

Result<storage::Organization> create_organization(const Services& s, const Actor& actor, const std::string& name) {
  TRY(authorize(actor, "organization.create"));
  Problems p;
  check_text(p, "name", name);
  if (p.any()) return fail(p.error());
  auto now = s.clock.now();
  storage::Organization org{new_id("org", now), trimmed(name), identity::OrganizationKind::consumer, 1, to_millis(now),
                            to_millis(now)};
  TRY(s.db.write([&](storage::Connection& c) -> Result<void> {
    TRY(storage::organizations::insert(c, org));
    return record(c, s, actor, {"organization.create", "organization", org.id, org.id, std::nullopt, canonical(org)});
  }));
  return org;
}

Result<storage::Organization> get_organization(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "organization.read"));
  return s.db.read([&](storage::Connection& c) { return load_org(c, Scope::for_actor(actor), id); });
}

Result<storage::Page<storage::Organization>> list_organizations(const Services& s, const Actor& actor,
                                                                const storage::PageRequest& page) {
  TRY(authorize(actor, "organization.read"));
  return s.db.read([&](storage::Connection& c) { return storage::organizations::list(c, Scope::for_actor(actor), page); });
}

Result<storage::Organization> update_organization(const Services& s, const Actor& actor, std::string_view id,
                                                  std::int64_t expected_version, const OrganizationPatch& patch) {
  TRY(authorize(actor, "organization.update"));
  Problems p;
  if (patch.name) check_text(p, "name", *patch.name);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::Organization> {
    ASSIGN_OR_RETURN(auto org, load_org(c, Scope::for_actor(actor), id));
    if (org.kind == identity::OrganizationKind::provider && !identity::has_role(actor.roles, identity::Role::admin))
      return fail(Code::permission_denied, "Only an administrator may change the provider organisation.");
    if (org.version != expected_version) return fail(version_mismatch("organisation"));
    auto before = canonical(org);
    if (patch.name) org.name = trimmed(*patch.name);
    org.version += 1;
    org.updated_at = to_millis(s.clock.now());
    TRY(storage::organizations::update(c, org));
    TRY(record(c, s, actor, {"organization.update", "organization", org.id, org.id, before, canonical(org)}));
    return org;
  });
}

Result<void> delete_organization(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "organization.delete"));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto org, load_org(c, Scope::for_actor(actor), id));
    if (org.kind == identity::OrganizationKind::provider)
      return fail(Code::conflict, "The provider organisation cannot be deleted.", "provider_organization");
    TRY(storage::organizations::remove(c, org.id));
    return record(c, s, actor, {"organization.delete", "organization", org.id, org.id, canonical(org), std::nullopt});
  });
}

Result<storage::Organization> ensure_provider(const Services& s, const std::string& name) {
  return s.db.write([&](storage::Connection& c) -> Result<storage::Organization> {
    ASSIGN_OR_RETURN(auto existing, storage::organizations::find_provider(c));
    if (existing) return *existing;
    auto now = s.clock.now();
    storage::Organization org{new_id("org", now), name, identity::OrganizationKind::provider, 1, to_millis(now), to_millis(now)};
    TRY(storage::organizations::insert(c, org));
    TRY(record(c, s, system_actor(), {"organization.create", "organization", org.id, org.id, std::nullopt, canonical(org)}));
    return org;
  });
}

// Users --------------------------------------------------------------------------------------

namespace {
// The user a NewUser describes, with every problem the request has on its own (no store needed).
storage::User draft_user(const NewUser& in, Time now, Problems& p) {
  const auto& d = in.draft;
  storage::User u;
  u.id = new_id("usr", now);
  u.name = trimmed(d.name);
  u.roles = d.roles;
  u.language = d.language;
  u.time_zone = d.time_zone;
  u.flags = d.flags;
  u.represented_user_ids = d.represented_user_ids;
  u.organization_id = d.organization_id;
  u.created_at = u.updated_at = to_millis(now);
  set_primary_email(u, d.email, p);
  for (const auto& extra : in.extra_identities) u.identities.push_back(extra);
  u.external_id = in.external_id;
  u.active = in.active;
  check_user(p, u);
  if (in.password)
    if (auto problem = identity::password_problem(*in.password)) p.add("password", *problem);
  if (d.organization_id.empty() && !u.roles.empty() && !identity::is_staff(u.roles))
    p.add("organization_id", "is required for consumer roles");
  return u;
}
}  // namespace

std::vector<FieldProblem> new_user_problems(const NewUser& in) {
  Problems p;
  draft_user(in, Time{}, p);
  return p.error().details;
}

Result<storage::User> create_user(const Services& s, const Actor& actor, const NewUser& in) {
  TRY(authorize(actor, "user.create"));
  Problems p;
  auto u = draft_user(in, s.clock.now(), p);
  if (p.any()) return fail(p.error());
  // Refuse before the deliberately slow password hash: a refused caller must cost little.
  // (Staff get their organisation below; the check does not depend on which one.)
  TRY(identity::check_user_write(actor, u.organization_id, u.roles));

  std::optional<std::string> hash;
  if (in.password) {
    hash = hash_password(*in.password, s.password_cost);
    if (!hash) return fail(Code::unavailable, "The server is out of memory for password hashing; try again.");
  }
  return s.db.write([&](storage::Connection& c) -> Result<storage::User> {
    if (u.organization_id.empty()) {
      ASSIGN_OR_RETURN(auto provider, storage::organizations::find_provider(c));
      if (!provider) return fail(Code::failed_precondition, "There is no provider organisation yet.");
      u.organization_id = provider->id;
    }
    TRY(identity::check_user_write(actor, u.organization_id, u.roles));
    TRY(check_user_against_store(c, u));
    TRY(storage::users::insert(c, u, hash));
    TRY(record(c, s, actor, {"user.create", "user", u.id, u.organization_id, std::nullopt, canonical(u)}));
    // OFF-4: someone who left and comes back keeps the training they passed.
    TRY(restore_former_member(c, s, u.id, u.organization_id, u.identities.front().normalized));
    return u;
  });
}

Result<storage::User> get_user(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "user.read"));
  if (id != actor.user_id)
    return s.db.read([&](storage::Connection& c) { return load_user(c, Scope::for_actor(actor), id); });
  ASSIGN_OR_RETURN(auto own, own_record(s, actor));
  if (!own) return fail(Code::not_found, "No such user.");
  return std::move(*own);
}

Result<std::optional<storage::User>> own_record(const Services& s, const Actor& actor) {
  return read_through(s.db, s.directory_cache->users, actor.user_id, [](const storage::User&) { return true; },
                      [&](storage::Connection& c) { return storage::users::find(c, Scope::system(), actor.user_id); });
}

Result<storage::Page<storage::User>> list_users(const Services& s, const Actor& actor, const storage::UserFilter& filter,
                                                const storage::PageRequest& page) {
  TRY(authorize(actor, "user.read"));
  return s.db.read([&](storage::Connection& c) { return storage::users::list(c, Scope::for_actor(actor), filter, page); });
}

Result<storage::User> update_user(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                  const UserPatch& patch) {
  TRY(authorize(actor, "user.update"));
  return s.db.write([&](storage::Connection& c) -> Result<storage::User> {
    ASSIGN_OR_RETURN(auto u, load_user(c, Scope::for_actor(actor), id));
    // OFF-1: erasure is for good.
    if (u.erased_at) return fail(Code::conflict, "This person's data is erased; the record cannot change.", "erased");
    // Someone reactivated while their offboarding is under way has come back: it is cancelled.
    if (patch.active && *patch.active && !u.active) TRY(cancel_offboarding_of(c, s, actor, u.id));
    bool manages = bool(identity::check_user_write(actor, u.organization_id, u.roles));
    if (!manages) {
      if (u.id != actor.user_id) return fail(Code::permission_denied, "You may not change this user.");
      for (const auto& f : patch.fields())
        if (!identity::is_self_editable(f)) return fail(Code::permission_denied, "You may not change your own " + f + ".");
    }
    if (u.version != expected_version) return fail(version_mismatch("user"));
    auto before = canonical(u);
    auto organization_before = u.organization_id;
    Problems p;
    if (patch.email) set_primary_email(u, *patch.email, p);
    if (patch.name) u.name = trimmed(*patch.name);
    if (patch.language) u.language = *patch.language;
    if (patch.time_zone) u.time_zone = *patch.time_zone;
    if (patch.organization_id) u.organization_id = *patch.organization_id;
    if (patch.roles) u.roles = *patch.roles;
    if (patch.flags) u.flags = *patch.flags;
    if (patch.represented_user_ids) u.represented_user_ids = *patch.represented_user_ids;
    if (patch.active) u.active = *patch.active;
    for (auto [kind, replacement] : {std::pair{"phone", &patch.phones}, std::pair{"handle", &patch.handles}}) {
      if (!*replacement) continue;
      std::erase_if(u.identities, [&](const storage::Identity& i) { return i.kind == kind; });
      for (const auto& i : **replacement) u.identities.push_back(i);
    }
    if (patch.other_emails) {
      auto primary = identity::normalize_email(u.email).value_or("");
      std::erase_if(u.identities, [&](const storage::Identity& i) { return i.kind == "email" && i.normalized != primary; });
      for (const auto& i : *patch.other_emails)
        if (i.normalized != primary) u.identities.push_back(i);
    }
    if (patch.external_id) u.external_id = *patch.external_id;
    check_user(p, u);
    if (p.any()) return fail(p.error());
    // The new state must be one the manager may create, too (no promoting to staff, no moving away).
    if (manages) TRY(identity::check_user_write(actor, u.organization_id, u.roles));
    if (u.id == actor.user_id && patch.active && !*patch.active)
      return fail(Code::conflict, "You cannot deactivate yourself.", "self_deactivation");
    TRY(check_user_against_store(c, u));
    u.version += 1;
    u.updated_at = to_millis(s.clock.now());
    TRY(storage::users::update(c, u));
    if (!u.active) TRY(storage::sessions::revoke_all(c, u.id, ""));
    // A group holds only its organisation's people: one who moves leaves them all.
    if (u.organization_id != organization_before) TRY(storage::user_groups::leave_all(c, u.id));
    TRY(record(c, s, actor, {"user.update", "user", u.id, u.organization_id, before, canonical(u)}));
    return u;
  });
}

Result<storage::User> deactivate_user(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "user.deactivate"));
  return s.db.write([&](storage::Connection& c) -> Result<storage::User> {
    ASSIGN_OR_RETURN(auto u, load_user(c, Scope::for_actor(actor), id));
    TRY(identity::check_user_write(actor, u.organization_id, u.roles));
    if (u.id == actor.user_id) return fail(Code::conflict, "You cannot deactivate yourself.", "self_deactivation");
    if (!u.active) return u;
    auto before = canonical(u);
    u.active = false;
    u.version += 1;
    u.updated_at = to_millis(s.clock.now());
    TRY(storage::users::update(c, u));
    TRY(storage::sessions::revoke_all(c, u.id, ""));
    TRY(record(c, s, actor, {"user.deactivate", "user", u.id, u.organization_id, before, canonical(u)}));
    return u;
  });
}

// Teams --------------------------------------------------------------------------------------
namespace {

void check_team(Problems& p, const storage::Team& t) {
  check_text(p, "name", t.name);
  if (t.description.size() > 4000) p.add("description", "must be at most 4000 bytes");
  for (const auto& skill : t.skills)
    if (trimmed(skill).empty() || skill.size() > 100 || skill.find('\n') != std::string::npos)
      p.add("skills", "each skill is 1 to 100 bytes on one line");
  for (const auto& lang : t.languages)
    if (!identity::is_supported_language(lang)) p.add("languages", "must be among: en, zh-CN");
  if (has_duplicates(t.member_ids)) p.add("member_ids", "must not repeat a member");
  if (t.lead_id && std::find(t.member_ids.begin(), t.member_ids.end(), *t.lead_id) == t.member_ids.end())
    p.add("lead_id", "the lead must be a member of the team");
}

Result<void> check_members(storage::Connection& c, const storage::Team& t) {
  Problems p;
  for (const auto& id : t.member_ids) {
    ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::system(), id));
    if (!user || !identity::is_staff(user->roles)) p.add("member_ids", "not a staff member: " + id);
  }
  if (p.any()) return fail(p.error());
  return {};
}

void apply(storage::Team& t, const TeamPatch& patch) {
  if (patch.name) t.name = trimmed(*patch.name);
  if (patch.description) t.description = *patch.description;
  if (patch.skills) t.skills = *patch.skills;
  if (patch.languages) t.languages = *patch.languages;
  if (patch.member_ids) t.member_ids = *patch.member_ids;
  if (patch.lead_id) t.lead_id = *patch.lead_id;
}

}  // namespace

Result<storage::Team> create_team(const Services& s, const Actor& actor, const TeamPatch& in) {
  TRY(authorize(actor, "team.create"));
  auto now = s.clock.now();
  storage::Team t;
  t.id = new_id("team", now);
  t.created_at = t.updated_at = to_millis(now);
  apply(t, in);
  Problems p;
  if (!in.name) p.add("name", "is required");
  else check_team(p, t);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::Team> {
    ASSIGN_OR_RETURN(auto provider, storage::organizations::find_provider(c));
    if (!provider) return fail(Code::failed_precondition, "There is no provider organisation yet.");
    t.organization_id = provider->id;
    TRY(check_members(c, t));
    TRY(storage::teams::insert(c, t));
    TRY(record(c, s, actor, {"team.create", "team", t.id, t.organization_id, std::nullopt, canonical(t)}));
    return t;
  });
}

Result<storage::Team> get_team(const Services& s, const Actor& actor, std::string_view id) {
  if (!authorize(actor, "team.read")) return fail(Code::not_found, "No such team.");
  return s.db.read([&](storage::Connection& c) { return load_team(c, id); });
}

Result<storage::Page<storage::Team>> list_teams(const Services& s, const Actor& actor, const storage::PageRequest& page) {
  TRY(authorize(actor, "team.read"));
  return s.db.read([&](storage::Connection& c) { return storage::teams::list(c, page); });
}

Result<storage::Team> update_team(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                  const TeamPatch& patch) {
  TRY(authorize(actor, "team.update"));
  return s.db.write([&](storage::Connection& c) -> Result<storage::Team> {
    ASSIGN_OR_RETURN(auto t, load_team(c, id));
    if (t.version != expected_version) return fail(version_mismatch("team"));
    auto before = canonical(t);
    apply(t, patch);
    Problems p;
    check_team(p, t);
    if (p.any()) return fail(p.error());
    TRY(check_members(c, t));
    t.version += 1;
    t.updated_at = to_millis(s.clock.now());
    TRY(storage::teams::update(c, t));
    TRY(record(c, s, actor, {"team.update", "team", t.id, t.organization_id, before, canonical(t)}));
    return t;
  });
}

Result<void> delete_team(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "team.delete"));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto t, load_team(c, id));
    // DESK-5: a request type's fulfilment tasks or approval steps may name the team.
    ASSIGN_OR_RETURN(auto type, catalog_definitions::first_naming(c, storage::DefinitionKind::request_type, t.id,
                                                                   {"tasks/*/team_id", "approval/steps/*/team_id"}));
    if (type)
      return fail(Code::conflict, "The request type \"" + type->name + "\" names this team in its procedure or approval; change it first.");
    TRY(storage::teams::remove(c, t.id));
    return record(c, s, actor, {"team.delete", "team", t.id, t.organization_id, canonical(t), std::nullopt});
  });
}

}  // namespace tandem::usecase
