// REL-3 on every store, over a real WebSocket: members of the car-share club chat with the
// knowledge bot. It answers from published articles they may read, quoting them; an answer that
// helped resolves the chat; asked for a person, unsure, or after two answers that did not help,
// it hands over to the online agent with the fewest chats, who receives the transcript — or, with
// nobody online, opens a ticket with the transcript and says when we will reply. Chats are read
// afterwards by their user and by agents only; the bot's resolution and hand-off rates are
// reported; bad frames are refused and change nothing.
#include "api/api_fixture.h"
#include "support/ws_client.h"
#include "usecase/chat.h"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;

class ChatTest : public ApiTest {
 protected:
  void SetUp() override {
    club_ = create_org("Car-share Club 共享汽车俱乐部");
    other_ = create_org("West College");
    create_user("amy@club.test", "user", id(club_));
    create_user("bo@club.test", "user", id(club_), "Passw0rd-test!", {{"language", "zh-CN"}});
    create_user("wu@west.test", "user", id(other_));
    create_user("boss@club.test", "customer", id(club_));
    li_user_ = create_user("li.na@provider.test", "agent");
    sam_user_ = create_user("sam@provider.test", "agent");
    create_user("rm@provider.test", "relationship_manager");
    amy_ = login("amy@club.test");
    bo_ = login("bo@club.test");
    wu_ = login("wu@west.test");
    boss_ = login("boss@club.test");
    li_ = login("li.na@provider.test");
    sam_ = login("sam@provider.test");
    rm_ = login("rm@provider.test");
    unlock_ = published("Unlocking a car with the app",
                        "Open the Tandem app, choose your booking and tap Unlock while standing next to the car.\n\n"
                        "If the car stays locked, check that Bluetooth is on.",
                        "en");
    published("空调不制冷怎么办", "请先确认空调开关打开，并把温度调到最低。\n\n仍然不制冷请联系我们。", "zh-CN");
    // Only West College reads this one: the club's members must never be quoted it.
    published("West College parking permits", "Parking permits for West College staff are issued at the gate office.", "en",
              {{"audience", {{"organization_ids", {id(other_)}}}}});
  }

  Json published(const std::string& title, const std::string& body, const std::string& language, Json extra = Json::object()) {
    Json doc = {{"title", title}, {"body", body}, {"language", language}};
    doc.update(extra);
    auto a = admin_.post("/api/v1/articles", doc);
    EXPECT_EQ(a.status, 201) << a.body;
    auto r = admin_.post("/api/v1/articles/" + id(a.json()) + "/publish", Json::object());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  // A chat window (or with `agent`, a console), read up to its "ready" frame; what came before
  // it is in `opening`.
  struct Window {
    WsClient ws;
    std::vector<Json> opening;
  };
  Window open(const HttpClient& who, bool agent = false) {
    Window w{WsClient(server_.port(), who.session(), "", agent ? "/api/v1/chat?as=agent" : "/api/v1/chat"), {}};
    EXPECT_TRUE(w.ws.open());
    for (int i = 0; i < 50; ++i) {
      auto frame = next(w.ws);
      if (frame.is_null() || frame["type"] == "ready") break;
      w.opening.push_back(frame);
    }
    return w;
  }
  static Json next(WsClient& ws) {
    auto m = ws.next(10s);
    EXPECT_TRUE(m) << "no frame";
    return m ? Json::parse(*m) : Json();
  }
  // The frames up to and including the first of `type` (and, for a chat, in `state`).
  static std::vector<Json> until(WsClient& ws, const std::string& type, const std::string& state = "") {
    std::vector<Json> frames;
    for (int i = 0; i < 20; ++i) {
      auto f = next(ws);
      if (f.is_null()) break;
      frames.push_back(f);
      if (f["type"] == type && (state.empty() || f["chat"]["state"] == state)) break;
    }
    if (frames.empty()) frames.emplace_back(Json::object());  // a failed expectation above, not a crash below
    return frames;
  }
  static Json say(WsClient& ws, const std::string& text) {
    EXPECT_TRUE(ws.send(Json{{"type", "say"}, {"text", text}}.dump()));
    return next(ws);  // the user's own message comes back first
  }
  static Json press(WsClient& ws, const std::string& type) {
    EXPECT_TRUE(ws.send(Json{{"type", type}}.dump()));
    return next(ws);
  }
  // The report's window ends now, exclusive: the test's clock moves on a minute first.
  Json report() {
    server_.clock().advance(1min);
    auto r = admin_.get("/api/v1/reports/bot");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  Json club_, other_, unlock_, li_user_, sam_user_;
  HttpClient amy_{0}, bo_{0}, wu_{0}, boss_{0}, li_{0}, sam_{0}, rm_{0};
};

TEST_P(ChatTest, TheBotQuotesAnArticleAndAnAnswerThatHelpedResolvesTheChat) {
  auto amy = open(amy_);
  ASSERT_EQ(amy.opening.size(), 1u);
  EXPECT_TRUE(amy.opening[0]["chat"].is_null()) << "no chat before the first message";

  auto mine = say(amy.ws, "How do I unlock the car with the app?");
  EXPECT_EQ(mine["type"], "message");
  EXPECT_EQ(mine["message"]["author"], "user");
  EXPECT_EQ(mine["message"]["text"], "How do I unlock the car with the app?");
  auto answer = next(amy.ws);
  EXPECT_EQ(answer["message"]["author"], "bot");
  EXPECT_EQ(answer["message"]["article"]["id"], id(unlock_));
  EXPECT_EQ(answer["message"]["article"]["title"], "Unlocking a car with the app");
  EXPECT_GE(answer["message"]["article"]["confidence"].get<double>(), 0.6);
  auto text = answer["message"]["text"].get<std::string>();
  EXPECT_NE(text.find("tap Unlock while standing next to the car"), std::string::npos) << "the article is quoted: " << text;
  EXPECT_EQ(text.find("Bluetooth"), std::string::npos) << "its first paragraph only";
  auto chat_id = answer["chat_id"].get<std::string>();

  // A second window of the same user sees the same chat with its transcript.
  auto again = open(amy_);
  ASSERT_EQ(again.opening.size(), 1u);
  EXPECT_EQ(again.opening[0]["chat"]["id"], chat_id);
  EXPECT_EQ(again.opening[0]["chat"]["messages"].size(), 2u);

  EXPECT_EQ(press(amy.ws, "helped")["message"]["author"], "user");
  auto frames = until(amy.ws, "chat", "ended");
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames.back()["chat"]["outcome"], "resolved_by_bot");
  // The other window hears the same, and the stored chat says so.
  EXPECT_EQ(until(again.ws, "chat", "ended").back()["chat"]["outcome"], "resolved_by_bot");
  auto stored = amy_.get("/api/v1/chats/" + chat_id);
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_EQ(stored.json()["state"], "ended");
  EXPECT_EQ(stored.json()["messages"].size(), 4u) << "question, answer, verdict, farewell";

  auto n = report();
  EXPECT_EQ(n["chats"], 1);
  EXPECT_EQ(n["resolved_by_bot"], 1);
  EXPECT_DOUBLE_EQ(n["resolution_rate"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(n["handoff_rate"].get<double>(), 0.0);
}

TEST_P(ChatTest, ChineseQuestionsAreAnsweredInChinese) {
  auto bo = open(bo_);
  say(bo.ws, "空调坏了怎么办");
  auto answer = next(bo.ws);
  EXPECT_EQ(answer["message"]["article"]["title"], "空调不制冷怎么办") << answer.dump();
  auto text = answer["message"]["text"].get<std::string>();
  EXPECT_NE(text.find("这篇文章也许能帮到您"), std::string::npos) << text;
  EXPECT_NE(text.find("温度调到最低"), std::string::npos) << text;
}

TEST_P(ChatTest, WithNobodyOnlineAnUnsureBotOpensATicketWithTheTranscriptAndAPromise) {
  auto calendar = admin_.post("/api/v1/calendars", {{"name", "Always"}, {"time_zone", "UTC"}, {"always_open", true}});
  ASSERT_EQ(calendar.status, 201) << calendar.body;
  auto policy = admin_.post("/api/v1/sla-policies", {{"name", "Two hours"}, {"order", 1}, {"calendar_id", id(calendar.json())},
                                                     {"conditions", Json::object()}, {"targets", {{"first_response", 120}}}});
  ASSERT_EQ(policy.status, 201) << policy.body;

  auto amy = open(amy_);
  say(amy.ws, "hello");
  EXPECT_EQ(next(amy.ws)["message"]["author"], "bot") << "a greeting is answered, not handed over";
  auto start = server_.clock().now();
  say(amy.ws, "The parking permits at the west gate office were refused");
  auto frames = until(amy.ws, "chat", "ended");
  ASSERT_GE(frames.size(), 2u);
  auto chat = frames.back()["chat"];
  EXPECT_EQ(chat["outcome"], "ticket");
  EXPECT_EQ(chat["handoff_reason"], "low_confidence") << "West College's article is not the club's to read";
  ASSERT_TRUE(chat["ticket_id"].is_string());
  Time promised;
  ASSERT_TRUE(parse_rfc3339(chat["promised_at"].get<std::string>(), promised));
  EXPECT_EQ(promised, start + 120min) << "the first response target's due";
  auto told = frames[frames.size() - 2]["message"]["text"].get<std::string>();
  EXPECT_NE(told.find(chat["ticket_id"].get<std::string>()), std::string::npos) << told;

  auto ticket = amy_.get("/api/v1/tickets/" + chat["ticket_id"].get<std::string>());
  ASSERT_EQ(ticket.status, 200) << ticket.body;
  EXPECT_EQ(ticket.json()["channel"], "chat");
  EXPECT_EQ(ticket.json()["subject"], "hello") << "the chat's first words";
  auto description = ticket.json()["description"].get<std::string>();
  EXPECT_NE(description.find("The parking permits at the west gate office were refused"), std::string::npos) << description;
  EXPECT_NE(description.find("Tandem: Hello!"), std::string::npos) << "the bot's lines are in the transcript: " << description;

  auto n = report();
  EXPECT_EQ(n["handed_off"], 1);
  EXPECT_EQ(n["handed_to_ticket"], 1);
  EXPECT_DOUBLE_EQ(n["handoff_rate"].get<double>(), 1.0);
}

TEST_P(ChatTest, AskingForAPersonReachesTheLeastBusyAgentWithTheTranscript) {
  auto li = open(li_, true);
  auto sam = open(sam_, true);
  EXPECT_TRUE(li.opening.empty()) << "no chats held yet";
  auto console_of = [&](const Json& agent_id) -> Window& { return agent_id == id(li_user_) ? li : sam; };

  auto bo = open(bo_);
  say(bo.ws, "转人工");
  auto first = until(bo.ws, "chat", "agent").back()["chat"];
  EXPECT_EQ(first["handoff_reason"], "asked_for_person");
  auto& first_console = console_of(first["agent_id"]);
  auto given = next(first_console.ws);
  EXPECT_EQ(given["type"], "chat");
  EXPECT_EQ(given["chat"]["id"], first["id"]);
  ASSERT_FALSE(given["chat"]["messages"].empty());
  EXPECT_EQ(given["chat"]["messages"][0]["text"], "转人工") << "the agent receives the transcript";
  auto joined = next(first_console.ws);
  EXPECT_NE(joined["message"]["text"].get<std::string>().find("将为您继续服务"), std::string::npos) << "told in the user's language";

  // The agent with fewer chats takes the next one.
  auto amy = open(amy_);
  say(amy.ws, "Can I talk to a real person please?");
  auto second = until(amy.ws, "chat", "agent").back()["chat"];
  EXPECT_NE(second["agent_id"], first["agent_id"]);
  auto& second_console = console_of(second["agent_id"]);
  EXPECT_EQ(next(second_console.ws)["chat"]["id"], second["id"]);
  next(second_console.ws);  // "… is taking over"

  ASSERT_TRUE(second_console.ws.send(Json{{"type", "say"}, {"chat_id", second["id"]}, {"text", "Hi Amy, how can I help?"}}.dump()));
  EXPECT_EQ(next(second_console.ws)["message"]["author"], "agent") << "the agent's own line comes back";
  auto heard = next(amy.ws);
  EXPECT_EQ(heard["message"]["author"], "agent");
  EXPECT_EQ(heard["message"]["text"], "Hi Amy, how can I help?");
  EXPECT_EQ(heard["message"]["author_name"], second["agent_name"]);

  // With an agent, the bot stays out of it: the user's words go to the agent alone.
  EXPECT_EQ(say(amy.ws, "How do I unlock the car?")["message"]["author"], "user");
  auto relayed = next(second_console.ws);
  EXPECT_EQ(relayed["message"]["text"], "How do I unlock the car?");
  EXPECT_EQ(relayed["chat_id"], second["id"]);
  // The other agent hears nothing of Amy: its next frame is Bo's.
  say(bo.ws, "还在吗");
  EXPECT_EQ(next(first_console.ws)["chat_id"], first["id"]);

  ASSERT_TRUE(second_console.ws.send(Json{{"type", "end"}, {"chat_id", second["id"]}}.dump()));
  auto ended = until(amy.ws, "chat", "ended").back()["chat"];
  EXPECT_EQ(ended["outcome"], "handed_off");
  auto n = report();
  EXPECT_EQ(n["chats"], 2);
  EXPECT_EQ(n["handed_to_agent"], 2);
  EXPECT_EQ(n["resolved_by_bot"], 0);
  EXPECT_EQ(n["open"], 1) << "Bo's chat goes on";
}

TEST_P(ChatTest, TwoAnswersThatDidNotHelpHandOver) {
  auto li = open(li_, true);
  auto amy = open(amy_);
  say(amy.ws, "How do I unlock the car with the app?");
  EXPECT_TRUE(next(amy.ws)["message"]["article"].is_object());
  say(amy.ws, "no");
  auto again = next(amy.ws)["message"]["text"].get<std::string>();
  EXPECT_NE(again.find("another way"), std::string::npos) << again;
  say(amy.ws, "unlock the car app");
  EXPECT_TRUE(next(amy.ws)["message"]["article"].is_object());
  EXPECT_EQ(press(amy.ws, "not_helped")["message"]["text"], "not_helped") << "a pressed button is written as what it says";
  auto chat = until(amy.ws, "chat", "agent").back()["chat"];
  EXPECT_EQ(chat["handoff_reason"], "failed_answers");
  EXPECT_EQ(chat["agent_id"], id(li_user_));
  EXPECT_EQ(next(li.ws)["chat"]["messages"].size(), 7u) << "the whole conversation so far";
}

TEST_P(ChatTest, AnAgentWhoLeavesPassesTheirChatsOnAndTheLastOneLeavesATicket) {
  auto li = open(li_, true);
  auto amy = open(amy_);
  say(amy.ws, "I want a human");
  EXPECT_EQ(until(amy.ws, "chat", "agent").back()["chat"]["agent_id"], id(li_user_));
  auto sam = open(sam_, true);
  li.ws.drop();
  auto moved = until(amy.ws, "chat", "agent").back()["chat"];
  EXPECT_EQ(moved["agent_id"], id(sam_user_));
  EXPECT_EQ(next(sam.ws)["chat"]["id"], moved["id"]) << "Sam receives the chat with its transcript";
  // A console that reopens finds its chats again.
  auto sam_again = open(sam_, true);
  ASSERT_EQ(sam_again.opening.size(), 1u);
  EXPECT_EQ(sam_again.opening[0]["chat"]["id"], moved["id"]);
  sam.ws.drop();
  sam_again.ws.drop();
  auto ticketed = until(amy.ws, "chat", "ended").back()["chat"];
  EXPECT_EQ(ticketed["outcome"], "ticket");
  ASSERT_TRUE(ticketed["ticket_id"].is_string());
  auto ticket = admin_.get("/api/v1/tickets/" + ticketed["ticket_id"].get<std::string>());
  ASSERT_EQ(ticket.status, 200);
  EXPECT_NE(ticket.json()["description"].get<std::string>().find("I want a human"), std::string::npos);
  EXPECT_FALSE(ticketed["promised_at"].is_null());
}

TEST_P(ChatTest, ChatsAreTheirUsersAndTheAgentsAlone) {
  auto amy = open(amy_);
  say(amy.ws, "How do I unlock the car with the app?");
  auto chat_id = next(amy.ws)["chat_id"].get<std::string>();
  auto path = "/api/v1/chats/" + chat_id;
  auto anonymous = server_.client();
  expect_answers({
      {"a chat", [&](HttpClient& c) { return c.get(path); },
       {{&amy_, 200}, {&li_, 200}, {&admin_, 200}, {&bo_, 404}, {&wu_, 404}, {&boss_, 404}, {&rm_, 404}, {&anonymous, 401}}},
      {"the list", [&](HttpClient& c) { return c.get("/api/v1/chats"); }, {{&amy_, 200}, {&bo_, 200}, {&anonymous, 401}}},
      {"the bot's report", [&](HttpClient& c) { return c.get("/api/v1/reports/bot"); },
       {{&admin_, 200}, {&li_, 200}, {&rm_, 200}, {&amy_, 403}, {&boss_, 403}, {&anonymous, 401}}},
      {"a bad report window", [&](HttpClient& c) { return c.get("/api/v1/reports/bot?from=yesterday&x=1"); }, {{&admin_, 422}}},
      {"a bad list filter", [&](HttpClient& c) { return c.get("/api/v1/chats?state=lost"); }, {{&li_, 422}}},
      {"plain GET of the socket", [&](HttpClient& c) { return c.get("/api/v1/chat"); }, {{&amy_, 400}}},
  });
  EXPECT_EQ(amy_.get("/api/v1/chats").json()["items"].size(), 1u);
  EXPECT_TRUE(bo_.get("/api/v1/chats").json()["items"].empty()) << "another member's chat is not Bo's";
  EXPECT_TRUE(rm_.get("/api/v1/chats").json()["items"].empty()) << "staff who do not answer chats read only their own";
  EXPECT_EQ(li_.get("/api/v1/chats?state=bot").json()["items"].size(), 1u);

  EXPECT_EQ(WsClient(server_.port(), "", "", "/api/v1/chat").refused_status(), 401);
  // A personal access token opens it as a session does.
  auto token = amy_.post("/api/v1/tokens", {{"name", "chat client"}});
  ASSERT_EQ(token.status, 201) << token.body;
  WsClient by_token(server_.port(), "", "", "/api/v1/chat", token.json()["token"].get<std::string>());
  ASSERT_TRUE(by_token.open());
  auto opening = next(by_token);
  EXPECT_EQ(opening["chat"]["id"], chat_id) << "Amy's chat in progress";
  EXPECT_EQ(WsClient(server_.port(), "", "", "/api/v1/chat", "not-a-token").refused_status(), 401);
  EXPECT_EQ(WsClient(server_.port(), amy_.session(), "", "/api/v1/chat?as=agent").refused_status(), 403) << "users answer no chats";
  EXPECT_EQ(WsClient(server_.port(), li_.session(), "", "/api/v1/chat?as=boss").refused_status(), 422);
  EXPECT_EQ(WsClient(server_.port(), amy_.session(), "https://evil.example", "/api/v1/chat").refused_status(), 403);
}

TEST_P(ChatTest, BadFramesAreRefusedAndChangeNothing) {
  auto li = open(li_, true);
  auto amy = open(amy_);
  say(amy.ws, "hello");
  next(amy.ws);
  auto before = audit_count();
  auto refused = [&](WsClient& ws, const std::string& frame) {
    EXPECT_TRUE(ws.send(frame));
    auto answer = next(ws);
    EXPECT_EQ(answer["type"], "error") << frame;
    return answer;
  };
  EXPECT_EQ(refused(amy.ws, "not json")["status"], 400);
  auto unknown = refused(amy.ws, R"({"type":"shout","text":"hey"})");
  EXPECT_EQ(unknown["status"], 422);
  EXPECT_EQ(unknown["error"]["details"][0]["field"], "type");
  EXPECT_EQ(refused(amy.ws, R"({"type":"say","text":"   "})")["status"], 422);
  EXPECT_EQ(refused(amy.ws, Json{{"type", "say"}, {"text", std::string(usecase::kChatMessageLimit + 1, 'x')}}.dump())["status"], 422);
  EXPECT_EQ(refused(amy.ws, R"({"type":"say","text":"hi","chat_id":"cht_1"})")["status"], 422) << "users name no chat";
  EXPECT_EQ(refused(amy.ws, R"({"type":"say","text":42})")["status"], 422);
  auto chat_id = amy_.get("/api/v1/chats").json()["items"][0]["id"].get<std::string>();
  EXPECT_EQ(refused(li.ws, Json{{"type", "say"}, {"chat_id", chat_id}, {"text", "mine now"}}.dump())["status"], 404)
      << "an agent writes only to chats they hold";
  EXPECT_EQ(refused(li.ws, R"({"type":"helped","chat_id":"x"})")["status"], 422);
  EXPECT_EQ(refused(li.ws, R"({"type":"say","text":"hi"})")["status"], 422) << "an agent names the chat";
  EXPECT_EQ(audit_count(), before);
  EXPECT_EQ(amy_.get("/api/v1/chats/" + chat_id).json()["messages"].size(), 2u);
  // The window still works.
  EXPECT_EQ(say(amy.ws, "How do I unlock the car with the app?")["message"]["author"], "user");

  auto bo = open(bo_);
  EXPECT_EQ(refused(bo.ws, R"({"type":"end"})")["status"], 404) << "no chat to end";
}

TEST_P(ChatTest, AChatNobodyWritesInEndsAbandoned) {
  auto amy = open(amy_);
  say(amy.ws, "How do I unlock the car with the app?");
  auto chat_id = next(amy.ws)["chat_id"].get<std::string>();
  server_.clock().advance(std::chrono::minutes(29));
  auto ended = usecase::end_idle_chats(server_.services());
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->ended, 0);
  server_.clock().advance(std::chrono::minutes(2));
  ended = usecase::end_idle_chats(server_.services());
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->ended, 1);
  ASSERT_FALSE(ended->deliveries.empty());
  EXPECT_EQ(ended->deliveries.back().to, ended->deliveries.back().chat.chat.user_id) << "the user's windows are told";
  EXPECT_EQ(ended->deliveries.back().chat.chat.state, "ended");
  auto stored = admin_.get("/api/v1/chats/" + chat_id).json();
  EXPECT_EQ(stored["state"], "ended");
  EXPECT_EQ(stored["outcome"], "abandoned") << "an answer nobody confirmed is no resolution";
  auto n = report();
  EXPECT_EQ(n["abandoned"], 1);
  EXPECT_EQ(n["resolved_by_bot"], 0);
  // The next message opens a new chat.
  auto fresh = open(amy_);
  EXPECT_TRUE(fresh.opening[0]["chat"].is_null());
}

TEST_P(ChatTest, MergingADuplicateMovesItsChats) {
  auto dup = create_user("amy.h@club.test", "user", id(club_));
  auto amy_twin = login("amy.h@club.test");
  {
    auto w = open(amy_twin);
    say(w.ws, "How do I unlock the car with the app?");
    next(w.ws);
  }
  auto amy_id = amy_.get("/api/v1/me").json()["id"].get<std::string>();
  auto merged = li_.post("/api/v1/users/" + amy_id + "/merge", {{"from_user_id", id(dup)}});
  ASSERT_EQ(merged.status, 200) << merged.body;
  auto mine = amy_.get("/api/v1/chats").json()["items"];
  ASSERT_EQ(mine.size(), 1u) << "the duplicate's chat is Amy's now";
  auto chat = amy_.get("/api/v1/chats/" + mine[0]["id"].get<std::string>()).json();
  EXPECT_EQ(chat["messages"][0]["author_id"], amy_id) << "and so are the lines the duplicate wrote";
}

INSTANTIATE_TEST_SUITE_P(Stores, ChatTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
