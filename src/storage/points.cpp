#include "storage/points.h"

#include <fmt/format.h>

#include "core/table.h"

namespace tandem::storage {
namespace {

constexpr std::string_view kRatingColumns =
    "id, booking_id, resource_id, organization_id, rater_id, previous_booking_id, credited_user_id, score, comment, version, "
    "created_at, updated_at";

ConditionRating rating_from(const Row& r) {
  return {r.text(0),       r.text(1),    r.text(2),     r.text(3),      r.text(4),      r.maybe_text(5),
          r.maybe_text(6), r.integer(7), r.text(8),     r.integer(9),   r.integer(10),  r.integer(11)};
}

constexpr std::string_view kDrawColumns =
    "id, organization_id, name, prize, winners, period_from, period_to, min_points, weighted, seed, seed_hash, state, entrants, "
    "winner_ids, drawn_at, created_by, version, created_at, updated_at";

Draw draw_from(const Row& r) {
  Draw d;
  d.id = r.text(0);
  d.organization_id = r.text(1);
  d.name = r.text(2);
  d.prize = r.text(3);
  d.winners = r.integer(4);
  d.period_from = r.integer(5);
  d.period_to = r.integer(6);
  d.min_points = r.integer(7);
  d.weighted = r.integer(8) != 0;
  d.seed = r.text(9);
  d.seed_hash = r.text(10);
  d.state = r.text(11);
  d.entrants = r.text(12);
  d.winner_ids = split_lines(r.text(13));
  d.drawn_at = r.maybe_integer(14);
  d.created_by = r.text(15);
  d.version = r.integer(16);
  d.created_at = r.integer(17);
  d.updated_at = r.integer(18);
  return d;
}

}  // namespace

std::string canonical(const ConditionRating& r) {
  return fmt::format("condition_rating\nid={}\nbooking={}\nresource={}\nrater={}\nprevious={}\ncredited={}\nscore={}\ncomment={}\nversion={}\n",
                     r.id, r.booking_id, r.resource_id, r.rater_id, r.previous_booking_id.value_or(""), r.credited_user_id.value_or(""),
                     r.score, r.comment, r.version);
}

// The seed stays out until it is published: an audit entry before the draw must not give it away.
std::string canonical(const Draw& d) {
  return fmt::format("draw\nid={}\norganization={}\nname={}\nprize={}\nwinners={}\nfrom={}\nto={}\nmin_points={}\nweighted={}\n"
                     "seed_hash={}\nstate={}\nseed={}\nwinner_ids={}\nversion={}\n",
                     d.id, d.organization_id, d.name, d.prize, d.winners, d.period_from, d.period_to, d.min_points, d.weighted,
                     d.seed_hash, d.state, d.state == "drawn" ? d.seed : "", join_lines(d.winner_ids), d.version);
}

namespace condition_ratings {

Result<std::optional<Holding>> previous_holding(Connection& c, std::string_view resource_id, std::string_view except_booking_id,
                                                std::int64_t before) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT id, user_id FROM bookings WHERE resource_id = ? AND id <> ? AND state = 'returned' "
                                      "AND returned_at <= ? ORDER BY returned_at DESC, id DESC LIMIT 1",
                                      {std::string(resource_id), std::string(except_booking_id), before}));
  if (rows.empty()) return std::nullopt;
  return Holding{rows[0].text(0), rows[0].text(1)};
}

Result<void> insert(Connection& c, const ConditionRating& r) {
  TRY(c.execute(fmt::format("INSERT INTO condition_ratings ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kRatingColumns),
                {r.id, r.booking_id, r.resource_id, r.organization_id, r.rater_id, optional_text(r.previous_booking_id),
                 optional_text(r.credited_user_id), r.score, r.comment, r.version, r.created_at, r.updated_at}));
  return {};
}

Result<void> update(Connection& c, const ConditionRating& r) {
  TRY(c.execute("UPDATE condition_ratings SET score = ?, comment = ?, version = ?, updated_at = ? WHERE id = ?",
                {r.score, r.comment, r.version, r.updated_at, r.id}));
  return {};
}

Result<std::optional<ConditionRating>> of_booking(Connection& c, std::string_view booking_id, Lock lock) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM condition_ratings WHERE booking_id = ?{}", kRatingColumns,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      {std::string(booking_id)}));
  if (rows.empty()) return std::nullopt;
  return rating_from(rows[0]);
}

Result<std::vector<ConditionRating>> of_resource(Connection& c, const Scope& scope, std::string_view resource_id, int limit) {
  std::vector<Value> params{std::string(resource_id)};
  auto where = scope.organization_condition("organization_id", params);
  params.emplace_back(std::int64_t(limit));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM condition_ratings WHERE resource_id = ? AND {} "
                                                  "ORDER BY created_at DESC, id DESC LIMIT ?",
                                                  kRatingColumns, where),
                                      params));
  std::vector<ConditionRating> out;
  for (const auto& r : rows) out.push_back(rating_from(r));
  return out;
}

}  // namespace condition_ratings

namespace draws {

Result<void> insert(Connection& c, const Draw& d) {
  TRY(c.execute(fmt::format("INSERT INTO draws ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kDrawColumns),
                {d.id, d.organization_id, d.name, d.prize, d.winners, d.period_from, d.period_to, d.min_points, std::int64_t(d.weighted),
                 d.seed, d.seed_hash, d.state, d.entrants, join_lines(d.winner_ids), optional_integer(d.drawn_at), d.created_by, d.version,
                 d.created_at, d.updated_at}));
  return {};
}

Result<void> update(Connection& c, const Draw& d) {
  TRY(c.execute("UPDATE draws SET state = ?, entrants = ?, winner_ids = ?, drawn_at = ?, version = ?, updated_at = ? WHERE id = ?",
                {d.state, d.entrants, join_lines(d.winner_ids), optional_integer(d.drawn_at), d.version, d.updated_at, d.id}));
  return {};
}

Result<std::optional<Draw>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock) {
  std::vector<Value> params{std::string(id)};
  auto where = scope.organization_condition("organization_id", params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM draws WHERE id = ? AND {}{}", kDrawColumns, where,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      params));
  if (rows.empty()) return std::nullopt;
  return draw_from(rows[0]);
}

Result<Page<Draw>> list(Connection& c, const Scope& scope, const PageRequest& page) {
  std::vector<Value> params;
  auto where = scope.organization_condition("organization_id", params);
  if (!page.after.empty()) where += " AND id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM draws WHERE {} ORDER BY id DESC LIMIT ?", kDrawColumns, where), params));
  std::vector<Draw> out;
  for (const auto& r : rows) out.push_back(draw_from(r));
  return make_page(std::move(out), page.limit, [](const Draw& d) { return d.id; });
}

}  // namespace draws

namespace points {

Result<std::vector<PeriodPoints>> earned_in(Connection& c, std::string_view organization_id, std::int64_t from, std::int64_t to,
                                            std::int64_t at_least) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT e.user_id, CAST(SUM(e.points) AS BIGINT) FROM reputation_events e "
                                      "JOIN users u ON u.id = e.user_id WHERE u.organization_id = ? AND u.active = 1 AND u.left_at IS NULL AND "
                                      "e.created_at >= ? AND e.created_at < ? GROUP BY e.user_id HAVING SUM(e.points) >= ? "
                                      "ORDER BY e.user_id",
                                      {std::string(organization_id), from, to, at_least}));
  std::vector<PeriodPoints> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.integer(1)});
  return out;
}

Result<std::int64_t> earned_since(Connection& c, std::string_view user_id, std::int64_t since) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM reputation_events WHERE user_id = ? AND "
                                      "created_at >= ?",
                                      {std::string(user_id), since}));
  return rows.empty() ? 0 : rows[0].integer(0);
}

}  // namespace points
}  // namespace tandem::storage
