// Prometheus text exposition of request counts and latency histograms per route, plus gauges
// sampled at scrape time (the database queue depth).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>

namespace tandem::http {

struct RouteMetrics {
  std::string method;
  std::string route;
  std::array<std::atomic<std::uint64_t>, 600> by_status{};
  static constexpr std::array<double, 13> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                   0.1,    0.25,  0.5,    1,     2.5,  5};
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};  // the last is +Inf
  std::atomic<std::uint64_t> micros_total{0};

  void observe(int status, std::chrono::microseconds elapsed);
};

class Metrics {
 public:
  // Stable for the life of the Metrics object.
  RouteMetrics& route(const std::string& method, const std::string& pattern);
  RouteMetrics& unmatched() { return route("ANY", "unmatched"); }
  void add_gauge(std::string name, std::string help, std::function<double()> sample);
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::deque<RouteMetrics> routes_;
  struct Gauge {
    std::string name, help;
    std::function<double()> sample;
  };
  std::deque<Gauge> gauges_;
};

}  // namespace tandem::http
