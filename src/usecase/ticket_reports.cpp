#include "usecase/ticket_reports.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "domain/tickets/workflow.h"
#include "usecase/report_rules.h"

namespace tandem::usecase {
namespace {

using identity::Actor;
using storage::TicketGrouping;
namespace tk = ::tandem::tickets;

// Open is every state that is not done: a ticket waiting for its user is still the desk's.
const storage::OpenStates& open_states() {
  static const auto states = [] {
    storage::OpenStates open;
    for (const auto& [type, flow] : tk::Workflows::builtin().all())
      for (const auto& [state, category] : flow.states)
        if (category == tk::StateCategory::open || category == tk::StateCategory::waiting) open[type].push_back(state);
    return open;
  }();
  return states;
}

// Most first, then by key, so that a chart's order does not depend on the store's.
template <class Group, class Size>
void sort_groups(std::vector<Group>& groups, Size size) {
  std::ranges::sort(groups, [&](const Group& a, const Group& b) {
    return size(a) != size(b) ? size(a) > size(b) : a.key < b.key;
  });
}

}  // namespace

std::optional<TicketGrouping> parse_ticket_grouping(std::string_view text) {
  if (text == "type") return TicketGrouping::type;
  if (text == "channel") return TicketGrouping::channel;
  if (text == "organization") return TicketGrouping::organization;
  if (text == "team") return TicketGrouping::team;
  return std::nullopt;
}

std::string_view to_string(TicketGrouping grouping) {
  switch (grouping) {
    case TicketGrouping::type: return "type";
    case TicketGrouping::channel: return "channel";
    case TicketGrouping::organization: return "organization";
    case TicketGrouping::team: return "team";
  }
  return "type";
}

std::int64_t BacklogGroup::open() const { return std::accumulate(by_age.begin(), by_age.end(), std::int64_t(0)); }

Result<VolumeReport> volume_report(const Services& s, const Actor& actor, const VolumeQuery& q) {
  TRY(check_report(actor, std::pair{q.from, q.to}, q.group_by == TicketGrouping::team));

  auto scope = storage::Scope::for_actor(actor);
  auto from = to_millis(q.from), to = to_millis(q.to);
  std::vector<storage::RaisedCount> counts;
  std::map<std::int64_t, std::int64_t> per_day;
  TRY(s.db.read([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(counts, storage::ticket_reports::raised(c, scope, q.group_by, from, to, open_states()));
    ASSIGN_OR_RETURN(per_day, storage::ticket_reports::raised_per_day(c, scope, from, to));
    return {};
  }));

  VolumeReport report;
  for (const auto& n : counts) {
    report.groups.push_back({n.key, n.tickets, n.open});
    report.total.tickets += n.tickets;
    report.total.open += n.open;
  }
  sort_groups(report.groups, [](const VolumeGroup& g) { return g.tickets; });
  // Every day the period touches, so that a chart draws the quiet ones too.
  auto last = std::chrono::floor<std::chrono::days>(q.to - std::chrono::milliseconds(1));
  for (auto day = std::chrono::floor<std::chrono::days>(q.from); day <= last; day += std::chrono::days(1)) {
    auto found = per_day.find(day.time_since_epoch().count());
    report.days.push_back({day, found == per_day.end() ? 0 : found->second});
  }
  return report;
}

Result<BacklogReport> backlog_report(const Services& s, const Actor& actor, TicketGrouping group_by) {
  TRY(check_report(actor, std::nullopt, group_by == TicketGrouping::team));
  // The ages between kBacklogBuckets.
  constexpr std::int64_t kDay = 24 * 60 * 60 * 1000;
  static const std::vector<std::int64_t> kAgeLimits = {kDay, 3 * kDay, 7 * kDay, 30 * kDay};
  BacklogReport report;
  report.total.key = "total";
  report.as_of = s.clock.now();
  ASSIGN_OR_RETURN(auto counts, s.db.read([&](storage::Connection& c) {
    return storage::ticket_reports::open_by_age(c, storage::Scope::for_actor(actor), group_by, open_states(),
                                                to_millis(report.as_of), kAgeLimits);
  }));

  std::map<std::string, BacklogGroup> groups;
  auto add = [](BacklogGroup& g, const storage::OpenCount& n) {
    g.by_age.at(n.age_bucket) += n.tickets;
    auto created = from_millis(n.oldest_created_at);
    if (!g.oldest || created < *g.oldest) g.oldest = created;
  };
  for (const auto& n : counts) {
    auto& g = groups[n.key];
    g.key = n.key;
    add(g, n);
    add(report.total, n);
  }
  for (auto& [_, g] : groups) report.groups.push_back(std::move(g));
  sort_groups(report.groups, [](const BacklogGroup& g) { return g.open(); });
  return report;
}

}  // namespace tandem::usecase
