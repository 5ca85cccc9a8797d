#include "storage/insight_reports.h"

#include <fmt/format.h>

namespace tandem::storage::insight_reports {

Result<std::vector<OverrideRow>> overrides_in(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to, int limit) {
  std::vector<Value> params;
  auto where = scope.organization_condition("o.organization_id", params) + " AND o.created_at >= ? AND o.created_at < ?";
  params.emplace_back(from);
  params.emplace_back(to);
  params.emplace_back(std::int64_t(limit));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT o.id, o.rule, o.reason_code, o.justification, o.actor_id, o.organization_id, "
                                                  "COALESCE(t.id, ''), COALESCE(t.subject, ''), COALESCE(t.number, 0), o.created_at "
                                                  "FROM overrides o LEFT JOIN tickets t ON o.target_type = 'ticket' AND t.id = o.target_id "
                                                  "WHERE {} ORDER BY o.created_at DESC, o.id DESC LIMIT ?",
                                                  where),
                                      params));
  std::vector<OverrideRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6), r.text(7), r.integer(8), r.integer(9)});
  return out;
}

Result<std::vector<OverrideCount>> count_overrides(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to) {
  std::vector<Value> params;
  auto where = scope.organization_condition("organization_id", params) + " AND created_at >= ? AND created_at < ?";
  params.emplace_back(from);
  params.emplace_back(to);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT organization_id, rule, COUNT(*) FROM overrides WHERE {} "
                                                  "GROUP BY organization_id, rule ORDER BY organization_id, rule",
                                                  where),
                                      params));
  std::vector<OverrideCount> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.text(1), r.integer(2)});
  return out;
}

Result<std::vector<FlaggedTicket>> flagged_tickets(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to,
                                                   const std::vector<std::string>& flags, int limit) {
  if (flags.empty()) return std::vector<FlaggedTicket>{};
  std::vector<Value> params;
  auto where = scope.organization_condition("t.organization_id", params) + " AND t.created_at >= ? AND t.created_at < ?";
  params.emplace_back(from);
  params.emplace_back(to);
  // Flags are kept as words between spaces: each is sought as a whole word.
  std::string any;
  for (const auto& f : flags) {
    any += std::string(any.empty() ? "" : " OR ") + "(' ' || u.flags || ' ') LIKE ?";
    params.emplace_back("% " + f + " %");
  }
  params.emplace_back(std::int64_t(limit));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT t.id, t.subject, t.organization_id, u.id, u.flags, t.number, t.created_at, "
                                                  "(SELECT MIN(e.created_at) FROM ticket_events e JOIN users a ON a.id = e.actor_id "
                                                  " JOIN organizations p ON p.id = a.organization_id AND p.kind = 'provider' "
                                                  " WHERE e.ticket_id = t.id AND e.kind = 'comment' AND e.internal = 0), t.resolved_at "
                                                  "FROM tickets t JOIN users u ON u.id = COALESCE(t.on_behalf_of, t.requester_id) "
                                                  "WHERE {} AND u.organization_id = t.organization_id AND u.flags <> '' AND ({}) ORDER BY t.created_at, t.id LIMIT ?",
                                                  where, any),
                                      params));
  std::vector<FlaggedTicket> out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.integer(5), r.integer(6), r.maybe_integer(7), r.maybe_integer(8)});
  return out;
}

Result<std::vector<HandlingTotals>> handling_totals(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to) {
  std::vector<Value> params;
  auto where = scope.organization_condition("organization_id", params) + " AND created_at >= ? AND created_at < ?";
  params.emplace_back(from);
  params.emplace_back(to);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT organization_id, COUNT(*), COUNT(resolved_at), "
                                                  "CAST(AVG(CASE WHEN resolved_at IS NULL THEN NULL ELSE resolved_at - created_at END) AS BIGINT) "
                                                  "FROM tickets WHERE {} GROUP BY organization_id ORDER BY organization_id",
                                                  where),
                                      params));
  std::vector<HandlingTotals> out;
  for (const auto& r : rows) {
    HandlingTotals h{r.text(0), r.integer(1), r.integer(2), std::nullopt};
    if (!r.is_null(3)) h.mean_resolution_ms = double(r.integer(3));
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace tandem::storage::insight_reports
