// Trainings over HTTP on every store (ONB-9): attempts are scored on the server; a pass meets the
// training requirement (ONB-8) and so opens the catalog item that needs it; the pass is
// remembered, so a title change asks nothing again, while a change of the questions does; the
// right answers are shown only to those who manage trainings.
#include "api/api_fixture.h"

namespace tandem::testing {
namespace {

Json quiz() {
  return {{{"text", {{"en", "May you drive after drinking?"}, {"zh-CN", "酒后可以驾驶吗？"}}},
           {"choices", {{{"en", "Yes"}, {"zh-CN", "可以"}}, {{"en", "No"}, {"zh-CN", "不可以"}}}},
           {"answer", 1}},
          {{"text", "Where is the car returned?"}, {"choices", {"Its home bay", "Anywhere"}}, {"answer", 0}}};
}

class TrainingsTest : public ApiTest {
 protected:
  void SetUp() override {
    org_ = create_org("Car club");
    create_user("driver@c.test", "user", id(org_), "Passw0rd-test!", {{"language", "zh-CN"}});
    auto t = admin_.post("/api/v1/trainings", {{"title", {{"en", "Safety video and quiz"}, {"zh-CN", "安全视频与测验"}}},
                                               {"content", {{{"kind", "video"}, {"url", "https://media.example.org/safety.mp4"}}}},
                                               {"questions", quiz()},
                                               {"pass_mark", 1}});
    EXPECT_EQ(t.status, 201) << t.body;
    training_ = t.json();
    auto r = admin_.post("/api/v1/requirements", {{"kind", "training"}, {"training_id", id(training_)}, {"name", "Safety training"}});
    EXPECT_EQ(r.status, 201) << r.body;
    requirement_ = r.json();
    auto service = admin_.post("/api/v1/services", {{"name", "Car sharing"}}).json();
    type_ = admin_.post("/api/v1/request-types", {{"service_id", id(service)}, {"name", "Book a car"}}).json();
    EXPECT_EQ(admin_.post("/api/v1/entitlements", {{"request_type_id", id(type_)}, {"requirement_ids", {id(requirement_)}}}).status, 201);
  }
  bool eligible(HttpClient& c) {
    auto cat = c.get("/api/v1/catalog").json();
    for (const auto& section : cat["items"])
      for (const auto& t : section["request_types"])
        if (t["id"] == id(type_)) return t["eligible"].get<bool>();
    return false;
  }
  std::string status(HttpClient& c) {
    auto mine = c.get("/api/v1/me/requirements").json();
    for (const auto& item : mine["items"])
      if (item["requirement_id"] == id(requirement_)) return item["status"];
    return "";
  }
  Json org_, training_, requirement_, type_;
};

TEST_P(TrainingsTest, APassMeetsTheRequirementUntilTheQuestionsChange) {
  auto driver = login("driver@c.test");
  auto path = "/api/v1/trainings/" + id(training_);
  // The reader sees the questions in their language, not the answers.
  auto read = driver.get(path).json();
  EXPECT_EQ(read["questions"][0]["text"], "酒后可以驾驶吗？");
  EXPECT_FALSE(read["questions"][0].contains("answer"));
  EXPECT_TRUE(admin_.get(path).json()["questions"][0].contains("answer"));
  // Nor do staff who do not manage trainings, in the list or one by one.
  create_user("agent@p.test", "agent");
  auto agent = login("agent@p.test");
  EXPECT_FALSE(agent.get(path).json()["questions"][0].contains("answer"));
  auto listed = agent.get("/api/v1/trainings").json()["items"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_FALSE(listed[0]["questions"][0].contains("answer")) << listed;
  EXPECT_TRUE(admin_.get("/api/v1/trainings").json()["items"][0]["questions"][0].contains("answer"));
  EXPECT_EQ(status(driver), "missing");
  EXPECT_FALSE(eligible(driver));

  auto failed = driver.post(path + "/attempts", {{"answers", {0, 1}}});
  ASSERT_EQ(failed.status, 201) << failed.body;
  EXPECT_FALSE(failed.json()["passed"].get<bool>());
  EXPECT_EQ(failed.json()["correct"], 0);
  EXPECT_EQ(status(driver), "missing");
  EXPECT_EQ(problems(driver.post(path + "/attempts", {{"answers", {1}}})).count("answers"), 1u);
  EXPECT_EQ(problems(driver.post(path + "/attempts", {{"answers", {1, 5}}})).count("answers[1]"), 1u);
  auto passed = driver.post(path + "/attempts", {{"answers", {1, 0}}});
  ASSERT_EQ(passed.status, 201) << passed.body;
  EXPECT_TRUE(passed.json()["passed"].get<bool>());
  EXPECT_DOUBLE_EQ(passed.json()["score"].get<double>(), 1.0);
  EXPECT_EQ(status(driver), "met");
  EXPECT_TRUE(eligible(driver));
  EXPECT_TRUE(driver.get(path + "/attempts").json()["passed"].get<bool>());
  EXPECT_EQ(driver.post("/api/v1/requirements/" + id(requirement_) + "/evidence", {{"note", "I watched it"}}).status, 409)
      << "met by the training, not by evidence";

  // A new title asks nothing again; new questions do.
  auto etag = admin_.get(path).header("etag");
  auto renamed = admin_.patch(path, {{"title", "Safety first"}}, etag);
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(status(driver), "met");
  auto questions = quiz();
  questions[1]["choices"] = {"Its home bay", "Anywhere", "The nearest bay"};
  auto changed = admin_.patch(path, {{"questions", questions}}, renamed.header("etag"));
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(status(driver), "missing");
  EXPECT_FALSE(eligible(driver));
  EXPECT_FALSE(driver.get(path + "/attempts").json()["passed"].get<bool>());
  ASSERT_TRUE(driver.post(path + "/attempts", {{"answers", {1, 0}}}).json()["passed"].get<bool>());
  EXPECT_TRUE(eligible(driver));
}

TEST_P(TrainingsTest, TrainingsAreCheckedAndKeptWhileARequirementNeedsThem) {
  auto before = audit_count();
  auto bad = admin_.post("/api/v1/trainings", {{"title", "Bad"},
                                               {"content", {{{"kind", "podcast"}, {"url", "javascript:alert(1)"}}}},
                                               {"questions", {{{"text", "Q"}, {"choices", {"only"}}, {"answer", 3}}}},
                                               {"pass_mark", 2}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  for (auto field : {"content[0].kind", "content[0].url", "questions[0].choices", "questions[0].answer", "pass_mark"})
    EXPECT_TRUE(problems(bad).contains(field)) << field << bad.body;
  EXPECT_EQ(audit_count(), before);
  EXPECT_EQ(admin_.del("/api/v1/trainings/" + id(training_)).status, 409);
  EXPECT_EQ(login("driver@c.test").post("/api/v1/trainings", {{"title", "Mine"}, {"questions", quiz()}}).status, 403);
  EXPECT_EQ(admin_.post("/api/v1/requirements", {{"kind", "licence"}, {"name", "x"}, {"training_id", id(training_)}}).status, 422);
}

TEST_P(TrainingsTest, EveryRouteRefusesWhomItMust) {
  auto path = "/api/v1/trainings/" + id(training_);
  auto anonymous = server_.client();
  auto driver = login("driver@c.test");
  create_user("agent@p.test", "agent");
  auto agent = login("agent@p.test");
  expect_answers({
      {"GET training", [&](HttpClient& c) { return c.get(path); }, {{&anonymous, 401}, {&driver, 200}}},
      {"GET trainings", [&](HttpClient& c) { return c.get("/api/v1/trainings"); }, {{&anonymous, 401}, {&driver, 200}}},
      {"POST training", [&](HttpClient& c) { return c.post("/api/v1/trainings", {{"title", "Mine"}, {"questions", quiz()}}); },
       {{&anonymous, 401}, {&driver, 403}, {&agent, 403}}},
      {"PATCH training", [&](HttpClient& c) { return c.patch(path, {{"pass_mark", 0.5}}, training_["etag"]); },
       {{&anonymous, 401}, {&driver, 403}}},
      {"DELETE training", [&](HttpClient& c) { return c.del(path); }, {{&anonymous, 401}, {&driver, 403}}},
      {"attempt", [&](HttpClient& c) { return c.post(path + "/attempts", {{"answers", {1, 0}}}); }, {{&anonymous, 401}}},
      {"own attempts", [&](HttpClient& c) { return c.get(path + "/attempts"); }, {{&anonymous, 401}, {&driver, 200}}},
  });
}

INSTANTIATE_TEST_SUITE_P(Stores, TrainingsTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
