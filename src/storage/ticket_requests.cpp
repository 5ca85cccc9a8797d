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

Result<void> lock_holder(Connection& c, QuotaHolder by, std::string_view holder_id) {
  TRY(c.query(fmt::format("SELECT id FROM {} WHERE id = ?{}", by == QuotaHolder::user ? "users" : "organizations", c.lock_clause()),
              {std::string(holder_id)}));
  return {};
}

Result<void> insert_approval(Connection& c, const RequestApproval& a) {
  TRY(c.execute("INSERT INTO request_approvals (ticket_id, step, approver_id, all_needed, decision, comment, decided_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                {a.ticket_id, a.step, a.approver_id, std::int64_t(a.all_needed), a.decision, a.comment, optional_integer(a.decided_at)}));
  return {};
}

Result<std::vector<RequestApproval>> approvals_of(Connection& c, std::string_view ticket_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT ticket_id, step, approver_id, all_needed, decision, comment, decided_at "
                                      "FROM request_approvals WHERE ticket_id = ? ORDER BY step, approver_id",
                                      {std::string(ticket_id)}));
  std::vector<RequestApproval> out;
  for (const auto& r : rows)
    out.push_back({r.text(0), r.integer(1), r.text(2), r.integer(3) != 0, r.text(4), r.text(5), r.maybe_integer(6)});
  return out;
}

Result<void> decide(Connection& c, const RequestApproval& a) {
  TRY(c.execute("UPDATE request_approvals SET decision = ?, comment = ?, decided_at = ? WHERE ticket_id = ? AND step = ? AND approver_id = ?",
                {a.decision, a.comment, optional_integer(a.decided_at), a.ticket_id, a.step, a.approver_id}));
  return {};
}

Result<std::vector<std::string>> pending_for(Connection& c, std::string_view approver_id, int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT DISTINCT ticket_id FROM request_approvals WHERE approver_id = ? AND decision = 'pending' "
                                      "ORDER BY ticket_id DESC LIMIT ?",
                                      {std::string(approver_id), std::int64_t(limit)}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

Result<std::vector<std::string>> hand_over_approvals(Connection& c, std::string_view from, std::string_view to) {
  std::string f(from), t(to);
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT DISTINCT ticket_id FROM request_approvals WHERE approver_id = ? AND decision = 'pending' "
                                      "ORDER BY ticket_id",
                                      {f}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.text(0));
  if (out.empty()) return out;
  TRY(c.execute("UPDATE request_approvals SET approver_id = ? WHERE approver_id = ? AND decision = 'pending' AND NOT EXISTS "
                "(SELECT 1 FROM request_approvals o WHERE o.ticket_id = request_approvals.ticket_id "
                "AND o.step = request_approvals.step AND o.approver_id = ?)",
                {t, f, t}));
  TRY(c.execute("DELETE FROM request_approvals WHERE approver_id = ? AND decision = 'pending'", {f}));
  return out;
}

}  // namespace tandem::storage::ticket_requests
