#include "domain/channels/outbound.h"

#include <algorithm>
#include <array>
#include <set>

namespace tandem::channels {

namespace {
constexpr std::array<std::string_view, 6> kEvents = {"ticket.created", "ticket.updated", "major_incident.updated", "booking.late",
                                                     "broadcast.message", "webhook.ping"};
}  // namespace

std::span<const std::string_view> webhook_events() { return kEvents; }

bool is_webhook_event(std::string_view event) { return std::ranges::find(kEvents, event) != kEvents.end(); }

std::optional<std::string> url_problem(std::string_view url) {
  constexpr auto kWanted = "is required: an http:// or https:// address of at most 2000 bytes";
  std::string_view rest;
  if (url.starts_with("https://")) rest = url.substr(8);
  else if (url.starts_with("http://")) rest = url.substr(7);
  else return kWanted;
  if (url.size() > 2000) return kWanted;
  for (unsigned char ch : url)
    if (ch <= 0x20 || ch == 0x7f) return "must not hold blanks or control characters";
  auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos)
    return "must not hold a user name or password: the receiver checks the signature instead";
  auto host = authority.starts_with('[') ? authority.substr(0, authority.find(']') + 1) : authority.substr(0, authority.find(':'));
  if (host.empty() || host == "[]") return "must name a host";
  return std::nullopt;
}

std::optional<std::string> events_problem(const std::vector<std::string>& events) {
  constexpr auto kAllowed = "allowed: ticket.created, ticket.updated, major_incident.updated, booking.late, broadcast.message";
  if (events.empty()) return std::string("name one or more events; ") + kAllowed;
  std::set<std::string_view> seen;
  for (const auto& e : events) {
    if (!is_webhook_event(e) || e == "webhook.ping") return "\"" + e + "\" is not an event; " + kAllowed;
    if (!seen.insert(e).second) return "\"" + e + "\" is named twice";
  }
  return std::nullopt;
}

bool hears(const WebhookAudience& webhook, std::string_view event, std::string_view organization_id) {
  if (!webhook.active) return false;
  if (std::ranges::find(webhook.events, event) == webhook.events.end()) return false;
  return !webhook.organization_id || (!organization_id.empty() && *webhook.organization_id == organization_id);
}

}  // namespace tandem::channels
