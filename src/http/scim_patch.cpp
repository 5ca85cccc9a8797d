#include "http/scim_patch.h"

#include <algorithm>
#include <optional>

namespace tandem::http::scim {
namespace {

enum class Op { add, replace, remove };

Error problem(std::string slug, std::string what) { return Error(Code::invalid_argument, std::move(what), std::move(slug)); }

struct PatchPath {
  AttributePath attribute;
  std::optional<Filter> filter;
  std::string sub;  // after a filter: `emails[type eq "work"].value`
};

Result<PatchPath> parse_path(std::string_view text) {
  auto invalid = [&] { return problem("invalidPath", "The path '" + std::string(text) + "' is not valid."); };
  PatchPath p;
  auto bracket = text.find('[');
  auto head = text.substr(0, bracket);
  auto attribute = parse_attribute_path(head);
  if (!attribute) return fail(invalid());
  p.attribute = std::move(*attribute);
  if (bracket == std::string_view::npos) return p;
  auto close = text.rfind(']');
  if (close == std::string_view::npos || close < bracket || !p.attribute.sub.empty()) return fail(invalid());
  ASSIGN_OR_RETURN(p.filter, parse_filter(text.substr(bracket + 1, close - bracket - 1)));
  auto rest = text.substr(close + 1);
  if (!rest.empty()) {
    if (rest[0] != '.') return fail(invalid());
    auto sub = parse_attribute_path(rest.substr(1));
    if (!sub || !sub->sub.empty() || !sub->schema.empty()) return fail(invalid());
    p.sub = sub->attribute;
  }
  return p;
}

// The member named `name` (any case), made null when missing.
Json& slot(Json& object, const std::string& name) {
  if (Json* found = member(object, name)) return *found;
  return object[name];
}

void erase(Json& object, std::string_view name) {
  for (auto it = object.begin(); it != object.end(); ++it)
    if (lower_case(it.key()) == lower_case(std::string(name))) {
      object.erase(it);
      return;
    }
}

// An element of a multi-valued attribute that a removal's value names: by its `value`, or whole.
bool same_element(const Json& element, const Json& named) {
  const Json* a = member(element, "value");
  const Json* b = member(named, "value");
  if (a && b) return *a == *b;
  return element == named;
}

void add_to(Json& target, const Json& value) {
  if (target.is_array()) {
    auto add_one = [&](const Json& v) {
      if (std::none_of(target.begin(), target.end(), [&](const Json& e) { return same_element(e, v); })) target.push_back(v);
    };
    if (value.is_array()) {
      for (const auto& v : value) add_one(v);
    } else {
      add_one(value);
    }
  } else if (target.is_object() && value.is_object()) {
    for (const auto& [k, v] : value.items()) slot(target, k) = v;
  } else {
    target = value;
  }
}

// The element a filter names when none matches: what its `attribute eq "text"` terms say.
Json element_from(const Filter& filter) {
  Json e = Json::object();
  for (const auto& [attribute, text] : required_equalities(filter))
    if (attribute.find('.') == std::string::npos) e[attribute] = text;
  return e;
}

Result<void> apply_at(Json& resource, Op op, const PatchPath& path, const Json* value) {
  Json* base = &resource;
  if (!path.attribute.schema.empty()) {
    if (op == Op::remove && !member(resource, path.attribute.schema)) return {};
    base = &slot(resource, path.attribute.schema);
    if (base->is_null()) *base = Json::object();
    if (!base->is_object()) return fail(problem("invalidPath", "The path names no attribute."));
  }
  const auto& name = path.attribute.attribute;
  if (!path.filter) {
    if (path.attribute.sub.empty()) {
      if (op == Op::remove) {
        Json* existing = member(*base, name);
        if (existing && existing->is_array() && value) {
          Json named = value->is_array() ? *value : Json::array({*value});
          Json kept = Json::array();
          for (const auto& e : *existing)
            if (std::none_of(named.begin(), named.end(), [&](const Json& n) { return same_element(e, n); })) kept.push_back(e);
          *existing = std::move(kept);
        } else {
          erase(*base, name);
        }
      } else if (op == Op::add) {
        Json& target = slot(*base, name);
        if (target.is_null() && !value->is_array()) {
          target = *value;
        } else {
          if (target.is_null()) target = Json::array();
          add_to(target, *value);
        }
      } else {
        slot(*base, name) = *value;
      }
      return {};
    }
    // `name.sub`: of a complex attribute, or of the primary (else the first) element of a
    // multi-valued one.
    Json* existing = member(*base, name);
    if (op == Op::remove) {
      if (!existing) return {};
      if (existing->is_array()) {
        for (auto& e : *existing)
          if (e.is_object()) erase(e, path.attribute.sub);
      } else if (existing->is_object()) {
        erase(*existing, path.attribute.sub);
      }
      return {};
    }
    if (existing && existing->is_array()) {
      if (existing->empty()) existing->push_back(Json::object());
      auto primary = std::find_if(existing->begin(), existing->end(), [](const Json& e) {
        const Json* p = member(e, "primary");
        return p && *p == true;
      });
      Json& element = primary != existing->end() ? *primary : existing->front();
      if (!element.is_object()) return fail(problem("invalidPath", "The path names no attribute."));
      slot(element, path.attribute.sub) = *value;
      return {};
    }
    Json& object = slot(*base, name);
    if (object.is_null()) object = Json::object();
    if (!object.is_object()) return fail(problem("invalidPath", "'" + name + "' has no sub-attributes."));
    slot(object, path.attribute.sub) = *value;
    return {};
  }

  // `name[filter]` or `name[filter].sub`
  Json* existing = member(*base, name);
  if (existing && (!existing->is_array() ||
                   std::any_of(existing->begin(), existing->end(), [](const Json& e) { return !e.is_object(); })))
    return fail(problem("invalidPath", "'" + name + "' does not hold complex values a filter can pick."));
  std::vector<std::size_t> hits;
  if (existing)
    for (std::size_t i = 0; i < existing->size(); ++i)
      if ((*existing)[i].is_object() && matches(*path.filter, (*existing)[i])) hits.push_back(i);
  if (op == Op::remove) {
    if (!existing) return {};
    if (path.sub.empty()) {
      for (auto i = hits.rbegin(); i != hits.rend(); ++i) existing->erase(*i);
    } else {
      for (auto i : hits) erase((*existing)[i], path.sub);
    }
    return {};
  }
  Json& list = slot(*base, name);
  if (list.is_null()) list = Json::array();
  if (hits.empty()) {
    // Identity providers replace `emails[type eq "work"].value` on people who have no such
    // address yet: the element the filter describes is made.
    Json element = path.sub.empty() ? *value : element_from(*path.filter);
    if (!path.sub.empty()) element[path.sub] = *value;
    if (!element.is_object()) return fail(problem("invalidValue", "The value of '" + name + "' must be an object."));
    list.push_back(std::move(element));
    return {};
  }
  for (auto i : hits) {
    if (!path.sub.empty()) {
      slot(list[i], path.sub) = *value;
    } else if (op == Op::replace) {
      list[i] = *value;
    } else {
      add_to(list[i], *value);
    }
  }
  return {};
}

Result<void> apply_one(Json& resource, const Json& operation) {
  if (!operation.is_object()) return fail(problem("invalidSyntax", "Each operation must be an object."));
  const Json* op_field = member(operation, "op");
  if (!op_field || !op_field->is_string()) return fail(problem("invalidSyntax", "An operation has no 'op'."));
  auto name = lower_case(op_field->get<std::string>());
  Op op;
  if (name == "add") op = Op::add;
  else if (name == "replace") op = Op::replace;
  else if (name == "remove") op = Op::remove;
  else return fail(problem("invalidSyntax", "Unknown operation '" + name + "'; allowed: add, replace, remove."));
  const Json* path_field = member(operation, "path");
  const Json* value = member(operation, "value");
  if (value && value->is_null()) value = nullptr;
  if (path_field && !path_field->is_null() && !path_field->is_string())
    return fail(problem("invalidSyntax", "An operation's path must be a string."));
  bool has_path = path_field && path_field->is_string() && !path_field->get<std::string>().empty();
  if (op != Op::remove && !value) return fail(problem("invalidSyntax", "'" + name + "' needs a value."));
  if (has_path) {
    ASSIGN_OR_RETURN(auto path, parse_path(path_field->get<std::string>()));
    return apply_at(resource, op, path, value);
  }
  if (op == Op::remove) return fail(problem("noTarget", "'remove' needs a path."));
  if (!value->is_object()) return fail(problem("invalidValue", "Without a path, the value must be an object of attributes."));
  for (const auto& [key, v] : value->items()) {
    // The core schema's attributes under its URN; an extension's under its own; a key that is a
    // path itself; or an attribute.
    if ((lower_case(key) == lower_case(kUserSchema) || lower_case(key) == lower_case(kGroupSchema)) && v.is_object()) {
      for (const auto& [inner_key, inner] : v.items()) {
        ASSIGN_OR_RETURN(auto path, parse_path(inner_key));
        TRY(apply_at(resource, op, path, &inner));
      }
      continue;
    }
    if (key.starts_with("urn:") && v.is_object() && (lower_case(key).ends_with(":user") || lower_case(key).ends_with(":group"))) {
      Json& extension = slot(resource, key);
      if (extension.is_null()) extension = Json::object();
      if (!extension.is_object()) return fail(problem("invalidValue", "'" + key + "' is not an extension's attributes."));
      for (const auto& [k, inner] : v.items()) slot(extension, k) = inner;
      continue;
    }
    ASSIGN_OR_RETURN(auto path, parse_path(key));
    TRY(apply_at(resource, op, path, &v));
  }
  return {};
}

}  // namespace

Result<void> apply_patch(Json& resource, const Json& body) {
  if (!body.is_object()) return fail(problem("invalidSyntax", "The body must be a PatchOp object."));
  if (const Json* schemas = member(body, "schemas")) {
    if (!schemas->is_array() || std::none_of(schemas->begin(), schemas->end(), [](const Json& s) {
          return s.is_string() && s.get<std::string>() == kPatchSchema;
        }))
      return fail(problem("invalidSyntax", "The schemas must name " + std::string(kPatchSchema) + "."));
  }
  const Json* operations = member(body, "Operations");
  if (!operations || !operations->is_array() || operations->empty())
    return fail(problem("invalidSyntax", "'Operations' must be a list of one or more operations."));
  if (operations->size() > 1000) return fail(problem("invalidSyntax", "At most 1000 operations at once."));
  Json working = resource;
  for (const auto& operation : *operations) TRY(apply_one(working, operation));
  resource = std::move(working);
  return {};
}

}  // namespace tandem::http::scim
