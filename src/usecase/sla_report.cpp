#include "usecase/sla_report.h"

#include <algorithm>
#include <tuple>

#include "storage/organizations.h"
#include "storage/tickets.h"
#include "usecase/report_rules.h"
#include "usecase/sla_policies.h"
#include "usecase/ticket_sla.h"

namespace tandem::usecase {
namespace {

using identity::Actor;
namespace tk = ::tandem::tickets;

constexpr int kBatch = 1000;

std::string_view counted_as(sla::TargetState state) {
  switch (state) {
    case sla::TargetState::met: return "met";
    case sla::TargetState::breached: return "breached";
    default: return "open";
  }
}

int& tally(SlaCounts& counts, sla::TargetState state) {
  switch (state) {
    case sla::TargetState::met: return counts.met;
    case sla::TargetState::breached: return counts.breached;
    default: return counts.open;
  }
}

std::string key_of(SlaGrouping g, const storage::Ticket& t) {
  switch (g) {
    case SlaGrouping::policy: return t.sla_policy_id.value_or("none");
    case SlaGrouping::team: return t.team_id.value_or("none");
    case SlaGrouping::type: return std::string(tk::to_string(t.type));
    case SlaGrouping::channel: return std::string(tk::to_string(t.channel));
    case SlaGrouping::organization: return t.organization_id;
  }
  return "none";
}

Result<void> check(const Actor& actor, const SlaReportQuery& q) {
  return check_report(actor, std::pair{q.from, q.to}, q.group_by == SlaGrouping::team);
}

// Reads every measured ticket of the period, in batches, with its clock read now.
template <class Visit>
Result<void> each_measured(const Services& s, const Actor& actor, const SlaReportQuery& q, const std::string& after, Visit visit) {
  ASSIGN_OR_RETURN(auto timeframes, current_timeframes(s));
  auto now = s.clock.now();
  auto scope = storage::Scope::for_actor(actor);
  std::string cursor = after;
  for (;;) {
    ASSIGN_OR_RETURN(auto batch, s.db.read([&](storage::Connection& c) {
      return storage::ticket_store::measured_between(c, scope, to_millis(q.from), to_millis(q.to), cursor, kBatch);
    }));
    for (const auto& t : batch) {
      auto reading = read_sla(*timeframes, t, now);
      if (reading && !visit(t, *reading)) return {};
    }
    if (int(batch.size()) < kBatch) return {};
    cursor = batch.back().id;
  }
}

}  // namespace

std::optional<SlaGrouping> parse_sla_grouping(std::string_view text) {
  if (text == "policy") return SlaGrouping::policy;
  if (text == "team") return SlaGrouping::team;
  if (text == "type") return SlaGrouping::type;
  if (text == "channel") return SlaGrouping::channel;
  if (text == "organization") return SlaGrouping::organization;
  return std::nullopt;
}

Result<SlaReport> sla_report(const Services& s, const Actor& actor, const SlaReportQuery& q) {
  TRY(check(actor, q));
  std::map<std::string, SlaGroup> groups;
  std::map<std::pair<std::string, std::string>, SlaGroup> cells;  // (group key, organisation id)
  SlaReport report;
  report.total.key = report.total.name = "total";
  TRY(each_measured(s, actor, q, "", [&](const storage::Ticket& t, const sla::Reading& reading) {
    auto key = key_of(q.group_by, t);
    auto& group = groups[key];
    group.key = key;
    group.name = q.group_by == SlaGrouping::policy ? reading.policy_name : key;
    auto& cell = cells[{key, t.organization_id}];
    cell.key = t.organization_id;
    for (auto* g : {&group, &cell, &report.total}) {
      ++g->tickets;
      for (const auto& target : reading.clock.targets)
        if (target.started_at) ++tally(g->targets[target.metric], target.state);  // else a next update nobody asked for yet
    }
    return true;
  }));
  for (auto& [_, g] : groups) report.groups.push_back(std::move(g));
  // The organisations' names, read in the caller's scope (a customer reads only its own, and
  // only its own tickets were counted).
  std::map<std::string, std::string> names;
  for (const auto& [at, _] : cells) names.emplace(at.second, "");
  TRY(s.db.read([&](storage::Connection& c) -> Result<void> {
    auto scope = storage::Scope::for_actor(actor);
    for (auto& [id, name] : names) {
      ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, scope, id));
      name = org ? org->name : id;
    }
    return {};
  }));
  for (auto& [at, cell] : cells) {
    cell.name = names[at.second];
    report.by_organization.push_back({at.first, std::move(cell)});
  }
  std::ranges::stable_sort(report.by_organization, [](const auto& a, const auto& b) {
    return std::tie(a.group_key, a.counts.name, a.counts.key) < std::tie(b.group_key, b.counts.name, b.counts.key);
  });
  return report;
}

Result<storage::Page<SlaTicket>> sla_report_tickets(const Services& s, const Actor& actor, const SlaReportQuery& q,
                                                    const SlaDrillDown& drill) {
  TRY(check(actor, q));
  if (drill.state != "met" && drill.state != "breached" && drill.state != "open") {
    Error e(Code::invalid_argument, "Some query parameters are invalid.");
    e.details.push_back({"state", "must be met, breached or open"});
    return fail(std::move(e));
  }
  storage::Page<SlaTicket> page;
  TRY(each_measured(s, actor, q, drill.after, [&](const storage::Ticket& t, const sla::Reading& reading) {
    if (key_of(q.group_by, t) != drill.key) return true;
    for (const auto& target : reading.clock.targets) {
      if (target.metric != drill.metric || !target.started_at || counted_as(target.state) != drill.state) continue;
      if (int(page.items.size()) == drill.limit) {
        page.next_after = page.items.back().id;
        return false;
      }
      page.items.push_back({t.id, t.number, t.subject, std::string(sla::to_string(target.state)), target.due});
    }
    return true;
  }));
  return page;
}

}  // namespace tandem::usecase
