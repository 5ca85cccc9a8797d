// A setting kept as one JSON object with an optimistic version, as organisation settings read and
// written through If-Match are (ONB-13 provisioning, OFF-1 retention).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "storage/settings.h"

namespace tandem::usecase {

struct JsonSetting {
  nlohmann::json value = nlohmann::json::object();  // empty when never saved or unreadable
  std::int64_t version = 1;                          // as an ETag shows it: 1 before it is first saved
};

inline Result<JsonSetting> read_json_setting(storage::Connection& c, const std::string& name) {
  ASSIGN_OR_RETURN(auto stored, storage::settings::get(c, name));
  JsonSetting out;
  out.version = stored.version + 1;
  if (stored.version == 0) return out;
  auto j = nlohmann::json::parse(stored.value, nullptr, false);
  if (j.is_object()) out.value = std::move(j);
  return out;
}

// failed_precondition, with `changed`, when the stored version is not `expected_version`.
inline Result<void> write_json_setting(storage::Connection& c, const std::string& name, const nlohmann::json& value,
                                       std::int64_t expected_version, std::int64_t now, const std::string& changed) {
  ASSIGN_OR_RETURN(auto before, read_json_setting(c, name));
  if (before.version != expected_version) return fail(Code::failed_precondition, changed);
  return storage::settings::put(c, {name, value.dump(), before.version, now}, before.version - 1);
}

}  // namespace tandem::usecase
