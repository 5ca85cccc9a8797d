// The web UI's files from TANDEM_WEB_DIR: correct types, long caching for content-hashed assets,
// revalidation for index.html, and index.html for client-side routes.
#pragma once

#include <optional>
#include <string>

#include "http/message.h"

namespace tandem::http {

std::string_view content_type_for(std::string_view path);
// nullopt when `web_dir` is empty or the path is not the UI's.
std::optional<Response> serve_static(const std::string& web_dir, const Request& request);

}  // namespace tandem::http
