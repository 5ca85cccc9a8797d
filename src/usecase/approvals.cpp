#include "usecase/approvals.h"

#include <algorithm>
#include <set>

#include "domain/tickets/workflow.h"
#include "storage/teams.h"
#include "storage/users.h"
#include "usecase/fulfilment.h"
#include "usecase/sla_policies.h"
#include "usecase/ticket_draft.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using namespace drafting;
constexpr int kMaxApprovers = 200;  // per step: a role held by more is no sensible approver
constexpr std::size_t kMaxPending = 100;

Result<std::vector<std::string>> users_with_role(storage::Connection& c, identity::Role role, const std::string& organization_id) {
  // A consumer role approves within the requester's organisation; a provider role anywhere.
  std::string org = identity::side_of(role) == identity::Side::consumer ? organization_id : "";
  ASSIGN_OR_RETURN(auto page, storage::users::list(c, storage::Scope::system(), {org, role, true}, {kMaxApprovers, ""}));
  std::vector<std::string> out;
  for (const auto& u : page.items) out.push_back(u.id);
  return out;
}

// The step now deciding: the first not approved. None when every step is approved or one was rejected.
const ApprovalStepView* deciding(const std::vector<ApprovalStepView>& steps) {
  for (const auto& step : steps) {
    if (step.state == catalog::StepState::rejected) return nullptr;
    if (step.state == catalog::StepState::pending) return &step;
  }
  return nullptr;
}

}  // namespace

Result<std::vector<storage::RequestApproval>> approvers_for(storage::Connection& c, const std::vector<catalog::ApprovalStep>& steps,
                                                            const std::string& organization_id, const std::string& ticket_id) {
  std::vector<storage::RequestApproval> out;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& step = steps[i];
    std::vector<std::string> ids;
    switch (step.kind) {
      case catalog::ApproverKind::customer: {
        ASSIGN_OR_RETURN(ids, users_with_role(c, identity::Role::customer, organization_id));
        break;
      }
      case catalog::ApproverKind::role: {
        ASSIGN_OR_RETURN(ids, users_with_role(c, *identity::parse_role(step.ref), organization_id));
        break;
      }
      case catalog::ApproverKind::user: {
        ASSIGN_OR_RETURN(auto user, storage::users::find(c, storage::Scope::system(), step.ref));
        if (user && user->active) ids.push_back(user->id);
        break;
      }
      case catalog::ApproverKind::team: {
        ASSIGN_OR_RETURN(auto team, storage::teams::find(c, step.ref));
        if (team) ids = team->member_ids;
        break;
      }
    }
    // Tenancy: a consumer approves only requests of their own organisation; a user or team named
    // on a type offered to several organisations approves only for their own.
    std::set<std::string> unique;
    for (const auto& approver : ids) {
      ASSIGN_OR_RETURN(auto user, storage::users::find(c, storage::Scope::system(), approver));
      if (user && user->active && (identity::is_staff(user->roles) || user->organization_id == organization_id)) unique.insert(user->id);
    }
    if (unique.empty())
      return fail(Code::conflict, "No one can approve step " + std::to_string(i + 1) + " of this request type (" +
                                      std::string(catalog::to_string(step.kind)) + " " + step.ref +
                                      "); the service desk must name its approvers first.",
                  "no_approvers");
    for (const auto& id : unique) out.push_back({ticket_id, std::int64_t(i), id, step.all, "pending", "", std::nullopt});
  }
  return out;
}

void await_approval(storage::Ticket& t, TimelineDraft& draft) {
  const auto& flow = tk::Workflows::builtin().of(t.type);
  auto from = t.status;
  enter_state(t, flow, "awaiting_approval", draft.now());
  draft.add("status_changed", Visibility::public_, "", Json{{"from", from}, {"to", t.status}});
}

std::vector<ApprovalStepView> approval_steps(const std::vector<storage::RequestApproval>& rows) {
  std::vector<ApprovalStepView> out;
  for (const auto& row : rows) {
    if (out.empty() || out.back().step != row.step) out.push_back({row.step, row.all_needed, catalog::StepState::pending, {}});
    out.back().approvers.push_back(row);
  }
  for (auto& step : out) {
    std::vector<catalog::Decision> decisions;
    for (const auto& a : step.approvers)
      if (a.decision != "skipped") decisions.push_back(a.decision == "approved"   ? catalog::Decision::approved
                                                       : a.decision == "rejected" ? catalog::Decision::rejected
                                                                                  : catalog::Decision::pending);
    step.state = catalog::step_state(step.all, decisions);
  }
  return out;
}

Result<std::vector<ApprovalStepView>> decide_approval(const Services& s, const Actor& actor, std::string_view ticket_id,
                                                      catalog::Decision decision, const std::string& comment) {
  Problems p;
  if (decision == catalog::Decision::rejected && trimmed(comment).empty()) p.add("comment", "is required to reject: say why");
  if (comment.size() > 4000) p.add("comment", "must be at most 4000 bytes");
  if (p.any()) return fail(p.error());
  ASSIGN_OR_RETURN(auto timeframes, current_timeframes(s));
  return write_publishing(s, [&](storage::Connection& c, Outbox& outbox) -> Result<std::vector<ApprovalStepView>> {
    // Approvers are named on the request, not by their reach: a department head who is a plain
    // user decides on a colleague's request without reading the rest of their tickets.
    ASSIGN_OR_RETURN(auto found, storage::ticket_store::find(c, Scope::system(), ticket_id, storage::Lock::for_update));
    ASSIGN_OR_RETURN(auto rows, storage::ticket_requests::approvals_of(c, ticket_id));
    auto mine = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.approver_id == actor.user_id; });
    if (!found || mine == rows.end()) return fail(Code::not_found, "No such approval.");
    auto steps = approval_steps(rows);
    const auto* now_deciding = deciding(steps);
    if (!now_deciding || found->status != "awaiting_approval") return fail(Code::conflict, "The approval of this request is over.");
    auto own = std::find_if(now_deciding->approvers.begin(), now_deciding->approvers.end(),
                            [&](const auto& r) { return r.approver_id == actor.user_id; });
    if (own == now_deciding->approvers.end() || own->decision != "pending")
      return fail(Code::conflict, own == now_deciding->approvers.end() ? "Your step's turn has not come yet."
                                                                       : "You have already decided this step.");
    auto step = now_deciding->step;
    auto t = std::move(*found);
    auto before = canonical(t);
    TimelineDraft draft(s, actor, t, tk::Channel::portal, outbox);
    for (auto& row : rows)
      if (row.step == step && row.approver_id == actor.user_id) {
        row.decision = decision == catalog::Decision::approved ? "approved" : "rejected";
        row.comment = trimmed(comment);
        row.decided_at = draft.now();
        TRY(storage::ticket_requests::decide(c, row));
      }
    draft.add("approval_decided", Visibility::public_, trimmed(comment),
              Json{{"step", step + 1}, {"decision", decision == catalog::Decision::approved ? "approved" : "rejected"}});
    steps = approval_steps(rows);
    auto state = steps[std::size_t(step)].state;
    // Decided: the other approvers of the step (and, after a rejection, of every later step)
    // have nothing left to decide.
    if (state != catalog::StepState::pending)
      for (auto& row : rows)
        if (row.decision == "pending" && (row.step == step || state == catalog::StepState::rejected)) {
          row.decision = "skipped";
          TRY(storage::ticket_requests::decide(c, row));
        }
    const auto& flow = tk::Workflows::builtin().of(t.type);
    const std::string from = t.status;
    auto move = [&](const std::string& to) {
      enter_state(t, flow, to, draft.now());
      draft.add("status_changed", Visibility::public_, to == "rejected" ? trimmed(comment) : "", Json{{"from", from}, {"to", to}});
    };
    if (state == catalog::StepState::rejected) move("rejected");
    else if (state == catalog::StepState::approved && std::size_t(step) + 1 == steps.size()) move("fulfilment");
    TRY(follow_status(c, s, t, from, draft));
    TRY(draft.settle_sla(c, *timeframes));
    t.version += 1;
    t.updated_at = draft.now();
    TRY(storage::ticket_store::update(c, t, false));
    TRY(draft.append_all(c));
    TRY(record(c, s, actor, {"request.approval", "ticket", t.id, t.organization_id, before, canonical(t)}));
    return approval_steps(rows);
  });
}

Result<std::vector<PendingApproval>> pending_approvals(const Services& s, const Actor& actor) {
  TRY(authorize(actor, "ticket.read"));
  return s.db.read([&](storage::Connection& c) -> Result<std::vector<PendingApproval>> {
    // More than are shown: some wait for an earlier step, some left approval by a staff move.
    ASSIGN_OR_RETURN(auto ids, storage::ticket_requests::pending_for(c, actor.user_id, 500));
    std::vector<PendingApproval> out;
    for (const auto& id : ids) {
      if (out.size() == kMaxPending) break;
      ASSIGN_OR_RETURN(auto rows, storage::ticket_requests::approvals_of(c, id));
      auto steps = approval_steps(rows);
      const auto* now_deciding = deciding(steps);
      if (!now_deciding || std::none_of(now_deciding->approvers.begin(), now_deciding->approvers.end(), [&](const auto& r) {
            return r.approver_id == actor.user_id && r.decision == "pending";
          }))
        continue;  // a later step's turn
      ASSIGN_OR_RETURN(auto ticket, storage::ticket_store::find(c, Scope::system(), id, storage::Lock::none));
      ASSIGN_OR_RETURN(auto request, storage::ticket_requests::find(c, Scope::system(), id));
      if (ticket && request && ticket->status == "awaiting_approval")
        out.push_back({std::move(*ticket), std::move(*request), now_deciding->step});
    }
    return out;
  });
}

}  // namespace tandem::usecase
