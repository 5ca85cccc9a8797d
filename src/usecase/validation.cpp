#include "usecase/validation.h"

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

}  // namespace tandem::usecase
