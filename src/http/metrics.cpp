#include "http/metrics.h"

#include <fmt/format.h>

namespace tandem::http {

void RouteMetrics::observe(int status, std::chrono::microseconds elapsed) {
  if (status >= 0 && status < int(by_status.size())) by_status[status].fetch_add(1, std::memory_order_relaxed);
  double seconds = double(elapsed.count()) / 1e6;
  std::size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  buckets[i].fetch_add(1, std::memory_order_relaxed);
  micros_total.fetch_add(std::uint64_t(elapsed.count()), std::memory_order_relaxed);
}

RouteMetrics& Metrics::route(const std::string& method, const std::string& pattern) {
  std::lock_guard lock(mutex_);
  for (auto& r : routes_)
    if (r.method == method && r.route == pattern) return r;
  auto& r = routes_.emplace_back();
  r.method = method;
  r.route = pattern;
  return r;
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> sample) {
  std::lock_guard lock(mutex_);
  gauges_.push_back({std::move(name), std::move(help), std::move(sample)});
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP tandem_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE tandem_http_requests_total counter\n";
  for (const auto& r : routes_)
    for (std::size_t s = 0; s < r.by_status.size(); ++s)
      if (auto n = r.by_status[s].load(std::memory_order_relaxed))
        out += fmt::format("tandem_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", r.method, r.route, s, n);
  out += "# HELP tandem_http_request_duration_seconds Time from a complete request to its response.\n";
  out += "# TYPE tandem_http_request_duration_seconds histogram\n";
  for (const auto& r : routes_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < r.buckets.size(); ++i) {
      cumulative += r.buckets[i].load(std::memory_order_relaxed);
      std::string le = i < RouteMetrics::kBuckets.size() ? fmt::format("{}", RouteMetrics::kBuckets[i]) : "+Inf";
      out += fmt::format("tandem_http_request_duration_seconds_bucket{{method=\"{}\",route=\"{}\",le=\"{}\"}} {}\n", r.method,
                         r.route, le, cumulative);
    }
    out += fmt::format("tandem_http_request_duration_seconds_sum{{method=\"{}\",route=\"{}\"}} {}\n", r.method, r.route,
                       double(r.micros_total.load()) / 1e6);
    out += fmt::format("tandem_http_request_duration_seconds_count{{method=\"{}\",route=\"{}\"}} {}\n", r.method, r.route,
                       cumulative);
  }
  for (const auto& g : gauges_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", g.name, g.help, g.name, g.name, g.sample());
  }
  return out;
}

}  // namespace tandem::http
