#include "usecase/satisfaction_report.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "storage/organizations.h"
#include "storage/surveys.h"
#include "storage/teams.h"
#include "storage/users.h"
#include "usecase/catalog.h"
#include "usecase/report_rules.h"

namespace tandem::usecase {
namespace {

using storage::RatingGrouping;

constexpr std::array<std::pair<RatingGrouping, std::string_view>, 6> kGroupings = {{{RatingGrouping::service, "service"},
                                                                                     {RatingGrouping::team, "team"},
                                                                                     {RatingGrouping::agent, "agent"},
                                                                                     {RatingGrouping::channel, "channel"},
                                                                                     {RatingGrouping::organization, "organization"},
                                                                                     {RatingGrouping::touchpoint, "touchpoint"}}};

bool score_in_range(std::int64_t score) { return score >= 1 && score <= 5; }

// What a person reads for each key: services by name in the reader's language, teams and agents
// by name, organisations by name (read in the caller's scope); channels and touchpoints as they are.
Result<std::map<std::string, std::string>> names_of(const Services& s, const identity::Actor& actor, RatingGrouping by,
                                                    const std::vector<std::string>& keys) {
  std::map<std::string, std::string> names;
  for (const auto& k : keys) names.emplace(k, k);
  if (by == RatingGrouping::service) {
    ASSIGN_OR_RETURN(auto cat, current_catalog(s));
    for (auto& [id, name] : names)
      if (const auto* svc = cat->service(id)) name = std::string(svc->name.in(actor.language));
    return names;
  }
  if (by != RatingGrouping::team && by != RatingGrouping::agent && by != RatingGrouping::organization) return names;
  TRY(s.db.read([&](storage::Connection& c) -> Result<void> {
    auto scope = storage::Scope::for_actor(actor);
    for (auto& [id, name] : names) {
      if (id == "none") continue;
      if (by == RatingGrouping::team) {
        ASSIGN_OR_RETURN(auto team, storage::teams::find(c, id));
        if (team) name = team->name;
      } else if (by == RatingGrouping::agent) {
        // Agents are the provider's staff, named to whoever reads the tickets they answered.
        ASSIGN_OR_RETURN(auto agent, storage::users::find(c, storage::Scope::system(), id));
        if (agent) name = agent->name;
      } else {
        ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, scope, id));
        if (org) name = org->name;
      }
    }
    return {};
  }));
  return names;
}

}  // namespace

std::optional<RatingGrouping> parse_rating_grouping(std::string_view text) {
  for (const auto& [g, name] : kGroupings)
    if (name == text) return g;
  return std::nullopt;
}

std::string_view to_string(RatingGrouping grouping) {
  for (const auto& [g, name] : kGroupings)
    if (g == grouping) return name;
  return "service";
}

Result<SatisfactionReport> satisfaction_report(const Services& s, const identity::Actor& actor, const SatisfactionQuery& q) {
  bool staff_only = q.group_by == RatingGrouping::team || q.group_by == RatingGrouping::agent;
  TRY(check_report(actor, std::pair{q.from, q.to}, staff_only));
  auto scope = storage::Scope::for_actor(actor);
  auto from = to_millis(q.from), to = to_millis(q.to);
  std::vector<storage::ScoreCount> counts;
  std::vector<storage::DayScore> per_day;
  std::vector<storage::NpsCount> nps_counts;
  bool nps_by_service = q.group_by == RatingGrouping::service;
  TRY(s.db.read([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(counts, storage::ratings::count_scores(c, scope, q.group_by, from, to));
    ASSIGN_OR_RETURN(per_day, storage::ratings::scores_per_day(c, scope, from, to));
    using storage::survey_responses::NpsGrouping;
    ASSIGN_OR_RETURN(nps_counts, storage::survey_responses::count_nps(c, scope, nps_by_service ? NpsGrouping::service : NpsGrouping::organization,
                                                                       from, to));
    return {};
  }));

  SatisfactionReport report;
  report.total.key = report.total.name = "total";
  std::map<std::string, SatisfactionGroup> groups;
  std::map<std::pair<std::string, std::string>, SatisfactionGroup> cells;
  for (const auto& n : counts) {
    if (!score_in_range(n.score)) continue;
    auto i = std::size_t(n.score - 1);
    auto& group = groups[n.key];
    group.key = n.key;
    group.by_score[i] += n.ratings;
    auto& cell = cells[{n.key, n.organization_id}];
    cell.key = n.organization_id;
    cell.by_score[i] += n.ratings;
    report.total.by_score[i] += n.ratings;
  }
  std::vector<std::string> keys, organizations;
  for (const auto& [key, _] : groups) keys.push_back(key);
  for (const auto& [at, _] : cells) organizations.push_back(at.second);
  ASSIGN_OR_RETURN(auto group_names, names_of(s, actor, q.group_by, keys));
  ASSIGN_OR_RETURN(auto org_names, names_of(s, actor, RatingGrouping::organization, organizations));
  for (auto& [key, g] : groups) {
    g.name = group_names[key];
    report.groups.push_back(std::move(g));
  }
  auto responses = [](const SatisfactionGroup& g) { return g.csat().responses; };
  std::ranges::stable_sort(report.groups, [&](const auto& a, const auto& b) { return responses(a) > responses(b); });
  for (auto& [at, cell] : cells) {
    cell.name = org_names[at.second];
    report.by_organization.push_back({at.first, std::move(cell)});
  }
  std::ranges::stable_sort(report.by_organization, [](const auto& a, const auto& b) {
    return std::tie(a.group_key, a.counts.name, a.counts.key) < std::tie(b.group_key, b.counts.name, b.counts.key);
  });

  // Relationship NPS: by service or organisation when the report is; otherwise only overall.
  report.nps_total.key = report.nps_total.name = "total";
  std::map<std::string, NpsGroup> nps_groups;
  for (const auto& n : nps_counts) {
    if (n.score < 0 || n.score > 10) continue;
    report.nps_total.by_score[std::size_t(n.score)] += n.responses;
    auto& group = nps_groups[n.key];
    group.key = n.key;
    group.by_score[std::size_t(n.score)] += n.responses;
  }
  if (nps_by_service || q.group_by == RatingGrouping::organization) {
    std::vector<std::string> nps_keys;
    for (const auto& [key, _] : nps_groups) nps_keys.push_back(key);
    ASSIGN_OR_RETURN(auto nps_names, names_of(s, actor, q.group_by, nps_keys));
    for (auto& [key, g] : nps_groups) {
      g.name = nps_names[key];
      report.nps_groups.push_back(std::move(g));
    }
    std::ranges::stable_sort(report.nps_groups, [](const auto& a, const auto& b) { return a.nps().responses > b.nps().responses; });
  }

  std::map<std::int64_t, std::array<std::int64_t, 5>> by_day;
  for (const auto& d : per_day)
    if (score_in_range(d.score)) by_day[d.day][std::size_t(d.score - 1)] += d.ratings;
  auto last = std::chrono::floor<std::chrono::days>(q.to - std::chrono::milliseconds(1));
  for (auto day = std::chrono::floor<std::chrono::days>(q.from); day <= last; day += std::chrono::days(1)) {
    auto found = by_day.find(day.time_since_epoch().count());
    report.days.push_back({day, found == by_day.end() ? std::array<std::int64_t, 5>{} : found->second});
  }
  return report;
}

Result<std::vector<TouchpointRow>> touchpoint_report(const Services& s, const identity::Actor& actor, Time from, Time to) {
  TRY(check_report(actor, std::pair{from, to}, false));
  auto scope = storage::Scope::for_actor(actor);
  std::vector<storage::ScoreCount> counts;
  std::vector<storage::ratings::PairedScore> pairs;
  TRY(s.db.read([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(counts, storage::ratings::count_scores(c, scope, RatingGrouping::touchpoint, to_millis(from), to_millis(to)));
    ASSIGN_OR_RETURN(pairs, storage::ratings::paired_with_resolution(c, scope, to_millis(from), to_millis(to)));
    return {};
  }));
  std::map<std::string, TouchpointRow> rows;
  for (const auto& n : counts) {
    if (!score_in_range(n.score)) continue;
    auto& row = rows[n.key];
    row.touchpoint = n.key;
    row.by_score[std::size_t(n.score - 1)] += n.ratings;
  }
  std::map<std::string, std::vector<feedback::TouchpointPair>> by_touchpoint;
  for (const auto& p : pairs) by_touchpoint[p.touchpoint].push_back({p.score, p.resolution_score, p.ratings});
  std::vector<TouchpointRow> out;
  for (auto& [key, row] : rows) {
    row.effect = feedback::touchpoint_effect(by_touchpoint[key]);
    out.push_back(std::move(row));
  }
  auto rank = [](const TouchpointRow& r) {
    if (r.touchpoint == "resolution") return -2.0;
    return r.effect.swing ? *r.effect.swing : -1.0;
  };
  std::ranges::stable_sort(out, [&](const auto& a, const auto& b) { return rank(a) > rank(b); });
  return out;
}

}  // namespace tandem::usecase
