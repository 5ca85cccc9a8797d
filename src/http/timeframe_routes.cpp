// DESK-3: business calendars and the business-minute arithmetic on them (administrators change
// them; everyone signed in reads them), and SLA policies (administrators; staff read them).
// The reports over tickets: SLA attainment (FDB-4), volume and backlog (OPS-1).
#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "http/definition_routes.h"
#include "http/report_formats.h"
#include "http/routes.h"
#include "usecase/calendars.h"
#include "usecase/sla_policies.h"
#include "usecase/sla_report.h"
#include "usecase/ticket_reports.h"

namespace tandem::http {
namespace {

// Namespace scope: the list's array must outlive the handlers that read it.
const std::initializer_list<std::string_view> kCalendarFields = {
    "name", "time_zone", "always_open", "hours", "holidays", "extra_working_days", "extra_day_hours"};

usecase::CalendarInput calendar_input(Fields& f, const Json& body) {
  usecase::CalendarInput in;
  in.name = f.text("name");
  auto rest = body;
  rest.erase("name");
  in.fields_json = rest.dump();  // the use case checks each field and names the wrong ones
  return in;
}

const std::initializer_list<std::string_view> kPolicyFields = {"name",    "order",          "active", "calendar_id",
                                                               "targets", "pause_statuses", "warn_at", "conditions",
                                                               "escalations"};

usecase::PolicyInput policy_input(Fields& f, const Json& body) {
  usecase::PolicyInput in;
  in.name = f.text("name");
  in.order = f.integer("order");
  in.active = f.boolean("active");
  auto rest = body;
  for (auto key : {"name", "order", "active"}) rest.erase(key);
  in.fields_json = rest.dump();  // the use case checks each field and names the wrong ones
  return in;
}

Error invalid_query() { return Error(Code::invalid_argument, "Some query parameters are invalid."); }

// Names each query parameter that is in neither list.
void name_unknown(Error& e, const Request& r, std::initializer_list<std::string_view> known,
                  std::initializer_list<std::string_view> more = {}) {
  for (const auto& [key, _] : r.query)
    if (std::ranges::find(known, key) == known.end() && std::ranges::find(more, key) == more.end())
      e.details.push_back({key, "is not a report parameter"});
}

// ?group_by= as `parse` reads it, or `fallback` when absent.
template <class Grouping, class Parse>
Grouping report_grouping(Error& e, const Request& r, Grouping fallback, Parse parse, std::string_view allowed) {
  auto text = r.query_value("group_by");
  if (!text) return fallback;
  auto parsed = parse(*text);
  if (!parsed) e.details.push_back({"group_by", "allowed: " + std::string(allowed)});
  return parsed.value_or(fallback);
}

// ?from=&to=&group_by= of the SLA report: the last 30 days by policy unless told.
Result<usecase::SlaReportQuery> report_query(const Request& r, Time now, std::initializer_list<std::string_view> more) {
  auto e = invalid_query();
  name_unknown(e, r, {"from", "to", "group_by"}, more);
  usecase::SlaReportQuery q;
  std::tie(q.from, q.to) = report_period(e, r, now);
  q.group_by = report_grouping(e, r, usecase::SlaGrouping::policy, usecase::parse_sla_grouping,
                               "policy, team, type, channel, organization");
  if (!e.details.empty()) return fail(std::move(e));
  return q;
}

constexpr std::string_view kTicketGroupings = "type, channel, organization, team";

std::string day_text(std::chrono::sys_days day) {
  std::chrono::year_month_day ymd(day);
  return fmt::format("{:04}-{:02}-{:02}", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
}

Json backlog_json(const usecase::BacklogGroup& g) {
  Json by_age = Json::object();
  for (std::size_t i = 0; i < usecase::kBacklogBuckets.size(); ++i) by_age[std::string(usecase::kBacklogBuckets[i])] = g.by_age[i];
  return {{"key", g.key},
          {"open", g.open()},
          {"by_age", by_age},
          {"oldest", g.oldest ? Json(to_rfc3339(*g.oldest)) : Json(nullptr)}};
}

Json counts_json(const usecase::SlaGroup& g) {
  Json targets = Json::object();
  for (const auto& [metric, c] : g.targets) {
    auto attainment = c.attainment();
    targets[std::string(sla::to_string(metric))] = {
        {"met", c.met}, {"breached", c.breached}, {"open", c.open}, {"attainment", attainment ? Json(*attainment) : Json(nullptr)}};
  }
  return {{"key", g.key}, {"name", g.name}, {"tickets", g.tickets}, {"targets", targets}};
}

feedback::Cell attainment_cell(const usecase::SlaCounts& c) {
  auto a = c.attainment();
  return a ? feedback::Cell(feedback::rounded(*a)) : feedback::Cell();
}

// A row's figures: tickets, then met, breached, open and attainment of each target.
void append_counts(std::vector<feedback::Cell>& row, const usecase::SlaGroup& g) {
  row.emplace_back(std::int64_t(g.tickets));
  for (auto metric : sla::kMetrics) {
    auto found = g.targets.find(metric);
    usecase::SlaCounts c = found == g.targets.end() ? usecase::SlaCounts{} : found->second;
    row.emplace_back(std::int64_t(c.met));
    row.emplace_back(std::int64_t(c.breached));
    row.emplace_back(std::int64_t(c.open));
    row.push_back(attainment_cell(c));
  }
}

std::vector<std::string> count_columns(std::vector<std::string> leading) {
  leading.emplace_back("tickets");
  for (auto metric : sla::kMetrics)
    for (auto part : {"met", "breached", "open", "attainment"}) leading.push_back(fmt::format("{}_{}", sla::to_string(metric), part));
  return leading;
}

// The files' sheets: each group within each organisation (the CSV), then the groups and total.
std::vector<feedback::Table> sla_tables(const usecase::SlaReport& report, std::string_view group_by) {
  feedback::Table by_org{"SLA by organization", count_columns({std::string(group_by), "name", "organization_id", "organization"}), {}};
  std::map<std::string, std::string> group_names;
  for (const auto& g : report.groups) group_names[g.key] = g.name;
  for (const auto& row : report.by_organization) {
    std::vector<feedback::Cell> cells{row.group_key, group_names[row.group_key], row.counts.key, row.counts.name};
    append_counts(cells, row.counts);
    by_org.rows.push_back(std::move(cells));
  }
  feedback::Table groups{"SLA", count_columns({std::string(group_by), "name"}), {}};
  for (const auto& g : report.groups) {
    std::vector<feedback::Cell> cells{g.key, g.name};
    append_counts(cells, g);
    groups.rows.push_back(std::move(cells));
  }
  std::vector<feedback::Cell> total{std::string("total"), std::string("total")};
  append_counts(total, report.total);
  groups.rows.push_back(std::move(total));
  return {std::move(by_org), std::move(groups)};
}

}  // namespace

void register_timeframe_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  add_definition_routes<usecase::CalendarInput, usecase::CalendarView>(
      router, s,
      {"/api/v1/calendars", kCalendarFields, calendar_input, usecase::list_calendars, usecase::create_calendar,
       usecase::get_calendar, usecase::update_calendar, usecase::delete_calendar});
  router.add("GET", "/api/v1/calendars/{id}/add", signed_in, [&s](Request& r) -> Result<Response> {
    Error e(Code::invalid_argument, "Some fields are invalid.");
    Time start;
    auto start_text = r.query_value("start");
    if (!start_text || !parse_rfc3339(*start_text, start))
      e.details.push_back({"start", "is required: an RFC 3339 time such as 2026-10-09T17:30:00+08:00"});
    auto minutes_text = r.query_value("minutes").value_or("");
    std::int64_t minutes = -1;
    auto [end, ec] = std::from_chars(minutes_text.data(), minutes_text.data() + minutes_text.size(), minutes);
    if (minutes_text.empty() || ec != std::errc() || end != minutes_text.data() + minutes_text.size() || minutes < 0 ||
        minutes > usecase::kMaxBusinessMinutes)
      e.details.push_back({"minutes", "is required: a whole number of business minutes from 0 to " +
                                          std::to_string(usecase::kMaxBusinessMinutes)});
    if (!e.details.empty()) return fail(std::move(e));
    ASSIGN_OR_RETURN(auto result, usecase::add_business_minutes(s, r.actor(), r.param("id"), start, std::chrono::minutes(minutes)));
    return json_response(200, Json{{"result", to_rfc3339(result)}});
  });

  add_definition_routes<usecase::PolicyInput, usecase::PolicyView>(
      router, s,
      {"/api/v1/sla-policies", kPolicyFields, policy_input, usecase::list_sla_policies, usecase::create_sla_policy,
       usecase::get_sla_policy, usecase::update_sla_policy, usecase::delete_sla_policy});

  router.add("GET", "/api/v1/reports/sla", signed_in, [&s](Request& r) -> Result<Response> {
    auto e = invalid_query();
    auto format = report_format(e, r);
    if (!e.details.empty()) return fail(std::move(e));
    ASSIGN_OR_RETURN(auto q, report_query(r, s.clock.now(), {"format"}));
    ASSIGN_OR_RETURN(auto report, usecase::sla_report(s, r.actor(), q));
    auto group_by = r.query_value("group_by").value_or("policy");
    Json groups = Json::array();
    for (const auto& g : report.groups) {
      auto group = counts_json(g);
      Json organizations = Json::array();
      for (const auto& row : report.by_organization)
        if (row.group_key == g.key) {
          auto org = counts_json(row.counts);
          org.erase("key");
          org["id"] = row.counts.key;
          organizations.push_back(std::move(org));
        }
      group["organizations"] = std::move(organizations);
      groups.push_back(std::move(group));
    }
    Json body{{"from", to_rfc3339(q.from)},
              {"to", to_rfc3339(q.to)},
              {"group_by", group_by},
              {"groups", groups},
              {"total", counts_json(report.total)}};
    return report_response(format, "sla", to_rfc3339(q.to).substr(0, 10), std::move(body), sla_tables(report, group_by));
  });
  router.add("GET", "/api/v1/reports/sla/tickets", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto q, report_query(r, s.clock.now(), {"key", "target", "state", "limit", "cursor"}));
    ASSIGN_OR_RETURN(auto page, page_params(r));
    Error e(Code::invalid_argument, "Some query parameters are invalid.");
    usecase::SlaDrillDown drill;
    drill.key = r.query_value("key").value_or("");
    if (drill.key.empty()) e.details.push_back({"key", "is required: the key of the group, as the report gives it"});
    auto metric = sla::parse_metric(r.query_value("target").value_or(""));
    if (!metric) e.details.push_back({"target", "is required: first_response, next_update or resolution"});
    drill.state = r.query_value("state").value_or("");
    if (!e.details.empty()) return fail(std::move(e));
    drill.metric = *metric;
    drill.limit = page.first;
    drill.after = page.second;
    ASSIGN_OR_RETURN(auto found, usecase::sla_report_tickets(s, r.actor(), q, drill));
    Json items = Json::array();
    for (const auto& t : found.items)
      items.push_back({{"id", t.id}, {"number", t.number}, {"subject", t.subject}, {"state", t.state},
                       {"due", t.due ? Json(to_rfc3339(*t.due)) : Json(nullptr)}});
    return page_response(items, found.next_after);
  });

  // OPS-1: the dashboard's ticket volume and backlog.
  router.add("GET", "/api/v1/reports/volume", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "report.sla"));  // one who may not read reports learns nothing of the query
    auto e = invalid_query();
    name_unknown(e, r, {"from", "to", "group_by", "format"});
    auto format = report_format(e, r);
    usecase::VolumeQuery q;
    std::tie(q.from, q.to) = report_period(e, r, s.clock.now());
    q.group_by = report_grouping(e, r, storage::TicketGrouping::type, usecase::parse_ticket_grouping, kTicketGroupings);
    if (!e.details.empty()) return fail(std::move(e));
    ASSIGN_OR_RETURN(auto report, usecase::volume_report(s, r.actor(), q));
    Json groups = Json::array(), days = Json::array();
    std::string group_by(usecase::to_string(q.group_by));
    feedback::Table by_group{"Volume", {group_by, "tickets", "open"}, {}}, by_day{"Days", {"day", "tickets"}, {}};
    for (const auto& g : report.groups) {
      groups.push_back({{"key", g.key}, {"tickets", g.tickets}, {"open", g.open}});
      by_group.rows.push_back({g.key, std::int64_t(g.tickets), std::int64_t(g.open)});
    }
    by_group.rows.push_back({std::string("total"), std::int64_t(report.total.tickets), std::int64_t(report.total.open)});
    for (const auto& d : report.days) {
      days.push_back({{"day", day_text(d.day)}, {"tickets", d.tickets}});
      by_day.rows.push_back({day_text(d.day), std::int64_t(d.tickets)});
    }
    Json body{{"from", to_rfc3339(q.from)},
              {"to", to_rfc3339(q.to)},
              {"group_by", group_by},
              {"groups", groups},
              {"total", {{"tickets", report.total.tickets}, {"open", report.total.open}}},
              {"days", days}};
    std::array tables{std::move(by_group), std::move(by_day)};
    return report_response(format, "volume", to_rfc3339(q.to).substr(0, 10), std::move(body), tables);
  });
  router.add("GET", "/api/v1/reports/backlog", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "report.sla"));
    auto e = invalid_query();
    name_unknown(e, r, {"group_by", "format"});
    auto format = report_format(e, r);
    auto group_by = report_grouping(e, r, storage::TicketGrouping::type, usecase::parse_ticket_grouping, kTicketGroupings);
    if (!e.details.empty()) return fail(std::move(e));
    ASSIGN_OR_RETURN(auto report, usecase::backlog_report(s, r.actor(), group_by));
    Json groups = Json::array();
    std::vector<std::string> columns{std::string(usecase::to_string(group_by)), "open"};
    for (auto bucket : usecase::kBacklogBuckets) columns.emplace_back(bucket);
    columns.emplace_back("oldest");
    feedback::Table table{"Backlog", std::move(columns), {}};
    auto row_of = [](const usecase::BacklogGroup& g) {
      std::vector<feedback::Cell> row;
      row.reserve(g.by_age.size() + 3);
      row.emplace_back(g.key);
      row.emplace_back(std::int64_t(g.open()));
      for (auto n : g.by_age) row.emplace_back(std::int64_t(n));
      if (g.oldest) row.emplace_back(to_rfc3339(*g.oldest));
      else row.emplace_back(std::monostate{});
      return row;
    };
    for (const auto& g : report.groups) {
      groups.push_back(backlog_json(g));
      table.rows.push_back(row_of(g));
    }
    table.rows.push_back(row_of(report.total));
    table.rows.back()[0] = std::string("total");
    Json body{{"as_of", to_rfc3339(report.as_of)},
              {"group_by", usecase::to_string(group_by)},
              {"buckets", usecase::kBacklogBuckets},
              {"groups", groups},
              {"total", backlog_json(report.total)}};
    return report_response(format, "backlog", to_rfc3339(report.as_of).substr(0, 10), std::move(body), {&table, 1});
  });
}

}  // namespace tandem::http
