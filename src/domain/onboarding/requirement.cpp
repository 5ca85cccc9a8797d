#include "domain/onboarding/requirement.h"

#include "domain/onboarding/names.h"

namespace tandem::onboarding {
namespace {

constexpr names::Table<RequirementKind, 8> kKinds = {{{RequirementKind::clearance, "clearance"},
                                                      {RequirementKind::training, "training"},
                                                      {RequirementKind::certification, "certification"},
                                                      {RequirementKind::safety_training, "safety_training"},
                                                      {RequirementKind::age, "age"},
                                                      {RequirementKind::identity, "identity"},
                                                      {RequirementKind::licence, "licence"},
                                                      {RequirementKind::custom, "custom"}}};
constexpr names::Table<EvidenceStatus, 3> kEvidence = {
    {{EvidenceStatus::pending, "pending"}, {EvidenceStatus::approved, "approved"}, {EvidenceStatus::rejected, "rejected"}}};
constexpr names::Table<RequirementStatus, 5> kStatuses = {{{RequirementStatus::missing, "missing"},
                                                           {RequirementStatus::pending, "pending"},
                                                           {RequirementStatus::met, "met"},
                                                           {RequirementStatus::rejected, "rejected"},
                                                           {RequirementStatus::expired, "expired"}}};

}  // namespace

std::optional<RequirementKind> parse_requirement_kind(std::string_view text) { return names::parse(kKinds, text); }
std::string_view to_string(RequirementKind k) { return names::of(kKinds, k); }
std::optional<EvidenceStatus> parse_evidence_status(std::string_view text) { return names::parse(kEvidence, text); }
std::string_view to_string(EvidenceStatus s) { return names::of(kEvidence, s); }
std::string_view to_string(RequirementStatus s) { return names::of(kStatuses, s); }

bool approval_holds(const Evidence& e, date::sys_days today) {
  return e.status == EvidenceStatus::approved && (!e.expires_on || today <= *e.expires_on);
}

RequirementStatus status_of(std::span<const Evidence> evidence, date::sys_days today) {
  for (const auto& e : evidence)
    if (approval_holds(e, today)) return RequirementStatus::met;
  for (const auto& e : evidence)
    if (e.status == EvidenceStatus::pending) return RequirementStatus::pending;
  for (const auto& e : evidence) {
    if (e.status == EvidenceStatus::rejected) return RequirementStatus::rejected;
    if (e.status == EvidenceStatus::approved) return RequirementStatus::expired;
  }
  return RequirementStatus::missing;
}

bool reminder_due(const Evidence& e, date::sys_days today, int days_before) {
  if (!approval_holds(e, today) || !e.expires_on) return false;
  return today >= *e.expires_on - date::days(days_before);
}

std::optional<date::sys_days> approval_expiry(std::optional<date::sys_days> given, std::optional<int> validity_days,
                                              date::sys_days decided_on) {
  if (given) return given;
  if (validity_days) return decided_on + date::days(*validity_days - 1);
  return std::nullopt;
}

}  // namespace tandem::onboarding
