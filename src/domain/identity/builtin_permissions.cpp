#include <map>
#include <string>
#include <string_view>

namespace tandem::domain_data {
const std::map<std::string, std::string_view>& embedded_files();
}

namespace tandem::identity {
std::string_view builtin_permissions_table() {
  return tandem::domain_data::embedded_files().at("identity/permissions.txt");
}
}  // namespace tandem::identity
