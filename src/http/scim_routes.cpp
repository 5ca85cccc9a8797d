// ONB-13: SCIM 2.0 at /scim/v2 for an organisation's identity provider, and the SCIM tokens an
// administrator gives it (/api/v1/scim-tokens). Every SCIM answer — errors included — is
// application/scim+json in SCIM's own shapes; the directory's use cases do the work.
#include <algorithm>
#include <charconv>
#include <functional>

#include "core/log.h"

#include "http/dto.h"
#include "http/routes.h"
#include "http/scim_patch.h"
#include "http/scim_resources.h"
#include "usecase/directory.h"
#include "usecase/groups.h"
#include "usecase/offboarding.h"
#include "usecase/provisioning.h"

namespace tandem::http {
namespace {

using scim::Json;
using ScimHandler = std::function<Result<Response>(Request&, const identity::Actor&)>;

constexpr int kDefaultCount = 100;
constexpr int kMaxCount = 500;
constexpr int kScanChunk = 500;

Json to_json(const storage::ScimToken& t) {
  return {{"id", t.id}, {"organization_id", t.organization_id}, {"name", t.name}, {"created_by", t.created_by},
          {"created_at", time_text(t.created_at)}};
}

// Authenticates the SCIM token, runs the handler, and answers any failure in SCIM's error shape.
Handler scim_route(const usecase::Services& s, ScimHandler handler) {
  return [&s, handler = std::move(handler)](Request& r) -> Result<Response> {
    auto answer = [&]() -> Result<Response> {
      auto authorization = r.header("authorization");
      if (authorization.size() < 7 || !std::equal(authorization.begin(), authorization.begin() + 7, "bearer ",
                                                  [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; }))
        return fail(Code::unauthenticated, "A SCIM bearer token is required.");
      ASSIGN_OR_RETURN(auto provisioner, usecase::authenticate_scim(s, authorization.substr(7)));
      if (!provisioner) return fail(Code::unauthenticated, "The SCIM token is not valid.");
      try {
        return handler(r, *provisioner);
      } catch (const std::exception& e) {
        // A request no check foresaw: answered in SCIM's shape, and logged so that we foresee it.
        log_message(LogLevel::error, std::string("SCIM request failed: ") + e.what());
        return fail(Code::internal, "internal");
      }
    }();
    if (!answer) return scim::error_response(answer.error());
    return answer;
  };
}

// startIndex (1-based) and count of a list request.
struct Window {
  std::int64_t start = 1;
  int count = kDefaultCount;
};
Result<Window> window_of(const Request& r) {
  Window w;
  auto number = [&](const char* name, std::int64_t& out) -> Result<void> {
    auto v = r.query_value(name);
    if (!v) return {};
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc() || end != v->data() + v->size())
      return fail(Code::invalid_argument, std::string(name) + " must be an integer.", "invalidValue");
    return {};
  };
  std::int64_t count = kDefaultCount;
  TRY(number("startIndex", w.start));
  TRY(number("count", count));
  w.start = std::max<std::int64_t>(1, w.start);  // RFC 7644 §3.4.2.4: less than 1 means 1
  w.count = int(std::clamp<std::int64_t>(count, 0, kMaxCount));
  return w;
}

Result<std::optional<scim::Filter>> filter_of(const Request& r) {
  auto text = r.query_value("filter");
  if (!text || text->empty()) return std::nullopt;
  ASSIGN_OR_RETURN(auto f, scim::parse_filter(*text));
  return f;
}

// If-Match, when sent, must name the current version (RFC 7644 §3.14).
Result<void> check_if_match(const Request& r, std::int64_t version) {
  auto wanted = r.header("if-match");
  if (wanted.empty() || wanted == "*") return {};
  auto tag = scim::version_tag(version);
  if (wanted != tag && wanted != tag.substr(2)) return fail(Code::failed_precondition, "The resource was changed since that version.");
  return {};
}

// The people a filter can only match, found through an index: by id, e-mail or the provider's id.
// nullopt when the filter names none of those (every present person is then a candidate).
Result<std::optional<std::vector<storage::User>>> indexed_candidates(const usecase::Services& s, const identity::Actor& p,
                                                                    const scim::Filter& filter) {
  for (const auto& [attribute, value] : scim::required_equalities(filter)) {
    auto a = scim::lower_case(attribute);
    std::optional<storage::User> found;
    if (a == "id") {
      ASSIGN_OR_RETURN(found, usecase::present_person(s, p, value));
    } else if (a == "username" || a == "emails.value" || a == "emails") {
      ASSIGN_OR_RETURN(found, usecase::present_person_with_email(s, p, value));
    } else if (a == "externalid") {
      ASSIGN_OR_RETURN(found, usecase::present_person_with_external_id(s, p, value));
    } else {
      continue;
    }
    std::vector<storage::User> out;
    if (found) out.push_back(std::move(*found));
    return std::optional<std::vector<storage::User>>(std::move(out));
  }
  return std::nullopt;
}

Result<Response> list_users(const usecase::Services& s, const Request& r, const identity::Actor& p) {
  ASSIGN_OR_RETURN(auto w, window_of(r));
  ASSIGN_OR_RETURN(auto filter, filter_of(r));
  std::vector<Json> page;
  auto present = [&](Json resource) {
    scim::project(resource, r);
    page.push_back(std::move(resource));
  };
  if (!filter) {
    ASSIGN_OR_RETURN(auto people, usecase::present_people(s, p, w.start - 1, w.count));
    for (const auto& u : people.users) present(scim::user_resource(u));
    return scim::list_response(page, people.total, w.start);
  }
  // Matches are counted whole and the window taken from them, in the order people joined.
  std::int64_t total = 0;
  auto consider = [&](const storage::User& u) {
    auto resource = scim::user_resource(u);
    if (!scim::matches(*filter, resource)) return;
    ++total;
    if (total >= w.start && std::int64_t(page.size()) < w.count) present(std::move(resource));
  };
  ASSIGN_OR_RETURN(auto candidates, indexed_candidates(s, p, *filter));
  if (candidates) {
    for (const auto& u : *candidates) consider(u);
  } else {
    for (std::int64_t offset = 0;; offset += kScanChunk) {
      ASSIGN_OR_RETURN(auto chunk, usecase::present_people(s, p, offset, kScanChunk));
      for (const auto& u : chunk.users) consider(u);
      if (std::int64_t(chunk.users.size()) < kScanChunk) break;
    }
  }
  return scim::list_response(page, total, w.start);
}

Result<storage::User> present_or_404(const usecase::Services& s, const identity::Actor& p, const std::string& id) {
  ASSIGN_OR_RETURN(auto user, usecase::present_person(s, p, id));
  if (!user) return fail(Code::not_found, "No such user.");
  return std::move(*user);
}

// What changes from `user` to what the identity provider says it is now.
usecase::UserPatch patch_towards(const storage::User& user, const scim::UserInput& in) {
  usecase::UserPatch patch;
  if (in.user_name != user.email) patch.email = in.user_name;
  if (in.name != user.name) patch.name = in.name;
  if (in.active && *in.active != user.active) patch.active = in.active;
  if (in.language && *in.language != user.language) patch.language = in.language;
  if (in.time_zone && *in.time_zone != user.time_zone) patch.time_zone = in.time_zone;
  if (in.external_id != user.external_id) patch.external_id = in.external_id;
  auto keys_of = [](auto&& identities, std::string_view kind, std::string_view except) {
    std::vector<std::string> out;
    for (const auto& i : identities)
      if (i.kind == kind && i.normalized != except) out.push_back(i.normalized + "\n" + i.label);
    std::sort(out.begin(), out.end());
    return out;
  };
  auto primary = identity::normalize_email(in.user_name).value_or("");
  // A new primary address changes which of the others are "other": they are always written then.
  if (patch.email || keys_of(in.other_emails, "email", primary) != keys_of(user.identities, "email", primary))
    patch.other_emails = in.other_emails;
  if (keys_of(in.phones, "phone", "") != keys_of(user.identities, "phone", "")) patch.phones = in.phones;
  return patch;
}

// `active: false` starts the person's offboarding (OFF-1), which ends their access at once; when
// one is already under way the account is only deactivated again.
Result<Response> write_user(const usecase::Services& s, const identity::Actor& p, const storage::User& user,
                            const scim::UserInput& in) {
  auto patch = patch_towards(user, in);
  bool deactivating = patch.active && !*patch.active;
  if (deactivating) patch.active.reset();
  auto current = user;
  if (!patch.fields().empty()) {
    ASSIGN_OR_RETURN(current, usecase::update_user(s, p, user.id, user.version, patch));
  }
  if (deactivating) {
    auto started = usecase::start_user_offboarding(s, p, user.id, {"Deactivated by the identity provider (SCIM).", std::nullopt});
    if (!started && started.error().slug != "offboarding_open") return std::unexpected(started.error());
    if (!started) {
      usecase::UserPatch off;
      off.active = false;
      ASSIGN_OR_RETURN(current, usecase::update_user(s, p, user.id, current.version, off));
    } else {
      ASSIGN_OR_RETURN(current, present_or_404(s, p, user.id));
    }
  }
  return scim::resource_response(200, scim::user_resource(current));
}

// Every group of the provisioner's organisation, in id order (an organisation has few).
Result<std::vector<storage::UserGroup>> all_groups(const usecase::Services& s, const identity::Actor& p) {
  std::vector<storage::UserGroup> out;
  storage::PageRequest page{500, ""};
  for (;;) {
    ASSIGN_OR_RETURN(auto chunk, usecase::list_groups(s, p, p.organization_id, page));
    for (auto& g : chunk.items) out.push_back(std::move(g));
    if (!chunk.next_after) return out;
    page.after = *chunk.next_after;
  }
}

// SCIM's displayName is unique (409 uniqueness), as a group's name is in its organisation.
Result<void> check_unique_name(const usecase::Services& s, const identity::Actor& p, const std::string& name,
                               const std::string& except_id) {
  ASSIGN_OR_RETURN(auto groups, all_groups(s, p));
  for (const auto& g : groups)
    if (g.id != except_id && g.name == name)
      return fail(Code::conflict, "Another group of the organisation has this displayName.", "uniqueness");
  return {};
}

usecase::GroupPatch group_patch(const scim::GroupInput& in) {
  usecase::GroupPatch patch;
  patch.name = in.name;
  patch.external_id = in.external_id;
  patch.member_ids = in.member_ids;
  return patch;
}

// The discovery documents (RFC 7644 §4): what this service provider supports, as data.
const Json& service_provider_config() {
  static const Json doc = {
      {"schemas", {"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"}},
      {"documentationUri", "/api/v1/openapi.json"},
      {"patch", {{"supported", true}}},
      {"bulk", {{"supported", false}, {"maxOperations", 0}, {"maxPayloadSize", 0}}},
      {"filter", {{"supported", true}, {"maxResults", kMaxCount}}},
      {"changePassword", {{"supported", false}}},
      {"sort", {{"supported", false}}},
      {"etag", {{"supported", true}}},
      {"authenticationSchemes",
       {{{"type", "oauthbearertoken"},
         {"name", "SCIM token"},
         {"description", "A token an administrator creates for the organisation (POST /api/v1/scim-tokens)."},
         {"primary", true}}}},
      {"meta", {{"resourceType", "ServiceProviderConfig"}, {"location", "/scim/v2/ServiceProviderConfig"}}}};
  return doc;
}

Json attribute(std::string name, std::string type, bool multi, bool required, std::string mutability = "readWrite",
               std::string uniqueness = "none", Json sub = nullptr) {
  bool exact = name == "externalId" || name == "id";  // compared exactly, as the filters do
  Json a = {{"name", name},           {"type", type},         {"multiValued", multi}, {"required", required},
            {"caseExact", exact},     {"mutability", mutability}, {"returned", "default"}, {"uniqueness", uniqueness}};
  if (!sub.is_null()) a["subAttributes"] = std::move(sub);
  return a;
}

const Json& schemas() {
  static const Json doc = [] {
    Json multi_value = Json::array({attribute("value", "string", false, true), attribute("type", "string", false, false),
                                    attribute("primary", "boolean", false, false)});
    Json user = {{"id", scim::kUserSchema},
                 {"name", "User"},
                 {"description", "A person of the organisation"},
                 {"attributes",
                  {attribute("userName", "string", false, true, "readWrite", "server"),
                   attribute("externalId", "string", false, false),
                   attribute("displayName", "string", false, false),
                   attribute("name", "complex", false, false, "readWrite", "none",
                             Json::array({attribute("formatted", "string", false, false),
                                          attribute("givenName", "string", false, false),
                                          attribute("familyName", "string", false, false)})),
                   attribute("active", "boolean", false, false),
                   attribute("emails", "complex", true, false, "readWrite", "none", multi_value),
                   attribute("phoneNumbers", "complex", true, false, "readWrite", "none", multi_value),
                   attribute("preferredLanguage", "string", false, false),
                   attribute("locale", "string", false, false),
                   attribute("timezone", "string", false, false),
                   attribute("password", "string", false, false, "writeOnly")}},
                 {"meta", {{"resourceType", "Schema"}, {"location", "/scim/v2/Schemas/" + std::string(scim::kUserSchema)}}}};
    Json group = {{"id", scim::kGroupSchema},
                  {"name", "Group"},
                  {"description", "A group of the organisation's people"},
                  {"attributes",
                   {attribute("displayName", "string", false, true, "readWrite", "server"),
                    attribute("externalId", "string", false, false),
                    attribute("members", "complex", true, false, "readWrite", "none",
                              Json::array({attribute("value", "string", false, true, "immutable"),
                                           attribute("type", "string", false, false, "immutable")}))}},
                  {"meta", {{"resourceType", "Schema"}, {"location", "/scim/v2/Schemas/" + std::string(scim::kGroupSchema)}}}};
    return Json::array({user, group});
  }();
  return doc;
}

const Json& resource_types() {
  static const Json doc = Json::array(
      {{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:ResourceType"}},
        {"id", "User"},
        {"name", "User"},
        {"endpoint", "/Users"},
        {"schema", scim::kUserSchema},
        {"meta", {{"resourceType", "ResourceType"}, {"location", "/scim/v2/ResourceTypes/User"}}}},
       {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:ResourceType"}},
        {"id", "Group"},
        {"name", "Group"},
        {"endpoint", "/Groups"},
        {"schema", scim::kGroupSchema},
        {"meta", {{"resourceType", "ResourceType"}, {"location", "/scim/v2/ResourceTypes/Group"}}}}});
  return doc;
}

Response listed(const Json& items) {
  std::vector<Json> page(items.begin(), items.end());
  return scim::list_response(page, std::int64_t(page.size()), 1);
}

Result<Response> one_of(const Json& items, const std::string& id) {
  for (const auto& item : items)
    if (item["id"] == id) return scim::resource_response(200, item);
  return fail(Code::not_found, "No such resource: " + id);
}

Json provisioning_json(const usecase::ProvisioningSettings& settings) {
  Json roles = Json::array();
  for (const auto& g : settings.group_roles) roles.push_back({{"group", g.group}, {"role", identity::to_string(g.role)}});
  return {{"group_roles", roles},
          {"new_user_template_id", settings.new_user_template_id ? Json(*settings.new_user_template_id) : Json(nullptr)},
          {"version", settings.version},
          {"etag", etag_of(settings.version)}};
}

// ONB-13: the roles the organisation's groups give follow a change of members (or of a group's
// name). The group change is made; a role change that fails is logged and made at the next one.
void roles_follow_groups(const usecase::Services& s, const identity::Actor& p, const std::vector<std::string>& before,
                         const std::vector<std::string>& after) {
  std::vector<std::string> people = before;
  people.insert(people.end(), after.begin(), after.end());
  if (auto applied = usecase::apply_group_roles(s, p, people); !applied)
    log_message(LogLevel::error, "SCIM: roles from groups not applied: " + applied.error().message);
}

}  // namespace

void register_scim_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  // The identity provider authenticates with its SCIM token inside each handler (scim_route).
  const RouteOptions token{Auth::none, Csrf::exempt};

  // SCIM tokens --------------------------------------------------------------------------------
  RouteOptions shown_once{};
  shown_once.secret_field = "token";
  router.add("POST", "/api/v1/scim-tokens", shown_once, [&s](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "scim_token.manage"));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"organization_id", "name"});
    auto organization_id = f.text("organization_id", true);
    auto name = f.text("name");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto created, usecase::create_scim_token(s, r.actor(), *organization_id, name.value_or("SCIM")));
    auto out = to_json(created.token);
    out["token"] = created.secret;
    auto response = json_response(201, out);
    response.set_header("Location", "/api/v1/scim-tokens/" + created.token.id);
    return response;
  });
  router.add("GET", "/api/v1/scim-tokens", {}, [&s](Request& r) -> Result<Response> {
    TRY(known_query_parameters(r, {"organization_id"}));
    auto organization_id = r.query_value("organization_id");
    if (!organization_id) {
      Error e(Code::invalid_argument, "Some query parameters are invalid.");
      e.details.push_back({"organization_id", "is required"});
      return fail(std::move(e));
    }
    ASSIGN_OR_RETURN(auto tokens, usecase::list_scim_tokens(s, r.actor(), *organization_id));
    Json items = Json::array();
    for (const auto& t : tokens) items.push_back(to_json(t));
    return page_response(std::move(items), std::nullopt);
  });
  router.add("DELETE", "/api/v1/scim-tokens/{id}", {}, [&s](Request& r) -> Result<Response> {
    TRY(usecase::delete_scim_token(s, r.actor(), r.param("id")));
    return no_content();
  });

  // ONB-13: what the organisation's provisioning does beyond copying people.
  router.add("GET", "/api/v1/organizations/{id}/provisioning", {}, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto settings, usecase::get_provisioning_settings(s, r.actor(), r.param("id")));
    auto response = json_response(200, provisioning_json(settings));
    response.set_header("ETag", etag_of(settings.version));
    return response;
  });
  router.add("PUT", "/api/v1/organizations/{id}/provisioning", {}, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"group_roles", "new_user_template_id"});
    usecase::ProvisioningSettings in;
    if (auto template_id = f.nullable_text("new_user_template_id")) in.new_user_template_id = *template_id;
    if (body.contains("group_roles")) {
      const auto& list = body["group_roles"];
      if (!list.is_array()) f.problem("group_roles", "must be a list of {\"group\", \"role\"}");
      for (std::size_t i = 0; list.is_array() && i < list.size(); ++i) {
        const auto& g = list[i];
        auto field = "group_roles[" + std::to_string(i) + "]";
        auto role = g.is_object() && g.contains("role") && g["role"].is_string() ? identity::parse_role(g["role"].get<std::string>())
                                                                                : std::nullopt;
        if (!g.is_object() || !g.contains("group") || !g["group"].is_string() || !role)
          f.problem(field, "must be {\"group\": a group's name, \"role\": customer, user or representative}");
        else
          in.group_roles.push_back({g["group"].get<std::string>(), *role});
      }
    }
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto settings, usecase::set_provisioning_settings(s, r.actor(), r.param("id"), in, version));
    auto response = json_response(200, provisioning_json(settings));
    response.set_header("ETag", etag_of(settings.version));
    return response;
  });

  // Discovery ----------------------------------------------------------------------------------
  router.add("GET", "/scim/v2/ServiceProviderConfig", token, scim_route(s, [](Request&, const identity::Actor&) -> Result<Response> {
    return scim::resource_response(200, service_provider_config());
  }));
  router.add("GET", "/scim/v2/Schemas", token, scim_route(s, [](Request&, const identity::Actor&) -> Result<Response> {
    return listed(schemas());
  }));
  router.add("GET", "/scim/v2/Schemas/{id}", token, scim_route(s, [](Request& r, const identity::Actor&) {
    return one_of(schemas(), r.param("id"));
  }));
  router.add("GET", "/scim/v2/ResourceTypes", token, scim_route(s, [](Request&, const identity::Actor&) -> Result<Response> {
    return listed(resource_types());
  }));
  router.add("GET", "/scim/v2/ResourceTypes/{id}", token, scim_route(s, [](Request& r, const identity::Actor&) {
    return one_of(resource_types(), r.param("id"));
  }));

  // Users --------------------------------------------------------------------------------------
  router.add("GET", "/scim/v2/Users", token, scim_route(s, [&s](Request& r, const identity::Actor& p) {
    return list_users(s, r, p);
  }));
  router.add("POST", "/scim/v2/Users", token, scim_route(s, [&s](Request& r, const identity::Actor& p) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, scim::request_body(r));
    ASSIGN_OR_RETURN(auto in, scim::user_input(body));
    // Someone of the organisation deleted here before (and not erased yet) comes back as they were.
    ASSIGN_OR_RETURN(auto returning, usecase::bring_back_person(s, p, in.user_name));
    if (returning) {
      if (!in.active) in.active = true;
      ASSIGN_OR_RETURN(auto back, write_user(s, p, *returning, in));
      back.status = 201;
      back.set_header("Location", "/scim/v2/Users/" + returning->id);
      return back;
    }
    usecase::NewUser user;
    user.draft.email = in.user_name;
    user.draft.name = in.name;
    user.draft.roles = {identity::Role::user};
    user.draft.organization_id = p.organization_id;
    user.draft.language = in.language.value_or("en");
    user.draft.time_zone = in.time_zone.value_or("UTC");
    user.password = in.password;
    user.external_id = in.external_id;
    user.active = in.active.value_or(true);
    for (auto* list : {&in.other_emails, &in.phones})
      for (const auto& i : *list) user.extra_identities.push_back(i);
    ASSIGN_OR_RETURN(auto created, usecase::create_user(s, p, user));
    // The person exists whatever happens to their plan: a plan that cannot start is logged.
    if (auto plan = usecase::start_new_user_plan(s, p, created.id); !plan)
      log_message(LogLevel::error, "SCIM: the new_user plan of " + created.id + " did not start: " + plan.error().message);
    auto response = scim::resource_response(201, scim::user_resource(created));
    response.set_header("Location", "/scim/v2/Users/" + created.id);
    return response;
  }));
  router.add("GET", "/scim/v2/Users/{id}", token, scim_route(s, [&s](Request& r, const identity::Actor& p) -> Result<Response> {
    ASSIGN_OR_RETURN(auto user, present_or_404(s, p, r.param("id")));
    auto resource = scim::user_resource(user);
    scim::project(resource, r);
    return scim::resource_response(200, resource);
  }));
  router.add("PUT", "/scim/v2/Users/{id}", token, scim_route(s, [&s](Request& r, const identity::Actor& p) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, scim::request_body(r));
    ASSIGN_OR_RETURN(auto user, present_or_404(s, p, r.param("id")));
    TRY(check_if_match(r, user.version));
    ASSIGN_OR_RETURN(auto in, scim::user_input(body));
    return write_user(s, p, user, in);
  }));
  router.add("PATCH", "/scim/v2/Users/{id}", token, scim_route(s, [&s](Request& r, const identity::Actor& p) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, scim::request_body(r));
    ASSIGN_OR_RETURN(auto user, present_or_404(s, p, r.param("id")));
    TRY(check_if_match(r, user.version));
    auto resource = scim::user_resource(user);
    TRY(scim::apply_patch(resource, body));
    ASSIGN_OR_RETURN(auto in, scim::user_input(resource));
    return write_user(s, p, user, in);
  }));
  router.add("DELETE", "/scim/v2/Users/{id}", token, scim_route(s, [&s](Request& r, const identity::Actor& p) -> Result<Response> {
    TRY(usecase::remove_provisioned_person(s, p, r.param("id")));
    return no_content();
  }));

  // Groups -------------------------------------------------------------------------------------
  router.add("GET", "/scim/v2/Groups", token, scim_route(s, [&s](Request& r, const identity::Actor& p) -> Result<Response> {
    ASSIGN_OR_RETURN(auto w, window_of(r));
    ASSIGN_OR_RETURN(auto filter, filter_of(r));
    ASSIGN_OR_RETURN(auto groups, all_groups(s, p));
    std::vector<Json> page;
    std::int64_t total = 0;
    for (const auto& g : groups) {
      auto resource = scim::group_resource(g);
      if (filter && !scim::matches(*filter, resource)) continue;
      ++total;
      if (total < w.start || std::int64_t(page.size()) >= w.count) continue;
      scim::project(resource, r);
      page.push_back(std::move(resource));
    }
    return scim::list_response(page, total, w.start);
  }));
  router.add("POST", "/scim/v2/Groups", token, scim_route(s, [&s](Request& r, const identity::Actor& p) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, scim::request_body(r));
    ASSIGN_OR_RETURN(auto in, scim::group_input(body));
    TRY(check_unique_name(s, p, in.name, ""));
    auto patch = group_patch(in);
    patch.organization_id = p.organization_id;
    ASSIGN_OR_RETURN(auto group, usecase::create_group(s, p, patch));
    roles_follow_groups(s, p, group.member_ids, {});
    auto response = scim::resource_response(201, scim::group_resource(group));
    response.set_header("Location", "/scim/v2/Groups/" + group.id);
    return response;
  }));
  router.add("GET", "/scim/v2/Groups/{id}", token, scim_route(s, [&s](Request& r, const identity::Actor& p) -> Result<Response> {
    ASSIGN_OR_RETURN(auto group, usecase::get_group(s, p, r.param("id")));
    auto resource = scim::group_resource(group);
    scim::project(resource, r);
    return scim::resource_response(200, resource);
  }));
  router.add("PUT", "/scim/v2/Groups/{id}", token, scim_route(s, [&s](Request& r, const identity::Actor& p) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, scim::request_body(r));
    ASSIGN_OR_RETURN(auto group, usecase::get_group(s, p, r.param("id")));
    TRY(check_if_match(r, group.version));
    ASSIGN_OR_RETURN(auto in, scim::group_input(body));
    TRY(check_unique_name(s, p, in.name, group.id));
    ASSIGN_OR_RETURN(auto updated, usecase::update_group(s, p, group.id, group.version, group_patch(in)));
    roles_follow_groups(s, p, group.member_ids, updated.member_ids);
    return scim::resource_response(200, scim::group_resource(updated));
  }));
  router.add("PATCH", "/scim/v2/Groups/{id}", token, scim_route(s, [&s](Request& r, const identity::Actor& p) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, scim::request_body(r));
    ASSIGN_OR_RETURN(auto group, usecase::get_group(s, p, r.param("id")));
    TRY(check_if_match(r, group.version));
    auto resource = scim::group_resource(group);
    TRY(scim::apply_patch(resource, body));
    ASSIGN_OR_RETURN(auto in, scim::group_input(resource));
    TRY(check_unique_name(s, p, in.name, group.id));
    ASSIGN_OR_RETURN(auto updated, usecase::update_group(s, p, group.id, group.version, group_patch(in)));
    roles_follow_groups(s, p, group.member_ids, updated.member_ids);
    return scim::resource_response(200, scim::group_resource(updated));
  }));
  router.add("DELETE", "/scim/v2/Groups/{id}", token, scim_route(s, [&s](Request& r, const identity::Actor& p) -> Result<Response> {
    ASSIGN_OR_RETURN(auto group, usecase::get_group(s, p, r.param("id")));
    TRY(usecase::delete_group(s, p, group.id));
    roles_follow_groups(s, p, group.member_ids, {});
    return no_content();
  }));
}

}  // namespace tandem::http
