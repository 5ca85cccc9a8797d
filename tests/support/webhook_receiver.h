// A real HTTP server on a free local port that receives webhook deliveries for tests: it keeps
// every request it got and answers each with the next status it was told to give (200 once the
// list is used up). Sequential; one request per connection, as the sender makes them.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>  // before Boost.Asio, whose awaitable.hpp needs std::exchange
#include <vector>

namespace tandem::testing {

struct ReceivedRequest {
  std::string target;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

class WebhookReceiver {
 public:
  WebhookReceiver();
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/hooks/fulfil") const;
  // The statuses of the next answers, in order.
  void answer_with(std::vector<int> statuses);
  std::vector<ReceivedRequest> received() const;

 private:
  void serve();

  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::deque<int> statuses_;
  std::vector<ReceivedRequest> received_;
  std::atomic<bool> stopping_ = false;
  std::thread thread_;
};

}  // namespace tandem::testing
