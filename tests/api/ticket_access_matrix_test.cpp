// Tenancy and roles on the service desk: every ticket route × {anonymous, the requester, a
// colleague not involved, the organisation's customer, the requester's representative, a user of
// another organisation, an agent, the admin} with the answer each must get. A ticket the caller
// may not see is 404 on every per-ticket route; a route the caller's role may never use is 403;
// internal notes and calls are staff-only, and a consumer never reads another organisation's
// tickets by any route.
#include <algorithm>
#include <array>
#include <functional>

#include "api/api_fixture.h"

namespace tandem::testing {
namespace {

enum Who { anonymous, user_a, colleague_a, customer_a, rep_a, user_b, agent, admin, kWhoCount };
const char* kWhoNames[] = {"anonymous",          "user of A (raised TA)", "colleague in A", "customer of A",
                           "representative of A", "user of B",             "agent",          "admin"};

bool is_staff(Who w) { return w == agent || w == admin; }
bool is_consumer(Who w) { return w != anonymous && !is_staff(w); }

// Words that appear in exactly one place, so a search for them is exact.
constexpr const char* kTaWord = "ALPACAMARK";    // only in TA's description
constexpr const char* kTbWord = "BISONMARK";     // only in TB's description
constexpr const char* kNoteWord = "NOTESECRET";  // only in internal notes
constexpr const char* kCallWord = "CALLSECRET";  // only in logged calls (internal by default)
constexpr const char* kReplyWord = "PUBLICREPLY";

// Who may see TA and TB: the requester side of TA is its requester, their organisation's
// customer and their representative; the uninvolved colleague is not on it.
constexpr std::array<bool, kWhoCount> kSeesTa = {false, true, false, true, true, false, true, true};
constexpr std::array<bool, kWhoCount> kSeesTb = {false, false, false, false, false, true, true, true};

struct Row {
  std::string method;
  // {TA}, {TB}: the fixture tickets; {A*}, {B*}: a ticket raised for this cell alone by the user
  // of A / of B, in state `new`; {A}, {B}: organisations; {Q}: a shared queue.
  std::string path;
  std::function<Json(Who)> body;
  std::array<int, kWhoCount> expected;  // in the order of Who
};

class TicketAccessMatrixTest : public ApiTest {
 protected:
  void SetUp() override {
    a_ = create_org("Org A");
    b_ = create_org("Org B");
    a1_ = create_user("a1@a.test", "user", id(a_));
    create_user("a2@a.test", "user", id(a_));
    create_user("cust@a.test", "customer", id(a_));
    create_user("rep@a.test", "representative", id(a_), "Passw0rd-test!", {{"represented_user_ids", {id(a1_)}}});
    create_user("b1@b.test", "user", id(b_));
    create_user("agent@p.test", "agent");
    callers_ = {server_.client(),     login("a1@a.test"), login("a2@a.test"),    login("cust@a.test"),
                login("rep@a.test"),  login("b1@b.test"), login("agent@p.test"), admin_};

    ta_ = raise(user_a, "Projector in room 101 flickers", std::string(kTaWord) + " projector flickers in lectures");
    tb_ = raise(user_b, "Badge reader broken", std::string(kTbWord) + " badge reader at the gate");
    // Staff leave internal text on both tickets before any row runs, so every read below has
    // something it must hide, and a public reply it must show.
    for (const auto* t : {&ta_, &tb_}) {
      auto note = as(agent).post(path(*t, "/comments"), {{"body", std::string(kNoteWord) + " firewall rule 42"}, {"public", false}});
      ASSERT_EQ(note.status, 201) << note.body;
      auto call = as(agent).post(path(*t, "/calls"), {{"summary", std::string(kCallWord) + " vendor hotline"}, {"duration_seconds", 120}});
      ASSERT_EQ(call.status, 201) << call.body;
      auto reply = as(agent).post(path(*t, "/comments"), {{"body", std::string(kReplyWord) + " we are on it"}});
      ASSERT_EQ(reply.status, 201) << reply.body;
    }
    auto queue = as(agent).post("/api/v1/queues", {{"name", "Everything new"}, {"shared", true}, {"filter", {{"status", "new"}}}});
    ASSERT_EQ(queue.status, 201) << queue.body;
    queue_ = queue.json();
  }

  static std::string id(const Json& j) { return j["id"].get<std::string>(); }
  static std::string path(const Json& ticket, const std::string& rest = "") { return "/api/v1/tickets/" + id(ticket) + rest; }
  static bool contains(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }
  HttpClient& as(Who w) { return callers_[w]; }
  const Json& own_org(Who w) const { return w == user_b ? b_ : a_; }

  // Every ticket is filed under its organisation, so the checks below know which ids are foreign.
  void remember(const Json& ticket) {
    (ticket["organization_id"] == a_["id"] ? a_tickets_ : b_tickets_).push_back(id(ticket));
  }
  Json raise(Who w, const std::string& subject, const std::string& description = "") {
    auto r = as(w).post("/api/v1/tickets", {{"type", "incident"}, {"subject", subject}, {"description", description}});
    EXPECT_EQ(r.status, 201) << r.body;
    auto t = r.json();
    remember(t);
    return t;
  }
  // A ticket in state `new` that no other cell touches.
  std::string fresh(Who raiser) { return id(raise(raiser, "Fresh ticket")); }

  std::vector<std::string> ids_of(Who w, const std::string& target) {
    auto r = as(w).get(target);
    EXPECT_EQ(r.status, 200) << kWhoNames[w] << " " << target << ": " << r.body;
    expect_nothing_leaks(w, r, target);
    std::vector<std::string> ids;
    auto page = r.json();
    for (const auto& item : page["items"]) ids.push_back(item["id"]);
    return ids;
  }
  std::vector<std::string> search_ids(Who w, const std::string& word) { return ids_of(w, "/api/v1/search?q=" + word); }
  std::vector<std::string> list_ids(Who w) { return ids_of(w, "/api/v1/tickets?limit=100"); }

  // What a consumer's answer must never hold, whatever the route and status: an id of another
  // organisation's ticket, internal text, or an item of another organisation.
  void expect_nothing_leaks(Who w, const HttpResponse& r, const std::string& where) {
    if (!is_consumer(w)) return;
    const auto& foreign = w == user_b ? a_tickets_ : b_tickets_;
    for (const auto& t : foreign)
      EXPECT_EQ(r.body.find(t), std::string::npos) << where << " as " << kWhoNames[w] << " names " << t << ": " << r.body;
    for (const char* secret : {kNoteWord, kCallWord})
      EXPECT_EQ(r.body.find(secret), std::string::npos) << where << " as " << kWhoNames[w] << " shows internal text: " << r.body;
    auto json = r.json();
    if (r.status != 200 || !json.is_object() || !json.contains("items") || !json["items"].is_array()) return;
    for (const auto& item : json["items"]) {
      if (item.is_object() && item.contains("organization_id")) {
        EXPECT_EQ(item["organization_id"], own_org(w)["id"]) << where << " as " << kWhoNames[w] << ": " << r.body;
      }
    }
  }

  Json a_, b_, a1_, ta_, tb_, queue_;
  std::vector<HttpClient> callers_;
  std::vector<std::string> a_tickets_, b_tickets_;
};

TEST_P(TicketAccessMatrixTest, EveryTicketRouteAnswersEachCallerAsItShould) {
  int counter = 0;
  auto tag = [&](Who w) { return std::string(kWhoNames[w]) + " #" + std::to_string(++counter); };
  auto none = [](Who) { return Json(); };
  auto new_ticket = [&](Who w) {
    Json body = {{"type", "incident"}, {"subject", "Raised by " + tag(w)}};
    // Staff belong to no organisation: they raise a ticket for someone.
    if (is_staff(w)) body["on_behalf_of"] = id(a1_);
    return body;
  };
  auto rename = [&](Who w) { return Json{{"subject", "Renamed by " + tag(w)}}; };
  // A field only staff change; the admin sets another value than the agent so both are changes.
  auto urgency = [](Who w) { return Json{{"urgency", w == admin ? "low" : "high"}}; };
  auto reply = [&](Who w) { return Json{{"body", "Reply by " + tag(w)}}; };
  auto note = [&](Who w) { return Json{{"body", std::string(kNoteWord) + " by " + tag(w)}, {"public", false}}; };
  auto call = [&](Who w) { return Json{{"summary", std::string(kCallWord) + " by " + tag(w)}, {"duration_seconds", 60}}; };
  auto to = [](const char* state) { return [state](Who) { return Json{{"to", state}}; }; };
  // Links go to a fresh ticket each time: the same pair linked twice would be a 409.
  auto link_to_fresh = [&](Who raiser, const char* kind) {
    return [this, raiser, kind](Who) { return Json{{"ticket_id", fresh(raiser)}, {"kind", kind}}; };
  };
  auto bulk = [&](Who w) { return Json{{"ids", {id(ta_), id(tb_)}}, {"changes", {{"category", "Bulk by " + tag(w)}}}}; };
  auto queue = [&](Who w) { return Json{{"name", "Queue of " + tag(w)}, {"filter", {{"status", "new"}}}}; };

  // Writes first, reads last, so the reads see everything the writes left behind. TA stays in
  // `new` throughout: state changes happen on fresh tickets ({A*}, {B*}).
  const std::vector<Row> table = {
      //                                                                 anon user_a coll cust  rep user_b agent admin
      {"POST", "/api/v1/tickets", new_ticket, {401, 201, 201, 201, 201, 201, 201, 201}},
      {"PATCH", "/api/v1/tickets/{TA}", rename, {401, 200, 404, 200, 200, 404, 200, 200}},
      {"PATCH", "/api/v1/tickets/{TA}", urgency, {401, 403, 404, 403, 403, 404, 200, 200}},
      {"PATCH", "/api/v1/tickets/{TB}", rename, {401, 404, 404, 404, 404, 200, 200, 200}},
      {"POST", "/api/v1/tickets/{TA}/comments", reply, {401, 201, 404, 201, 201, 404, 201, 201}},
      {"POST", "/api/v1/tickets/{TB}/comments", reply, {401, 404, 404, 404, 404, 201, 201, 201}},
      // The role is checked before the ticket is loaded: 403 even where the ticket is unseen.
      {"POST", "/api/v1/tickets/{TA}/comments", note, {401, 403, 403, 403, 403, 403, 201, 201}},
      {"POST", "/api/v1/tickets/{TB}/comments", note, {401, 403, 403, 403, 403, 403, 201, 201}},
      {"POST", "/api/v1/tickets/{TA}/calls", call, {401, 403, 403, 403, 403, 403, 201, 201}},
      {"POST", "/api/v1/tickets/{TB}/calls", call, {401, 403, 403, 403, 403, 403, 201, 201}},
      // A move the workflow lacks is a conflict for whoever sees the ticket, and changes nothing.
      {"POST", "/api/v1/tickets/{TA}/transitions", to("closed"), {401, 409, 404, 409, 409, 404, 409, 409}},
      {"POST", "/api/v1/tickets/{A*}/transitions", to("triaged"), {401, 403, 404, 403, 403, 404, 200, 200}},
      {"POST", "/api/v1/tickets/{A*}/transitions", to("cancelled"), {401, 200, 404, 200, 200, 404, 200, 200}},
      {"POST", "/api/v1/tickets/{B*}/transitions", to("triaged"), {401, 404, 404, 404, 404, 403, 200, 200}},
      {"POST", "/api/v1/tickets/{B*}/transitions", to("cancelled"), {401, 404, 404, 404, 404, 200, 200, 200}},
      {"POST", "/api/v1/tickets/{TA}/links", link_to_fresh(user_a, "related"), {401, 201, 404, 201, 201, 404, 201, 201}},
      // The other end of a link must be visible too; an unseen one is "no such ticket" (422).
      {"POST", "/api/v1/tickets/{TA}/links", link_to_fresh(user_b, "related"), {401, 422, 404, 422, 422, 404, 201, 201}},
      {"POST", "/api/v1/tickets/{TB}/links", link_to_fresh(user_a, "related"), {401, 404, 404, 404, 404, 422, 201, 201}},
      // Parent and child links are staff work, refused before the ticket is loaded.
      {"POST", "/api/v1/tickets/{TB}/links", link_to_fresh(user_b, "child"), {401, 403, 403, 403, 403, 403, 201, 201}},
      {"POST", "/api/v1/tickets/bulk-updates", bulk, {401, 403, 403, 403, 403, 403, 200, 200}},
      {"POST", "/api/v1/queues", queue, {401, 403, 403, 403, 403, 403, 201, 201}},
      {"GET", "/api/v1/queues", none, {401, 403, 403, 403, 403, 403, 200, 200}},
      {"GET", "/api/v1/queues/{Q}", none, {401, 403, 403, 403, 403, 403, 200, 200}},
      {"GET", "/api/v1/queues/{Q}/tickets", none, {401, 403, 403, 403, 403, 403, 200, 200}},
      {"GET", "/api/v1/tickets", none, {401, 200, 200, 200, 200, 200, 200, 200}},
      // A filter into another organisation is refused rather than silently emptied.
      {"GET", "/api/v1/tickets?organization_id={A}", none, {401, 200, 200, 200, 200, 422, 200, 200}},
      {"GET", "/api/v1/tickets?organization_id={B}", none, {401, 422, 422, 422, 422, 200, 200, 200}},
      {"GET", "/api/v1/tickets/{TA}", none, {401, 200, 404, 200, 200, 404, 200, 200}},
      {"GET", "/api/v1/tickets/{TB}", none, {401, 404, 404, 404, 404, 200, 200, 200}},
      {"GET", "/api/v1/tickets/{TA}/timeline?limit=500", none, {401, 200, 404, 200, 200, 404, 200, 200}},
      {"GET", "/api/v1/tickets/{TB}/timeline?limit=500", none, {401, 404, 404, 404, 404, 200, 200, 200}},
      {"GET", "/api/v1/tickets/{TA}/links", none, {401, 200, 404, 200, 200, 404, 200, 200}},
      {"GET", "/api/v1/tickets/{TB}/links", none, {401, 404, 404, 404, 404, 200, 200, 200}},
      {"GET", std::string("/api/v1/search?q=") + kTaWord, none, {401, 200, 200, 200, 200, 200, 200, 200}},
      {"GET", std::string("/api/v1/search?q=") + kTbWord, none, {401, 200, 200, 200, 200, 200, 200, 200}},
      {"GET", std::string("/api/v1/search?q=") + kNoteWord, none, {401, 200, 200, 200, 200, 200, 200, 200}},
      {"GET", "/api/v1/notifications", none, {401, 200, 200, 200, 200, 200, 200, 200}},
      {"GET", "/api/v1/notifications/unread-count", none, {401, 200, 200, 200, 200, 200, 200, 200}},
  };

  const std::map<std::string, std::string> ids = {
      {"{TA}", id(ta_)}, {"{TB}", id(tb_)}, {"{A}", id(a_)}, {"{B}", id(b_)}, {"{Q}", id(queue_)}};
  int cells = 0;
  for (const auto& row : table) {
    for (int w = 0; w < kWhoCount; ++w) {
      auto who = static_cast<Who>(w);
      std::string target = row.path;
      for (const auto& [k, v] : ids)
        if (auto pos = target.find(k); pos != std::string::npos) target.replace(pos, k.size(), v);
      if (auto pos = target.find("{A*}"); pos != std::string::npos) target.replace(pos, 4, fresh(user_a));
      if (auto pos = target.find("{B*}"); pos != std::string::npos) target.replace(pos, 4, fresh(user_b));
      auto body = row.body(who);
      auto cell = row.method + " " + row.path + " as " + kWhoNames[w];
      auto before = audit_count();
      HttpResponse r;
      if (row.method == "PATCH") {
        // Each PATCH carries the current ETag, read by the admin, so only the caller decides.
        r = as(who).patch(target, body, admin_.get(target).header("etag"));
      } else if (row.method == "POST") {
        r = as(who).post(target, body);
      } else {
        r = as(who).request(row.method, target);
      }
      ++cells;
      EXPECT_EQ(r.status, row.expected[w]) << cell << ": " << r.body;
      if (r.status >= 400) {
        EXPECT_FALSE(r.error_code().empty()) << cell << ": error without the API.md shape: " << r.body;
        EXPECT_EQ(audit_count(), before) << cell << ": a refusal wrote something";
      }
      if (row.method == "POST" && row.path == "/api/v1/tickets" && r.status == 201) remember(r.json());
      expect_nothing_leaks(who, r, cell);
    }
  }
  EXPECT_EQ(cells, static_cast<int>(table.size()) * kWhoCount);
}

TEST_P(TicketAccessMatrixTest, ListsAndSearchShowExactlyTheTicketsEachCallerMaySee) {
  for (int w = user_a; w < kWhoCount; ++w) {
    auto who = static_cast<Who>(w);
    auto listed = list_ids(who);
    EXPECT_EQ(contains(listed, id(ta_)), kSeesTa[w]) << kWhoNames[w] << " list and TA";
    EXPECT_EQ(contains(listed, id(tb_)), kSeesTb[w]) << kWhoNames[w] << " list and TB";
    // Search agrees with the list, and each word finds at most its own ticket.
    auto ta_hits = search_ids(who, kTaWord);
    auto tb_hits = search_ids(who, kTbWord);
    EXPECT_EQ(ta_hits, kSeesTa[w] ? std::vector<std::string>{id(ta_)} : std::vector<std::string>{}) << kWhoNames[w];
    EXPECT_EQ(tb_hits, kSeesTb[w] ? std::vector<std::string>{id(tb_)} : std::vector<std::string>{}) << kWhoNames[w];
  }
  // The requester searching for a word only in the other organisation's ticket gets nothing.
  EXPECT_TRUE(search_ids(user_a, kTbWord).empty());
  EXPECT_TRUE(search_ids(user_b, kTaWord).empty());
  // The colleague raised nothing and watches nothing: their list is empty, not the organisation's.
  EXPECT_TRUE(list_ids(colleague_a).empty());
  // Staff see both organisations, in lists and in a shared queue.
  auto queued = ids_of(agent, "/api/v1/queues/" + id(queue_) + "/tickets?limit=100");
  EXPECT_TRUE(contains(queued, id(ta_)) && contains(queued, id(tb_)));
}

TEST_P(TicketAccessMatrixTest, InternalNotesAndCallsNeverReachAConsumer) {
  for (int w = user_a; w < kWhoCount; ++w) {
    auto who = static_cast<Who>(w);
    for (const auto* t : {&ta_, &tb_}) {
      bool sees = t == &ta_ ? kSeesTa[w] : kSeesTb[w];
      for (const auto& target : {path(*t), path(*t, "/timeline?limit=500")}) {
        auto r = as(who).get(target);
        EXPECT_EQ(r.status, sees ? 200 : 404) << kWhoNames[w] << " " << target << ": " << r.body;
        if (is_staff(who) && target.ends_with("limit=500")) {
          // Staff read the same timeline with the internal text in it.
          EXPECT_NE(r.body.find(kNoteWord), std::string::npos) << r.body;
          EXPECT_NE(r.body.find(kCallWord), std::string::npos) << r.body;
        } else if (sees && target.ends_with("limit=500")) {
          // The consumer's timeline is the real one: the public reply is there, the rest is not.
          EXPECT_NE(r.body.find(kReplyWord), std::string::npos) << kWhoNames[w] << ": " << r.body;
        }
        expect_nothing_leaks(who, r, target);
      }
    }
    auto note_hits = search_ids(who, kNoteWord);
    auto call_hits = search_ids(who, kCallWord);
    if (is_staff(who)) {
      EXPECT_TRUE(contains(note_hits, id(ta_)) && contains(note_hits, id(tb_))) << kWhoNames[w];
      EXPECT_TRUE(contains(call_hits, id(ta_)) && contains(call_hits, id(tb_))) << kWhoNames[w];
    } else {
      EXPECT_TRUE(note_hits.empty()) << kWhoNames[w] << " finds an internal note";
      EXPECT_TRUE(call_hits.empty()) << kWhoNames[w] << " finds a logged call";
    }
    // Notifications come from public events only.
    expect_nothing_leaks(who, as(who).get("/api/v1/notifications?limit=100"), "/api/v1/notifications");
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, TicketAccessMatrixTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
