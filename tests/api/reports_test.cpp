// OPS-1 (issue 6 §6), the dashboard's first charts over HTTP on every store: tickets raised per
// type, channel, organisation and team, day by day, how many are still open; and the backlog
// open now by age. The SLA report's right: staff see everything, a customer its organisation.
#include <chrono>
#include <vector>

#include "api/api_fixture.h"
#include "api/workbook.h"
#include "domain/migration/csv.h"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;

class ReportsTest : public ApiTest {
 protected:
  // One ticket raised 35 days before the others (the report's days start at `start_`, 09:00 UTC)
  // by a user of another organisation; then six:
  //   at start_:      A's incident (resolved), A's service request, a consultation phoned in for B
  //   two days later: B's incident, an incident phoned in for A (team Desk, waiting for its user),
  //                   A's incident (cancelled)
  void SetUp() override {
    auto now = server_.clock().now();
    server_.clock().advance(std::chrono::floor<std::chrono::days>(now) + std::chrono::days(1) + 9h - now);
    admin_ = server_.admin();
    org_a_ = create_org("Campus");
    org_b_ = create_org("Other Co");
    user_a_ = create_user("u@a.test", "user", org_a_["id"]);
    user_b_ = create_user("b@b.test", "user", org_b_["id"]);
    create_user("cust@a.test", "customer", org_a_["id"]);
    auto agent = create_user("agent@p.test", "agent");
    team_ = admin_.post("/api/v1/teams", {{"name", "Desk"}, {"member_ids", {agent["id"]}}}).json();
    auto early = login("b@b.test");
    oldest_ = raise(early, "incident");

    pass(std::chrono::days(35));
    start_ = server_.clock().now();
    auto fixed = raise(user_, "incident");
    transition(agent_, fixed, "in_progress");
    transition(agent_, fixed, "resolved", {{"resolution", "Replaced the toner"}});
    raise(user_, "service_request");
    raise(agent_, "consultation", {{"on_behalf_of", id(user_b_)}, {"channel", "phone"}});

    pass(std::chrono::days(2));
    raise(stranger_, "incident");
    auto phoned = raise(agent_, "incident", {{"on_behalf_of", id(user_a_)}, {"channel", "phone"}});
    auto triaged = agent_.patch("/api/v1/tickets/" + id(phoned), {{"team_id", id(team_)}}, phoned["etag"]);
    ASSERT_EQ(triaged.status, 200) << triaged.body;
    transition(agent_, phoned, "in_progress");
    transition(agent_, phoned, "waiting_for_user");
    transition(user_, raise(user_, "incident"), "cancelled");
  }

  // Moves the clock on and signs everyone in again: the test server's sessions last a day.
  void pass(std::chrono::days span) {
    server_.clock().advance(span);
    admin_ = server_.admin();
    user_ = login("u@a.test");
    stranger_ = login("b@b.test");
    customer_ = login("cust@a.test");
    agent_ = login("agent@p.test");
  }
  Json raise(HttpClient& c, const std::string& type, Json extra = Json::object()) {
    Json body = {{"type", type}, {"subject", "Printer on fire"}, {"description", "smoke"}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    auto r = c.post("/api/v1/tickets", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  void transition(HttpClient& by, const Json& ticket, const std::string& to, Json extra = Json::object()) {
    extra["to"] = to;
    auto r = by.post("/api/v1/tickets/" + id(ticket) + "/transitions", extra);
    EXPECT_EQ(r.status, 200) << r.body;
  }

  // [from, to) in days after start_'s midnight, as query parameters.
  std::string days(int from, int to) const {
    auto midnight = std::chrono::floor<std::chrono::days>(start_);
    return "from=" + url_quoted(to_rfc3339(midnight + std::chrono::days(from))) +
           "&to=" + url_quoted(to_rfc3339(midnight + std::chrono::days(to)));
  }
  std::string day(int n) const {
    return to_rfc3339(std::chrono::floor<std::chrono::days>(start_) + std::chrono::days(n)).substr(0, 10);
  }
  Json report(HttpClient& c, const std::string& path) {
    auto r = c.get(path);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json() : Json::object();
  }

  Json org_a_, org_b_, user_a_, user_b_, team_, oldest_;
  Time start_;
  HttpClient user_ = server_.client(), stranger_ = server_.client(), customer_ = server_.client(),
             agent_ = server_.client();
};

TEST_P(ReportsTest, VolumeCountsTicketsRaisedPerGroupAndPerDayWithThoseStillOpen) {
  auto volume = report(agent_, "/api/v1/reports/volume?" + days(0, 4));
  EXPECT_EQ(volume["group_by"], "type");
  EXPECT_EQ(volume["groups"], Json::parse(R"([{"key":"incident","tickets":4,"open":2},
                                               {"key":"consultation","tickets":1,"open":1},
                                               {"key":"service_request","tickets":1,"open":1}])"))
      << "most first, ties by key; resolved and cancelled are not open, waiting for the user is";
  EXPECT_EQ(volume["total"], Json({{"tickets", 6}, {"open", 4}}));
  EXPECT_EQ(volume["days"], Json::parse(R"([{"day":")" + day(0) + R"(","tickets":3},{"day":")" + day(1) +
                                        R"(","tickets":0},{"day":")" + day(2) + R"(","tickets":3},{"day":")" +
                                        day(3) + R"(","tickets":0}])"))
      << "every day of the period, the quiet ones too";

  auto by_channel = report(agent_, "/api/v1/reports/volume?" + days(0, 4) + "&group_by=channel");
  EXPECT_EQ(by_channel["groups"], Json::parse(R"([{"key":"portal","tickets":4,"open":2},{"key":"phone","tickets":2,"open":2}])"));
  auto by_org = report(agent_, "/api/v1/reports/volume?" + days(0, 4) + "&group_by=organization");
  EXPECT_EQ(by_org["groups"], Json::array({{{"key", org_a_["id"]}, {"tickets", 4}, {"open", 2}},
                                           {{"key", org_b_["id"]}, {"tickets", 2}, {"open", 2}}}));
  auto by_team = report(agent_, "/api/v1/reports/volume?" + days(0, 4) + "&group_by=team");
  EXPECT_EQ(by_team["groups"], Json::array({{{"key", "none"}, {"tickets", 5}, {"open", 3}},
                                            {{"key", team_["id"]}, {"tickets", 1}, {"open", 1}}}));

  // The period is [from, to): a report to 09:00 on day 2 stops just before that day's tickets,
  // and its days end with the day it reaches into.
  auto until = report(agent_, "/api/v1/reports/volume?from=" + url_quoted(to_rfc3339(start_)) +
                                  "&to=" + url_quoted(to_rfc3339(start_ + std::chrono::days(2))));
  EXPECT_EQ(until["total"]["tickets"], 3);
  ASSERT_EQ(until["days"].size(), 3u);
  EXPECT_EQ(until["days"][0], Json({{"day", day(0)}, {"tickets", 3}}));
  EXPECT_EQ(until["days"][2], Json({{"day", day(2)}, {"tickets", 0}}));

  // Unless told, the last 30 days: the ticket of 37 days ago is not in them.
  server_.clock().advance(1h);
  auto recent = report(agent_, "/api/v1/reports/volume");
  auto now = server_.clock().now();
  EXPECT_EQ(recent["from"], to_rfc3339(now - std::chrono::days(30)));
  EXPECT_EQ(recent["to"], to_rfc3339(now));
  EXPECT_EQ(recent["total"], Json({{"tickets", 6}, {"open", 4}}));
  EXPECT_EQ(recent["days"].size(), 31u) << "30 days from 09:00 touch 31 UTC days";
  EXPECT_EQ(recent["days"].back(), Json({{"day", day(2)}, {"tickets", 3}}));
}

TEST_P(ReportsTest, BacklogBucketsWhatIsOpenNowByAge) {
  auto backlog = report(agent_, "/api/v1/reports/backlog");
  EXPECT_EQ(backlog["as_of"], to_rfc3339(server_.clock().now()));
  EXPECT_EQ(backlog["group_by"], "type");
  EXPECT_EQ(backlog["buckets"], Json({"under_1d", "1d_3d", "3d_7d", "7d_30d", "over_30d"}));
  auto ages = [](int a, int b, int c, int d, int e) {
    return Json{{"under_1d", a}, {"1d_3d", b}, {"3d_7d", c}, {"7d_30d", d}, {"over_30d", e}};
  };
  EXPECT_EQ(backlog["total"], Json({{"key", "total"}, {"open", 5}, {"by_age", ages(2, 2, 0, 0, 1)}, {"oldest", oldest_["created_at"]}}));
  ASSERT_EQ(backlog["groups"].size(), 3u) << backlog.dump();
  EXPECT_EQ(backlog["groups"][0],
            Json({{"key", "incident"}, {"open", 3}, {"by_age", ages(2, 0, 0, 0, 1)}, {"oldest", oldest_["created_at"]}}));
  EXPECT_EQ(backlog["groups"][1]["key"], "consultation");
  EXPECT_EQ(backlog["groups"][2], Json({{"key", "service_request"}, {"open", 1}, {"by_age", ages(0, 1, 0, 0, 0)},
                                        {"oldest", to_rfc3339(start_)}}));

  // A day on, the tickets of day 0 are exactly three days old: that is 3d_7d.
  pass(std::chrono::days(1));
  EXPECT_EQ(report(agent_, "/api/v1/reports/backlog")["total"]["by_age"], ages(0, 2, 2, 0, 1));
  pass(std::chrono::days(5));
  EXPECT_EQ(report(agent_, "/api/v1/reports/backlog")["total"]["by_age"], ages(0, 0, 2, 2, 1));

  auto by_team = report(agent_, "/api/v1/reports/backlog?group_by=team");
  ASSERT_EQ(by_team["groups"].size(), 2u);
  EXPECT_EQ(by_team["groups"][0]["key"], "none");
  EXPECT_EQ(by_team["groups"][1], Json({{"key", team_["id"]}, {"open", 1}, {"by_age", ages(0, 0, 1, 0, 0)},
                                        {"oldest", to_rfc3339(start_ + std::chrono::days(2))}}));
  auto by_org = report(agent_, "/api/v1/reports/backlog?group_by=organization");
  ASSERT_EQ(by_org["groups"].size(), 2u);
  EXPECT_EQ(by_org["groups"][0]["key"], org_b_["id"]) << "B has three open, A two";
  EXPECT_EQ(by_org["groups"][0]["open"], 3);
}

// A customer's numbers are its organisation's, whatever it asks; triage (team) is the desk's.
TEST_P(ReportsTest, ACustomerSeesItsOwnOrganisationOnly) {
  auto volume = report(customer_, "/api/v1/reports/volume?" + days(0, 4) + "&group_by=organization");
  EXPECT_EQ(volume["groups"], Json::array({{{"key", org_a_["id"]}, {"tickets", 4}, {"open", 2}}}));
  EXPECT_EQ(volume["total"], Json({{"tickets", 4}, {"open", 2}}));
  EXPECT_EQ(volume["days"][0]["tickets"], 2);
  auto by_type = report(customer_, "/api/v1/reports/volume?" + days(0, 4));
  EXPECT_EQ(by_type["total"]["tickets"], 4);
  auto backlog = report(customer_, "/api/v1/reports/backlog?group_by=organization");
  ASSERT_EQ(backlog["groups"].size(), 1u);
  EXPECT_EQ(backlog["groups"][0]["key"], org_a_["id"]);
  EXPECT_EQ(backlog["total"]["open"], 2);
  EXPECT_EQ(backlog["total"]["oldest"], to_rfc3339(start_)) << "not the other organisation's older ticket";

  for (auto path : {"/api/v1/reports/volume?group_by=team", "/api/v1/reports/backlog?group_by=team"}) {
    auto r = customer_.get(path);
    EXPECT_EQ(r.status, 422) << path;
    EXPECT_TRUE(problems(r).contains("group_by")) << r.body;
  }
  auto named = customer_.get("/api/v1/reports/volume?organization_id=" + id(org_b_));
  EXPECT_EQ(problems(named).count("organization_id"), 1u) << "no way to name another organisation: " << named.body;
  for (auto path : {"/api/v1/reports/volume", "/api/v1/reports/backlog"}) {
    EXPECT_EQ(user_.get(path).status, 403) << path;
    EXPECT_EQ(server_.client().get(path).status, 401) << path;
  }
}

// OPS-1: every report also as CSV (its first table) and XLSX (a sheet per table), the files
// holding the JSON's figures; a customer's files hold its organisation only.
TEST_P(ReportsTest, EveryReportComesAsCsvAndXlsxWithTheJsonFigures) {
  pass(std::chrono::days(0));
  auto volume = agent_.get("/api/v1/reports/volume?" + days(0, 3) + "&group_by=organization").json();
  auto csv = agent_.get("/api/v1/reports/volume?" + days(0, 3) + "&group_by=organization&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  auto records = migration::parse_csv(csv.body);
  ASSERT_TRUE(records.has_value());
  ASSERT_EQ(records->size(), volume["groups"].size() + 2) << csv.body;  // the header, the groups, the total
  EXPECT_EQ((*records)[0], (migration::CsvRecord{"organization", "tickets", "open"}));
  for (std::size_t i = 0; i < volume["groups"].size(); ++i) {
    const auto& g = volume["groups"][i];
    const auto& row = (*records)[i + 1];
    EXPECT_EQ(row[0], g["key"]);
    EXPECT_TRUE(same_cell(row[1], g["tickets"]) && same_cell(row[2], g["open"])) << csv.body;
  }
  EXPECT_EQ(records->back()[0], "total");
  EXPECT_TRUE(same_cell(records->back()[1], volume["total"]["tickets"]));

  auto book = read_workbook(agent_.get("/api/v1/reports/volume?" + days(0, 3) + "&group_by=organization&format=xlsx").body);
  ASSERT_TRUE(book.is_object());
  ASSERT_EQ(book["sheets"]["Volume"].size(), records->size());
  for (std::size_t r = 0; r < records->size(); ++r)
    for (std::size_t c = 0; c < 3; ++c) EXPECT_TRUE(same_cell((*records)[r][c], book["sheets"]["Volume"][r][c])) << r << "," << c;
  auto day_rows = book["sheets"]["Days"];
  ASSERT_EQ(day_rows.size(), volume["days"].size() + 1);
  EXPECT_EQ(day_rows[1][0], volume["days"][0]["day"]);
  EXPECT_EQ(day_rows[1][1], volume["days"][0]["tickets"]);

  auto backlog = agent_.get("/api/v1/reports/backlog").json();
  auto backlog_csv = migration::parse_csv(agent_.get("/api/v1/reports/backlog?format=csv").body);
  ASSERT_TRUE(backlog_csv.has_value());
  ASSERT_EQ(backlog_csv->size(), backlog["groups"].size() + 2);
  const auto& header = (*backlog_csv)[0];
  EXPECT_EQ(header[1], "open");
  for (std::size_t b = 0; b < backlog["buckets"].size(); ++b) {
    EXPECT_EQ(header[b + 2], backlog["buckets"][b]);
    EXPECT_TRUE(same_cell(backlog_csv->back()[b + 2], backlog["total"]["by_age"][backlog["buckets"][b].get<std::string>()]));
  }

  for (auto name : {"deflection", "bot"}) {
    auto files = agent_.get(std::string("/api/v1/reports/") + name + "?format=csv");
    EXPECT_EQ(files.status, 200) << name << files.body;
    EXPECT_EQ(files.header("content-type").rfind("text/csv", 0), 0u) << name;
    auto sheets = read_workbook(agent_.get(std::string("/api/v1/reports/") + name + "?format=xlsx").body);
    EXPECT_TRUE(sheets.is_object() && !sheets["sheets"].empty()) << name;
    EXPECT_EQ(agent_.get(std::string("/api/v1/reports/") + name + "?format=pdf").status, 422) << name;
  }

  // A customer's CSV and workbook name its organisation only.
  for (auto format : {"csv", "xlsx"}) {
    auto theirs = customer_.get("/api/v1/reports/volume?" + days(-40, 3) + "&group_by=organization&format=" + format);
    ASSERT_EQ(theirs.status, 200) << theirs.body;
    auto text = std::string(format) == "xlsx" ? read_workbook(theirs.body).dump() : theirs.body;
    EXPECT_EQ(text.find(id(org_b_)), std::string::npos) << format;
    EXPECT_NE(text.find(id(org_a_)), std::string::npos) << format;
  }
  EXPECT_EQ(user_.get("/api/v1/reports/volume?format=csv").status, 403);
}

TEST_P(ReportsTest, BadQueriesAreRefusedWithEveryProblemNamed) {
  auto all = agent_.get("/api/v1/reports/volume?group_by=colour&from=yesterday&to=later&colour=red");
  EXPECT_EQ(all.status, 422);
  auto named = problems(all);
  for (auto field : {"group_by", "from", "to", "colour"}) EXPECT_TRUE(named.contains(field)) << field << ": " << all.body;

  auto backwards = agent_.get("/api/v1/reports/volume?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z");
  EXPECT_EQ(backwards.status, 422);
  EXPECT_TRUE(problems(backwards).contains("to")) << backwards.body;
  auto empty = agent_.get("/api/v1/reports/volume?from=2026-11-01T00:00:00Z&to=2026-11-01T00:00:00Z");
  EXPECT_TRUE(problems(empty).contains("to")) << empty.body;
  auto long_ = agent_.get("/api/v1/reports/volume?from=2025-01-01T00:00:00Z&to=2026-11-01T00:00:00Z");
  EXPECT_EQ(long_.status, 422);
  EXPECT_TRUE(problems(long_).contains("from")) << long_.body;
  EXPECT_EQ(agent_.get("/api/v1/reports/volume?from=2025-11-01T00:00:00Z&to=2026-11-02T00:00:00Z").status, 200) << "366 days";

  // The backlog is now: it takes no period.
  auto period = agent_.get("/api/v1/reports/backlog?from=2026-11-01T00:00:00Z&group_by=policy");
  EXPECT_EQ(period.status, 422);
  auto backlog_named = problems(period);
  EXPECT_TRUE(backlog_named.contains("from") && backlog_named.contains("group_by")) << period.body;

  // One who may not read reports is refused as such, whatever the query.
  EXPECT_EQ(user_.get("/api/v1/reports/volume?group_by=colour").status, 403);
  EXPECT_EQ(user_.get("/api/v1/reports/backlog?from=yesterday").status, 403);
}

INSTANTIATE_TEST_SUITE_P(Stores, ReportsTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
