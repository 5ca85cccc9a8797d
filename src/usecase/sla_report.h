// DESK-3, FDB-4: SLA attainment over a period — tickets raised in it, grouped by policy, team,
// type, channel or organisation, each target counted met, breached or still open, with the
// tickets behind each number. Staff see every organisation; a customer sees its own.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/sla/clock.h"
#include "usecase/context.h"

namespace tandem::usecase {

enum class SlaGrouping { policy, team, type, channel, organization };
std::optional<SlaGrouping> parse_sla_grouping(std::string_view text);

struct SlaCounts {
  int met = 0, breached = 0, open = 0;  // open: still counting (ok or warning) or paused
  // met / (met + breached); none while nothing has ended.
  std::optional<double> attainment() const {
    return met + breached == 0 ? std::nullopt : std::optional<double>(double(met) / double(met + breached));
  }
};

struct SlaGroup {
  std::string key;   // the id or name grouped by ("none" for a ticket without a team)
  std::string name;  // the policy's name; the key otherwise
  int tickets = 0;
  std::map<sla::Metric, SlaCounts> targets;
};

struct SlaReportQuery {
  Time from, to;
  SlaGrouping group_by = SlaGrouping::policy;
};

// OPS-1: one group's figures within one organisation — the rows of the report's files, which
// name the organisation.
struct SlaOrganizationRow {
  std::string group_key;
  SlaGroup counts;  // key: the organisation's id; name: its name
};

struct SlaReport {
  std::vector<SlaGroup> groups;  // by key
  SlaGroup total;
  std::vector<SlaOrganizationRow> by_organization;  // by group key, then organisation name
};

// The tickets behind one number: those of group `key` whose `metric` is in `state` (met,
// breached, open), in id order after `after`.
struct SlaDrillDown {
  std::string key;
  sla::Metric metric = sla::Metric::resolution;
  std::string state;
  std::string after;
  int limit = 50;
};
struct SlaTicket {
  std::string id;
  std::int64_t number = 0;
  std::string subject;
  std::string state;  // the target's state in full: ok, warning, breached, met
  std::optional<Time> due;
};

Result<SlaReport> sla_report(const Services& s, const identity::Actor& actor, const SlaReportQuery& query);
Result<storage::Page<SlaTicket>> sla_report_tickets(const Services& s, const identity::Actor& actor, const SlaReportQuery& query,
                                                    const SlaDrillDown& drill);

}  // namespace tandem::usecase
