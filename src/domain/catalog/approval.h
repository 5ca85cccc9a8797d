// DESK-5: the approvals a request type asks for before it is fulfilled — ordered steps, each
// decided by any one of its approvers or by all of them. A rejection at any step ends the
// request. Pure: who the approvers are is resolved by the use case when the request arrives.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::catalog {

// Who approves a step: everyone with a role (a consumer role within the requester's
// organisation), one named user, the members of a team, or the requester organisation's
// customers (their budget holders).
enum class ApproverKind { role, user, team, customer };
std::optional<ApproverKind> parse_approver_kind(std::string_view text);
std::string_view to_string(ApproverKind kind);

struct ApprovalStep {
  ApproverKind kind = ApproverKind::customer;
  std::string ref;   // the role, user id or team id; empty for customer
  bool all = false;  // all approvers must approve; otherwise the first decision decides
};

enum class Decision { pending, approved, rejected };
std::optional<Decision> parse_decision(std::string_view text);  // "approve", "reject"
std::string_view to_string(Decision d);

enum class StepState { pending, approved, rejected };
std::string_view to_string(StepState s);

// A step's state from its approvers' decisions: rejected by any rejection; approved by the
// first approval (any) or once every approver approved (all); pending otherwise.
StepState step_state(bool all, std::span<const Decision> decisions);

}  // namespace tandem::catalog
