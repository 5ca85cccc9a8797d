#include "domain/tickets/ticket.h"

#include <array>
#include <string>

namespace tandem::tickets {
namespace {

constexpr std::array kTypes{Type::incident, Type::service_request, Type::complaint, Type::compliment, Type::consultation};
constexpr std::array kChannels{Channel::portal, Channel::email,     Channel::chat,      Channel::phone,
                               Channel::messaging, Channel::api, Channel::monitoring};
constexpr std::array kLevels{Level::low, Level::medium, Level::high};
constexpr std::array kPriorities{Priority::low, Priority::medium, Priority::high, Priority::critical};

template <class E, std::size_t N>
std::optional<E> parse_in(const std::array<E, N>& values, std::string_view text) {
  for (auto v : values)
    if (to_string(v) == text) return v;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Type v) {
  switch (v) {
    case Type::incident: return "incident";
    case Type::service_request: return "service_request";
    case Type::complaint: return "complaint";
    case Type::compliment: return "compliment";
    case Type::consultation: return "consultation";
  }
  return "incident";
}

std::string_view to_string(Channel v) {
  switch (v) {
    case Channel::portal: return "portal";
    case Channel::email: return "email";
    case Channel::chat: return "chat";
    case Channel::phone: return "phone";
    case Channel::messaging: return "messaging";
    case Channel::api: return "api";
    case Channel::monitoring: return "monitoring";
  }
  return "portal";
}

std::string_view to_string(Level v) {
  switch (v) {
    case Level::low: return "low";
    case Level::medium: return "medium";
    case Level::high: return "high";
  }
  return "medium";
}

std::string_view to_string(Priority v) {
  switch (v) {
    case Priority::low: return "low";
    case Priority::medium: return "medium";
    case Priority::high: return "high";
    case Priority::critical: return "critical";
  }
  return "medium";
}

std::optional<Type> parse_type(std::string_view t) { return parse_in(kTypes, t); }
std::optional<Channel> parse_channel(std::string_view t) { return parse_in(kChannels, t); }
std::optional<Level> parse_level(std::string_view t) { return parse_in(kLevels, t); }
std::optional<Priority> parse_priority(std::string_view t) { return parse_in(kPriorities, t); }

std::span<const Type> all_types() { return kTypes; }
std::span<const Channel> all_channels() { return kChannels; }
std::span<const Level> all_levels() { return kLevels; }
std::span<const Priority> all_priorities() { return kPriorities; }

template <class E>
std::string allowed_names(std::span<const E> values) {
  std::string out;
  for (auto v : values) {
    if (!out.empty()) out += ", ";
    out += to_string(v);
  }
  return out;
}
template std::string allowed_names(std::span<const Type>);
template std::string allowed_names(std::span<const Channel>);
template std::string allowed_names(std::span<const Level>);
template std::string allowed_names(std::span<const Priority>);

}  // namespace tandem::tickets
