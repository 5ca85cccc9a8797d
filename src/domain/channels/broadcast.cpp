#include "domain/channels/broadcast.h"

#include <algorithm>
#include <array>
#include <set>

namespace tandem::channels {

namespace {
constexpr std::array<std::string_view, 3> kKinds = {"maintenance", "major_incident", "notice"};
constexpr std::array<std::string_view, 4> kChannels = {"portal", "email", "sms", "push"};
}  // namespace

std::span<const std::string_view> broadcast_kinds() { return kKinds; }
bool is_broadcast_kind(std::string_view kind) { return std::ranges::find(kKinds, kind) != kKinds.end(); }
std::span<const std::string_view> news_channels() { return kChannels; }

std::optional<std::string> news_channels_problem(const std::vector<std::string>& channels) {
  std::set<std::string_view> seen;
  for (const auto& c : channels) {
    if (std::ranges::find(kChannels, c) == kChannels.end()) return "\"" + c + "\" is not a channel; allowed: portal, email, sms, push";
    if (!seen.insert(c).second) return "\"" + c + "\" is named twice";
  }
  return std::nullopt;
}

std::vector<std::string> channels_for(const std::optional<std::vector<std::string>>& subscription, bool addressed) {
  if (subscription) return *subscription;
  if (addressed) return {"portal", "email"};
  return {};
}

}  // namespace tandem::channels
