// ONB-8: enablement requirements — what a person must have before the catalog lets them request
// an item: a clearance, a training, a certification, a safety training, an age, an identity, a
// licence (of a category, until it expires), or something the provider names. People show
// evidence; the provider's agents approve it (perhaps until a day) or reject it with a reason.
// Where a person stands on a requirement follows from their evidence and the day. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include <date/date.h>

namespace tandem::onboarding {

enum class RequirementKind { clearance, training, certification, safety_training, age, identity, licence, custom };
std::optional<RequirementKind> parse_requirement_kind(std::string_view text);
std::string_view to_string(RequirementKind k);

enum class EvidenceStatus { pending, approved, rejected };
std::optional<EvidenceStatus> parse_evidence_status(std::string_view text);
std::string_view to_string(EvidenceStatus s);

enum class RequirementStatus { missing, pending, met, rejected, expired };
std::string_view to_string(RequirementStatus s);

struct Evidence {
  EvidenceStatus status = EvidenceStatus::pending;
  std::optional<date::sys_days> expires_on;  // approved until the end of this day
};

// Whether an approval holds on `today` (not after its last day; one with none holds).
bool approval_holds(const Evidence& evidence, date::sys_days today);

// Where a person stands, from every piece of evidence they gave for the requirement: met while
// an approval holds (today is not after its last day); else pending while one waits for a
// decision; else rejected or expired as the newest decision left it; missing with none.
// `evidence` is newest first.
RequirementStatus status_of(std::span<const Evidence> evidence, date::sys_days today);

// ONB-8: the reminder before an approval runs out — `days_before` its last day: due from that
// day until it expires. (That it is sent once is the store's: it keeps when it was sent.)
bool reminder_due(const Evidence& evidence, date::sys_days today, int days_before);

// An approval's last day: the one the agent gives, else the requirement's validity counted from
// the decision, else none (it holds until withdrawn).
std::optional<date::sys_days> approval_expiry(std::optional<date::sys_days> given, std::optional<int> validity_days,
                                              date::sys_days decided_on);

}  // namespace tandem::onboarding
