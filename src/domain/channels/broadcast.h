// REL-5: proactive communication. People follow a service's news through the channels they
// choose; staff publish broadcasts — a maintenance window, a major incident's news, a notice —
// to the people they concern, each in their language and through their channels. Pure: what a
// broadcast and a subscription may hold, and which channels reach each person.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::channels {

// maintenance (a window of a service, with its start and end), major_incident (news of one,
// for its service), notice (anything else).
std::span<const std::string_view> broadcast_kinds();
bool is_broadcast_kind(std::string_view kind);

// portal (an in-app notification), email, sms and push (posted to the outbound webhooks that
// subscribe to broadcast.message, which a gateway sends on).
std::span<const std::string_view> news_channels();
// What is wrong with a subscription's channels, or nullopt: known ones, each once; none at all
// is allowed (the person hears no broadcast of the service).
std::optional<std::string> news_channels_problem(const std::vector<std::string>& channels);

// The channels a broadcast reaches a person by. A subscriber's own choice stands (none: they
// asked to hear nothing of the service, even when addressed); someone addressed without a
// subscription — in an organisation the broadcast names, or on the major incident — is told in
// the portal and by e-mail; anyone else not at all.
std::vector<std::string> channels_for(const std::optional<std::vector<std::string>>& subscription, bool addressed);

}  // namespace tandem::channels
