// Service desk core over HTTP on every store (DESK-1, DESK-2, DESK-6, REL-1, REL-6, OPS-2):
// the five query types, workflows, the timeline with internal notes, tenancy on every route and
// on the secondary paths (on_behalf_of, watchers, filters), stale writes, search.
#include <chrono>
#include <functional>
#include <filesystem>
#include <set>

#include "api/api_fixture.h"
#include <fstream>
#include "usecase/attachments.h"
#include "core/crypto.h"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;

class TicketsTest : public ApiTest {
 protected:
  void SetUp() override {
    a_ = create_org("Campus");
    b_ = create_org("Other Co");
    a1_ = create_user("a1@a.test", "user", a_["id"]);
    a2_ = create_user("a2@a.test", "user", a_["id"]);
    b1_ = create_user("b1@b.test", "user", b_["id"]);
    agent_ = create_user("agent@p.test", "agent");
  }

  static std::string id(const Json& j) { return j["id"].get<std::string>(); }
  static std::string path(const Json& ticket, const std::string& rest = "") { return "/api/v1/tickets/" + id(ticket) + rest; }

  Json raise(HttpClient& c, const std::string& subject, const std::string& description = "", const std::string& type = "incident",
             Json extra = Json::object()) {
    Json body = {{"type", type}, {"subject", subject}, {"description", description}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    auto r = c.post("/api/v1/tickets", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  HttpResponse move(HttpClient& c, const Json& ticket, const std::string& to, Json extra = Json::object()) {
    Json body = {{"to", to}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    return c.post(path(ticket, "/transitions"), body);
  }
  std::string timeline_text(HttpClient& c, const Json& ticket) {
    auto r = c.get(path(ticket, "/timeline?limit=500"));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body;
  }
  std::vector<std::string> search_ids(HttpClient& c, const std::string& q) {
    std::string escaped;
    for (unsigned char ch : q) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      escaped += buf;
    }
    auto r = c.get("/api/v1/search?q=" + escaped);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    auto page = r.json();
    for (const auto& hit : page["items"]) ids.push_back(hit["id"]);
    return ids;
  }
  // A multipart/form-data upload of `bytes` as `name`, optionally with a "public" part.
  HttpResponse upload(HttpClient& c, const Json& ticket, const std::string& name, const std::string& bytes,
                      std::optional<bool> is_public = std::nullopt) {
    std::string body;
    if (is_public) body += "--BOUNDARY\r\nContent-Disposition: form-data; name=\"public\"\r\n\r\n" + std::string(*is_public ? "true" : "false") + "\r\n";
    body += "--BOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name +
            "\"\r\nContent-Type: text/html\r\n\r\n" + bytes + "\r\n--BOUNDARY--\r\n";
    return c.request("POST", path(ticket, "/attachments"), body, {{"content-type", "multipart/form-data; boundary=BOUNDARY"}});
  }
  static bool contains(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

  Json a_, b_, a1_, a2_, b1_, agent_;
};

TEST_P(TicketsTest, EveryQueryTypeIsRaisedWithItsWorkflowsFirstStateAndANumber) {
  auto user = login("a1@a.test");
  std::int64_t last = 0;
  for (const auto* type : {"incident", "service_request", "complaint", "compliment", "consultation"}) {
    auto t = raise(user, std::string(type) + " 测试", "内容", type);
    EXPECT_EQ(t["type"], type);
    EXPECT_EQ(t["status"], "new");
    EXPECT_EQ(t["channel"], "portal");
    EXPECT_EQ(t["organization_id"], a_["id"]);
    EXPECT_EQ(t["requester_id"], a1_["id"]);
    EXPECT_GT(t["number"].get<std::int64_t>(), last);
    last = t["number"].get<std::int64_t>();
    EXPECT_EQ(t["etag"], "\"v1\"");
  }
}

TEST_P(TicketsTest, BadCreateBodiesAreRefusedFieldByFieldAndWriteNothing) {
  auto user = login("a1@a.test");
  auto before = audit_count();
  auto r = user.post("/api/v1/tickets", {{"type", "wish"}, {"subject", ""}, {"impact", "huge"}, {"colour", "red"}});
  EXPECT_EQ(r.status, 422) << r.body;
  std::set<std::string> fields;
  auto error = r.json();
  for (const auto& d : error["error"]["details"]) fields.insert(d["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"type", "impact", "colour"})) << r.body;
  auto blank = user.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "   "}});
  EXPECT_EQ(blank.status, 422);
  auto channel = user.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "x"}, {"channel", "phone"}});
  EXPECT_EQ(channel.status, 422) << "only staff record another channel";
  auto service = user.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "x"}, {"service_id", "svc_nothing"}});
  EXPECT_EQ(service.status, 422);
  EXPECT_EQ(audit_count(), before);
  EXPECT_TRUE(user.get("/api/v1/tickets").json()["items"].empty());
}

TEST_P(TicketsTest, IncidentWorkflowAllowsAndRefusesAsConfigured) {
  auto user = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto t = raise(user, "VPN down");
  auto closed = move(agent, t, "closed");
  EXPECT_EQ(closed.status, 409);
  EXPECT_EQ(closed.error_code(), "transition_not_allowed");
  EXPECT_EQ(move(user, t, "triaged").status, 403) << "the requester cannot triage";
  EXPECT_EQ(move(agent, t, "sleeping").status, 422);
  auto triaged = move(agent, t, "triaged");
  ASSERT_EQ(triaged.status, 200) << triaged.body;
  EXPECT_EQ(triaged.json()["status"], "triaged");
  EXPECT_EQ(triaged.header("etag"), "\"v2\"");
  ASSERT_EQ(move(agent, t, "in_progress").status, 200);
  auto no_note = move(agent, t, "resolved");
  EXPECT_EQ(no_note.status, 422);
  EXPECT_EQ(no_note.json()["error"]["details"][0]["field"], "resolution");
  auto resolved = move(agent, t, "resolved", {{"resolution", "Reinstalled the client"}});
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_FALSE(resolved.json()["resolved_at"].is_null());
  // The requester may close or reopen within the window.
  auto reopened = move(user, t, "in_progress");
  ASSERT_EQ(reopened.status, 200) << reopened.body;
  EXPECT_TRUE(reopened.json()["resolved_at"].is_null());
  ASSERT_EQ(move(agent, t, "resolved", {{"resolution", "Again"}}).status, 200);
  ASSERT_EQ(move(user, t, "closed").status, 200);
  EXPECT_EQ(move(user, t, "in_progress").status, 409) << "closed is final";
  // The timeline tells the story, resolution included.
  auto text = timeline_text(user, t);
  EXPECT_NE(text.find("Reinstalled the client"), std::string::npos);
  EXPECT_NE(text.find("\"reopened\":true"), std::string::npos);
}

TEST_P(TicketsTest, ReopenIsRefusedOnceTheWindowHasPassed) {
  auto user = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto t = raise(user, "Wi-Fi drops");
  ASSERT_EQ(move(agent, t, "in_progress").status, 200);
  ASSERT_EQ(move(agent, t, "resolved", {{"resolution", "New access point"}}).status, 200);
  server_.clock().advance(24h * 7 + 1min);
  user = login("a1@a.test");  // the test server's sessions last a day
  auto late = move(user, t, "in_progress");
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(late.error_code(), "transition_not_allowed");
  EXPECT_EQ(move(user, t, "closed").status, 200) << "closing stays possible";
}

TEST_P(TicketsTest, ComplaintsNeedTheRelationshipManagerAndARecoveryAction) {
  create_user("rm@p.test", "relationship_manager");
  auto user = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto rm = login("rm@p.test");
  auto t = raise(user, "Rude answer on the phone", "", "complaint");
  EXPECT_EQ(move(agent, t, "in_progress").status, 403);
  ASSERT_EQ(move(rm, t, "in_progress").status, 200);
  EXPECT_EQ(move(rm, t, "resolved", {{"resolution", "sorry"}}).status, 422);
  auto done = move(rm, t, "resolved", {{"recovery_action", "Apology call and a month free"}});
  EXPECT_EQ(done.status, 200) << done.body;
}

TEST_P(TicketsTest, ComplimentsAreCreditedToStaffOrATeam) {
  auto user = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto t = raise(user, "Thanks for the quick fix", "", "compliment");
  EXPECT_EQ(move(agent, t, "acknowledged").status, 422);
  EXPECT_EQ(move(agent, t, "acknowledged", {{"credited_to", id(a2_)}}).status, 422) << "a consumer is no credit target";
  auto ok = move(agent, t, "acknowledged", {{"credited_to", id(agent_)}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(timeline_text(user, t).find(id(agent_)), std::string::npos);
}

TEST_P(TicketsTest, InternalNotesNeverReachConsumersByAnyRoute) {
  auto user = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto t = raise(user, "打印机卡纸");
  ASSERT_EQ(agent.post(path(t, "/comments"), {{"body", "内部备注 SECRETNOTE 防火墙"}, {"public", false}}).status, 201);
  ASSERT_EQ(agent.post(path(t, "/comments"), {{"body", "请重启 PUBLICREPLY"}, {"public", true}}).status, 201);
  ASSERT_EQ(agent.post(path(t, "/calls"), {{"summary", "CALLSUMMARY discussed"}, {"duration_seconds", 300}}).status, 201);
  auto mine = timeline_text(user, t);
  EXPECT_NE(mine.find("PUBLICREPLY"), std::string::npos);
  EXPECT_EQ(mine.find("SECRETNOTE"), std::string::npos);
  EXPECT_EQ(mine.find("CALLSUMMARY"), std::string::npos) << "calls are internal unless made public";
  EXPECT_EQ(mine.find("rule_fired"), std::string::npos);
  EXPECT_EQ(user.get(path(t)).body.find("SECRETNOTE"), std::string::npos);
  EXPECT_TRUE(search_ids(user, "SECRETNOTE").empty());
  EXPECT_TRUE(search_ids(user, "防火墙").empty());
  EXPECT_TRUE(contains(search_ids(agent, "SECRETNOTE"), id(t)));
  EXPECT_TRUE(contains(search_ids(user, "PUBLICREPLY"), id(t)));
  auto staff_view = timeline_text(agent, t);
  EXPECT_NE(staff_view.find("SECRETNOTE"), std::string::npos);
  EXPECT_NE(staff_view.find("CALLSUMMARY"), std::string::npos);
  // Consumers cannot write internal notes or log calls.
  EXPECT_EQ(user.post(path(t, "/comments"), {{"body", "psst"}, {"public", false}}).status, 403);
  EXPECT_EQ(user.post(path(t, "/calls"), {{"summary", "x"}, {"duration_seconds", 1}}).status, 403);
}

TEST_P(TicketsTest, OtherOrganisationsCannotReachATicketByAnyRoute) {
  auto user = login("a1@a.test");
  auto other = login("b1@b.test");
  auto t = raise(user, "VPN times out from the dorm", "从宿舍无法连接VPN");
  auto before = audit_count();
  EXPECT_EQ(other.get(path(t)).status, 404);
  EXPECT_EQ(other.get(path(t, "/timeline")).status, 404);
  EXPECT_EQ(other.post(path(t, "/comments"), {{"body", "hi"}}).status, 404);
  EXPECT_EQ(other.post(path(t, "/transitions"), {{"to", "cancelled"}}).status, 404);
  EXPECT_EQ(other.patch(path(t), {{"subject", "mine now"}}, "\"v1\"").status, 404);
  EXPECT_EQ(other.post(path(t, "/calls"), {{"summary", "x"}, {"duration_seconds", 1}}).status, 403);
  EXPECT_TRUE(other.get("/api/v1/tickets").json()["items"].empty());
  EXPECT_TRUE(search_ids(other, "VPN").empty());
  EXPECT_TRUE(search_ids(other, "宿舍").empty());
  auto filter = other.get("/api/v1/tickets?organization_id=" + id(a_));
  EXPECT_EQ(filter.status, 422) << "a filter into another organisation is refused";
  EXPECT_EQ(audit_count(), before);
  // A colleague in the same organisation who is not involved does not see it either.
  auto colleague = login("a2@a.test");
  EXPECT_EQ(colleague.get(path(t)).status, 404);
  // Their organisation's customer does.
  create_user("cust@a.test", "customer", a_["id"]);
  EXPECT_EQ(login("cust@a.test").get(path(t)).status, 200);
}

TEST_P(TicketsTest, OnBehalfOfStaysInsideTheCallersReach) {
  auto rep_user = create_user("rep@a.test", "representative", a_["id"], "Passw0rd-test!", {{"represented_user_ids", {id(a1_)}}});
  auto rep = login("rep@a.test");
  auto t = raise(rep, "For my client", "", "incident", {{"on_behalf_of", id(a1_)}});
  EXPECT_EQ(t["on_behalf_of"], a1_["id"]);
  EXPECT_EQ(t["requester_id"], rep_user["id"]);
  EXPECT_EQ(t["organization_id"], a_["id"]);
  // The represented user sees it as theirs.
  auto a1 = login("a1@a.test");
  EXPECT_EQ(a1.get(path(t)).status, 200);
  // Not someone the representative does not represent, nor another organisation's user.
  EXPECT_EQ(rep.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "x"}, {"on_behalf_of", id(a2_)}}).status, 422);
  EXPECT_EQ(rep.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "x"}, {"on_behalf_of", id(b1_)}}).status, 422);
  // A plain user acts for nobody else.
  EXPECT_EQ(a1.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "x"}, {"on_behalf_of", id(a2_)}}).status, 422);
  // An agent logs a phone call for any user; the ticket lands in that user's organisation.
  auto agent = login("agent@p.test");
  auto phoned = raise(agent, "Called about billing", "", "consultation", {{"on_behalf_of", id(b1_)}, {"channel", "phone"}});
  EXPECT_EQ(phoned["organization_id"], b_["id"]);
  EXPECT_EQ(phoned["channel"], "phone");
  EXPECT_EQ(login("b1@b.test").get(path(phoned)).status, 200);
  EXPECT_EQ(a1.get(path(phoned)).status, 404);
}

TEST_P(TicketsTest, WatchersComeFromTheTicketsOrganisationOrStaff) {
  auto user = login("a1@a.test");
  auto t = raise(user, "Projector broken");
  auto refused = user.patch(path(t), {{"watchers", {id(b1_)}}}, t["etag"]);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.json()["error"]["details"][0]["field"], "watchers");
  auto ok = user.patch(path(t), {{"watchers", {id(a2_), id(agent_)}}}, t["etag"]);
  ASSERT_EQ(ok.status, 200) << ok.body;
  // The watching colleague now sees the ticket and may reply, but not move it.
  auto colleague = login("a2@a.test");
  EXPECT_EQ(colleague.get(path(t)).status, 200);
  EXPECT_EQ(colleague.post(path(t, "/comments"), {{"body", "Same here"}}).status, 201);
  EXPECT_EQ(move(colleague, t, "cancelled").status, 403);
}

TEST_P(TicketsTest, PatchNeedsAFreshETagAndConsumersChangeOnlyTheirOwnFields) {
  auto user = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto t = raise(user, "Slow laptop");
  auto etag = agent.get(path(t)).header("etag");
  auto first = agent.patch(path(t), {{"urgency", "high"}}, etag);
  ASSERT_EQ(first.status, 200) << first.body;
  auto stale = agent.patch(path(t), {{"urgency", "low"}}, etag);
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(agent.get(path(t)).json()["urgency"], "high") << "the stale write changed nothing";
  EXPECT_EQ(agent.request("PATCH", path(t), R"({"urgency":"low"})", {{"content-type", "application/merge-patch+json"}}).status, 428);
  auto priority = user.patch(path(t), {{"priority", "critical"}}, first.header("etag"));
  EXPECT_EQ(priority.status, 403);
  auto status = agent.patch(path(t), {{"status", "closed"}}, first.header("etag"));
  EXPECT_EQ(status.status, 422);
  auto subject = user.patch(path(t), {{"subject", "Very slow laptop"}}, first.header("etag"));
  ASSERT_EQ(subject.status, 200) << subject.body;
  EXPECT_EQ(subject.json()["subject"], "Very slow laptop");
  // A reply does not invalidate an ETag someone holds: nothing is lost, nothing refused.
  auto held = subject.header("etag");
  ASSERT_EQ(user.post(path(t, "/comments"), {{"body", "Still slow"}}).status, 201);
  EXPECT_EQ(agent.patch(path(t), {{"category", "hardware"}}, held).status, 200);
}

TEST_P(TicketsTest, AgentsAssignToStaffAndTeamsOnly) {
  auto user = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto team = admin_.post("/api/v1/teams", {{"name", "Network"}}).json();
  auto t = raise(user, "No network");
  auto bad = agent.patch(path(t), {{"assignee_id", id(a2_)}, {"team_id", "team_nothing"}}, t["etag"]);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json()["error"]["details"].size(), 2u) << bad.body;
  auto ok = agent.patch(path(t), {{"assignee_id", id(agent_)}, {"team_id", id(team)}, {"tags", {"network", "dorm"}}}, t["etag"]);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json()["assignee_id"], agent_["id"]);
  auto mine = agent.get("/api/v1/tickets?assignee_id=me");
  ASSERT_EQ(mine.json()["items"].size(), 1u);
  EXPECT_EQ(agent.get("/api/v1/tickets?tag=dorm").json()["items"].size(), 1u);
  EXPECT_EQ(agent.get("/api/v1/tickets?tag=dor").json()["items"].size(), 0u);
  EXPECT_EQ(agent.get("/api/v1/tickets?tag=Dorm").json()["items"].size(), 0u) << "tags match exactly on every store";
  EXPECT_EQ(agent.get("/api/v1/tickets?tag=%25").json()["items"].size(), 0u) << "no wildcards";
  auto cleared = agent.patch(path(t), {{"assignee_id", nullptr}}, ok.header("etag"));
  ASSERT_EQ(cleared.status, 200);
  EXPECT_TRUE(cleared.json()["assignee_id"].is_null());
  // Assignment is internal: the requester's timeline does not show it.
  EXPECT_EQ(timeline_text(user, t).find(id(agent_)), std::string::npos);
}

// Triage — category, team, assignee, tags — is the desk's own, as its changes are on the
// timeline: rules set it from users' flags (REL-6). Consumers neither read it back by any
// route nor filter by it.
TEST_P(TicketsTest, TriageStaysWithTheDeskOnEveryRouteAConsumerReadsBy) {
  auto user = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto team = admin_.post("/api/v1/teams", {{"name", "Care"}}).json();
  auto t = raise(user, "Wheelchair lift broken");
  auto triaged = agent.patch(path(t), {{"assignee_id", id(agent_)}, {"team_id", id(team)}, {"tags", {"vulnerable"}},
                                       {"category", "accessibility"}},
                             t["etag"]);
  ASSERT_EQ(triaged.status, 200) << triaged.body;
  EXPECT_EQ(triaged.json()["tags"], Json::array({"vulnerable"}));
  auto hidden = [&](const Json& seen) {
    return seen["category"] == "" && seen["team_id"].is_null() && seen["assignee_id"].is_null() && seen["tags"].empty();
  };
  EXPECT_TRUE(hidden(user.get(path(t)).json()));
  EXPECT_TRUE(hidden(user.get("/api/v1/tickets").json()["items"][0]));
  auto found = user.get("/api/v1/search?q=wheelchair").json()["items"];
  ASSERT_EQ(found.size(), 1u);
  for (const char* key : {"category", "team_id", "assignee_id", "tags"}) EXPECT_FALSE(found[0].contains(key)) << key;
  ASSERT_EQ(move(agent, t, "in_progress").status, 200);
  ASSERT_EQ(move(agent, t, "resolved", {{"resolution", "Reset the lift"}}).status, 200);
  auto reopened = move(user, t, "in_progress");
  ASSERT_EQ(reopened.status, 200) << reopened.body;
  EXPECT_TRUE(hidden(reopened.json()));
  auto edited = user.patch(path(t), {{"subject", "Wheelchair lift broken, floor 2"}}, user.get(path(t)).header("etag"));
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_TRUE(hidden(edited.json()));
  EXPECT_EQ(agent.get(path(t)).json()["tags"], Json::array({"vulnerable"})) << "a consumer's edit keeps the triage";
  for (const char* filter : {"team_id=" , "assignee_id=me", "tag=vulnerable"}) {
    auto q = std::string(filter) + (std::string(filter) == "team_id=" ? id(team) : "");
    auto refused = user.get("/api/v1/tickets?" + q);
    EXPECT_EQ(refused.status, 422) << q;
  }
  EXPECT_TRUE(hidden(raise(user, "Another one")));
  EXPECT_EQ(agent.get("/api/v1/tickets?tag=vulnerable").json()["items"].size(), 1u);
}

TEST_P(TicketsTest, PriorityComesFromTheMatrixAndVulnerableUsersAreRaisedWithAnExplanation) {
  create_user("frail@a.test", "user", a_["id"], "Passw0rd-test!", {{"flags", {"priority_repair"}}});
  auto frail = login("frail@a.test");
  auto user = login("a1@a.test");
  auto plain = raise(user, "Boiler", "", "incident", {{"impact", "high"}, {"urgency", "medium"}});
  EXPECT_EQ(plain["priority"], "high");
  auto raised = raise(frail, "Boiler", "", "incident", {{"impact", "high"}, {"urgency", "medium"}});
  EXPECT_EQ(raised["priority"], "critical");
  auto agent = login("agent@p.test");
  auto staff_view = timeline_text(agent, raised);
  EXPECT_NE(staff_view.find("impact_urgency_matrix"), std::string::npos);
  EXPECT_NE(staff_view.find("flag:priority_repair"), std::string::npos);
  // Changing urgency recomputes it.
  auto lower = agent.patch(path(plain), {{"urgency", "low"}}, plain["etag"]);
  ASSERT_EQ(lower.status, 200);
  EXPECT_EQ(lower.json()["priority"], "medium");
  // A priority set by hand stays when impact and urgency are sent unchanged.
  auto by_hand = agent.patch(path(plain), {{"priority", "critical"}}, lower.header("etag"));
  ASSERT_EQ(by_hand.status, 200);
  auto same = agent.patch(path(plain), {{"urgency", "low"}, {"impact", "high"}}, by_hand.header("etag"));
  ASSERT_EQ(same.status, 200);
  EXPECT_EQ(same.json()["priority"], "critical");
}

// DESK-1: the workflows a client reads are the ones the server enforces — the moves it lists
// for a requester are made, one it does not list is refused.
TEST_P(TicketsTest, WorkflowsListTheMovesTheServerAllows) {
  EXPECT_EQ(server_.client().get("/api/v1/workflows").status, 401);
  auto user = login("a1@a.test");
  auto listed = user.get("/api/v1/workflows");
  ASSERT_EQ(listed.status, 200);
  auto body = listed.json();
  Json incident;
  std::set<std::string> types;
  for (const auto& w : body["items"]) {
    types.insert(w["type"].get<std::string>());
    if (w["type"] == "incident") incident = w;
  }
  EXPECT_EQ(types, (std::set<std::string>{"complaint", "compliment", "consultation", "incident", "service_request"}));
  ASSERT_TRUE(incident.is_object());
  EXPECT_EQ(incident["initial"], "new");
  std::set<std::string> by_requester_from_new, needs_to_resolve;
  for (const auto& t : incident["transitions"]) {
    auto performers = t["performers"].get<std::vector<std::string>>();
    if (t["from"] == "new" && std::ranges::count(performers, "requester")) by_requester_from_new.insert(t["to"].get<std::string>());
    if (t["from"] == "in_progress" && t["to"] == "resolved")
      for (const auto& n : t["needs"]) needs_to_resolve.insert(n.get<std::string>());
  }
  EXPECT_EQ(by_requester_from_new, (std::set<std::string>{"cancelled"}));
  EXPECT_EQ(needs_to_resolve, (std::set<std::string>{"resolution"}));
  auto t = raise(user, "Projector");
  EXPECT_EQ(move(user, t, "triaged").status, 403) << "not listed for the requester";
  EXPECT_EQ(move(user, t, "cancelled").status, 200);
}

TEST_P(TicketsTest, ARequesterReplyMovesAWaitingTicketBackToWork) {
  auto user = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto t = raise(user, "Need more info");
  ASSERT_EQ(move(agent, t, "in_progress").status, 200);
  ASSERT_EQ(move(agent, t, "waiting_for_user").status, 200);
  ASSERT_EQ(user.post(path(t, "/comments"), {{"body", "Here it is"}}).status, 201);
  EXPECT_EQ(user.get(path(t)).json()["status"], "in_progress");
}

TEST_P(TicketsTest, SearchFindsChineseOfAnyLengthAndEnglishPrefixes) {
  auto user = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto vpn = raise(user, "无法连接VPN服务器", "从宿舍无法连接VPN服务器，提示超时。");
  auto printer = raise(user, "打印机卡纸", "三楼打印机卡纸");
  auto net = raise(user, "网络很慢", "");
  auto english = raise(user, "Printer on floor 3 prints blank pages", "Every job comes out blank since Monday.");
  EXPECT_TRUE(contains(search_ids(user, "连接VPN"), id(vpn)));
  EXPECT_TRUE(contains(search_ids(user, "打印"), id(printer)));
  EXPECT_TRUE(contains(search_ids(user, "网络"), id(net)));
  EXPECT_TRUE(contains(search_ids(user, "网"), id(net)));
  EXPECT_TRUE(contains(search_ids(user, "纸"), id(printer)));
  EXPECT_FALSE(contains(search_ids(user, "打印"), id(net)));
  EXPECT_TRUE(search_ids(user, "扫描仪").empty());
  EXPECT_TRUE(contains(search_ids(agent, "blank pages"), id(english)));
  EXPECT_TRUE(contains(search_ids(agent, "BLAN"), id(english)));
  EXPECT_TRUE(contains(search_ids(agent, "print"), id(english)));
  EXPECT_TRUE(search_ids(agent, "scanner").empty());
  // Comments are found too, and an edited subject is found by its new words only.
  ASSERT_EQ(agent.post(path(net, "/comments"), {{"body", "交换机端口故障"}}).status, 201);
  EXPECT_TRUE(contains(search_ids(user, "交换机"), id(net)));
  auto edited = agent.patch(path(net), {{"subject", "Switch port broken"}}, net["etag"]);
  ASSERT_EQ(edited.status, 200);
  EXPECT_TRUE(contains(search_ids(user, "switch"), id(net)));
  EXPECT_FALSE(contains(search_ids(user, "很慢"), id(net)));
  // The best match ranks first.
  auto ranked = search_ids(user, "打印机卡纸");
  ASSERT_FALSE(ranked.empty());
  EXPECT_EQ(ranked[0], id(printer));
  EXPECT_EQ(user.get("/api/v1/search?q=%20%3F").status, 422);
  EXPECT_EQ(user.get("/api/v1/search").status, 422);
}

TEST_P(TicketsTest, ListsPageAndSortWithoutLosingOrRepeating) {
  auto user = login("a1@a.test");
  auto agent = login("agent@p.test");
  std::set<std::string> all;
  for (int i = 0; i < 7; ++i) {
    server_.clock().advance(1s);
    auto t = raise(user, "Ticket " + std::to_string(i), "", i % 2 ? "incident" : "consultation",
                   {{"urgency", i % 3 == 0 ? "high" : "low"}});
    all.insert(id(t));
  }
  for (const auto* sort : {"-created_at", "created_at", "-updated_at", "-priority"}) {
    std::set<std::string> seen;
    std::string cursor;
    int pages = 0;
    do {
      auto r = agent.get(std::string("/api/v1/tickets?limit=3&sort=") + sort + (cursor.empty() ? "" : "&cursor=" + cursor));
      ASSERT_EQ(r.status, 200) << r.body;
      auto page = r.json();
      for (const auto& t : page["items"]) EXPECT_TRUE(seen.insert(t["id"]).second) << sort << " repeated " << t["id"];
      cursor = page["next_cursor"].is_null() ? "" : page["next_cursor"].get<std::string>();
      ++pages;
    } while (!cursor.empty() && pages < 10);
    EXPECT_EQ(seen, all) << sort;
  }
  auto first = agent.get("/api/v1/tickets?sort=-priority&limit=1").json()["items"][0];
  EXPECT_EQ(first["priority"], "high");
  EXPECT_EQ(agent.get("/api/v1/tickets?type=incident").json()["items"].size(), 3u);
  EXPECT_EQ(agent.get("/api/v1/tickets?type=incident,consultation").json()["items"].size(), 7u);
  EXPECT_EQ(agent.get("/api/v1/tickets?type=wish").status, 422);
  EXPECT_EQ(agent.get("/api/v1/tickets?sort=colour").status, 422);
  EXPECT_EQ(agent.get("/api/v1/tickets?status=new&assignee_id=none").json()["items"].size(), 7u);
}

TEST_P(TicketsTest, EveryTicketChangeIsAudited) {
  auto user = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto before = audit_count();
  auto t = raise(user, "Audit me");
  ASSERT_EQ(agent.post(path(t, "/comments"), {{"body", "note"}, {"public", false}}).status, 201);
  ASSERT_EQ(move(agent, t, "triaged").status, 200);
  EXPECT_EQ(audit_count(), before + 3);
  auto entries = admin_.get("/api/v1/audit?target_id=" + id(t)).json()["items"];
  std::set<std::string> actions;
  for (const auto& e : entries) actions.insert(e["action"].get<std::string>());
  EXPECT_EQ(actions, (std::set<std::string>{"ticket.create", "ticket.note", "ticket.transition"}));
}

TEST_P(TicketsTest, AMajorIncidentsPublicUpdatesReachEveryLinkedRequester) {
  auto agent = login("agent@p.test");
  auto a1 = login("a1@a.test");
  auto b1 = login("b1@b.test");
  auto child_a = raise(a1, "Mail is down");
  auto child_b = raise(b1, "Cannot send mail");
  auto major = raise(agent, "Mail outage", "", "incident", {{"on_behalf_of", id(agent_)}});
  auto flagged = agent.patch(path(major), {{"major_incident", true}}, major["etag"]);
  ASSERT_EQ(flagged.status, 200) << flagged.body;
  for (const auto* child : {&child_a, &child_b}) {
    auto linked = agent.post(path(major, "/links"), {{"ticket_id", id(*child)}, {"kind", "child"}});
    ASSERT_EQ(linked.status, 201) << linked.body;
  }
  EXPECT_EQ(agent.post(path(major, "/links"), {{"ticket_id", id(child_a)}, {"kind", "child"}}).status, 409) << "linked twice";
  EXPECT_EQ(agent.post(path(child_a, "/links"), {{"ticket_id", id(major)}, {"kind", "child"}}).status, 409) << "a cycle";
  ASSERT_EQ(agent.post(path(major, "/comments"), {{"body", "MAJORUPDATE: the mail relay is being replaced"}}).status, 201);
  ASSERT_EQ(agent.post(path(major, "/comments"), {{"body", "MAJORSECRET relay vendor is late"}, {"public", false}}).status, 201);
  for (auto* who : {&a1, &b1}) {
    const auto& mine = who == &a1 ? child_a : child_b;
    auto text = timeline_text(*who, mine);
    EXPECT_NE(text.find("MAJORUPDATE"), std::string::npos) << text;
    EXPECT_EQ(text.find("MAJORSECRET"), std::string::npos);
    auto notes = who->get("/api/v1/notifications").json()["items"];
    ASSERT_FALSE(notes.empty());
    EXPECT_EQ(notes[0]["kind"], "major_incident_update");
    EXPECT_EQ(notes[0]["ticket_id"], mine["id"]);
    // The major incident itself stays the provider's: not readable, not even through its links.
    EXPECT_EQ(who->get(path(major)).status, 404);
    EXPECT_TRUE(who->get(path(mine, "/links")).json()["items"].empty());
  }
  // Each organisation's ticket never names the other's through its links.
  auto staff_links = agent.get(path(major, "/links")).json()["items"];
  EXPECT_EQ(staff_links.size(), 2u);
  // Resolving the major incident tells every child too.
  ASSERT_EQ(move(agent, major, "in_progress").status, 200);
  ASSERT_EQ(move(agent, major, "resolved", {{"resolution", "MAJORFIXED new relay"}}).status, 200);
  EXPECT_NE(timeline_text(a1, child_a).find("MAJORFIXED"), std::string::npos);
}

TEST_P(TicketsTest, AConsumersWordsOnAMajorIncidentStayOnIt) {
  auto agent = login("agent@p.test");
  auto a1 = login("a1@a.test");
  auto b1 = login("b1@b.test");
  auto major = raise(a1, "Campus mail down");
  auto child = raise(b1, "Mail down here too");
  ASSERT_EQ(agent.patch(path(major), {{"major_incident", true}}, major["etag"]).status, 200);
  ASSERT_EQ(agent.post(path(major, "/links"), {{"ticket_id", id(child)}, {"kind", "child"}}).status, 201);
  ASSERT_EQ(a1.post(path(major, "/comments"), {{"body", "CONSUMERWORDS call me on 555"}}).status, 201);
  ASSERT_EQ(a1.post(path(major, "/transitions"), {{"to", "cancelled"}}).status, 200);
  auto text = timeline_text(b1, child);
  EXPECT_EQ(text.find("CONSUMERWORDS"), std::string::npos) << text;
  EXPECT_EQ(text.find("major_incident_update"), std::string::npos) << text;
  EXPECT_TRUE(b1.get("/api/v1/notifications").json()["items"].empty());
}

TEST_P(TicketsTest, LinksNeverReachIntoAnotherOrganisationForConsumers) {
  auto a1 = login("a1@a.test");
  auto b1 = login("b1@b.test");
  auto mine = raise(a1, "Mine");
  auto also_mine = raise(a1, "Also mine");
  auto theirs = raise(b1, "Theirs");
  auto refused = a1.post(path(mine, "/links"), {{"ticket_id", id(theirs)}, {"kind", "related"}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(a1.post(path(mine, "/links"), {{"ticket_id", id(also_mine)}, {"kind", "child"}}).status, 403);
  EXPECT_EQ(a1.post(path(mine, "/links"), {{"ticket_id", id(mine)}, {"kind", "related"}}).status, 422);
  EXPECT_EQ(a1.post(path(mine, "/links"), {{"ticket_id", id(also_mine)}, {"kind", "sibling"}}).status, 422);
  ASSERT_EQ(a1.post(path(mine, "/links"), {{"ticket_id", id(also_mine)}, {"kind", "related"}}).status, 201);
  auto links = a1.get(path(also_mine, "/links")).json()["items"];
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0]["other_id"], mine["id"]);
  EXPECT_EQ(links[0]["kind"], "related");
  EXPECT_EQ(b1.get(path(mine, "/links")).status, 404);
  EXPECT_EQ(b1.post(path(theirs, "/links"), {{"ticket_id", id(mine)}, {"kind", "related"}}).status, 422);
}

TEST_P(TicketsTest, NotificationsTellRequestersOfRepliesAndStatusAndAreTheirsAlone) {
  auto a1 = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto t = raise(a1, "Laptop broken");
  EXPECT_EQ(a1.get("/api/v1/notifications/unread-count").json()["unread"], 0);
  ASSERT_EQ(agent.post(path(t, "/comments"), {{"body", "We will look at it"}}).status, 201);
  ASSERT_EQ(agent.post(path(t, "/comments"), {{"body", "NOTEONLY"}, {"public", false}}).status, 201);
  server_.clock().advance(1s);  // newest first: ids order by time, and within one millisecond by chance
  ASSERT_EQ(move(agent, t, "in_progress").status, 200);
  EXPECT_EQ(a1.get("/api/v1/notifications/unread-count").json()["unread"], 2);
  auto items = a1.get("/api/v1/notifications?unread=true").json()["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["kind"], "status_changed");
  EXPECT_EQ(items[0]["summary"], "in_progress");
  EXPECT_EQ(items[1]["kind"], "reply");
  EXPECT_EQ(items[1]["summary"], "We will look at it");
  // The agent made them: the agent is not told of their own changes; the requester's reply
  // reaches nobody else here (no assignee, no watchers).
  EXPECT_EQ(agent.get("/api/v1/notifications/unread-count").json()["unread"], 0);
  // Someone else cannot mark them.
  auto other = login("b1@b.test");
  EXPECT_EQ(other.post("/api/v1/notifications/" + items[0]["id"].get<std::string>() + "/read", Json::object()).status, 404);
  auto read = a1.post("/api/v1/notifications/" + items[0]["id"].get<std::string>() + "/read", Json::object());
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_TRUE(read.json()["read"].get<bool>());
  EXPECT_EQ(a1.get("/api/v1/notifications/unread-count").json()["unread"], 1);
  EXPECT_EQ(a1.post("/api/v1/notifications/read-all", Json::object()).json()["marked"], 1);
  EXPECT_EQ(a1.get("/api/v1/notifications/unread-count").json()["unread"], 0);
  EXPECT_EQ(a1.get("/api/v1/notifications").json()["items"].size(), 2u);
  EXPECT_EQ(a1.get("/api/v1/notifications?unread=maybe").status, 422);
}

TEST_P(TicketsTest, QueuesAreSavedFiltersWithCountsForStaffOnly) {
  create_user("agent2@p.test", "agent");
  auto a1 = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto agent2 = login("agent2@p.test");
  std::vector<Json> tickets;
  for (int i = 0; i < 5; ++i) {
    server_.clock().advance(1s);
    tickets.push_back(raise(a1, "Queue ticket " + std::to_string(i), "", "incident", {{"urgency", i < 2 ? "high" : "low"}}));
  }
  ASSERT_EQ(agent.patch(path(tickets[0]), {{"assignee_id", id(agent_)}}, tickets[0]["etag"]).status, 200);
  auto unassigned = agent.post("/api/v1/queues", {{"name", "Unassigned, urgent first"}, {"shared", true},
                                                  {"filter", {{"status", "new"}, {"assignee_id", "none"}, {"sort", "-priority"}}}});
  ASSERT_EQ(unassigned.status, 201) << unassigned.body;
  EXPECT_EQ(unassigned.json()["count"], 4);
  auto mine = agent.post("/api/v1/queues", {{"name", "My work"}, {"filter", {{"assignee_id", "me"}}}});
  ASSERT_EQ(mine.status, 201) << mine.body;
  EXPECT_EQ(mine.json()["count"], 1);
  EXPECT_FALSE(mine.json()["shared"].get<bool>());
  // Pages of the queue's tickets follow its sort.
  auto q = "/api/v1/queues/" + id(unassigned.json());
  auto first = agent.get(q + "/tickets?limit=2").json();
  ASSERT_EQ(first["items"].size(), 2u);
  EXPECT_EQ(first["items"][0]["priority"], "high");
  auto rest = agent.get(q + "/tickets?limit=2&cursor=" + first["next_cursor"].get<std::string>()).json();
  EXPECT_EQ(rest["items"].size(), 2u);
  EXPECT_TRUE(rest["next_cursor"].is_null());
  // Shared queues reach other agents, personal ones do not; "me" is each reader.
  auto listed = agent2.get("/api/v1/queues").json()["items"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["name"], "Unassigned, urgent first");
  EXPECT_EQ(agent2.get("/api/v1/queues/" + id(mine.json())).status, 404);
  auto shared_mine = agent2.post("/api/v1/queues", {{"name", "Everyone's own"}, {"shared", true}, {"filter", {{"assignee_id", "me"}}}});
  ASSERT_EQ(shared_mine.status, 201);
  EXPECT_EQ(shared_mine.json()["count"], 0);
  EXPECT_EQ(agent.get("/api/v1/queues/" + id(shared_mine.json())).json()["count"], 1);
  EXPECT_EQ(agent.del("/api/v1/queues/" + id(shared_mine.json())).status, 403) << "another agent's shared queue";
  EXPECT_EQ(agent2.del("/api/v1/queues/" + id(shared_mine.json())).status, 204);
  // Bad filters are refused field by field; consumers have no queues.
  auto bad = agent.post("/api/v1/queues", {{"name", "Bad"}, {"filter", {{"colour", "red"}, {"type", "wish"}, {"team_id", "team_nothing"}}}});
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(bad.json()["error"]["details"].size(), 2u) << bad.body;
  EXPECT_EQ(agent.post("/api/v1/queues", {{"name", "Bad team"}, {"filter", {{"team_id", "team_nothing"}}}}).status, 422);
  EXPECT_EQ(a1.get("/api/v1/queues").status, 403);
  EXPECT_EQ(a1.post("/api/v1/queues", {{"name", "Mine"}}).status, 403);
  EXPECT_EQ(a1.get(q + "/tickets").status, 403);
}

TEST_P(TicketsTest, BulkUpdatesAnswerPerTicketAndAreForStaff) {
  auto a1 = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto team = admin_.post("/api/v1/teams", {{"name", "Field"}}).json();
  auto t1 = raise(a1, "One");
  auto t2 = raise(a1, "Two");
  auto r = agent.post("/api/v1/tickets/bulk-updates",
                      {{"ids", {id(t1), "tkt_00000000000000000000000000", id(t2)}}, {"changes", {{"team_id", id(team)}, {"tags", {"bulk"}}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto results = r.json()["results"];
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0]["status"], 200);
  EXPECT_EQ(results[0]["ticket"]["team_id"], team["id"]);
  EXPECT_EQ(results[1]["status"], 404);
  EXPECT_EQ(results[1]["error"]["code"], "not_found");
  EXPECT_EQ(results[2]["status"], 200);
  EXPECT_EQ(agent.get("/api/v1/tickets?tag=bulk").json()["items"].size(), 2u);
  // A change one ticket refuses fails for that ticket alone.
  auto partial = agent.post("/api/v1/tickets/bulk-updates", {{"ids", {id(t1)}}, {"changes", {{"watchers", {id(b1_)}}}}});
  ASSERT_EQ(partial.status, 200);
  EXPECT_EQ(partial.json()["results"][0]["status"], 422);
  EXPECT_EQ(a1.post("/api/v1/tickets/bulk-updates", {{"ids", {id(t1)}}, {"changes", {{"subject", "x"}}}}).status, 403);
  EXPECT_EQ(agent.post("/api/v1/tickets/bulk-updates", {{"ids", {id(t1), id(t1)}}, {"changes", {{"category", "x"}}}}).status, 422);
  EXPECT_EQ(agent.post("/api/v1/tickets/bulk-updates", {{"ids", {id(t1)}}, {"changes", {{"colour", "x"}}}}).status, 422);
  EXPECT_EQ(agent.post("/api/v1/tickets/bulk-updates", {{"ids", {id(t1)}}, {"changes", Json::object()}}).status, 422);
  Json many = Json::array();
  for (int i = 0; i < 101; ++i) many.push_back("tkt_" + std::to_string(i));
  EXPECT_EQ(agent.post("/api/v1/tickets/bulk-updates", {{"ids", many}, {"changes", {{"category", "x"}}}}).status, 422);
}

TEST_P(TicketsTest, ClassificationRulesSetCategoryTeamAndPriorityAndAreExplained) {
  auto team = admin_.post("/api/v1/teams", {{"name", "Printing"}}).json();
  auto printers = admin_.post("/api/v1/classification-rules",
                              {{"name", "printers"}, {"position", 10},
                               {"conditions", {{"words", {"打印机", "printer"}}, {"types", {"incident"}}}},
                               {"actions", {{"category", "printing"}, {"team_id", id(team)}}}});
  ASSERT_EQ(printers.status, 201) << printers.body;
  auto campus = admin_.post("/api/v1/classification-rules", {{"name", "campus is urgent"}, {"position", 20},
                                                             {"conditions", {{"organization_ids", {id(a_)}}}},
                                                             {"actions", {{"priority", "high"}, {"category", "campus"}}}});
  ASSERT_EQ(campus.status, 201) << campus.body;
  auto user = login("a1@a.test");
  auto raised = raise(user, "三楼打印机卡纸");
  EXPECT_EQ(raised["category"], "") << "triage is the desk's own";
  EXPECT_EQ(raised["priority"], "high");
  auto agent = login("agent@p.test");
  auto t = agent.get(path(raised)).json();
  EXPECT_EQ(t["category"], "printing") << "the earlier rule wins the field";
  EXPECT_EQ(t["team_id"], team["id"]);
  EXPECT_EQ(t["priority"], "high");
  auto timeline = timeline_text(agent, t);
  EXPECT_NE(timeline.find("rule:printers"), std::string::npos);
  EXPECT_NE(timeline.find("rule:campus is urgent"), std::string::npos);
  EXPECT_EQ(timeline.find("impact_urgency_matrix"), std::string::npos) << "a rule set the priority";
  // Another organisation's ticket matches only the first rule.
  auto b1 = login("b1@b.test");
  auto other = agent.get(path(raise(b1, "Printer jams"))).json();
  EXPECT_EQ(other["category"], "printing");
  EXPECT_EQ(other["priority"], "medium");
  // Deactivated rules stop firing; the change needs the current ETag.
  auto off = admin_.patch("/api/v1/classification-rules/" + id(campus.json()), {{"active", false}}, campus.header("etag"));
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(admin_.patch("/api/v1/classification-rules/" + id(campus.json()), {{"active", true}}, campus.header("etag")).status, 412);
  EXPECT_EQ(raise(user, "Anything else")["category"], "");
  // Staff read the rules in order; only administrators change them; consumers see nothing.
  auto listed = agent.get("/api/v1/classification-rules").json()["items"];
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["name"], "printers");
  EXPECT_EQ(agent.post("/api/v1/classification-rules", {{"name", "x"}, {"actions", {{"category", "x"}}}}).status, 403);
  EXPECT_EQ(user.get("/api/v1/classification-rules").status, 403);
  EXPECT_EQ(agent.del("/api/v1/classification-rules/" + id(printers.json())).status, 403);
  EXPECT_EQ(admin_.del("/api/v1/classification-rules/" + id(printers.json())).status, 204);
  EXPECT_EQ(agent.get("/api/v1/classification-rules/" + id(printers.json())).status, 404);
}

TEST_P(TicketsTest, BadClassificationRulesAreRefusedFieldByField) {
  auto before = audit_count();
  auto r = admin_.post("/api/v1/classification-rules",
                       {{"name", ""},
                        {"conditions", {{"types", {"wish"}}, {"colour", {"red"}}, {"organization_ids", {"org_nothing"}}}},
                        {"actions", {{"priority", "urgent"}, {"team_id", "team_nothing"}}}});
  EXPECT_EQ(r.status, 422) << r.body;
  std::set<std::string> fields;
  auto error = r.json();
  for (const auto& d : error["error"]["details"]) fields.insert(d["field"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"name", "conditions.types", "conditions.colour", "actions.priority"})) << r.body;
  auto refs = admin_.post("/api/v1/classification-rules", {{"name", "refs"},
                                                           {"conditions", {{"organization_ids", {"org_nothing"}}}},
                                                           {"actions", {{"team_id", "team_nothing"}}}});
  EXPECT_EQ(refs.status, 422) << refs.body;
  EXPECT_EQ(refs.json()["error"]["details"].size(), 2u) << refs.body;
  EXPECT_EQ(admin_.post("/api/v1/classification-rules", {{"name", "no actions"}}).status, 422);
  EXPECT_EQ(admin_.post("/api/v1/classification-rules", {{"name", "empty"}, {"actions", Json::object()}}).status, 422);
  EXPECT_EQ(audit_count(), before);
}

TEST_P(TicketsTest, ComplaintsAndReopensOpenARecoveryTaskForTheTeamLead) {
  auto lead = create_user("lead@p.test", "agent");
  auto team = admin_.post("/api/v1/teams", {{"name", "Desk"}, {"member_ids", {id(lead), id(agent_)}}, {"lead_id", id(lead)}});
  ASSERT_EQ(team.status, 201) << team.body;
  EXPECT_EQ(team.json()["lead_id"], lead["id"]);
  EXPECT_EQ(admin_.post("/api/v1/teams", {{"name", "Bad"}, {"member_ids", {id(agent_)}}, {"lead_id", id(lead)}}).status, 422)
      << "the lead must be a member";
  auto user = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto complaint = raise(user, "Nobody called back", "", "complaint");
  auto incident = raise(user, "Screen flickers");
  ASSERT_EQ(agent.patch(path(incident), {{"team_id", team.json()["id"]}}, incident["etag"]).status, 200);
  ASSERT_EQ(move(agent, incident, "in_progress").status, 200);
  ASSERT_EQ(move(agent, incident, "resolved", {{"resolution", "New cable"}}).status, 200);
  server_.clock().advance(1s);  // newest first: ids order by time, and within one millisecond by chance
  ASSERT_EQ(move(user, incident, "in_progress").status, 200) << "the reopen is the moment of truth";
  auto tasks = agent.get("/api/v1/recovery-tasks?status=open").json()["items"];
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0]["signal"], "reopen");
  EXPECT_EQ(tasks[0]["ticket_id"], incident["id"]);
  EXPECT_EQ(tasks[0]["assignee_id"], lead["id"]);
  EXPECT_EQ(tasks[1]["signal"], "complaint");
  EXPECT_TRUE(tasks[1]["assignee_id"].is_null()) << "a complaint without a team waits for anyone";
  auto leads = login("lead@p.test");
  EXPECT_EQ(leads.get("/api/v1/recovery-tasks?assignee_id=me").json()["items"].size(), 1u);
  // Staff see the moment on the timeline; the requester does not.
  EXPECT_NE(timeline_text(agent, incident).find("moment_of_truth"), std::string::npos);
  EXPECT_EQ(timeline_text(user, incident).find("moment_of_truth"), std::string::npos);
  // Done once, with what was done; consumers have no access.
  auto task = "/api/v1/recovery-tasks/" + tasks[0]["id"].get<std::string>() + "/completion";
  EXPECT_EQ(user.post(task, {{"note", "x"}}).status, 403);
  EXPECT_EQ(user.get("/api/v1/recovery-tasks").status, 403);
  EXPECT_EQ(leads.post(task, {{"note", ""}}).status, 422);
  auto done = leads.post(task, {{"note", "Called the user, replaced the monitor"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json()["status"], "done");
  EXPECT_EQ(leads.post(task, {{"note", "again"}}).status, 409);
  EXPECT_EQ(agent.get("/api/v1/recovery-tasks?status=open").json()["items"].size(), 1u);
  EXPECT_EQ(agent.get("/api/v1/recovery-tasks?status=maybe").status, 422);
  EXPECT_EQ(agent.post("/api/v1/recovery-tasks/rec_nothing/completion", {{"note", "x"}}).status, 404);
}

TEST_P(TicketsTest, AttachmentsAreStoredOncePerOrganisationSniffedAndServedWithTheTicketsRights) {
  auto user = login("a1@a.test");
  auto agent = login("agent@p.test");
  auto t = raise(user, "Screenshot of the error");
  std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(1000, '\x07');
  auto up = upload(user, t, "../../evil.png", png);
  ASSERT_EQ(up.status, 201) << up.body;
  auto a = up.json();
  EXPECT_EQ(a["name"], "evil.png");
  EXPECT_EQ(a["size"], png.size());
  EXPECT_EQ(a["content_type"], "image/png") << "sniffed, not the client's text/html";
  auto got = user.get(a["url"].get<std::string>());
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body, png);
  EXPECT_EQ(got.header("content-type"), "image/png");
  EXPECT_EQ(got.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(got.header("content-disposition").rfind("attachment;", 0), 0u);
  EXPECT_NE(timeline_text(user, t).find("evil.png"), std::string::npos);
  // The same bytes again are stored once.
  ASSERT_EQ(upload(user, t, "copy.png", png).status, 201);
  EXPECT_EQ(files_on_disk(), 1u);
  // Others see nothing of it.
  auto other = login("b1@b.test");
  // The same bytes from another organisation are a file of its own: how fast an upload ends
  // must not tell anyone that another organisation already stored that file.
  ASSERT_EQ(upload(other, raise(other, "Same screenshot"), "mine.png", png).status, 201);
  EXPECT_EQ(files_on_disk(), 2u);
  EXPECT_EQ(other.get(a["url"].get<std::string>()).status, 404);
  EXPECT_EQ(login("a2@a.test").get(a["url"].get<std::string>()).status, 404);
  EXPECT_EQ(upload(other, t, "x.txt", "hello").status, 404);
  // Internal attachments are for staff; HTML is served as text, never as a page.
  EXPECT_EQ(upload(user, t, "x.txt", "psst", false).status, 403);
  auto internal = upload(agent, t, "page.html", "<html><script>alert(1)</script></html>", false);
  ASSERT_EQ(internal.status, 201) << internal.body;
  EXPECT_EQ(internal.json()["content_type"], "text/plain; charset=utf-8");
  auto url = internal.json()["url"].get<std::string>();
  EXPECT_EQ(user.get(url).status, 404);
  EXPECT_EQ(agent.get(url).status, 200);
  EXPECT_EQ(timeline_text(user, t).find("page.html"), std::string::npos);
}

// Files left by uploads whose transaction failed after the file was written, and temporary files
// of uploads cut short, are swept; content an attachment refers to and files of other names stay.
TEST_P(TicketsTest, TheSweepRemovesOnlyFilesNoAttachmentRefersTo) {
  auto user = login("a1@a.test");
  auto t = raise(user, "Screenshot");
  std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(100, '\x01');
  auto up = upload(user, t, "shot.png", png);
  ASSERT_EQ(up.status, 201) << up.body;
  auto root = std::filesystem::path(server_.store().data_dir()) / "attachments";
  auto put = [](const std::filesystem::path& file, const std::string& bytes) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
  };
  auto lost = sha256_hex("lost upload"), shared = sha256_hex("old shared layout");
  put(root / id(a_) / lost.substr(0, 2) / lost, "lost upload");
  put(root / id(a_) / lost.substr(0, 2) / (lost + ".Ab12Cd"), "half written");
  put(root / shared.substr(0, 2) / shared, "old shared layout");
  put(root / "README", "not the store's");
  ASSERT_EQ(files_on_disk(), 5u);
  usecase::Services services{server_.db(), server_.clock()};
  services.attachments_dir = root.string();
  auto young = usecase::sweep_attachment_files(services, {}, std::chrono::hours(1));
  ASSERT_TRUE(young) << young.error().message;
  EXPECT_EQ(young->removed, 0) << "files just written may be another process's, not yet referred to";
  EXPECT_EQ(files_on_disk(), 5u);
  auto swept = usecase::sweep_attachment_files(services);
  ASSERT_TRUE(swept) << swept.error().message;
  EXPECT_EQ(swept->removed, 3);
  EXPECT_EQ(swept->kept, 1);
  EXPECT_EQ(files_on_disk(), 2u) << "the attachment and the file of another name";
  EXPECT_EQ(user.get(up.json()["url"].get<std::string>()).body, png);
  EXPECT_EQ(usecase::sweep_attachment_files(services)->removed, 0) << "nothing more to do";
}

TEST_P(TicketsTest, UploadsAreLimitedAndMalformedOnesWriteNothing) {
  auto user = login("a1@a.test");
  auto t = raise(user, "Logs");
  auto before = audit_count();
  EXPECT_EQ(user.post(path(t, "/attachments"), {{"file", "x"}}).status, 415);
  EXPECT_EQ(upload(user, t, "empty.txt", "").status, 422);
  auto no_file = user.request("POST", path(t, "/attachments"),
                              "--B\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--B--\r\n",
                              {{"content-type", "multipart/form-data; boundary=B"}});
  EXPECT_EQ(no_file.status, 422) << no_file.body;
  auto broken = user.request("POST", path(t, "/attachments"), "--B\r\nno headers end",
                             {{"content-type", "multipart/form-data; boundary=B"}});
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(upload(user, t, "big.bin", std::string((2 << 20) + 1, 'x')).status, 413);
  EXPECT_EQ(audit_count(), before);
  EXPECT_EQ(files_on_disk(), 0u);
  // Larger than a JSON body may be, within the upload limit.
  EXPECT_EQ(upload(user, t, "log.txt", std::string(3 << 19, 'y')).status, 201);
}

// Only a signed-in caller may make the server read an upload larger than a JSON body: the
// refusal comes from the headers alone, before a byte of the body is read.
TEST_P(TicketsTest, LargeUploadsFromCallersNotSignedInAreRefusedBeforeTheBody) {
  auto user = login("a1@a.test");
  auto t = raise(user, "Logs");
  auto head = [&](const std::string& cookie, const std::string& csrf) {
    return "POST " + path(t, "/attachments") + " HTTP/1.1\r\nHost: x\r\n" +
           "Content-Type: multipart/form-data; boundary=B\r\n" + (cookie.empty() ? "" : "Cookie: tandem_session=" + cookie + "\r\n") +
           (csrf.empty() ? "" : "X-CSRF-Token: " + csrf + "\r\n") + "Content-Length: " + std::to_string(20 << 20) + "\r\n\r\n";
  };
  auto anonymous = raw_exchange(server_.port(), head("", ""));
  EXPECT_TRUE(anonymous.starts_with("HTTP/1.1 401")) << anonymous.substr(0, 80);
  auto forged = raw_exchange(server_.port(), head("not-a-session", ""));
  EXPECT_TRUE(forged.starts_with("HTTP/1.1 401")) << forged.substr(0, 80);
  auto no_csrf = raw_exchange(server_.port(), head(user.session(), ""));
  EXPECT_TRUE(no_csrf.starts_with("HTTP/1.1 403")) << no_csrf.substr(0, 80);
  EXPECT_EQ(files_on_disk(), 0u);
  // The same upload from the signed-in user within the limit is read and stored.
  EXPECT_EQ(upload(user, t, "log.txt", std::string(3 << 19, 'y')).status, 201);
}

// The routes that ticket_access_matrix_test.cpp does not cover, for every kind of caller that
// must be refused (and one that must not).
TEST_P(TicketsTest, LaterRoutesRefuseEveryoneTheyMust) {
  create_user("cust@a.test", "customer", a_["id"]);
  auto anonymous = server_.client();
  auto a1 = login("a1@a.test");
  auto customer = login("cust@a.test");
  auto b1 = login("b1@b.test");
  auto agent = login("agent@p.test");
  auto t = raise(a1, "With a file");
  auto file = upload(a1, t, "log.txt", "a log line");
  ASSERT_EQ(file.status, 201) << file.body;
  auto url = file.json()["url"].get<std::string>();
  auto tb = raise(b1, "Theirs");
  auto rule = admin_.post("/api/v1/classification-rules", {{"name", "r"}, {"actions", {{"category", "c"}}}});
  ASSERT_EQ(rule.status, 201);
  auto rule_path = "/api/v1/classification-rules/" + id(rule.json());
  raise(a1, "Complaint", "", "complaint");  // opens the recovery task below
  auto task = agent.get("/api/v1/recovery-tasks").json()["items"][0]["id"].get<std::string>();
  auto queue = agent.post("/api/v1/queues", {{"name", "Shared"}, {"shared", true}}).json();

  Json new_rule = {{"name", "x"}, {"actions", {{"category", "x"}}}};
  const std::vector<RouteCase> cases = {
      {"GET rules", [](HttpClient& c) { return c.get("/api/v1/classification-rules"); },
       {{&anonymous, 401}, {&a1, 403}, {&customer, 403}, {&agent, 200}}},
      {"POST rule", [&](HttpClient& c) { return c.post("/api/v1/classification-rules", new_rule); },
       {{&anonymous, 401}, {&a1, 403}, {&customer, 403}, {&agent, 403}}},
      {"PATCH rule", [&](HttpClient& c) { return c.patch(rule_path, {{"active", false}}, rule.header("etag")); },
       {{&anonymous, 401}, {&a1, 403}, {&agent, 403}}},
      {"DELETE rule", [&](HttpClient& c) { return c.del(rule_path); }, {{&anonymous, 401}, {&customer, 403}, {&agent, 403}}},
      {"GET recovery tasks", [](HttpClient& c) { return c.get("/api/v1/recovery-tasks"); },
       {{&anonymous, 401}, {&a1, 403}, {&customer, 403}, {&b1, 403}}},
      {"complete recovery task",
       [&](HttpClient& c) { return c.post("/api/v1/recovery-tasks/" + task + "/completion", {{"note", "done"}}); },
       {{&anonymous, 401}, {&a1, 403}, {&customer, 403}}},
      {"download", [&](HttpClient& c) { return c.get(url); },
       {{&anonymous, 401}, {&b1, 404}, {&a1, 200}, {&customer, 200}, {&agent, 200}}},
      {"upload to another organisation's ticket", [&](HttpClient& c) { return upload(c, tb, "x.txt", "x"); },
       {{&anonymous, 401}, {&a1, 404}, {&customer, 404}}},
      {"read all notifications", [](HttpClient& c) { return c.post("/api/v1/notifications/read-all", Json::object()); },
       {{&anonymous, 401}}},
      {"DELETE shared queue", [&](HttpClient& c) { return c.del("/api/v1/queues/" + id(queue)); },
       {{&anonymous, 401}, {&a1, 403}, {&customer, 403}}},
      {"stream as plain GET", [](HttpClient& c) { return c.get("/api/v1/stream"); }, {{&anonymous, 401}}},
  };
  expect_answers(cases);
  EXPECT_EQ(agent.get(rule_path).json()["active"], true);
  EXPECT_EQ(agent.get("/api/v1/recovery-tasks?status=open").json()["items"].size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Stores, TicketsTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
