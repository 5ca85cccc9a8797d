#include "domain/catalog/approval.h"

#include <algorithm>
#include <array>

namespace tandem::catalog {
namespace {
constexpr std::array<std::pair<ApproverKind, std::string_view>, 4> kKinds = {
    {{ApproverKind::role, "role"}, {ApproverKind::user, "user"}, {ApproverKind::team, "team"}, {ApproverKind::customer, "customer"}}};
}  // namespace

std::optional<ApproverKind> parse_approver_kind(std::string_view text) {
  for (auto [kind, name] : kKinds)
    if (name == text) return kind;
  return std::nullopt;
}

std::string_view to_string(ApproverKind kind) {
  for (auto [k, name] : kKinds)
    if (k == kind) return name;
  return "customer";
}

std::optional<Decision> parse_decision(std::string_view text) {
  if (text == "approve") return Decision::approved;
  if (text == "reject") return Decision::rejected;
  return std::nullopt;
}

std::string_view to_string(Decision d) {
  switch (d) {
    case Decision::pending: return "pending";
    case Decision::approved: return "approved";
    case Decision::rejected: return "rejected";
  }
  return "pending";
}

std::string_view to_string(StepState s) {
  switch (s) {
    case StepState::pending: return "pending";
    case StepState::approved: return "approved";
    case StepState::rejected: return "rejected";
  }
  return "pending";
}

StepState step_state(bool all, std::span<const Decision> decisions) {
  if (std::find(decisions.begin(), decisions.end(), Decision::rejected) != decisions.end()) return StepState::rejected;
  auto approved = std::count(decisions.begin(), decisions.end(), Decision::approved);
  if (approved > 0 && (!all || approved == std::ssize(decisions))) return StepState::approved;
  return StepState::pending;
}

}  // namespace tandem::catalog
