// OPS-1: the reports of overrides (DESK-9: how often each rule was broken, and for which
// tickets), onboarding progress (ONB: each plan's actions done, dropped and overdue) and
// vulnerable-user handling (REL-6: how fast tickets of people with a vulnerability flag were
// answered and resolved, beside every ticket of their organisation). The reports' rights:
// staff read every organisation, a customer its own; only those who review overrides
// (override.read) read the justification and who wrote it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "storage/insight_reports.h"
#include "usecase/context.h"

namespace tandem::usecase {

struct OverridesReport {
  std::vector<storage::OverrideCount> counts;  // by organisation and rule
  std::vector<storage::OverrideRow> rows;      // the newest kOverrideRows
  std::vector<std::pair<std::string, std::string>> organization_names;
  bool staff = false;  // the reader reviews overrides: justifications and actors shown
};
constexpr int kOverrideRows = 1000;
Result<OverridesReport> overrides_report(const Services& s, const identity::Actor& actor, Time from, Time to);

struct PlanProgress {
  std::string plan_id, organization_id, organization, name, scenario, status, start_date;
  std::int64_t actions = 0, done = 0, dropped = 0, overdue = 0;
  std::optional<std::int64_t> accepted_at;
};
// Plans made before `to` and changed since `from`.
Result<std::vector<PlanProgress>> onboarding_report(const Services& s, const identity::Actor& actor, Time from, Time to);

struct VulnerableOrganization {
  std::string organization_id, name;
  std::int64_t tickets = 0, resolved = 0;
  std::optional<double> median_first_reply_ms, median_resolution_ms;
  storage::HandlingTotals all;  // every ticket of the organisation in the period
};
struct VulnerableReport {
  std::vector<storage::FlaggedTicket> tickets;  // oldest first, at most kFlaggedRows
  bool truncated = false;                       // more than kFlaggedRows: the medians are of the first
  std::vector<VulnerableOrganization> organizations;
};
constexpr int kFlaggedRows = 2000;
Result<VulnerableReport> vulnerable_report(const Services& s, const identity::Actor& actor, Time from, Time to);

}  // namespace tandem::usecase
