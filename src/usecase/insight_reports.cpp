#include "usecase/insight_reports.h"

#include <algorithm>
#include <map>

#include <date/date.h>
#include <nlohmann/json.hpp>

#include "domain/identity/identity.h"
#include "storage/onboarding_plans.h"
#include "storage/organizations.h"
#include "usecase/catalog_definitions.h"
#include "usecase/report_rules.h"

namespace tandem::usecase {
namespace {

using Json = nlohmann::json;
using storage::Scope;

Result<std::string> organization_name(storage::Connection& c, const Scope& scope, std::map<std::string, std::string>& known,
                                      const std::string& id) {
  if (auto it = known.find(id); it != known.end()) return it->second;
  ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, scope, id));
  return known[id] = org ? org->name : id;
}

std::optional<double> median(std::vector<std::int64_t> values) {
  if (values.empty()) return std::nullopt;
  std::ranges::sort(values);
  auto n = values.size();
  return n % 2 ? double(values[n / 2]) : (double(values[n / 2 - 1]) + double(values[n / 2])) / 2.0;
}

}  // namespace

Result<OverridesReport> overrides_report(const Services& s, const identity::Actor& actor, Time from, Time to) {
  TRY(check_report(actor, std::pair{from, to}, false));
  return s.db.read([&](storage::Connection& c) -> Result<OverridesReport> {
    auto scope = Scope::for_actor(actor);
    OverridesReport out;
    // Why a rule was broken, and by whom, is for those who review overrides (DESK-9).
    out.staff = authorize(actor, "override.read").has_value();
    ASSIGN_OR_RETURN(out.counts, storage::insight_reports::count_overrides(c, scope, to_millis(from), to_millis(to)));
    ASSIGN_OR_RETURN(out.rows, storage::insight_reports::overrides_in(c, scope, to_millis(from), to_millis(to), kOverrideRows));
    std::map<std::string, std::string> names;
    for (const auto& count : out.counts) TRY(organization_name(c, scope, names, count.organization_id));
    out.organization_names.assign(names.begin(), names.end());
    if (!out.staff)
      for (auto& row : out.rows) row.justification.clear(), row.actor_id.clear();
    return out;
  });
}

Result<std::vector<PlanProgress>> onboarding_report(const Services& s, const identity::Actor& actor, Time from, Time to) {
  TRY(check_report(actor, std::pair{from, to}, false));
  auto today = date::format("%F", date::floor<date::days>(s.clock.now()));
  return s.db.read([&](storage::Connection& c) -> Result<std::vector<PlanProgress>> {
    auto scope = Scope::for_actor(actor);
    std::map<std::string, std::string> names;
    std::vector<PlanProgress> out;
    storage::PageRequest page{500, ""};
    for (;;) {
      ASSIGN_OR_RETURN(auto plans, storage::onboarding_plans::list(c, scope, {}, page));
      for (const auto& p : plans.items) {
        if (p.created_at >= to_millis(to) || p.updated_at < to_millis(from)) continue;
        PlanProgress row{p.id, p.organization_id, "", "", p.scenario, p.status, p.start_date, 0, 0, 0, 0, p.accepted_at};
        ASSIGN_OR_RETURN(row.organization, organization_name(c, scope, names, p.organization_id));
        auto definition = Json::parse(p.definition, nullptr, false);
        if (definition.is_object() && definition.contains("name"))
          row.name = std::string(catalog_definitions::stored_text(definition["name"]).in(actor.language));
        auto actions = Json::parse(p.actions, nullptr, false);
        if (actions.is_array())
          for (const auto& a : actions) {
            auto status = a.value("status", "");
            ++row.actions;
            if (status == "done") ++row.done;
            else if (status == "dropped") ++row.dropped;
            else if (auto due = a.value("due", ""); !due.empty() && due < today) ++row.overdue;
          }
        out.push_back(std::move(row));
      }
      if (!plans.next_after) break;
      page.after = *plans.next_after;
    }
    std::ranges::sort(out, [](const PlanProgress& a, const PlanProgress& b) {
      return std::tie(a.organization, a.start_date, a.plan_id) < std::tie(b.organization, b.start_date, b.plan_id);
    });
    return out;
  });
}

Result<VulnerableReport> vulnerable_report(const Services& s, const identity::Actor& actor, Time from, Time to) {
  TRY(check_report(actor, std::pair{from, to}, false));
  std::vector<std::string> flags;
  for (auto f : {identity::UserFlag::accessibility_needs, identity::UserFlag::priority_repair, identity::UserFlag::third_party_bill_contact,
                 identity::UserFlag::accessible_formats, identity::UserFlag::vip})
    if (identity::marks_vulnerability(f)) flags.emplace_back(identity::to_string(f));
  return s.db.read([&](storage::Connection& c) -> Result<VulnerableReport> {
    auto scope = Scope::for_actor(actor);
    VulnerableReport out;
    ASSIGN_OR_RETURN(out.tickets,
                     storage::insight_reports::flagged_tickets(c, scope, to_millis(from), to_millis(to), flags, kFlaggedRows + 1));
    if (out.tickets.size() > std::size_t(kFlaggedRows)) {
      out.truncated = true;
      out.tickets.pop_back();
    }
    ASSIGN_OR_RETURN(auto totals, storage::insight_reports::handling_totals(c, scope, to_millis(from), to_millis(to)));
    std::map<std::string, std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>> times;  // first reply, resolution
    std::map<std::string, VulnerableOrganization> orgs;
    std::map<std::string, std::string> names;
    for (const auto& t : out.tickets) {
      auto& o = orgs[t.organization_id];
      o.organization_id = t.organization_id;
      ++o.tickets;
      if (t.first_reply_at) times[t.organization_id].first.push_back(*t.first_reply_at - t.created_at);
      if (t.resolved_at) {
        ++o.resolved;
        times[t.organization_id].second.push_back(*t.resolved_at - t.created_at);
      }
    }
    for (auto& [id, o] : orgs) {
      ASSIGN_OR_RETURN(o.name, organization_name(c, scope, names, id));
      o.median_first_reply_ms = median(times[id].first);
      o.median_resolution_ms = median(times[id].second);
      for (const auto& t : totals)
        if (t.organization_id == id) o.all = t;
      out.organizations.push_back(std::move(o));
    }
    return out;
  });
}

}  // namespace tandem::usecase
