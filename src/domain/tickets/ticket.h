// The ticket's vocabulary (DESK-1, DESK-2, REL-1): the five query types, the channels a ticket
// arrives through, impact, urgency and priority. Plain values; storage and HTTP use the names.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tandem::tickets {

// DESK-1: every query is one of these, each with its own workflow.
enum class Type { incident, service_request, complaint, compliment, consultation };
// REL-1: where the query came from; every interaction keeps its channel on the timeline.
enum class Channel { portal, email, chat, phone, messaging, api, monitoring };
// Impact and urgency in the default configuration (API.md).
enum class Level { low, medium, high };
enum class Priority { low, medium, high, critical };

std::string_view to_string(Type v);
std::string_view to_string(Channel v);
std::string_view to_string(Level v);
std::string_view to_string(Priority v);
std::optional<Type> parse_type(std::string_view text);
std::optional<Channel> parse_channel(std::string_view text);
std::optional<Level> parse_level(std::string_view text);
std::optional<Priority> parse_priority(std::string_view text);

std::span<const Type> all_types();
std::span<const Channel> all_channels();
std::span<const Level> all_levels();
std::span<const Priority> all_priorities();

// "a, b, c": the allowed names, for error messages.
template <class E>
std::string allowed_names(std::span<const E> values);

}  // namespace tandem::tickets
