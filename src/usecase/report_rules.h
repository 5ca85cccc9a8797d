// What the reports share (internal to usecase/): who may read them, and the limits of a query —
// a period that ends after it starts and spans at most 366 days, and grouping by team for the
// service desk's staff only (triage is the desk's: tickets::as_seen_by). Every problem at once.
#pragma once

#include <chrono>
#include <optional>
#include <utility>

#include "usecase/context.h"

namespace tandem::usecase {

inline Result<void> check_report(const identity::Actor& actor, std::optional<std::pair<Time, Time>> period, bool by_team) {
  TRY(authorize(actor, "report.sla"));
  Error e(Code::invalid_argument, "Some query parameters are invalid.");
  if (period && period->second <= period->first) e.details.push_back({"to", "must be after from"});
  if (period && period->second - period->first > std::chrono::days(366))
    e.details.push_back({"from", "a report covers at most 366 days"});
  if (!actor.staff() && by_team) e.details.push_back({"group_by", "team is for the service desk's staff only"});
  if (!e.details.empty()) return fail(std::move(e));
  return {};
}

}  // namespace tandem::usecase
