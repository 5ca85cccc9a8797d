#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace tandem::http {
namespace fs = std::filesystem;

std::string_view content_type_for(std::string_view path) {
  static const std::pair<std::string_view, std::string_view> types[] = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".gif", "image/gif"}, {".webp", "image/webp"},
      {".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".woff", "font/woff"}, {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"}, {".webmanifest", "application/manifest+json"},
  };
  for (auto [ext, type] : types)
    if (path.ends_with(ext)) return type;
  return "application/octet-stream";
}

std::optional<Response> serve_static(const std::string& web_dir, const Request& request) {
  if (web_dir.empty() || (request.method != "GET" && request.method != "HEAD")) return std::nullopt;
  if (request.path.starts_with("/api/") || request.path.starts_with("/scim/") || request.path.find('\0') != std::string::npos) return std::nullopt;
  for (const auto& segment : fs::path(request.path))
    if (segment == "..") return std::nullopt;
  std::error_code ec;
  fs::path root = fs::weakly_canonical(web_dir, ec);
  if (ec) return std::nullopt;
  std::string relative = request.path == "/" ? "index.html" : request.path.substr(1);
  fs::path file = fs::weakly_canonical(root / relative, ec);
  // Inside by path components, not by string prefix: "web-private" is not inside "web".
  auto relative_to_root = file.lexically_relative(root);
  bool inside = !ec && !relative_to_root.empty() && *relative_to_root.begin() != "..";
  bool client_route = false;
  if (!inside || !fs::is_regular_file(file, ec)) {
    // Paths without an extension are the single-page app's own routes.
    if (fs::path(relative).has_extension()) return std::nullopt;
    file = root / "index.html";
    client_route = true;
    if (!fs::is_regular_file(file, ec)) return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  Response r;
  r.body = content.str();
  r.content_type = std::string(content_type_for(file.string()));
  bool hashed_asset = !client_route && request.path.starts_with("/assets/");
  r.set_header("Cache-Control", hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  r.set_header("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace tandem::http
