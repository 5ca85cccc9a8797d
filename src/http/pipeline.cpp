#include "http/pipeline.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <atomic>

#include "core/crypto.h"
#include "core/log.h"
#include "http/scim_resources.h"
#include "http/static_files.h"
#include "storage/idempotency.h"
#include "usecase/chat.h"
#include "usecase/tickets.h"

namespace tandem::http {
namespace {

bool is_scim(const Request& request) { return request.path == "/scim/v2" || request.path.starts_with("/scim/v2/"); }

bool safe_method(const std::string& m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

bool valid_request_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

// A random prefix per process and a counter: unique across nodes, no system call per request.
std::string next_request_id() {
  static const std::string prefix = random_token(6);
  static std::atomic<std::uint64_t> counter{0};
  return fmt::format("{}-{:x}", prefix, counter.fetch_add(1, std::memory_order_relaxed));
}

// Accept-Language decides for callers who are not signed in; see authenticate() for the others.
std::string language_of(const Request& r) {
  auto accept = r.header("accept-language");
  return accept.starts_with("zh") ? "zh-CN" : "en";
}

void access_log(const Request& r, const Response& res, std::string_view route, std::chrono::microseconds elapsed) {
  if (!log_enabled(LogLevel::info)) return;
  log_fields(LogLevel::info,
             fmt::format(R"("msg":"request","request_id":{},"method":{},"path":{},"route":{},"status":{},"micros":{},"client":{},"user":{})",
                         json_quote(r.request_id), json_quote(r.method), json_quote(r.path), json_quote(route), res.status,
                         elapsed.count(), json_quote(r.client_address), json_quote(r.auth ? r.auth->actor.user_id : "")));
}

}  // namespace

std::string cookie_value(const std::string& header, std::string_view name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    auto end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string_view part(header.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.starts_with(name) && part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
    pos = end + 1;
  }
  return {};
}

Pipeline::Pipeline(const Router& router, const usecase::Services& services, Metrics& metrics, RateLimiter& limiter,
                   PipelineOptions options)
    : router_(router), services_(services), metrics_(metrics), limiter_(limiter), options_(std::move(options)) {}

namespace {

// Rights that decide what a subscriber may hear of; a change in any ends the stream, and the
// client reconnects under its new rights.
bool same_rights(const identity::Actor& a, const identity::Actor& b) {
  return a.user_id == b.user_id && a.organization_id == b.organization_id && a.roles == b.roles &&
         a.represented_user_ids == b.represented_user_ids;
}

}  // namespace

Result<StreamAccess> Pipeline::open_socket(Request& request,
                                           const std::function<Result<identity::Actor>(const identity::Actor&)>& admit) {
  auto match = router_.match(request.method, request.path, request.params);
  if (!match.route) return fail(Code::not_found, "No such stream.");
  TRY(authenticate(request, *match.route));
  // Browsers send Origin on WebSocket handshakes; it must be this server, as for a form post.
  if (auto origin = request.header("origin"); !origin.empty()) {
    auto host = request.header("host");
    if (origin != "http://" + host && origin != "https://" + host)
      return fail(Code::permission_denied, "Live updates are served to this site's own pages only.");
  }
  ASSIGN_OR_RETURN(auto subscriber, admit(request.auth->actor));
  Request credentials = request;  // a GET: no body; only the headers are asked again
  credentials.auth.reset();
  auto still_allowed = [this, credentials = std::move(credentials), route = match.route, subscriber, admit,
                        checked = services_.clock.now()]() mutable {
    auto now = services_.clock.now();
    if (now - checked < kStreamRecheck) return true;
    checked = now;
    Request again = credentials;
    auto authenticated = services_.db.read([&](storage::Connection&) { return authenticate(again, *route); });
    if (!authenticated || !again.auth) return false;
    auto current = admit(again.auth->actor);
    return current && same_rights(*current, subscriber);
  };
  return StreamAccess{std::move(subscriber), std::move(still_allowed)};
}

Result<StreamAccess> Pipeline::open_stream(Request& request) {
  return open_socket(request, [this](const identity::Actor& actor) -> Result<identity::Actor> {
    if (!services_.events) return fail(Code::unavailable, "Live updates are not running.");
    return usecase::stream_subscriber(services_, actor);
  });
}

Result<StreamAccess> Pipeline::open_chat(Request& request, bool as_agent) {
  return open_socket(request, [as_agent](const identity::Actor& actor) -> Result<identity::Actor> {
    TRY(usecase::may_chat(actor, as_agent));
    return actor;
  });
}

Result<std::size_t> Pipeline::body_limit(Request& head, std::size_t fallback) {
  auto match = router_.match(head.method, head.path, head.params);
  if (!match.route || match.route->options.body_limit <= fallback) return fallback;
  head.language = language_of(head);
  TRY(services_.db.read([&](storage::Connection&) { return authenticate(head, *match.route); }));
  if (!head.auth) return fail(Code::unauthenticated, "Log in first.");
  return match.route->options.body_limit;
}

Response Pipeline::handle(Request& request) {
  auto started = std::chrono::steady_clock::now();
  auto incoming = request.header("x-request-id");
  request.request_id = valid_request_id(incoming) ? incoming : next_request_id();
  request.language = language_of(request);

  auto match = router_.match(request.method, request.path, request.params);
  Response response;
  std::string_view route_name = "unmatched";
  RouteMetrics* metrics = nullptr;
  if (match.route) {
    route_name = match.route->pattern;
    metrics = match.route->metrics;
    Result<Response> result;
    try {
      if (safe_method(request.method) && match.route->options.auth != Auth::none && !match.route->options.own_transactions) {
        // Authentication and the handler's lookups share one read (one snapshot, one lock).
        auto read = services_.db.read([&](storage::Connection&) -> Result<void> {
          result = run(request, *match.route);
          return {};
        });
        if (!read) result = std::unexpected(read.error());
      } else {
        result = run(request, *match.route);
      }
    } catch (const std::exception& e) {
      log_message(LogLevel::error, fmt::format("request {} failed: {}", request.request_id, e.what()));
      result = fail(Code::internal, "internal");
    }
    response = result ? std::move(*result) : error_response(result.error(), request.language);
  } else if (auto file = serve_static(options_.web_dir, request)) {
    response = std::move(*file);
    route_name = "static";
  } else if (match.path_known) {
    Error wrong(Code::invalid_argument, "This path does not take that method.", "method_not_allowed");
    // An identity provider reads every answer under /scim/ in SCIM's error shape (RFC 7644 §3.12).
    if (is_scim(request)) {
      response = scim::error_response(wrong, 405);
    } else {
      response = error_response(wrong, request.language);
      response.status = 405;
    }
  } else {
    Error nothing(Code::not_found, "There is nothing at this address.");
    response = is_scim(request) ? scim::error_response(nothing) : error_response(nothing, request.language);
  }
  if (!metrics) metrics = &metrics_.unmatched();
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
  metrics->observe(response.status, elapsed);
  response.set_header("X-Request-Id", request.request_id);
  access_log(request, response, route_name, elapsed);
  return response;
}

Result<void> Pipeline::authenticate(Request& request, const Route& route) {
  if (route.options.auth == Auth::none) return {};
  auto authorization = request.header("authorization");
  if (authorization.starts_with("Bearer ")) {
    ASSIGN_OR_RETURN(request.auth, usecase::authenticate_bearer(services_, authorization.substr(7)));
    if (!request.auth) return fail(Code::unauthenticated, "The access token is not valid.", "invalid_token");
  } else if (auto session = cookie_value(request.header("cookie"), kSessionCookie); !session.empty()) {
    ASSIGN_OR_RETURN(request.auth, usecase::authenticate_session(services_, session));
    // A cookie session needs the CSRF token on unsafe methods (API.md "Authentication").
    if (request.auth && route.options.csrf == Csrf::checked && !safe_method(request.method) &&
        !constant_time_equal(request.header("x-csrf-token"), request.auth->csrf_token))
      return fail(Code::permission_denied, "The X-CSRF-Token header is missing or wrong.", "csrf_failed");
  }
  if (!request.auth && route.options.auth == Auth::required) return fail(Code::unauthenticated, "Log in first.");
  // A signed-in caller chose a language (ONB-11); the browser's Accept-Language is for the others.
  if (request.auth) request.language = request.auth->actor.language;
  return {};
}

Result<Response> Pipeline::run(Request& request, const Route& route) {
  if (route.options.rate_per_minute > 0) {
    if (int wait = limiter_.acquire(route.pattern + "|" + request.client_address, route.options.rate_per_minute)) {
      Error e(Code::rate_limited, "Too many requests; slow down.");
      e.retry_after_seconds = wait;
      return fail(std::move(e));
    }
  }
  TRY(authenticate(request, route));

  // Idempotency-Key (API.md "Writes"): the same key from the same caller replays the first answer.
  auto key = request.header("idempotency-key");
  bool idempotent = request.method == "POST" && !key.empty() && request.auth;
  if (idempotent) {
    if (key.size() > 200) return fail(Code::invalid_argument, "Idempotency-Key is at most 200 characters.");
    const auto& actor_id = request.auth->actor.user_id;
    ASSIGN_OR_RETURN(auto stored, services_.db.read([&](storage::Connection& c) { return storage::idempotency::find(c, actor_id, key); }));
    if (stored) {
      if (stored->method != request.method || stored->path != request.path)
        return fail(Code::conflict, "This Idempotency-Key was used for another request.", "idempotency_key_reused");
      Response replay;
      replay.status = stored->status;
      replay.body = stored->body;
      if (!stored->location.empty()) replay.set_header("Location", stored->location);
      replay.set_header("Idempotent-Replayed", "true");
      return replay;
    }
  }
  ASSIGN_OR_RETURN(auto response, route.handler(request));
  if (idempotent && response.status >= 200 && response.status < 300) {
    storage::StoredResponse stored{request.method, request.path, response.status, "", response.body};
    if (!route.options.secret_field.empty()) {
      auto body = nlohmann::json::parse(response.body, nullptr, false);
      if (body.is_object()) body.erase(route.options.secret_field);
      stored.body = body.dump();
    }
    for (const auto& [k, v] : response.headers)
      if (k == "Location") stored.location = v;
    TRY(services_.db.write([&](storage::Connection& c) {
      return storage::idempotency::store(c, request.auth->actor.user_id, key, stored, to_millis(services_.clock.now()));
    }));
  }
  return response;
}

}  // namespace tandem::http
