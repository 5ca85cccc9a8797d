// ONB-13: Tandem's people and groups as SCIM resources (RFC 7643), and back: what an identity
// provider sends is read into the directory's terms with every problem named, so a POST, a PUT
// and a PATCH (read back from the patched resource) are checked alike.
//
// The mapping: `userName` is the person's sign-in e-mail (Tandem signs people in by e-mail);
// `emails` are all their e-mail identities, `phoneNumbers` their phone identities (REL-1);
// `displayName` (else `name.formatted`, else given and family name) is their name;
// `preferredLanguage` or `locale` picks zh-CN or en; `externalId` is kept as given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/scim_filter.h"
#include "storage/user_groups.h"
#include "storage/users.h"

namespace tandem::http::scim {

inline constexpr std::string_view kMediaType = "application/scim+json";
inline constexpr std::string_view kErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";
inline constexpr std::string_view kListSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

struct UserInput {
  std::string user_name;  // the sign-in e-mail
  std::string name;
  std::optional<bool> active;  // absent: as it is (a new person is active)
  std::optional<std::string> external_id;
  std::vector<storage::Identity> other_emails;
  std::vector<storage::Identity> phones;
  std::optional<std::string> language;   // en or zh-CN when the provider's says which
  std::optional<std::string> time_zone;  // when the provider's is a known zone
  std::optional<std::string> password;
};

struct GroupInput {
  std::string name;
  std::optional<std::string> external_id;
  std::vector<std::string> member_ids;
};

Json user_resource(const storage::User& user);
Json group_resource(const storage::UserGroup& group);
// invalid_argument with the slug `invalidValue` naming every problem.
Result<UserInput> user_input(const Json& resource);
Result<GroupInput> group_input(const Json& resource);

// `W/"<version>"`, as meta.version and the ETag header carry it.
std::string version_tag(std::int64_t version);

// The body of a SCIM request: application/scim+json or application/json, one JSON object.
Result<Json> request_body(const Request& request);
Response resource_response(int status, const Json& resource);
// ListResponse of one page; `start_index` is 1-based.
Response list_response(const std::vector<Json>& page, std::int64_t total, std::int64_t start_index);
// The SCIM error schema (RFC 7644 §3.12) with its status (the error's own unless given) and,
// where one fits, its scimType.
Response error_response(const Error& error, std::optional<int> status = std::nullopt);
// `attributes` / `excludedAttributes` of a request applied to a resource (id and schemas stay).
void project(Json& resource, const Request& request);

}  // namespace tandem::http::scim
