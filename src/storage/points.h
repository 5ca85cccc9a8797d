// FDB-3: ratings of the state a shared resource was found in (credited to its holder before),
// prize draws, and the points people earned in a period. Condition ratings and draws belong to
// an organisation: reads take a Scope.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/scope.h"

namespace tandem::storage {

struct ConditionRating {
  std::string id;
  std::string booking_id, resource_id, organization_id, rater_id;
  std::optional<std::string> previous_booking_id, credited_user_id;  // none: nobody held it before, or the rater did
  std::int64_t score = 0;  // 1–5
  std::string comment;
  std::int64_t version = 1;
  std::int64_t created_at = 0, updated_at = 0;
};
std::string canonical(const ConditionRating& r);

struct Draw {
  std::string id;
  std::string organization_id;
  std::string name, prize;
  std::int64_t winners = 1;
  std::int64_t period_from = 0, period_to = 0;
  std::int64_t min_points = 1;
  bool weighted = false;
  std::string seed;  // secret until drawn
  std::string seed_hash;
  std::string state = "open";  // open, drawn
  std::string entrants = "[]";  // JSON [{user_id, tickets}], as drawn
  std::vector<std::string> winner_ids;
  std::optional<std::int64_t> drawn_at;
  std::string created_by;
  std::int64_t version = 1;
  std::int64_t created_at = 0, updated_at = 0;
};
std::string canonical(const Draw& d);

struct PeriodPoints {
  std::string user_id;
  std::int64_t points = 0;
};

// The booking that last held a resource before `before`: returned at or before it (none when
// nobody did).
struct Holding {
  std::string booking_id, user_id;
};

namespace condition_ratings {
Result<std::optional<Holding>> previous_holding(Connection& c, std::string_view resource_id, std::string_view except_booking_id,
                                                std::int64_t before);
Result<void> insert(Connection& c, const ConditionRating& r);
Result<void> update(Connection& c, const ConditionRating& r);
Result<std::optional<ConditionRating>> of_booking(Connection& c, std::string_view booking_id, Lock lock = Lock::none);
// The scope's ratings of a resource, newest first.
Result<std::vector<ConditionRating>> of_resource(Connection& c, const Scope& scope, std::string_view resource_id, int limit);
}  // namespace condition_ratings

namespace draws {
Result<void> insert(Connection& c, const Draw& d);
Result<void> update(Connection& c, const Draw& d);
Result<std::optional<Draw>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock = Lock::none);
// The scope's draws, newest first.
Result<Page<Draw>> list(Connection& c, const Scope& scope, const PageRequest& page);
}  // namespace draws

namespace points {
// The points each active person of the organisation earned in [from, to), for those with at
// least `at_least`, by user id.
Result<std::vector<PeriodPoints>> earned_in(Connection& c, std::string_view organization_id, std::int64_t from, std::int64_t to,
                                            std::int64_t at_least);
// One person's points earned since `since` (0: ever).
Result<std::int64_t> earned_since(Connection& c, std::string_view user_id, std::int64_t since);
}  // namespace points

}  // namespace tandem::storage
