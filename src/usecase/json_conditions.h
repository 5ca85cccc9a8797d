// Reading the JSON lists of rule and policy conditions (DESK-2, DESK-3): every wrong entry is
// named with its field, so one answer lists all of them.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/identity/identity.h"
#include "usecase/validation.h"

namespace tandem::usecase {

// `j[key]`, when present, as a list of names each parsed by `parse`; problems name
// `prefix + key` and list what is `allowed`.
template <class E, class Parse>
std::vector<E> names_in(const nlohmann::json& j, const std::string& prefix, const char* key, Parse parse, Problems& p,
                        const std::string& allowed) {
  std::vector<E> out;
  if (!j.contains(key)) return out;
  if (!j[key].is_array()) {
    p.add(prefix + key, "must be an array of names");
    return out;
  }
  for (const auto& v : j[key]) {
    auto parsed = v.is_string() ? parse(v.get<std::string>()) : std::nullopt;
    if (parsed) out.push_back(*parsed);
    else p.add(prefix + key, "unknown value " + v.dump() + "; allowed: " + allowed);
  }
  return out;
}

// `j[key]`, when present, as a list of at most `max_items` non-blank strings of at most
// `max_bytes` each, trimmed.
std::vector<std::string> texts_in(const nlohmann::json& j, const std::string& prefix, const char* key, Problems& p,
                                  std::size_t max_items, std::size_t max_bytes);

// "accessibility_needs, priority_repair, …": the user flags (REL-6) for error messages.
std::string user_flag_names();

}  // namespace tandem::usecase
