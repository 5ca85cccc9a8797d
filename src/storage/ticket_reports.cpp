#include "storage/ticket_reports.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::int64_t kDayMs = 24 * 60 * 60 * 1000;

std::string_view key_column(TicketGrouping by) {
  switch (by) {
    case TicketGrouping::type: return "t.type";
    case TicketGrouping::channel: return "t.channel";
    case TicketGrouping::organization: return "t.organization_id";
    case TicketGrouping::team: return "t.team_id";
  }
  return "t.type";
}

// Grouping by team puts the tickets without one together under NULL.
std::string key_of(const Row& r) { return r.maybe_text(0).value_or("none"); }

// A condition on tickets aliased t: in one of its type's open states.
std::string open_condition(const OpenStates& open, std::vector<Value>& params) {
  std::string any;
  for (const auto& [type, states] : open) {
    if (states.empty()) continue;
    params.emplace_back(std::string(tickets::to_string(type)));
    std::string marks;
    for (const auto& s : states) {
      marks += marks.empty() ? "?" : ", ?";
      params.emplace_back(s);
    }
    any += fmt::format("{}(t.type = ? AND t.status IN ({}))", any.empty() ? "" : " OR ", marks);
  }
  return any.empty() ? "1 = 0" : "(" + any + ")";
}

}  // namespace

namespace ticket_reports {

Result<std::vector<RaisedCount>> raised(Connection& c, const Scope& scope, TicketGrouping by, std::int64_t from,
                                        std::int64_t to, const OpenStates& open) {
  std::vector<Value> params;
  auto is_open = open_condition(open, params);
  params.insert(params.end(), {from, to});
  auto where = scope.tickets_condition("t", params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {}, COUNT(*), SUM(CASE WHEN {} THEN 1 ELSE 0 END) FROM tickets t "
                                                  "WHERE t.created_at >= ? AND t.created_at < ? AND {} GROUP BY 1",
                                                  key_column(by), is_open, where),
                                      params));
  std::vector<RaisedCount> out;
  for (const auto& r : rows) out.push_back({key_of(r), r.integer(1), r.integer(2)});
  return out;
}

Result<std::map<std::int64_t, std::int64_t>> raised_per_day(Connection& c, const Scope& scope, std::int64_t from,
                                                            std::int64_t to) {
  std::vector<Value> params{from, to};
  auto where = scope.tickets_condition("t", params);
  // Integer division on both engines: created_at is an integer column.
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT t.created_at / {}, COUNT(*) FROM tickets t "
                                                  "WHERE t.created_at >= ? AND t.created_at < ? AND {} GROUP BY 1",
                                                  kDayMs, where),
                                      params));
  std::map<std::int64_t, std::int64_t> out;
  for (const auto& r : rows) out[r.integer(0)] = r.integer(1);
  return out;
}

Result<std::vector<OpenCount>> open_by_age(Connection& c, const Scope& scope, TicketGrouping by, const OpenStates& open,
                                           std::int64_t now, const std::vector<std::int64_t>& age_limits) {
  std::vector<Value> params;
  std::string bucket = "CASE";
  for (std::size_t i = 0; i < age_limits.size(); ++i) {
    bucket += fmt::format(" WHEN t.created_at > ? THEN {}", i);
    params.emplace_back(now - age_limits[i]);
  }
  bucket += fmt::format(" ELSE {} END", age_limits.size());
  auto is_open = open_condition(open, params);
  auto where = scope.tickets_condition("t", params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {}, {}, COUNT(*), MIN(t.created_at) FROM tickets t "
                                                  "WHERE {} AND {} GROUP BY 1, 2",
                                                  key_column(by), bucket, is_open, where),
                                      params));
  std::vector<OpenCount> out;
  for (const auto& r : rows) out.push_back({key_of(r), std::size_t(r.integer(1)), r.integer(2), r.integer(3)});
  return out;
}

}  // namespace ticket_reports
}  // namespace tandem::storage
