// FDB-3: a prize draw that anyone can check. Before the draw its seed is kept secret and only its
// commitment (the seed's SHA-256) is shown; the draw picks winners from the entrants with that
// seed alone; afterwards the seed is published, so anyone can hash it against the commitment and
// pick the same winners again from the same entrants. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::feedback {

struct Entrant {
  std::string user_id;
  std::int64_t tickets = 1;  // chances: 1 each, or the points earned in a weighted draw
};

// The commitment shown before the draw: the seed's SHA-256, hex.
std::string seed_commitment(std::string_view seed);

// Up to `winners` different entrants, in the order drawn. Entrants are taken in user-id order
// (whatever order they came in) and those with no tickets cannot win; draw k takes the
// SHA-256 of "<seed>:<k>:<attempt>" as a number and keeps it when it falls below the largest
// multiple of the tickets left (no modulo bias), landing on the entrant whose span of tickets
// holds it; that entrant's tickets then leave the draw.
std::vector<std::string> draw_winners(std::string_view seed, std::vector<Entrant> entrants, std::size_t winners);

}  // namespace tandem::feedback
