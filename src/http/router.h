// Routes as one readable table per module (STYLE.md §8): verb, path with {parameters}, options,
// handler. Paths use OpenAPI's template syntax, so the OpenAPI test can compare them directly.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/metrics.h"

namespace tandem::http {

using Handler = std::function<Result<Response>(Request&)>;

enum class Auth { required, optional, none };
enum class Csrf { checked, exempt };

struct RouteOptions {
  Auth auth = Auth::required;
  Csrf csrf = Csrf::checked;
  int rate_per_minute = 0;  // per client address; 0 = unlimited
  std::size_t body_limit = 0;  // 0 = the server's default
  // The answer carries a secret shown once (an access token, a webhook secret) in this field of
  // its JSON body: an Idempotency-Key keeps the answer without it, so no secret rests in the store.
  std::string secret_field;
  // A GET that works long or writes (an export and its audit entry) opens its own reads and
  // writes instead of running inside the one read a GET otherwise shares with authentication.
  bool own_transactions = false;
};

struct Route {
  std::string method;
  std::string pattern;
  RouteOptions options;
  Handler handler;
  std::vector<std::string> segments;
  RouteMetrics* metrics = nullptr;
};

struct Match {
  const Route* route = nullptr;
  bool path_known = false;  // a route has this path with another method (405)
};

class Router {
 public:
  void add(std::string method, std::string pattern, RouteOptions options, Handler handler);
  Match match(const std::string& method, const std::string& path, std::map<std::string, std::string>& params) const;
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }
  void attach_metrics(Metrics& metrics);

 private:
  std::vector<std::unique_ptr<Route>> routes_;
};

std::vector<std::string> split_path(const std::string& path);

}  // namespace tandem::http
