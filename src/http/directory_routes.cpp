#include "http/dto.h"
#include "http/routes.h"
#include "usecase/community.h"
#include "usecase/directory.h"
#include "usecase/groups.h"
#include "usecase/user_merge.h"

namespace tandem::http {
namespace {

template <class T, class Parse>
std::optional<std::vector<T>> parse_list(Fields& f, const std::string& field, Parse parse, std::string_view allowed) {
  auto words = f.texts(field);
  if (!words) return std::nullopt;
  std::vector<T> out;
  for (const auto& w : *words) {
    if (auto v = parse(w)) out.push_back(*v);
    else f.problem(field, "unknown value '" + w + "'; allowed: " + std::string(allowed));
  }
  return out;
}

// Phones and handles as identities; every malformed one is reported.
std::optional<std::vector<storage::Identity>> parse_identities(Fields& f, const std::string& field, const std::string& kind) {
  auto values = f.texts(field);
  if (!values) return std::nullopt;
  std::vector<storage::Identity> out;
  for (const auto& v : *values) {
    if (kind == "phone") {
      if (auto n = identity::normalize_phone(v)) out.push_back({kind, v, *n});
      else f.problem(field, "not a phone number: " + v);
    } else if (v.empty() || v.size() > 200) {
      f.problem(field, "each handle is 1 to 200 bytes");
    } else {
      out.push_back({kind, v, v});
    }
  }
  return out;
}

constexpr std::string_view kRoles = "admin, agent, specialist, relationship_manager, customer, user, representative, partner_user";
constexpr std::string_view kFlags = "accessibility_needs, priority_repair, third_party_bill_contact, accessible_formats, vip";

Result<storage::PageRequest> page_of(const Request& r) {
  ASSIGN_OR_RETURN(auto p, page_params(r));
  return storage::PageRequest{p.first, p.second};
}

}  // namespace

void register_directory_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  // Organisations -----------------------------------------------------------------------------
  router.add("GET", "/api/v1/organizations", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto page, page_of(r));
    ASSIGN_OR_RETURN(auto items, usecase::list_organizations(s, r.actor(), page));
    return list_response(items);
  });
  router.add("POST", "/api/v1/organizations", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "organization.create"));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"name"});
    auto name = f.text("name", true);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto org, usecase::create_organization(s, r.actor(), *name));
    return resource_response(201, org, "/api/v1/organizations");
  });
  router.add("GET", "/api/v1/organizations/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto org, usecase::get_organization(s, r.actor(), r.param("id")));
    return resource_response(200, org, "/api/v1/organizations");
  });
  router.add("PATCH", "/api/v1/organizations/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "organization.update"));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, {"name"});
    usecase::OrganizationPatch patch{f.text("name")};
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto org, usecase::update_organization(s, r.actor(), r.param("id"), version, patch));
    return resource_response(200, org, "/api/v1/organizations");
  });
  router.add("DELETE", "/api/v1/organizations/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::delete_organization(s, r.actor(), r.param("id")));
    return no_content();
  });

  // Users ---------------------------------------------------------------------------------------
  router.add("GET", "/api/v1/users", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto page, page_of(r));
    storage::UserFilter filter;
    filter.organization_id = r.query_value("organization_id").value_or("");
    Error e(Code::invalid_argument, "Some query parameters are invalid.");
    if (auto role = r.query_value("role")) {
      filter.role = identity::parse_role(*role);
      if (!filter.role) e.details.push_back({"role", "allowed: " + std::string(kRoles)});
    }
    if (auto active = r.query_value("active")) {
      if (*active == "true" || *active == "false") filter.active = *active == "true";
      else e.details.push_back({"active", "must be true or false"});
    }
    if (!e.details.empty()) return fail(std::move(e));
    ASSIGN_OR_RETURN(auto items, usecase::list_users(s, r.actor(), filter, page));
    return list_response(items);
  });
  router.add("POST", "/api/v1/users", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "user.create"));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"email", "name", "roles", "organization_id", "language", "time_zone", "flags", "password",
                    "represented_user_ids", "phones", "handles"});
    usecase::NewUser u;
    u.draft.email = f.text("email", true).value_or("");
    u.draft.name = f.text("name", true).value_or("");
    if (auto roles = parse_list<identity::Role>(f, "roles", identity::parse_role, kRoles)) u.draft.roles = *roles;
    else if (!body.contains("roles")) f.problem("roles", "is required");
    u.draft.organization_id = f.text("organization_id").value_or("");
    u.draft.language = f.text("language").value_or("en");
    u.draft.time_zone = f.text("time_zone").value_or("UTC");
    if (auto flags = parse_list<identity::UserFlag>(f, "flags", identity::parse_flag, kFlags)) u.draft.flags = *flags;
    u.draft.represented_user_ids = f.texts("represented_user_ids").value_or(std::vector<std::string>{});
    u.password = f.text("password");
    for (const auto& [field, kind] : {std::pair{"phones", "phone"}, std::pair{"handles", "handle"}})
      for (auto& i : parse_identities(f, field, kind).value_or(std::vector<storage::Identity>{}))
        u.extra_identities.push_back(std::move(i));
    TRY(f.finish(usecase::new_user_problems(u)));
    ASSIGN_OR_RETURN(auto user, usecase::create_user(s, r.actor(), u));
    return resource_response(201, user, "/api/v1/users");
  });
  router.add("GET", "/api/v1/users/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    auto user = usecase::get_user(s, r.actor(), r.param("id"));
    // COM-3: someone the caller may not read in full — another member of a community space —
    // has a public profile: name, level and badges, never e-mail or organisation.
    if (!user && user.error().code == Code::not_found) {
      ASSIGN_OR_RETURN(auto profile, usecase::public_profile(s, r.actor(), r.param("id")));
      return json_response(200, {{"id", profile.id},
                                 {"name", profile.name},
                                 {"points", profile.points},
                                 {"level", profile.level},
                                 {"badges", profile.badges},
                                 {"public_profile", true}});
    }
    if (!user) return std::unexpected(std::move(user).error());
    return resource_response(200, *user, "/api/v1/users");
  });
  router.add("PATCH", "/api/v1/users/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "user.update"));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, {"email", "name", "roles", "organization_id", "language", "time_zone", "flags", "represented_user_ids",
                    "active", "phones", "handles"});
    usecase::UserPatch p;
    p.email = f.text("email");
    p.name = f.text("name");
    p.language = f.text("language");
    p.time_zone = f.text("time_zone");
    p.organization_id = f.text("organization_id");
    p.roles = parse_list<identity::Role>(f, "roles", identity::parse_role, kRoles);
    p.flags = parse_list<identity::UserFlag>(f, "flags", identity::parse_flag, kFlags);
    p.represented_user_ids = f.texts("represented_user_ids");
    p.active = f.boolean("active");
    p.phones = parse_identities(f, "phones", "phone");
    p.handles = parse_identities(f, "handles", "handle");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto user, usecase::update_user(s, r.actor(), r.param("id"), version, p));
    return resource_response(200, user, "/api/v1/users");
  });
  router.add("DELETE", "/api/v1/users/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::deactivate_user(s, r.actor(), r.param("id")));
    return no_content();
  });
  // REL-1: the duplicate's tickets and identities move to this user; the duplicate is closed.
  router.add("POST", "/api/v1/users/{id}/merge", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"from_user_id"});
    auto from = f.text("from_user_id", true);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto merged, usecase::merge_users(s, r.actor(), r.param("id"), from.value_or("")));
    Response out = resource_response(200, merged.user, "/api/v1/users");
    auto json = Json::parse(out.body);
    json["merged"] = {{"from_user_id", *from}, {"tickets", merged.tickets}, {"identities", merged.identities}};
    out.body = json.dump();
    return out;
  });

  // Teams ---------------------------------------------------------------------------------------
  auto team_patch = [](Fields& f) {
    usecase::TeamPatch p;
    p.name = f.text("name");
    p.description = f.text("description");
    p.skills = f.texts("skills");
    p.languages = f.texts("languages");
    p.member_ids = f.texts("member_ids");
    p.lead_id = f.nullable_text("lead_id");
    return p;
  };
  router.add("GET", "/api/v1/teams", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto page, page_of(r));
    ASSIGN_OR_RETURN(auto items, usecase::list_teams(s, r.actor(), page));
    return list_response(items);
  });
  router.add("POST", "/api/v1/teams", signed_in, [&s, team_patch](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "team.create"));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"name", "description", "skills", "languages", "member_ids", "lead_id"});
    auto patch = team_patch(f);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto team, usecase::create_team(s, r.actor(), patch));
    return resource_response(201, team, "/api/v1/teams");
  });
  router.add("GET", "/api/v1/teams/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto team, usecase::get_team(s, r.actor(), r.param("id")));
    return resource_response(200, team, "/api/v1/teams");
  });
  router.add("PATCH", "/api/v1/teams/{id}", signed_in, [&s, team_patch](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "team.update"));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, {"name", "description", "skills", "languages", "member_ids", "lead_id"});
    auto patch = team_patch(f);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto team, usecase::update_team(s, r.actor(), r.param("id"), version, patch));
    return resource_response(200, team, "/api/v1/teams");
  });
  router.add("DELETE", "/api/v1/teams/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::delete_team(s, r.actor(), r.param("id")));
    return no_content();
  });

  // Groups of a customer's people ---------------------------------------------------------------
  auto group_patch = [](Fields& f) {
    usecase::GroupPatch p;
    p.organization_id = f.text("organization_id");
    p.name = f.text("name");
    p.description = f.text("description");
    p.external_id = f.nullable_text("external_id");
    p.member_ids = f.texts("member_ids");
    return p;
  };
  router.add("GET", "/api/v1/groups", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(known_query_parameters(r, {"organization_id", "limit", "cursor"}));
    ASSIGN_OR_RETURN(auto page, page_of(r));
    ASSIGN_OR_RETURN(auto items, usecase::list_groups(s, r.actor(), r.query_value("organization_id"), page));
    return list_response(items);
  });
  router.add("POST", "/api/v1/groups", signed_in, [&s, group_patch](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "group.manage"));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"organization_id", "name", "description", "external_id", "member_ids"});
    auto patch = group_patch(f);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto group, usecase::create_group(s, r.actor(), patch));
    return resource_response(201, group, "/api/v1/groups");
  });
  router.add("GET", "/api/v1/groups/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto group, usecase::get_group(s, r.actor(), r.param("id")));
    return resource_response(200, group, "/api/v1/groups");
  });
  router.add("PATCH", "/api/v1/groups/{id}", signed_in, [&s, group_patch](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "group.manage"));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, {"organization_id", "name", "description", "external_id", "member_ids"});
    auto patch = group_patch(f);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto group, usecase::update_group(s, r.actor(), r.param("id"), version, patch));
    return resource_response(200, group, "/api/v1/groups");
  });
  router.add("DELETE", "/api/v1/groups/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::delete_group(s, r.actor(), r.param("id")));
    return no_content();
  });
}

}  // namespace tandem::http
