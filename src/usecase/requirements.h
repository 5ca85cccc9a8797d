// ONB-8: enablement requirements and the evidence that meets them. Administrators define the
// requirements (kept as definitions, their names in every language); entitlement rules name them
// (`requirement_ids`), and the catalog lets a person request an item only when they meet every
// requirement its rule names, telling them what is still missing. A person gives evidence for
// themselves; the provider's agents approve it (perhaps until a day) or reject it with a reason.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/catalog/localized_text.h"
#include "domain/onboarding/requirement.h"
#include "storage/definitions.h"
#include "storage/requirement_evidence.h"
#include "usecase/catalog.h"
#include "usecase/context.h"

namespace tandem::usecase {

inline constexpr std::array<std::string_view, 9> kRequirementFields = {
    "name", "kind", "description", "category", "training_id", "validity_days", "reminder_days", "order", "active"};

struct RequirementView {
  storage::StoredDefinition stored;
  onboarding::RequirementKind kind = onboarding::RequirementKind::custom;
  catalog::LocalizedText name;
  catalog::LocalizedText description;
  std::string category;                    // a licence's (e.g. "C1")
  std::optional<std::string> training_id;  // a training requirement's
  std::optional<int> validity_days;        // an approval holds this long unless the agent says otherwise
  int reminder_days = 30;                  // a reminder this many days before an approval runs out
};

Result<RequirementView> create_requirement(const Services& s, const identity::Actor& actor, const CatalogInput& in);
Result<std::vector<RequirementView>> list_requirements(const Services& s, const identity::Actor& actor);
Result<RequirementView> get_requirement(const Services& s, const identity::Actor& actor, std::string_view id);
Result<RequirementView> update_requirement(const Services& s, const identity::Actor& actor, std::string_view id,
                                           std::int64_t expected_version, const CatalogInput& patch);
// conflict while an entitlement rule names it.
Result<void> delete_requirement(const Services& s, const identity::Actor& actor, std::string_view id);

struct EvidenceInput {
  std::string note;  // may be empty when a file is given
  struct File {
    std::string client_name;  // sanitised as attachments' names are
    std::string_view bytes;
  };
  std::optional<File> file;
  // Or a file already here: the caller's own upload (POST /api/v1/uploads) or an attachment of a
  // ticket of their organisation they see.
  std::optional<std::string> attachment_id;
};
// How many pieces of evidence one person may have waiting for a decision at once.
inline constexpr std::int64_t kMaxPendingEvidence = 20;
// The caller's own evidence for a requirement, pending until an agent decides. A file's content
// is written before the row (a failed write leaves only an unreferenced file, which is swept).
Result<storage::RequirementEvidence> submit_evidence(const Services& s, const identity::Actor& actor, std::string_view requirement_id,
                                                     const EvidenceInput& in);

// The file of a piece of evidence, to its giver and to the provider's staff; not_found for
// anyone else and for evidence without a file.
struct EvidenceDownload {
  storage::EvidenceFile file;
  std::string bytes;
};
Result<EvidenceDownload> get_evidence_file(const Services& s, const identity::Actor& actor, std::string_view evidence_id);

struct EvidenceDecision {
  std::string decision;  // approved or rejected
  std::string reason;
  std::optional<std::string> expires_on;  // YYYY-MM-DD; an approval's last day
};
Result<storage::RequirementEvidence> decide_evidence(const Services& s, const identity::Actor& actor, std::string_view evidence_id,
                                                     const EvidenceDecision& in);
// The agents' queue (staff): `status` empty for all, else pending, approved or rejected.
Result<storage::Page<storage::RequirementEvidence>> list_evidence(const Services& s, const identity::Actor& actor, std::string_view status,
                                                                  const storage::PageRequest& page);

// Where the caller stands on each requirement that concerns them: those the catalog's rules for
// their organisation and role name, and those they gave evidence for.
struct RequirementStanding {
  RequirementView requirement;
  onboarding::RequirementStatus status = onboarding::RequirementStatus::missing;
  std::optional<storage::RequirementEvidence> latest;  // their newest evidence
  std::optional<std::string> expires_on;               // of the approval that holds
};
Result<std::vector<RequirementStanding>> my_requirements(const Services& s, const identity::Actor& actor);

// ONB-8: reminds each person whose approval runs out within its requirement's reminder days —
// once per approval, in the notification centre, in their language. Safe to run on several nodes
// (the approvals are taken under their row locks). How many were reminded.
Result<int> remind_expiring_requirements(const Services& s, int limit = 100);

// For the catalog: where one person stands on every requirement they gave evidence for, and on
// every training requirement (met by a pass on the training's present content, else missing);
// any other is missing. On `today`.
Result<std::map<std::string, onboarding::RequirementStatus>> requirement_statuses(storage::Connection& c, std::string_view user_id,
                                                                                  date::sys_days today, const TrainingLinks& trainings);

}  // namespace tandem::usecase
