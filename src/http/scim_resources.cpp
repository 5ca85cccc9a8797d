#include "http/scim_resources.h"

#include <algorithm>
#include <set>

#include "domain/identity/identity.h"
#include "http/dto.h"
#include "usecase/directory.h"

namespace tandem::http::scim {
namespace {

Json meta(std::string_view type, std::string_view collection, const std::string& id, std::int64_t created,
          std::int64_t modified, std::int64_t version) {
  return {{"resourceType", type},
          {"created", time_text(created)},
          {"lastModified", time_text(modified)},
          {"location", "/scim/v2/" + std::string(collection) + "/" + id},
          {"version", version_tag(version)}};
}

// A string attribute, or nullopt when absent or null; anything else is a problem.
std::optional<std::string> text_at(const Json& resource, std::string_view name, std::vector<FieldProblem>& problems) {
  const Json* v = member(resource, name);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    problems.push_back({std::string(name), "must be a string"});
    return std::nullopt;
  }
  return v->get<std::string>();
}

// The `value` and `type` of each element of a multi-valued attribute.
std::vector<std::pair<std::string, std::string>> values_of(const Json& resource, std::string_view name,
                                                           std::vector<FieldProblem>& problems) {
  std::vector<std::pair<std::string, std::string>> out;
  const Json* list = member(resource, name);
  if (!list || list->is_null()) return out;
  if (!list->is_array()) {
    problems.push_back({std::string(name), "must be a list"});
    return out;
  }
  for (const auto& element : *list) {
    const Json* v = element.is_object() ? member(element, "value") : nullptr;
    if (!v || !v->is_string()) {
      problems.push_back({std::string(name), "each element needs a string value"});
      continue;
    }
    const Json* type = member(element, "type");
    std::string label = type && type->is_string() ? lower_case(type->get<std::string>()) : "";
    if (label.size() > 40) label.clear();
    out.emplace_back(v->get<std::string>(), std::move(label));
  }
  return out;
}

std::optional<std::string> language_of(const std::string& tag) {
  auto t = lower_case(tag);
  if (t.starts_with("zh")) return "zh-CN";
  if (t.starts_with("en")) return "en";
  return std::nullopt;
}

Result<void> problems_or_ok(std::vector<FieldProblem> problems) {
  if (problems.empty()) return {};
  Error e(Code::invalid_argument, "Some attributes are invalid.", "invalidValue");
  e.details = std::move(problems);
  return fail(std::move(e));
}

const std::set<std::string, std::less<>> kScimTypes = {"invalidFilter", "tooMany", "uniqueness", "mutability", "invalidSyntax",
                                                       "invalidPath", "noTarget", "invalidValue", "invalidVers", "sensitive"};

}  // namespace

std::string version_tag(std::int64_t version) { return "W/\"" + std::to_string(version) + "\""; }

Json user_resource(const storage::User& u) {
  Json emails = Json::array();
  Json phones = Json::array();
  for (const auto& i : u.identities) {
    if (i.kind == "email") {
      bool primary = i.value == u.email;
      auto type = !i.label.empty() ? i.label : primary ? "work" : "other";
      emails.push_back({{"value", i.value}, {"type", type}, {"primary", primary}});
    } else if (i.kind == "phone") {
      phones.push_back({{"value", i.value}, {"type", i.label.empty() ? "mobile" : i.label}});
    }
  }
  Json r = {{"schemas", {kUserSchema}},
            {"id", u.id},
            {"userName", u.email},
            {"name", {{"formatted", u.name}}},
            {"displayName", u.name},
            {"active", u.active},
            {"emails", std::move(emails)},
            {"preferredLanguage", u.language},
            {"locale", u.language == "zh-CN" ? "zh-CN" : "en-US"},
            {"timezone", u.time_zone},
            {"meta", meta("User", "Users", u.id, u.created_at, u.updated_at, u.version)}};
  if (!phones.empty()) r["phoneNumbers"] = std::move(phones);
  if (u.external_id) r["externalId"] = *u.external_id;
  return r;
}

Json group_resource(const storage::UserGroup& g) {
  Json members = Json::array();
  for (const auto& id : g.member_ids) members.push_back({{"value", id}, {"type", "User"}, {"$ref", "/scim/v2/Users/" + id}});
  Json r = {{"schemas", {kGroupSchema}},
            {"id", g.id},
            {"displayName", g.name},
            {"members", std::move(members)},
            {"meta", meta("Group", "Groups", g.id, g.created_at, g.updated_at, g.version)}};
  if (g.external_id) r["externalId"] = *g.external_id;
  return r;
}

Result<UserInput> user_input(const Json& resource) {
  std::vector<FieldProblem> problems;
  if (!resource.is_object()) TRY(problems_or_ok({{"body", "must be a User resource"}}));
  UserInput in;
  auto user_name = text_at(resource, "userName", problems);
  if (!user_name || user_name->empty()) {
    problems.push_back({"userName", "is required"});
  } else if (!identity::normalize_email(*user_name)) {
    problems.push_back({"userName", "must be the person's e-mail address (people sign in to Tandem by e-mail)"});
  } else {
    in.user_name = *user_name;
  }
  auto primary = identity::normalize_email(in.user_name).value_or("");
  std::set<std::string> seen{primary};
  for (const auto& [address, type] : values_of(resource, "emails", problems)) {
    auto normalized = identity::normalize_email(address);
    if (!normalized) problems.push_back({"emails", "not an e-mail address: " + address});
    else if (seen.insert(*normalized).second) in.other_emails.push_back({"email", address, *normalized, type});
  }
  std::set<std::string> seen_phones;
  for (const auto& [number, type] : values_of(resource, "phoneNumbers", problems)) {
    auto normalized = identity::normalize_phone(number);
    if (!normalized) problems.push_back({"phoneNumbers", "not a phone number: " + number});
    else if (seen_phones.insert(*normalized).second) in.phones.push_back({"phone", number, *normalized, type});
  }

  auto display = text_at(resource, "displayName", problems);
  std::optional<std::string> formatted, given, family;
  if (const Json* name = member(resource, "name"); name && !name->is_null()) {
    if (!name->is_object()) problems.push_back({"name", "must be an object"});
    else {
      formatted = text_at(*name, "formatted", problems);
      given = text_at(*name, "givenName", problems);
      family = text_at(*name, "familyName", problems);
    }
  }
  auto joined = (given.value_or("") + " " + family.value_or(""));
  joined.erase(0, joined.find_first_not_of(' '));
  joined.erase(joined.find_last_not_of(' ') + 1);
  if (display && !display->empty()) in.name = *display;
  else if (formatted && !formatted->empty()) in.name = *formatted;
  else if (!joined.empty()) in.name = joined;
  else in.name = in.user_name;

  // Entra ID sends booleans as "True"/"False" in places.
  if (const Json* active = member(resource, "active"); active && !active->is_null()) {
    if (active->is_boolean()) in.active = active->get<bool>();
    else if (active->is_string() && (lower_case(active->get<std::string>()) == "true" || lower_case(active->get<std::string>()) == "false"))
      in.active = lower_case(active->get<std::string>()) == "true";
    else problems.push_back({"active", "must be true or false"});
  }
  in.external_id = text_at(resource, "externalId", problems);
  if (in.external_id && in.external_id->empty()) in.external_id.reset();
  for (auto field : {"preferredLanguage", "locale"})
    if (auto tag = text_at(resource, field, problems); tag && !in.language) in.language = language_of(*tag);
  if (auto zone = text_at(resource, "timezone", problems); zone && usecase::is_known_time_zone(*zone)) in.time_zone = zone;
  in.password = text_at(resource, "password", problems);
  TRY(problems_or_ok(std::move(problems)));
  return in;
}

Result<GroupInput> group_input(const Json& resource) {
  std::vector<FieldProblem> problems;
  if (!resource.is_object()) TRY(problems_or_ok({{"body", "must be a Group resource"}}));
  GroupInput in;
  auto name = text_at(resource, "displayName", problems);
  if (!name || name->empty()) problems.push_back({"displayName", "is required"});
  else in.name = *name;
  in.external_id = text_at(resource, "externalId", problems);
  if (in.external_id && in.external_id->empty()) in.external_id.reset();
  for (auto& [id, type] : values_of(resource, "members", problems)) in.member_ids.push_back(std::move(id));
  std::sort(in.member_ids.begin(), in.member_ids.end());
  in.member_ids.erase(std::unique(in.member_ids.begin(), in.member_ids.end()), in.member_ids.end());
  TRY(problems_or_ok(std::move(problems)));
  return in;
}

Result<Json> request_body(const Request& request) {
  auto type = lower_case(request.header("content-type"));
  auto media = type.substr(0, type.find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  if (media != kMediaType && media != "application/json")
    return fail(Code::unsupported_media, "Send application/scim+json.");
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return fail(Code::malformed, "The body is not a JSON object (or not valid UTF-8).", "invalidSyntax");
  return body;
}

Response resource_response(int status, const Json& resource) {
  Response r;
  r.status = status;
  r.content_type = std::string(kMediaType);
  r.body = resource.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (const Json* m = member(resource, "meta"))
    if (const Json* v = member(*m, "version"); v && v->is_string()) r.set_header("ETag", v->get<std::string>());
  return r;
}

Response list_response(const std::vector<Json>& page, std::int64_t total, std::int64_t start_index) {
  Json body = {{"schemas", {kListSchema}},
               {"totalResults", total},
               {"startIndex", start_index},
               {"itemsPerPage", page.size()},
               {"Resources", page}};
  Response r;
  r.content_type = std::string(kMediaType);
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

Response error_response(const Error& error, std::optional<int> status_given) {
  int status = status_given ? *status_given : error.code == Code::invalid_argument ? 400 : status_of(error.code);
  std::string scim_type;
  if (kScimTypes.count(error.slug)) scim_type = error.slug;
  else if (error.code == Code::conflict && error.slug == "identity_taken") scim_type = "uniqueness";
  else if (error.code == Code::invalid_argument) scim_type = "invalidValue";
  else if (error.code == Code::malformed) scim_type = "invalidSyntax";
  std::string detail = error.code == Code::internal ? "Something went wrong on our side." : error.message;
  for (std::size_t i = 0; i < error.details.size(); ++i)
    detail += (i ? "; " : " ") + error.details[i].field + ": " + error.details[i].problem;
  Json body = {{"schemas", {kErrorSchema}}, {"status", std::to_string(status)}, {"detail", detail}};
  if (!scim_type.empty()) body["scimType"] = scim_type;
  Response r;
  r.status = status;
  r.content_type = std::string(kMediaType);
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (status == 401) r.set_header("WWW-Authenticate", "Bearer realm=\"scim\"");
  if (error.code == Code::rate_limited) r.set_header("Retry-After", std::to_string(std::max(1, error.retry_after_seconds)));
  return r;
}

void project(Json& resource, const Request& request) {
  auto names = [&](const std::string& parameter) {
    std::set<std::string> out;
    auto value = request.query_value(parameter);
    if (!value) return out;
    std::size_t start = 0;
    while (start <= value->size()) {
      auto comma = value->find(',', start);
      auto item = value->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      auto path = parse_attribute_path(item);
      if (path) out.insert(lower_case(path->schema.empty() ? path->attribute : path->schema));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return out;
  };
  auto only = names("attributes");
  auto without = names("excludedAttributes");
  if (only.empty() && without.empty()) return;
  for (auto it = resource.begin(); it != resource.end();) {
    auto key = lower_case(it.key());
    bool always = key == "id" || key == "schemas";
    bool drop = !always && ((!only.empty() && !only.count(key)) || without.count(key));
    it = drop ? resource.erase(it) : std::next(it);
  }
}

}  // namespace tandem::http::scim
