// Agreed timeframes over HTTP on every store (DESK-3): business calendars — their contract,
// validation, merge patches, who may change them — and "start + N business minutes".
#include <functional>
#include <set>

#include <date/date.h>

#include "api/api_fixture.h"
#include "usecase/sla_timers.h"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;

// The fields a refusal names.
std::set<std::string> problem_fields(const HttpResponse& r) {
  std::set<std::string> fields;
  auto body = r.json();
  for (const auto& d : body["error"]["details"]) fields.insert(d["field"].get<std::string>());
  return fields;
}

// Working periods as JSON: [["09:00","12:00"], …] (a braced list of string pairs would be an object).
Json periods(std::initializer_list<std::pair<const char*, const char*>> list) {
  auto out = Json::array();
  for (auto [from, to] : list) out.push_back(Json::array({from, to}));
  return out;
}

Json shanghai_office() {
  Json week = Json::object();
  for (auto day : {"mon", "tue", "wed", "thu", "fri"}) week[day] = periods({{"09:00", "12:00"}, {"13:00", "18:00"}});
  Json holidays = Json::array();
  for (int d = 1; d <= 8; ++d) holidays.push_back("2026-10-0" + std::to_string(d));
  return {{"name", "Shanghai office"}, {"time_zone", "Asia/Shanghai"}, {"always_open", false}, {"hours", week},
          {"holidays", holidays}, {"extra_working_days", {"2026-09-27", "2026-10-10"}}};
}

class TimeframesTest : public ApiTest {
 protected:
  HttpResponse add(HttpClient& c, const Json& calendar, const std::string& start, const std::string& minutes) {
    return c.get("/api/v1/calendars/" + id(calendar) + "/add?start=" + url_quoted(start) + "&minutes=" + minutes);
  }
  std::string added(HttpClient& c, const Json& calendar, const std::string& start, int minutes) {
    auto r = add(c, calendar, start, std::to_string(minutes));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json()["result"].get<std::string>() : "";
  }
  Json create(const Json& body) {
    auto r = admin_.post("/api/v1/calendars", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
};

TEST_P(TimeframesTest, CalendarKeepsTheContractAndAnswersBusinessMinutes) {
  auto created = admin_.post("/api/v1/calendars", shanghai_office());
  ASSERT_EQ(created.status, 201) << created.body;
  auto cal = created.json();
  EXPECT_EQ(created.header("location"), "/api/v1/calendars/" + id(cal));
  EXPECT_EQ(cal["time_zone"], "Asia/Shanghai");
  EXPECT_EQ(cal["hours"]["mon"], Json(periods({{"09:00", "12:00"}, {"13:00", "18:00"}})));
  EXPECT_FALSE(cal["hours"].contains("sat"));
  EXPECT_EQ(cal["holidays"].size(), 8u);
  EXPECT_EQ(cal["extra_working_days"], Json({"2026-09-27", "2026-10-10"}));
  EXPECT_TRUE(cal["extra_day_hours"].is_null());
  EXPECT_EQ(admin_.get("/api/v1/calendars/" + id(cal)).json(), cal);

  create_user("u@a.test", "user", create_org("Campus")["id"]);
  auto user = login("u@a.test");  // users may ask when a promise falls due
  // Monday 11:00 + 8 h: 1 h to lunch, 5 h in the afternoon, 2 h on Tuesday morning.
  EXPECT_EQ(added(user, cal, "2026-09-28T11:00:00+08:00", 480), "2026-09-29T03:00:00.000Z");
  EXPECT_EQ(added(user, cal, "2026-09-28T11:00:00+08:00", 0), "2026-09-28T03:00:00.000Z");
  // Friday after hours + 90 min: the make-up Saturday works a normal Monday's hours.
  EXPECT_EQ(added(user, cal, "2026-10-09T18:00:00+08:00", 90), "2026-10-10T02:30:00.000Z");
  // Inside the national holiday nothing counts until Friday the 9th.
  EXPECT_EQ(added(user, cal, "2026-10-02T10:00:00+08:00", 60), "2026-10-09T02:00:00.000Z");
}

TEST_P(TimeframesTest, MergePatchChangesWeekdaysAndExtraDaysFollowMonday) {
  auto cal = create(shanghai_office());
  auto path = "/api/v1/calendars/" + id(cal);
  // Monday from 10:00: the make-up Saturday follows.
  auto later = admin_.patch(path, {{"hours", {{"mon", periods({{"10:00", "12:00"}, {"13:00", "18:00"}})}}}}, cal["etag"]);
  ASSERT_EQ(later.status, 200) << later.body;
  EXPECT_EQ(later.json()["hours"]["tue"], cal["hours"]["tue"]) << "other weekdays are kept";
  EXPECT_EQ(added(admin_, cal, "2026-10-09T18:00:00+08:00", 90), "2026-10-10T03:30:00.000Z");
  // Its own hours, and Saturdays worked from now on.
  auto own = admin_.patch(path, {{"extra_day_hours", periods({{"12:00", "14:00"}})}, {"hours", {{"sat", periods({{"09:00", "12:00"}})}}}},
                          later.json()["etag"]);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(added(admin_, cal, "2026-10-09T18:00:00+08:00", 90), "2026-10-10T05:30:00.000Z");
  EXPECT_EQ(added(admin_, cal, "2026-10-16T18:00:00+08:00", 60), "2026-10-17T02:00:00.000Z");
  // A weekday removed with null.
  auto no_sat = admin_.patch(path, {{"hours", {{"sat", nullptr}}}}, own.json()["etag"]);
  ASSERT_EQ(no_sat.status, 200) << no_sat.body;
  EXPECT_FALSE(no_sat.json()["hours"].contains("sat"));
  EXPECT_EQ(added(admin_, cal, "2026-10-16T18:00:00+08:00", 60), "2026-10-19T03:00:00.000Z");
  // A stale version changes nothing.
  EXPECT_EQ(admin_.patch(path, {{"name", "x"}}, own.json()["etag"]).status, 412);
  EXPECT_EQ(admin_.get(path).json()["name"], "Shanghai office");
  EXPECT_EQ(admin_.del(path).status, 204);
  EXPECT_EQ(admin_.get(path).status, 404);
  EXPECT_EQ(add(admin_, cal, "2026-10-16T18:00:00+08:00", "60").status, 404);
}

TEST_P(TimeframesTest, BadCalendarsAreRefusedWithEveryProblemNamed) {
  auto before = audit_count();
  auto bad = shanghai_office();
  bad["time_zone"] = "Mars/Olympus";
  bad["hours"]["tue"] = periods({{"09:00", "25:00"}});
  bad["hours"]["wed"] = periods({{"09:00", "12:00"}, {"11:00", "13:00"}});
  bad["hours"]["funday"] = Json::array();
  bad["holidays"].push_back("2026-02-30");
  auto r = admin_.post("/api/v1/calendars", bad);
  EXPECT_EQ(r.status, 422) << r.body;
  auto fields = problem_fields(r);
  for (auto field : {"time_zone", "hours.tue", "hours.funday", "holidays"}) EXPECT_TRUE(fields.contains(field)) << field << r.body;

  auto both = shanghai_office();
  both["extra_working_days"].push_back("2026-10-01");  // also a holiday
  EXPECT_TRUE(problem_fields(admin_.post("/api/v1/calendars", both)).contains("extra_working_days"));
  auto overlapping = shanghai_office();
  overlapping["hours"]["wed"] = periods({{"09:00", "12:00"}, {"11:00", "13:00"}});
  EXPECT_TRUE(problem_fields(admin_.post("/api/v1/calendars", overlapping)).contains("hours.wed"));
  auto idle = shanghai_office();
  idle["hours"] = Json::object();
  EXPECT_TRUE(problem_fields(admin_.post("/api/v1/calendars", idle)).contains("hours"));
  auto nameless = shanghai_office();
  nameless.erase("name");
  nameless.erase("time_zone");
  auto missing = problem_fields(admin_.post("/api/v1/calendars", nameless));
  EXPECT_TRUE(missing.contains("name") && missing.contains("time_zone"));
  EXPECT_EQ(admin_.post("/api/v1/calendars", {{"name", "24x7"}, {"time_zone", "UTC"}, {"always_open", "yes"}}).status, 422);
  auto coloured = shanghai_office();
  coloured["colour"] = "blue";
  EXPECT_TRUE(problem_fields(admin_.post("/api/v1/calendars", coloured)).contains("colour"));
  EXPECT_EQ(audit_count(), before) << "refused calendars wrote nothing";

  auto cal = create(shanghai_office());
  auto path = "/api/v1/calendars/" + id(cal);
  EXPECT_EQ(admin_.patch(path, {{"time_zone", nullptr}}, cal["etag"]).status, 422);
  EXPECT_EQ(admin_.patch(path, {{"hours", {{"mon", "all day"}}}}, cal["etag"]).status, 422);
  EXPECT_EQ(admin_.get(path).json(), cal) << "a refused patch changes nothing";
  for (auto [start, minutes] : std::vector<std::pair<std::string, std::string>>{
           {"yesterday", "60"}, {"2026-10-09T18:00:00", "60"}, {"2026-10-09T18:00:00Z", "-1"},
           {"2026-10-09T18:00:00Z", "1.5"}, {"2026-10-09T18:00:00Z", ""}, {"2026-10-09T18:00:00Z", "99999999999"}}) {
    auto answer = add(admin_, cal, start, minutes);
    EXPECT_EQ(answer.status, 422) << start << " + " << minutes << ": " << answer.body;
  }
  EXPECT_EQ(admin_.get(path + "/add?minutes=5").status, 422);
}

TEST_P(TimeframesTest, OnlyAdministratorsChangeCalendars) {
  auto org = create_org("Campus");
  create_user("u@a.test", "user", org["id"]);
  create_user("c@a.test", "customer", org["id"]);
  create_user("agent@p.test", "agent");
  auto anonymous = server_.client();
  auto user = login("u@a.test");
  auto customer = login("c@a.test");
  auto agent = login("agent@p.test");
  auto cal = create(shanghai_office());
  auto path = "/api/v1/calendars/" + id(cal);
  auto before = audit_count();
  for (HttpClient* who : {&anonymous, &user, &customer, &agent}) {
    int refused = who == &anonymous ? 401 : 403;
    EXPECT_EQ(who->post("/api/v1/calendars", shanghai_office()).status, refused);
    EXPECT_EQ(who->patch(path, {{"name", "Mine"}}, cal["etag"]).status, refused);
    EXPECT_EQ(who->del(path).status, refused);
    if (who != &anonymous) {
      EXPECT_EQ(who->get("/api/v1/calendars").json()["items"].size(), 1u);
      EXPECT_EQ(who->get(path).status, 200);
    } else {
      EXPECT_EQ(who->get("/api/v1/calendars").status, 401);
      EXPECT_EQ(add(*who, cal, "2026-10-09T18:00:00Z", "5").status, 401);
    }
  }
  EXPECT_EQ(audit_count(), before);
  EXPECT_EQ(admin_.get(path).json()["name"], "Shanghai office");
}

// SLA policies and the clock on tickets. The server's clock is moved to a Monday 09:00 UTC so
// that promises can be computed by hand.
class SlaTest : public ApiTest {
 protected:
  void SetUp() override {
    auto now = server_.clock().now();
    auto today = std::chrono::floor<std::chrono::days>(now);
    auto monday = today + std::chrono::days((8 - date::weekday(std::chrono::sys_days(today)).c_encoding()) % 7 + 7);
    server_.clock().advance(std::chrono::duration_cast<std::chrono::milliseconds>(monday + std::chrono::hours(9) - now));
    admin_ = server_.admin();  // the first session may have ended meanwhile
    org_ = create_org("Campus");
    create_user("u@a.test", "user", org_["id"]);
    create_user("frail@a.test", "user", org_["id"], "Passw0rd-test!", {{"flags", {"accessibility_needs"}}});
    create_user("agent@p.test", "agent");
    always_ = calendar({{"name", "24x7"}, {"time_zone", "UTC"}, {"always_open", true}});
    Json week = Json::object();
    for (auto day : {"mon", "tue", "wed", "thu", "fri"}) week[day] = periods({{"09:00", "17:00"}});
    office_ = calendar({{"name", "Office"}, {"time_zone", "UTC"}, {"hours", week}});
  }
  Json calendar(const Json& body) {
    auto r = admin_.post("/api/v1/calendars", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  Json policy(const std::string& name, int order, const Json& calendar, Json conditions, Json targets) {
    auto r = admin_.post("/api/v1/sla-policies", {{"name", name}, {"order", order}, {"calendar_id", calendar["id"]},
                                                  {"conditions", conditions}, {"targets", targets}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  Json raise(HttpClient& c, Json extra = Json::object()) {
    Json body = {{"type", "incident"}, {"subject", "Printer on fire"}, {"description", "smoke"}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    auto r = c.post("/api/v1/tickets", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  std::string at(std::chrono::minutes after_start) { return to_rfc3339(start() + after_start); }
  Time start() const { return start_; }
  Json reread(HttpClient& c, const Json& ticket) { return c.get("/api/v1/tickets/" + id(ticket)).json(); }

  Json org_, always_, office_;
  Time start_ = server_.clock().now();
};

TEST_P(SlaTest, TheFirstMatchingPolicyInOrderSetsTheTicketsPromises) {
  start_ = server_.clock().now();
  policy("Vulnerable users", 1, always_, {{"vulnerable", true}}, {{"first_response", 15}, {"resolution", 120}});
  policy("Critical incidents", 2, always_, {{"type", {"incident"}}, {"priority", {"critical"}}}, {{"resolution", 240}});
  policy("VIP members", 5, always_, {{"user_flags", {"vip"}}}, {{"first_response", 5}});
  policy("Office hours", 10, office_, Json::object(), {{"first_response", 60}, {"resolution", 600}});
  create_user("vip@a.test", "user", org_["id"], "Passw0rd-test!", {{"flags", {"vip"}}});
  auto user = login("u@a.test");
  auto frail = login("frail@a.test");
  auto vip = login("vip@a.test");
  EXPECT_EQ(raise(vip)["sla"]["policy"]["name"], "VIP members") << "a VIP is no vulnerable user";

  auto plain = raise(user);
  EXPECT_EQ(plain["sla"]["policy"]["name"], "Office hours");
  EXPECT_EQ(plain["sla"]["first_response"]["due"], at(60min));
  EXPECT_EQ(plain["sla"]["first_response"]["state"], "ok");
  // Ten business hours from Monday 09:00 on an 09:00–17:00 calendar: Tuesday 11:00.
  EXPECT_EQ(plain["sla"]["resolution"]["due"], at(26h));
  EXPECT_TRUE(plain["sla"]["next_update"].is_null()) << "not agreed";
  EXPECT_EQ(raise(user, {{"impact", "high"}, {"urgency", "high"}})["sla"]["policy"]["name"], "Critical incidents");
  auto vulnerable = raise(frail, {{"impact", "high"}, {"urgency", "high"}});
  EXPECT_EQ(vulnerable["sla"]["policy"]["name"], "Vulnerable users") << "first in order wins";
  EXPECT_EQ(vulnerable["sla"]["first_response"]["due"], at(15min));
  // Consumers see their promises too.
  EXPECT_EQ(reread(user, plain)["sla"]["resolution"]["due"], at(26h));
  // No policy for a type nobody agreed: none is promised.
  auto policies = admin_.get("/api/v1/sla-policies").json()["items"];
  ASSERT_EQ(policies[3]["name"], "Office hours");
  admin_.patch("/api/v1/sla-policies/" + id(policies[3]), {{"conditions", {{"type", {"incident"}}}}}, policies[3]["etag"]);
  EXPECT_TRUE(raise(user, {{"type", "consultation"}})["sla"].is_null());
}

TEST_P(SlaTest, APolicyForTicketsRaisedOutsideOfficeHours) {
  start_ = server_.clock().now();  // Monday 09:00: the office is open
  policy("Nights and weekends", 1, always_, {{"raised_outside_hours_of", office_["id"]}}, {{"first_response", 240}});
  policy("Office hours", 10, office_, Json::object(), {{"first_response", 60}});
  auto user = login("u@a.test");
  EXPECT_EQ(raise(user)["sla"]["policy"]["name"], "Office hours");
  server_.clock().advance(11h);  // Monday 20:00
  auto night = raise(user);
  EXPECT_EQ(night["sla"]["policy"]["name"], "Nights and weekends");
  EXPECT_EQ(night["sla"]["first_response"]["due"], at(11h + 4h)) << "round the clock";
  EXPECT_EQ(admin_.del("/api/v1/calendars/" + id(office_)).status, 409) << "the condition uses it";
  auto missing = admin_.post("/api/v1/sla-policies", {{"name", "Ghost hours"},
                                                      {"calendar_id", always_["id"]},
                                                      {"conditions", {{"raised_outside_hours_of", "cal_nope"}}},
                                                      {"targets", {{"first_response", 1}}}});
  EXPECT_TRUE(problem_fields(missing).contains("conditions.raised_outside_hours_of"));
}

TEST_P(SlaTest, TheClockFollowsAnswersPausesAndARaisedPriority) {
  start_ = server_.clock().now();
  policy("Critical incidents", 1, office_, {{"priority", {"critical"}}}, {{"resolution", 120}});
  policy("Office hours", 10, office_, Json::object(), {{"first_response", 60}, {"next_update", 240}, {"resolution", 600}});
  auto user = login("u@a.test");
  auto agent = login("agent@p.test");
  auto t = raise(user);
  auto path = "/api/v1/tickets/" + id(t);

  // The agent answers after 20 minutes: the first response is met.
  server_.clock().advance(20min);
  ASSERT_EQ(agent.post(path + "/comments", {{"body", "Looking at it"}}).status, 201);
  auto read = reread(agent, t);
  EXPECT_EQ(read["sla"]["first_response"]["state"], "met");
  EXPECT_EQ(read["sla"]["first_response"]["elapsed_seconds"], 20 * 60);
  EXPECT_EQ(read["sla"]["first_response"]["due"], at(60min)) << "the promise that stood";

  // Waiting for the user from 10:00 to 12:00: the resolution clock stops, then moves by 2 h.
  server_.clock().advance(40min);
  ASSERT_EQ(agent.post(path + "/transitions", {{"to", "in_progress"}}).status, 200);
  ASSERT_EQ(agent.post(path + "/transitions", {{"to", "waiting_for_user"}}).status, 200);
  read = reread(user, t);
  EXPECT_TRUE(read["sla"]["resolution"]["paused"]);
  EXPECT_TRUE(read["sla"]["resolution"]["due"].is_null());
  server_.clock().advance(2h);
  ASSERT_EQ(user.post(path + "/comments", {{"body", "Here is the log"}}).status, 201);  // back to in_progress
  read = reread(user, t);
  EXPECT_FALSE(read["sla"]["resolution"]["paused"]);
  EXPECT_EQ(read["sla"]["resolution"]["due"], at(26h + 2h));
  EXPECT_EQ(read["sla"]["resolution"]["pauses"].size(), 1u);
  EXPECT_EQ(read["sla"]["next_update"]["cycle"], 1) << "the user's reply awaits an update";
  EXPECT_EQ(read["sla"]["next_update"]["due"], at(3h + 4h));
  // The user hears of the new estimate on the timeline and as a notification (DESK-4).
  auto timeline = user.get(path + "/timeline?limit=100").json()["items"];
  std::vector<std::string> estimates;
  for (const auto& e : timeline)
    if (e["kind"] == "estimate_changed") estimates.push_back(e["data"].value("resolution", ""));
  EXPECT_EQ(estimates, std::vector<std::string>{at(28h)});

  // Priority raised mid-flight: the critical policy reads the same history — 1 h worked before
  // the pause, none since — and the user is told of the new promise.
  auto raised = agent.patch(path, {{"priority", "critical"}}, reread(agent, t)["etag"]);
  ASSERT_EQ(raised.status, 200) << raised.body;
  EXPECT_EQ(raised.json()["sla"]["policy"]["name"], "Critical incidents");
  EXPECT_EQ(raised.json()["sla"]["resolution"]["due"], at(4h));
  EXPECT_EQ(raised.json()["sla"]["resolution"]["state"], "ok");
  bool told = false;
  auto notifications = user.get("/api/v1/notifications").json()["items"];
  for (const auto& n : notifications)
    told |= n["kind"] == "estimate_changed" && n["summary"].get<std::string>().find(at(4h)) != std::string::npos;
  EXPECT_TRUE(told);
  server_.clock().advance(61min);
  EXPECT_EQ(reread(user, t)["sla"]["resolution"]["state"], "breached");
}

TEST_P(SlaTest, ACalendarEditedAfterTheFactIsReadIntoEveryTicket) {
  start_ = server_.clock().now();
  policy("Everything", 1, always_, Json::object(), {{"resolution", 60}});
  auto user = login("u@a.test");
  auto t = raise(user);
  EXPECT_EQ(t["sla"]["resolution"]["due"], at(60min));
  // Today and tomorrow declared holidays, afterwards: nothing counts until Wednesday.
  auto today = date::year_month_day(std::chrono::floor<std::chrono::days>(start()));
  auto tomorrow = date::year_month_day(std::chrono::floor<std::chrono::days>(start()) + std::chrono::days(1));
  Json every_day = Json::object();
  for (auto day : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}) every_day[day] = periods({{"00:00", "24:00"}});
  auto edited = admin_.patch("/api/v1/calendars/" + id(always_),
                             {{"always_open", false}, {"hours", every_day},
                              {"holidays", {date::format("%F", today), date::format("%F", tomorrow)}}},
                             always_["etag"]);
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(reread(user, t)["sla"]["resolution"]["due"], at(2 * 24h - 9h + 60min));
}

TEST_P(SlaTest, BadPoliciesAreRefusedAndOnlyAdministratorsChangeThem) {
  auto before = audit_count();
  auto r = admin_.post("/api/v1/sla-policies", {{"name", "Broken"},
                                                {"calendar_id", "cal_nope"},
                                                {"conditions", {{"type", {"incident", "riddle"}}, {"mood", {"bad"}}}},
                                                {"targets", {{"resolution", 0}, {"lunch", 30}}},
                                                {"pause_statuses", {"napping"}},
                                                {"warn_at", 1.5}});
  EXPECT_EQ(r.status, 422) << r.body;
  auto fields = problem_fields(r);
  for (auto field : {"conditions.type", "conditions.mood", "targets.resolution", "targets.lunch", "pause_statuses", "warn_at"})
    EXPECT_TRUE(fields.contains(field)) << field << " " << r.body;
  auto unknown = admin_.post("/api/v1/sla-policies", {{"name", "Nowhere"}, {"calendar_id", "cal_nope"}, {"targets", {{"resolution", 60}}}});
  EXPECT_TRUE(problem_fields(unknown).contains("calendar_id")) << unknown.body;
  EXPECT_TRUE(problem_fields(admin_.post("/api/v1/sla-policies", {{"name", "No targets"}, {"calendar_id", always_["id"]}})).contains("targets"));
  auto org_b = admin_.post("/api/v1/sla-policies", {{"name", "Ghost org"},
                                                    {"calendar_id", always_["id"]},
                                                    {"conditions", {{"organization_id", {"org_nope"}}}},
                                                    {"targets", {{"resolution", 60}}}});
  EXPECT_TRUE(problem_fields(org_b).contains("conditions.organization_id"));
  auto escalating = admin_.post("/api/v1/sla-policies",
                                {{"name", "Loud"},
                                 {"calendar_id", always_["id"]},
                                 {"targets", {{"resolution", 60}}},
                                 {"escalations", Json::array({Json{{"at", "later"}, {"action", "dance"}},
                                                              Json{{"at", "breach"}, {"action", "reassign"}},
                                                              Json{{"at", "breach"}, {"action", "reassign"}, {"team_id", "team_nope"}}})}});
  auto escalation_fields = problem_fields(escalating);
  for (auto field : {"escalations[0].at", "escalations[0].action", "escalations[1].team_id"})
    EXPECT_TRUE(escalation_fields.contains(field)) << field << " " << escalating.body;
  EXPECT_EQ(audit_count(), before) << "refused policies wrote nothing";

  auto p = policy("Default", 1, office_, Json::object(), {{"resolution", 480}});
  auto path = "/api/v1/sla-policies/" + id(p);
  EXPECT_EQ(p["pause_statuses"], Json({"waiting_for_user"})) << "the default pause";
  EXPECT_EQ(p["warn_at"], 0.75);
  auto user = login("u@a.test");
  auto agent = login("agent@p.test");
  auto anonymous = server_.client();
  before = audit_count();
  EXPECT_EQ(anonymous.get("/api/v1/sla-policies").status, 401);
  EXPECT_EQ(user.get("/api/v1/sla-policies").status, 403);
  EXPECT_EQ(user.get(path).status, 403);
  EXPECT_EQ(agent.get(path).status, 200);
  for (HttpClient* who : {&user, &agent}) {
    EXPECT_EQ(who->post("/api/v1/sla-policies", {{"name", "Mine"}, {"calendar_id", always_["id"]}, {"targets", {{"resolution", 1}}}}).status, 403);
    EXPECT_EQ(who->patch(path, {{"order", 0}}, p["etag"]).status, 403);
    EXPECT_EQ(who->del(path).status, 403);
  }
  EXPECT_EQ(audit_count(), before);

  // In use: neither the policy nor its calendar can go; deactivated, new tickets get none.
  raise(user);
  EXPECT_EQ(admin_.del(path).status, 409);
  EXPECT_EQ(admin_.del("/api/v1/calendars/" + id(office_)).status, 409);
  auto off = admin_.patch(path, {{"active", false}, {"targets", {{"first_response", 30}}}}, p["etag"]);
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(off.json()["targets"], Json({{"first_response", 30}, {"resolution", 480}})) << "targets merge by key";
  EXPECT_TRUE(raise(user)["sla"].is_null());
  EXPECT_EQ(admin_.patch(path, {{"active", true}}, p["etag"]).status, 412);
}

// DESK-9: intelligent disobedience.
TEST_P(SlaTest, OverridesNeedThePermissionAReasonAndAJustification) {
  start_ = server_.clock().now();
  policy("Everything", 1, always_, Json::object(), {{"first_response", 10}, {"resolution", 60}});
  create_user("spec@p.test", "specialist");
  create_user("rm@p.test", "relationship_manager");
  auto user = login("u@a.test");
  auto agent = login("agent@p.test");
  auto specialist = login("spec@p.test");
  auto manager = login("rm@p.test");
  auto t = raise(user);
  Json extend = {{"rule", "sla.resolution"},
                 {"target_id", id(t)},
                 {"reason_code", "customer_request"},
                 {"justification", "The customer asked us to wait for their supplier."},
                 {"extend_minutes", 60}};
  auto with = [&](const char* key, Json value) {
    auto body = extend;
    if (value.is_null()) body.erase(key);
    else body[key] = value;
    return body;
  };
  auto before = audit_count();
  EXPECT_EQ(user.post("/api/v1/overrides", extend).status, 403);
  EXPECT_EQ(specialist.post("/api/v1/overrides", extend).status, 403);
  EXPECT_EQ(server_.client().post("/api/v1/overrides", extend).status, 401);
  EXPECT_TRUE(problem_fields(agent.post("/api/v1/overrides", with("reason_code", nullptr))).contains("reason_code"));
  EXPECT_TRUE(problem_fields(agent.post("/api/v1/overrides", with("reason_code", "felt_like_it"))).contains("reason_code"));
  EXPECT_TRUE(problem_fields(agent.post("/api/v1/overrides", with("justification", "because"))).contains("justification"));
  EXPECT_TRUE(problem_fields(agent.post("/api/v1/overrides", with("justification", nullptr))).contains("justification"));
  EXPECT_TRUE(problem_fields(agent.post("/api/v1/overrides", with("extend_minutes", nullptr))).contains("extend_minutes"));
  EXPECT_TRUE(problem_fields(agent.post("/api/v1/overrides", with("rule", "gravity"))).contains("rule"));
  EXPECT_TRUE(problem_fields(agent.post("/api/v1/overrides", with("rule", "sla.next_update"))).contains("rule")) << "not agreed";
  EXPECT_EQ(agent.post("/api/v1/overrides", with("target_id", "tkt_nope")).status, 404);
  EXPECT_EQ(audit_count(), before) << "a refused override changes nothing";
  EXPECT_EQ(reread(user, t)["sla"]["resolution"]["due"], at(60min));

  // Granted: an hour more, a public new estimate, an internal account of why, an audit entry.
  auto granted = agent.post("/api/v1/overrides", extend);
  ASSERT_EQ(granted.status, 201) << granted.body;
  EXPECT_EQ(granted.json()["outcome"], "ok");
  EXPECT_EQ(reread(user, t)["sla"]["resolution"]["due"], at(120min));
  auto staff_view = agent.get("/api/v1/tickets/" + id(t) + "/timeline?limit=100").json()["items"];
  auto user_view = user.get("/api/v1/tickets/" + id(t) + "/timeline?limit=100").json()["items"];
  auto kinds = [](const Json& items) {
    std::set<std::string> out;
    for (const auto& e : items) out.insert(e["kind"].get<std::string>());
    return out;
  };
  EXPECT_TRUE(kinds(staff_view).contains("override"));
  EXPECT_FALSE(kinds(user_view).contains("override")) << "the justification is the provider's";
  EXPECT_TRUE(kinds(user_view).contains("estimate_changed"));
  auto audit = admin_.get("/api/v1/audit?action=override.apply").json()["items"];
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0]["target_id"], id(t));

  // A breached first response covered by an extension is no longer breached.
  server_.clock().advance(20min);
  EXPECT_EQ(reread(agent, t)["sla"]["first_response"]["state"], "breached");
  auto first = with("rule", "sla.first_response");
  first["extend_minutes"] = 15;
  ASSERT_EQ(agent.post("/api/v1/overrides", first).status, 201);
  EXPECT_EQ(reread(agent, t)["sla"]["first_response"]["state"], "warning") << "20 of 25 minutes";

  // Workflow rules: only those who hold override.workflow; a move the workflow lacks, or one
  // without its required fields.
  Json close = {{"rule", "workflow.transition"}, {"target_id", id(t)}, {"reason_code", "other"},
                {"justification", "Duplicate raised by phone; closing without the usual steps."}, {"to", "closed"}};
  EXPECT_EQ(agent.post("/api/v1/overrides", close).status, 403);
  auto closed = manager.post("/api/v1/overrides", close);
  ASSERT_EQ(closed.status, 201) << closed.body;
  EXPECT_EQ(reread(user, t)["status"], "closed");
  EXPECT_EQ(manager.post("/api/v1/overrides", close).status, 409) << "already closed";
  auto bad_state = close;
  bad_state["to"] = "limbo";
  EXPECT_TRUE(problem_fields(manager.post("/api/v1/overrides", bad_state)).contains("to"));

  auto t2 = raise(user);
  ASSERT_EQ(agent.post("/api/v1/tickets/" + id(t2) + "/transitions", {{"to", "in_progress"}}).status, 200);
  EXPECT_EQ(agent.post("/api/v1/tickets/" + id(t2) + "/transitions", {{"to", "resolved"}}).status, 422) << "needs a resolution";
  Json waive = {{"rule", "workflow.required_fields"}, {"target_id", id(t2)}, {"reason_code", "safety"},
                {"justification", "Gas leak: resolved on site, the note follows from the engineer."}, {"to", "resolved"}};
  auto waived = admin_.post("/api/v1/overrides", waive);
  ASSERT_EQ(waived.status, 201) << waived.body;
  EXPECT_EQ(reread(user, t2)["status"], "resolved");
  waive["to"] = "new";
  EXPECT_EQ(admin_.post("/api/v1/overrides", waive).status, 409) << "no such move: that is workflow.transition";
}

TEST_P(SlaTest, OverridesAreReportedAndGroupedIntoAnImprovement) {
  start_ = server_.clock().now();
  policy("Everything", 1, always_, Json::object(), {{"resolution", 60}});
  create_user("rm@p.test", "relationship_manager");
  auto user = login("u@a.test");
  auto agent = login("agent@p.test");
  auto manager = login("rm@p.test");
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto t = raise(user);
    auto r = agent.post("/api/v1/overrides", {{"rule", "sla.resolution"}, {"target_id", id(t)}, {"reason_code", "rule_gap"},
                                              {"justification", "Parts on order; the policy has no wait-for-supplier state."},
                                              {"extend_minutes", 120}});
    ASSERT_EQ(r.status, 201) << r.body;
    ids.push_back(id(r.json()));
  }
  auto t = raise(user);
  ASSERT_EQ(manager.post("/api/v1/overrides", {{"rule", "workflow.transition"}, {"target_id", id(t)}, {"reason_code", "other"},
                                               {"justification", "Raised twice by mistake; closing the copy."}, {"to", "closed"}})
                .status,
            201);
  server_.clock().advance(190min);  // the extended targets (60 + 120 minutes) are breached by now

  auto report = manager.get("/api/v1/overrides?limit=2");
  ASSERT_EQ(report.status, 200) << report.body;
  auto body = report.json();
  EXPECT_EQ(body["items"].size(), 2u);
  EXPECT_FALSE(body["next_cursor"].is_null());
  EXPECT_EQ(body["summary"]["overrides"], 4);
  EXPECT_EQ(body["summary"]["by_rule"], Json({{"sla.resolution", 3}, {"workflow.transition", 1}}));
  EXPECT_EQ(body["summary"]["by_outcome"], Json({{"breached", 3}, {"closed", 1}}));
  EXPECT_EQ(body["summary"]["by_reason"]["rule_gap"], 3);
  EXPECT_EQ(body["summary"]["by_actor"].size(), 2u);
  auto next = manager.get("/api/v1/overrides?limit=2&cursor=" + body["next_cursor"].get<std::string>()).json();
  EXPECT_EQ(next["items"].size(), 2u);
  EXPECT_EQ(manager.get("/api/v1/overrides?rule=sla.resolution").json()["items"].size(), 3u);
  EXPECT_EQ(manager.get("/api/v1/overrides?colour=red").status, 422);
  EXPECT_EQ(agent.get("/api/v1/overrides").status, 403);
  EXPECT_EQ(user.get("/api/v1/overrides").status, 403);

  // The rule review: the three become one improvement-register entry.
  EXPECT_EQ(agent.post("/api/v1/improvements", {{"title", "x"}, {"override_ids", ids}}).status, 403);
  auto bad = admin_.post("/api/v1/improvements", {{"title", "Wait for supplier"}, {"override_ids", {ids[0], "ovr_nope"}}});
  EXPECT_TRUE(problem_fields(bad).contains("override_ids"));
  auto made = admin_.post("/api/v1/improvements", {{"title", "Add a waiting-for-supplier pause"},
                                                   {"description", "Three extensions for parts on order."},
                                                   {"override_ids", ids}});
  ASSERT_EQ(made.status, 201) << made.body;
  auto entry = made.json();
  EXPECT_EQ(entry["status"], "proposed");
  EXPECT_EQ(entry["override_ids"].size(), 3u);
  EXPECT_EQ(manager.get("/api/v1/overrides?improvement_id=" + id(entry)).json()["items"].size(), 3u);
  EXPECT_EQ(admin_.post("/api/v1/improvements", {{"title", "Again"}, {"override_ids", {ids[1]}}}).status, 409)
      << "an override belongs to one entry";
  EXPECT_EQ(agent.get("/api/v1/improvements/" + id(entry)).json()["override_ids"].size(), 3u);
  auto accepted = admin_.patch("/api/v1/improvements/" + id(entry), {{"status", "accepted"}}, entry["etag"]);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.json()["status"], "accepted");
  EXPECT_EQ(admin_.patch("/api/v1/improvements/" + id(entry), {{"status", "dreaming"}}, accepted.json()["etag"]).status, 422);
  EXPECT_EQ(admin_.get("/api/v1/improvements").json()["items"].size(), 1u);
  EXPECT_EQ(user.get("/api/v1/improvements").status, 403);
}

TEST_P(SlaTest, TheProviderSetsTheReasonCodes) {
  auto user = login("u@a.test");
  auto agent = login("agent@p.test");
  auto current = agent.get("/api/v1/override-reasons");
  ASSERT_EQ(current.status, 200);
  EXPECT_TRUE(current.json()["codes"].size() > 3);
  EXPECT_EQ(user.get("/api/v1/override-reasons").status, 403);
  Json codes = {{"codes", {"patient_safety", "regulator_request"}}};
  EXPECT_EQ(agent.request("PUT", "/api/v1/override-reasons", codes.dump(), {{"If-Match", current.header("etag")}}).status, 403);
  EXPECT_EQ(admin_.request("PUT", "/api/v1/override-reasons", Json{{"codes", {"Bad Code"}}}.dump(), {{"If-Match", current.header("etag")}})
                .status,
            422);
  auto set = admin_.request("PUT", "/api/v1/override-reasons", codes.dump(), {{"If-Match", current.header("etag")}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(admin_.request("PUT", "/api/v1/override-reasons", codes.dump(), {{"If-Match", current.header("etag")}}).status, 412);
  policy("Everything", 1, always_, Json::object(), {{"resolution", 60}});
  auto t = raise(user);
  Json body = {{"rule", "sla.resolution"}, {"target_id", id(t)}, {"reason_code", "customer_request"},
               {"justification", "The customer asked us to wait a little."}, {"extend_minutes", 5}};
  EXPECT_TRUE(problem_fields(agent.post("/api/v1/overrides", body)).contains("reason_code")) << "no longer on the list";
  body["reason_code"] = "regulator_request";
  EXPECT_EQ(agent.post("/api/v1/overrides", body).status, 201);
}

// DESK-3: each crossing is announced once, with the policy's escalations, also when the server
// was down across it: a restart is a fresh set of services over the same store.
TEST_P(SlaTest, TimersAnnounceEachCrossingOnceAlsoAcrossARestart) {
  start_ = server_.clock().now();
  create_user("lead@p.test", "agent");
  auto lead = login("lead@p.test");
  auto lead_id = id(lead.get("/api/v1/me").json());
  auto agent = login("agent@p.test");
  auto agent_id = id(agent.get("/api/v1/me").json());
  auto desk = admin_.post("/api/v1/teams", {{"name", "Desk"}, {"member_ids", {agent_id, lead_id}}, {"lead_id", lead_id}}).json();
  auto second_line = admin_.post("/api/v1/teams", {{"name", "Second line"}}).json();
  auto p = admin_.post("/api/v1/sla-policies",
                       {{"name", "Everything"},
                        {"calendar_id", always_["id"]},
                        {"targets", {{"first_response", 60}, {"resolution", 120}}},
                        {"escalations", Json::array({Json{{"at", "warning"}, {"action", "notify"}},
                                                     Json{{"at", "breach"}, {"target", "resolution"}, {"action", "raise_priority"}},
                                                     Json{{"at", "breach"}, {"target", "resolution"}, {"action", "reassign"},
                                                          {"team_id", second_line["id"]}}})}});
  ASSERT_EQ(p.status, 201) << p.body;
  auto user = login("u@a.test");
  auto t = raise(user);
  auto path = "/api/v1/tickets/" + id(t);
  ASSERT_EQ(agent.patch(path, {{"team_id", desk["id"]}, {"assignee_id", agent_id}}, t["etag"]).status, 200);
  auto fire = [&](const usecase::Services& services) {
    auto run = usecase::fire_sla_timers(services);
    EXPECT_TRUE(run) << (run ? "" : run.error().message);
    return run ? run->announced : -1;
  };
  auto internal_kinds = [&] {
    std::map<std::string, int> n;
    auto items = agent.get(path + "/timeline?limit=200").json()["items"];
    for (const auto& e : items) ++n[e["kind"].get<std::string>()];
    return n;
  };
  EXPECT_EQ(fire(server_.services()), 0) << "nothing crossed yet";
  server_.clock().advance(46min);  // past 75 % of the first response's hour
  EXPECT_EQ(fire(server_.services()), 1);
  EXPECT_EQ(fire(server_.services()), 0) << "announced once";
  auto staff_notes = [&](HttpClient& who) {
    int n = 0;
    auto items = who.get("/api/v1/notifications").json()["items"];
    for (const auto& item : items) n += item["kind"] == "sla_warning" || item["kind"] == "sla_breached";
    return n;
  };
  EXPECT_EQ(staff_notes(agent), 1) << "the assignee";
  EXPECT_EQ(staff_notes(lead), 1) << "the team's lead";
  EXPECT_EQ(staff_notes(user), 0) << "escalations are the desk's";

  // Down from minute 46 to 130: the first response's breach, the resolution's warning and breach
  // all happened meanwhile; a fresh start announces each once.
  server_.clock().advance(84min);
  usecase::Services restarted{server_.db(), server_.clock()};
  EXPECT_EQ(fire(restarted), 3);
  EXPECT_EQ(fire(restarted), 0);
  EXPECT_EQ(fire(server_.services()), 0);
  auto kinds = internal_kinds();
  EXPECT_EQ(kinds["sla_warning"], 2);
  EXPECT_EQ(kinds["sla_breached"], 2);
  EXPECT_EQ(kinds["moment_of_truth"], 1) << "one recovery task for the run";
  auto now = reread(agent, t);
  EXPECT_EQ(now["priority"], "high") << "raised one step";
  EXPECT_EQ(now["team_id"], second_line["id"]);
  EXPECT_TRUE(now["assignee_id"].is_null());
  EXPECT_EQ(now["sla"]["resolution"]["state"], "breached");
  server_.clock().advance(10h);
  EXPECT_EQ(fire(restarted), 0) << "nothing left to cross";
  auto audit = admin_.get("/api/v1/audit?action=ticket.sla_timer").json()["items"];
  EXPECT_EQ(audit.size(), 2u);
}

// FDB-4: attainment per group with the tickets behind each number; a customer sees its own.
TEST_P(SlaTest, TheReportCountsEachTargetWithTheTicketsBehindIt) {
  start_ = server_.clock().now();
  auto incidents = policy("Incidents", 1, always_, {{"type", {"incident"}}}, {{"first_response", 60}, {"resolution", 120}});
  policy("Requests", 2, always_, {{"type", {"service_request"}}}, {{"resolution", 480}});
  auto other = create_org("Other Co");
  create_user("b@b.test", "user", other["id"]);
  create_user("cust@a.test", "customer", org_["id"]);
  auto user = login("u@a.test");
  auto stranger = login("b@b.test");
  auto customer = login("cust@a.test");
  auto agent = login("agent@p.test");
  auto answered = raise(user);
  auto ignored = raise(user);
  raise(stranger, {{"type", "service_request"}});
  server_.clock().advance(10min);
  ASSERT_EQ(agent.post("/api/v1/tickets/" + id(answered) + "/comments", {{"body", "On it"}}).status, 201);
  server_.clock().advance(80min);
  ASSERT_EQ(agent.post("/api/v1/tickets/" + id(answered) + "/transitions", {{"to", "in_progress"}}).status, 200);
  ASSERT_EQ(agent.post("/api/v1/tickets/" + id(answered) + "/transitions", {{"to", "resolved"}, {"resolution", "Replaced"}}).status, 200);

  auto period = "from=" + url_quoted(to_rfc3339(start() - 1h)) + "&to=" + url_quoted(to_rfc3339(start() + 1h));
  auto r = agent.get("/api/v1/reports/sla?" + period);
  ASSERT_EQ(r.status, 200) << r.body;
  auto report = r.json();
  ASSERT_EQ(report["groups"].size(), 2u);
  auto by_name = [&](const std::string& name) {
    for (const auto& g : report["groups"])
      if (g["name"] == name) return g;
    return Json();
  };
  auto inc = by_name("Incidents");
  EXPECT_EQ(inc["tickets"], 2);
  EXPECT_EQ(inc["targets"]["first_response"], Json({{"met", 1}, {"breached", 1}, {"open", 0}, {"attainment", 0.5}}));
  EXPECT_EQ(inc["targets"]["resolution"], Json({{"met", 1}, {"breached", 0}, {"open", 1}, {"attainment", 1.0}}));
  EXPECT_EQ(by_name("Requests")["targets"]["resolution"]["open"], 1);
  EXPECT_TRUE(by_name("Requests")["targets"]["resolution"]["attainment"].is_null()) << "nothing has ended";
  EXPECT_EQ(report["total"]["tickets"], 3);

  auto drill = agent.get("/api/v1/reports/sla/tickets?" + period + "&key=" + id(incidents) + "&target=first_response&state=breached");
  ASSERT_EQ(drill.status, 200) << drill.body;
  auto behind = drill.json()["items"];
  ASSERT_EQ(behind.size(), 1u);
  EXPECT_EQ(behind[0]["id"], id(ignored));
  EXPECT_EQ(behind[0]["due"], at(60min));
  auto by_org = agent.get("/api/v1/reports/sla?" + period + "&group_by=organization").json();
  EXPECT_EQ(by_org["groups"].size(), 2u);

  // A customer sees its organisation's numbers only, and no triage.
  auto own = customer.get("/api/v1/reports/sla?" + period + "&group_by=organization");
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.json()["total"]["tickets"], 2);
  ASSERT_EQ(own.json()["groups"].size(), 1u);
  EXPECT_EQ(own.json()["groups"][0]["key"], org_["id"]);
  EXPECT_EQ(customer.get("/api/v1/reports/sla?" + period + "&group_by=team").status, 422);
  EXPECT_EQ(user.get("/api/v1/reports/sla?" + period).status, 403);
  EXPECT_EQ(server_.client().get("/api/v1/reports/sla").status, 401);
  for (auto bad : {"group_by=colour", "from=yesterday", "colour=red", "from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z"})
    EXPECT_EQ(agent.get(std::string("/api/v1/reports/sla?") + bad).status, 422) << bad;
  EXPECT_EQ(agent.get("/api/v1/reports/sla/tickets?" + period + "&key=x&target=resolution&state=late").status, 422);
  EXPECT_EQ(agent.get("/api/v1/reports/sla/tickets?" + period + "&target=resolution&state=met").status, 422);
}

// Every route of this issue, for each caller that must be refused (and one that must not); a
// customer's report holds its own organisation's tickets only, whatever key it names.
TEST_P(SlaTest, EveryRouteRefusesWhomItMust) {
  start_ = server_.clock().now();
  auto p = policy("Everything", 1, always_, Json::object(), {{"first_response", 60}});
  auto other = create_org("Other Co");
  create_user("b@b.test", "user", other["id"]);
  create_user("cust@a.test", "customer", org_["id"]);
  create_user("spec@p.test", "specialist");
  create_user("rm@p.test", "relationship_manager");
  auto anonymous = server_.client();
  auto user = login("u@a.test");
  auto stranger = login("b@b.test");
  auto customer = login("cust@a.test");
  auto specialist = login("spec@p.test");
  auto agent = login("agent@p.test");
  auto manager = login("rm@p.test");
  auto theirs = raise(stranger);
  auto granted = agent.post("/api/v1/overrides", {{"rule", "sla.first_response"}, {"target_id", id(theirs)},
                                                  {"reason_code", "other"}, {"justification", "Waiting for the landlord."},
                                                  {"extend_minutes", 30}});
  ASSERT_EQ(granted.status, 201) << granted.body;
  auto entry = admin_.post("/api/v1/improvements", {{"title", "Landlords"}, {"override_ids", {id(granted.json())}}}).json();
  auto reasons = admin_.get("/api/v1/override-reasons");
  auto policy_path = "/api/v1/sla-policies/" + id(p);
  auto entry_path = "/api/v1/improvements/" + id(entry);
  auto period = "from=" + url_quoted(to_rfc3339(start() - 1h)) + "&to=" + url_quoted(to_rfc3339(start() + 1h));

  const std::vector<RouteCase> cases = {
      {"GET calendars", [](HttpClient& c) { return c.get("/api/v1/calendars"); }, {{&anonymous, 401}, {&user, 200}}},
      {"POST calendar", [](HttpClient& c) { return c.post("/api/v1/calendars", {{"name", "x"}, {"time_zone", "UTC"}, {"always_open", true}}); },
       {{&anonymous, 401}, {&customer, 403}, {&agent, 403}, {&manager, 403}}},
      {"add", [&](HttpClient& c) { return c.get("/api/v1/calendars/" + id(always_) + "/add?start=2026-12-01T00:00:00Z&minutes=5"); },
       {{&anonymous, 401}, {&customer, 200}}},
      {"GET policies", [](HttpClient& c) { return c.get("/api/v1/sla-policies"); },
       {{&anonymous, 401}, {&user, 403}, {&customer, 403}, {&specialist, 200}}},
      {"GET policy", [&](HttpClient& c) { return c.get(policy_path); }, {{&anonymous, 401}, {&customer, 403}}},
      {"PATCH policy", [&](HttpClient& c) { return c.patch(policy_path, {{"order", 2}}, p["etag"]); },
       {{&anonymous, 401}, {&customer, 403}, {&agent, 403}, {&manager, 403}}},
      {"DELETE policy", [&](HttpClient& c) { return c.del(policy_path); }, {{&anonymous, 401}, {&customer, 403}, {&manager, 403}}},
      {"POST override", [&](HttpClient& c) { return c.post("/api/v1/overrides", {{"rule", "sla.first_response"}, {"target_id", id(theirs)},
                                                                                {"reason_code", "other"}, {"justification", "Because we can, surely."},
                                                                                {"extend_minutes", 30}}); },
       {{&anonymous, 401}, {&stranger, 403}, {&customer, 403}, {&specialist, 403}}},
      {"GET overrides", [](HttpClient& c) { return c.get("/api/v1/overrides"); },
       {{&anonymous, 401}, {&customer, 403}, {&specialist, 403}, {&agent, 403}, {&manager, 200}}},
      {"GET reasons", [](HttpClient& c) { return c.get("/api/v1/override-reasons"); }, {{&anonymous, 401}, {&user, 403}, {&customer, 403}}},
      {"PUT reasons", [&](HttpClient& c) {
         return c.request("PUT", "/api/v1/override-reasons", Json{{"codes", {"x"}}}.dump(), {{"If-Match", reasons.header("etag")}});
       },
       {{&anonymous, 401}, {&agent, 403}, {&manager, 403}}},
      {"POST improvement", [](HttpClient& c) { return c.post("/api/v1/improvements", {{"title", "x"}}); },
       {{&anonymous, 401}, {&customer, 403}, {&manager, 403}}},
      {"GET improvements", [](HttpClient& c) { return c.get("/api/v1/improvements"); }, {{&anonymous, 401}, {&user, 403}, {&customer, 403}}},
      {"GET improvement", [&](HttpClient& c) { return c.get(entry_path); }, {{&anonymous, 401}, {&customer, 403}, {&specialist, 200}}},
      {"PATCH improvement", [&](HttpClient& c) { return c.patch(entry_path, {{"status", "done"}}, entry["etag"]); },
       {{&anonymous, 401}, {&agent, 403}, {&manager, 403}}},
      {"GET report", [&](HttpClient& c) { return c.get("/api/v1/reports/sla?" + period); },
       {{&anonymous, 401}, {&user, 403}, {&stranger, 403}, {&customer, 200}}},
      {"GET report tickets", [&](HttpClient& c) {
         return c.get("/api/v1/reports/sla/tickets?" + period + "&group_by=organization&key=" + id(other) + "&target=first_response&state=open");
       },
       {{&anonymous, 401}, {&user, 403}, {&customer, 200}, {&agent, 200}}},
      // OPS-1: the dashboard's reports share the SLA report's right.
      {"GET volume report", [&](HttpClient& c) { return c.get("/api/v1/reports/volume?" + period); },
       {{&anonymous, 401}, {&user, 403}, {&stranger, 403}, {&customer, 200}, {&specialist, 200}, {&manager, 200}}},
      {"GET backlog report", [](HttpClient& c) { return c.get("/api/v1/reports/backlog"); },
       {{&anonymous, 401}, {&user, 403}, {&stranger, 403}, {&customer, 200}, {&agent, 200}}},
  };
  expect_answers(cases);
  auto drill = [&](HttpClient& c) {
    return c.get("/api/v1/reports/sla/tickets?" + period + "&group_by=organization&key=" + id(other) + "&target=first_response&state=open")
        .json()["items"]
        .size();
  };
  EXPECT_EQ(drill(agent), 1u) << "staff see the other organisation's ticket";
  EXPECT_EQ(drill(customer), 0u) << "a customer never does, even naming its organisation";
  EXPECT_EQ(customer.get("/api/v1/reports/sla?" + period + "&group_by=organization").json()["total"]["tickets"], 0);
  EXPECT_EQ(customer.get("/api/v1/reports/volume?" + period + "&group_by=organization").json()["total"]["tickets"], 0);
  EXPECT_EQ(customer.get("/api/v1/reports/backlog?group_by=organization").json()["total"]["open"], 0);
  EXPECT_EQ(agent.get("/api/v1/reports/backlog?group_by=organization").json()["total"]["open"], 1);
}

INSTANTIATE_TEST_SUITE_P(Stores, SlaTest, ::testing::ValuesIn(store_kinds()));
INSTANTIATE_TEST_SUITE_P(Stores, TimeframesTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
