// DESK-5: the HTTP client that takes webhook deliveries to their receivers — libcurl, so that
// https, proxies and redirects are handled by a well-kept client rather than by us.
#pragma once

#include "usecase/fulfilment.h"

namespace tandem::channels {

// Thread-safe: each post uses an easy handle of its own. Redirects are not followed (a receiver
// answers where it was configured), and only http and https are spoken. Unless the local
// network is allowed, no connection is made to an address in it (core/network.h), whatever name
// led there.
class CurlWebhookSender final : public usecase::WebhookSender {
 public:
  explicit CurlWebhookSender(bool local_network_allowed = false);
  usecase::PostOutcome post(const usecase::OutboundPost& request) override;

 private:
  bool local_network_allowed_;
};

}  // namespace tandem::channels
