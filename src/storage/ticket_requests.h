// DESK-5, REL-2: what a request submitted through the catalog was — its type, for whom, the
// checked answers and the price when submitted — kept beside the service_request ticket it
// became. Reads go through the ticket's Scope.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/scope.h"

namespace tandem::storage {

struct TicketRequest {
  std::string ticket_id;
  std::string request_type_id;
  std::string beneficiary_id;  // the user it is for (the requester, or whom they acted for)
  std::string organization_id;
  std::string answers = "{}";  // JSON object, as the form's check kept them
  std::int64_t price_cents = 0;
  std::int64_t created_at = 0;
};

enum class QuotaHolder { user, organization };

// One approver's part in one step of a request's approval.
struct RequestApproval {
  std::string ticket_id;
  std::int64_t step = 0;
  std::string approver_id;
  bool all_needed = false;
  std::string decision = "pending";  // pending, approved, rejected; skipped once the step or the approval is decided
  std::string comment;
  std::optional<std::int64_t> decided_at;
};

namespace ticket_requests {
Result<void> insert(Connection& c, const TicketRequest& r);
// The request of a ticket the scope sees; nullopt when there is none or it is not seen.
Result<std::optional<TicketRequest>> find(Connection& c, const Scope& scope, std::string_view ticket_id);
// Requests of the type for the holder (a user or an organisation id) since `since` (ms), not
// counting those rejected or cancelled: what a quota counts.
Result<std::int64_t> count_since(Connection& c, std::string_view request_type_id, QuotaHolder by, std::string_view holder_id,
                                 std::int64_t since);
// Whether any request of the type exists (a used type is retired, not removed).
Result<bool> any_of_type(Connection& c, std::string_view request_type_id);

// Holds the user's or organisation's row until the transaction ends, so that checks which count
// and then insert for a holder — a quota, a holder's subscriptions never overlapping — run one
// at a time per holder on PostgreSQL too (SQLite writes one transaction at a time anyway).
Result<void> lock_holder(Connection& c, QuotaHolder by, std::string_view holder_id);

Result<void> insert_approval(Connection& c, const RequestApproval& a);
// Every approver of every step of the ticket's request, by step then approver. Callers have
// read the ticket through their scope, or are its approvers.
Result<std::vector<RequestApproval>> approvals_of(Connection& c, std::string_view ticket_id);
Result<void> decide(Connection& c, const RequestApproval& a);
// Tickets on which the user has a pending decision, newest first: the approver's work list.
Result<std::vector<std::string>> pending_for(Connection& c, std::string_view approver_id, int limit);
// OFF-1: the approvals still waiting on `from` wait on `to` instead; where `to` approves the same
// step already, `from`'s place goes. The tickets whose approvals changed.
Result<std::vector<std::string>> hand_over_approvals(Connection& c, std::string_view from, std::string_view to);
}  // namespace ticket_requests

}  // namespace tandem::storage
