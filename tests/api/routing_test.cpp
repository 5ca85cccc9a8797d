// REL-4 on every store: the router. Before any training the classification rules suggest (and
// say which fired); `train-router` learns teams and categories from resolved tickets in English
// and Chinese and is measured on the held-out fifth; a new ticket is then routed by the
// classifier with its confidence and the words that drove it; an agent's acceptance or
// correction moves the ticket and becomes a label the next training reads. Only staff route.
#include <random>

#include "api/api_fixture.h"
#include "storage/routing.h"
#include "usecase/router.h"

namespace tandem::testing {
namespace {

struct Team {
  std::string name, category;
  std::vector<std::string> words;
};

const std::vector<Team>& teams() {
  static const std::vector<Team> all = {
      {"Fleet", "Vehicles",
       {"car", "booking", "battery", "charging", "late", "return", "key", "tyre", "parking", "车辆", "充电", "预约", "钥匙", "轮胎"}},
      {"IT", "Computers",
       {"printer", "toner", "wifi", "password", "laptop", "email", "screen", "network", "打印机", "网络", "密码", "电脑", "邮箱"}},
      {"Facilities", "Buildings",
       {"heating", "light", "door", "window", "leak", "room", "lift", "cleaning", "暖气", "灯", "门锁", "漏水", "电梯"}},
  };
  return all;
}

class RoutingTest : public ApiTest {
 protected:
  void SetUp() override {
    org_ = create_org("East Campus");
    create_user("li.lei@east.test", "user", id(org_));
    create_user("agent@provider.test", "agent");
    user_ = login("li.lei@east.test");
    agent_ = login("agent@provider.test");
    for (const auto& t : teams()) {
      auto r = admin_.post("/api/v1/teams", {{"name", t.name}});
      ASSERT_EQ(r.status, 201) << r.body;
      team_ids_[t.name] = id(r.json());
    }
  }

  Json open(const std::string& subject, const std::string& description) {
    auto r = user_.post("/api/v1/tickets", {{"type", "incident"}, {"subject", subject}, {"description", description}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }

  // `count` tickets per team, worded from the team's words, filed to it and resolved.
  void history(int count) {
    std::mt19937 random(7);
    for (int i = 0; i < count; ++i)
      for (const auto& team : teams()) {
        auto word = [&] { return team.words[random() % team.words.size()]; };
        auto t = open(word() + " " + word(), "The " + word() + " and the " + word() + " again " + word());
        auto path = "/api/v1/tickets/" + id(t);
        ASSERT_EQ(admin_.patch(path, {{"team_id", team_ids_[team.name]}, {"category", team.category}}, "\"v1\"").status, 200);
        ASSERT_EQ(admin_.post(path + "/transitions", {{"to", "in_progress"}}).status, 200);
        ASSERT_EQ(admin_.post(path + "/transitions", {{"to", "resolved"}, {"resolution", "Done."}}).status, 200);
      }
  }

  std::vector<usecase::TrainedKind> train() {
    std::vector<std::string> lines;
    auto trained = usecase::train_router(server_.services(), [&](const std::string& l) { lines.push_back(l); });
    EXPECT_TRUE(trained) << trained.error().message;
    EXPECT_FALSE(lines.empty()) << "progress is reported";
    return trained.value_or(std::vector<usecase::TrainedKind>{});
  }

  Json suggestion(const Json& t, HttpClient& who) {
    auto r = who.get("/api/v1/tickets/" + id(t) + "/routing-suggestion");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  Json org_;
  HttpClient user_{0}, agent_{0};
  std::map<std::string, std::string> team_ids_;
};

TEST_P(RoutingTest, BeforeAnyTrainingTheRulesSuggestAndSayWhichFired) {
  auto rule = admin_.post("/api/v1/classification-rules",
                          {{"name", "printers to IT"},
                           {"conditions", {{"words", {"printer"}}}},
                           {"actions", {{"team_id", team_ids_["IT"]}, {"category", "Computers"}}}});
  ASSERT_EQ(rule.status, 201) << rule.body;
  auto t = open("Printer on floor 2", "It prints nothing.");
  auto s = suggestion(t, agent_);
  ASSERT_TRUE(s["team"].is_object()) << s.dump();
  EXPECT_EQ(s["team"]["value"], team_ids_["IT"]);
  EXPECT_EQ(s["team"]["source"], "rules");
  EXPECT_EQ(s["team"]["rules"], Json::array({"printers to IT"}));
  EXPECT_EQ(s["category"]["value"], "Computers");
  auto other = open("Something odd", "Nobody knows.");
  s = suggestion(other, agent_);
  EXPECT_TRUE(s["team"].is_null()) << "nothing to go on, nothing suggested";
  EXPECT_TRUE(s["category"].is_null());
}

TEST_P(RoutingTest, TheTrainedClassifierRoutesNewTicketsAndSaysWhy) {
  history(25);
  auto trained = train();
  ASSERT_EQ(trained.size(), 2u);
  for (const auto& k : trained) {
    SCOPED_TRACE(k.kind);
    ASSERT_TRUE(k.model_id) << k.why_not;
    EXPECT_EQ(k.examples, 75);
    EXPECT_GT(k.held_out, 5);
    EXPECT_GE(double(k.held_out_right) / double(k.held_out), 0.8) << "accuracy on the held-out fifth";
  }

  auto t = open("The printer is out of toner", "Could someone bring toner to the printer?");
  auto s = suggestion(t, agent_);
  EXPECT_EQ(s["team"]["value"], team_ids_["IT"]) << s.dump();
  EXPECT_EQ(s["team"]["source"], "classifier");
  EXPECT_GE(s["team"]["confidence"].get<double>(), 0.5);
  std::set<std::string> words;
  for (const auto& w : s["team"]["words"]) words.insert(w["term"].get<std::string>());
  EXPECT_TRUE(words.contains("printer") || words.contains("toner")) << s["team"]["words"].dump();
  EXPECT_EQ(s["category"]["value"], "Computers");

  auto chinese = open("车辆充电", "预约的车辆没有充电，钥匙也找不到");
  EXPECT_EQ(suggestion(chinese, agent_)["team"]["value"], team_ids_["Fleet"]) << "Chinese, read as character pairs";
}

TEST_P(RoutingTest, AcceptingOrCorrectingMovesTheTicketAndLeavesALabel) {
  history(25);
  train();
  auto t = open("Heating in room 4 is off", "The heating and the light in the room");
  auto s = suggestion(t, agent_);
  ASSERT_EQ(s["team"]["value"], team_ids_["Facilities"]) << s.dump();
  auto path = "/api/v1/tickets/" + id(t) + "/routing-suggestion";

  auto r = agent_.post(path, {{"team_id", team_ids_["Facilities"]}, {"category", "Buildings"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["team_id"], team_ids_["Facilities"]);
  EXPECT_EQ(r.json()["category"], "Buildings");
  auto label = server_.services().db.read([&](storage::Connection& c) { return storage::routing_labels::find(c, id(t)); });
  ASSERT_TRUE(label && *label);
  EXPECT_FALSE((*label)->corrected) << "accepted as suggested";

  r = agent_.post(path, {{"team_id", team_ids_["IT"]}});
  ASSERT_EQ(r.status, 200) << r.body;
  label = server_.services().db.read([&](storage::Connection& c) { return storage::routing_labels::find(c, id(t)); });
  EXPECT_TRUE((*label)->corrected) << "a correction";
  EXPECT_EQ((*label)->team_id, team_ids_["IT"]);
  auto examples = server_.services().db.read([&](storage::Connection& c) { return storage::routing_examples(c, 1000); });
  ASSERT_TRUE(examples);
  auto it = std::ranges::find(*examples, id(t), &storage::RoutingExample::ticket_id);
  ASSERT_NE(it, examples->end()) << "an open ticket with a label is an example";
  EXPECT_EQ(it->team_id, team_ids_["IT"]);

  EXPECT_EQ(agent_.post(path, {{"team_id", "team_missing"}}).status, 422);
  EXPECT_EQ(agent_.post(path, Json::object()).status, 422);
  EXPECT_EQ(agent_.post(path, {{"team_id", team_ids_["IT"]}}, {{"If-Match", "\"v1\""}}).status, 412) << "a stale If-Match";
}

TEST_P(RoutingTest, RoutingRulesGoByTheUsersLanguageAndTimeZoneAndTheTicketsService) {
  auto service = admin_.post("/api/v1/services", {{"name", {{"en", "Car share"}}}});
  ASSERT_EQ(service.status, 201) << service.body;
  // The routing rules are the classification rules, under their own name as well.
  auto by_language = admin_.post("/api/v1/routing-rules", {{"name", "Chinese speakers"},
                                                           {"position", 1},
                                                           {"conditions", {{"languages", {"zh"}}}},
                                                           {"actions", {{"team_id", team_ids_["IT"]}}}});
  ASSERT_EQ(by_language.status, 201) << by_language.body;
  ASSERT_EQ(admin_.post("/api/v1/routing-rules", {{"name", "Night owls"},
                                                  {"position", 2},
                                                  {"conditions", {{"time_zones", {"America/New_York"}}}},
                                                  {"actions", {{"team_id", team_ids_["Facilities"]}}}})
                .status,
            201);
  ASSERT_EQ(admin_.post("/api/v1/routing-rules", {{"name", "Cars"},
                                                  {"position", 3},
                                                  {"conditions", {{"service_ids", {id(service.json())}}}},
                                                  {"actions", {{"category", "Vehicles"}}}})
                .status,
            201);
  EXPECT_EQ(admin_.get("/api/v1/classification-rules").json()["items"].size(), 3u) << "one set of rules";

  // Raised by the desk for each person, so the service need not be in their catalog: the rules
  // read the person the ticket is for.
  auto raise = [&](const std::string& email, const std::string& language, const std::string& zone, bool with_service) {
    auto person = create_user(email, "user", id(org_), "Passw0rd-test!", {{"language", language}, {"time_zone", zone}});
    Json body{{"type", "incident"}, {"subject", "Help"}, {"description", "Something"}, {"on_behalf_of", id(person)}};
    if (with_service) body["service_id"] = id(service.json());
    auto r = admin_.post("/api/v1/tickets", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  };
  auto chinese = raise("wang@east.test", "zh-CN", "Asia/Shanghai", false);
  EXPECT_EQ(chinese["team_id"], team_ids_["IT"]);
  auto american = raise("amy@east.test", "en", "America/New_York", true);
  EXPECT_EQ(american["team_id"], team_ids_["Facilities"]);
  EXPECT_EQ(american["category"], "Vehicles");
  auto other = raise("bob@east.test", "en", "Europe/London", false);
  EXPECT_TRUE(other["team_id"].is_null());
  EXPECT_EQ(suggestion(other, agent_)["team"], nullptr);
  EXPECT_EQ(suggestion(chinese, agent_)["team"]["rules"], Json::array({"Chinese speakers"}));

  for (auto [condition, value] : {std::pair{"time_zones", "Mars/Olympus"}, std::pair{"service_ids", "svc_none"}}) {
    auto bad = admin_.post("/api/v1/routing-rules",
                           {{"name", "Bad"}, {"conditions", {{condition, {value}}}}, {"actions", {{"category", "x"}}}});
    ASSERT_EQ(bad.status, 422) << bad.body;
    EXPECT_TRUE(problems(bad).contains(std::string("conditions.") + condition)) << bad.body;
  }
}

// REL-4: a rule may route by skill: the ticket goes to a team with the skill, the one that speaks
// the person's language when one does, and the timeline says which.
TEST_P(RoutingTest, ASkillRoutesToTheTeamWithItThatSpeaksThePersonsLanguage) {
  auto fleet_zh = admin_.post("/api/v1/teams", {{"name", "Fleet 车队"}, {"skills", {"ev-charging"}}, {"languages", {"zh-CN"}}});
  ASSERT_EQ(fleet_zh.status, 201) << fleet_zh.body;
  ASSERT_EQ(admin_.patch("/api/v1/teams/" + team_ids_["Fleet"], {{"skills", {"EV-Charging"}}, {"languages", {"en"}}}, "\"v1\"").status, 200);
  auto bad = admin_.post("/api/v1/routing-rules", {{"name", "Welding"}, {"conditions", {{"words", {"weld"}}}}, {"actions", {{"skill", "welding"}}}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_TRUE(problems(bad).contains("actions.skill")) << "no team has it";
  auto both = admin_.post("/api/v1/routing-rules", {{"name", "Both"}, {"actions", {{"skill", "ev-charging"}, {"team_id", team_ids_["IT"]}}}});
  EXPECT_EQ(both.status, 422) << both.body;
  auto rule = admin_.post("/api/v1/routing-rules", {{"name", "Chargers"},
                                                    {"conditions", {{"words", {"charger", "充电桩"}}}},
                                                    {"actions", {{"skill", "ev-charging"}}}});
  ASSERT_EQ(rule.status, 201) << rule.body;
  EXPECT_EQ(rule.json()["actions"]["skill"], "ev-charging");

  auto raise = [&](const std::string& email, const std::string& language, const std::string& subject) {
    auto person = create_user(email, "user", id(org_), "Passw0rd-test!", {{"language", language}});
    auto r = admin_.post("/api/v1/tickets", {{"type", "incident"}, {"subject", subject}, {"description", "."}, {"on_behalf_of", id(person)}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  };
  auto chinese = raise("wang@east.test", "zh-CN", "充电桩坏了");
  EXPECT_EQ(chinese["team_id"], id(fleet_zh.json()));
  auto english = raise("amy@east.test", "en", "The charger is broken");
  EXPECT_EQ(english["team_id"], team_ids_["Fleet"]);
  auto timeline = admin_.get("/api/v1/tickets/" + id(chinese) + "/timeline").json()["items"].dump();
  EXPECT_NE(timeline.find("skill ev-charging"), std::string::npos) << timeline;
  EXPECT_EQ(suggestion(chinese, agent_)["team"]["value"], id(fleet_zh.json()));

  // Once no team has the skill, the rule routes nowhere and a later rule routes the ticket.
  auto fallback = admin_.post("/api/v1/routing-rules", {{"name", "Everything else"}, {"position", 1000}, {"actions", {{"team_id", team_ids_["IT"]}}}});
  ASSERT_EQ(fallback.status, 201) << fallback.body;
  ASSERT_EQ(admin_.patch("/api/v1/teams/" + id(fleet_zh.json()), {{"skills", Json::array()}}, "\"v1\"").status, 200);
  ASSERT_EQ(admin_.patch("/api/v1/teams/" + team_ids_["Fleet"], {{"skills", Json::array()}}, "\"v2\"").status, 200);
  auto unstaffed = raise("li@east.test", "zh-CN", "充电桩又坏了");
  EXPECT_EQ(unstaffed["team_id"], team_ids_["IT"]);
  auto said = admin_.get("/api/v1/tickets/" + id(unstaffed) + "/timeline").json()["items"].dump();
  EXPECT_NE(said.find("no team has its skill ev-charging"), std::string::npos) << said;
}

TEST_P(RoutingTest, OnlyStaffRoute) {
  auto t = open("Printer", "Broken.");
  create_user("boss@east.test", "customer", id(org_));
  auto customer = login("boss@east.test");
  auto anonymous = server_.client();
  auto path = "/api/v1/tickets/" + id(t) + "/routing-suggestion";
  expect_answers({
      {"suggestion", [&](HttpClient& c) { return c.get(path); },
       {{&agent_, 200}, {&admin_, 200}, {&user_, 403}, {&customer, 403}, {&anonymous, 401}}},
      {"choice", [&](HttpClient& c) { return c.post(path, {{"category", "x"}}); }, {{&user_, 403}, {&customer, 403}, {&anonymous, 401}}},
      {"unknown ticket", [](HttpClient& c) { return c.get("/api/v1/tickets/tkt_missing/routing-suggestion"); }, {{&agent_, 404}}},
      {"routing rules, changed", [&](HttpClient& c) {
         return c.post("/api/v1/routing-rules", {{"name", "x"}, {"actions", {{"category", "x"}}}});
       },
       {{&agent_, 403}, {&user_, 403}, {&customer, 403}, {&anonymous, 401}}},
      {"routing rules, read", [](HttpClient& c) { return c.get("/api/v1/routing-rules"); },
       {{&agent_, 200}, {&user_, 403}, {&customer, 403}, {&anonymous, 401}}},
  });
}

TEST(RouterModel, ADamagedModelIsRefusedNotRead) {
  EXPECT_FALSE(usecase::TextClassifier::load(""));
  EXPECT_FALSE(usecase::TextClassifier::load(std::string(64, 'x')));
}

TEST(TrainRouterCommand, SaysWhyNothingWasTrainedOnAnEmptyStore) {
  TestStore store("sqlite");
  ServerProcess tandem(store);
  std::string out;
  EXPECT_EQ(tandem.run_cli({"train-router"}, &out), 0) << out;
  EXPECT_NE(out.find("team: not trained: too little to learn from: 0 examples"), std::string::npos) << out;
  EXPECT_NE(out.find("category: not trained"), std::string::npos) << out;
}

INSTANTIATE_TEST_SUITE_P(Stores, RoutingTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
