#include "storage/ticket_requests.h"

#include <fmt/format.h>

namespace tandem::storage::ticket_requests {
namespace {
constexpr std::string_view kColumns =
    "r.ticket_id, r.request_type_id, r.beneficiary_id, r.organization_id, r.answers, r.price_cents, r.created_at";
}  // namespace

Result<void> insert(Connection& c, const TicketRequest& r) {
  TRY(c.execute("INSERT INTO ticket_requests (ticket_id, request_type_id, beneficiary_id, organization_id, answers, price_cents, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                {r.ticket_id, r.request_type_id, r.beneficiary_id, r.organization_id, r.answers, r.price_cents, r.created_at}));
  return {};
}

Result<std::optional<TicketRequest>> find(Connection& c, const Scope& scope, std::string_view ticket_id) {
  std::vector<Value> params{std::string(ticket_id)};
  auto where = scope.tickets_condition("t", params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM ticket_requests r JOIN tickets t ON t.id = r.ticket_id "
                                                  "WHERE r.ticket_id = ? AND {}",
                                                  kColumns, where),
                                      params));
  if (rows.empty()) return std::nullopt;
  const auto& row = rows[0];
  return TicketRequest{row.text(0), row.text(1), row.text(2), row.text(3), row.text(4), row.integer(5), row.integer(6)};
}

Result<std::int64_t> count_since(Connection& c, std::string_view request_type_id, QuotaHolder by, std::string_view holder_id,
                                 std::int64_t since) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT COUNT(*) FROM ticket_requests r JOIN tickets t ON t.id = r.ticket_id "
                                                  "WHERE r.request_type_id = ? AND r.{} = ? AND r.created_at >= ? "
                                                  "AND t.status NOT IN ('rejected', 'cancelled')",
                                                  by == QuotaHolder::user ? "beneficiary_id" : "organization_id"),
                                      {std::string(request_type_id), std::string(holder_id), since}));
  return rows[0].integer(0);
}

Result<bool> any_of_type(Connection& c, std::string_view request_type_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT 1 FROM ticket_requests WHERE request_type_id = ? LIMIT 1", {std::string(request_type_id)}));
  return !rows.empty();
}

}  // namespace tandem::storage::ticket_requests
