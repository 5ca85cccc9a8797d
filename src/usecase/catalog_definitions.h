// What the catalog's use cases share (internal to usecase/): translatable texts as bodies send
// them (a string in the writer's language, or an object by language) and as they are stored,
// decimal amounts, and the create / patch / remove shape of a definition with its audit entry.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "domain/catalog/localized_text.h"
#include "domain/catalog/money.h"
#include "storage/definitions.h"
#include "usecase/context.h"
#include "usecase/definition_access.h"
#include "usecase/validation.h"

namespace tandem::usecase::catalog_definitions {

using Json = nlohmann::json;
using identity::Actor;
using Kind = storage::DefinitionKind;
using catalog::LocalizedText;
using catalog::Money;

// The translatable fields of the catalog's definitions.
inline constexpr std::array<std::string_view, 3> kTextFields = {"name", "description", "terms"};

// A body's text as sent; problems named "<field>.<language>".
std::optional<LocalizedText> text_of(const Json& v, const std::string& field, std::string_view language, std::size_t max, Problems& p);
// An optional text of a definition: absent, null or {} is none.
LocalizedText optional_text(const Json& def, const char* key, std::string_view language, std::size_t max, Problems& p);
// As stored: an object by language ({} for none).
Json text_json(const LocalizedText& t);
LocalizedText stored_text(const Json& v);
// A patch of translatable texts merges per language: a string is the writer's language.
Json text_patch(Json patch, std::string_view language);
// "order" and "active" of a body, taken into the definition's own columns.
void take_order_and_active(Json& body, storage::StoredDefinition& d, Problems& p);
// An amount of at least 0 written as a string.
std::optional<Money> money_of(const Json& v, const std::string& field, Problems& p);
// An id field: none when absent or null, a problem when not a non-empty string.
std::optional<std::string> id_field(const Json& def, const char* key, Problems& p);

// Every key of the body that is not `known` is a problem naming the fields there are.
template <std::size_t N>
void refuse_unknown(const Json& body, const std::array<std::string_view, N>& known, std::string_view what, Problems& p) {
  for (const auto& [key, _] : body.items())
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string list;
      for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      p.add(key, "is not a field of " + std::string(what) + "; fields: " + list);
    }
}

// The definition a body makes of `stored` (a new one's is {}): texts merged per language, order
// and active taken into their columns, unknown fields refused.
template <std::size_t N>
Json merged_definition(storage::StoredDefinition& stored, const std::string& body_json, const std::array<std::string_view, N>& known,
                       std::string_view what, std::string_view language, Problems& p) {
  auto body = text_patch(fields_object(body_json, p), language);
  refuse_unknown(body, known, what, p);
  take_order_and_active(body, stored, p);
  auto def = Json::parse(stored.definition);
  def.merge_patch(body);  // RFC 7396: null removes
  return def;
}

// A new definition with an id of the prefix, created now.
storage::StoredDefinition new_definition(const Services& s, const char* prefix);
// The stored definition, when its version is `expected_version` (failed_precondition otherwise).
Result<storage::StoredDefinition> load_current(storage::Connection& c, Kind kind, std::string_view id, std::int64_t expected_version,
                                               const char* missing);

// Writes of the three kinds share their shape: authorise, check, store, audit.
template <class View>
Result<View> insert_definition(storage::Connection& c, const Services& s, const Actor& actor, Kind kind, const char* type,
                               storage::StoredDefinition stored, View view) {
  TRY(storage::definitions::insert(c, kind, stored));
  TRY(record(c, s, actor, {std::string(type) + ".create", type, stored.id, actor.organization_id, std::nullopt,
                           storage::canonical(kind, stored)}));
  view.stored = std::move(stored);
  return view;
}

template <class View>
Result<View> update_definition(storage::Connection& c, const Services& s, const Actor& actor, Kind kind, const char* type,
                               storage::StoredDefinition stored, const std::string& before, View view) {
  stored.version += 1;
  stored.updated_at = to_millis(s.clock.now());
  TRY(storage::definitions::update(c, kind, stored));
  TRY(record(c, s, actor, {std::string(type) + ".update", type, stored.id, actor.organization_id, before,
                           storage::canonical(kind, stored)}));
  view.stored = std::move(stored);
  return view;
}

// The first definition of the kind that names `id` at one of `paths` — what keeps `id` from being
// removed. A path is a key path ("conditions/offering_tier", "tasks/*/team_id": `*` walks a list);
// it names the id when the value there is the id or a list holding it.
Result<std::optional<storage::StoredDefinition>> first_naming(storage::Connection& c, Kind kind, std::string_view id,
                                                              std::initializer_list<std::string_view> paths);

Result<void> remove_definition(storage::Connection& c, const Services& s, const Actor& actor, Kind kind, const char* type,
                               const storage::StoredDefinition& stored);

// A translatable kind of the catalog (services, request types, offerings, tiers): its table,
// its audit type, its id prefix, the fields of a body, how problems name it.
template <std::size_t N>
struct TranslatableKind {
  Kind kind;
  const char* type;     // "service"
  const char* prefix;   // "svc"
  const std::array<std::string_view, N>& fields;
  const char* what;     // "a service"
  const char* missing;  // "No such service."
  const char* manage;   // the action that creates, changes and removes them: "catalog.manage"
};

// Create and merge-patch of a translatable kind, for those allowed `k.manage`. `check(c, definition, p)`
// reads the whole merged definition into Result<std::optional<{definition, view}>>, adding
// every problem to p; the stored name is the English (or first) name of the checked definition.
template <class View, std::size_t N, class Check>
Result<View> create_translatable(const Services& s, const Actor& actor, const TranslatableKind<N>& k, const std::string& body,
                                 Check check) {
  TRY(authorize(actor, k.manage));
  return s.db.write([&](storage::Connection& c) -> Result<View> {
    Problems p;
    auto stored = new_definition(s, k.prefix);
    auto def = merged_definition(stored, body, k.fields, k.what, actor.language, p);
    ASSIGN_OR_RETURN(auto checked, check(c, def, p));
    if (p.any()) return fail(p.error());
    stored.name = std::string(stored_text(checked->definition.at("name")).in("en"));
    stored.definition = checked->definition.dump();
    return insert_definition(c, s, actor, k.kind, k.type, std::move(stored), std::move(checked->view));
  });
}

template <class View, std::size_t N, class Check>
Result<View> patch_translatable(const Services& s, const Actor& actor, const TranslatableKind<N>& k, std::string_view id,
                                std::int64_t expected_version, const std::string& body, Check check) {
  TRY(authorize(actor, k.manage));
  return s.db.write([&](storage::Connection& c) -> Result<View> {
    ASSIGN_OR_RETURN(auto stored, load_current(c, k.kind, id, expected_version, k.missing));
    auto before = storage::canonical(k.kind, stored);
    Problems p;
    auto def = merged_definition(stored, body, k.fields, k.what, actor.language, p);
    ASSIGN_OR_RETURN(auto checked, check(c, def, p));
    if (p.any()) return fail(p.error());
    stored.name = std::string(stored_text(checked->definition.at("name")).in("en"));
    stored.definition = checked->definition.dump();
    return update_definition(c, s, actor, k.kind, k.type, std::move(stored), before, std::move(checked->view));
  });
}

}  // namespace tandem::usecase::catalog_definitions
