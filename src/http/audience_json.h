// KB-1, COM-1: an audience (who reads an article or a space) as JSON, both ways.
#pragma once

#include <algorithm>
#include <optional>

#include "http/json_body.h"
#include "usecase/knowledge.h"

namespace tandem::http {

inline Json audience_json(const knowledge::Audience& a) {
  Json roles = Json::array();
  for (auto role : a.roles) roles.push_back(identity::to_string(role));
  return {{"organization_ids", a.organization_ids}, {"roles", roles}, {"offering_ids", a.offering_ids}};
}

// The body's "audience" — {"organization_ids"?, "roles"?, "offering_ids"?} — as given (roles are
// checked by the use case with the rest); nullopt when absent or null; its shape's problems
// named under "audience.".
inline std::optional<usecase::AudienceInput> audience_of(Fields& f, const Json& body) {
  auto it = body.find("audience");
  if (it == body.end() || it->is_null()) return std::nullopt;
  usecase::AudienceInput a;
  if (!it->is_object()) {
    f.problem("audience", "must be an object with organization_ids, roles or offering_ids");
    return a;
  }
  for (const auto& [key, value] : it->items()) {
    if (key != "organization_ids" && key != "roles" && key != "offering_ids") {
      f.problem("audience." + key, "is not a field of an audience");
      continue;
    }
    if (!value.is_array() || !std::ranges::all_of(value, [](const Json& v) { return v.is_string(); })) {
      f.problem("audience." + key, "must be an array of strings");
      continue;
    }
    auto& into = key == "organization_ids" ? a.organization_ids : key == "roles" ? a.roles : a.offering_ids;
    for (const auto& v : value) into.push_back(v.get<std::string>());
  }
  return a;
}

}  // namespace tandem::http
