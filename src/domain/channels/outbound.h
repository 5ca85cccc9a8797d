// OPS-3, REL-5: outbound webhooks — what Tandem tells other systems (an SMS or push gateway, a
// chat room, the provider's own tools) as it happens. An administrator subscribes a URL to
// event types; each event is posted to it signed with HMAC-SHA256, retried with back-off, and
// logged. Pure: which events exist, what a subscription's URL and events may be, and who hears
// which event.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::channels {

// The event types a webhook may subscribe to, in the order the API lists them.
//   ticket.created          a ticket was opened
//   ticket.updated          a ticket changed (reply, state, assignment…)
//   major_incident.updated  a major incident's update was published to its affected users
//   booking.late            a shared resource's holder will be late: the next booker is told
//   broadcast.message       a broadcast for one person who follows its service by SMS or push
//   webhook.ping            sent by "Send a test" only, to one webhook
std::span<const std::string_view> webhook_events();
bool is_webhook_event(std::string_view event);

// What is wrong with a subscription's URL, or nullopt: http or https, a host, no user name or
// password in it (they would show in every read and log), at most 2000 bytes, no blanks.
std::optional<std::string> url_problem(std::string_view url);

// What is wrong with a subscription's event list, or nullopt: one or more known types, each once
// (`webhook.ping` is not subscribed to: every webhook can be pinged).
std::optional<std::string> events_problem(const std::vector<std::string>& events);

// Whether a webhook hears an event: it is active, subscribed to the type, and — when it is
// limited to one organisation — the event is about that organisation. An event about no
// organisation in particular reaches only webhooks limited to none.
struct WebhookAudience {
  bool active = true;
  std::vector<std::string> events;
  std::optional<std::string> organization_id;
};
bool hears(const WebhookAudience& webhook, std::string_view event, std::string_view organization_id);

}  // namespace tandem::channels
