// DESK-5, DESK-4: the approvals of a catalog request. When a request type asks for them, its
// request waits in awaiting_approval; each step's approvers — resolved when the request arrives —
// approve or reject with a comment; a rejection ends the request (rejected, the comment its
// resolution), the last approval sends it to fulfilment. Every decision is on the ticket's
// timeline, so the requester hears of each step.
#pragma once

#include <string>
#include <vector>

#include "domain/catalog/approval.h"
#include "storage/ticket_requests.h"
#include "storage/tickets.h"
#include "usecase/context.h"

namespace tandem::usecase {

namespace drafting {
class TimelineDraft;
}

// The approvers of each step for a request of the organisation; conflict when a step has none
// (nothing would ever decide it).
Result<std::vector<storage::RequestApproval>> approvers_for(storage::Connection& c, const std::vector<catalog::ApprovalStep>& steps,
                                                            const std::string& organization_id, const std::string& ticket_id);
// Moves a new request with approvers to awaiting_approval, on its timeline.
void await_approval(storage::Ticket& t, drafting::TimelineDraft& draft);

struct ApprovalStepView {
  std::int64_t step = 0;
  bool all = false;
  catalog::StepState state = catalog::StepState::pending;
  std::vector<storage::RequestApproval> approvers;
};
std::vector<ApprovalStepView> approval_steps(const std::vector<storage::RequestApproval>& rows);

// An approver of the step now deciding approves or rejects (a comment is required to reject).
// not_found for one who is no approver of the ticket; conflict before their step's turn or
// once the request's approval is over.
Result<std::vector<ApprovalStepView>> decide_approval(const Services& s, const identity::Actor& actor, std::string_view ticket_id,
                                                      catalog::Decision decision, const std::string& comment);

// What waits for the caller's decision now, newest first: the request as its approver needs it.
struct PendingApproval {
  storage::Ticket ticket;
  storage::TicketRequest request;
  std::int64_t step = 0;
};
Result<std::vector<PendingApproval>> pending_approvals(const Services& s, const identity::Actor& actor);

}  // namespace tandem::usecase
