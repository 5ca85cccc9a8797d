#include "domain/migration/rt.h"

#include <array>

namespace tandem::migration {

std::optional<std::string> decode_base64(std::string_view text) {
  static constexpr std::array<int, 256> values = [] {
    std::array<int, 256> v{};
    v.fill(-1);
    constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < alphabet.size(); ++i) v[static_cast<unsigned char>(alphabet[i])] = int(i);
    return v;
  }();
  std::string out;
  unsigned buffer = 0;
  int bits = 0, padding = 0, symbols = 0;
  for (char ch : text) {
    if (ch == '\n' || ch == '\r' || ch == ' ' || ch == '\t') continue;
    if (ch == '=') {
      ++padding;
      ++symbols;
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    int v = values[static_cast<unsigned char>(ch)];
    if (v < 0) return std::nullopt;
    ++symbols;
    buffer = (buffer << 6) | unsigned(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((buffer >> bits) & 0xFF);
    }
  }
  if (padding > 2 || symbols % 4 != 0) return std::nullopt;
  return out;
}

std::optional<std::string> incident_state_from_rt(std::string_view status) {
  if (status == "new") return "new";
  if (status == "open") return "in_progress";
  if (status == "stalled") return "waiting_for_user";
  if (status == "resolved") return "resolved";
  if (status == "rejected") return "cancelled";
  return std::nullopt;
}

tickets::Channel channel_from_rt_headers(std::string_view headers) {
  constexpr std::string_view key = "X-RT-Interface: ";
  auto at = headers.find(key);
  if (at == std::string_view::npos) return tickets::Channel::portal;
  auto value = headers.substr(at + key.size());
  value = value.substr(0, value.find('\n'));
  if (value.starts_with("Email")) return tickets::Channel::email;
  if (value.starts_with("REST") || value.starts_with("CLI")) return tickets::Channel::api;
  return tickets::Channel::portal;
}

bool is_rt_unset_time(std::string_view text) { return text.empty() || text.starts_with("1970-01-01"); }

}  // namespace tandem::migration
