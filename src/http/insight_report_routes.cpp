// OPS-1: the overrides, onboarding and vulnerable-user handling reports, as JSON, CSV and XLSX.
#include <optional>

#include "domain/feedback/table.h"
#include "http/dto.h"
#include "http/json_body.h"
#include "http/report_formats.h"
#include "http/routes.h"
#include "usecase/insight_reports.h"

namespace tandem::http {
namespace {

constexpr double kHourMs = 3'600'000.0;

Json hours_json(const std::optional<double>& ms) { return ms ? Json(feedback::rounded(*ms / kHourMs)) : Json(nullptr); }
feedback::Cell hours_cell(const std::optional<double>& ms) {
  if (!ms) return std::monostate{};
  return feedback::rounded(*ms / kHourMs);
}
std::optional<double> between(std::int64_t start, const std::optional<std::int64_t>& end) {
  if (!end) return std::nullopt;
  return double(*end - start);
}
Json optional_time(const std::optional<std::int64_t>& t) { return t ? Json(time_text(*t)) : Json(nullptr); }
feedback::Cell time_cell(const std::optional<std::int64_t>& t) {
  if (!t) return std::monostate{};
  return time_text(*t);
}

}  // namespace

void register_insight_report_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  // DESK-9: how often each rule was broken, per organisation, and the newest overrides.
  router.add("GET", "/api/v1/reports/overrides", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto window, report_window(r, s.clock.now()));
    auto [from, to] = window;
    ASSIGN_OR_RETURN(auto report, usecase::overrides_report(s, r.actor(), from, to));
    std::map<std::string, std::string> names(report.organization_names.begin(), report.organization_names.end());
    feedback::Table by_rule{"Overrides by rule", {"organization_id", "organization", "rule", "overrides"}, {}};
    feedback::Table listed{"Overrides", {"created_at", "organization_id", "ticket_id", "number", "subject", "rule", "reason_code"}, {}};
    if (report.staff) listed.columns.insert(listed.columns.end(), {"actor_id", "justification"});
    Json counts = Json::array(), rows = Json::array();
    std::int64_t total = 0;
    for (const auto& n : report.counts) {
      total += n.overrides;
      counts.push_back({{"organization_id", n.organization_id}, {"organization", names[n.organization_id]}, {"rule", n.rule},
                        {"overrides", n.overrides}});
      by_rule.rows.push_back({n.organization_id, names[n.organization_id], n.rule, n.overrides});
    }
    for (const auto& o : report.rows) {
      Json row{{"id", o.id},
               {"created_at", time_text(o.created_at)},
               {"organization_id", o.organization_id},
               {"ticket_id", o.ticket_id.empty() ? Json(nullptr) : Json(o.ticket_id)},
               {"number", o.number ? Json(o.number) : Json(nullptr)},
               {"subject", o.subject},
               {"rule", o.rule},
               {"reason_code", o.reason_code}};
      std::vector<feedback::Cell> cells{time_text(o.created_at), o.organization_id, o.ticket_id, o.number, o.subject, o.rule, o.reason_code};
      if (report.staff) {
        row["actor_id"] = o.actor_id;
        row["justification"] = o.justification;
        cells.emplace_back(o.actor_id);
        cells.emplace_back(o.justification);
      }
      rows.push_back(std::move(row));
      listed.rows.push_back(std::move(cells));
    }
    Json body{{"from", to_rfc3339(from)}, {"to", to_rfc3339(to)}, {"total", total}, {"by_rule", counts}, {"overrides", rows},
              {"overrides_shown", std::min<std::int64_t>(total, usecase::kOverrideRows)}};
    std::array tables{std::move(by_rule), std::move(listed)};
    return report_response(report_format_of(r), "overrides", to_rfc3339(to).substr(0, 10), std::move(body), tables);
  });

  // ONB: each onboarding plan's progress.
  router.add("GET", "/api/v1/reports/onboarding", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto window, report_window(r, s.clock.now()));
    auto [from, to] = window;
    ASSIGN_OR_RETURN(auto plans, usecase::onboarding_report(s, r.actor(), from, to));
    feedback::Table table{"Onboarding",
                          {"organization_id", "organization", "plan_id", "name", "scenario", "status", "start_date", "actions", "done",
                           "dropped", "overdue", "progress", "accepted_at"},
                          {}};
    Json items = Json::array();
    for (const auto& p : plans) {
      auto counted = p.actions - p.dropped;
      std::optional<double> progress;
      if (counted > 0) progress = feedback::rounded(double(p.done) / double(counted));
      items.push_back({{"organization_id", p.organization_id}, {"organization", p.organization}, {"plan_id", p.plan_id}, {"name", p.name},
                       {"scenario", p.scenario}, {"status", p.status}, {"start_date", p.start_date}, {"actions", p.actions},
                       {"done", p.done}, {"dropped", p.dropped}, {"overdue", p.overdue},
                       {"progress", progress ? Json(*progress) : Json(nullptr)}, {"accepted_at", optional_time(p.accepted_at)}});
      table.rows.push_back({p.organization_id, p.organization, p.plan_id, p.name, p.scenario, p.status, p.start_date, p.actions, p.done,
                            p.dropped, p.overdue, progress ? feedback::Cell(*progress) : feedback::Cell(std::monostate{}),
                            time_cell(p.accepted_at)});
    }
    Json body{{"from", to_rfc3339(from)}, {"to", to_rfc3339(to)}, {"plans", items}};
    return report_response(report_format_of(r), "onboarding", to_rfc3339(to).substr(0, 10), std::move(body), {&table, 1});
  });

  // REL-6: how fast the tickets of people with a vulnerability flag were answered and resolved.
  router.add("GET", "/api/v1/reports/vulnerable", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto window, report_window(r, s.clock.now()));
    auto [from, to] = window;
    ASSIGN_OR_RETURN(auto report, usecase::vulnerable_report(s, r.actor(), from, to));
    feedback::Table by_org{"Vulnerable users by organization",
                           {"organization_id", "organization", "tickets", "resolved", "median_first_reply_hours",
                            "median_resolution_hours", "all_tickets", "all_resolved", "all_mean_resolution_hours"},
                           {}};
    feedback::Table listed{"Tickets",
                           {"ticket_id", "number", "subject", "organization_id", "user_id", "flags", "created_at", "first_reply_at",
                            "resolved_at", "first_reply_hours", "resolution_hours"},
                           {}};
    Json orgs = Json::array(), tickets = Json::array();
    for (const auto& o : report.organizations) {
      orgs.push_back({{"organization_id", o.organization_id},
                      {"organization", o.name},
                      {"tickets", o.tickets},
                      {"resolved", o.resolved},
                      {"median_first_reply_hours", hours_json(o.median_first_reply_ms)},
                      {"median_resolution_hours", hours_json(o.median_resolution_ms)},
                      {"all_tickets", o.all.tickets},
                      {"all_resolved", o.all.resolved},
                      {"all_mean_resolution_hours", hours_json(o.all.mean_resolution_ms)}});
      by_org.rows.push_back({o.organization_id, o.name, o.tickets, o.resolved, hours_cell(o.median_first_reply_ms),
                             hours_cell(o.median_resolution_ms), o.all.tickets, o.all.resolved, hours_cell(o.all.mean_resolution_ms)});
    }
    for (const auto& t : report.tickets) {
      auto reply = between(t.created_at, t.first_reply_at), resolution = between(t.created_at, t.resolved_at);
      tickets.push_back({{"ticket_id", t.ticket_id}, {"number", t.number}, {"subject", t.subject}, {"organization_id", t.organization_id},
                         {"user_id", t.user_id}, {"flags", t.flags}, {"created_at", time_text(t.created_at)},
                         {"first_reply_at", optional_time(t.first_reply_at)}, {"resolved_at", optional_time(t.resolved_at)},
                         {"first_reply_hours", hours_json(reply)}, {"resolution_hours", hours_json(resolution)}});
      listed.rows.push_back({t.ticket_id, t.number, t.subject, t.organization_id, t.user_id, t.flags, time_text(t.created_at),
                             time_cell(t.first_reply_at), time_cell(t.resolved_at), hours_cell(reply), hours_cell(resolution)});
    }
    Json body{{"from", to_rfc3339(from)}, {"to", to_rfc3339(to)}, {"organizations", orgs}, {"tickets", tickets},
              {"truncated", report.truncated}};
    std::array tables{std::move(by_org), std::move(listed)};
    return report_response(report_format_of(r), "vulnerable", to_rfc3339(to).substr(0, 10), std::move(body), tables);
  });
}

}  // namespace tandem::http
