#include "http/message.h"

#include <cctype>

#include <nlohmann/json.hpp>

#include "http/messages_zh.h"

namespace tandem::http {

void Response::set_header(std::string_view name, std::string_view value) { headers.emplace_back(name, value); }

std::string Request::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::optional<std::string> Request::query_value(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

int status_of(Code code) {
  switch (code) {
    case Code::malformed: return 400;
    case Code::unauthenticated: return 401;
    case Code::permission_denied: return 403;
    case Code::not_found: return 404;
    case Code::conflict: return 409;
    case Code::failed_precondition: return 412;
    case Code::too_large: return 413;
    case Code::unsupported_media: return 415;
    case Code::invalid_argument: return 422;
    case Code::precondition_required: return 428;
    case Code::rate_limited: return 429;
    case Code::unavailable: return 503;
    case Code::internal: return 500;
  }
  return 500;
}

Response error_response(const Error& error, std::string_view language) {
  std::string slug = error.slug.empty() ? std::string(default_slug(error.code)) : error.slug;
  std::string message = error.code == Code::internal ? "Something went wrong on our side." : error.message;
  if (language == "zh-CN") message = chinese_message(slug, message);
  nlohmann::json details = nlohmann::json::array();
  for (const auto& d : error.details)
    details.push_back({{"field", d.field}, {"problem", language == "zh-CN" ? chinese_problem(d.problem) : d.problem}});
  nlohmann::json body = {{"error", {{"code", slug}, {"message", message}, {"details", details}}}};
  Response r;
  r.status = status_of(error.code);
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (error.code == Code::rate_limited) r.set_header("Retry-After", std::to_string(std::max(1, error.retry_after_seconds)));
  return r;
}

std::string percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(in[i] == '+' ? ' ' : in[i]);
    }
  }
  return out;
}

void parse_query(std::string_view query, std::multimap<std::string, std::string>& out) {
  std::size_t pos = 0;
  while (pos < query.size()) {
    auto end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    auto pair = query.substr(pos, end - pos);
    auto eq = pair.find('=');
    if (!pair.empty())
      out.emplace(percent_decode(pair.substr(0, eq)), eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1)));
    pos = end + 1;
  }
}

}  // namespace tandem::http
