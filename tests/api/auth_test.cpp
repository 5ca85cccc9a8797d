// Logging in and out, throttling, CSRF, sessions, tokens, password changes (API.md "Authentication").
#include "api/api_fixture.h"

namespace tandem::testing {
namespace {

class AuthTest : public ApiTest {
 protected:
  AuthTest() : ApiTest(TestServerOptions{.login_attempts = 3, .login_rate_per_minute = 1000}) {}
  void SetUp() override {
    org_ = create_org("Org A");
    create_user("alice@a.test", "user", org_["id"]);
  }
  Json org_;
};

TEST_P(AuthTest, WrongPasswordAndUnknownUserGetTheSameAnswer) {
  auto c = server_.client();
  auto wrong = c.login("alice@a.test", "not-the-password");
  auto unknown = c.login("nobody@a.test", "not-the-password");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.error_code(), "invalid_credentials");
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_TRUE(c.session().empty());
}

TEST_P(AuthTest, EmailsCompareAfterNormalisationAndCaseFolding) {
  auto c = server_.client();
  EXPECT_EQ(c.login("ALICE@A.TEST", "Passw0rd-test!").status, 200);
  EXPECT_EQ(c.login("\xEF\xBD\x81lice@a.test", "Passw0rd-test!").status, 200) << "fullwidth ａ folds to a";
  auto dup = admin_.post("/api/v1/users", {{"email", "Alice@A.Test"}, {"name", "Dup"}, {"roles", {"user"}},
                                           {"organization_id", org_["id"]}});
  EXPECT_EQ(dup.status, 409) << dup.body;
  EXPECT_EQ(dup.error_code(), "identity_taken");
}

TEST_P(AuthTest, RepeatedFailuresLockTheAccountUntilTheLockoutPasses) {
  auto c = server_.client();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.login("alice@a.test", "wrong-password").status, 401);
  auto locked = c.login("alice@a.test", "Passw0rd-test!");
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(locked.error_code(), "account_locked");
  EXPECT_FALSE(locked.header("retry-after").empty());
  server_.clock().advance(std::chrono::minutes(16));
  EXPECT_EQ(c.login("alice@a.test", "Passw0rd-test!").status, 200);
}

TEST_P(AuthTest, EveryLoginGetsANewSessionId) {
  auto c = server_.client();
  ASSERT_EQ(c.login("alice@a.test", "Passw0rd-test!").status, 200);
  auto first = c.session();
  ASSERT_EQ(c.login("alice@a.test", "Passw0rd-test!").status, 200);
  EXPECT_NE(first, c.session());
  EXPECT_FALSE(first.empty());
}

TEST_P(AuthTest, SessionCookieIsHttpOnlyAndSameSite) {
  auto r = server_.client().post("/api/v1/auth/login", {{"email", "alice@a.test"}, {"password", "Passw0rd-test!"}});
  auto cookie = r.header("set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos) << cookie;
  EXPECT_EQ(r.body.find("password"), std::string::npos) << "the login answer must not echo password data";
}

TEST_P(AuthTest, CookieWritesNeedTheCsrfToken) {
  auto c = login("alice@a.test");
  auto before = audit_count();
  c.forget_csrf();
  auto r = c.post("/api/v1/tokens", {{"name", "x"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.error_code(), "csrf_failed");
  auto wrong = c.request("POST", "/api/v1/tokens", R"({"name":"x"})", {{"X-CSRF-Token", "guess"}});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(audit_count(), before) << "a refused write must change nothing";
  EXPECT_EQ(c.get("/api/v1/me").status, 200) << "reads need no CSRF token";
}

// A page loaded anew learns its session — who is signed in, and the CSRF token — from the cookie.
TEST_P(AuthTest, ThePageOfASessionLearnsItsUserAndCsrfTokenFromTheCookie) {
  auto c = login("alice@a.test");
  auto token = c.csrf();
  c.forget_csrf();
  auto session = c.get("/api/v1/auth/session");
  ASSERT_EQ(session.status, 200) << session.body;
  EXPECT_EQ(session.json()["user"]["email"], "alice@a.test");
  EXPECT_EQ(session.json()["csrf_token"], token);
  EXPECT_EQ(session.header("cache-control"), "no-store");
  EXPECT_EQ(c.request("POST", "/api/v1/tokens", R"({"name":"x"})",
                      {{"X-CSRF-Token", session.json()["csrf_token"].get<std::string>()},
                       {"Content-Type", "application/json"}})
                .status,
            201)
      << "the token learnt this way passes";
  EXPECT_EQ(server_.client().get("/api/v1/auth/session").status, 401);
  auto program = server_.client();
  program.use_token(login("alice@a.test").post("/api/v1/tokens", {{"name", "script"}}).json()["token"].get<std::string>());
  EXPECT_TRUE(program.get("/api/v1/auth/session").json()["csrf_token"].is_null()) << "a bearer needs none";
}

TEST_P(AuthTest, BearerTokensWorkWithoutCsrfAndCanBeRevoked) {
  auto c = login("alice@a.test");
  auto created = c.post("/api/v1/tokens", {{"name", "script"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto secret = created.json()["token"].get<std::string>();
  auto program = server_.client();
  program.use_token(secret);
  EXPECT_EQ(program.get("/api/v1/me").json()["email"], "alice@a.test");
  EXPECT_EQ(program.post("/api/v1/tokens", {{"name", "second"}}).status, 201) << "bearer writes need no CSRF";
  auto listed = c.get("/api/v1/tokens").json()["items"];
  EXPECT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed.dump().find(secret), std::string::npos) << "tokens are shown once";
  EXPECT_EQ(c.del("/api/v1/tokens/" + created.json()["id"].get<std::string>()).status, 204);
  EXPECT_EQ(program.get("/api/v1/me").status, 401);
  auto garbage = server_.client();
  garbage.use_token("tdm_not-a-token");
  EXPECT_EQ(garbage.get("/api/v1/me").status, 401);
}

TEST_P(AuthTest, ExpiredTokenIsRefused) {
  auto c = login("alice@a.test");
  auto soon = to_rfc3339(server_.clock().now() + std::chrono::hours(1));
  auto created = c.post("/api/v1/tokens", {{"name", "short"}, {"expires_at", soon}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto program = server_.client();
  program.use_token(created.json()["token"]);
  EXPECT_EQ(program.get("/api/v1/me").status, 200);
  server_.clock().advance(std::chrono::hours(2));
  EXPECT_EQ(program.get("/api/v1/me").status, 401);
  auto past = c.post("/api/v1/tokens", {{"name", "past"}, {"expires_at", "2001-01-01T00:00:00Z"}});
  EXPECT_EQ(past.status, 422);
}

TEST_P(AuthTest, PasswordChangeEndsOtherSessionsAndTokens) {
  auto here = login("alice@a.test");
  auto elsewhere = login("alice@a.test");
  auto token = here.post("/api/v1/tokens", {{"name", "t"}}).json()["token"].get<std::string>();
  auto program = server_.client();
  program.use_token(token);
  auto wrong = here.post("/api/v1/me/password", {{"current_password", "nope-nope-nope"}, {"new_password", "N3w-passw0rd!"}});
  EXPECT_EQ(wrong.status, 422);
  auto weak = here.post("/api/v1/me/password", {{"current_password", "Passw0rd-test!"}, {"new_password", "short"}});
  EXPECT_EQ(weak.status, 422);
  EXPECT_EQ(program.get("/api/v1/me").status, 200) << "refused changes revoke nothing";
  auto ok = here.post("/api/v1/me/password", {{"current_password", "Passw0rd-test!"}, {"new_password", "N3w-passw0rd!"}});
  ASSERT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(here.get("/api/v1/me").status, 200) << "the session that changed it stays";
  EXPECT_EQ(elsewhere.get("/api/v1/me").status, 401);
  EXPECT_EQ(program.get("/api/v1/me").status, 401);
  EXPECT_EQ(server_.client().login("alice@a.test", "Passw0rd-test!").status, 401);
  EXPECT_EQ(server_.client().login("alice@a.test", "N3w-passw0rd!").status, 200);
}

TEST_P(AuthTest, LogoutEndsTheSession) {
  auto c = login("alice@a.test");
  EXPECT_EQ(c.post("/api/v1/auth/logout", Json::object()).status, 204);
  EXPECT_EQ(c.get("/api/v1/me").status, 401);
}

TEST_P(AuthTest, DeactivationEndsAccessAtOnce) {
  auto bob = create_user("bob@a.test", "user", org_["id"]);
  auto c = login("bob@a.test");
  EXPECT_EQ(admin_.del("/api/v1/users/" + bob["id"].get<std::string>()).status, 204);
  EXPECT_EQ(c.get("/api/v1/me").status, 401);
  EXPECT_EQ(server_.client().login("bob@a.test", "Passw0rd-test!").status, 401);
}

// Issue 2: sessions, tokens and one's own record are kept per node between requests. Each
// change that alters or ends access must reach the very next request; the callers first ask
// twice, so that both their credential and their record are answered from the cache.
TEST_P(AuthTest, EveryChangeToAccessReachesTheNextRequestThroughTheCache) {
  auto bob = create_user("bob@a.test", "user", org_["id"]);
  auto path = "/api/v1/users/" + bob["id"].get<std::string>();
  auto session = login("bob@a.test");
  auto program = server_.client();
  program.use_token(session.post("/api/v1/tokens", {{"name", "t"}}).json()["token"].get<std::string>());
  auto me_twice = [&](HttpClient& c) {
    c.get("/api/v1/me");
    return c.get("/api/v1/me");
  };
  auto sees_alice = [](HttpClient& c) { return c.get("/api/v1/users").body.find("alice@a.test") != std::string::npos; };

  ASSERT_EQ(me_twice(session).json()["name"], "Person bob@a.test");
  ASSERT_EQ(me_twice(program).json()["name"], "Person bob@a.test");
  ASSERT_FALSE(sees_alice(session));
  auto renamed = admin_.patch(path, {{"name", "Robert"}, {"roles", {"customer"}}}, admin_.get(path).header("etag"));
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(session.get("/api/v1/me").json()["name"], "Robert");
  EXPECT_EQ(program.get("/api/v1/me").json()["roles"], Json::array({"customer"}));
  EXPECT_TRUE(sees_alice(session)) << "a customer sees the whole organisation at once";
  EXPECT_TRUE(sees_alice(program));

  ASSERT_EQ(me_twice(session).status, 200);
  ASSERT_EQ(me_twice(program).status, 200);
  EXPECT_EQ(admin_.del(path).status, 204);
  EXPECT_EQ(session.get("/api/v1/me").status, 401);
  EXPECT_EQ(program.get("/api/v1/me").status, 401);
}

TEST_P(AuthTest, ACachedSessionStillEndsWhenItExpiresOrLogsOut) {
  auto expiring = login("alice@a.test");
  auto leaving = login("alice@a.test");
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(expiring.get("/api/v1/me").status, 200);
    ASSERT_EQ(leaving.get("/api/v1/me").status, 200);
  }
  EXPECT_EQ(leaving.post("/api/v1/auth/logout", Json::object()).status, 204);
  EXPECT_EQ(leaving.get("/api/v1/me").status, 401);
  EXPECT_EQ(expiring.get("/api/v1/me").status, 200);
  server_.clock().advance(std::chrono::hours(25));  // the test server's sessions last 24 hours
  EXPECT_EQ(expiring.get("/api/v1/me").status, 401);
}

TEST_P(AuthTest, MeTellsRolesOrganisationAndLanguage) {
  auto c = login("alice@a.test");
  auto me = c.get("/api/v1/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json()["roles"], Json::array({"user"}));
  EXPECT_EQ(me.json()["organization_id"], org_["id"]);
  EXPECT_EQ(me.json()["language"], "en");
  EXPECT_FALSE(me.header("etag").empty());
}

TEST_P(AuthTest, ErrorsFollowTheSignedInCallersLanguage) {
  create_user("wang@a.test", "user", org_["id"], "Passw0rd-test!", {{"language", "zh-CN"}});
  auto zh = login("wang@a.test");
  auto refused = zh.post("/api/v1/organizations", {{"name", "x"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.json()["error"]["message"], "您无权执行此操作。") << refused.body;
  // An English-speaking user gets English whatever the browser says.
  auto en = login("alice@a.test");
  auto english = en.request("POST", "/api/v1/organizations", R"({"name":"x"})",
                            {{"Content-Type", "application/json"}, {"Accept-Language", "zh-CN"}});
  EXPECT_EQ(english.json()["error"]["message"], "You are not allowed to do this.") << english.body;
}

class LoginRateTest : public ApiTest {
 protected:
  LoginRateTest() : ApiTest(TestServerOptions{.login_attempts = 1000, .login_rate_per_minute = 5}) {}
};

TEST_P(LoginRateTest, LoginIsRateLimitedPerAddress) {
  auto c = server_.client();
  int limited = 0;
  for (int i = 0; i < 8; ++i) {
    auto r = c.login("nobody" + std::to_string(i) + "@a.test", "whatever-password");
    if (r.status == 429) {
      ++limited;
      EXPECT_FALSE(r.header("retry-after").empty());
    }
  }
  // The fixture's own admin login used one of the five.
  EXPECT_EQ(limited, 4);
  server_.clock().advance(std::chrono::minutes(1));
  EXPECT_EQ(c.login("nobody@a.test", "whatever-password").status, 401);
}

INSTANTIATE_TEST_SUITE_P(Stores, AuthTest, ::testing::ValuesIn(store_kinds()));
INSTANTIATE_TEST_SUITE_P(Stores, LoginRateTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
