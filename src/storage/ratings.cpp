#include "storage/ratings.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "id, ticket_id, touchpoint, user_id, organization_id, score, comment, service_id, team_id, agent_id, channel, via, version, "
    "created_at, updated_at";

Rating from_row(const Row& row) {
  Rating r;
  r.id = row.text(0);
  r.ticket_id = row.text(1);
  r.touchpoint = row.text(2);
  r.user_id = row.text(3);
  r.organization_id = row.text(4);
  r.score = row.integer(5);
  r.comment = row.text(6);
  r.service_id = row.maybe_text(7);
  r.team_id = row.maybe_text(8);
  r.agent_id = row.maybe_text(9);
  r.channel = row.text(10);
  r.via = row.text(11);
  r.version = row.integer(12);
  r.created_at = row.integer(13);
  r.updated_at = row.integer(14);
  return r;
}

// The ratings of the scope updated in [from, to), as a condition with its parameters.
std::string updated_between(const Scope& scope, std::int64_t from, std::int64_t to, std::vector<Value>& params) {
  auto where = scope.organization_condition("organization_id", params) + " AND updated_at >= ? AND updated_at < ?";
  params.emplace_back(from);
  params.emplace_back(to);
  return where;
}

}  // namespace

std::string canonical(const Rating& r) {
  return fmt::format("rating\nid={}\nticket={}\ntouchpoint={}\nuser={}\nscore={}\ncomment={}\nvia={}\nversion={}\n", r.id, r.ticket_id,
                     r.touchpoint, r.user_id, r.score, r.comment, r.via, r.version);
}

namespace ratings {

Result<void> insert(Connection& c, const Rating& r) {
  TRY(c.execute(fmt::format("INSERT INTO ratings ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kColumns),
                {r.id, r.ticket_id, r.touchpoint, r.user_id, r.organization_id, r.score, r.comment, optional_text(r.service_id),
                 optional_text(r.team_id), optional_text(r.agent_id), r.channel, r.via, r.version, r.created_at, r.updated_at}));
  return {};
}

Result<void> update(Connection& c, const Rating& r) {
  TRY(c.execute("UPDATE ratings SET score = ?, comment = ?, service_id = ?, team_id = ?, agent_id = ?, channel = ?, via = ?, "
                "version = ?, updated_at = ? WHERE id = ?",
                {r.score, r.comment, optional_text(r.service_id), optional_text(r.team_id), optional_text(r.agent_id), r.channel, r.via,
                 r.version, r.updated_at, r.id}));
  return {};
}

Result<std::optional<Rating>> find(Connection& c, std::string_view ticket_id, std::string_view touchpoint, std::string_view user_id,
                                   Lock lock) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM ratings WHERE ticket_id = ? AND touchpoint = ? AND user_id = ?{}",
                                                  kColumns, lock == Lock::for_update ? c.lock_clause() : ""),
                                      {std::string(ticket_id), std::string(touchpoint), std::string(user_id)}));
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Result<Page<Rating>> list(Connection& c, const Scope& scope, const RatingFilter& filter, const PageRequest& page) {
  std::vector<Value> params;
  std::string where = scope.organization_condition("organization_id", params);
  if (!scope.sees_everything() && !scope.sees_whole_organization()) where += " AND user_id = ?", params.emplace_back(scope.user_id());
  if (filter.ticket_id) where += " AND ticket_id = ?", params.emplace_back(*filter.ticket_id);
  if (!page.after.empty()) where += " AND id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM ratings WHERE {} ORDER BY id DESC LIMIT ?", kColumns, where), params));
  std::vector<Rating> items;
  for (const auto& row : rows) items.push_back(from_row(row));
  return make_page(std::move(items), page.limit, [](const Rating& r) { return r.id; });
}

Result<bool> use_link(Connection& c, std::string_view nonce, std::string_view ticket_id, std::int64_t now) {
  ASSIGN_OR_RETURN(auto n, c.execute("INSERT INTO rating_links_used (nonce, ticket_id, used_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                     {std::string(nonce), std::string(ticket_id), now}));
  return n > 0;
}

Result<bool> link_used(Connection& c, std::string_view nonce) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT 1 FROM rating_links_used WHERE nonce = ?", {std::string(nonce)}));
  return !rows.empty();
}

Result<void> move_user(Connection& c, std::string_view from, std::string_view to) {
  TRY(c.execute("UPDATE ratings SET user_id = ? WHERE user_id = ? AND NOT EXISTS (SELECT 1 FROM ratings r WHERE "
                "r.ticket_id = ratings.ticket_id AND r.touchpoint = ratings.touchpoint AND r.user_id = ?)",
                {std::string(to), std::string(from), std::string(to)}));
  TRY(c.execute("DELETE FROM ratings WHERE user_id = ?", {std::string(from)}));
  return {};
}

Result<std::vector<ScoreCount>> count_scores(Connection& c, const Scope& scope, RatingGrouping by, std::int64_t from, std::int64_t to) {
  std::string_view column = "service_id";
  switch (by) {
    case RatingGrouping::service: column = "service_id"; break;
    case RatingGrouping::team: column = "team_id"; break;
    case RatingGrouping::agent: column = "agent_id"; break;
    case RatingGrouping::channel: column = "channel"; break;
    case RatingGrouping::organization: column = "organization_id"; break;
    case RatingGrouping::touchpoint: column = "touchpoint"; break;
  }
  std::vector<Value> params;
  auto where = updated_between(scope, from, to, params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT COALESCE({0}, 'none'), organization_id, score, COUNT(*) FROM ratings "
                                                  "WHERE {1} GROUP BY COALESCE({0}, 'none'), organization_id, score",
                                                  column, where),
                                      params));
  std::vector<ScoreCount> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.text(0), r.text(1), r.integer(2), r.integer(3)});
  return out;
}

Result<std::vector<DayScore>> scores_per_day(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to) {
  std::vector<Value> params;
  auto where = updated_between(scope, from, to, params);
  // Whole milliseconds divided by whole milliseconds: an integer day in both dialects.
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT updated_at / 86400000, score, COUNT(*) FROM ratings WHERE {} "
                                                  "GROUP BY updated_at / 86400000, score",
                                                  where),
                                      params));
  std::vector<DayScore> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.integer(0), r.integer(1), r.integer(2)});
  return out;
}

Result<std::optional<std::int64_t>> first_public_reply_at(Connection& c, std::string_view ticket_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT MIN(e.created_at) FROM ticket_events e JOIN users a ON a.id = e.actor_id "
                                      "JOIN organizations p ON p.id = a.organization_id AND p.kind = 'provider' "
                                      "WHERE e.ticket_id = ? AND e.kind = 'comment' AND e.internal = 0",
                                      {std::string(ticket_id)}));
  if (rows.empty()) return std::nullopt;
  return rows[0].maybe_integer(0);
}

Result<std::vector<PairedScore>> paired_with_resolution(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to) {
  std::vector<Value> params;
  auto where = scope.organization_condition("a.organization_id", params) + " AND a.updated_at >= ? AND a.updated_at < ?";
  params.emplace_back(from);
  params.emplace_back(to);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT a.touchpoint, a.score, b.score, COUNT(*) FROM ratings a JOIN ratings b ON "
                                                  "b.ticket_id = a.ticket_id AND b.user_id = a.user_id AND b.touchpoint = 'resolution' "
                                                  "WHERE a.touchpoint <> 'resolution' AND {} GROUP BY a.touchpoint, a.score, b.score",
                                                  where),
                                      params));
  std::vector<PairedScore> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.integer(1), r.integer(2), r.integer(3)});
  return out;
}

}  // namespace ratings
}  // namespace tandem::storage
