// OFF-1, OFF-2: leaving as a runbook with a record. A person's offboarding and an organisation's
// each have fixed steps; a step is pending until someone marks it done, and some steps wait for
// others: a person's data is erased only when everything else about their leaving is settled
// (the thank-you included, since an erased person can no longer be reached), and the formal
// record closes last. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tandem::offboarding {

enum class Kind { user, organization };
std::string_view to_string(Kind k);

enum class StepStatus { pending, done };
std::optional<StepStatus> parse_step_status(std::string_view text);
std::string_view to_string(StepStatus s);

struct Step {
  std::string key;
  StepStatus status = StepStatus::pending;
  std::optional<std::int64_t> done_at;  // ms
  std::string done_by;                  // an actor id
  std::string note;                     // what was done, in the system's words
};

// The steps of an offboarding of `kind`, in order, all pending.
std::vector<Step> steps_for(Kind kind);
// The steps `key` waits for, in order; empty for a step that waits for none.
std::vector<std::string> prerequisites(Kind kind, std::string_view key);
// Whether the step may be marked done now: not_found for a step the offboarding does not have;
// conflict `steps_pending` naming the steps it waits for. Marking a done step done again is
// allowed (and changes nothing), so a retried request is harmless.
Result<void> may_finish(Kind kind, const std::vector<Step>& steps, std::string_view key);
bool all_done(const std::vector<Step>& steps);
const Step* find_step(const std::vector<Step>& steps, std::string_view key);

// `text` with every occurrence of each of `needles` replaced by `replacement`: ASCII letters
// compared without case (an address written in capitals is the same address), an ASCII word
// only as a whole word ("Ann" leaves "Annual" alone; Chinese has no spaces, so a Chinese name is
// replaced wherever it stands), needles shorter than three bytes ignored, longer needles first
// so that a name inside an address goes with the address.
std::string redacted(std::string text, std::vector<std::string> needles, std::string_view replacement);

}  // namespace tandem::offboarding
