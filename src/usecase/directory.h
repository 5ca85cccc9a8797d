// Organisations, users and teams: create, read, change, remove, with role checks and audit.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/organizations.h"
#include "storage/teams.h"
#include "storage/users.h"
#include "usecase/context.h"

namespace tandem::usecase {

using identity::Actor;

// Organisations ----------------------------------------------------------------------------
struct OrganizationPatch {
  std::optional<std::string> name;
};
Result<storage::Organization> create_organization(const Services& s, const Actor& actor, const std::string& name);
Result<storage::Organization> get_organization(const Services& s, const Actor& actor, std::string_view id);
Result<storage::Page<storage::Organization>> list_organizations(const Services& s, const Actor& actor,
                                                                const storage::PageRequest& page);
Result<storage::Organization> update_organization(const Services& s, const Actor& actor, std::string_view id,
                                                  std::int64_t expected_version, const OrganizationPatch& patch);
Result<void> delete_organization(const Services& s, const Actor& actor, std::string_view id);
// The provider organisation, created on first use.
Result<storage::Organization> ensure_provider(const Services& s, const std::string& name);

// Users --------------------------------------------------------------------------------------
struct NewUser {
  identity::UserDraft draft;
  std::optional<std::string> password;
  std::vector<storage::Identity> extra_identities;  // phones, handles, further e-mails
  std::optional<std::string> external_id;           // ONB-13: the identity provider's id
  bool active = true;                               // ONB-13: a provider may create people inactive
};
struct UserPatch {
  std::optional<std::string> email, name, language, time_zone, organization_id;
  std::optional<std::vector<identity::Role>> roles;
  std::optional<std::vector<identity::UserFlag>> flags;
  std::optional<std::vector<std::string>> represented_user_ids;
  std::optional<bool> active;
  // Replace every identity of that kind (REL-1); the primary e-mail is changed through `email`.
  std::optional<std::vector<storage::Identity>> phones, handles;
  // Every e-mail identity but the primary one.
  std::optional<std::vector<storage::Identity>> other_emails;
  std::optional<std::optional<std::string>> external_id;  // ONB-13; null clears
  std::vector<std::string> fields() const;  // names of the fields present
};
Result<storage::User> create_user(const Services& s, const Actor& actor, const NewUser& user);
// What create_user would refuse in `user` before looking at the store, field by field.
std::vector<FieldProblem> new_user_problems(const NewUser& user);
// One's own record (GET /me, a requester's flags when raising a ticket), from the per-node
// directory cache when it holds it; nullopt for an actor that is no user (the command line).
Result<std::optional<storage::User>> own_record(const Services& s, const identity::Actor& actor);
Result<storage::User> get_user(const Services& s, const Actor& actor, std::string_view id);
Result<storage::Page<storage::User>> list_users(const Services& s, const Actor& actor, const storage::UserFilter& filter,
                                                const storage::PageRequest& page);
Result<storage::User> update_user(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                  const UserPatch& patch);
// Deactivation ends the user's sessions and tokens at once (OFF-1 "revoke access").
Result<storage::User> deactivate_user(const Services& s, const Actor& actor, std::string_view id);

// Teams --------------------------------------------------------------------------------------
struct TeamPatch {
  std::optional<std::string> name, description;
  std::optional<std::vector<std::string>> skills, languages, member_ids;
  std::optional<std::optional<std::string>> lead_id;  // DESK-8; a member; null clears
};
Result<storage::Team> create_team(const Services& s, const Actor& actor, const TeamPatch& team);
Result<storage::Team> get_team(const Services& s, const Actor& actor, std::string_view id);
Result<storage::Page<storage::Team>> list_teams(const Services& s, const Actor& actor, const storage::PageRequest& page);
Result<storage::Team> update_team(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                  const TeamPatch& patch);
Result<void> delete_team(const Services& s, const Actor& actor, std::string_view id);

// Whether a time zone name is in the system's tz database.
bool is_known_time_zone(const std::string& name);

}  // namespace tandem::usecase
