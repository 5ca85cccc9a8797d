// OFF-1, OFF-4 over HTTP on every store: a person's offboarding ends their access at once, lists
// their open tickets and what they hold, waits where it must, hands their tickets over, and
// erases what is personal — after which no table holds their name, e-mail or phone and the audit
// chain still verifies; a returning person keeps the training they passed. Assets (OFF-1).
#include <algorithm>
#include <cctype>

#include "api/api_fixture.h"
#include "storage/audit_log.h"
#include "usecase/retention.h"

namespace tandem::testing {
namespace {

constexpr const char* kName = "ZHAOERASE Lan";
constexpr const char* kEmail = "Zhao.Erase@club.test";
constexpr const char* kPhone = "+86 138 0013 7799";

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class OffboardingTest : public ApiTest {
 protected:
  void SetUp() override {
    club_ = create_org("Greenway Car-share Club");
    other_ = create_org("Other Org");
    zhao_ = create_user(kEmail, "user", id(club_), "Passw0rd-test!", {{"name", kName}, {"phones", {kPhone}}, {"language", "zh-CN"}});
    manager_ = create_user("manager@club.test", "customer", id(club_));
    create_user("cust@other.test", "customer", id(other_));
    create_user("li@club.test", "user", id(club_));
  }

  Json step_of(const Json& record, const std::string& key) {
    for (const auto& s : record["steps"])
      if (s["key"] == key) return s;
    return nullptr;
  }
  HttpResponse finish(HttpClient& c, const Json& record, const std::string& key, Json body = Json::object()) {
    body["to"] = "done";
    return c.post("/api/v1/offboardings/" + id(record) + "/steps/" + key + "/transitions", body);
  }

  // Every row of every table, as text, that holds one of `needles` (compared without case).
  std::vector<std::string> rows_naming(const std::vector<std::string>& needles) {
    std::vector<std::string> found;
    auto scanned = server_.services().db.read([&](storage::Connection& c) -> Result<void> {
      bool sqlite = c.dialect() == storage::Dialect::sqlite;
      ASSIGN_OR_RETURN(auto tables,
                       c.query(sqlite ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                        "AND name NOT LIKE 'ticket_search_%'"
                                      : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                                        "AND table_type = 'BASE TABLE'"));
      for (const auto& t : tables) {
        auto table = t.text(0);
        ASSIGN_OR_RETURN(auto rows, c.query(sqlite ? "SELECT * FROM \"" + table + "\"" : "SELECT * FROM \"" + table + "\""));
        for (const auto& r : rows)
          for (std::size_t i = 0; i < r.cells.size(); ++i) {
            auto text = lower(r.text(i));
            for (const auto& n : needles)
              if (text.find(lower(n)) != std::string::npos) found.push_back(table + ": " + r.text(i).substr(0, 200));
          }
      }
      return {};
    });
    EXPECT_TRUE(scanned) << scanned.error().message;
    return found;
  }

  Json club_, other_, zhao_, manager_;
};

TEST_P(OffboardingTest, AccessEndsAtOnceAndTheRecordListsWhatIsOpen) {
  auto zhao = login(kEmail);
  auto token = zhao.post("/api/v1/tokens", {{"name", "script"}}).json()["token"].get<std::string>();
  auto script = server_.client();
  script.use_token(token);
  auto own = zhao.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Parking card broken"}, {"description", "It fails."}});
  ASSERT_EQ(own.status, 201) << own.body;
  auto key = admin_.post("/api/v1/assets", {{"name", "Car key 7"}, {"kind", "car_key"}, {"assigned_to", id(zhao_)}});
  ASSERT_EQ(key.status, 201) << key.body;
  ASSERT_EQ(script.get("/api/v1/me").status, 200);

  auto manager = login("manager@club.test");
  auto started = manager.post("/api/v1/users/" + id(zhao_) + "/offboarding", {{"reason", "membership ended"}});
  ASSERT_EQ(started.status, 201) << started.body;
  auto record = started.json();
  EXPECT_EQ(started.header("location"), "/api/v1/offboardings/" + id(record));
  EXPECT_EQ(zhao.get("/api/v1/me").status, 401) << "the browser's next call";
  EXPECT_EQ(script.get("/api/v1/me").status, 401) << "and the token's";
  EXPECT_EQ(server_.client().login(kEmail, "Passw0rd-test!").status, 401);

  EXPECT_EQ(record["status"], "open");
  EXPECT_EQ(record["steps"].size(), 8u);
  EXPECT_EQ(step_of(record, "revoke_access")["status"], "done");
  EXPECT_EQ(step_of(record, "erase")["status"], "pending");
  EXPECT_EQ(record["facts"]["open_work"], Json::array({id(own.json())}));
  EXPECT_EQ(record["facts"]["assets"], Json::array({id(key.json())}));
  EXPECT_NE(record["facts"]["message"].get<std::string>().find("您对本服务的访问"), std::string::npos) << "in the person's language";
  EXPECT_EQ(admin_.get("/api/v1/offboardings?subject_id=" + id(zhao_)).json()["items"].size(), 1u);

  // One at a time.
  auto again = manager.post("/api/v1/users/" + id(zhao_) + "/offboarding", {{"reason", "again"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "offboarding_open");
}

TEST_P(OffboardingTest, StepsWaitForWhatTheyNeedAndOpenTicketsAreHandedOver) {
  auto zhao = login(kEmail);
  auto own = zhao.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Charging card"}, {"description", "Refused."}}).json();
  auto key = admin_.post("/api/v1/assets", {{"name", "Car key 7"}, {"kind", "car_key"}, {"assigned_to", id(zhao_)}}).json();
  auto record = admin_.post("/api/v1/users/" + id(zhao_) + "/offboarding", {{"reason", "moved away"}}).json();

  auto early = finish(admin_, record, "erase");
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.error_code(), "steps_pending");
  auto held = finish(admin_, record, "assets");
  EXPECT_EQ(held.status, 409);
  EXPECT_EQ(held.error_code(), "assets_outstanding");
  EXPECT_NE(held.body.find("Car key 7"), std::string::npos);
  ASSERT_EQ(admin_.post("/api/v1/assets/" + id(key) + "/transitions", {{"to", "returned"}}).status, 200);
  EXPECT_EQ(admin_.post("/api/v1/assets/" + id(key) + "/transitions", {{"to", "written_off"}}).status, 409) << "settled once";
  ASSERT_EQ(finish(admin_, record, "assets").status, 200);

  // The open ticket goes to the organisation's customer, who then sees it as theirs.
  auto handed = finish(admin_, record, "open_work");
  ASSERT_EQ(handed.status, 200) << handed.body;
  EXPECT_EQ(handed.json()["facts"]["handed_over"]["to"], manager_["id"]);
  EXPECT_EQ(admin_.get("/api/v1/tickets/" + id(own)).json()["requester_id"], manager_["id"]);
  // The timeline says so, and the customer who took it over sees the ticket as theirs.
  auto timeline = admin_.get("/api/v1/tickets/" + id(own) + "/timeline").json();
  ASSERT_FALSE(timeline["items"].empty());
  EXPECT_EQ(timeline["items"].back()["kind"], "handed_over") << timeline;
  EXPECT_EQ(login("manager@club.test").get("/api/v1/tickets/" + id(own)).status, 200);
  auto bad = finish(admin_, record, "communicate", {{"colour", "red"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(finish(admin_, record, "nothing").status, 404);
  auto wrong = admin_.post("/api/v1/offboardings/" + id(record) + "/steps/archive/transitions", {{"to", "pending"}});
  EXPECT_EQ(wrong.status, 422);
}

TEST_P(OffboardingTest, ErasureLeavesNothingPersonalInAnyTableAndTheAuditChainVerifies) {
  // OPS-3: an outbound webhook's log quotes the person's tickets and addresses.
  ASSERT_EQ(admin_.post("/api/v1/webhooks", {{"name", "SMS"}, {"url", "https://sms.example/hook"}, {"events", {"ticket.created", "ticket.updated"}}})
                .status,
            201);
  auto zhao = login(kEmail);
  auto own = zhao.post("/api/v1/tickets", {{"type", "incident"},
                                           {"subject", "Car key for ZHAOERASE Lan"},
                                           {"description", std::string("Call me on ") + kPhone + " or write to " + kEmail}})
                 .json();
  ASSERT_EQ(zhao.post("/api/v1/tickets/" + id(own) + "/comments", {{"body", std::string("Signed, ") + kName}}).status, 201);
  auto about = admin_.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Return the car key"},
                                               {"description", "Before leaving."}, {"on_behalf_of", id(zhao_)}})
                   .json();
  // FDB-1: a rating's comment is theirs to take with them; the score stays in the figures.
  ASSERT_EQ(admin_.post("/api/v1/tickets/" + id(about) + "/transitions", {{"to", "in_progress"}}).status, 200);
  ASSERT_EQ(admin_.post("/api/v1/tickets/" + id(about) + "/transitions", {{"to", "resolved"}, {"resolution", "Returned"}}).status, 200);
  auto rated = zhao.post("/api/v1/ratings", {{"ticket_id", id(about)}, {"score", 2}, {"comment", std::string("Call me: ") + kPhone}});
  ASSERT_EQ(rated.status, 201) << rated.body;
  // FDB-1: so is what they wrote in a survey; their NPS answer stays.
  auto survey = admin_.post("/api/v1/surveys", {{"title", "Check-in"}, {"organization_ids", {id(club_)}},
                                                {"closes_at", to_rfc3339(server_.clock().now() + std::chrono::hours(24))},
                                                {"questions", {{{"key", "why"}, {"kind", "text"}, {"prompt", "Why?"}}}}});
  ASSERT_EQ(survey.status, 201) << survey.body;
  ASSERT_EQ(admin_.request("POST", "/api/v1/surveys/" + id(survey.json()) + "/publish", "{}",
                           {{"Content-Type", "application/json"}, {"If-Match", survey.json()["etag"].get<std::string>()}})
                .status,
            200);
  ASSERT_EQ(zhao.post("/api/v1/surveys/" + id(survey.json()) + "/responses",
                      {{"answers", {{"nps", 4}, {"why", std::string("Ring ") + kPhone}}}})
                .status,
            201);
  auto before = rows_naming({kName, kEmail, "13800137799"});
  EXPECT_FALSE(before.empty()) << "the scan finds the person before";
  EXPECT_TRUE(std::ranges::any_of(before, [](const std::string& row) { return row.starts_with("event_deliveries: "); }))
      << "the webhook's log names them";

  auto record = admin_.post("/api/v1/users/" + id(zhao_) + "/offboarding", {{"reason", "membership ended"}}).json();
  // Notes written on the record before erasure name the person too.
  ASSERT_EQ(finish(admin_, record, "communicate", {{"note", std::string("Phoned ") + kName + " on " + kPhone}}).status, 200);
  for (auto key : {"open_work", "assets", "archive", "thank_you", "erase", "record"}) {
    auto r = finish(admin_, record, key);
    ASSERT_EQ(r.status, 200) << key << r.body;
  }
  auto done = admin_.get("/api/v1/offboardings/" + id(record)).json();
  EXPECT_EQ(done["status"], "completed");
  EXPECT_TRUE(done["completed_at"].is_string());
  auto former = done["facts"]["erasure"]["former_name"].get<std::string>();
  EXPECT_TRUE(former.starts_with("Former user "));

  auto left = rows_naming({kName, "ZHAOERASE", kEmail, "zhao.erase", "13800137799", kPhone});
  EXPECT_TRUE(left.empty()) << ::testing::PrintToString(left);
  auto ratings = admin_.get("/api/v1/ratings?ticket_id=" + id(about)).json()["items"];
  ASSERT_EQ(ratings.size(), 1u);
  EXPECT_EQ(ratings[0]["score"], 2) << "the score still counts";
  EXPECT_EQ(ratings[0]["comment"], "");
  auto surveyed = admin_.get("/api/v1/surveys/" + id(survey.json()) + "/results").json();
  EXPECT_EQ(surveyed["nps"]["detractors"], 1) << "the NPS answer still counts";
  EXPECT_TRUE(surveyed["texts"].empty());

  // The person is "Former user N"; their tickets stay, with the texts that named them redacted.
  auto person = admin_.get("/api/v1/users/" + id(zhao_)).json();
  EXPECT_EQ(person["name"], former);
  EXPECT_EQ(person["active"], false);
  EXPECT_TRUE(person["identities"].empty());
  auto ticket = admin_.get("/api/v1/tickets/" + id(own)).json();
  EXPECT_EQ(ticket["subject"], "Car key for " + former);
  EXPECT_EQ(admin_.get("/api/v1/tickets/" + id(about)).status, 200);
  EXPECT_EQ(admin_.get("/api/v1/search?q=ZHAOERASE").json()["items"].size(), 0u) << "nor in the search index";
  EXPECT_EQ(admin_.get("/api/v1/search?q=" + url_quoted(former)).json()["items"].size(), 1u);

  auto verdict = server_.services().db.read([](storage::Connection& c) { return storage::audit_log::verify(c); });
  ASSERT_TRUE(verdict);
  EXPECT_TRUE(verdict->intact) << verdict->problem << " — erasure does not touch the audit chain";

  // Erasure is once: the person cannot be offboarded or given assets again.
  EXPECT_EQ(admin_.post("/api/v1/users/" + id(zhao_) + "/offboarding", {{"reason", "again"}}).status, 404);
  EXPECT_EQ(admin_.post("/api/v1/assets", {{"name", "Badge"}, {"kind", "badge"}, {"assigned_to", id(zhao_)}}).status, 422);
}

// OFF-1: the organisation's retention policy decides what is kept of a person who leaves: here
// their contact details, aside and readable by those who manage offboardings, for thirty days
// after the archive step — through the erasure — and then deleted; and the files they attached
// erased with them, while the same content attached by someone else stays.
TEST_P(OffboardingTest, TheRetentionPolicyKeepsContactDetailsForItsTimeAndErasesUploads) {
  auto path = "/api/v1/organizations/" + id(club_) + "/retention";
  auto manager = login("manager@club.test");
  auto initial = manager.get(path);
  ASSERT_EQ(initial.status, 200) << initial.body;
  EXPECT_EQ(initial.json(), Json::parse(R"({"archive_contact":false,"archive_days":365,"uploads":"keep","version":1})"));
  EXPECT_EQ(initial.header("etag"), "\"v1\"");

  // Bad input changes nothing; a write needs the version it read.
  auto bad = manager.request("PUT", path, R"({"archive_contact":true,"archive_days":0,"uploads":"shred"})",
                             {{"content-type", "application/json"}, {"if-match", "\"v1\""}});
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(bad.json()["error"]["details"].size(), 2u) << bad.body;
  EXPECT_EQ(manager.request("PUT", path, R"({"archive_contact":true})", {{"content-type", "application/json"}}).status, 428);
  EXPECT_EQ(manager.get(path).json()["version"], 1);
  auto set = manager.request("PUT", path, R"({"archive_contact":true,"archive_days":30,"uploads":"erase"})",
                             {{"content-type", "application/json"}, {"if-match", "\"v1\""}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json()["version"], 2);
  EXPECT_EQ(set.json()["uploads"], "erase");
  EXPECT_EQ(manager.request("PUT", path, R"({"archive_contact":false})",
                            {{"content-type", "application/json"}, {"if-match", "\"v1\""}}).status, 412);
  // Nobody else sees or sets it.
  auto other_customer = login("cust@other.test");
  auto li_user = login("li@club.test");
  EXPECT_EQ(other_customer.get(path).status, 404);
  EXPECT_EQ(li_user.get(path).status, 403);
  EXPECT_EQ(server_.client().get(path).status, 401);
  for (auto* c : {&other_customer, &li_user}) {
    auto refused = c->request("PUT", path, R"({"archive_contact":false})",
                              {{"content-type", "application/json"}, {"if-match", "\"v2\""}});
    EXPECT_EQ(refused.status, c == &other_customer ? 404 : 403) << refused.body;
  }
  EXPECT_EQ(manager.get(path).json()["archive_contact"], true) << "the refused writes changed nothing";

  // Zhao attaches a file only they have, and one Li attached too.
  auto zhao = login(kEmail);
  auto li = login("li@club.test");
  auto upload = [](HttpClient& c, const std::string& ticket, const std::string& name, const std::string& bytes) {
    std::string body = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name +
                       "\"\r\nContent-Type: text/plain\r\n\r\n" + bytes + "\r\n--B--\r\n";
    auto r = c.request("POST", "/api/v1/tickets/" + ticket + "/attachments", body, {{"content-type", "multipart/form-data; boundary=B"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  };
  auto own = zhao.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Scratch on the door"}, {"description", "photo"}}).json();
  auto theirs = li.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Same scratch"}, {"description", "photo"}}).json();
  auto only_zhao = upload(zhao, id(own), "mine.txt", "ONLY-ZHAO-CONTENT");
  auto shared_zhao = upload(zhao, id(own), "shared.txt", "SHARED-CONTENT");
  auto shared_li = upload(li, id(theirs), "shared.txt", "SHARED-CONTENT");
  auto files_before = files_on_disk();

  auto record = admin_.post("/api/v1/users/" + id(zhao_) + "/offboarding", {{"reason", "membership ended"}}).json();
  EXPECT_EQ(admin_.get("/api/v1/offboardings/" + id(record) + "/archive").status, 404) << "nothing kept before the archive step";
  for (auto key : {"communicate", "open_work", "assets", "archive"}) ASSERT_EQ(finish(admin_, record, key).status, 200) << key;
  auto archived = admin_.get("/api/v1/offboardings/" + id(record));
  EXPECT_NE(step_of(archived.json(), "archive")["note"].get<std::string>().find("30 days"), std::string::npos) << archived.body;
  for (auto key : {"thank_you", "erase", "record"}) ASSERT_EQ(finish(admin_, record, key).status, 200) << key;

  // Kept through the erasure, for those who manage the person's offboarding only.
  auto kept = manager.get("/api/v1/offboardings/" + id(record) + "/archive");
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(kept.json()["contact"]["name"], kName);
  EXPECT_EQ(kept.json()["contact"]["emails"][0], kEmail);
  EXPECT_EQ(kept.json()["contact"]["phones"][0], kPhone);
  EXPECT_EQ(login("cust@other.test").get("/api/v1/offboardings/" + id(record) + "/archive").status, 404);
  EXPECT_EQ(li.get("/api/v1/offboardings/" + id(record) + "/archive").status, 403);
  EXPECT_EQ(admin_.get("/api/v1/users/" + id(zhao_)).json()["name"].get<std::string>().rfind("Former user ", 0), 0u);

  // Their uploads went, files and all; the content someone else attached stayed.
  EXPECT_EQ(admin_.get("/api/v1/attachments/" + id(only_zhao)).status, 404);
  EXPECT_EQ(admin_.get("/api/v1/attachments/" + id(shared_zhao)).status, 404);
  auto still = li.get("/api/v1/attachments/" + id(shared_li));
  EXPECT_EQ(still.status, 200);
  EXPECT_EQ(still.body, "SHARED-CONTENT");
  EXPECT_EQ(files_on_disk(), files_before - 1) << "only the content nobody else attached is removed";

  // Thirty days on, the beat deletes what was kept.
  server_.clock().advance(std::chrono::hours(24 * 30) + std::chrono::minutes(1));
  auto expired = usecase::expire_person_archives(server_.services());
  ASSERT_TRUE(expired) << expired.error().message;
  EXPECT_EQ(*expired, 1);
  EXPECT_EQ(login("manager@club.test").get("/api/v1/offboardings/" + id(record) + "/archive").status, 404);
  EXPECT_TRUE(rows_naming({kName, kEmail, "13800137799", kPhone}).empty());
}

TEST_P(OffboardingTest, AReturningPersonKeepsTheTrainingTheyPassed) {
  auto training = admin_.post("/api/v1/trainings", {{"title", "Safety"},
                                                    {"questions", {{{"text", "Drive after drinking?"}, {"choices", {"Yes", "No"}}, {"answer", 1}}}},
                                                    {"pass_mark", 1}})
                      .json();
  auto path = "/api/v1/trainings/" + id(training) + "/attempts";
  auto zhao = login(kEmail);
  ASSERT_TRUE(zhao.post(path, {{"answers", {1}}}).json()["passed"].get<bool>());
  auto record = admin_.post("/api/v1/users/" + id(zhao_) + "/offboarding", {{"reason", "left"}}).json();
  for (auto key : {"communicate", "open_work", "assets", "archive", "thank_you", "erase"}) ASSERT_EQ(finish(admin_, record, key).status, 200);
  EXPECT_TRUE(rows_naming({kEmail}).empty()) << "remembered only under a keyed pseudonym";

  create_user("ZHAO.erase@club.test", "user", id(club_), "Passw0rd-test!", {{"name", "Zhao again"}});
  auto back = login("zhao.erase@club.test");
  EXPECT_TRUE(back.get(path).json()["passed"].get<bool>()) << "not made to repeat it";
  create_user("new@club.test", "user", id(club_));
  EXPECT_FALSE(login("new@club.test").get(path).json()["passed"].get<bool>());
}

TEST_P(OffboardingTest, AnotherOrganisationLearnsNothingOfSomeoneWhoLeft) {
  auto training = admin_.post("/api/v1/trainings", {{"title", "Safety"},
                                                    {"questions", {{{"text", "Drive after drinking?"}, {"choices", {"Yes", "No"}}, {"answer", 1}}}},
                                                    {"pass_mark", 1}})
                      .json();
  auto path = "/api/v1/trainings/" + id(training) + "/attempts";
  ASSERT_TRUE(login(kEmail).post(path, {{"answers", {1}}}).json()["passed"].get<bool>());
  // A text of another organisation that happens to use the same words stays as it is.
  auto other_user = create_user("wu@other.test", "user", id(other_));
  auto theirs = login("wu@other.test").post("/api/v1/tickets", {{"type", "incident"}, {"subject", "About ZHAOERASE Lan"}, {"description", "x"}}).json();
  auto record = admin_.post("/api/v1/users/" + id(zhao_) + "/offboarding", {{"reason", "left"}}).json();
  for (auto key : {"communicate", "open_work", "assets", "archive", "thank_you", "erase"}) ASSERT_EQ(finish(admin_, record, key).status, 200);
  EXPECT_EQ(admin_.get("/api/v1/tickets/" + id(theirs)).json()["subject"], "About ZHAOERASE Lan");
  // Joining another organisation with the same address restores nothing.
  create_user(kEmail, "user", id(other_), "Passw0rd-test!", {{"name", "Zhao elsewhere"}});
  EXPECT_FALSE(login(kEmail).get(path).json()["passed"].get<bool>());
  // The erased record cannot be brought back to life.
  auto erased = admin_.get("/api/v1/users/" + id(zhao_));
  auto patched = admin_.patch("/api/v1/users/" + id(zhao_), {{"active", true}}, erased.header("etag"));
  EXPECT_EQ(patched.status, 409);
  EXPECT_EQ(patched.error_code(), "erased");
  EXPECT_EQ(finish(admin_, record, "erase").status, 200) << "done again changes nothing";
  (void)other_user;
}

TEST_P(OffboardingTest, OnlyThoseWhoManageThePersonMayOffboardThem) {
  auto other = login("cust@other.test");
  auto li = login("li@club.test");
  auto manager = login("manager@club.test");
  auto before = audit_count();
  EXPECT_EQ(other.post("/api/v1/users/" + id(zhao_) + "/offboarding", {{"reason", "not mine"}}).status, 404);
  EXPECT_EQ(li.post("/api/v1/users/" + id(zhao_) + "/offboarding", {{"reason", "not mine"}}).status, 403);
  EXPECT_EQ(manager.post("/api/v1/users/" + id(manager_) + "/offboarding", {{"reason", "me"}}).status, 409);
  auto staff = admin_.get("/api/v1/me").json();
  EXPECT_EQ(manager.post("/api/v1/users/" + id(staff) + "/offboarding", {{"reason", "staff"}}).status, 404);
  EXPECT_EQ(manager.post("/api/v1/users/" + id(zhao_) + "/offboarding", Json::object()).status, 422);
  EXPECT_EQ(audit_count(), before);

  auto record = manager.post("/api/v1/users/" + id(zhao_) + "/offboarding", {{"reason", "left"}}).json();
  EXPECT_EQ(other.get("/api/v1/offboardings/" + id(record)).status, 404);
  EXPECT_EQ(li.get("/api/v1/offboardings/" + id(record)).status, 403);
  EXPECT_EQ(other.get("/api/v1/offboardings").json()["items"].size(), 0u);
  EXPECT_EQ(finish(other, record, "archive").status, 404);
  // Assets: the other organisation neither sees nor hands out the club's.
  auto key = manager.post("/api/v1/assets", {{"name", "Badge"}, {"kind", "badge"}, {"assigned_to", id(manager_)}});
  ASSERT_EQ(key.status, 201) << key.body;
  EXPECT_EQ(other.get("/api/v1/assets/" + id(key.json())).status, 404);
  EXPECT_EQ(other.post("/api/v1/assets/" + id(key.json()) + "/transitions", {{"to", "returned"}}).status, 404);
  EXPECT_EQ(li.post("/api/v1/assets/" + id(key.json()) + "/transitions", {{"to", "returned"}}).status, 403);
  EXPECT_EQ(li.post("/api/v1/assets", {{"name", "x"}, {"kind", "badge"}, {"assigned_to", id(manager_)}}).status, 403);
  EXPECT_EQ(admin_.get("/api/v1/assets/" + id(key.json())).json()["state"], "assigned") << "none of the refused calls changed it";
  EXPECT_EQ(other.post("/api/v1/assets", {{"name", "x"}, {"kind", "badge"}, {"assigned_to", id(zhao_)}}).status, 422);
  EXPECT_EQ(li.get("/api/v1/assets").json()["items"].size(), 0u) << "a user sees what they hold";
  EXPECT_EQ(manager.get("/api/v1/assets").json()["items"].size(), 1u);
}

TEST_P(OffboardingTest, ApprovalCommentsThatNameThePersonAreRedactedEachByItsOwnKey) {
  auto service = admin_.post("/api/v1/services", {{"name", "Cars"}}).json();
  ASSERT_EQ(admin_.post("/api/v1/entitlements", {{"service_id", id(service)}, {"organization_id", id(club_)}}).status, 201);
  auto type = admin_.post("/api/v1/request-types", {{"service_id", id(service)}, {"name", "Long rental"},
                                                     {"approval", {{"steps", Json::array({{{"approver", "customer"}}, {{"approver", "customer"}}})}}}});
  ASSERT_EQ(type.status, 201) << type.body;
  auto request = login(kEmail).post("/api/v1/requests", {{"request_type_id", id(type.json())}});
  ASSERT_EQ(request.status, 201) << request.body;
  auto path = "/api/v1/requests/" + id(request.json()) + "/approvals";
  auto manager = login("manager@club.test");
  ASSERT_EQ(manager.post(path, {{"decision", "approve"}, {"comment", std::string("Fine for ") + kName}}).status, 200);
  ASSERT_EQ(manager.post(path, {{"decision", "approve"}, {"comment", "Second step: budget checked"}}).status, 200);
  auto record = admin_.post("/api/v1/users/" + id(zhao_) + "/offboarding", {{"reason", "left"}}).json();
  for (auto key : {"communicate", "open_work", "assets", "archive", "thank_you", "erase"}) ASSERT_EQ(finish(admin_, record, key).status, 200);
  std::vector<std::string> comments;
  auto read = server_.services().db.read([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto rows, c.query("SELECT comment FROM request_approvals WHERE ticket_id = ? ORDER BY step",
                                        {id(request.json())}));
    for (const auto& r : rows) comments.push_back(r.text(0));
    return {};
  });
  ASSERT_TRUE(read);
  auto former = admin_.get("/api/v1/offboardings/" + id(record)).json()["facts"]["erasure"]["former_name"].get<std::string>();
  EXPECT_EQ(comments, (std::vector<std::string>{"Fine for " + former, "Second step: budget checked"}))
      << "the other step's comment is its own";
}

// OFF-1 inside the provider: a member of staff who leaves gives back their work — each ticket
// assigned to them goes to the colleague named, or back to its team's queue, by an internal entry.
TEST_P(OffboardingTest, AStaffLeaversAssignmentsGoToAColleagueOrBackToTheQueue) {
  auto leaving = create_user("leaving.agent@provider.test", "agent");
  auto colleague = create_user("colleague@provider.test", "agent");
  auto li = login("li@club.test");
  std::vector<std::string> tickets;
  for (auto subject : {"Gate card", "Booking app"}) {
    auto t = li.post("/api/v1/tickets", {{"type", "incident"}, {"subject", subject}, {"description", "x"}});
    ASSERT_EQ(t.status, 201) << t.body;
    tickets.push_back(id(t.json()));
    auto assigned = admin_.patch("/api/v1/tickets/" + tickets.back(), {{"assignee_id", id(leaving)}}, t.header("etag"));
    ASSERT_EQ(assigned.status, 200) << assigned.body;
  }
  auto record = admin_.post("/api/v1/users/" + id(leaving) + "/offboarding", {{"reason", "moved on"}});
  ASSERT_EQ(record.status, 201) << record.body;
  EXPECT_EQ(record.json()["facts"]["assigned_work"].size(), 2u);
  // Named: a colleague, never someone of a customer.
  EXPECT_EQ(problems(finish(admin_, record.json(), "open_work", {{"handover_to", id(manager_)}})).count("handover_to"), 1u);
  EXPECT_EQ(admin_.get("/api/v1/tickets/" + tickets[0]).json()["assignee_id"], id(leaving)) << "nothing moved";
  auto done = finish(admin_, record.json(), "open_work", {{"handover_to", id(colleague)}});
  ASSERT_EQ(done.status, 200) << done.body;
  for (const auto& t : tickets) EXPECT_EQ(admin_.get("/api/v1/tickets/" + t).json()["assignee_id"], id(colleague));
  auto timeline = admin_.get("/api/v1/tickets/" + tickets[0] + "/timeline").json()["items"];
  bool internal_entry = false;
  for (const auto& e : timeline) internal_entry = internal_entry || (e["kind"] == "handed_over" && e["public"] == false);
  EXPECT_TRUE(internal_entry) << timeline.dump();
  auto seen_by_li = li.get("/api/v1/tickets/" + tickets[0] + "/timeline");
  ASSERT_EQ(seen_by_li.status, 200) << seen_by_li.body;
  auto requester_view = seen_by_li.json()["items"];
  ASSERT_FALSE(requester_view.empty());
  for (const auto& e : requester_view) EXPECT_NE(e["kind"], "handed_over") << "who works it is the desk's business";

  // Nobody named: back to the queue.
  auto other = create_user("other.leaver@provider.test", "agent");
  auto t = li.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Charging card"}, {"description", "x"}});
  ASSERT_EQ(admin_.patch("/api/v1/tickets/" + id(t.json()), {{"assignee_id", id(other)}}, t.header("etag")).status, 200);
  auto second = admin_.post("/api/v1/users/" + id(other) + "/offboarding", {{"reason", "moved on"}}).json();
  ASSERT_EQ(finish(admin_, second, "open_work").status, 200);
  EXPECT_TRUE(admin_.get("/api/v1/tickets/" + id(t.json())).json()["assignee_id"].is_null());
}

INSTANTIATE_TEST_SUITE_P(Stores, OffboardingTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
