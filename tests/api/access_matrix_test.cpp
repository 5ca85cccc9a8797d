// Tenancy and roles: every CRUD route × {anonymous, user of A, customer of A, user of B, agent,
// admin} with the answer each must get (issue "Foundation", Done means).
#include <functional>

#include "api/api_fixture.h"

namespace tandem::testing {
namespace {

enum Who { anonymous, user_a, customer_a, user_b, agent, admin, kWhoCount };
const char* kWhoNames[] = {"anonymous", "user of A", "customer of A", "user of B", "agent", "admin"};

struct Row {
  std::string method;
  std::string path;  // {A}, {B}, {E}: organisations; {a1}, {a2}, {b1}: users; {T}: team
  std::function<Json(Who)> body;
  std::array<int, kWhoCount> expected;  // in the order of Who; admin last, so deletions run last
};

class AccessMatrixTest : public ApiTest {};

TEST_P(AccessMatrixTest, EveryRouteAnswersEachCallerAsItShould) {
  auto a = create_org("Org A");
  auto b = create_org("Org B");
  auto e = create_org("Empty org");
  auto a1 = create_user("a1@a.test", "user", a["id"]);
  auto a2 = create_user("a2@a.test", "user", a["id"]);
  create_user("cust@a.test", "customer", a["id"]);
  auto b1 = create_user("b1@b.test", "user", b["id"]);
  auto ag = create_user("agent@provider.test", "agent");
  auto team = admin_.post("/api/v1/teams", {{"name", "Desk"}, {"member_ids", {ag["id"]}}}).json();

  std::array<HttpClient, kWhoCount> callers{server_.client(), login("a1@a.test"), login("cust@a.test"),
                                            login("b1@b.test"), login("agent@provider.test"), server_.admin()};
  auto group_a = admin_.post("/api/v1/groups", {{"name", "Drivers"}, {"organization_id", a["id"]}}).json();
  auto group_b = admin_.post("/api/v1/groups", {{"name", "Riders"}, {"organization_id", b["id"]}}).json();
  std::map<std::string, std::string> ids = {{"{A}", a["id"]},   {"{B}", b["id"]},   {"{E}", e["id"]},
                                            {"{a1}", a1["id"]}, {"{a2}", a2["id"]}, {"{b1}", b1["id"]},
                                            {"{T}", team["id"]}, {"{GA}", group_a["id"]}, {"{GB}", group_b["id"]}};
  auto none = [](Who) { return Json(); };
  int counter = 0;
  auto new_user_in_a = [&](Who) {
    return Json{{"email", "new" + std::to_string(++counter) + "@a.test"}, {"name", "New"}, {"roles", {"user"}},
                {"organization_id", a["id"]}};
  };
  auto new_group_in_a = [&](Who) {
    return Json{{"name", "Group " + std::to_string(++counter)}, {"organization_id", a["id"]}};
  };
  auto rename = [&](Who w) { return Json{{"name", std::string("Renamed by ") + kWhoNames[w] + " #" + std::to_string(++counter)}}; };

  const std::vector<Row> table = {
      //                                                    anon user_a cust_a user_b agent admin
      {"GET", "/api/v1/me", none, {401, 200, 200, 200, 200, 200}},
      {"GET", "/api/v1/workflows", none, {401, 200, 200, 200, 200, 200}},
      {"GET", "/api/v1/organizations", none, {401, 200, 200, 200, 200, 200}},
      {"POST", "/api/v1/organizations", rename, {401, 403, 403, 403, 403, 201}},
      {"GET", "/api/v1/organizations/{A}", none, {401, 200, 200, 404, 200, 200}},
      {"GET", "/api/v1/organizations/{B}", none, {401, 404, 404, 200, 200, 200}},
      {"PATCH", "/api/v1/organizations/{A}", rename, {401, 403, 403, 403, 403, 200}},
      {"DELETE", "/api/v1/organizations/{E}", none, {401, 403, 403, 403, 403, 204}},
      {"GET", "/api/v1/users", none, {401, 200, 200, 200, 200, 200}},
      {"POST", "/api/v1/users", new_user_in_a, {401, 403, 201, 403, 403, 201}},
      {"GET", "/api/v1/users/{a1}", none, {401, 200, 200, 404, 200, 200}},
      {"GET", "/api/v1/users/{a2}", none, {401, 404, 200, 404, 200, 200}},
      {"GET", "/api/v1/users/{b1}", none, {401, 404, 404, 200, 200, 200}},
      {"PATCH", "/api/v1/users/{a1}", rename, {401, 200, 200, 404, 403, 200}},
      {"PATCH", "/api/v1/users/{b1}", rename, {401, 404, 404, 200, 403, 200}},
      {"DELETE", "/api/v1/users/{a2}", none, {401, 403, 204, 403, 403, 204}},
      {"GET", "/api/v1/teams", none, {401, 403, 403, 403, 200, 200}},
      {"POST", "/api/v1/teams", rename, {401, 403, 403, 403, 403, 201}},
      {"GET", "/api/v1/teams/{T}", none, {401, 404, 404, 404, 200, 200}},
      {"PATCH", "/api/v1/teams/{T}", rename, {401, 403, 403, 403, 403, 200}},
      {"DELETE", "/api/v1/teams/{T}", none, {401, 403, 403, 403, 403, 204}},
      // Groups of a customer's people: a customer keeps their own organisation's.
      {"GET", "/api/v1/groups", none, {401, 403, 200, 403, 200, 200}},
      {"POST", "/api/v1/groups", new_group_in_a, {401, 403, 201, 403, 403, 201}},
      {"GET", "/api/v1/groups/{GA}", none, {401, 404, 200, 404, 200, 200}},
      {"GET", "/api/v1/groups/{GB}", none, {401, 404, 404, 404, 200, 200}},
      {"PATCH", "/api/v1/groups/{GA}", rename, {401, 403, 200, 403, 403, 200}},
      {"PATCH", "/api/v1/groups/{GB}", rename, {401, 403, 404, 403, 403, 200}},
      {"DELETE", "/api/v1/groups/{GB}", none, {401, 403, 404, 403, 403, 204}},
      {"GET", "/api/v1/audit", none, {401, 403, 403, 403, 403, 200}},
      {"GET", "/api/v1/tokens", none, {401, 200, 200, 200, 200, 200}},
      {"POST", "/api/v1/tokens", [](Who) { return Json{{"name", "ci"}}; }, {401, 201, 201, 201, 201, 201}},
  };

  for (const auto& row : table) {
    std::string path = row.path;
    for (const auto& [k, v] : ids)
      if (auto pos = path.find(k); pos != std::string::npos) path.replace(pos, k.size(), v);
    for (int w = 0; w < kWhoCount; ++w) {
      auto who = static_cast<Who>(w);
      auto& caller = callers[w];
      auto body = row.body(who);
      HttpResponse r;
      if (row.method == "PATCH") {
        // Each PATCH carries the current ETag, read by the admin, so only the role decides.
        auto etag = server_.admin().get(path).header("etag");
        r = caller.patch(path, body, etag);
      } else if (row.method == "POST") {
        r = caller.post(path, body);
      } else {
        r = caller.request(row.method, path);
      }
      EXPECT_EQ(r.status, row.expected[w]) << row.method << " " << row.path << " as " << kWhoNames[w] << ": " << r.body;
      if (r.status >= 400) {
        EXPECT_FALSE(r.error_code().empty()) << "error without the API.md shape: " << r.body;
      }
    }
  }
}

TEST_P(AccessMatrixTest, ListsNeverShowAnotherOrganisation) {
  auto a = create_org("Org A");
  auto b = create_org("Org B");
  create_user("a1@a.test", "user", a["id"]);
  create_user("cust@a.test", "customer", a["id"]);
  create_user("b1@b.test", "user", b["id"]);
  for (auto email : {"a1@a.test", "cust@a.test"}) {
    auto c = login(email);
    auto users = c.get("/api/v1/users?limit=500");
    ASSERT_EQ(users.status, 200);
    EXPECT_EQ(users.body.find("b1@b.test"), std::string::npos) << email << " sees " << users.body;
    auto orgs = c.get("/api/v1/organizations");
    ASSERT_EQ(orgs.status, 200);
    ASSERT_EQ(orgs.json()["items"].size(), 1u) << orgs.body;
    EXPECT_EQ(orgs.json()["items"][0]["id"], a["id"]);
    // Asking by filter for B's users returns nothing rather than B's data.
    auto filtered = c.get("/api/v1/users?organization_id=" + b["id"].get<std::string>());
    EXPECT_TRUE(filtered.json()["items"].empty()) << filtered.body;
  }
}

TEST_P(AccessMatrixTest, PeopleCannotRaiseTheirOwnRights) {
  auto a = create_org("Org A");
  auto a1 = create_user("a1@a.test", "user", a["id"]);
  create_user("cust@a.test", "customer", a["id"]);
  auto path = "/api/v1/users/" + a1["id"].get<std::string>();
  auto user = login("a1@a.test");
  auto etag = user.get(path).header("etag");
  EXPECT_EQ(user.patch(path, {{"roles", {"customer"}}}, etag).status, 403);
  EXPECT_EQ(user.patch(path, {{"flags", {"priority_repair"}}}, etag).status, 403);
  auto customer = login("cust@a.test");
  EXPECT_EQ(customer.patch(path, {{"roles", {"admin"}}}, etag).status, 403);
  auto b = create_org("Org B");
  EXPECT_EQ(customer.patch(path, {{"organization_id", b["id"]}}, etag).status, 404);
  auto created = customer.post("/api/v1/users", {{"email", "x@a.test"}, {"name", "X"}, {"roles", {"agent"}},
                                                 {"organization_id", a["id"]}});
  EXPECT_EQ(created.status, 403) << created.body;
  auto elsewhere = customer.post("/api/v1/users", {{"email", "y@b.test"}, {"name", "Y"}, {"roles", {"user"}},
                                                   {"organization_id", b["id"]}});
  EXPECT_EQ(elsewhere.status, 404) << elsewhere.body;
  EXPECT_EQ(user.get(path).json()["roles"], Json::array({"user"}));
}

TEST_P(AccessMatrixTest, RepresentativeSeesTheUsersTheyRepresent) {
  auto a = create_org("Org A");
  auto a1 = create_user("a1@a.test", "user", a["id"]);
  auto a2 = create_user("a2@a.test", "user", a["id"]);
  create_user("rep@a.test", "representative", a["id"], "Passw0rd-test!", {{"represented_user_ids", {a1["id"]}}});
  auto rep = login("rep@a.test");
  EXPECT_EQ(rep.get("/api/v1/users/" + a1["id"].get<std::string>()).status, 200);
  EXPECT_EQ(rep.get("/api/v1/users/" + a2["id"].get<std::string>()).status, 404);
  auto b = create_org("Org B");
  auto b1 = create_user("b1@b.test", "user", b["id"]);
  // A representative cannot be made to represent someone of another organisation.
  auto r = admin_.post("/api/v1/users", {{"email", "rep2@a.test"}, {"name", "Rep"}, {"roles", {"representative"}},
                                         {"organization_id", a["id"]}, {"represented_user_ids", {b1["id"]}}});
  EXPECT_EQ(r.status, 422) << r.body;
}

TEST_P(AccessMatrixTest, PeopleLinkTheirPhonesAndHandlesButNotSomeoneElses) {
  auto a = create_org("Org A");
  auto a1 = create_user("a1@a.test", "user", a["id"]);
  auto a2 = create_user("a2@a.test", "user", a["id"]);
  auto me = login("a1@a.test");
  auto path = "/api/v1/users/" + a1["id"].get<std::string>();
  auto etag = me.get(path).header("etag");
  auto linked = me.patch(path, {{"phones", {"+86 10 6275 1234"}}, {"handles", {"wechat:a1"}}}, etag);
  ASSERT_EQ(linked.status, 200) << linked.body;
  auto ids = linked.json()["identities"];
  EXPECT_EQ(ids.size(), 3u) << ids.dump();
  EXPECT_EQ(ids[0]["kind"], "email") << "the primary address stays first";
  // The same number, written differently, belongs to a1 now.
  auto other = login("a2@a.test");
  auto path2 = "/api/v1/users/" + a2["id"].get<std::string>();
  auto taken = other.patch(path2, {{"phones", {"+86-10-6275-1234"}}}, other.get(path2).header("etag"));
  EXPECT_EQ(taken.status, 409) << taken.body;
  EXPECT_EQ(taken.json()["error"]["details"][0]["field"], "phones");
  auto bad = me.patch(path, {{"phones", {"call me maybe"}}}, linked.header("etag"));
  EXPECT_EQ(bad.status, 422);
  auto cleared = me.patch(path, {{"phones", Json::array()}}, linked.header("etag"));
  ASSERT_EQ(cleared.status, 200);
  EXPECT_EQ(cleared.json()["identities"].size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Stores, AccessMatrixTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
