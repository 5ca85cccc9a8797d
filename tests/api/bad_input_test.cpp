// Bad input gets a clear error in the API.md shape and changes nothing; conditional and
// idempotent writes; pagination.
#include "api/api_fixture.h"

namespace tandem::testing {
namespace {

class BadInputTest : public ApiTest {};

TEST_P(BadInputTest, MalformedBodiesAreRefusedWithoutAWrite) {
  auto before = audit_count();
  struct Case {
    std::string body;
    std::string content_type;
    int status;
    std::string code;
  };
  const std::vector<Case> cases = {
      {R"({"name": "broken")", "application/json", 400, "malformed_json"},
      {"{\"name\": \"bad \xff\xfe utf8\"}", "application/json", 400, "malformed_json"},
      {R"(["name"])", "application/json", 400, "malformed_json"},
      {R"({"name": 42})", "application/json", 422, "validation_failed"},
      {R"({"name": null})", "application/json", 422, "validation_failed"},
      {R"({"name": "   "})", "application/json", 422, "validation_failed"},
      {R"({"name": "ok", "colour": "red"})", "application/json", 422, "validation_failed"},
      {R"({"name": "ok"})", "text/plain", 415, "unsupported_media_type"},
      {"", "application/json", 400, "malformed_json"},
  };
  for (const auto& c : cases) {
    auto r = admin_.request("POST", "/api/v1/organizations", c.body, {{"Content-Type", c.content_type}});
    EXPECT_EQ(r.status, c.status) << c.body << " → " << r.body;
    EXPECT_EQ(r.error_code(), c.code) << c.body;
    EXPECT_TRUE(r.json()["error"]["message"].is_string());
  }
  EXPECT_EQ(audit_count(), before);
  EXPECT_EQ(admin_.get("/api/v1/organizations").json()["items"].size(), 1u) << "only the provider exists";
}

TEST_P(BadInputTest, ValidationListsEveryInvalidField) {
  auto r = admin_.post("/api/v1/users", {{"email", "not-an-address"}, {"name", ""}, {"roles", {"wizard"}},
                                         {"language", "fr"}, {"time_zone", "Mars/Olympus"}, {"password", "short"}});
  ASSERT_EQ(r.status, 422) << r.body;
  std::set<std::string> fields;
  auto body = r.json();
  for (const auto& d : body["error"]["details"]) fields.insert(d["field"].get<std::string>());
  for (auto f : {"email", "name", "roles", "language", "time_zone", "password"}) EXPECT_TRUE(fields.contains(f)) << f << " in " << r.body;
}

TEST_P(BadInputTest, EachInvalidFieldIsReportedOnce) {
  auto org = create_org("Org A");
  auto user = create_user("a1@a.test", "user", org["id"]);
  auto path = "/api/v1/users/" + user["id"].get<std::string>();
  auto r = admin_.patch(path, {{"name", "  "}, {"language", "fr"}}, admin_.get(path).header("etag"));
  ASSERT_EQ(r.status, 422) << r.body;
  std::multiset<std::string> fields;
  auto body = r.json();
  for (const auto& d : body["error"]["details"]) fields.insert(d["field"].get<std::string>());
  EXPECT_EQ(fields, (std::multiset<std::string>{"language", "name"})) << r.body;
}

TEST_P(BadInputTest, BodyOverOneMebibyteIsRefusedFromItsContentLength) {
  auto before = audit_count();
  // Only the headers go out: the answer must come without the server reading a body.
  std::string head = "POST /api/v1/organizations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Cookie: tandem_session=" + admin_.session() + "\r\nX-CSRF-Token: " + admin_.csrf() +
                     "\r\nContent-Length: " + std::to_string((1 << 20) + 1) + "\r\n\r\n";
  auto answer = raw_exchange(server_.port(), head);
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 413")) << answer.substr(0, 80);
  EXPECT_NE(answer.find("payload_too_large"), std::string::npos);
  // A chunked body is stopped once it passes the limit.
  std::string chunk(64 * 1024, 'x');
  std::string chunked = "POST /api/v1/organizations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Transfer-Encoding: chunked\r\nCookie: tandem_session=" + admin_.session() +
                        "\r\nX-CSRF-Token: " + admin_.csrf() + "\r\n\r\n";
  for (int i = 0; i < 20; ++i) chunked += "10000\r\n" + chunk + "\r\n";
  chunked += "0\r\n\r\n";
  auto chunked_answer = raw_exchange(server_.port(), chunked);
  EXPECT_TRUE(chunked_answer.starts_with("HTTP/1.1 413")) << chunked_answer.substr(0, 80);
  EXPECT_EQ(audit_count(), before);
}

TEST_P(BadInputTest, ClientThatSendsTheWholeTooLargeBodyStillReadsThe413) {
  std::string body((1 << 20) + 1, 'x');
  auto r = admin_.request("POST", "/api/v1/organizations", body, {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.error_code(), "payload_too_large");
}

TEST_P(BadInputTest, GarbageRequestsDoNotCrashTheServer) {
  for (std::string junk : {"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
                           "POST /api/v1/organizations HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
                           "GET /api/v1/users/%00%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"}) {
    raw_exchange(server_.port(), junk, 2000);
  }
  EXPECT_EQ(server_.client().get("/healthz").status, 200);
  EXPECT_EQ(admin_.get("/api/v1/users/usr_does_not_exist").status, 404);
}

TEST_P(BadInputTest, UnknownPathsAndMethodsAnswerInTheErrorShape) {
  auto missing = admin_.get("/api/v1/nothing-here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.error_code(), "not_found");
  auto method = admin_.request("PUT", "/api/v1/organizations");
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(method.error_code(), "method_not_allowed");
}

TEST_P(BadInputTest, PatchNeedsACurrentETag) {
  auto org = create_org("Org A");
  auto path = "/api/v1/organizations/" + org["id"].get<std::string>();
  auto etag = admin_.get(path).header("etag");
  ASSERT_FALSE(etag.empty());
  auto missing = admin_.patch(path, {{"name", "X"}}, "");
  EXPECT_EQ(missing.status, 428);
  auto changed = admin_.patch(path, {{"name", "Org A renamed"}}, etag);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_NE(changed.header("etag"), etag);
  auto stale = admin_.patch(path, {{"name", "Lost update"}}, etag);
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(admin_.get(path).json()["name"], "Org A renamed");
  auto plain_json = admin_.request("PATCH", path, R"({"name":"Plain"})",
                                   {{"Content-Type", "application/json"}, {"If-Match", changed.header("etag")}});
  EXPECT_EQ(plain_json.status, 200) << "application/json is accepted for PATCH too";
}

TEST_P(BadInputTest, IdempotencyKeyReplaysTheFirstAnswer) {
  std::map<std::string, std::string> key{{"Idempotency-Key", "create-org-7"}};
  auto first = admin_.post("/api/v1/organizations", {{"name", "Once"}}, key);
  auto second = admin_.post("/api/v1/organizations", {{"name", "Once"}}, key);
  ASSERT_EQ(first.status, 201);
  EXPECT_EQ(second.status, 201);
  EXPECT_EQ(first.json()["id"], second.json()["id"]);
  EXPECT_EQ(second.header("location"), first.header("location"));
  int named_once = 0;
  auto listed = admin_.get("/api/v1/organizations").json();
  for (const auto& o : listed["items"]) named_once += o["name"] == "Once";
  EXPECT_EQ(named_once, 1);
  auto elsewhere = admin_.post("/api/v1/teams", {{"name", "T"}}, key);
  EXPECT_EQ(elsewhere.status, 409) << "a key belongs to one request";
}

TEST_P(BadInputTest, ListsPageWithLimitAndCursor) {
  for (int i = 0; i < 7; ++i) create_org("Org " + std::to_string(i));
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto r = admin_.get("/api/v1/organizations?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.body;
    auto page = r.json();
    for (const auto& o : page["items"]) EXPECT_TRUE(seen.insert(o["id"]).second) << "repeated across pages";
    cursor = r.json()["next_cursor"].is_null() ? "" : r.json()["next_cursor"].get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 8u);  // with the provider
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(admin_.get("/api/v1/organizations?limit=501").status, 422);
  EXPECT_EQ(admin_.get("/api/v1/organizations?limit=zero").status, 422);
  EXPECT_EQ(admin_.get("/api/v1/organizations?cursor=%%%").status, 422);
}

TEST_P(BadInputTest, ErrorsFollowTheCallersLanguage) {
  auto r = server_.client().request("GET", "/api/v1/me", "", {{"Accept-Language", "zh-CN,zh;q=0.9"}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json()["error"]["message"], "请先登录。");
}

TEST_P(BadInputTest, InternalDetailsNeverReachTheCaller) {
  auto r = admin_.post("/api/v1/organizations", {{"name", std::string(5000, 'x')}});
  EXPECT_EQ(r.status, 422);
  for (auto leak : {"SQL", "sqlite", "INSERT", "/tmp/", "postgres"}) EXPECT_EQ(r.body.find(leak), std::string::npos) << leak;
}

INSTANTIATE_TEST_SUITE_P(Stores, BadInputTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
