// FDB-1, OPS-1: satisfaction's arithmetic, the one-click rating link, and the text cells of an
// exported report. Pure: the use cases keep the ratings and the links' use (issue "Feedback and
// insight").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tandem::feedback {

// Net Promoter Score over answers to "how likely are you to recommend us" (0–10): promoters
// answered 9 or 10, detractors 0 to 6; the score is the share of promoters less the share of
// detractors, in points from -100 to 100 (0 with no answers). Answers outside 0–10 are not counted.
struct Nps {
  std::int64_t promoters = 0, passives = 0, detractors = 0, responses = 0;
  double score = 0;
};
Nps nps(std::span<const int> answers);
// The same over counted answers: `by_score[i]` answers of i.
Nps nps(const std::array<std::int64_t, 11>& by_score);

// Customer satisfaction over 1–5 ratings: the share answering 4 or 5, in per cent, and the mean
// (both 0 with no ratings). Ratings outside 1–5 are not counted.
struct Csat {
  std::int64_t satisfied = 0, responses = 0;
  double percent = 0, mean = 0;
};
Csat csat(std::span<const int> ratings);
// The same over counted ratings: `by_score[i]` ratings of i + 1.
Csat csat(const std::array<std::int64_t, 5>& by_score);

// DESK-8: how much a touchpoint makes or breaks the experience. Over the people who rated both a
// touchpoint (the desk's first answer, say) and the ticket's resolution: the resolution's mean
// score after a good touchpoint (4–5) less its mean after a poor one (1–2). A large swing marks a
// moment of truth. No swing while either side has no one.
struct TouchpointPair {
  std::int64_t touchpoint_score = 0, resolution_score = 0, count = 0;
};
struct TouchpointEffect {
  std::int64_t pairs = 0, after_good_count = 0, after_poor_count = 0;
  std::optional<double> after_good, after_poor, swing;
};
TouchpointEffect touchpoint_effect(std::span<const TouchpointPair> pairs);

// A text cell of a CSV or XLSX export as text: one a spreadsheet would take for a formula
// (starting with = + - @, a tab or a carriage return) gets a leading apostrophe.
std::string neutralised_cell(std::string_view text);

// The one-click rating link of a mail: who may rate which ticket, until when; `nonce` makes each
// link single-use (the store remembers the nonces used). Signed with the server's key: the token
// is "<ticket_id>.<user_id>.<expires_at ms>.<nonce>.<signature>", every part URL-safe.
struct RatingLink {
  std::string ticket_id, user_id;
  std::int64_t expires_at = 0;
  std::string nonce;
};
std::string sign_rating_link(std::string_view key, const RatingLink& link);
// The link a token carries: invalid_argument "link_malformed" for what is no token of ours,
// permission_denied "link_tampered" for a signature that does not match, failed_precondition
// "link_expired" once `now_ms` reaches its expiry.
Result<RatingLink> read_rating_link(std::string_view key, std::string_view token, std::int64_t now_ms);

// FDB-4: a service's address on the status page, from its English name: lower-case ASCII letters
// and digits, every other run as one '-', at most 60 characters. Empty when the name has no such
// letter (a Chinese name): the caller then addresses the service by its id.
std::string slug_from(std::string_view name);
// A slug as an administrator may set it: 1–60 of a-z, 0-9 and '-', neither first nor last '-'.
bool valid_slug(std::string_view text);

// FDB-4: the share of [from, to) outside every outage. Outages may overlap, begin before the
// window, run past it or not have ended yet (no end: until `to`). 1 for an empty window.
struct Outage {
  std::int64_t start = 0;
  std::optional<std::int64_t> end;
};
double availability(std::vector<Outage> outages, std::int64_t from, std::int64_t to);

// DESK-8: the hours a team has to act on a moment of truth, by the signal's kind: a complaint is
// the most urgent. Unknown kinds get a day.
std::int64_t recovery_hours(std::string_view signal);

}  // namespace tandem::feedback
