// FDB-3: ratings credited to the counterparty, points, and prize draws (seed chapter 7.5, mutual
// elevation). A person who picks up a shared resource rates the state they found it in; the
// points (by the community's rules, as data) go to whoever returned it last — never to the
// rater. Agents earn points when the people their tickets served rate them well
// (usecase/ratings.cpp). Staff award points by hand with a reason. A draw among an
// organisation's people who earned points in a period commits to its seed's hash when made and
// publishes the seed when drawn, so anyone can repeat it (domain/feedback/draw.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/community.h"
#include "storage/points.h"
#include "usecase/context.h"

namespace tandem::usecase {

// ---- the state a shared resource was found in -----------------------------------------------

struct ConditionInput {
  std::optional<std::int64_t> score;  // 1–5
  std::string comment;
};
struct ConditionRated {
  storage::ConditionRating rating;
  bool created = false;  // false: the booker's earlier rating was replaced
};
// By the booker while the booking is picked up: 404 for anyone else's booking, 409 before pick-up
// or once returned, 422 for a score outside 1–5 or a comment too long.
Result<ConditionRated> rate_condition(const Services& s, const identity::Actor& actor, std::string_view booking_id,
                                     const ConditionInput& in);
// Staff who keep resources: the ratings a resource got, newest first.
Result<std::vector<storage::ConditionRating>> resource_conditions(const Services& s, const identity::Actor& actor,
                                                                  std::string_view resource_id);

// ---- points ------------------------------------------------------------------------------------

struct PointsView {
  std::string user_id;
  std::int64_t total = 0, last_7_days = 0, last_30_days = 0;
  std::vector<storage::ReputationEvent> history;  // newest first
};
// One's own; staff anyone's; a customer their organisation's people's (not_found otherwise).
Result<PointsView> points_of(const Services& s, const identity::Actor& actor, std::string_view user_id);
// points.award: a reward or a correction (-1000…1000, not 0) with its reason, audited.
Result<storage::ReputationEvent> award_points(const Services& s, const identity::Actor& actor, std::string_view user_id,
                                              std::optional<std::int64_t> points, const std::string& reason);

// ---- prize draws -----------------------------------------------------------------------------

// The body's fields, checked by the use case: organization_id, name, prize, winners (1–100),
// period_from, period_to (RFC 3339), min_points (at least 1), weighted.
struct DrawInput {
  std::string fields_json = "{}";
};
Result<storage::Draw> create_draw(const Services& s, const identity::Actor& actor, const DrawInput& in);
// Draws the winners once the period is over (conflict before, or when drawn already).
Result<storage::Draw> run_draw(const Services& s, const identity::Actor& actor, std::string_view id, std::int64_t expected_version);
// Staff any; anyone else their organisation's.
Result<storage::Draw> get_draw(const Services& s, const identity::Actor& actor, std::string_view id);
Result<storage::Page<storage::Draw>> list_draws(const Services& s, const identity::Actor& actor, const storage::PageRequest& page);
// A drawn draw's winners in the order drawn, named while they are of the draw's organisation
// (none: since moved to another, not named to this one).
struct Winner {
  std::string user_id;
  std::optional<std::string> name;
};
Result<std::vector<Winner>> winners_of(const Services& s, const storage::Draw& draw);

}  // namespace tandem::usecase
