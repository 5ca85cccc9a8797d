// What the use cases of calendars and SLA policies share (internal to usecase/): reading the
// stored definitions of one kind, and the JSON object of an input's definition fields.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/definitions.h"
#include "usecase/context.h"
#include "usecase/validation.h"

namespace tandem::usecase {

// not_found with `missing` when there is no definition of the kind with the id.
inline Result<storage::StoredDefinition> load_definition(storage::Connection& c, storage::DefinitionKind kind, std::string_view id,
                                                         const char* missing) {
  ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, kind, id));
  if (!found) return fail(Code::not_found, missing);
  return std::move(*found);
}

// Every definition of the kind in order, each as `view_of` makes it, for one allowed to `action`.
template <class ViewOf>
auto list_definitions(const Services& s, const identity::Actor& actor, std::string_view action, storage::DefinitionKind kind,
                      ViewOf view_of) -> Result<std::vector<decltype(view_of(storage::StoredDefinition{}))>> {
  using View = decltype(view_of(storage::StoredDefinition{}));
  TRY(authorize(actor, action));
  return s.db.read([&](storage::Connection& c) -> Result<std::vector<View>> {
    ASSIGN_OR_RETURN(auto stored, storage::definitions::all(c, kind));
    std::vector<View> out;
    out.reserve(stored.size());
    for (auto& d : stored) out.push_back(view_of(std::move(d)));
    return out;
  });
}

// One definition as `view_of` makes it, for one allowed to `action`.
template <class ViewOf>
auto get_definition(const Services& s, const identity::Actor& actor, std::string_view action, storage::DefinitionKind kind,
                    std::string_view id, const char* missing, ViewOf view_of) -> Result<decltype(view_of(storage::StoredDefinition{}))> {
  using View = decltype(view_of(storage::StoredDefinition{}));
  TRY(authorize(actor, action));
  return s.db.read([&](storage::Connection& c) -> Result<View> {
    ASSIGN_OR_RETURN(auto stored, load_definition(c, kind, id, missing));
    return view_of(std::move(stored));
  });
}

// The fields of a request as a JSON object; a "body" problem when they are not one.
inline nlohmann::json fields_object(const std::string& text, Problems& p) {
  auto fields = nlohmann::json::parse(text, nullptr, false);
  if (fields.is_object()) return fields;
  p.add("body", "must be a JSON object");
  return nlohmann::json::object();
}

}  // namespace tandem::usecase
