// Enablement requirements over HTTP on every store (ONB-8): an administrator defines a licence;
// an entitlement rule needs it; the catalog tells a person it is missing, by name and in their
// language, and a request is refused 403 not_eligible listing it; the person gives evidence,
// an agent rejects it with a reason, then approves the next for the requirement's validity; the
// item becomes eligible. (Expiry and renewal against the day are the domain's tests:
// requirement_test.cpp.) Staff waive the gate with an override. Nobody decides on their own
// evidence; no one reads another's.
#include "api/api_fixture.h"

#include "usecase/attachments.h"
#include "usecase/onboarding_plans.h"
#include "usecase/requirements.h"

namespace tandem::testing {
namespace {

class RequirementsTest : public ApiTest {
 protected:
  void SetUp() override {
    org_ = create_org("Car club");
    other_ = create_org("Other club");
    user_ = create_user("driver@c.test", "user", id(org_), "Passw0rd-test!", {{"language", "zh-CN"}});
    create_user("other@o.test", "user", id(other_));
    create_user("agent@p.test", "agent");
    auto service = admin_.post("/api/v1/services", {{"name", {{"en", "Car sharing"}, {"zh-CN", "共享汽车"}}}}).json();
    type_ = admin_.post("/api/v1/request-types", {{"service_id", id(service)}, {"name", "Book a car"}}).json();
    auto lic = admin_.post("/api/v1/requirements", {{"kind", "licence"}, {"category", "C1"}, {"validity_days", 365},
                                                    {"name", {{"en", "Driving licence"}, {"zh-CN", "驾驶证"}}}});
    EXPECT_EQ(lic.status, 201) << lic.body;
    licence_ = lic.json();
    auto rule = admin_.post("/api/v1/entitlements", {{"request_type_id", id(type_)}, {"organization_id", id(org_)},
                                                     {"requirement_ids", {id(licence_)}}});
    EXPECT_EQ(rule.status, 201) << rule.body;
  }

  Json entry(HttpClient& c) {
    auto cat = c.get("/api/v1/catalog").json();
    for (const auto& section : cat["items"])
      for (const auto& t : section["request_types"])
        if (t["id"] == id(type_)) return t;
    return Json();
  }
  std::string status(HttpClient& c) {
    auto mine = c.get("/api/v1/me/requirements").json();
    for (const auto& item : mine["items"])
      if (item["requirement_id"] == id(licence_)) return item["status"];
    return "";
  }
  // Evidence as multipart/form-data: a file `name` of `bytes` and, when given, a note.
  HttpResponse give_file(HttpClient& c, const std::string& name, const std::string& bytes, std::optional<std::string> note = {},
                         const std::string& extra_part = "") {
    std::string body;
    if (note) body += "--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n" + *note + "\r\n";
    if (!extra_part.empty()) body += "--B\r\nContent-Disposition: form-data; name=\"" + extra_part + "\"\r\n\r\nx\r\n";
    body += "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name +
            "\"\r\nContent-Type: image/png\r\n\r\n" + bytes + "\r\n--B--\r\n";
    return c.request("POST", "/api/v1/requirements/" + id(licence_) + "/evidence", body,
                     {{"content-type", "multipart/form-data; boundary=B"}});
  }
  // ONB-4: a template whose one objective is the share of people who meet what is asked of them.
  static HttpResponse eligible_share_template(HttpClient& rm) {
    return rm.post("/api/v1/onboarding-templates",
                   {{"name", "Members"},
                    {"control_method", "project"},
                    {"objectives", {{{"key", "eligible"}, {"name", "Members able to book"}, {"metric", "share_of_users_eligible"}, {"target", 0.8}}}},
                    {"actions", {{{"key", "kickoff"}, {"title", "Kick-off"}, {"dimension", "organizations_people"}, {"performed_by", "provider"},
                                  {"owner_role", "relationship_manager"}, {"due_offset_days", 0}, {"depends_on", Json::array()}}}}});
  }
  HttpResponse book(HttpClient& c) { return c.post("/api/v1/requests", {{"request_type_id", id(type_)}, {"answers", Json::object()}}); }

  Json org_, other_, user_, type_, licence_;
};

TEST_P(RequirementsTest, EvidenceDecidedByAnAgentGatesTheCatalog) {
  auto driver = login("driver@c.test");
  auto agent = login("agent@p.test");
  auto before = entry(driver);
  EXPECT_FALSE(before["eligible"].get<bool>());
  ASSERT_EQ(before["missing"].size(), 1u) << before;
  EXPECT_EQ(before["missing"][0]["id"], id(licence_));
  EXPECT_EQ(before["missing"][0]["name"], "驾驶证") << "in the reader's language";
  EXPECT_EQ(before["missing"][0]["status"], "missing");
  EXPECT_EQ(status(driver), "missing");
  auto refused = book(driver);
  ASSERT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.json()["error"]["code"], "not_eligible");
  EXPECT_NE(refused.body.find(id(licence_) + ": 驾驶证"), std::string::npos) << refused.body;

  // Given, then rejected with a reason the person reads.
  auto given = driver.post("/api/v1/requirements/" + id(licence_) + "/evidence", {{"note", "照片 / photo"}});
  ASSERT_EQ(given.status, 201) << given.body;
  EXPECT_EQ(given.json()["status"], "pending");
  EXPECT_EQ(status(driver), "pending");
  EXPECT_EQ(entry(driver)["missing"][0]["status"], "pending");
  auto first = id(given.json());
  EXPECT_EQ(driver.post("/api/v1/evidence/" + first + "/decision", {{"decision", "approved"}, {"reason", "mine"}}).status, 403);
  auto bad = agent.post("/api/v1/evidence/" + first + "/decision", {{"decision", "maybe"}, {"reason", ""}, {"expires_on", "soon"}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  for (auto field : {"decision", "reason", "expires_on"}) EXPECT_TRUE(problems(bad).contains(field)) << field << bad.body;
  auto rejected = agent.post("/api/v1/evidence/" + first + "/decision", {{"decision", "rejected"}, {"reason", "照片模糊"}});
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(status(driver), "rejected");
  EXPECT_EQ(driver.get("/api/v1/me/requirements").json()["items"][0]["latest_evidence"]["reason"], "照片模糊");
  EXPECT_EQ(agent.post("/api/v1/evidence/" + first + "/decision", {{"decision", "approved"}, {"reason", "x"}}).json()["error"]["code"],
            "already_decided");

  // Given again and approved: met, eligible, the request goes through.
  auto second = id(driver.post("/api/v1/requirements/" + id(licence_) + "/evidence", {{"note", "clear photo"}}).json());
  auto queue = agent.get("/api/v1/evidence?status=pending").json()["items"];
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0]["id"], second);
  auto approved = agent.post("/api/v1/evidence/" + second + "/decision", {{"decision", "approved"}, {"reason", "valid"}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_FALSE(approved.json()["expires_on"].is_null()) << "the requirement's validity: 365 days";
  EXPECT_EQ(status(driver), "met");
  auto after = entry(driver);
  EXPECT_TRUE(after["eligible"].get<bool>()) << after;
  EXPECT_TRUE(after["missing"].empty());
  EXPECT_EQ(book(driver).status, 201);

  // Nobody else's: another user reads none of it, and cannot give evidence in their name.
  auto other = login("other@o.test");
  EXPECT_TRUE(other.get("/api/v1/me/requirements").json()["items"].empty());
  EXPECT_EQ(other.get("/api/v1/evidence").status, 403);
  EXPECT_EQ(agent.post("/api/v1/requirements/" + id(licence_) + "/evidence", {{"note", "x"}}).status, 403) << "staff give none";
}

TEST_P(RequirementsTest, RequirementsAreCheckedAndKeptWhileARuleNeedsThem) {
  auto before = audit_count();
  auto bad = admin_.post("/api/v1/requirements", {{"kind", "wizardry"}, {"validity_days", 0}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  for (auto field : {"name", "kind", "validity_days"}) EXPECT_TRUE(problems(bad).contains(field)) << field << bad.body;
  auto training = admin_.post("/api/v1/requirements", {{"kind", "training"}, {"name", "Safety"}});
  EXPECT_TRUE(problems(training).contains("training_id")) << training.body;
  auto rule = admin_.post("/api/v1/entitlements", {{"request_type_id", id(type_)}, {"requirement_ids", {"req_nothing"}}});
  EXPECT_TRUE(problems(rule).contains("requirement_ids")) << rule.body;
  EXPECT_EQ(audit_count(), before);
  auto kept = admin_.del("/api/v1/requirements/" + id(licence_));
  EXPECT_EQ(kept.status, 409) << kept.body;
  EXPECT_EQ(login("agent@p.test").post("/api/v1/requirements", {{"kind", "age"}, {"name", "18+"}}).status, 403);
  EXPECT_EQ(login("driver@c.test").get("/api/v1/requirements/" + id(licence_)).json()["name"], "驾驶证");
  // An inactive requirement asks nothing: nobody could meet it any more.
  auto driver = login("driver@c.test");
  EXPECT_FALSE(entry(driver)["eligible"].get<bool>());
  ASSERT_EQ(admin_.patch("/api/v1/requirements/" + id(licence_), {{"active", false}}, licence_["etag"]).status, 200);
  EXPECT_TRUE(entry(driver)["eligible"].get<bool>());
  EXPECT_TRUE(driver.get("/api/v1/me/requirements").json()["items"].empty());
}

// DESK-9: an agent may request for the person anyway, with a reason and a justification; the
// override is recorded.
TEST_P(RequirementsTest, AnAgentWaivesAMissingRequirementWithAnOverride) {
  auto agent = login("agent@p.test");
  auto plain = agent.post("/api/v1/requests", {{"request_type_id", id(type_)}, {"answers", Json::object()}, {"on_behalf_of", id(user_)}});
  EXPECT_EQ(plain.status, 403) << plain.body;
  auto codes = agent.get("/api/v1/override-reasons").json()["codes"];
  ASSERT_FALSE(codes.empty());
  auto waived = agent.post("/api/v1/requests", {{"request_type_id", id(type_)},
                                                {"answers", Json::object()},
                                                {"on_behalf_of", id(user_)},
                                                {"override", {{"rule", "eligibility"}, {"reason", codes[0]},
                                                              {"justification", "Licence seen at the desk; scan pending"}}}});
  ASSERT_EQ(waived.status, 201) << waived.body;
  auto report = admin_.get("/api/v1/overrides?rule=catalog.eligibility").json()["items"];
  ASSERT_EQ(report.size(), 1u) << report;
  EXPECT_EQ(report[0]["justification"], "Licence seen at the desk; scan pending");
}

// ONB-8: a reminder once, when the approval is within the requirement's reminder days of running
// out; after its last day the item is ineligible again (an injected clock moves the days).
TEST_P(RequirementsTest, AnApprovalIsRemindedOnceAndThenRunsOut) {
  using namespace std::chrono_literals;
  auto driver = login("driver@c.test");
  auto agent = login("agent@p.test");
  auto given = id(driver.post("/api/v1/requirements/" + id(licence_) + "/evidence", {{"note", "licence"}}).json());
  auto today = std::chrono::floor<std::chrono::days>(server_.clock().now());
  auto last = day_text(std::chrono::sys_days(today + std::chrono::days(40)));
  ASSERT_EQ(agent.post("/api/v1/evidence/" + given + "/decision", {{"decision", "approved"}, {"reason", "ok"}, {"expires_on", last}}).status, 200);
  auto remind = [&] {
    auto run = usecase::remind_expiring_requirements(server_.services());
    EXPECT_TRUE(run) << (run ? "" : run.error().message);
    return run ? *run : -1;
  };
  EXPECT_EQ(remind(), 0) << "40 days out, 30 days' notice";
  server_.clock().advance(24h * 11);
  EXPECT_EQ(remind(), 1);
  EXPECT_EQ(remind(), 0) << "once";
  driver = login("driver@c.test");  // the days moved on past the session's life
  auto read = driver.get("/api/v1/notifications");
  auto notes = read.json()["items"];
  ASSERT_EQ(notes.size(), 1u) << read.status << read.body;
  EXPECT_EQ(notes[0]["kind"], "requirement_expiring");
  EXPECT_EQ(notes[0]["requirement_id"], id(licence_));
  EXPECT_EQ(notes[0]["summary"], "您的“驾驶证”将于 " + last + " 到期，请在此之前提交新的证明。");
  EXPECT_EQ(status(driver), "met");
  server_.clock().advance(24h * 30);
  driver = login("driver@c.test");
  EXPECT_EQ(status(driver), "expired");
  EXPECT_FALSE(entry(driver)["eligible"].get<bool>());
  EXPECT_EQ(book(driver).status, 403);
}

// ONB-4: an onboarding plan's share of people eligible follows their evidence.
TEST_P(RequirementsTest, APlansShareOfEligiblePeopleFollowsTheirEvidence) {
  create_user("rm@p.test", "relationship_manager");
  auto rm = login("rm@p.test");
  auto t = eligible_share_template(rm);
  ASSERT_EQ(t.status, 201) << t.body;
  auto plan = rm.post("/api/v1/plans", {{"template_id", id(t.json())}, {"organization_id", id(org_)}, {"scenario", "new_organization"},
                                        {"start_date", "2026-01-05"}});
  ASSERT_EQ(plan.status, 201) << plan.body;
  auto path = "/api/v1/plans/" + id(plan.json());
  auto reading = [&] { return rm.get(path).json()["objectives"][0]; };
  EXPECT_DOUBLE_EQ(reading()["value"].get<double>(), 0.0);
  EXPECT_FALSE(reading()["met"].get<bool>());
  EXPECT_EQ(reading()["counts"], Json({{"eligible", 0}, {"people", 1}}));
  auto driver = login("driver@c.test");
  auto given = id(driver.post("/api/v1/requirements/" + id(licence_) + "/evidence", {{"note", "licence"}}).json());
  ASSERT_EQ(login("agent@p.test").post("/api/v1/evidence/" + given + "/decision", {{"decision", "approved"}, {"reason", "ok"}}).status, 200);
  // Shown as measured until the readings are a few minutes old and the beat measures them again.
  auto measured_at = rm.get(path).json()["objectives_measured_at"];
  EXPECT_DOUBLE_EQ(reading()["value"].get<double>(), 0.0) << "as measured when the plan was made";
  ASSERT_EQ(usecase::measure_plan_objectives(server_.services()).value().taken, 0) << "fresh readings are kept";
  server_.clock().advance(std::chrono::milliseconds(usecase::kObjectivesFreshForMs + 1000));
  rm = login("rm@p.test");
  ASSERT_EQ(usecase::measure_plan_objectives(server_.services()).value().measured, 1);
  EXPECT_DOUBLE_EQ(reading()["value"].get<double>(), 1.0);
  EXPECT_TRUE(reading()["met"].get<bool>());
  EXPECT_NE(rm.get(path).json()["objectives_measured_at"], measured_at);
}

// ONB-8: a photo of the licence as evidence. The giver and the provider's agents download it
// (always as an attachment, never rendered); nobody else learns it exists; the sweep of
// unreferenced files keeps it.
TEST_P(RequirementsTest, EvidenceMayBeAFileThatOnlyItsGiverAndTheAgentsRead) {
  auto driver = login("driver@c.test");
  auto agent = login("agent@p.test");
  auto other = login("other@o.test");
  auto before = audit_count();
  auto empty = give_file(driver, "licence.png", "");
  ASSERT_EQ(empty.status, 422) << empty.body;
  EXPECT_TRUE(problems(empty).contains("file"));
  auto stray = give_file(driver, "licence.png", "PNG", "note", "attachment_id");
  ASSERT_EQ(stray.status, 422) << stray.body;
  EXPECT_TRUE(problems(stray).contains("attachment_id"));
  auto no_file = driver.request("POST", "/api/v1/requirements/" + id(licence_) + "/evidence",
                                "--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhere\r\n--B--\r\n",
                                {{"content-type", "multipart/form-data; boundary=B"}});
  EXPECT_TRUE(problems(no_file).contains("file")) << no_file.body;
  EXPECT_EQ(audit_count(), before) << "refused evidence writes nothing";
  // Nor any file: a requirement that is not there, or met by a training, is refused before the
  // file is written.
  auto video = admin_.post("/api/v1/trainings", {{"title", "Safety video"},
                                                 {"content", {{{"kind", "video"}, {"url", "https://media.example.org/safety.mp4"}}}}});
  ASSERT_EQ(video.status, 201) << video.body;
  auto safety = admin_.post("/api/v1/requirements", {{"kind", "training"}, {"training_id", id(video.json())}, {"name", "Safety"}});
  ASSERT_EQ(safety.status, 201) << safety.body;
  auto files_before = files_on_disk();
  std::string body = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\n\r\nPNG bytes\r\n--B--\r\n";
  auto upload_to = [&](const std::string& requirement) {
    return driver.request("POST", "/api/v1/requirements/" + requirement + "/evidence", body, {{"content-type", "multipart/form-data; boundary=B"}});
  };
  EXPECT_EQ(upload_to("req_nothing").status, 404);
  EXPECT_EQ(upload_to(id(safety.json())).json()["error"]["code"], "met_by_training");
  EXPECT_EQ(give_file(driver, "x.png", "PNG", std::string("\xff\xfe bad", 6)).status, 422) << "a note that is not UTF-8";
  EXPECT_EQ(files_on_disk(), files_before);

  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + "licence pixels";
  auto given = give_file(driver, "../驾驶证.png", png, "正面 / front");
  ASSERT_EQ(given.status, 201) << given.body;
  auto evidence = given.json();
  EXPECT_EQ(evidence["note"], "正面 / front");
  ASSERT_TRUE(evidence["file"].is_object()) << evidence;
  EXPECT_EQ(evidence["file"]["name"], "驾驶证.png") << "no path in a stored name";
  EXPECT_EQ(evidence["file"]["size"], png.size());
  EXPECT_EQ(evidence["file"]["content_type"], "image/png") << "sniffed from the bytes";
  std::string url = evidence["file"]["url"];
  EXPECT_EQ(status(driver), "pending");

  for (auto* reader : {&driver, &agent}) {
    auto file = reader->get(url);
    ASSERT_EQ(file.status, 200) << file.body;
    EXPECT_EQ(file.body, png);
    EXPECT_NE(file.header("content-disposition").find("attachment"), std::string::npos);
    EXPECT_EQ(file.header("x-content-type-options"), "nosniff");
  }
  EXPECT_EQ(other.get(url).status, 404) << "another organisation's person";
  create_user("neighbour@c.test", "user", id(org_));
  EXPECT_EQ(login("neighbour@c.test").get(url).status, 404) << "another person of the same organisation";
  auto note_only = driver.post("/api/v1/requirements/" + id(licence_) + "/evidence", {{"note", "no file"}}).json();
  EXPECT_TRUE(note_only["file"].is_null());
  EXPECT_EQ(driver.get("/api/v1/evidence/" + id(note_only) + "/file").status, 404) << "evidence without a file";

  // A file only evidence refers to is kept by the sweep; a decision leaves it readable.
  auto swept = usecase::sweep_attachment_files(server_.services());
  ASSERT_TRUE(swept) << swept.error().message;
  EXPECT_EQ(swept->removed, 0);
  EXPECT_GE(swept->kept, 1);
  ASSERT_EQ(agent.post("/api/v1/evidence/" + id(evidence) + "/decision", {{"decision", "approved"}, {"reason", "清晰"}}).status, 200);
  EXPECT_EQ(driver.get(url).body, png);
  EXPECT_EQ(status(driver), "met");
}

// ONB-4: an organisation larger than a page of people is counted whole: 5,200 more members, none
// of whom gave evidence, bring the share down to 1 in 5,201 (more than the 5,000 once read).
TEST_P(RequirementsTest, AShareOfEligiblePeopleCountsEveryPersonOfALargeOrganisation) {
  create_user("rm@p.test", "relationship_manager");
  auto rm = login("rm@p.test");
  auto t = eligible_share_template(rm);
  ASSERT_EQ(t.status, 201) << t.body;
  auto driver = login("driver@c.test");
  auto given = id(driver.post("/api/v1/requirements/" + id(licence_) + "/evidence", {{"note", "licence"}}).json());
  ASSERT_EQ(login("agent@p.test").post("/api/v1/evidence/" + given + "/decision", {{"decision", "approved"}, {"reason", "ok"}}).status, 200);
  insert_people(id(org_), 5200, "member");
  auto plan = rm.post("/api/v1/plans", {{"template_id", id(t.json())}, {"organization_id", id(org_)}, {"scenario", "new_organization"},
                                        {"start_date", "2026-01-05"}});
  ASSERT_EQ(plan.status, 201) << plan.body;
  EXPECT_EQ(plan.json()["objectives"][0]["counts"], Json({{"eligible", 1}, {"people", 5201}}));
}

// ONB-8: evidence as JSON naming a file uploaded before (`attachment_id`): the caller's own
// upload of the last day, taken by the evidence as a request takes one; nobody else's.
TEST_P(RequirementsTest, EvidenceMayNameAFileUploadedBefore) {
  auto driver = login("driver@c.test");
  auto upload = [](HttpClient& c, const std::string& bytes) {
    return c.request("POST", "/api/v1/uploads",
                     "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"licence.pdf\"\r\n\r\n" + bytes + "\r\n--B--\r\n",
                     {{"content-type", "multipart/form-data; boundary=B"}});
  };
  auto mine = upload(driver, "%PDF-1.4 licence scan");
  ASSERT_EQ(mine.status, 201) << mine.body;
  auto path = "/api/v1/requirements/" + id(licence_) + "/evidence";
  auto given = driver.post(path, {{"attachment_id", id(mine.json())}});
  ASSERT_EQ(given.status, 201) << given.body;
  EXPECT_EQ(given.json()["file"]["name"], "licence.pdf");
  EXPECT_EQ(driver.get(given.json()["file"]["url"].get<std::string>()).body, "%PDF-1.4 licence scan");
  EXPECT_TRUE(problems(driver.post(path, {{"attachment_id", id(mine.json())}})).contains("attachment_id")) << "taken once";

  create_user("other@c.test", "user", id(org_));
  auto neighbour = login("other@c.test");
  auto theirs = upload(neighbour, "someone else's scan");
  ASSERT_EQ(theirs.status, 201) << theirs.body;
  auto before = audit_count();
  EXPECT_TRUE(problems(driver.post(path, {{"attachment_id", id(theirs.json())}})).contains("attachment_id")) << "not theirs to give";
  EXPECT_TRUE(problems(driver.post(path, {{"attachment_id", "att_nothing"}})).contains("attachment_id"));
  EXPECT_TRUE(problems(driver.post(path, Json::object())).contains("note")) << "a note or a file";
  EXPECT_EQ(audit_count(), before);
}

// ONB-8: a person's evidence waiting for the desk is bounded (each may carry a file); a decision
// makes room again.
TEST_P(RequirementsTest, APersonHasAtMostTwentyPiecesOfEvidenceWaiting) {
  auto driver = login("driver@c.test");
  auto path = "/api/v1/requirements/" + id(licence_) + "/evidence";
  std::string first;
  for (int i = 0; i < usecase::kMaxPendingEvidence; ++i) {
    auto given = driver.post(path, {{"note", "photo " + std::to_string(i)}});
    ASSERT_EQ(given.status, 201) << given.body;
    if (first.empty()) first = id(given.json());
  }
  auto before = audit_count();
  auto refused = driver.post(path, {{"note", "one more"}});
  EXPECT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(audit_count(), before);
  ASSERT_EQ(login("agent@p.test").post("/api/v1/evidence/" + first + "/decision", {{"decision", "rejected"}, {"reason", "blurred"}}).status,
            200);
  EXPECT_EQ(driver.post(path, {{"note", "one more"}}).status, 201);
}

TEST_P(RequirementsTest, EveryRouteRefusesWhomItMust) {
  auto path = "/api/v1/requirements/" + id(licence_);
  auto given = id(login("driver@c.test").post(path + "/evidence", {{"note", "licence"}}).json());
  auto driver_session = login("driver@c.test");
  auto filed = id(give_file(driver_session, "l.png", "bytes").json());
  auto anonymous = server_.client();
  auto driver = login("driver@c.test");
  auto other = login("other@o.test");
  auto agent = login("agent@p.test");
  expect_answers({
      {"GET requirements", [&](HttpClient& c) { return c.get("/api/v1/requirements"); }, {{&anonymous, 401}, {&driver, 200}}},
      {"GET requirement", [&](HttpClient& c) { return c.get(path); }, {{&anonymous, 401}, {&driver, 200}}},
      {"POST requirement", [&](HttpClient& c) { return c.post("/api/v1/requirements", {{"kind", "age"}, {"name", "18+"}}); },
       {{&anonymous, 401}, {&driver, 403}, {&agent, 403}}},
      {"PATCH requirement", [&](HttpClient& c) { return c.patch(path, {{"category", "B"}}, licence_["etag"]); },
       {{&anonymous, 401}, {&driver, 403}, {&agent, 403}}},
      {"DELETE requirement", [&](HttpClient& c) { return c.del(path); }, {{&anonymous, 401}, {&driver, 403}, {&agent, 403}}},
      {"evidence", [&](HttpClient& c) { return c.post(path + "/evidence", {{"note", "x"}}); }, {{&anonymous, 401}, {&agent, 403}}},
      {"decision", [&](HttpClient& c) { return c.post("/api/v1/evidence/" + given + "/decision", {{"decision", "approved"}, {"reason", "x"}}); },
       {{&anonymous, 401}, {&driver, 403}, {&other, 403}}},
      {"queue", [&](HttpClient& c) { return c.get("/api/v1/evidence"); }, {{&anonymous, 401}, {&driver, 403}, {&other, 403}, {&agent, 200}}},
      {"mine", [&](HttpClient& c) { return c.get("/api/v1/me/requirements"); }, {{&anonymous, 401}, {&other, 200}}},
      {"evidence file", [&](HttpClient& c) { return c.get("/api/v1/evidence/" + filed + "/file"); },
       {{&anonymous, 401}, {&other, 404}, {&driver, 200}, {&agent, 200}}},
  });
}

INSTANTIATE_TEST_SUITE_P(Stores, RequirementsTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
