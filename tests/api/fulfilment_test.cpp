// Fulfilling catalog requests over HTTP on every store (DESK-5, DESK-4): a request type's
// procedure of tasks for teams with dependencies and due times, staff working them, the requester
// seeing where their request stands, and automated tasks whose signed webhook — sent to a real
// local receiver, retried with backoff under one delivery id — is completed by a signed callback.
#include "usecase/fulfilment.h"

#include <algorithm>
#include <set>

#include "api/api_fixture.h"
#include "channels/webhook_client.h"
#include "core/crypto.h"
#include "support/webhook_receiver.h"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;

Json task(const std::string& key, const Json& name, const std::string& team,
          Json after = Json::array(), int due_hours = 0) {
  return {{"key", key},
          {"name", name},
          {"team_id", team},
          {"after", std::move(after)},
          {"due_hours", due_hours}};
}

std::map<std::string, Json> by_key(const Json& tasks) {
  std::map<std::string, Json> out;
  for (const auto& t : tasks) out[t["key"].get<std::string>()] = t;
  return out;
}

class FulfilmentTest : public ApiTest {
 protected:
  explicit FulfilmentTest(TestServerOptions options = {}) : ApiTest(options) {}

  void SetUp() override {
    uni_ = create_org("Uni");
    other_ = create_org("Other");
    create_user("u1@a.test", "user", id(uni_), "Passw0rd-test!", {{"language", "zh-CN"}});
    create_user("cust@a.test", "customer", id(uni_));
    create_user("b1@b.test", "user", id(other_));
    agent_ = create_user("agent@p.test", "agent");
    team_ = admin_.post("/api/v1/teams", {{"name", "Fleet"}, {"member_ids", {id(agent_)}}}).json();
    service_ = post_ok("/api/v1/services", {{"name", "Laptops"}});
    post_ok("/api/v1/entitlements", {{"service_id", id(service_)}, {"organization_id", id(uni_)}});
  }

  Json post_ok(const std::string& path, const Json& body) {
    auto r = admin_.post(path, body);
    EXPECT_EQ(r.status, 201) << path << ": " << r.body;
    return r.json();
  }

  // Order the laptop; then image it and register it; then hand it over.
  Json laptop_procedure() {
    return Json::array({task("order", {{"en", "Order the laptop"}, {"zh-CN", "订购笔记本"}},
                             id(team_), Json::array(), 24),
                        task("image", "Install the image", id(team_), {"order"}, 8),
                        task("register", "Register the asset", id(team_), {"order"}),
                        task("hand_over", "Hand it over", id(team_), {"image", "register"})});
  }

  Json request_type(Json tasks, Json approval = nullptr) {
    Json body = {{"service_id", id(service_)}, {"name", "New laptop"}, {"tasks", std::move(tasks)}};
    if (!approval.is_null()) body["approval"] = std::move(approval);
    return post_ok("/api/v1/request-types", body);
  }

  Json submit(HttpClient& c, const Json& type) {
    auto r = c.post("/api/v1/requests", {{"request_type_id", id(type)}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }

  HttpResponse move(HttpClient& c, const Json& ticket, const std::string& key, Json body) {
    // The ETag as staff read it: consumers are shown no versions.
    auto tasks = by_key(c.get("/api/v1/requests/" + id(ticket) + "/tasks").json()["items"]);
    if (!tasks[key].contains("etag"))
      tasks = by_key(admin_.get("/api/v1/requests/" + id(ticket) + "/tasks").json()["items"]);
    return c.patch("/api/v1/requests/" + id(ticket) + "/tasks/" + key, body,
                   tasks[key]["etag"].get<std::string>());
  }

  Json uni_, other_, agent_, team_, service_;
};

// DESK-5: a procedure is checked as a whole when saved; its teams and endpoints must exist.
TEST_P(FulfilmentTest, AProcedureIsCheckedWhenItsRequestTypeIsSaved) {
  auto bad = admin_.post(
      "/api/v1/request-types",
      {{"service_id", id(service_)},
       {"name", "Broken"},
       {"tasks",
        Json::array(
            {task("a", "A", "team_ghost", {"b"}),
             task("b", "B", id(team_), {"a"}),
             {{"key", "c"}, {"name", "C"}, {"team_id", id(team_)}, {"endpoint_id", "whe_ghost"}},
             {{"key", "d"}, {"team_id", id(team_)}, {"colour", "red"}}})}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  auto p = problems(bad);
  EXPECT_TRUE(p.contains("tasks[3].name")) << bad.body;
  EXPECT_TRUE(p.contains("tasks[3].colour")) << bad.body;
  auto cycle = admin_.post("/api/v1/request-types",
                           {{"service_id", id(service_)},
                            {"name", "Circle"},
                            {"tasks", Json::array({task("a", "A", id(team_), {"b"}),
                                                   task("b", "B", id(team_), {"a"})})}});
  ASSERT_EQ(cycle.status, 422) << cycle.body;
  EXPECT_NE(cycle.body.find("circle"), std::string::npos) << cycle.body;
  auto refs = admin_.post("/api/v1/request-types",
                          {{"service_id", id(service_)},
                           {"name", "Unknown"},
                           {"tasks", Json::array({task("a", "A", "team_ghost"),
                                                  {{"key", "c"},
                                                   {"name", "C"},
                                                   {"team_id", id(team_)},
                                                   {"endpoint_id", "whe_ghost"}}})}});
  ASSERT_EQ(refs.status, 422) << refs.body;
  EXPECT_EQ(problems(refs)["tasks[0].team_id"], "no such team");
  EXPECT_EQ(problems(refs)["tasks[1].endpoint_id"], "no such active webhook endpoint");

  auto type = request_type(laptop_procedure());
  EXPECT_EQ(type["tasks"].size(), 4u);
  EXPECT_EQ(type["tasks"][3]["after"], Json::array({"image", "register"}));
  auto user = login("u1@a.test");
  auto seen = user.get("/api/v1/request-types/" + id(type)).json();
  EXPECT_FALSE(seen.contains("tasks")) << "teams and endpoints are the provider's business";
}

// DESK-5, DESK-4: tasks open as those they wait for finish; the requester follows along; the
// last one resolves the request.
TEST_P(FulfilmentTest, TasksOpenInOrderAndTheLastOneDoneResolvesTheRequest) {
  auto type = request_type(laptop_procedure());
  auto user = login("u1@a.test");
  auto agent = login("agent@p.test");
  auto ticket = submit(user, type);
  EXPECT_EQ(ticket["status"], "fulfilment") << "nothing to approve: fulfilment starts at once";

  auto view = user.get("/api/v1/requests/" + id(ticket)).json();
  auto tasks = by_key(view["tasks"]);
  ASSERT_EQ(tasks.size(), 4u) << view.dump();
  EXPECT_EQ(tasks["order"]["state"], "open");
  EXPECT_EQ(tasks["order"]["name"], "订购笔记本") << "in the requester's language";
  EXPECT_FALSE(tasks["order"]["due_at"].is_null());
  EXPECT_EQ(tasks["image"]["state"], "waiting");
  EXPECT_EQ(tasks["hand_over"]["state"], "waiting");
  EXPECT_FALSE(tasks["order"].contains("assignee_id")) << "who works it stays with staff";

  // The team's work list: open tasks, soonest due first.
  auto work = agent.get("/api/v1/tasks?team_id=" + id(team_)).json()["items"];
  ASSERT_EQ(work.size(), 1u) << work.dump();
  EXPECT_EQ(work[0]["key"], "order");
  EXPECT_EQ(work[0]["ticket_id"], ticket["id"]);

  // Refused moves change nothing.
  EXPECT_EQ(move(agent, ticket, "image", {{"state", "done"}}).status, 409)
      << "a waiting task opens only by the procedure";
  EXPECT_EQ(move(user, ticket, "order", {{"state", "done"}}).status, 403)
      << "consumers do not work tasks";
  auto stale = agent.patch("/api/v1/requests/" + id(ticket) + "/tasks/order", {{"state", "done"}},
                           "\"v99\"");
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(move(agent, ticket, "order", {{"state", "finished"}}).status, 422);
  EXPECT_EQ(move(agent, ticket, "order", {{"assignee_id", "usr_ghost"}}).status, 422);

  auto taken = move(agent, ticket, "order",
                    {{"assignee_id", id(agent_)}, {"note", "Ordered from the framework supplier"}});
  ASSERT_EQ(taken.status, 200) << taken.body;
  EXPECT_EQ(taken.json()["assignee_id"], agent_["id"]);
  auto done = move(agent, ticket, "order", {{"state", "done"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json()["finished_by"], agent_["id"]);
  tasks = by_key(user.get("/api/v1/requests/" + id(ticket) + "/tasks").json()["items"]);
  EXPECT_EQ(tasks["image"]["state"], "open");
  EXPECT_EQ(tasks["register"]["state"], "open");
  EXPECT_EQ(tasks["hand_over"]["state"], "waiting");
  // Paged, soonest due first: the image (due in 8 hours), then the registration (no due time).
  auto first_page = agent.get("/api/v1/tasks?team_id=" + id(team_) + "&limit=1").json();
  ASSERT_EQ(first_page["items"].size(), 1u);
  EXPECT_EQ(first_page["items"][0]["key"], "image");
  ASSERT_TRUE(first_page["next_cursor"].is_string());
  auto second_page = agent
                         .get("/api/v1/tasks?team_id=" + id(team_) +
                              "&limit=1&cursor=" + first_page["next_cursor"].get<std::string>())
                         .json();
  ASSERT_EQ(second_page["items"].size(), 1u);
  EXPECT_EQ(second_page["items"][0]["key"], "register");
  EXPECT_TRUE(second_page["next_cursor"].is_null());
  EXPECT_EQ(agent.get("/api/v1/tasks?cursor=nonsense").status, 422);
  auto mine = agent.get("/api/v1/tasks?assignee_id=me&state=done").json()["items"];
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0]["key"], "order");
  EXPECT_EQ(agent.get("/api/v1/tasks?state=closed").status, 422);

  // Registration judged not needed: the hand-over waits only for the image.
  ASSERT_EQ(move(agent, ticket, "register",
                 {{"state", "cancelled"}, {"note", "A loan laptop: not an asset"}})
                .status,
            200);
  EXPECT_EQ(by_key(user.get("/api/v1/requests/" + id(ticket) + "/tasks")
                       .json()["items"])["hand_over"]["state"],
            "waiting");
  ASSERT_EQ(move(agent, ticket, "image", {{"state", "in_progress"}}).status, 200);
  ASSERT_EQ(move(agent, ticket, "image", {{"state", "done"}}).status, 200);
  EXPECT_EQ(by_key(user.get("/api/v1/requests/" + id(ticket) + "/tasks")
                       .json()["items"])["hand_over"]["state"],
            "open");
  EXPECT_EQ(user.get("/api/v1/tickets/" + id(ticket)).json()["status"], "fulfilment");
  ASSERT_EQ(move(agent, ticket, "hand_over", {{"state", "done"}}).status, 200);
  auto resolved = user.get("/api/v1/tickets/" + id(ticket)).json();
  EXPECT_EQ(resolved["status"], "resolved") << "the last task done resolves the request";

  // The requester heard of every task's progress, and none of staff's notes.
  auto timeline = user.get("/api/v1/tickets/" + id(ticket) + "/timeline?limit=100").json()["items"];
  std::multiset<std::string> kinds;
  for (const auto& e : timeline) kinds.insert(e["kind"].get<std::string>());
  EXPECT_EQ(kinds.count("task_opened"), 4u) << timeline.dump();
  EXPECT_EQ(kinds.count("task_updated"), 5u) << timeline.dump();
  EXPECT_EQ(kinds.count("task_noted"), 0u);
  EXPECT_EQ(timeline.dump().find("framework supplier"), std::string::npos);
  auto staff_timeline = agent.get("/api/v1/tickets/" + id(ticket) + "/timeline?limit=100").body;
  EXPECT_NE(staff_timeline.find("framework supplier"), std::string::npos);

  // Ended: its tasks move no more.
  EXPECT_EQ(move(agent, ticket, "hand_over", {{"state", "open"}}).status, 409);
}

// DESK-5, DESK-4: the last task finished while staff wait for the requester resolves the request
// when the requester answers; a reopened request stays with staff however its tasks stand.
TEST_P(FulfilmentTest, TheLastTaskDoneWhileWaitingForTheUserResolvesWhenTheyAnswer) {
  auto type = request_type(Json::array(
      {task("order", "Order it", id(team_)), task("deliver", "Deliver it", id(team_), {"order"})}));
  auto user = login("u1@a.test");
  auto agent = login("agent@p.test");
  auto ticket = submit(user, type);
  auto asked = agent.post("/api/v1/tickets/" + id(ticket) + "/transitions",
                          {{"to", "waiting_for_user"}});
  ASSERT_EQ(asked.status, 200) << asked.body;
  // The work goes on while the requester is asked something.
  ASSERT_EQ(move(agent, ticket, "order", {{"state", "done"}}).status, 200);
  EXPECT_EQ(by_key(user.get("/api/v1/requests/" + id(ticket) + "/tasks")
                       .json()["items"])["deliver"]["state"],
            "open");
  ASSERT_EQ(move(agent, ticket, "deliver", {{"state", "done"}}).status, 200);
  EXPECT_EQ(user.get("/api/v1/tickets/" + id(ticket)).json()["status"], "waiting_for_user")
      << "the question to the requester is still open";

  auto answer =
      user.post("/api/v1/tickets/" + id(ticket) + "/comments", {{"body", "Blue, please."}});
  ASSERT_EQ(answer.status, 201) << answer.body;
  EXPECT_EQ(user.get("/api/v1/tickets/" + id(ticket)).json()["status"], "resolved");

  auto reopened = user.post("/api/v1/tickets/" + id(ticket) + "/transitions", {{"to", "fulfilment"}});
  ASSERT_EQ(reopened.status, 200) << reopened.body;
  EXPECT_EQ(reopened.json()["status"], "fulfilment") << "reopened for staff to look again";

  // The same with staff bringing the request back from waiting.
  auto second = submit(user, type);
  ASSERT_EQ(agent.post("/api/v1/tickets/" + id(second) + "/transitions",
                       {{"to", "waiting_for_user"}})
                .status,
            200);
  ASSERT_EQ(move(agent, second, "order", {{"state", "done"}}).status, 200);
  ASSERT_EQ(move(agent, second, "deliver", {{"state", "cancelled"}}).status, 200);
  auto back =
      agent.post("/api/v1/tickets/" + id(second) + "/transitions", {{"to", "fulfilment"}});
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(back.json()["status"], "resolved");
}

// DESK-5: with approval, the tasks wait for it; a rejection cancels them unopened.
TEST_P(FulfilmentTest, TasksWaitForTheApprovalAndEndWithARejection) {
  auto type =
      request_type(laptop_procedure(), {{"steps", Json::array({{{"approver", "customer"}}})}});
  auto user = login("u1@a.test");
  auto cust = login("cust@a.test");
  auto approved = submit(user, type);
  auto rejected = submit(user, type);
  EXPECT_EQ(approved["status"], "awaiting_approval");
  for (const auto& [key, t] :
       by_key(user.get("/api/v1/requests/" + id(approved) + "/tasks").json()["items"]))
    EXPECT_EQ(t["state"], "waiting") << key;
  ASSERT_EQ(cust.post("/api/v1/requests/" + id(approved) + "/approvals", {{"decision", "approve"}})
                .status,
            200);
  auto tasks = by_key(user.get("/api/v1/requests/" + id(approved) + "/tasks").json()["items"]);
  EXPECT_EQ(tasks["order"]["state"], "open");
  EXPECT_EQ(tasks["image"]["state"], "waiting");

  ASSERT_EQ(cust.post("/api/v1/requests/" + id(rejected) + "/approvals",
                      {{"decision", "reject"}, {"comment", "Over budget"}})
                .status,
            200);
  for (const auto& [key, t] :
       by_key(user.get("/api/v1/requests/" + id(rejected) + "/tasks").json()["items"]))
    EXPECT_EQ(t["state"], "cancelled") << key;

  // Staff cancelling the approved request ends its open tasks too.
  auto agent = login("agent@p.test");
  auto resolve = agent.post("/api/v1/tickets/" + id(approved) + "/transitions",
                            {{"to", "resolved"}, {"resolution", "Bought elsewhere"}});
  ASSERT_EQ(resolve.status, 200) << resolve.body;
  for (const auto& [key, t] :
       by_key(agent.get("/api/v1/requests/" + id(approved) + "/tasks").json()["items"]))
    EXPECT_EQ(t["state"], "cancelled") << key;
}

// Tenancy: another organisation's people see nothing of a request's tasks; consumers never see
// its deliveries or work tasks; only administrators keep webhook endpoints.
TEST_P(FulfilmentTest, TasksAreSeenOnlyThroughTheirRequestAndWorkedOnlyByStaff) {
  auto type = request_type(laptop_procedure());
  auto user = login("u1@a.test");
  auto ticket = submit(user, type);
  auto b1 = login("b1@b.test");
  auto cust = login("cust@a.test");
  auto agent = login("agent@p.test");  // works tasks, but endpoints are the administrators'
  auto path = "/api/v1/requests/" + id(ticket);
  expect_answers({
      {"tasks of another organisation's request",
       [&](HttpClient& c) { return c.get(path + "/tasks"); },
       {{&b1, 404}, {&cust, 200}}},
      {"deliveries",
       [&](HttpClient& c) { return c.get(path + "/deliveries"); },
       {{&b1, 403}, {&cust, 403}, {&user, 403}}},
      {"work list",
       [&](HttpClient& c) { return c.get("/api/v1/tasks"); },
       {{&b1, 403}, {&user, 403}}},
      {"endpoints",
       [&](HttpClient& c) { return c.get("/api/v1/webhook-endpoints"); },
       {{&cust, 403}, {&agent, 403}}},
      {"an endpoint",
       [&](HttpClient& c) { return c.get("/api/v1/webhook-endpoints/whe_x"); },
       {{&cust, 403}, {&agent, 403}}},
      {"adding an endpoint",
       [&](HttpClient& c) {
         return c.post("/api/v1/webhook-endpoints", {{"name", "x"}, {"url", "http://x.test/"}});
       },
       {{&cust, 403}, {&agent, 403}}},
      {"changing an endpoint",
       [&](HttpClient& c) {
         return c.patch("/api/v1/webhook-endpoints/whe_x", {{"name", "y"}}, "\"v1\"");
       },
       {{&cust, 403}, {&agent, 403}}},
      {"removing an endpoint",
       [&](HttpClient& c) { return c.del("/api/v1/webhook-endpoints/whe_x"); },
       {{&cust, 403}, {&agent, 403}}},
      {"rotating a secret",
       [&](HttpClient& c) {
         return c.post("/api/v1/webhook-endpoints/whe_x/secret", Json::object());
       },
       {{&cust, 403}, {&agent, 403}}},
      {"work a task",
       [&](HttpClient& c) {
         return c.patch(path + "/tasks/order", {{"state", "done"}}, "\"v1\"");
       },
       {{&b1, 403}, {&cust, 403}}},
  });
}

TestServerOptions reaching_loopback() {
  TestServerOptions options;
  options.webhook_local_network = true;
  return options;
}

class WebhookTest : public FulfilmentTest {
 protected:
  WebhookTest() : FulfilmentTest(reaching_loopback()) {}

  // An endpoint at the receiver and a type whose first task it does, the second by hand.
  void SetUp() override {
    FulfilmentTest::SetUp();
    auto created = admin_.post("/api/v1/webhook-endpoints",
                               {{"name", "Provisioning"}, {"url", receiver_.url()}});
    ASSERT_EQ(created.status, 201) << created.body;
    endpoint_ = created.json();
    secret_ = endpoint_["secret"].get<std::string>();
    Json provision = task("provision", "Create the account", id(team_));
    provision["endpoint_id"] = id(endpoint_);
    type_ = post_ok(
        "/api/v1/request-types",
        {{"service_id", id(service_)},
         {"name", "VPN access"},
         {"form",
          {{"fields", Json::array({{{"key", "reason"}, {"type", "text"}, {"label", "Reason"}}})}}},
         {"tasks", Json::array({provision, task("confirm", "Confirm with the user", id(team_),
                                                {"provision"})})}});
  }

  usecase::DeliveryRun deliver() {
    auto run = usecase::deliver_webhooks(server_.services(), sender_);
    EXPECT_TRUE(run) << run.error().message;
    return run.value_or(usecase::DeliveryRun{});
  }

  // A receiver's callback, signed (by default) for the delivery it is sent to.
  HttpResponse callback(const std::string& delivery, const std::string& body,
                        std::int64_t skew_s = 0, const std::string& secret = "",
                        const std::string& signed_for = "") {
    auto stamp = std::to_string(to_millis(server_.clock().now()) / 1000 + skew_s);
    auto signature = usecase::callback_signature(secret.empty() ? secret_ : secret, stamp,
                                                 signed_for.empty() ? delivery : signed_for, body);
    auto c = server_.client();
    return c.request("POST", "/api/v1/webhook-deliveries/" + delivery + "/callback", body,
                     {{"Content-Type", "application/json"},
                      {"Tandem-Timestamp", stamp},
                      {"Tandem-Signature", signature}});
  }

  WebhookReceiver receiver_;
  channels::CurlWebhookSender sender_{true};
  Json endpoint_, type_;
  std::string secret_;
};

// DESK-5: the delivery is signed, retried after a failure with the same id and body, and its
// callback completes the task, which opens the next.
TEST_P(WebhookTest, AnAutomatedTaskIsSignedRetriedAndCompletedByItsCallback) {
  EXPECT_EQ(admin_.get("/api/v1/webhook-endpoints/" + id(endpoint_)).json().contains("secret"),
            false)
      << "shown once";
  auto user = login("u1@a.test");
  auto r = user.post("/api/v1/requests", {{"request_type_id", id(type_)},
                                          {"answers", {{"reason", "Working from home"}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto ticket = r.json();
  auto tasks = by_key(user.get("/api/v1/requests/" + id(ticket) + "/tasks").json()["items"]);
  EXPECT_EQ(tasks["provision"]["state"], "in_progress") << "the automation works it";
  EXPECT_EQ(tasks["provision"]["automated"], true);

  receiver_.answer_with({500});
  auto first = deliver();
  EXPECT_EQ(first.failed, 1);
  ASSERT_EQ(receiver_.received().size(), 1u);
  EXPECT_EQ(deliver().failed + deliver().sent, 0) << "not due again before its backoff";
  EXPECT_EQ(receiver_.received().size(), 1u);

  server_.clock().advance(61s);
  auto second = deliver();
  EXPECT_EQ(second.sent, 1);
  auto got = receiver_.received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].target, "/hooks/fulfil");
  auto delivery = got[0].headers["tandem-delivery"];
  EXPECT_TRUE(delivery.starts_with("dlv_")) << delivery;
  EXPECT_EQ(got[1].headers["tandem-delivery"], delivery) << "one idempotent id for every attempt";
  EXPECT_EQ(got[1].body, got[0].body);
  for (const auto& one : got) {
    auto stamp = one.headers.at("tandem-timestamp");
    EXPECT_EQ(one.headers.at("tandem-signature"),
              "sha256=" + hmac_sha256_hex(secret_, stamp + "." + one.body));
  }
  EXPECT_NE(got[1].headers["tandem-timestamp"], got[0].headers["tandem-timestamp"]);
  auto payload = Json::parse(got[1].body);
  EXPECT_EQ(payload["delivery_id"], delivery);
  EXPECT_EQ(payload["task"]["key"], "provision");
  EXPECT_EQ(payload["ticket"]["id"], ticket["id"]);
  EXPECT_EQ(payload["request"]["answers"]["reason"], "Working from home");
  EXPECT_EQ(payload["callback"], "/api/v1/webhook-deliveries/" + delivery + "/callback");

  auto agent = login("agent@p.test");
  auto deliveries = agent.get("/api/v1/requests/" + id(ticket) + "/deliveries").json()["items"];
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0]["state"], "delivered");
  EXPECT_EQ(deliveries[0]["attempts"], 2);

  // A callback proves itself by its signature, made within five minutes.
  const std::string body = R"({"outcome":"done","note":"Account vpn-4711 created"})";
  EXPECT_EQ(callback(delivery, body, 0, "whsec_wrong").status, 401);
  EXPECT_EQ(callback(delivery, body, -600).status, 401);
  EXPECT_EQ(callback("dlv_ghost", body).status, 401);
  EXPECT_EQ(callback(delivery, R"({"outcome":"maybe"})").status, 422);
  EXPECT_EQ(by_key(user.get("/api/v1/requests/" + id(ticket) + "/tasks")
                       .json()["items"])["provision"]["state"],
            "in_progress")
      << "refused callbacks change nothing";
  auto completed = callback(delivery, body);
  ASSERT_EQ(completed.status, 200) << completed.body;
  EXPECT_EQ(completed.json()["state"], "completed");
  EXPECT_EQ(callback(delivery, body).status, 200) << "a repeated callback answers as the first";
  EXPECT_EQ(callback(delivery, R"({"outcome":"failed"})").status, 409);

  tasks = by_key(agent.get("/api/v1/requests/" + id(ticket) + "/tasks").json()["items"]);
  EXPECT_EQ(tasks["provision"]["state"], "done");
  EXPECT_EQ(tasks["provision"]["note"], "Account vpn-4711 created");
  EXPECT_EQ(tasks["confirm"]["state"], "open");
  EXPECT_EQ(deliver().sent, 0) << "nothing left to send";
}

// DESK-5: after the last attempt the delivery is given up and the task goes back to its team.
TEST_P(WebhookTest, AReceiverThatNeverAcceptsIsGivenUpAndTheTaskGoesToItsTeam) {
  auto user = login("u1@a.test");
  auto submitted = user.post("/api/v1/requests", {{"request_type_id", id(type_)}});
  ASSERT_EQ(submitted.status, 201) << submitted.body;
  auto ticket = submitted.json();
  receiver_.answer_with({503, 503, 503, 503, 503, 503});
  int attempts = 0;
  usecase::DeliveryRun last;
  for (; attempts < 10; ++attempts) {
    last = deliver();
    if (last.given_up == 1) break;
    EXPECT_EQ(last.failed, 1) << "attempt " << attempts + 1;
    server_.clock().advance(7h);
  }
  EXPECT_EQ(last.given_up, 1);
  EXPECT_EQ(receiver_.received().size(), 6u) << "six attempts in all";
  server_.clock().advance(24h);
  EXPECT_EQ(deliver().failed, 0) << "given up: never sent again";
  EXPECT_EQ(receiver_.received().size(), 6u);
  auto agent = login("agent@p.test");  // after the days that passed, with a fresh session
  auto tasks = by_key(agent.get("/api/v1/requests/" + id(ticket) + "/tasks").json()["items"]);
  EXPECT_EQ(tasks["provision"]["state"], "open") << "back with its team";
  auto deliveries = agent.get("/api/v1/requests/" + id(ticket) + "/deliveries").json()["items"];
  EXPECT_EQ(deliveries[0]["state"], "failed");
  EXPECT_EQ(deliveries[0]["last_status"], 503);
  auto timeline = agent.get("/api/v1/tickets/" + id(ticket) + "/timeline?limit=100").body;
  EXPECT_NE(timeline.find("task_automation_failed"), std::string::npos);
  user = login("u1@a.test");
  auto seen_by_user = user.get("/api/v1/tickets/" + id(ticket) + "/timeline?limit=100");
  ASSERT_EQ(seen_by_user.status, 200);
  EXPECT_EQ(seen_by_user.body.find("task_automation_failed"), std::string::npos);

  // Staff finish it by hand; the confirmation opens.
  ASSERT_EQ(move(agent, ticket, "provision", {{"state", "done"}}).status, 200);
  EXPECT_EQ(by_key(agent.get("/api/v1/requests/" + id(ticket) + "/tasks")
                       .json()["items"])["confirm"]["state"],
            "open");
}

// DESK-5: endpoints are the administrators'; their secret is shown on creation and rotation only,
// never in the audit log, and an endpoint a request type uses is not removed.
TEST_P(WebhookTest, EndpointsKeepTheirSecretToThemselves) {
  auto bad =
      admin_.post("/api/v1/webhook-endpoints", {{"name", ""}, {"url", "ftp://example.test/x"}});
  ASSERT_EQ(bad.status, 422);
  EXPECT_TRUE(problems(bad).contains("name"));
  EXPECT_TRUE(problems(bad).contains("url"));
  auto agent = login("agent@p.test");
  EXPECT_EQ(
      agent.post("/api/v1/webhook-endpoints", {{"name", "x"}, {"url", receiver_.url()}}).status,
      403);
  // An answer kept for its Idempotency-Key is kept without the secret.
  auto first = admin_.post("/api/v1/webhook-endpoints",
                           {{"name", "Directory"}, {"url", receiver_.url("/dir")}},
                           {{"Idempotency-Key", "endpoint-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_TRUE(first.json().contains("secret"));
  auto replayed = admin_.post("/api/v1/webhook-endpoints",
                              {{"name", "Directory"}, {"url", receiver_.url("/dir")}},
                              {{"Idempotency-Key", "endpoint-1"}});
  EXPECT_EQ(replayed.header("idempotent-replayed"), "true");
  EXPECT_EQ(replayed.json()["id"], first.json()["id"]);
  EXPECT_FALSE(replayed.json().contains("secret"));
  ASSERT_EQ(admin_.del("/api/v1/webhook-endpoints/" + id(first.json())).status, 204);

  // A team a procedure names stays.
  EXPECT_EQ(admin_.del("/api/v1/teams/" + id(team_)).status, 409);

  auto listed = admin_.get("/api/v1/webhook-endpoints").json()["items"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_FALSE(listed[0].contains("secret"));

  auto rotated =
      admin_.post("/api/v1/webhook-endpoints/" + id(endpoint_) + "/secret", Json::object());
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  auto fresh = rotated.json()["secret"].get<std::string>();
  EXPECT_NE(fresh, secret_);
  EXPECT_TRUE(fresh.starts_with("whsec_"));
  auto audit = admin_.get("/api/v1/audit?limit=200").body;
  EXPECT_EQ(audit.find(secret_), std::string::npos);
  EXPECT_EQ(audit.find(fresh), std::string::npos);

  // The old secret signs nothing any more.
  auto user = login("u1@a.test");
  auto ticket = user.post("/api/v1/requests", {{"request_type_id", id(type_)}}).json();
  EXPECT_EQ(deliver().sent, 1);
  auto delivery = receiver_.received().back().headers["tandem-delivery"];
  EXPECT_EQ(
      receiver_.received().back().headers["tandem-signature"],
      "sha256=" + hmac_sha256_hex(fresh, receiver_.received().back().headers["tandem-timestamp"] +
                                             "." + receiver_.received().back().body));
  EXPECT_EQ(callback(delivery, R"({"outcome":"done"})", 0, secret_).status, 401);
  // A callback made for one delivery completes no other: the delivery's id is signed.
  ASSERT_EQ(user.post("/api/v1/requests", {{"request_type_id", id(type_)}}).status, 201);
  EXPECT_EQ(deliver().sent, 1);
  auto other = receiver_.received().back().headers["tandem-delivery"];
  ASSERT_NE(other, delivery);
  EXPECT_EQ(callback(other, R"({"outcome":"done"})", 0, fresh, delivery).status, 401);
  EXPECT_EQ(callback(delivery, R"({"outcome":"done"})", 0, fresh).status, 200);

  auto used = admin_.del("/api/v1/webhook-endpoints/" + id(endpoint_));
  EXPECT_EQ(used.status, 409) << used.body;
  auto etag = admin_.get("/api/v1/webhook-endpoints/" + id(endpoint_)).header("etag");
  auto retired =
      admin_.patch("/api/v1/webhook-endpoints/" + id(endpoint_), {{"active", false}}, etag);
  ASSERT_EQ(retired.status, 200) << retired.body;
  EXPECT_EQ(retired.json()["active"], false);
}

// DESK-5: unless the operator allows it, no webhook reaches the local network — refused when the
// endpoint is saved with such an address, and at the connection whatever name led there.
TEST_P(FulfilmentTest, WebhooksStayOutOfTheLocalNetworkUnlessTheOperatorAllowsIt) {
  for (std::string url : {"http://127.0.0.1:9000/hook", "http://169.254.169.254/latest/meta-data",
                          "https://10.0.0.8/provision", "http://[::1]/x", "http://localhost:8080/",
                          "http://admin@192.168.1.1/", "http://2130706433/"}) {
    auto refused = admin_.post("/api/v1/webhook-endpoints", {{"name", "Inside"}, {"url", url}});
    ASSERT_EQ(refused.status, 422) << url << ": " << refused.body;
    EXPECT_NE(problems(refused)["url"].find("local network"), std::string::npos) << refused.body;
  }
  EXPECT_EQ(admin_.post("/api/v1/webhook-endpoints",
                        {{"name", "Outside"}, {"url", "https://hooks.example.com/fleet"}})
                .status,
            201);
}

TEST_P(WebhookTest, ASenderKeptOutOfTheLocalNetworkConnectsToNoAddressInIt) {
  auto user = login("u1@a.test");
  auto ticket = user.post("/api/v1/requests", {{"request_type_id", id(type_)}}).json();
  channels::CurlWebhookSender strict;
  auto run = usecase::deliver_webhooks(server_.services(), strict);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->failed, 1);
  EXPECT_TRUE(receiver_.received().empty()) << "nothing reached the receiver on loopback";
  auto deliveries = admin_.get("/api/v1/requests/" + id(ticket) + "/deliveries").json()["items"];
  ASSERT_EQ(deliveries.size(), 1u) << deliveries.dump();
  EXPECT_NE(deliveries[0]["last_error"].get<std::string>().find("local network"), std::string::npos)
      << deliveries.dump();
}

// DESK-5: an automated task staff finish by hand sends its webhook no more.
TEST_P(WebhookTest, ATaskFinishedByHandSendsItsWebhookNoMore) {
  auto user = login("u1@a.test");
  auto submitted = user.post("/api/v1/requests", {{"request_type_id", id(type_)}});
  ASSERT_EQ(submitted.status, 201) << submitted.body;
  auto ticket = submitted.json();
  auto agent = login("agent@p.test");
  ASSERT_EQ(move(agent, ticket, "provision", {{"state", "done"}, {"note", "Done by hand"}}).status,
            200);
  EXPECT_EQ(deliver().sent, 0);
  EXPECT_TRUE(receiver_.received().empty());
  auto deliveries = agent.get("/api/v1/requests/" + id(ticket) + "/deliveries").json()["items"];
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0]["state"], "failed");
  EXPECT_EQ(by_key(agent.get("/api/v1/requests/" + id(ticket) + "/tasks")
                       .json()["items"])["confirm"]["state"],
            "open");
  auto seen = user.get("/api/v1/tickets/" + id(ticket) + "/timeline?limit=100").body;
  EXPECT_EQ(seen.find("team_id"), std::string::npos) << "which team works it stays with staff";
}

INSTANTIATE_TEST_SUITE_P(Stores, FulfilmentTest, ::testing::ValuesIn(store_kinds()));
INSTANTIATE_TEST_SUITE_P(Stores, WebhookTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
