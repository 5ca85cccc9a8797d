// OPS-3, REL-5: outbound webhooks, for SMS and push gateways and the provider's own tools.
// Administrators subscribe a URL to event types (for every organisation or one); every event a
// webhook hears is queued in the transaction of the change it tells of, posted by a worker
// signed as fulfilment's webhooks are (Tandem-Signature: sha256=HMAC-SHA256 of "<timestamp>.<body>"
// under the webhook's secret, Tandem-Timestamp, Tandem-Delivery, Tandem-Event), retried after
// 1, 5, 30 minutes, 2 and 6 hours, and kept in the webhook's delivery log. No webhook reaches the
// local network (loopback, private, link-local addresses, whatever name leads there) unless an
// administrator allows it for that webhook or the operator for all.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "storage/webhooks.h"
#include "usecase/context.h"
#include "usecase/fulfilment.h"

namespace tandem::usecase {

struct WebhookInput {
  std::optional<std::string> name, url;
  std::optional<std::vector<std::string>> events;
  std::optional<std::optional<std::string>> organization_id;  // null: every organisation
  std::optional<bool> local_network, active;
};
struct WebhookWithSecret {
  storage::Webhook webhook;
  std::string secret;  // shown once
};
Result<WebhookWithSecret> create_webhook(const Services& s, const identity::Actor& actor, const WebhookInput& in);
Result<storage::Page<storage::Webhook>> list_webhooks(const Services& s, const identity::Actor& actor, const storage::PageRequest& page);
Result<storage::Webhook> get_webhook(const Services& s, const identity::Actor& actor, std::string_view id);
Result<storage::Webhook> update_webhook(const Services& s, const identity::Actor& actor, std::string_view id, std::int64_t expected_version,
                                        const WebhookInput& patch);
// A new secret, shown once; the old one signs nothing more.
Result<WebhookWithSecret> rotate_outbound_webhook_secret(const Services& s, const identity::Actor& actor, std::string_view id);
Result<storage::Page<storage::EventDelivery>> webhook_deliveries(const Services& s, const identity::Actor& actor, std::string_view id,
                                                                 std::string_view state, const storage::PageRequest& page);
// Sends a failed delivery again, as soon as the worker comes to it (same id, same body):
// conflict unless it failed.
Result<storage::EventDelivery> redeliver_event(const Services& s, const identity::Actor& actor, std::string_view webhook_id,
                                               std::string_view delivery_id);
// Queues a `webhook.ping` to this webhook alone (active or not), to try its receiver.
Result<storage::EventDelivery> ping_webhook(const Services& s, const identity::Actor& actor, std::string_view id);

// ---- what the use cases tell ----------------------------------------------------------------

// Queues `event` about `organization_id` (empty: none in particular) to every webhook that hears
// it, in the caller's transaction. `data` is asked for only when one does, with whether that
// webhook is limited to the organisation (it then gets what the organisation's people may see);
// a null answer skips that webhook. How many were queued.
using EventData = std::function<Result<nlohmann::json>(bool organisation_only)>;
Result<int> queue_event(storage::Connection& c, const Services& s, std::string_view event, std::string_view organization_id,
                        const EventData& data);

// The worker: sends up to `limit` due deliveries, one at a time, each claimed for a minute just
// before it is sent (several nodes may run it at once), until `stopping` says so.
// The log keeps what was delivered for 30 days and what was given up for 90 (time to send it
// again); older entries go. How many went.
Result<std::int64_t> prune_event_deliveries(const Services& s);

Result<DeliveryRun> deliver_events(const Services& s, WebhookSender& sender, int limit = 50, const std::function<bool()>& stopping = {});

}  // namespace tandem::usecase
