#include <map>
#include <string>

#include "http/routes.h"

namespace tandem::http_data {
const std::map<std::string, std::string_view>& embedded_files();
}

namespace tandem::http {
std::string_view openapi_document() { return http_data::embedded_files().at("openapi.json"); }
}  // namespace tandem::http
