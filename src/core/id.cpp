#include "core/id.h"

#include <array>
#include <cstdint>

#include "core/crypto.h"

namespace tandem {
namespace {
constexpr std::string_view kAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";
constexpr std::size_t kBodyLength = 26;
}  // namespace

std::string new_id(std::string_view prefix, Time now) {
  std::array<std::uint8_t, 16> bits{};
  auto ms = static_cast<std::uint64_t>(to_millis(now));
  for (int i = 0; i < 6; ++i) bits[i] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
  random_bytes(std::span(bits).subspan(6));
  // 128 bits → 26 base32 digits (130 bits, the top two always zero), most significant first.
  std::string id(prefix);
  id.push_back('_');
  for (std::size_t digit = 0; digit < kBodyLength; ++digit) {
    int value = 0;
    for (int b = 0; b < 5; ++b) {
      int bit_index = static_cast<int>(digit) * 5 + b - 2;  // −2: two leading zero bits
      int bit = 0;
      if (bit_index >= 0) bit = (bits[bit_index / 8] >> (7 - bit_index % 8)) & 1;
      value = (value << 1) | bit;
    }
    id.push_back(kAlphabet[value]);
  }
  return id;
}

bool is_id(std::string_view id, std::string_view prefix) {
  if (id.size() != prefix.size() + 1 + kBodyLength || !id.starts_with(prefix) || id[prefix.size()] != '_')
    return false;
  for (char c : id.substr(prefix.size() + 1))
    if (kAlphabet.find(c) == std::string_view::npos) return false;
  return true;
}

}  // namespace tandem
