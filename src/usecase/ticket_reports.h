// OPS-1 (issue 6 §6), the dashboard's first charts: how many tickets were raised in a period, per
// type, channel, organisation or team and per UTC day, how many of them are still open; and the
// backlog open now by age. The SLA report's right ("report.sla"): staff see every organisation,
// a customer its own, and grouping by team is for staff (triage is the desk's).
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "storage/ticket_reports.h"
#include "usecase/context.h"

namespace tandem::usecase {

std::optional<storage::TicketGrouping> parse_ticket_grouping(std::string_view text);
std::string_view to_string(storage::TicketGrouping grouping);

struct VolumeQuery {
  Time from, to;
  storage::TicketGrouping group_by = storage::TicketGrouping::type;
};

struct VolumeGroup {
  std::string key;  // storage::RaisedCount's
  std::int64_t tickets = 0;
  std::int64_t open = 0;  // of those, not resolved or closed now (waiting counts as open)
};

struct VolumeDay {
  std::chrono::sys_days day;  // UTC
  std::int64_t tickets = 0;
};

struct VolumeReport {
  std::vector<VolumeGroup> groups;  // most tickets first, then by key
  VolumeGroup total;
  std::vector<VolumeDay> days;  // every UTC day the period touches, in order, zeros included
};

Result<VolumeReport> volume_report(const Services& s, const identity::Actor& actor, const VolumeQuery& query);

// Ages since creation, in this order.
inline constexpr std::array<std::string_view, 5> kBacklogBuckets = {"under_1d", "1d_3d", "3d_7d", "7d_30d", "over_30d"};

struct BacklogGroup {
  std::string key;
  std::array<std::int64_t, kBacklogBuckets.size()> by_age{};
  std::optional<Time> oldest;  // the oldest open ticket's creation; none when nothing is open

  std::int64_t open() const;
};

struct BacklogReport {
  Time as_of;
  std::vector<BacklogGroup> groups;  // most open first, then by key
  BacklogGroup total;               // key "total"
};

Result<BacklogReport> backlog_report(const Services& s, const identity::Actor& actor, storage::TicketGrouping group_by);

}  // namespace tandem::usecase
