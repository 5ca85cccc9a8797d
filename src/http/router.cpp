#include "http/router.h"

namespace tandem::http {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

void Router::add(std::string method, std::string pattern, RouteOptions options, Handler handler) {
  auto route = std::make_unique<Route>();
  route->method = std::move(method);
  route->segments = split_path(pattern);
  route->pattern = std::move(pattern);
  route->options = options;
  route->handler = std::move(handler);
  routes_.push_back(std::move(route));
}

Match Router::match(const std::string& method, const std::string& path, std::map<std::string, std::string>& params) const {
  auto segments = split_path(path);
  Match m;
  for (const auto& route : routes_) {
    if (route->segments.size() != segments.size()) continue;
    std::map<std::string, std::string> found;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      const auto& want = route->segments[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
        if (segments[i].empty()) ok = false;
        else found[want.substr(1, want.size() - 2)] = segments[i];
      } else {
        ok = want == segments[i];
      }
    }
    if (!ok) continue;
    m.path_known = true;
    if (route->method == method || (method == "HEAD" && route->method == "GET")) {
      m.route = route.get();
      params = std::move(found);
      return m;
    }
  }
  return m;
}

void Router::attach_metrics(Metrics& metrics) {
  for (auto& r : routes_) r->metrics = &metrics.route(r->method, r->pattern);
}

}  // namespace tandem::http
