#include "usecase/catalog_definitions.h"

#include "core/id.h"

namespace tandem::usecase::catalog_definitions {

// A translatable text as sent: a string in the writer's language, or an object by language.
std::optional<LocalizedText> text_of(const Json& v, const std::string& field, std::string_view language, std::size_t max,
                                     Problems& p) {
  std::vector<std::pair<std::string, std::string>> translations;
  if (v.is_string()) translations.emplace_back(std::string(language), v.get<std::string>());
  else if (v.is_object()) {
    for (const auto& [lang, text] : v.items()) {
      if (text.is_string()) translations.emplace_back(lang, text.get<std::string>());
      else p.add(field + "." + lang, "must be a string");
    }
  } else {
    p.add(field, "must be a string or an object of texts by language, such as {\"en\": \"…\", \"zh-CN\": \"…\"}");
    return std::nullopt;
  }
  auto made = LocalizedText::make(field, std::move(translations), max);
  if (made) return std::move(*made);
  for (const auto& d : made.error().details) p.add(d.field, d.problem);
  return std::nullopt;
}

// An optional text: absent, null or {} is none.
LocalizedText optional_text(const Json& def, const char* key, std::string_view language, std::size_t max, Problems& p) {
  auto it = def.find(key);
  if (it == def.end() || it->is_null() || (it->is_object() && it->empty())) return {};
  return text_of(*it, key, language, max, p).value_or(LocalizedText());
}

Json text_json(const LocalizedText& t) {
  Json out = Json::object();
  for (const auto& [lang, text] : t.translations()) out[lang] = text;
  return out;
}

LocalizedText stored_text(const Json& v) {
  std::vector<std::pair<std::string, std::string>> t;
  if (v.is_object())
    for (const auto& [lang, text] : v.items()) t.emplace_back(lang, text.get<std::string>());
  if (t.empty()) return {};
  return LocalizedText::make("", std::move(t), SIZE_MAX).value_or(LocalizedText());
}

// A patch of translatable texts merges per language: a string is the writer's language.
Json text_patch(Json patch, std::string_view language) {
  for (auto key : kTextFields)
    if (auto it = patch.find(key); it != patch.end() && it->is_string()) *it = Json{{std::string(language), it->get<std::string>()}};
  return patch;
}

void take_order_and_active(Json& body, storage::StoredDefinition& d, Problems& p) {
  if (auto it = body.find("order"); it != body.end()) {
    if (it->is_number_integer() && it->get<std::int64_t>() >= 0 && it->get<std::int64_t>() <= 1'000'000) d.position = it->get<std::int64_t>();
    else p.add("order", "must be a whole number from 0 to 1000000");
    body.erase(it);
  }
  if (auto it = body.find("active"); it != body.end()) {
    if (it->is_boolean()) d.active = it->get<bool>();
    else p.add("active", "must be true or false");
    body.erase(it);
  }
}

std::optional<Money> money_of(const Json& v, const std::string& field, Problems& p) {
  std::optional<Money> out;
  if (v.is_string()) {
    if (auto m = Money::parse(v.get<std::string>())) out = *m;
  }
  if (!out || *out < Money()) {
    p.add(field, "must be an amount of at least 0 written as a string, such as \"12.50\"");
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> id_field(const Json& def, const char* key, Problems& p) {
  auto it = def.find(key);
  if (it == def.end() || it->is_null()) return std::nullopt;
  if (it->is_string() && !it->get<std::string>().empty()) return it->get<std::string>();
  p.add(key, "must be an id");
  return std::nullopt;
}

namespace {

bool names_at(const Json& at, std::string_view path, std::string_view id) {
  if (path.empty()) {
    if (at.is_array()) return std::any_of(at.begin(), at.end(), [&](const Json& e) { return e.is_string() && e.get<std::string>() == id; });
    return at.is_string() && at.get<std::string>() == id;
  }
  auto slash = path.find('/');
  auto key = path.substr(0, slash);
  auto rest = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  if (key == "*")
    return at.is_array() && std::any_of(at.begin(), at.end(), [&](const Json& e) { return names_at(e, rest, id); });
  if (!at.is_object()) return false;
  auto it = at.find(std::string(key));
  return it != at.end() && names_at(*it, rest, id);
}

}  // namespace

Result<std::optional<storage::StoredDefinition>> first_naming(storage::Connection& c, Kind kind, std::string_view id,
                                                              std::initializer_list<std::string_view> paths) {
  ASSIGN_OR_RETURN(auto all, storage::definitions::all(c, kind));
  for (auto& d : all) {
    auto def = Json::parse(d.definition, nullptr, false);
    if (std::any_of(paths.begin(), paths.end(), [&](std::string_view path) { return names_at(def, path, id); }))
      return std::optional(std::move(d));
  }
  return std::optional<storage::StoredDefinition>();
}

Result<void> remove_definition(storage::Connection& c, const Services& s, const Actor& actor, Kind kind, const char* type,
                               const storage::StoredDefinition& stored) {
  TRY(storage::definitions::remove(c, kind, stored.id));
  return record(c, s, actor, {std::string(type) + ".delete", type, stored.id, actor.organization_id, storage::canonical(kind, stored),
                              std::nullopt});
}

Result<storage::StoredDefinition> load_current(storage::Connection& c, Kind kind, std::string_view id, std::int64_t expected_version,
                                               const char* missing) {
  ASSIGN_OR_RETURN(auto stored, load_definition(c, kind, id, missing));
  if (stored.version != expected_version) return fail(Code::failed_precondition, "It was changed by someone else; reload it.");
  return stored;
}

storage::StoredDefinition new_definition(const Services& s, const char* prefix) {
  auto now = to_millis(s.clock.now());
  return storage::StoredDefinition{new_id(prefix, s.clock.now()), 0, "", "{}", true, 1, now, now};
}


}  // namespace tandem::usecase::catalog_definitions
