// ONB-13: automated provisioning. An administrator gives an organisation's identity provider a
// SCIM token (the secret is shown once, only its hash kept); the token acts as that
// organisation's customer would — on its people and groups, consumer roles only — so the
// directory's own rules, checks and audit apply to whatever the identity provider asks. SCIM's
// wire format is the HTTP layer's (http/scim_*.h); here are the tokens and the reads SCIM needs
// that the directory does not have: people by position, by e-mail and by the provider's id.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/scim_tokens.h"
#include "storage/users.h"
#include "usecase/context.h"

namespace tandem::usecase {

struct NewScimToken {
  storage::ScimToken token;
  std::string secret;  // shown once
};
// For a customer organisation; administrators only.
Result<NewScimToken> create_scim_token(const Services& s, const identity::Actor& actor, const std::string& organization_id,
                                       const std::string& name);
Result<std::vector<storage::ScimToken>> list_scim_tokens(const Services& s, const identity::Actor& actor,
                                                         const std::string& organization_id);
// The token stops working at once.
Result<void> delete_scim_token(const Services& s, const identity::Actor& actor, std::string_view id);

// The provisioning actor of a live SCIM token: the organisation's customer in all but name (its
// user id is the token's id, which is what the audit log shows); nullopt for no such token.
Result<std::optional<identity::Actor>> authenticate_scim(const Services& s, const std::string& secret);

// The people provisioning sees: its organisation's, except those who left (deleted through SCIM
// or offboarded). Deactivated people stay visible, with active false.
struct PresentPeople {
  std::vector<storage::User> users;
  std::int64_t total = 0;
};
Result<PresentPeople> present_people(const Services& s, const identity::Actor& provisioner, std::int64_t offset, int limit);
Result<std::optional<storage::User>> present_person(const Services& s, const identity::Actor& provisioner, std::string_view id);
// By any of their e-mail addresses (compared as identities are), or by the provider's id.
Result<std::optional<storage::User>> present_person_with_email(const Services& s, const identity::Actor& provisioner,
                                                               std::string_view email);
Result<std::optional<storage::User>> present_person_with_external_id(const Services& s, const identity::Actor& provisioner,
                                                                     std::string_view external_id);
// SCIM DELETE: the person is deactivated (sessions and tokens end at once), leaves their groups,
// forgets the provider's id and leaves provisioning's view; their records stay.
Result<void> remove_provisioned_person(const Services& s, const identity::Actor& provisioner, std::string_view id);
// The person of the organisation with this sign-in e-mail who was deleted through SCIM and not
// erased since, back in provisioning's view (still inactive: the caller applies what the provider
// now says); nullopt when there is none.
Result<std::optional<storage::User>> bring_back_person(const Services& s, const identity::Actor& provisioner, std::string_view email);

// ONB-13: what an organisation's provisioning does beyond copying people, set by an
// administrator: the role each of its identity provider's groups gives (the roles the mapping
// names then come from a person's groups; other roles given by hand stay; user when nothing is
// left), and the onboarding template whose new_user plan starts for each person the provider
// creates.
struct GroupRole {
  std::string group;  // the group's name, as the identity provider sends displayName
  identity::Role role = identity::Role::user;
};
struct ProvisioningSettings {
  std::vector<GroupRole> group_roles;
  std::optional<std::string> new_user_template_id;
  std::int64_t version = 1;  // 1: never set
};
Result<ProvisioningSettings> get_provisioning_settings(const Services& s, const identity::Actor& actor,
                                                       const std::string& organization_id);
// failed_precondition when `expected_version` is not the stored one.
Result<ProvisioningSettings> set_provisioning_settings(const Services& s, const identity::Actor& actor,
                                                       const std::string& organization_id, const ProvisioningSettings& in,
                                                       std::int64_t expected_version);
// After the identity provider changed groups or people: each person's roles as the mapping says
// (nothing changes while the organisation maps no group). Audited as the provisioner's changes.
Result<void> apply_group_roles(const Services& s, const identity::Actor& provisioner, const std::vector<std::string>& user_ids);
// After the identity provider created a person: the organisation's new_user onboarding plan for
// them, when a template is set; its id.
Result<std::optional<std::string>> start_new_user_plan(const Services& s, const identity::Actor& provisioner,
                                                       const std::string& user_id);

}  // namespace tandem::usecase
