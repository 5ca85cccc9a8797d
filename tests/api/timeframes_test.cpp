// Agreed timeframes over HTTP on every store (DESK-3): business calendars — their contract,
// validation, merge patches, who may change them — and "start + N business minutes".
#include "api/api_fixture.h"

namespace tandem::testing {
namespace {

std::string id(const Json& j) { return j["id"].get<std::string>(); }

std::string quoted(const std::string& text) {
  std::string out;
  for (unsigned char ch : text) {
    if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == ':') out += char(ch);
    else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      out += buf;
    }
  }
  return out;
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
    return c.get("/api/v1/calendars/" + id(calendar) + "/add?start=" + quoted(start) + "&minutes=" + minutes);
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
  auto problems = [](const HttpResponse& r) {
    std::set<std::string> fields;
    auto body = r.json();
    for (const auto& d : body["error"]["details"]) fields.insert(d["field"].get<std::string>());
    return fields;
  };
  auto before = audit_count();
  auto bad = shanghai_office();
  bad["time_zone"] = "Mars/Olympus";
  bad["hours"]["tue"] = periods({{"09:00", "25:00"}});
  bad["hours"]["wed"] = periods({{"09:00", "12:00"}, {"11:00", "13:00"}});
  bad["hours"]["funday"] = Json::array();
  bad["holidays"].push_back("2026-02-30");
  auto r = admin_.post("/api/v1/calendars", bad);
  EXPECT_EQ(r.status, 422) << r.body;
  auto fields = problems(r);
  for (auto field : {"time_zone", "hours.tue", "hours.funday", "holidays"}) EXPECT_TRUE(fields.contains(field)) << field << r.body;

  auto both = shanghai_office();
  both["extra_working_days"].push_back("2026-10-01");  // also a holiday
  EXPECT_TRUE(problems(admin_.post("/api/v1/calendars", both)).contains("extra_working_days"));
  auto overlapping = shanghai_office();
  overlapping["hours"]["wed"] = periods({{"09:00", "12:00"}, {"11:00", "13:00"}});
  EXPECT_TRUE(problems(admin_.post("/api/v1/calendars", overlapping)).contains("hours.wed"));
  auto idle = shanghai_office();
  idle["hours"] = Json::object();
  EXPECT_TRUE(problems(admin_.post("/api/v1/calendars", idle)).contains("hours"));
  auto nameless = shanghai_office();
  nameless.erase("name");
  nameless.erase("time_zone");
  auto missing = problems(admin_.post("/api/v1/calendars", nameless));
  EXPECT_TRUE(missing.contains("name") && missing.contains("time_zone"));
  EXPECT_EQ(admin_.post("/api/v1/calendars", {{"name", "24x7"}, {"time_zone", "UTC"}, {"always_open", "yes"}}).status, 422);
  auto coloured = shanghai_office();
  coloured["colour"] = "blue";
  EXPECT_TRUE(problems(admin_.post("/api/v1/calendars", coloured)).contains("colour"));
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

INSTANTIATE_TEST_SUITE_P(Stores, TimeframesTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
