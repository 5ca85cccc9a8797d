// Onboarding plans over HTTP on every store (ONB-2, ONB-3, ONB-4): a relationship manager makes
// one from a template for each of the eight scenarios, with due dates on the calendar's working
// days; only the organisation's customer accepts it; each side works its own actions, never
// before what they depend on; adapting an accepted plan asks for a new acceptance; everything
// lands on the plan's timeline; objectives are measured on the desk's live data; no other
// organisation sees any of it.
#include "api/api_fixture.h"

namespace tandem::testing {
namespace {

Json action(const std::string& key, std::vector<std::string> depends_on, int offset, const std::string& performed_by = "provider",
            const std::string& owner_role = "relationship_manager") {
  return {{"key", key},
          {"title", {{"en", "Do " + key}, {"zh-CN", "执行 " + key}}},
          {"dimension", "organizations_people"},
          {"performed_by", performed_by},
          {"owner_role", owner_role},
          {"due_offset_days", offset},
          {"depends_on", depends_on}};
}

// Weekdays only, and Monday 2026-03-09 a holiday.
Json office_calendar() {
  Json week = Json::object();
  for (auto day : {"mon", "tue", "wed", "thu", "fri"}) week[day] = Json::array({Json::array({"09:00", "17:00"})});
  return {{"name", "Office"}, {"time_zone", "Asia/Shanghai"}, {"always_open", false}, {"hours", week}, {"holidays", {"2026-03-09"}}};
}

class PlansTest : public ApiTest {
 protected:
  void SetUp() override {
    org_ = create_org("Riverside University");
    other_ = create_org("Harbour College");
    rm_user_ = create_user("rm@p.test", "relationship_manager");
    create_user("agent@p.test", "agent");
    customer_ = create_user("cust@u.test", "customer", id(org_));
    user_ = create_user("u@u.test", "user", id(org_));
    create_user("cust@h.test", "customer", id(other_));
    create_user("u@h.test", "user", id(other_));
    calendar_ = admin_.post("/api/v1/calendars", office_calendar()).json();
    auto t = admin_.post("/api/v1/onboarding-templates",
                         {{"name", {{"en", "New organisation"}, {"zh-CN", "新组织入驻"}}},
                          {"control_method", "project"},
                          {"objectives",
                           {{{"key", "calls"}, {"name", "At most two calls each"}, {"metric", "tickets_per_user_first_days"},
                             {"target", 2}, {"days", 30}},
                            {{"key", "fcr"}, {"name", "Solved at once"}, {"metric", "first_contact_resolution"}, {"target", 0.7}},
                            {{"key", "happy"}, {"name", "Satisfied"}, {"metric", "satisfaction_average"}, {"target", 4}}}},
                          {"actions",
                           {action("kickoff", {}, 0), action("accounts", {"kickoff"}, 3, "consumer", "customer"),
                            action("training", {"kickoff"}, 5), action("review", {"accounts", "training"}, 400)}}});
    EXPECT_EQ(t.status, 201) << t.body;
    template_ = t.json();
  }

  Json plan_body(const std::string& scenario, const std::string& start, Json extra = Json::object()) {
    Json body = {{"template_id", id(template_)}, {"organization_id", id(org_)}, {"scenario", scenario}, {"start_date", start}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    return body;
  }
  Json make_plan(const std::string& start, Json extra = Json::object()) {
    auto r = login("rm@p.test").post("/api/v1/plans", plan_body("new_organization", start, extra));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  static Json action_of(const Json& plan, const std::string& key) {
    for (const auto& a : plan["actions"])
      if (a["key"] == key) return a;
    return Json();
  }
  HttpResponse move(HttpClient& c, const Json& plan, const std::string& key, const std::string& to) {
    return c.post("/api/v1/plans/" + id(plan) + "/actions/" + id(action_of(plan, key)) + "/transitions", {{"to", to}});
  }

  Json org_, other_, rm_user_, customer_, user_, calendar_, template_;
};

TEST_P(PlansTest, EachScenarioInstantiatesWithDueDatesOnTheCalendarsWorkingDays) {
  auto rm = login("rm@p.test");
  // Thursday 2026-03-05: kickoff that day; accounts +3 = Sunday → Monday 9th, a holiday → Tuesday;
  // training +5 = Tuesday 10th.
  auto created = rm.post("/api/v1/plans", plan_body("new_organization", "2026-03-05",
                                                    {{"calendar_id", id(calendar_)},
                                                     {"start_trigger", "The service contract is signed"},
                                                     {"end_criterion", "Every member has booked a car once"}}));
  ASSERT_EQ(created.status, 201) << created.body;
  auto plan = created.json();
  EXPECT_EQ(plan["start_trigger"], "The service contract is signed");
  EXPECT_EQ(rm.get("/api/v1/plans/" + id(plan)).json()["end_criterion"], "Every member has booked a car once");
  EXPECT_EQ(created.header("location"), "/api/v1/plans/" + id(plan));
  EXPECT_EQ(plan["status"], "draft");
  EXPECT_EQ(plan["name"], "New organisation");
  EXPECT_EQ(action_of(plan, "kickoff")["due"], "2026-03-05");
  EXPECT_EQ(action_of(plan, "accounts")["due"], "2026-03-10");
  EXPECT_EQ(action_of(plan, "training")["due"], "2026-03-10");
  EXPECT_EQ(plan["progress"], Json({{"done", 0}, {"total", 4}}));
  // Owners: the maker for the provider's side, the organisation's customer for its side.
  EXPECT_EQ(action_of(plan, "kickoff")["owner"]["person"]["id"], id(rm_user_));
  EXPECT_EQ(action_of(plan, "accounts")["owner"]["person"]["id"], id(customer_));
  EXPECT_EQ(action_of(plan, "accounts")["owner"]["role"], "customer");
  // Started in the past: what was due is overdue, what is a year out is not.
  ASSERT_EQ(plan["overdue"].size(), 3u) << plan.dump();
  EXPECT_FALSE(action_of(plan, "review")["overdue"].get<bool>());

  // Every scenario; those about one person name them.
  for (auto scenario : {"new_customer_existing_org", "existing_customer_new_services", "migration_from_provider", "version_switch",
                        "service_migration"})
    EXPECT_EQ(rm.post("/api/v1/plans", plan_body(scenario, "2026-12-01")).status, 201) << scenario;
  for (auto scenario : {"new_user", "existing_user_new_services"}) {
    auto without = rm.post("/api/v1/plans", plan_body(scenario, "2026-12-01"));
    EXPECT_EQ(without.status, 422) << scenario;
    EXPECT_TRUE(problems(without).contains("user_id")) << without.body;
    auto with = rm.post("/api/v1/plans", plan_body(scenario, "2026-12-01", {{"user_id", id(user_)}}));
    ASSERT_EQ(with.status, 201) << with.body;
    EXPECT_EQ(with.json()["user_id"], id(user_));
  }

  // Bad input is refused, every problem at once, and nothing is written.
  auto before = audit_count();
  auto bad = rm.post("/api/v1/plans", {{"template_id", "obt_missing"}, {"organization_id", id(org_)}, {"scenario", "grand_opening"},
                                       {"start_date", "5 March"}, {"user_id", id(admin_.get("/api/v1/me").json())}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  for (auto field : {"template_id", "scenario", "start_date", "user_id"}) EXPECT_TRUE(problems(bad).contains(field)) << field << bad.body;
  auto provider = rm.post("/api/v1/plans", plan_body("new_organization", "2026-12-01",
                                                     {{"organization_id", admin_.get("/api/v1/me").json()["organization_id"]}}));
  EXPECT_EQ(provider.status, 422) << provider.body;
  EXPECT_EQ(rm.post("/api/v1/plans", plan_body("new_user", "2026-12-01", {{"user_id", id(create_user("x@h.test", "user", id(other_)))}}))
                .status,
            422)
      << "a person of another organisation";
  EXPECT_EQ(rm.post("/api/v1/plans", plan_body("new_organization", "2026-02-30")).status, 422);
  EXPECT_TRUE(problems(rm.post("/api/v1/plans", plan_body("new_organization", "2026-12-01", {{"end_criterion", std::string(1001, 'x')}})))
                  .contains("end_criterion"));
  EXPECT_EQ(rm.post("/api/v1/plans", plan_body("new_organization", "2026-12-01", {{"colour", "red"}})).status, 422);
  EXPECT_EQ(audit_count(), before + 1) << "only the user made for the check was written";
}

TEST_P(PlansTest, TheCustomerAcceptsAndBothSidesWorkInDependencyOrder) {
  auto plan = make_plan("2026-01-05");
  auto path = "/api/v1/plans/" + id(plan);
  auto rm = login("rm@p.test");
  auto agent = login("agent@p.test");
  auto customer = login("cust@u.test");

  auto early = move(rm, plan, "kickoff", "done");
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(early.json()["error"]["code"], "plan_not_accepted");

  // Only the organisation's customer accepts.
  EXPECT_EQ(agent.post(path + "/acceptance", Json::object()).status, 403);
  EXPECT_EQ(rm.post(path + "/acceptance", Json::object()).status, 403);
  EXPECT_EQ(login("u@u.test").post(path + "/acceptance", Json::object()).status, 403);
  EXPECT_EQ(login("cust@h.test").post(path + "/acceptance", Json::object()).status, 404);
  auto accepted = customer.post(path + "/acceptance", Json::object());
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  plan = accepted.json();
  EXPECT_EQ(plan["status"], "accepted");
  EXPECT_EQ(plan["accepted_by"]["id"], id(customer_));
  EXPECT_EQ(plan["accepted_by"]["name"], "Person cust@u.test");
  EXPECT_EQ(plan["accepted_version"], plan["version"]);
  EXPECT_FALSE(plan["accepted_at"].is_null());
  EXPECT_EQ(customer.post(path + "/acceptance", Json::object()).json()["error"]["code"], "plan_not_draft");

  // Never before what an action depends on; each side its own actions.
  auto blocked = move(customer, plan, "accounts", "done");
  ASSERT_EQ(blocked.status, 409) << blocked.body;
  EXPECT_EQ(blocked.json()["error"]["code"], "dependency_open");
  EXPECT_NE(blocked.body.find("kickoff"), std::string::npos);
  EXPECT_EQ(move(customer, plan, "kickoff", "done").status, 403) << "the provider's action";
  EXPECT_EQ(move(rm, plan, "kickoff", "finished").status, 422);
  auto kicked = move(rm, plan, "kickoff", "done");
  ASSERT_EQ(kicked.status, 200) << kicked.body;
  EXPECT_EQ(kicked.json()["status"], "in_progress");
  EXPECT_EQ(kicked.json()["progress"]["done"], 1);
  auto accounts = move(customer, plan, "accounts", "in_progress");
  ASSERT_EQ(accounts.status, 200) << accounts.body;
  ASSERT_EQ(move(customer, plan, "accounts", "done").status, 200);
  ASSERT_EQ(move(agent, plan, "training", "dropped").status, 200);
  auto last = move(rm, plan, "review", "done");
  ASSERT_EQ(last.status, 200) << last.body;
  EXPECT_EQ(last.json()["status"], "completed");
  EXPECT_EQ(last.json()["progress"], Json({{"done", 3}, {"total", 3}})) << "a dropped action is no longer part of the work";
  EXPECT_TRUE(last.json()["overdue"].empty());
  auto reopened = move(rm, plan, "review", "open");
  ASSERT_EQ(reopened.status, 200) << reopened.body;
  EXPECT_EQ(reopened.json()["status"], "in_progress");

  // The plan's maker hears of its acceptance; an owner, of each move of their action by someone
  // else — nobody of their own.
  auto rm_notes = rm.get("/api/v1/notifications").json()["items"];
  std::map<std::string, Json> heard;  // by kind: two made in one millisecond may come in either order
  for (const auto& n : rm_notes)
    if (n["plan_id"] == id(plan)) heard[n["kind"]] = n;
  ASSERT_EQ(heard.size(), 2u) << rm_notes;
  EXPECT_EQ(heard["plan_action_moved"]["summary"], "“Do training” in the onboarding plan “New organisation”: open → dropped");
  EXPECT_EQ(heard["plan_accepted"]["summary"], "Person cust@u.test accepted the onboarding plan “New organisation”: the work can start.");
  EXPECT_TRUE(heard["plan_accepted"]["ticket_id"].is_null());
  auto customer_notes = customer.get("/api/v1/notifications").json()["items"];
  EXPECT_TRUE(customer_notes.empty()) << customer_notes;

  // Everything on the timeline, in order, each with the plan version it made.
  auto events = customer.get(path + "/events");
  ASSERT_EQ(events.status, 200) << events.body;
  std::vector<std::string> kinds;
  auto timeline = events.json();
  for (const auto& e : timeline["items"]) kinds.push_back(e["kind"]);
  EXPECT_EQ(kinds, (std::vector<std::string>{"created", "accepted", "action_moved", "action_moved", "action_moved", "action_moved",
                                             "action_moved", "action_moved"}));
  EXPECT_EQ(events.json()["items"][2]["data"]["plan_status"], Json({{"from", "accepted"}, {"to", "in_progress"}}));
  auto page = customer.get(path + "/events?limit=3").json();
  ASSERT_EQ(page["items"].size(), 3u);
  auto rest = customer.get(path + "/events?cursor=" + page["next_cursor"].get<std::string>()).json();
  EXPECT_EQ(rest["items"].size(), 5u);
  EXPECT_EQ(rest["items"][0]["kind"], "action_moved");
}

TEST_P(PlansTest, AdaptingAnAcceptedPlanAsksForANewAcceptance) {
  auto plan = make_plan("2026-03-05", {{"calendar_id", id(calendar_)}});
  auto path = "/api/v1/plans/" + id(plan);
  auto rm = login("rm@p.test");
  auto customer = login("cust@u.test");
  plan = customer.post(path + "/acceptance", Json::object()).json();
  // Under way: the kick-off is done.
  auto kicked = rm.post(path + "/actions/" + id(action_of(plan, "kickoff")) + "/transitions", {{"to", "done"}});
  ASSERT_EQ(kicked.status, 200) << kicked.body;
  plan = kicked.json();
  ASSERT_EQ(plan["status"], "in_progress");

  // Drop training, retime accounts to a day, rename kickoff in Chinese, add a go-live.
  Json actions = Json::array();
  actions.push_back({{"id", id(action_of(plan, "kickoff"))}, {"title", "启动会"}});
  actions.push_back({{"id", id(action_of(plan, "accounts"))}, {"due", "2026-03-20"}});
  actions.push_back({{"id", id(action_of(plan, "review"))}, {"depends_on", {"accounts"}}});
  actions.push_back(action("go_live", {"accounts"}, 10));
  create_user("rm.zh@p.test", "relationship_manager", "", "Passw0rd-test!", {{"language", "zh-CN"}});
  auto zh = login("rm.zh@p.test");
  EXPECT_EQ(zh.patch(path, {{"actions", actions}}, "\"v1\"").status, 412) << "the version read";
  auto adapted = zh.patch(path, {{"actions", actions}}, plan["etag"]);
  ASSERT_EQ(adapted.status, 200) << adapted.body;
  auto p = rm.get(path).json();
  EXPECT_EQ(p["status"], "draft") << "changes after acceptance need a new acceptance";
  EXPECT_TRUE(p["accepted_by"].is_null());
  EXPECT_EQ(p["actions"].size(), 4u);
  EXPECT_TRUE(action_of(p, "training").is_null());
  EXPECT_EQ(action_of(p, "accounts")["due"], "2026-03-20");
  EXPECT_EQ(action_of(p, "go_live")["due"], "2026-03-16") << "+10 is a Sunday: the next working day";
  EXPECT_EQ(action_of(p, "kickoff")["title"], "Do kickoff") << "the English title stays";
  EXPECT_EQ(zh.get(path).json()["actions"][0]["title"], "启动会");
  auto events = rm.get(path + "/events").json()["items"];
  auto last = events.back();
  EXPECT_EQ(last["kind"], "adapted");
  EXPECT_EQ(last["data"]["added"], Json({"go_live"}));
  EXPECT_EQ(last["data"]["removed"], Json({"training"}));
  EXPECT_EQ(last["data"]["from_status"], "in_progress");
  // Who accepted the last version hears that this one needs accepting.
  auto told = customer.get("/api/v1/notifications").json()["items"];
  ASSERT_FALSE(told.empty());
  EXPECT_EQ(told[0]["kind"], "plan_adapted");
  EXPECT_EQ(told[0]["summary"], "The onboarding plan “New organisation” was changed and needs accepting again.");

  // A circle, a day before the start, an owner of the wrong side, an unknown id: refused, nothing written.
  auto before = audit_count();
  auto etag = rm.get(path).header("etag");
  auto circle = p["actions"];
  circle[0]["depends_on"] = {"review"};
  auto refused = rm.patch(path, {{"actions", circle}}, etag);
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(problems(refused)["actions"].find("→"), std::string::npos) << refused.body;
  auto early = rm.patch(path, {{"actions", {{{"id", id(action_of(p, "kickoff"))}, {"due", "2026-01-01"}}}}}, etag);
  EXPECT_TRUE(problems(early).contains("actions[0].due")) << early.body;
  auto owner = rm.patch(path, {{"actions", {{{"id", id(action_of(p, "kickoff"))}, {"owner_id", id(customer_)}}}}}, etag);
  EXPECT_TRUE(problems(owner).contains("actions[0].owner_id")) << owner.body;
  auto others = p["actions"];
  for (auto& a : others)
    if (a["key"] == "accounts") a["owner_id"] = id(user_);
  auto unseen = rm.patch(path, {{"actions", others}}, etag);
  ASSERT_EQ(unseen.status, 422) << unseen.body;
  EXPECT_NE(unseen.body.find(".owner_id"), std::string::npos) << "a plain user does not see the organisation's plan: " << unseen.body;
  auto unknown = rm.patch(path, {{"actions", {{{"id", "act_nothing"}}}}}, etag);
  EXPECT_TRUE(problems(unknown).contains("actions[0].id")) << unknown.body;
  EXPECT_EQ(rm.patch(path, Json::object(), etag).status, 422);
  EXPECT_EQ(audit_count(), before);
  EXPECT_EQ(customer.patch(path, {{"actions", circle}}, etag).status, 403);

  // Accepted again: the work goes on where it was — the kick-off still done, the plan under way.
  auto again = customer.post(path + "/acceptance", Json::object());
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["status"], "in_progress");
  EXPECT_EQ(again.json()["progress"]["done"], 1);
  EXPECT_EQ(action_of(again.json(), "kickoff")["status"], "done");
  EXPECT_EQ(again.json()["accepted_version"], again.json()["version"]);
}

// On the consumer's side the customer works any action; the person a plan is for, only what is
// theirs.
TEST_P(PlansTest, APersonWorksTheirOwnActionsOnly) {
  auto made = login("rm@p.test").post("/api/v1/plans", plan_body("new_user", "2026-01-05", {{"user_id", id(user_)}}));
  ASSERT_EQ(made.status, 201) << made.body;
  auto plan = login("cust@u.test").post("/api/v1/plans/" + id(made.json()) + "/acceptance", Json::object()).json();
  auto user = login("u@u.test");
  auto rm = login("rm@p.test");
  auto customer = login("cust@u.test");
  ASSERT_EQ(move(rm, plan, "kickoff", "done").status, 200);
  auto refused = move(user, plan, "accounts", "done");
  EXPECT_EQ(refused.status, 403) << "the customer's action: " << refused.body;
  EXPECT_EQ(move(customer, plan, "accounts", "done").status, 200);
}

// ONB-5: the review closes the plan: what is unfinished is listed, the objectives kept as they
// were, improvements entered in the register; the plan is a record afterwards.
TEST_P(PlansTest, TheReviewClosesThePlanAndFeedsTheImprovementRegister) {
  auto plan = make_plan("2026-01-05");
  auto path = "/api/v1/plans/" + id(plan);
  auto rm = login("rm@p.test");
  auto customer = login("cust@u.test");
  Json review = {{"satisfaction", {{"users", 4}, {"customer", 3.5}}},
                 {"open_errors", {"Booking app crashes on old Android phones"}},
                 {"risk_assessment", "Low: the member list is late but the accounts work."},
                 {"summary", "Went well apart from the training."},
                 {"improvements", {{{"title", "Send the member list template before the kick-off"}, {"description", "It came late."}}}}};
  auto early = rm.post(path + "/review", review);
  ASSERT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(early.json()["error"]["code"], "plan_not_reviewable") << "a draft is not reviewed";
  plan = customer.post(path + "/acceptance", Json::object()).json();
  ASSERT_EQ(move(rm, plan, "kickoff", "done").status, 200);

  // Bad input is refused whole, and nothing is written.
  auto agent = login("agent@p.test");
  auto before = audit_count();
  auto bad = rm.post(path + "/review", {{"satisfaction", {{"users", 9}, {"mood", 1}}},
                                         {"open_errors", {""}},
                                         {"improvements", {{{"description", "no title"}}}}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  for (auto field : {"risk_assessment", "satisfaction.mood", "improvements[0]"}) EXPECT_TRUE(problems(bad).contains(field)) << field << bad.body;
  auto range = rm.post(path + "/review", {{"risk_assessment", "x"}, {"satisfaction", {{"users", 9}}}, {"open_errors", {" "}}});
  EXPECT_TRUE(problems(range).contains("satisfaction.users")) << range.body;
  EXPECT_TRUE(problems(range).contains("open_errors[0]")) << range.body;
  EXPECT_EQ(customer.post(path + "/review", review).status, 403);
  EXPECT_EQ(agent.post(path + "/review", review).status, 403);
  EXPECT_EQ(audit_count(), before);

  auto reviewed = rm.post(path + "/review", review);
  ASSERT_EQ(reviewed.status, 200) << reviewed.body;
  auto r = reviewed.json();
  EXPECT_EQ(r["status"], "reviewed");
  EXPECT_EQ(r["review"]["reviewed_by"]["id"], id(rm_user_));
  EXPECT_FALSE(r["review"]["all_complete"].get<bool>());
  std::set<std::string> open;
  for (const auto& item : r["review"]["open_items"]) open.insert(item["key"]);
  EXPECT_EQ(open, (std::set<std::string>{"accounts", "training", "review"}));
  EXPECT_EQ(r["review"]["satisfaction"], Json({{"users", 4.0}, {"customer", 3.5}}));
  EXPECT_EQ(r["review"]["objectives"].size(), 3u);
  ASSERT_EQ(r["review"]["improvement_ids"].size(), 1u);
  auto entry = admin_.get("/api/v1/improvements/" + r["review"]["improvement_ids"][0].get<std::string>());
  ASSERT_EQ(entry.status, 200) << entry.body;
  EXPECT_EQ(entry.json()["title"], "Send the member list template before the kick-off");
  EXPECT_NE(entry.json()["description"].get<std::string>().find(id(plan)), std::string::npos) << "the entry names its plan";
  EXPECT_EQ(customer.get(path).json()["review"]["risk_assessment"], "Low: the member list is late but the accounts work.");
  auto told = customer.get("/api/v1/notifications").json()["items"];
  ASSERT_FALSE(told.empty());
  EXPECT_EQ(told[0]["kind"], "plan_reviewed");

  // A record now: no move, no change, no second review.
  EXPECT_EQ(move(rm, r, "accounts", "done").json()["error"]["code"], "plan_reviewed");
  EXPECT_EQ(rm.patch(path, {{"actions", Json::array()}}, r["etag"]).json()["error"]["code"], "plan_reviewed");
  EXPECT_EQ(rm.post(path + "/review", review).status, 409);
}

TEST_P(PlansTest, ObjectivesAreMeasuredOnTheDesksLiveData) {
  auto user = login("u@u.test");
  auto agent = login("agent@p.test");
  std::vector<Json> tickets;
  for (int i = 0; i < 3; ++i) {
    auto t = user.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Printer " + std::to_string(i)}});
    ASSERT_EQ(t.status, 201) << t.body;
    tickets.push_back(t.json());
  }
  // Another organisation's tickets count for nothing here.
  login("u@h.test").post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Elsewhere"}});
  auto resolve = [&](const Json& t, int replies) {
    auto path = "/api/v1/tickets/" + id(t);
    for (int i = 0; i < replies; ++i)
      ASSERT_EQ(agent.post(path + "/comments", {{"body", "Try this"}, {"public", true}}).status, 201);
    for (auto to : {"triaged", "in_progress"}) ASSERT_EQ(agent.post(path + "/transitions", {{"to", to}}).status, 200);
    ASSERT_EQ(agent.post(path + "/transitions", {{"to", "resolved"}, {"resolution", "Fixed"}}).status, 200);
  };
  resolve(tickets[0], 1);
  resolve(tickets[1], 3);

  auto plan = make_plan("2026-01-05");
  auto read = login("cust@u.test").get("/api/v1/plans/" + id(plan));
  ASSERT_EQ(read.status, 200) << read.body;
  std::map<std::string, Json> objectives;
  auto measured = read.json();
  for (const auto& o : measured["objectives"]) objectives[o["key"]] = o;
  // Three tickets over the organisation's two people.
  EXPECT_DOUBLE_EQ(objectives["calls"]["value"].get<double>(), 1.5);
  EXPECT_TRUE(objectives["calls"]["met"].get<bool>()) << "at most two each";
  EXPECT_DOUBLE_EQ(objectives["fcr"]["value"].get<double>(), 0.5) << "one of two resolved at the first contact";
  EXPECT_FALSE(objectives["fcr"]["met"].get<bool>());
  EXPECT_TRUE(objectives["happy"]["value"].is_null()) << "no ratings recorded: no value rather than an invented one";
  EXPECT_FALSE(objectives["happy"]["met"].get<bool>());

  // A user's plan measures that person alone.
  auto mine = login("rm@p.test").post("/api/v1/plans", plan_body("new_user", "2026-01-05", {{"user_id", id(customer_)}}));
  ASSERT_EQ(mine.status, 201) << mine.body;
  auto own_plan = mine.json();
  std::map<std::string, Json> own;
  for (const auto& o : own_plan["objectives"]) own[o["key"]] = o;
  ASSERT_TRUE(own.contains("calls")) << own_plan["objectives"];
  EXPECT_DOUBLE_EQ(own["calls"]["value"].get<double>(), 0.0) << "the organisation's other people's tickets are not theirs";
}

TEST_P(PlansTest, NoOtherOrganisationSeesAPlan) {
  auto plan = make_plan("2026-12-01");
  auto own = login("rm@p.test").post("/api/v1/plans", plan_body("new_user", "2026-12-01", {{"user_id", id(user_)}})).json();
  auto path = "/api/v1/plans/" + id(plan);
  auto anonymous = server_.client();
  auto other_customer = login("cust@h.test");
  auto other_user = login("u@h.test");
  auto customer = login("cust@u.test");
  auto user = login("u@u.test");
  auto agent = login("agent@p.test");
  auto kickoff = "/api/v1/plans/" + id(plan) + "/actions/" + id(action_of(plan, "kickoff")) + "/transitions";
  expect_answers({
      {"GET plan", [&](HttpClient& c) { return c.get(path); },
       {{&anonymous, 401}, {&other_customer, 404}, {&other_user, 404}, {&user, 404}, {&customer, 200}, {&agent, 200}}},
      {"GET events", [&](HttpClient& c) { return c.get(path + "/events"); },
       {{&anonymous, 401}, {&other_customer, 404}, {&user, 404}, {&customer, 200}}},
      {"POST plan", [&](HttpClient& c) { return c.post("/api/v1/plans", plan_body("new_organization", "2026-12-01")); },
       {{&anonymous, 401}, {&customer, 403}, {&user, 403}, {&agent, 403}}},
      {"PATCH plan", [&](HttpClient& c) { return c.patch(path, {{"actions", Json::array()}}, plan["etag"]); },
       {{&anonymous, 401}, {&customer, 403}, {&agent, 403}, {&other_customer, 403}}},
      {"POST acceptance", [&](HttpClient& c) { return c.post(path + "/acceptance", Json::object()); },
       {{&anonymous, 401}, {&other_customer, 404}, {&user, 403}, {&agent, 403}}},
      {"POST transition", [&](HttpClient& c) { return c.post(kickoff, {{"to", "done"}}); },
       {{&anonymous, 401}, {&other_customer, 404}, {&other_user, 404}, {&user, 404}}},
      {"POST review", [&](HttpClient& c) { return c.post(path + "/review", {{"risk_assessment", "low"}}); },
       {{&anonymous, 401}, {&other_customer, 403}, {&customer, 403}, {&user, 403}, {&agent, 403}}},
  });
  // Lists: each sees what they may, nothing more.
  auto ids = [](HttpResponse r) {
    std::set<std::string> out;
    auto page = r.json();
    for (const auto& p : page["items"]) out.insert(p["id"]);
    return out;
  };
  EXPECT_EQ(ids(customer.get("/api/v1/plans")), (std::set<std::string>{id(plan), id(own)}));
  EXPECT_EQ(ids(user.get("/api/v1/plans")), (std::set<std::string>{id(own)})) << "a person sees the plans that name them";
  EXPECT_TRUE(ids(other_customer.get("/api/v1/plans")).empty());
  EXPECT_EQ(ids(agent.get("/api/v1/plans?organization_id=" + id(org_) + "&status=draft")).size(), 2u);
  EXPECT_TRUE(ids(agent.get("/api/v1/plans?organization_id=" + id(other_))).empty());
  EXPECT_EQ(agent.get("/api/v1/plans?status=lost").status, 422);
  auto first = agent.get("/api/v1/plans?limit=1").json();
  ASSERT_EQ(first["items"].size(), 1u);
  // A list says how each plan stands without carrying its actions.
  EXPECT_FALSE(first["items"][0].contains("actions"));
  EXPECT_EQ(first["items"][0]["progress"]["total"], 4);
  EXPECT_TRUE(first["items"][0]["overdue_count"].is_number());
  EXPECT_EQ(ids(agent.get("/api/v1/plans?limit=1&cursor=" + first["next_cursor"].get<std::string>())).size(), 1u);
  // The plan's own person reads it; an organisation with plans is not removed from under them.
  EXPECT_EQ(user.get("/api/v1/plans/" + id(own)).status, 200);
  EXPECT_EQ(admin_.del("/api/v1/organizations/" + id(create_org("Empty"))).status, 204);
}

INSTANTIATE_TEST_SUITE_P(Stores, PlansTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
