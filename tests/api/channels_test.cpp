// REL-1, REL-3, DESK-10 over HTTP on every store: channels and their hooks. A signed message
// from a known person lands on their open ticket from that channel or opens one, once however
// often it is delivered; bad, stale or missing signatures change nothing but the delivery log;
// Telegram updates and Alertmanager groups speak their own formats; duplicate users merge; a
// call is logged with REL-1's field names. Only administrators see channels.
#include <chrono>

#include "api/api_fixture.h"
#include "channels/hooks.h"
#include "domain/channels/channel.h"

namespace tandem::testing {
namespace {

class ChannelsTest : public ApiTest {
 protected:
  void SetUp() override {
    east_ = create_org("East Campus 华东");
    west_ = create_org("West College");
    chen_ = create_user("chen.jing@east.test", "user", id(east_), "Passw0rd-test!", {{"name", "陈静"}});
    smith_ = create_user("john.smith@west.test", "user", id(west_));
    create_user("desk@provider.test", "agent");
    create_user("cust@east.test", "customer", id(east_));
  }

  Json channel(const std::string& kind, Json extra = Json::object()) {
    Json body{{"kind", kind}, {"name", kind + " 渠道"}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    auto r = admin_.post("/api/v1/channels", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }

  std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(server_.clock().now().time_since_epoch()).count();
  }

  HttpResponse hook(const Json& ch, const Json& body, std::optional<std::int64_t> at = std::nullopt, std::string secret = "") {
    auto raw = body.dump();
    auto header = channels::signature_header(secret.empty() ? ch["secret"].get<std::string>() : secret, raw, at.value_or(now_seconds()));
    auto anon = server_.client();
    return anon.request("POST", "/api/v1/hooks/" + id(ch), raw, {{"content-type", "application/json"}, {"x-tandem-signature", header}});
  }

  Json message(const std::string& message_id, const std::string& text, const std::string& from = "chen.jing@east.test") {
    return {{"message_id", message_id}, {"from", from}, {"name", "陈静"}, {"text", text}};
  }

  Json timeline(const std::string& ticket_id) {
    auto r = admin_.get("/api/v1/tickets/" + ticket_id + "/timeline?limit=500");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["items"];
  }

  int mentions(const std::string& ticket_id, const std::string& text) {
    int n = 0;
    auto items = timeline(ticket_id);
    for (const auto& e : items) n += e.dump().find(text) != std::string::npos;
    return n;
  }

  Json deliveries(const Json& ch) {
    auto r = admin_.get("/api/v1/channels/" + id(ch) + "/deliveries");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["items"];
  }

  Json east_, west_, chen_, smith_;
};

TEST_P(ChannelsTest, OnlyAdministratorsConfigureChannelsAndSeeTheirSecretOnce) {
  auto ch = channel("messaging");
  EXPECT_FALSE(ch["secret"].get<std::string>().empty());
  EXPECT_EQ(ch["hook_path"], "/api/v1/hooks/" + id(ch));
  EXPECT_EQ(ch["format"], "generic");
  auto listed = admin_.get("/api/v1/channels").json();
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_FALSE(listed["items"][0].contains("secret"));
  EXPECT_FALSE(admin_.get("/api/v1/channels/" + id(ch)).json().contains("secret"));
  EXPECT_EQ(admin_.get("/api/v1/audit?limit=1").body.find(ch["secret"].get<std::string>()), std::string::npos)
      << "the audit log never holds a secret";

  auto agent = login("desk@provider.test"), user = login("chen.jing@east.test"), customer = login("cust@east.test");
  auto anon = server_.client();
  expect_answers({
      {"list", [](HttpClient& c) { return c.get("/api/v1/channels"); }, {{&agent, 403}, {&user, 403}, {&customer, 403}, {&anon, 401}}},
      {"read", [&](HttpClient& c) { return c.get("/api/v1/channels/" + id(ch)); }, {{&agent, 403}, {&user, 403}, {&customer, 403}, {&anon, 401}}},
      {"update", [&](HttpClient& c) { return c.patch("/api/v1/channels/" + id(ch), {{"active", false}}, "\"v1\""); },
       {{&agent, 403}, {&user, 403}, {&customer, 403}, {&anon, 401}}},
      {"create", [](HttpClient& c) { return c.post("/api/v1/channels", {{"kind", "messaging"}, {"name", "x"}}); },
       {{&agent, 403}, {&customer, 403}, {&anon, 401}}},
      {"deliveries", [&](HttpClient& c) { return c.get("/api/v1/channels/" + id(ch) + "/deliveries"); }, {{&agent, 403}, {&user, 403}}},
      {"rotate", [&](HttpClient& c) { return c.post("/api/v1/channels/" + id(ch) + "/secret", Json::object()); },
       {{&agent, 403}, {&user, 403}, {&customer, 403}, {&anon, 401}}},
  });

  auto bad = admin_.post("/api/v1/channels", {{"kind", "fax"}, {"name", ""}, {"format", "telegram"}, {"organization_id", id(east_) + "x"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(problems(bad).contains("kind") && problems(bad).contains("name")) << bad.body;
  auto mismatch = admin_.post("/api/v1/channels", {{"kind", "telephony"}, {"name", "phones"}, {"format", "telegram"}});
  EXPECT_EQ(problems(mismatch).count("format"), 1u) << mismatch.body;
  auto email = admin_.post("/api/v1/channels", {{"kind", "email"}, {"name", "desk"}, {"address", "not an address"}});
  EXPECT_EQ(problems(email).count("address"), 1u);
  auto no_org = admin_.post("/api/v1/channels", {{"kind", "messaging"}, {"name", "x"}, {"organization_id", "org_nope"}});
  EXPECT_EQ(problems(no_org).count("organization_id"), 1u);
  EXPECT_EQ(admin_.get("/api/v1/channels").json()["items"].size(), 1u) << "refused creations made nothing";
}

TEST_P(ChannelsTest, ASignedMessageOpensATicketOnceAndTheNextOneJoinsIt) {
  auto ch = channel("messaging");
  auto first = hook(ch, message("msg-1", "你好，宿舍 302 的空调坏了，能派人来修吗？ AIRCON"));
  ASSERT_EQ(first.status, 201) << first.body;
  auto ticket_id = first.json()["ticket_id"].get<std::string>();
  auto t = admin_.get("/api/v1/tickets/" + ticket_id).json();
  EXPECT_EQ(t["channel"], "messaging");
  EXPECT_EQ(t["requester_id"], id(chen_));
  EXPECT_EQ(t["subject"], "你好，宿舍 302 的空调坏了，能派人来修吗？ AIRCON");
  EXPECT_EQ(login("chen.jing@east.test").get("/api/v1/tickets/" + ticket_id).status, 200) << "the sender sees their ticket";

  server_.clock().advance(std::chrono::seconds(30));
  auto second = hook(ch, message("msg-2", "Still broken this morning. SECONDMSG"));
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.json()["ticket_id"], ticket_id) << "the sender's open ticket from this channel";
  EXPECT_EQ(mentions(ticket_id, "SECONDMSG"), 1);
  for (const auto& e : timeline(ticket_id))
    if (e.dump().find("SECONDMSG") != std::string::npos) {
      EXPECT_EQ(e["channel"], "messaging");
    }

  // The same message again: answered alike, stored once.
  server_.clock().advance(std::chrono::seconds(1));
  auto again = hook(ch, message("msg-2", "Still broken this morning. SECONDMSG"));
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.json()["outcome"], "duplicate");
  EXPECT_EQ(again.json()["ticket_id"], ticket_id);
  EXPECT_EQ(mentions(ticket_id, "SECONDMSG"), 1);
  EXPECT_EQ(admin_.get("/api/v1/tickets?limit=50").json()["items"].size(), 1u);

  // Resolved: the next message is a new conversation.
  auto agent = login("desk@provider.test");
  for (std::string to : {"in_progress", "resolved"}) {
    Json body{{"to", to}};
    if (to == "resolved") body["resolution"] = "Repaired.";
    EXPECT_EQ(agent.post("/api/v1/tickets/" + ticket_id + "/transitions", body).status, 200);
  }
  server_.clock().advance(std::chrono::seconds(1));
  auto third = hook(ch, message("msg-3", "The heater now. HEATER"));
  EXPECT_EQ(third.status, 201) << third.body;
  EXPECT_NE(third.json()["ticket_id"], ticket_id);

  auto log = deliveries(ch);
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[0]["outcome"], "filed");
  EXPECT_EQ(log[1]["outcome"], "duplicate");
}

TEST_P(ChannelsTest, ARequestersReplyMovesAWaitingTicketBackToWork) {
  auto ch = channel("messaging");
  auto ticket_id = hook(ch, message("m1", "Printer jam")).json()["ticket_id"].get<std::string>();
  auto agent = login("desk@provider.test");
  for (std::string to : {"in_progress", "waiting_for_user"})
    ASSERT_EQ(agent.post("/api/v1/tickets/" + ticket_id + "/transitions", {{"to", to}}).status, 200);
  server_.clock().advance(std::chrono::seconds(5));
  ASSERT_EQ(hook(ch, message("m2", "Here is the photo you asked for.")).status, 200);
  EXPECT_EQ(admin_.get("/api/v1/tickets/" + ticket_id).json()["status"], "in_progress");
}

TEST_P(ChannelsTest, BadStaleAndMissingSignaturesAreRefusedAndLogged) {
  auto ch = channel("messaging");
  auto before = admin_.get("/api/v1/tickets?limit=50").json()["items"].size();
  EXPECT_EQ(hook(ch, message("forged", "Forged"), std::nullopt, ch["secret"].get<std::string>() + "x").status, 401);
  server_.clock().advance(std::chrono::seconds(1));  // the log lists by time
  EXPECT_EQ(hook(ch, message("old", "Replayed"), now_seconds() - 600).status, 401);
  server_.clock().advance(std::chrono::seconds(1));
  auto anon = server_.client();
  auto unsigned_ = anon.request("POST", "/api/v1/hooks/" + id(ch), message("bare", "No signature").dump(), {{"content-type", "application/json"}});
  EXPECT_EQ(unsigned_.status, 401);
  EXPECT_EQ(unsigned_.json()["error"]["code"], "unauthenticated");
  EXPECT_EQ(admin_.get("/api/v1/tickets?limit=50").json()["items"].size(), before) << "nothing stored";
  auto log = deliveries(ch);
  ASSERT_EQ(log.size(), 3u);
  for (const auto& d : log) {
    EXPECT_EQ(d["outcome"], "refused");
    EXPECT_EQ(d["status"], 401);
  }
  EXPECT_NE(log[1]["reason"].get<std::string>().find("five minutes"), std::string::npos) << log[1];
  // An unknown or inactive channel is not found, whatever the signature; nor is an e-mail
  // channel, which takes mail from the MTA only.
  EXPECT_EQ(hook(Json{{"id", "chn_nope"}, {"secret", "s"}}, message("x", "y")).status, 404);
  EXPECT_EQ(hook(channel("email", {{"name", "Mail"}}), message("x", "y")).status, 404);
  auto current = admin_.get("/api/v1/channels/" + id(ch));
  EXPECT_EQ(admin_.patch("/api/v1/channels/" + id(ch), {{"active", false}}, current.headers["etag"]).status, 200);
  EXPECT_EQ(hook(ch, message("late", "After closing")).status, 404);
  // Rotating the secret: the old one stops working at once.
  current = admin_.get("/api/v1/channels/" + id(ch));
  ASSERT_EQ(admin_.patch("/api/v1/channels/" + id(ch), {{"active", true}}, current.headers["etag"]).status, 200);
  auto rotated = admin_.post("/api/v1/channels/" + id(ch) + "/secret", Json::object()).json();
  EXPECT_EQ(hook(ch, message("old-secret", "x")).status, 401);
  EXPECT_EQ(hook(rotated, message("new-secret", "x")).status, 201);
}

TEST_P(ChannelsTest, ABadBodyIsRefusedFieldByField) {
  auto ch = channel("messaging");
  auto r = hook(ch, {{"message_id", 7}, {"from", "not a sender!"}, {"colour", "red"}});
  EXPECT_EQ(r.status, 422);
  auto p = problems(r);
  EXPECT_TRUE(p.contains("message_id") && p.contains("from") && p.contains("text") && p.contains("colour")) << r.body;
  auto files = hook(ch, {{"message_id", "f"}, {"from", "chen.jing@east.test"}, {"text", "see file"}, {"attachments", {{{"name", "a.png"}}}}});
  EXPECT_EQ(problems(files).count("attachments[0].data"), 1u) << "a file without its bytes is refused, not dropped unseen";
  EXPECT_EQ(deliveries(ch)[0]["outcome"], "invalid");
}

// REL-1: a message's files come inline, base64, and join the ticket beside it; a bad file refuses
// the whole message, which changes nothing.
TEST_P(ChannelsTest, FilesComeInlineAndJoinTheTicket) {
  auto ch = channel("messaging");
  auto with_files = [&](std::string id, std::string text, Json files) {
    auto m = message(std::move(id), std::move(text));
    m["attachments"] = std::move(files);
    return hook(ch, m);
  };
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  auto first = with_files("f-1", "The dashboard shows this. PHOTO",
                          Json::array({{{"name", "dash board.png"}, {"data", "iVBORw0KGgoAAAANSUhEUg=="}},
                                       {{"name", "notes.txt"}, {"data", "5YWF55S15qGp5Z2P5LqG\n"}}}));
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_NE(first.json()["reason"].get<std::string>().find("with 2 files"), std::string::npos) << first.body;
  auto ticket_id = first.json()["ticket_id"].get<std::string>();
  std::map<std::string, std::string> stored;
  for (const auto& e : timeline(ticket_id))
    if (e["kind"] == "attachment") {
      auto file = admin_.get("/api/v1/attachments/" + e["data"]["attachment_id"].get<std::string>());
      EXPECT_EQ(file.status, 200);
      stored[e["data"]["name"].get<std::string>()] = file.body;
      EXPECT_EQ(e["channel"], "messaging");
    }
  ASSERT_EQ(stored.size(), 2u) << "both files, each on the timeline";
  EXPECT_EQ(stored.begin()->second, png) << stored.begin()->first;
  EXPECT_EQ(stored["notes.txt"], "充电桩坏了");

  // A bad file anywhere refuses the message: no comment, no file, no second ticket.
  server_.clock().advance(std::chrono::seconds(1));
  auto before = timeline(ticket_id).size();
  auto bad = with_files("f-2", "And this. SECONDFILE", Json::array({{{"name", "ok.txt"}, {"data", "b2s="}}, {{"name", "x.txt"}, {"data", "@@@"}}}));
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(problems(bad).count("attachments[1].data"), 1u) << bad.body;
  Json eleven = Json::array();
  for (int i = 0; i < 11; ++i) eleven.push_back({{"name", "f" + std::to_string(i)}, {"data", "b2s="}});
  EXPECT_EQ(problems(with_files("f-3", "Many", eleven)).count("attachments"), 1u);
  EXPECT_EQ(problems(with_files("f-4", "Empty", Json::array({{{"name", "e.txt"}, {"data", ""}}}))).count("attachments[0].data"), 1u);
  EXPECT_EQ(timeline(ticket_id).size(), before);
  EXPECT_EQ(admin_.get("/api/v1/tickets?limit=50").json()["items"].size(), 1u);
}

TEST_P(ChannelsTest, UnknownSendersWaitInTheLogOrJoinTheChannelsOrganisation) {
  auto ch = channel("messaging");
  auto waiting = hook(ch, message("s1", "Who am I? STRANGER", "+86 139 0000 1111"));
  EXPECT_EQ(waiting.status, 202) << waiting.body;
  EXPECT_EQ(waiting.json()["outcome"], "unmatched");
  auto log = deliveries(ch);
  EXPECT_NE(log[0]["payload"].get<std::string>().find("STRANGER"), std::string::npos) << "nothing lost";
  EXPECT_EQ(admin_.get("/api/v1/tickets?limit=50").json()["items"].size(), 0u);

  auto current = admin_.get("/api/v1/channels/" + id(ch));
  ASSERT_EQ(admin_.patch("/api/v1/channels/" + id(ch), {{"organization_id", id(east_)}}, current.headers["etag"]).status, 200);
  auto taken = hook(ch, message("s2", "Now I am someone. NEWCOMER", "+86 139 0000 1111"));
  ASSERT_EQ(taken.status, 201) << taken.body;
  auto t = admin_.get("/api/v1/tickets/" + taken.json()["ticket_id"].get<std::string>()).json();
  EXPECT_EQ(t["organization_id"], id(east_));
  auto newcomer = admin_.get("/api/v1/users/" + t["requester_id"].get<std::string>()).json();
  EXPECT_EQ(newcomer["organization_id"], id(east_));
  EXPECT_NE(newcomer.dump().find("+86 139 0000 1111"), std::string::npos) << newcomer;
  // The number is theirs now: their next message is theirs too.
  server_.clock().advance(std::chrono::seconds(5));
  EXPECT_EQ(hook(ch, message("s3", "Again", "+8613900001111")).json()["ticket_id"], t["id"]);
}

TEST_P(ChannelsTest, AMessageNeverReachesAnotherOrganisationsTicket) {
  auto ch = channel("messaging");
  auto theirs = login("john.smith@west.test").post("/api/v1/tickets", {{"type", "incident"}, {"subject", "West projector"}, {"description", "."}});
  ASSERT_EQ(theirs.status, 201);
  auto m = message("x1", "Injected into west? INJECT");
  m["ticket_id"] = id(theirs.json());
  auto r = hook(ch, m);
  EXPECT_EQ(r.status, 201) << "a new ticket of the sender's own: " << r.body;
  EXPECT_NE(r.json()["ticket_id"], id(theirs.json()));
  EXPECT_EQ(mentions(id(theirs.json()), "INJECT"), 0);
  EXPECT_EQ(admin_.get("/api/v1/tickets/" + r.json()["ticket_id"].get<std::string>()).json()["organization_id"], id(east_));
  // Their own ticket named: the message goes there.
  auto own = r.json()["ticket_id"].get<std::string>();
  auto other = channel("messaging", {{"name", "second"}});
  auto named = message("x2", "On my ticket NAMED");
  named["ticket_id"] = own;
  EXPECT_EQ(hook(other, named).json()["ticket_id"], own);
}

TEST_P(ChannelsTest, TelegramUpdatesAuthenticateByTheSecretTokenHeader) {
  create_user("tg@east.test", "user", id(east_), "Passw0rd-test!", {{"handles", {"telegram:424242"}}});
  auto ch = channel("messaging", {{"format", "telegram"}});
  Json update{{"update_id", 1000},
              {"message",
               {{"message_id", 77},
                {"from", {{"id", 424242}, {"is_bot", false}, {"first_name", "Wang"}, {"username", "wang_tg"}}},
                {"chat", {{"id", 424242}, {"type", "private"}}},
                {"date", 1765000000},
                {"text", "WiFi down in the library TGMSG"}}}};
  auto anon = server_.client();
  auto send = [&](const Json& body, const std::string& token) {
    return anon.request("POST", "/api/v1/hooks/" + id(ch), body.dump(),
                        {{"content-type", "application/json"}, {"x-telegram-bot-api-secret-token", token}});
  };
  EXPECT_EQ(send(update, "wrong").status, 401);
  auto r = send(update, ch["secret"].get<std::string>());
  ASSERT_EQ(r.status, 201) << r.body;
  auto t = admin_.get("/api/v1/tickets/" + r.json()["ticket_id"].get<std::string>()).json();
  EXPECT_EQ(t["channel"], "messaging");
  EXPECT_NE(t["subject"].get<std::string>().find("TGMSG"), std::string::npos);
  EXPECT_EQ(send(update, ch["secret"].get<std::string>()).json()["outcome"], "duplicate");
  Json edit{{"update_id", 1001}, {"edited_message", update["message"]}};
  auto ignored = send(edit, ch["secret"].get<std::string>());
  EXPECT_EQ(ignored.status, 200);
  EXPECT_EQ(ignored.json()["outcome"], "ignored");
}

Json alert_group(const std::string& status, const std::string& summary) {
  Json labels{{"alertname", "NasDiskAlmostFull"}, {"service", "campus-storage"}, {"severity", "critical"}, {"instance", "nas01:9100"}};
  return {{"version", "4"},
          {"groupKey", R"({}/{service="campus-storage"}:{alertname="NasDiskAlmostFull"})"},
          {"status", status},
          {"receiver", "tandem"},
          {"groupLabels", {{"alertname", "NasDiskAlmostFull"}}},
          {"commonLabels", labels},
          {"commonAnnotations", {{"summary", summary}}},
          {"externalURL", "http://alertmanager.test:9093"},
          {"alerts", {{{"status", status}, {"labels", labels}, {"annotations", {{"summary", summary}}}, {"startsAt", "2026-12-07T08:00:00Z"},
                       {"endsAt", "0001-01-01T00:00:00Z"}, {"fingerprint", "8f2d3c4b5a697887"}}}}};
}

TEST_P(ChannelsTest, AnAlertGroupIsOneIncidentFromFiringToResolved) {
  auto ch = channel("alertmanager");
  ASSERT_TRUE(ch["requester_id"].is_string()) << "monitoring raises incidents through an account of its own";
  auto anon = server_.client();
  auto send = [&](const Json& body, const std::string& secret) {
    return anon.request("POST", "/api/v1/hooks/" + id(ch), body.dump(),
                        {{"content-type", "application/json"}, {"authorization", "Bearer " + secret}});
  };
  auto secret = ch["secret"].get<std::string>();
  EXPECT_EQ(send(alert_group("firing", "NAS disk 95% full"), "not-it").status, 401);
  EXPECT_EQ(admin_.get("/api/v1/tickets?limit=50").json()["items"].size(), 0u);

  auto fired = send(alert_group("firing", "NAS disk 95% full 磁盘将满"), secret);
  ASSERT_EQ(fired.status, 201) << fired.body;
  auto incident = fired.json()["ticket_id"].get<std::string>();
  auto t = admin_.get("/api/v1/tickets/" + incident).json();
  EXPECT_EQ(t["type"], "incident");
  EXPECT_EQ(t["channel"], "monitoring");
  EXPECT_EQ(t["subject"], "[critical] NasDiskAlmostFull: NAS disk 95% full 磁盘将满");
  EXPECT_EQ(t["impact"], "high");

  server_.clock().advance(std::chrono::minutes(5));
  auto repeat = send(alert_group("firing", "NAS disk 97% full"), secret);
  EXPECT_EQ(repeat.status, 200);
  EXPECT_EQ(repeat.json()["ticket_id"], incident);
  EXPECT_EQ(mentions(incident, "97% full"), 1);
  EXPECT_EQ(admin_.get("/api/v1/tickets?limit=50").json()["items"].size(), 1u);

  server_.clock().advance(std::chrono::minutes(5));
  auto resolved = send(alert_group("resolved", "NAS disk back to 70%"), secret);
  EXPECT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_EQ(admin_.get("/api/v1/tickets/" + incident).json()["status"], "resolved");
  EXPECT_EQ(send(alert_group("resolved", "again"), secret).json()["outcome"], "ignored");

  server_.clock().advance(std::chrono::minutes(5));
  auto refired = send(alert_group("firing", "NAS disk full again"), secret);
  EXPECT_EQ(refired.status, 201);
  EXPECT_NE(refired.json()["ticket_id"], incident) << "a resolved incident stays resolved; the new outage is its own";

  auto bad = send(Json{{"version", "3"}, {"status", "burning"}}, secret);
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(problems(bad).contains("version") && problems(bad).contains("status") && problems(bad).contains("alerts")) << bad.body;
}

TEST_P(ChannelsTest, ManyIncidentsOfOneServiceAtOnceBecomeOneMajorIncident) {
  auto ch = channel("alertmanager");
  auto anon = server_.client();
  auto fire = [&](const std::string& alert, const std::string& service) {
    auto body = alert_group("firing", alert + " is down");
    body["groupKey"] = "{}:{alertname=\"" + alert + "\"}";
    body["commonLabels"]["alertname"] = alert;
    body["commonLabels"]["service"] = service;
    for (auto& a : body["alerts"]) {
      a["labels"]["service"] = service;
      a["labels"]["alertname"] = alert;
    }
    server_.clock().advance(std::chrono::minutes(2));
    auto r = anon.request("POST", "/api/v1/hooks/" + id(ch), body.dump(),
                          {{"content-type", "application/json"}, {"authorization", "Bearer " + ch["secret"].get<std::string>()}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["ticket_id"].get<std::string>();
  };
  auto first = fire("MailQueueStuck", "campus-mail");
  auto second = fire("ImapDown", "campus-mail");
  auto elsewhere = fire("PrinterOffline", "printing");
  EXPECT_FALSE(admin_.get("/api/v1/tickets/" + first).json()["major_incident"].get<bool>()) << "two are not yet an outage";
  auto third = fire("SmtpRefusing", "campus-mail");
  EXPECT_TRUE(admin_.get("/api/v1/tickets/" + first).json()["major_incident"].get<bool>()) << "the oldest carries the outage";
  auto children = [&] {
    std::set<std::string> out;
    auto links = admin_.get("/api/v1/tickets/" + first + "/links").json();
    for (const auto& l : links.is_array() ? links : links["items"])
      if (l["kind"] == "child") out.insert(l["other_id"].get<std::string>());
    return out;
  };
  EXPECT_EQ(children(), (std::set<std::string>{second, third}));
  auto fourth = fire("WebmailSlow", "campus-mail");
  EXPECT_EQ(children(), (std::set<std::string>{second, third, fourth}));
  EXPECT_FALSE(admin_.get("/api/v1/tickets/" + elsewhere).json()["major_incident"].get<bool>());
  // Long after, the same service's incidents are a new matter.
  server_.clock().advance(std::chrono::hours(2));
  auto later = fire("MailQueueStuckAgain", "campus-mail");
  EXPECT_EQ(children().count(later), 0u);
}

TEST_P(ChannelsTest, TwilioCallsAreLoggedOnceOnTheCallersTicket) {
  auto phone = create_user("caller@east.test", "user", id(east_), "Passw0rd-test!", {{"phones", {"+8613800138000"}}});
  auto refused = admin_.post("/api/v1/channels", {{"kind", "telephony"}, {"name", "Phones"}, {"format", "twilio"}});
  EXPECT_TRUE(problems(refused).contains("secret") && problems(refused).contains("address")) << refused.body;
  auto ch = channel("telephony", {{"format", "twilio"}, {"secret", "twilio-auth-token"}, {"address", "https://desk.example/"}});
  EXPECT_EQ(ch["secret"], "twilio-auth-token");
  EXPECT_EQ(admin_.post("/api/v1/channels/" + id(ch) + "/secret", Json::object()).status, 409) << "Twilio's token is Twilio's to issue";
  auto anon = server_.client();
  auto callback = [&](std::vector<channels::FormField> form, std::string token = "twilio-auth-token") {
    std::string body;
    for (const auto& f : form) body += (body.empty() ? "" : "&") + f.name + "=" + url_quoted(f.value);
    auto signature = channels::twilio_signature(token, "https://desk.example/api/v1/hooks/" + id(ch), form);
    return anon.request("POST", "/api/v1/hooks/" + id(ch), body,
                        {{"content-type", "application/x-www-form-urlencoded"}, {"x-twilio-signature", signature}});
  };
  auto call = [](std::string sid, std::string status, std::string duration = "") {
    std::vector<channels::FormField> f{{"AccountSid", "AC123"}, {"CallSid", sid}, {"CallStatus", status}, {"Direction", "inbound"},
                                       {"From", "+8613800138000"}, {"To", "+861088886666"}, {"ApiVersion", "2010-04-01"}};
    if (!duration.empty()) f.push_back({"CallDuration", duration});
    return f;
  };
  EXPECT_EQ(callback(call("CA1", "completed", "185"), "wrong-token").status, 401);
  EXPECT_EQ(callback(call("CA1", "ringing")).json()["outcome"], "ignored") << "a call still under way";
  auto first = callback(call("CA1", "completed", "185"));
  ASSERT_EQ(first.status, 201) << first.body;
  auto ticket = first.json()["ticket_id"].get<std::string>();
  auto t = admin_.get("/api/v1/tickets/" + ticket).json();
  EXPECT_EQ(t["channel"], "phone");
  EXPECT_EQ(t["requester_id"], id(phone));
  Json logged;
  auto entries = timeline(ticket);
  for (const auto& e : entries)
    if (e["kind"] == "call") logged = e;
  ASSERT_FALSE(logged.is_null());
  EXPECT_EQ(logged["data"]["duration_seconds"], 185);
  EXPECT_EQ(logged["data"]["phone"], "+8613800138000");
  EXPECT_EQ(callback(call("CA1", "completed", "185")).json()["outcome"], "duplicate") << "Twilio retries: logged once";
  server_.clock().advance(std::chrono::seconds(5));
  auto second = callback(call("CA2", "no-answer"));
  EXPECT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.json()["ticket_id"], ticket) << "the caller's open ticket from this channel";
  auto bad = callback({{"CallSid", "CA3"}, {"CallStatus", "completed"}, {"Direction", "inbound"}, {"From", "anonymous"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(problems(bad).count("From"), 1u);
}

TEST_P(ChannelsTest, MergingADuplicateMovesItsTicketsAndIdentitiesAndClosesIt) {
  auto dup = create_user("lei.li@east.test", "user", id(east_), "Passw0rd-test!", {{"phones", {"+8613800001234"}}});
  auto lilei = create_user("li.lei@east.test", "user", id(east_));
  auto dup_client = login("lei.li@east.test");
  auto t = dup_client.post("/api/v1/tickets", {{"type", "consultation"}, {"subject", "Dorm Wi-Fi? MERGE"}, {"description", "?"}}).json();
  auto watched = login("chen.jing@east.test").post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Watched"}, {"description", "."}}).json();
  auto current = admin_.get("/api/v1/tickets/" + id(watched));
  ASSERT_EQ(admin_.patch("/api/v1/tickets/" + id(watched), {{"watchers", {id(dup)}}}, current.headers["etag"]).status, 200);

  auto ch = channel("messaging");
  auto before_merge = hook(ch, message("before-merge", "Dorm printer", "lei.li@east.test"));
  ASSERT_EQ(before_merge.status, 201) << before_merge.body;
  auto agent = login("desk@provider.test");
  auto user = login("chen.jing@east.test");
  auto customer = login("cust@east.test");
  auto path = "/api/v1/users/" + id(lilei) + "/merge";
  expect_answers({{"merge", [&](HttpClient& c) { return c.post(path, {{"from_user_id", id(dup)}}); },
                   {{&user, 403}, {&customer, 403}}}});
  EXPECT_EQ(problems(agent.post(path, {{"from_user_id", id(lilei)}})).count("from_user_id"), 1u) << "not itself";
  EXPECT_EQ(problems(agent.post(path, {{"from_user_id", id(smith_)}})).count("from_user_id"), 1u) << "not across organisations";
  EXPECT_EQ(problems(agent.post(path, Json::object())).count("from_user_id"), 1u);

  auto merged = agent.post(path, {{"from_user_id", id(dup)}});
  ASSERT_EQ(merged.status, 200) << merged.body;
  EXPECT_EQ(merged.json()["merged"]["tickets"], 3);
  EXPECT_EQ(merged.json()["merged"]["identities"], 2) << "the e-mail address and the phone";
  EXPECT_EQ(admin_.get("/api/v1/tickets/" + id(t)).json()["requester_id"], id(lilei));
  auto w = admin_.get("/api/v1/tickets/" + id(watched)).json()["watchers"];
  EXPECT_EQ(w, Json::array({id(lilei)}));
  EXPECT_FALSE(admin_.get("/api/v1/users/" + id(dup)).json()["active"].get<bool>());
  EXPECT_EQ(dup_client.get("/api/v1/me").status, 401) << "the duplicate's sessions end";
  // The address is the survivor's now: signing in with it is signing in as them.
  auto by_old_address = login("lei.li@east.test");
  EXPECT_EQ(by_old_address.get("/api/v1/me").json()["id"], id(lilei));
  EXPECT_EQ(login("li.lei@east.test").get("/api/v1/tickets/" + id(t)).status, 200);
  auto audit = admin_.get("/api/v1/audit?limit=20").json()["items"];
  bool recorded = false;
  for (const auto& e : audit) recorded = recorded || (e["action"] == "user.merged" && e["target_id"] == id(lilei));
  EXPECT_TRUE(recorded) << audit;
  EXPECT_EQ(agent.post(path, {{"from_user_id", id(dup)}}).status, 409) << "closed already";

  // A message from the merged address is the survivor's, and joins the conversation the
  // duplicate began on the channel.
  server_.clock().advance(std::chrono::seconds(5));
  auto r = hook(ch, message("after-merge", "Still jammed", "lei.li@east.test"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["ticket_id"], before_merge.json()["ticket_id"]);
  EXPECT_EQ(admin_.get("/api/v1/tickets/" + r.json()["ticket_id"].get<std::string>()).json()["requester_id"], id(lilei));
}

TEST_P(ChannelsTest, ACallIsLoggedWithItsNumberDurationAndNotes) {
  auto t = login("chen.jing@east.test").post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Printer"}, {"description", "."}}).json();
  auto agent = login("desk@provider.test");
  auto r = agent.post("/api/v1/tickets/" + id(t) + "/calls",
                      {{"direction", "inbound"}, {"number", "+8613800138000"}, {"duration", 185}, {"notes", "来电：打印机仍然卡纸 CALLNOTE"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["channel"], "phone");
  EXPECT_EQ(r.json()["data"]["duration_seconds"], 185);
  EXPECT_EQ(r.json()["data"]["phone"], "+8613800138000");
  EXPECT_EQ(mentions(id(t), "CALLNOTE"), 1);
  auto missing = agent.post("/api/v1/tickets/" + id(t) + "/calls", {{"direction", "sideways"}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_TRUE(problems(missing).contains("notes") && problems(missing).contains("duration")) << missing.body;
}

INSTANTIATE_TEST_SUITE_P(Stores, ChannelsTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
