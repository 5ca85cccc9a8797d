#include "domain/feedback/draw.h"

#include <algorithm>
#include <limits>

#include "core/crypto.h"

namespace tandem::feedback {
namespace {

// The first 16 hex digits of the hash as an unsigned number.
std::uint64_t number_of(std::string_view hex) {
  std::uint64_t v = 0;
  for (char c : hex.substr(0, 16)) v = (v << 4) | std::uint64_t(c <= '9' ? c - '0' : c - 'a' + 10);
  return v;
}

}  // namespace

std::string seed_commitment(std::string_view seed) { return sha256_hex(seed); }

std::vector<std::string> draw_winners(std::string_view seed, std::vector<Entrant> entrants, std::size_t winners) {
  std::erase_if(entrants, [](const Entrant& e) { return e.tickets <= 0; });
  std::ranges::sort(entrants, {}, &Entrant::user_id);
  std::vector<std::string> out;
  for (std::size_t k = 0; k < winners && !entrants.empty(); ++k) {
    std::uint64_t total = 0;
    for (const auto& e : entrants) total += std::uint64_t(e.tickets);
    const auto limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % total;
    std::uint64_t ticket = 0;
    for (std::uint64_t attempt = 0;; ++attempt) {
      auto v = number_of(sha256_hex(std::string(seed) + ":" + std::to_string(k) + ":" + std::to_string(attempt)));
      if (v < limit) {
        ticket = v % total;
        break;
      }
    }
    auto it = entrants.begin();
    for (; ticket >= std::uint64_t(it->tickets); ++it) ticket -= std::uint64_t(it->tickets);
    out.push_back(it->user_id);
    entrants.erase(it);
  }
  return out;
}

}  // namespace tandem::feedback
