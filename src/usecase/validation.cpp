#include "usecase/validation.h"

#include "usecase/json_conditions.h"

namespace tandem::usecase {

std::string trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

void check_text(Problems& p, const std::string& field, const std::string& value, std::size_t max) {
  if (trimmed(value).empty()) p.add(field, "must not be empty");
  else if (value.size() > max) p.add(field, "must be at most " + std::to_string(max) + " bytes");
}

std::vector<std::string> texts_in(const nlohmann::json& j, const std::string& prefix, const char* key, Problems& p,
                                  std::size_t max_items, std::size_t max_bytes) {
  std::vector<std::string> out;
  if (!j.contains(key)) return out;
  if (!j[key].is_array() || j[key].size() > max_items) {
    p.add(prefix + key, "must be an array of at most " + std::to_string(max_items) + " strings");
    return out;
  }
  for (const auto& v : j[key]) {
    if (!v.is_string() || trimmed(v.get<std::string>()).empty() || v.get<std::string>().size() > max_bytes)
      p.add(prefix + key, "each must be a string of 1 to " + std::to_string(max_bytes) + " bytes");
    else out.push_back(trimmed(v.get<std::string>()));
  }
  return out;
}

std::string user_flag_names() {
  std::string out;
  for (auto f : {identity::UserFlag::accessibility_needs, identity::UserFlag::priority_repair,
                 identity::UserFlag::third_party_bill_contact, identity::UserFlag::accessible_formats, identity::UserFlag::vip})
    out += (out.empty() ? "" : ", ") + std::string(identity::to_string(f));
  return out;
}

}  // namespace tandem::usecase
