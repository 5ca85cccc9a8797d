// The middleware chain every request passes, independent of the socket: request id → route →
// per-route rate limit → authentication → CSRF → idempotency → handler; then metrics and the
// JSON access log. Any exception a handler lets slip becomes a 500 without internals.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "http/metrics.h"
#include "http/rate_limit.h"
#include "http/router.h"
#include "usecase/context.h"

namespace tandem::http {

struct PipelineOptions {
  std::string web_dir;
};

// What an opened stream needs: who subscribed, and a check that the credential it was opened
// with still holds with the same rights (not logged out, expired, revoked, deactivated, nor
// given other roles), to be called before each delivery. The check asks the store at most once
// per kStreamRecheck of the services' clock and answers from memory in between.
struct StreamAccess {
  identity::Actor subscriber;
  std::function<bool()> still_allowed;
};
inline constexpr std::chrono::seconds kStreamRecheck{10};

class Pipeline {
 public:
  Pipeline(const Router& router, const usecase::Services& services, Metrics& metrics, RateLimiter& limiter,
           PipelineOptions options);
  Response handle(Request& request);
  // A WebSocket upgrade of GET /api/v1/stream (REL-5): the subscriber it authenticates, with what
  // filtering needs; unauthenticated without a login, permission_denied from a foreign Origin
  // (cross-site WebSocket hijacking), unavailable without live updates.
  Result<StreamAccess> open_stream(Request& request);
  // A WebSocket upgrade of GET /api/v1/chat (REL-3), checked the same way: a user's chat window,
  // or with ?as=agent an agent's console (chat.answer).
  Result<StreamAccess> open_chat(Request& request, bool as_agent);
  usecase::EventBus* events() const { return services_.events; }
  const usecase::Services& services() const { return services_; }
  // The body limit for `head` (a request whose body has not been read): the route's own when
  // it sets one (uploads) and the caller is signed in; `fallback` otherwise. A caller who is
  // not signed in is refused (unauthenticated) before a byte of the large body is read.
  Result<std::size_t> body_limit(Request& head, std::size_t fallback);

 private:
  Result<Response> run(Request& request, const Route& route);
  Result<void> authenticate(Request& request, const Route& route);
  // Authenticates an upgrade and keeps how to ask again; `admit` decides who may open it and
  // what they subscribe as.
  Result<StreamAccess> open_socket(Request& request, const std::function<Result<identity::Actor>(const identity::Actor&)>& admit);

  const Router& router_;
  const usecase::Services& services_;
  Metrics& metrics_;
  RateLimiter& limiter_;
  PipelineOptions options_;
};

// The value of one cookie in a Cookie header, or empty.
std::string cookie_value(const std::string& header, std::string_view name);
inline constexpr std::string_view kSessionCookie = "tandem_session";

}  // namespace tandem::http
