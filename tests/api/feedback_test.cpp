// FDB-1, DESK-8, OPS-1, FDB-4 on every store. People rate the tickets that served them, from the
// portal or from the resolution mail's one-click link (signed, single-use, expiring); a low
// rating is a moment of truth that opens one recovery task however often it repeats. Reports
// come as JSON, CSV and XLSX holding the same figures (the workbook read back with a real
// reader), with formulas written as text, and a customer sees its own organisation's only. Each
// service has a public status page and an Atom feed, its availability computed from incidents.
#include <set>

#include <unistd.h>

#include "api/api_fixture.h"
#include "api/workbook.h"
#include "channels/mail.h"
#include "channels/smtp.h"
#include "domain/migration/csv.h"
#include "support/mail_servers.h"
#include "usecase/mail_out.h"
#include "usecase/ratings.h"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kFormula = "=HYPERLINK(\"http://evil.example/p\",\"click\")";

// Mail out on, with the portal's public address its links point at; it is sent only where a test
// hands it to the test mail servers.
TestServerOptions with_mail_out() {
  TestServerOptions o;
  o.mail_out = usecase::MailOut{true, "support@desk.test", "Campus Desk", "https://desk.test"};
  return o;
}

class FeedbackTest : public ApiTest {
 protected:
  FeedbackTest() : ApiTest(with_mail_out()) {}

  void SetUp() override {
    campus_ = create_org("Campus 甲大学");
    other_ = create_org("Other Co");
    create_user("ann@a.test", "user", id(campus_));
    create_user("ada@a.test", "user", id(campus_));
    create_user("dean@a.test", "customer", id(campus_));
    create_user("bob@b.test", "user", id(other_));
    lead_user_ = create_user("lead@p.test", "agent");
    create_user("agent@p.test", "agent");
    ann_ = login("ann@a.test");
    ada_ = login("ada@a.test");
    dean_ = login("dean@a.test");
    bob_ = login("bob@b.test");
    agent_ = login("agent@p.test");
    auto team = admin_.post("/api/v1/teams", {{"name", "Desk"}, {"member_ids", {id(lead_user_)}}, {"lead_id", id(lead_user_)}});
    ASSERT_EQ(team.status, 201) << team.body;
    team_ = team.json();
  }

  Json raise(HttpClient& who, const std::string& subject, const std::string& type = "incident") {
    auto r = who.post("/api/v1/tickets", {{"type", type}, {"subject", subject}, {"description", "details"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  HttpResponse move(const Json& t, const std::string& to, Json extra = Json::object()) {
    extra["to"] = to;
    return agent_.post("/api/v1/tickets/" + id(t) + "/transitions", extra);
  }
  void resolve(const Json& t) {
    ASSERT_EQ(move(t, "in_progress").status, 200);
    auto r = move(t, "resolved", {{"resolution", "Replaced and tested"}});
    ASSERT_EQ(r.status, 200) << r.body;
  }
  void give_to_team(const Json& t) {
    auto now = agent_.get("/api/v1/tickets/" + id(t)).json();
    ASSERT_EQ(agent_.patch("/api/v1/tickets/" + id(t), {{"team_id", id(team_)}}, now["etag"]).status, 200);
  }
  HttpResponse rate(HttpClient& who, const Json& t, Json score, Json extra = Json::object()) {
    extra["ticket_id"] = t["id"];
    extra["score"] = score;
    return who.post("/api/v1/ratings", extra);
  }
  Json tasks_of(const Json& t, const std::string& status = "") {
    auto r = agent_.get("/api/v1/recovery-tasks?ticket_id=" + id(t) + (status.empty() ? "" : "&status=" + status));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["items"];
  }
  std::string link_for(const Json& t, const std::string& user_id) {
    auto key = usecase::rating_link_key(server_.services());
    EXPECT_TRUE(key.has_value());
    return usecase::rating_link_token(server_.services(), key.value_or(""), id(t), user_id);
  }
  std::string ann_id() { return ann_.get("/api/v1/me").json()["id"].get<std::string>(); }
  HttpResponse post_form(HttpClient& who, const std::string& path, const std::string& form) {
    return who.request("POST", path, form, {{"Content-Type", "application/x-www-form-urlencoded"}});
  }

  Json campus_, other_, lead_user_, team_;
  HttpClient ann_{0}, ada_{0}, dean_{0}, bob_{0}, agent_{0};
};

TEST_P(FeedbackTest, ThePersonServedRatesOnceResolvedAndRatingAgainReplacesTheScore) {
  auto t = raise(ann_, "VPN client install");
  EXPECT_EQ(rate(ann_, t, 4).status, 409) << "not resolved yet";
  resolve(t);

  auto before = audit_count();
  for (Json bad : {Json(0), Json(6), Json("five"), Json(nullptr)}) EXPECT_EQ(rate(ann_, t, bad).status, 422) << bad.dump();
  EXPECT_EQ(rate(ann_, t, 4, {{"touchpoint", "lunch"}}).status, 422);
  EXPECT_EQ(rate(ann_, t, 4, {{"comment", std::string(2001, 'x')}}).status, 422);
  EXPECT_EQ(rate(ann_, t, 4, {{"colour", "red"}}).status, 422);
  auto anonymous = server_.client();
  EXPECT_EQ(rate(anonymous, t, 5).status, 401);
  EXPECT_EQ(rate(bob_, t, 5).status, 404) << "another organisation's ticket does not exist for Bob";
  EXPECT_EQ(rate(ada_, t, 5).status, 404) << "a colleague does not read Ann's ticket";
  auto dean = rate(dean_, t, 5);
  EXPECT_EQ(dean.status, 403) << "the customer reads it, but it did not serve them: " << dean.body;
  EXPECT_EQ(audit_count(), before) << "refused ratings write nothing";

  auto first = rate(ann_, t, 4);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json()["score"], 4);
  EXPECT_EQ(first.json()["touchpoint"], "resolution");
  EXPECT_EQ(first.json()["via"], "portal");
  auto again = rate(ann_, t, 5, {{"comment", "  很满意，谢谢！ "}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["id"], first.json()["id"]);
  EXPECT_EQ(again.json()["version"], 2);
  EXPECT_EQ(again.json()["comment"], "很满意，谢谢！");

  auto listed = agent_.get("/api/v1/ratings?ticket_id=" + id(t)).json()["items"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["score"], 5);
  EXPECT_EQ(ann_.get("/api/v1/ratings").json()["items"].size(), 1u);
  EXPECT_EQ(dean_.get("/api/v1/ratings").json()["items"].size(), 1u) << "a customer reads its organisation's ratings";
  EXPECT_TRUE(bob_.get("/api/v1/ratings").json()["items"].empty());
  EXPECT_TRUE(ada_.get("/api/v1/ratings").json()["items"].empty()) << "a plain user reads their own only";
  EXPECT_TRUE(tasks_of(t).empty()) << "a good rating is no moment of truth";
}

TEST_P(FeedbackTest, ALowRatingOpensOneRecoveryTaskForTheTeamWhateverHowOftenItRepeats) {
  auto t = raise(ann_, "Printer toner");
  give_to_team(t);
  resolve(t);
  auto rated_at = server_.clock().now();
  ASSERT_EQ(rate(ann_, t, 1).status, 201);
  auto tasks = tasks_of(t);
  ASSERT_EQ(tasks.size(), 1u) << tasks.dump();
  EXPECT_EQ(tasks[0]["signal"], "rating_low");
  EXPECT_EQ(tasks[0]["team"], team_["id"]);
  EXPECT_EQ(tasks[0]["assignee_id"], lead_user_["id"]);
  EXPECT_EQ(tasks[0]["status"], "open");
  EXPECT_EQ(tasks[0]["due"], to_rfc3339(std::chrono::floor<std::chrono::milliseconds>(rated_at) + 8h));

  server_.clock().advance(1s);
  ASSERT_EQ(rate(ann_, t, 2).status, 200);
  ASSERT_EQ(rate(ann_, t, 1).status, 200);
  EXPECT_EQ(tasks_of(t).size(), 1u) << "the signal repeats; the task does not";

  // Once the task is done, the next low rating is a new moment.
  auto lead = login("lead@p.test");
  ASSERT_EQ(lead.post("/api/v1/recovery-tasks/" + tasks[0]["id"].get<std::string>() + "/completion", {{"note", "Called Ann"}}).status, 200);
  server_.clock().advance(1s);
  ASSERT_EQ(rate(ann_, t, 2).status, 200);
  EXPECT_EQ(tasks_of(t, "open").size(), 1u);
  EXPECT_EQ(tasks_of(t).size(), 2u);

  // A complaint opens its task once; a reopen repeated opens one.
  auto complaint = raise(bob_, "The technician came five hours late", "complaint");
  EXPECT_EQ(tasks_of(complaint).size(), 1u);
  EXPECT_EQ(tasks_of(complaint)[0]["signal"], "complaint");
  auto reopened = raise(bob_, "Screen flickers");
  resolve(reopened);
  for (int i = 0; i < 2; ++i) {
    server_.clock().advance(1s);
    auto back = bob_.post("/api/v1/tickets/" + id(reopened) + "/transitions", {{"to", "in_progress"}});
    ASSERT_EQ(back.status, 200) << back.body;
    ASSERT_EQ(move(reopened, "resolved", {{"resolution", "Again"}}).status, 200);
  }
  auto reopen_tasks = tasks_of(reopened);
  ASSERT_EQ(reopen_tasks.size(), 1u) << reopen_tasks.dump();
  EXPECT_EQ(reopen_tasks[0]["signal"], "reopen");
  EXPECT_EQ(agent_.get("/api/v1/recovery-tasks?ticket_id=" + id(reopened) + "&status=done").json()["items"].size(), 0u);
}

TEST_P(FeedbackTest, EachSignalOpensOneTaskHoweverOftenItRepeats) {
  auto signals = [&](const Json& t) {
    std::multiset<std::string> out;
    for (const auto& task : tasks_of(t)) out.insert(task["signal"].get<std::string>());
    return out;
  };
  // Negative words in a new ticket (Chinese), then in replies (English, twice): one task.
  auto angry = raise(bob_, "充电桩又坏了，太差了");
  EXPECT_EQ(signals(angry), (std::multiset<std::string>{"negative_sentiment"}));
  for (auto words : {"This is unacceptable.", "Still unacceptable, I am fed up."})
    ASSERT_EQ(bob_.post("/api/v1/tickets/" + id(angry) + "/comments", {{"body", words}}).status, 201);
  EXPECT_EQ(signals(angry), (std::multiset<std::string>{"negative_sentiment"}));
  EXPECT_NE(agent_.get("/api/v1/tickets/" + id(angry) + "/timeline").body.find("太差了"), std::string::npos)
      << "the timeline names the words that gave the signal";
  // Staff writing such words is no signal; neutral words are none.
  auto calm = raise(ada_, "The projector in room 2 is not working");
  ASSERT_EQ(agent_.post("/api/v1/tickets/" + id(calm) + "/comments", {{"body", "Unacceptable that the bulb failed; replacing it."}}).status, 201);
  EXPECT_TRUE(signals(calm).empty());

  // Ada back within a week of her ticket's resolution is a repeated contact; back ten days
  // after, not; a second ticket while the first is open, not.
  auto busy = raise(ada_, "Room 3 needs a whiteboard");
  EXPECT_TRUE(signals(busy).empty()) << "the projector's ticket is still open";
  resolve(calm);
  server_.clock().advance(std::chrono::days(2));
  agent_ = login("agent@p.test");
  ada_ = login("ada@a.test");
  auto again = raise(ada_, "Projector in room 2 again");
  EXPECT_EQ(signals(again), (std::multiset<std::string>{"repeat_contact"}));
  EXPECT_NE(agent_.get("/api/v1/tickets/" + id(again) + "/timeline").body.find(id(calm)), std::string::npos);
  // Raised for Ada by the desk: about her all the same.
  auto ada_id = ada_.get("/api/v1/me").json()["id"];
  auto phoned = agent_.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Called about room 2"}, {"description", "x"},
                                                {"on_behalf_of", ada_id}, {"channel", "phone"}});
  ASSERT_EQ(phoned.status, 201) << phoned.body;
  EXPECT_EQ(signals(phoned.json()), (std::multiset<std::string>{"repeat_contact"}));
  server_.clock().advance(std::chrono::days(8));
  agent_ = login("agent@p.test");
  ada_ = login("ada@a.test");
  bob_ = login("bob@b.test");
  EXPECT_TRUE(signals(raise(ada_, "Room 4 is cold")).empty()) << "resolved ten days ago";

  // An override is one too.
  auto admin_session = server_.admin();
  auto overridden = raise(bob_, "Duplicate of my other ticket");
  auto closed = admin_session.post("/api/v1/overrides", {{"rule", "workflow.transition"}, {"target_id", id(overridden)},
                                                          {"reason_code", "other"}, {"justification", "Raised twice; closing the copy."},
                                                          {"to", "closed"}});
  ASSERT_EQ(closed.status, 201) << closed.body;
  EXPECT_TRUE(signals(overridden).contains("override")) << tasks_of(overridden).dump();
}

// With the test mail servers: the resolution mail goes through Postfix into Dovecot and carries a
// link per score; the one read back rates the ticket.
TEST_P(FeedbackTest, TheResolutionMailCarriesTheOneClickLinks) {
  auto mta = mail_servers();
  if (!mta) GTEST_SKIP() << "needs the test mail servers (make test starts them)";
  // Unique mailboxes: Dovecot keeps its mail between tests.
  auto mailbox = "rater" + std::to_string(::getpid()) + (GetParam() == "sqlite" ? "s" : "p") + "@customer.test";
  create_user(mailbox, "user", id(campus_));
  auto rater = login(mailbox);
  auto t = raise(rater, "Door card does not open room 5");
  resolve(t);
  channels::SmtpMailSender relay({"smtp://127.0.0.1:" + std::to_string(mta->smtp)}, server_.clock());
  auto sent = usecase::send_outgoing_mail(server_.services(), relay);
  ASSERT_TRUE(sent) << sent.error().message;
  std::optional<std::string> raw;
  ASSERT_TRUE(eventually([&] { return (raw = imap_fetch(mta->imap, mailbox, 1)).has_value(); }));
  auto read = channels::read_mail(*raw);
  ASSERT_TRUE(read);
  auto at = read->text.find("https://desk.test/r/");
  ASSERT_NE(at, std::string::npos) << read->text;
  EXPECT_NE(read->text.find("?score=1"), std::string::npos);
  auto link = read->text.substr(at + std::string("https://desk.test").size());
  link = link.substr(0, link.find("?score="));
  auto anonymous = server_.client();
  ASSERT_EQ(anonymous.get(link + "?score=4").status, 200);
  ASSERT_EQ(post_form(anonymous, link, "score=4").status, 200);
  auto ratings = agent_.get("/api/v1/ratings?ticket_id=" + id(t)).json()["items"];
  ASSERT_EQ(ratings.size(), 1u);
  EXPECT_EQ(ratings[0]["via"], "link");
}

TEST_P(FeedbackTest, TheOneClickLinkRatesOnlyWhenConfirmedOnceAndUntilItExpires) {
  auto t = raise(ann_, "Projector bulb");
  resolve(t);
  auto anonymous = server_.client();
  auto token = link_for(t, ann_id());

  auto page = anonymous.get("/r/" + token + "?score=2");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.header("content-type").find("text/html"), std::string::npos);
  EXPECT_NE(page.body.find("Projector bulb"), std::string::npos);
  EXPECT_NE(page.body.find("value=\"2\" checked"), std::string::npos) << "the score clicked in the mail is chosen";
  EXPECT_TRUE(agent_.get("/api/v1/ratings?ticket_id=" + id(t)).json()["items"].empty()) << "opening the link rates nothing";

  auto bad = post_form(anonymous, "/r/" + token, "score=9");
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("role=\"alert\""), std::string::npos);
  EXPECT_TRUE(agent_.get("/api/v1/ratings?ticket_id=" + id(t)).json()["items"].empty());

  auto done = post_form(anonymous, "/r/" + token, "score=2&comment=%E5%A4%AA%E6%85%A2%E4%BA%86+too+slow");
  ASSERT_EQ(done.status, 200) << done.body;
  auto ratings = agent_.get("/api/v1/ratings?ticket_id=" + id(t)).json()["items"];
  ASSERT_EQ(ratings.size(), 1u);
  EXPECT_EQ(ratings[0]["score"], 2);
  EXPECT_EQ(ratings[0]["via"], "link");
  EXPECT_EQ(ratings[0]["comment"], "太慢了 too slow");
  EXPECT_EQ(tasks_of(t).size(), 1u) << "a low rating by link is a moment of truth too";

  EXPECT_EQ(post_form(anonymous, "/r/" + token, "score=5").status, 410) << "single use";
  EXPECT_EQ(anonymous.get("/r/" + token).status, 410);

  // Tampered with: another person's id in the same signature.
  auto tampered = token;
  auto dot = tampered.find('.');
  tampered.replace(dot + 1, tampered.find('.', dot + 1) - dot - 1, "usr_someoneelse");
  EXPECT_EQ(anonymous.get("/r/" + tampered).status, 404);
  EXPECT_EQ(post_form(anonymous, "/r/" + tampered, "score=1").status, 404);
  EXPECT_EQ(anonymous.get("/r/not-a-token").status, 404);

  // Expired after 14 days.
  auto later = raise(ann_, "Second monitor");
  resolve(later);
  auto old_link = link_for(later, ann_id());
  server_.clock().advance(std::chrono::days(usecase::kRatingLinkDays) + 1s);
  EXPECT_EQ(anonymous.get("/r/" + old_link).status, 410);
  EXPECT_EQ(post_form(anonymous, "/r/" + old_link, "score=4").status, 410);
  ann_ = login("ann@a.test");
  agent_ = login("agent@p.test");
  EXPECT_TRUE(agent_.get("/api/v1/ratings?ticket_id=" + id(later)).json()["items"].empty());

  // A link to a ticket reopened since is refused until it is resolved again.
  auto reopened = raise(ann_, "Keyboard");
  resolve(reopened);
  auto link = link_for(reopened, ann_id());
  ASSERT_EQ(ann_.post("/api/v1/tickets/" + id(reopened) + "/transitions", {{"to", "in_progress"}}).status, 200);
  EXPECT_EQ(post_form(anonymous, "/r/" + link, "score=4").status, 409);
}

TEST_P(FeedbackTest, MergingADuplicateMovesItsRatings) {
  auto dup = create_user("ann.h@a.test", "user", id(campus_));
  auto twin = login("ann.h@a.test");
  auto t = raise(twin, "Locker key");
  resolve(t);
  ASSERT_EQ(rate(twin, t, 3).status, 201);
  auto merged = admin_.post("/api/v1/users/" + ann_id() + "/merge", {{"from_user_id", id(dup)}});
  ASSERT_EQ(merged.status, 200) << merged.body;
  auto mine = ann_.get("/api/v1/ratings").json()["items"];
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0]["user_id"], ann_id());
  EXPECT_EQ(rate(ann_, t, 4).status, 200) << "Ann's rating now, replaced by Ann";
}

TEST_P(FeedbackTest, TheFirstAnswerIsATouchpointRankedByItsEffectOnTheResolutionsScore) {
  auto mine = raise(ann_, "Badge reader beeps");
  EXPECT_EQ(rate(ann_, mine, 5, {{"touchpoint", "first_response"}}).status, 409) << "nobody has answered yet";
  ASSERT_EQ(agent_.post("/api/v1/tickets/" + id(mine) + "/comments", {{"body", "Internal: check the log"}, {"public", false}}).status, 201);
  auto internal_only = rate(ann_, mine, 5, {{"touchpoint", "first_response"}});
  EXPECT_EQ(internal_only.status, 409) << "a note is no answer";
  EXPECT_EQ(internal_only.error_code(), "not_answered");
  ASSERT_EQ(agent_.post("/api/v1/tickets/" + id(mine) + "/comments", {{"body", "Try holding it longer."}, {"public", true}}).status, 201);
  ASSERT_EQ(rate(ann_, mine, 5, {{"touchpoint", "first_response"}}).status, 201) << "rated before the resolution";
  resolve(mine);
  ASSERT_EQ(rate(ann_, mine, 5).status, 201);

  server_.clock().advance(1s);
  auto theirs = raise(ada_, "Heating in lab 3");
  ASSERT_EQ(agent_.post("/api/v1/tickets/" + id(theirs) + "/comments", {{"body", "Noted."}, {"public", true}}).status, 201);
  ASSERT_EQ(rate(ada_, theirs, 1, {{"touchpoint", "first_response"}}).status, 201);
  bool low = false;
  for (const auto& task : tasks_of(theirs)) low = low || task["signal"] == "rating_low";
  EXPECT_TRUE(low) << "a poor first answer is a moment of truth too";
  resolve(theirs);
  ASSERT_EQ(rate(ada_, theirs, 2).status, 201);
  server_.clock().advance(1s);

  auto report = agent_.get("/api/v1/reports/touchpoints");
  ASSERT_EQ(report.status, 200) << report.body;
  auto rows = report.json()["touchpoints"];
  ASSERT_EQ(rows.size(), 2u) << report.body;
  EXPECT_EQ(rows[0]["touchpoint"], "first_response") << "ranked first: it swings the resolution's score";
  EXPECT_EQ(rows[0]["paired"], 2);
  EXPECT_EQ(rows[0]["resolution_after_good"], 5);
  EXPECT_EQ(rows[0]["resolution_after_poor"], 2);
  EXPECT_EQ(rows[0]["swing"], 3);
  EXPECT_EQ(rows[1]["touchpoint"], "resolution");
  EXPECT_TRUE(rows[1]["swing"].is_null());
  auto csv = agent_.get("/api/v1/reports/touchpoints?format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("first_response"), std::string::npos);
  EXPECT_EQ(bob_.get("/api/v1/reports/touchpoints").status, 403);
  auto campus = dean_.get("/api/v1/reports/touchpoints");
  ASSERT_EQ(campus.status, 200) << "the campus's customer reads its own";
  EXPECT_EQ(campus.json()["touchpoints"][0]["paired"], 2);
}

TEST_P(FeedbackTest, ReportsComeAsCsvAndXlsxHoldingTheJsonFiguresWithFormulasAsText) {
  auto cal = admin_.post("/api/v1/calendars", {{"name", "24x7"}, {"time_zone", "Asia/Shanghai"}, {"always_open", true},
                                              {"hours", Json::object()}, {"holidays", Json::array()}, {"extra_working_days", Json::array()}});
  ASSERT_EQ(cal.status, 201) << cal.body;
  auto policy = admin_.post("/api/v1/sla-policies", {{"name", kFormula}, {"calendar_id", cal.json()["id"]}, {"order", 1},
                                                    {"conditions", {{"type", {"incident"}}}},
                                                    {"targets", {{"first_response", 60}, {"resolution", 480}}}});
  ASSERT_EQ(policy.status, 201) << policy.body;
  auto mine = raise(ann_, "+SUM(A1:A9) printer");
  raise(ann_, "Wi-Fi in room 2");
  auto theirs = raise(bob_, "Projector OTHERMARK");
  resolve(mine);
  server_.clock().advance(1h);
  auto now = server_.clock().now();
  auto period = "from=" + url_quoted(to_rfc3339(now - 24h)) + "&to=" + url_quoted(to_rfc3339(now + 1s));

  auto json = agent_.get("/api/v1/reports/sla?" + period);
  ASSERT_EQ(json.status, 200) << json.body;
  auto groups = json.json()["groups"];
  ASSERT_EQ(groups.size(), 1u) << json.body;
  EXPECT_EQ(groups[0]["name"], kFormula) << "the JSON holds the name as written";
  auto orgs = groups[0]["organizations"];
  ASSERT_EQ(orgs.size(), 2u) << json.body;
  std::map<std::string, Json> by_org;
  for (const auto& o : orgs) by_org[o["id"].get<std::string>()] = o;
  EXPECT_EQ(by_org[id(campus_)]["tickets"], 2);
  EXPECT_EQ(by_org[id(campus_)]["name"], "Campus 甲大学");
  EXPECT_EQ(by_org[id(other_)]["tickets"], 1);

  auto csv = agent_.get("/api/v1/reports/sla?" + period + "&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.header("content-type").rfind("text/csv", 0), 0u);
  EXPECT_NE(csv.header("content-disposition").find("attachment; filename=\"sla-"), std::string::npos);
  auto records = migration::parse_csv(csv.body);
  ASSERT_TRUE(records.has_value());
  ASSERT_EQ(records->size(), 3u) << csv.body;  // the header, a row per organisation
  const auto& header = (*records)[0];
  auto column = [&](std::string_view name) { return std::size_t(std::ranges::find(header, name) - header.begin()); };
  for (std::size_t i = 1; i < records->size(); ++i) {
    const auto& row = (*records)[i];
    EXPECT_EQ(row[column("name")], std::string("'") + kFormula) << "a formula is written as text";
    const auto& figures = by_org.at(row[column("organization_id")]);
    EXPECT_EQ(row[column("organization")], figures["name"]);
    EXPECT_TRUE(same_cell(row[column("tickets")], figures["tickets"]));
    for (auto metric : {"first_response", "resolution"}) {
      const auto& target = figures["targets"][metric];
      for (auto part : {"met", "breached", "open", "attainment"})
        EXPECT_TRUE(same_cell(row[column(std::string(metric) + "_" + part)], target[part])) << metric << "_" << part << ": " << csv.body;
    }
  }

  auto xlsx = agent_.get("/api/v1/reports/sla?" + period + "&format=xlsx");
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(xlsx.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  auto book = read_workbook(xlsx.body);
  ASSERT_TRUE(book.is_object()) << "openpyxl reads the workbook";
  EXPECT_TRUE(book["formulas"].empty()) << book["formulas"].dump();
  auto sheet = book["sheets"]["SLA by organization"];
  ASSERT_EQ(sheet.size(), records->size()) << book.dump();
  for (std::size_t r = 0; r < records->size(); ++r)
    for (std::size_t c = 0; c < header.size(); ++c)
      EXPECT_TRUE(same_cell((*records)[r][c], sheet[r][c])) << "row " << r << ", " << header[c] << ": " << sheet[r][c].dump();
  EXPECT_TRUE(book["sheets"].contains("SLA")) << "the groups and total on a sheet of their own";

  // A customer's files hold its organisation only; a plain user reads no report.
  for (auto format : {"json", "csv", "xlsx"}) {
    auto theirs_seen = dean_.get("/api/v1/reports/sla?" + period + "&format=" + format);
    ASSERT_EQ(theirs_seen.status, 200) << format << ": " << theirs_seen.body;
    auto text = std::string(format) == "xlsx" ? read_workbook(theirs_seen.body).dump() : theirs_seen.body;
    EXPECT_EQ(text.find(id(other_)), std::string::npos) << format;
    EXPECT_EQ(text.find("Other Co"), std::string::npos) << format;
    EXPECT_NE(text.find(id(campus_)), std::string::npos) << format;
  }
  (void)theirs;
  EXPECT_EQ(ann_.get("/api/v1/reports/sla?" + period + "&format=csv").status, 403);
  auto wrong = agent_.get("/api/v1/reports/sla?" + period + "&format=pdf");
  EXPECT_EQ(wrong.status, 422);
  EXPECT_TRUE(problems(wrong).contains("format")) << wrong.body;
}

TEST_P(FeedbackTest, TheSatisfactionReportCountsScoresPerGroupOrganisationAndDay) {
  auto a1 = raise(ann_, "Laptop slow");
  auto a2 = raise(ann_, "Mail bounced");
  auto b1 = raise(bob_, "Printer jam");
  give_to_team(a1);
  give_to_team(b1);
  for (const auto* t : {&a1, &a2, &b1}) resolve(*t);
  ASSERT_EQ(rate(ann_, a1, 5).status, 201);
  ASSERT_EQ(rate(ann_, a2, 2).status, 201);
  ASSERT_EQ(rate(bob_, b1, 4).status, 201);
  server_.clock().advance(1min);
  auto now = server_.clock().now();
  auto period = "from=" + url_quoted(to_rfc3339(now - 48h)) + "&to=" + url_quoted(to_rfc3339(now));

  auto by_team = agent_.get("/api/v1/reports/satisfaction?" + period + "&group_by=team");
  ASSERT_EQ(by_team.status, 200) << by_team.body;
  auto report = by_team.json();
  EXPECT_EQ(report["total"]["responses"], 3);
  EXPECT_EQ(report["total"]["satisfied"], 2);
  EXPECT_DOUBLE_EQ(report["total"]["csat"].get<double>(), 0.6667);
  EXPECT_DOUBLE_EQ(report["total"]["mean"].get<double>(), 3.6667);
  ASSERT_EQ(report["groups"].size(), 2u);
  EXPECT_EQ(report["groups"][0]["key"], team_["id"]) << "most ratings first";
  EXPECT_EQ(report["groups"][0]["name"], "Desk");
  EXPECT_EQ(report["groups"][0]["by_score"]["5"], 1);
  EXPECT_EQ(report["groups"][0]["by_score"]["4"], 1);
  EXPECT_EQ(report["groups"][0]["organizations"].size(), 2u);
  EXPECT_EQ(report["groups"][1]["key"], "none");
  auto first_day = std::chrono::floor<std::chrono::days>(now - 48h);
  auto last_day = std::chrono::floor<std::chrono::days>(now - 1ms);
  ASSERT_EQ(report["days"].size(), std::size_t((last_day - first_day).count() + 1)) << "every day the 48 hours touch";
  std::int64_t per_day = 0;
  for (const auto& d : report["days"]) per_day += d["responses"].get<std::int64_t>();
  EXPECT_EQ(per_day, 3);

  auto csv = agent_.get("/api/v1/reports/satisfaction?" + period + "&group_by=team&format=csv");
  ASSERT_EQ(csv.status, 200);
  auto records = migration::parse_csv(csv.body);
  ASSERT_TRUE(records.has_value());
  ASSERT_EQ(records->size(), 4u) << csv.body;  // Desk × 2 organisations, none × 1
  EXPECT_EQ((*records)[0][0], "team");
  EXPECT_EQ((*records)[0][4], "responses");
  auto book = read_workbook(agent_.get("/api/v1/reports/satisfaction?" + period + "&group_by=team&format=xlsx").body);
  ASSERT_TRUE(book.is_object());
  for (auto sheet : {"Satisfaction by organization", "Satisfaction", "Days"}) EXPECT_TRUE(book["sheets"].contains(sheet)) << sheet;
  EXPECT_EQ(book["sheets"]["Satisfaction by organization"].size(), records->size());

  auto theirs = dean_.get("/api/v1/reports/satisfaction?" + period + "&group_by=organization");
  ASSERT_EQ(theirs.status, 200) << theirs.body;
  EXPECT_EQ(theirs.json()["total"]["responses"], 2) << "the customer counts Campus's ratings only";
  EXPECT_EQ(theirs.body.find(id(other_)), std::string::npos);
  EXPECT_EQ(theirs.json()["groups"][0]["name"], "Campus 甲大学");
  EXPECT_EQ(dean_.get("/api/v1/reports/satisfaction?" + period + "&group_by=agent").status, 422) << "by agent is for staff";
  EXPECT_EQ(ann_.get("/api/v1/reports/satisfaction?" + period).status, 403);
  auto bad = agent_.get("/api/v1/reports/satisfaction?group_by=mood&format=doc&colour=red");
  EXPECT_EQ(bad.status, 422);
  auto named = problems(bad);
  for (auto field : {"group_by", "format", "colour"}) EXPECT_TRUE(named.contains(field)) << field << bad.body;
}

TEST_P(FeedbackTest, EveryServiceHasAPublicStatusPageAndFeedWithItsAvailability) {
  auto made = admin_.post("/api/v1/services", {{"name", {{"en", "Campus Wi-Fi"}, {"zh-CN", "校园无线网络"}}}});
  ASSERT_EQ(made.status, 201) << made.body;
  auto wifi = made.json();
  EXPECT_EQ(wifi["slug"], "campus-wi-fi");
  auto twin = admin_.post("/api/v1/services", {{"name", {{"en", "Campus WI-FI!"}}}});
  EXPECT_EQ(twin.json()["slug"], "campus-wi-fi-2") << "a made slug is numbered, not refused";
  auto chinese = admin_.post("/api/v1/services", {{"name", {{"zh-CN", "一卡通"}}}});
  EXPECT_EQ(chinese.json()["slug"], chinese.json()["id"]) << "no English letters: addressed by its id";
  EXPECT_EQ(admin_.post("/api/v1/services", {{"name", {{"en", "X"}}}, {"slug", "Bad Slug"}}).status, 422);
  auto taken = admin_.post("/api/v1/services", {{"name", {{"en", "Y"}}}, {"slug", "campus-wi-fi"}});
  EXPECT_EQ(taken.status, 422);
  EXPECT_TRUE(problems(taken).contains("slug")) << taken.body;
  auto renamed = admin_.patch("/api/v1/services/" + id(twin.json()), {{"slug", "wifi-guest"}}, twin.json()["etag"]);
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json()["slug"], "wifi-guest");

  auto anonymous = server_.client();
  auto page = anonymous.get("/status/campus-wi-fi");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.header("content-type").find("text/html"), std::string::npos);
  EXPECT_NE(page.body.find("Campus Wi-Fi"), std::string::npos);
  EXPECT_NE(page.body.find("Operational"), std::string::npos);
  EXPECT_NE(page.body.find("100%"), std::string::npos);
  EXPECT_EQ(anonymous.get("/status/" + id(wifi)).status, 200) << "by id too";
  auto zh = anonymous.request("GET", "/status/campus-wi-fi", "", {{"Accept-Language", "zh-CN,zh;q=0.9"}});
  EXPECT_NE(zh.body.find("校园无线网络"), std::string::npos);
  EXPECT_NE(zh.body.find("运行正常"), std::string::npos);
  EXPECT_EQ(anonymous.get("/status/no-such-service").status, 404);

  // Two major incidents overlap (3h–1h and 2h–30min ago: 2.5 hours down); the first is told in
  // two updates, the second ended. A notice for one organisation stays off the public page.
  auto incident = [&](const std::string& subject) {
    auto t = raise(agent_, subject);
    EXPECT_EQ(agent_.patch("/api/v1/tickets/" + id(t), {{"major_incident", true}}, t["etag"]).status, 200);
    return t;
  };
  auto publish = [&](Json body) {
    server_.clock().advance(1s);  // the newest update is the one published last
    body["service_id"] = wifi["id"];
    auto drafted = agent_.post("/api/v1/broadcasts", body);
    EXPECT_EQ(drafted.status, 201) << drafted.body;
    auto b = drafted.json();
    auto r = agent_.request("POST", "/api/v1/broadcasts/" + id(b) + "/publish", "{}",
                            {{"Content-Type", "application/json"}, {"If-Match", b["etag"].get<std::string>()}});
    EXPECT_EQ(r.status, 200) << r.body;
  };
  auto now = server_.clock().now();
  auto first = incident("Wi-Fi down in the library");
  auto second = incident("Wi-Fi down in the dorms");
  auto text = [](const std::string& en) { return Json{{"en", en}, {"zh-CN", en + "（中文）"}}; };
  publish({{"kind", "major_incident"}, {"ticket_id", first["id"]}, {"title", text("Library Wi-Fi down FIRSTMARK")},
           {"body", text("We are on it <b>now</b>")}, {"starts_at", to_rfc3339(now - 3h)}});
  publish({{"kind", "major_incident"}, {"ticket_id", second["id"]}, {"title", text("Dorm Wi-Fi down")},
           {"body", text("Controller restarted")}, {"starts_at", to_rfc3339(now - 2h)}, {"ends_at", to_rfc3339(now - 30min)}});
  publish({{"kind", "notice"}, {"organization_ids", {id(campus_)}}, {"title", text("Only for Campus PRIVATEMARK")},
           {"body", text("x")}});
  page = anonymous.get("/status/campus-wi-fi");
  EXPECT_NE(page.body.find("Major outage"), std::string::npos) << "the library's incident is still running";
  EXPECT_NE(page.body.find("FIRSTMARK"), std::string::npos);
  EXPECT_NE(page.body.find("We are on it &lt;b&gt;now&lt;/b&gt;"), std::string::npos) << "text, never markup";
  EXPECT_EQ(page.body.find("PRIVATEMARK"), std::string::npos);

  publish({{"kind", "major_incident"}, {"ticket_id", first["id"]}, {"title", text("Library Wi-Fi back")},
           {"body", text("Fixed")}, {"starts_at", to_rfc3339(now - 3h)}, {"ends_at", to_rfc3339(now - 1h)}});
  page = anonymous.get("/status/campus-wi-fi");
  EXPECT_NE(page.body.find("Operational"), std::string::npos) << "the newest update ended it: " << page.body;
  // Down from 3h to 30min ago, counted once: 2.5 of 90 × 24 hours.
  EXPECT_NE(page.body.find("99.884%"), std::string::npos) << page.body;

  auto feed = anonymous.get("/status/campus-wi-fi.atom");
  ASSERT_EQ(feed.status, 200);
  EXPECT_EQ(feed.header("content-type").rfind("application/atom+xml", 0), 0u);
  EXPECT_NE(feed.body.find("<feed xmlns=\"http://www.w3.org/2005/Atom\""), std::string::npos);
  EXPECT_NE(feed.body.find("Library Wi-Fi back"), std::string::npos);
  EXPECT_EQ(feed.body.find("PRIVATEMARK"), std::string::npos);
  auto entries = 0;
  for (auto at = feed.body.find("<entry>"); at != std::string::npos; at = feed.body.find("<entry>", at + 1)) ++entries;
  EXPECT_EQ(entries, 3);

  // 91 days on, the incidents are out of the window, the one told in two updates too (its first
  // update, without an end, does not bring it back).
  server_.clock().advance(std::chrono::days(91));
  page = anonymous.get("/status/campus-wi-fi");
  EXPECT_NE(page.body.find("Operational"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("100%"), std::string::npos) << page.body;
  admin_ = server_.admin();

  // A retired service has no page.
  auto wifi_now = admin_.get("/api/v1/services/" + id(wifi)).json();
  ASSERT_EQ(admin_.patch("/api/v1/services/" + id(wifi), {{"active", false}}, wifi_now["etag"]).status, 200);
  EXPECT_EQ(anonymous.get("/status/campus-wi-fi").status, 404);
}

INSTANTIATE_TEST_SUITE_P(Stores, FeedbackTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
