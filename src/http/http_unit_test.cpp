// Unit tests for the transport-independent parts of http/: routing, cookies, JSON bodies,
// error responses, rate limits and static files. No sockets.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "http/json_body.h"
#include "http/multipart.h"
#include "http/message.h"
#include "http/messages_zh.h"
#include "http/pipeline.h"
#include "http/rate_limit.h"
#include "http/router.h"
#include "http/static_files.h"

namespace tandem::http {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// router.h

Handler answering(int status) {
  return [status](Request&) -> Result<Response> {
    Response r;
    r.status = status;
    return r;
  };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add("GET", "/api/v1/users", {}, answering(1));
    router_.add("POST", "/api/v1/users", {}, answering(2));
    router_.add("GET", "/api/v1/users/{id}", {}, answering(3));
    router_.add("PATCH", "/api/v1/users/{id}", {}, answering(4));
    router_.add("GET", "/api/v1/organizations/{org}/teams/{team}", {}, answering(5));
    router_.add("GET", "/healthz", {.auth = Auth::none}, answering(6));
  }

  // The status the matched handler answers, or 0.
  int call(const std::string& method, const std::string& path) {
    params_.clear();
    last_ = router_.match(method, path, params_);
    if (!last_.route) return 0;
    Request r;
    return last_.route->handler(r)->status;
  }

  Router router_;
  std::map<std::string, std::string> params_;
  Match last_;
};

TEST_F(RouterTest, MatchesFixedPaths) {
  EXPECT_EQ(call("GET", "/api/v1/users"), 1);
  EXPECT_EQ(call("POST", "/api/v1/users"), 2);
  EXPECT_EQ(call("GET", "/healthz"), 6);
  EXPECT_EQ(last_.route->pattern, "/healthz");
  EXPECT_EQ(last_.route->options.auth, Auth::none);
  EXPECT_TRUE(params_.empty());
}

TEST_F(RouterTest, ExtractsPathParameters) {
  EXPECT_EQ(call("GET", "/api/v1/users/usr_123"), 3);
  EXPECT_EQ(params_, (std::map<std::string, std::string>{{"id", "usr_123"}}));
  EXPECT_EQ(call("PATCH", "/api/v1/users/usr_9"), 4);
  EXPECT_EQ(params_.at("id"), "usr_9");
  EXPECT_EQ(call("GET", "/api/v1/organizations/org_a/teams/tm_b"), 5);
  EXPECT_EQ(params_, (std::map<std::string, std::string>{{"org", "org_a"}, {"team", "tm_b"}}));
}

TEST_F(RouterTest, KnownPathWithOtherMethodIsA405) {
  EXPECT_EQ(call("DELETE", "/api/v1/users/usr_1"), 0);
  EXPECT_TRUE(last_.path_known);
  EXPECT_EQ(call("PUT", "/api/v1/users"), 0);
  EXPECT_TRUE(last_.path_known);
  EXPECT_EQ(call("POST", "/healthz"), 0);
  EXPECT_TRUE(last_.path_known);
}

TEST_F(RouterTest, UnknownPathIsA404) {
  EXPECT_EQ(call("GET", "/api/v1/tickets"), 0);
  EXPECT_FALSE(last_.path_known);
  EXPECT_EQ(call("GET", "/"), 0);
  EXPECT_FALSE(last_.path_known);
  EXPECT_EQ(call("GET", "/API/v1/users"), 0) << "paths are case-sensitive";
  EXPECT_FALSE(last_.path_known);
}

TEST_F(RouterTest, HeadMatchesGet) {
  EXPECT_EQ(call("HEAD", "/api/v1/users/usr_1"), 3);
  EXPECT_EQ(params_.at("id"), "usr_1");
  EXPECT_EQ(call("HEAD", "/healthz"), 6);
}

TEST_F(RouterTest, ExtraOrMissingSegmentsDoNotMatch) {
  EXPECT_EQ(call("GET", "/api/v1/users/usr_1/extra"), 0);
  EXPECT_FALSE(last_.path_known);
  EXPECT_EQ(call("GET", "/api/v1"), 0);
  EXPECT_FALSE(last_.path_known);
  EXPECT_EQ(call("GET", "/api/v1/organizations/org_a/teams"), 0);
  EXPECT_FALSE(last_.path_known);
}

TEST_F(RouterTest, EmptySegmentIsNotAParameter) {
  EXPECT_EQ(call("GET", "/api/v1/users/"), 0) << "trailing slash: empty {id}";
  EXPECT_FALSE(last_.path_known);
  EXPECT_EQ(call("GET", "/api/v1/organizations//teams/tm_b"), 0);
  EXPECT_FALSE(last_.path_known);
  EXPECT_EQ(call("GET", "/healthz/"), 0) << "trailing slash on a fixed path";
}

TEST(SplitPath, Segments) {
  EXPECT_EQ(split_path("/a/b/c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(split_path("/a/"), (std::vector<std::string>{"a", ""}));
  EXPECT_EQ(split_path("/"), (std::vector<std::string>{""}));
}

// ---------------------------------------------------------------------------------------------
// pipeline.h cookie_value

TEST(Cookie, FindsOneCookieAmongSeveral) {
  EXPECT_EQ(cookie_value("tandem_session=abc", kSessionCookie), "abc");
  EXPECT_EQ(cookie_value("a=1; tandem_session=abc; b=2", kSessionCookie), "abc");
  EXPECT_EQ(cookie_value("a=1; b=2; tandem_session=abc", kSessionCookie), "abc");
  EXPECT_EQ(cookie_value("a=1;tandem_session=abc;b=2", kSessionCookie), "abc") << "no spaces";
  EXPECT_EQ(cookie_value("a=1;    tandem_session=abc", kSessionCookie), "abc") << "several spaces";
}

TEST(Cookie, PrefixNamedCookiesAreNotConfused) {
  EXPECT_EQ(cookie_value("xtandem_session=1; tandem_session=2", kSessionCookie), "2");
  EXPECT_EQ(cookie_value("tandem_session_old=1; tandem_session=2", kSessionCookie), "2");
  EXPECT_EQ(cookie_value("tandem_sessionx=1", kSessionCookie), "");
  EXPECT_EQ(cookie_value("xtandem_session=1", kSessionCookie), "");
  EXPECT_EQ(cookie_value("tandem=1; session=2", kSessionCookie), "");
}

TEST(Cookie, MissingOrEmpty) {
  EXPECT_EQ(cookie_value("", kSessionCookie), "");
  EXPECT_EQ(cookie_value("a=1; b=2", kSessionCookie), "");
  EXPECT_EQ(cookie_value("tandem_session=", kSessionCookie), "");
  EXPECT_EQ(cookie_value("tandem_session", kSessionCookie), "");
  EXPECT_EQ(cookie_value(";;; ;", kSessionCookie), "");
}

TEST(Cookie, ValueMayContainEqualsSigns) {
  EXPECT_EQ(cookie_value("tandem_session=ab=cd==", kSessionCookie), "ab=cd==");
}

// ---------------------------------------------------------------------------------------------
// json_body.h

Request json_request(std::string body, std::string content_type = "application/json") {
  Request r;
  r.method = "POST";
  r.path = "/api/v1/users";
  if (!content_type.empty()) r.headers["content-type"] = std::move(content_type);
  r.body = std::move(body);
  return r;
}

std::set<std::pair<std::string, std::string>> problems_of(const Error& e) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& d : e.details) out.emplace(d.field, d.problem);
  return out;
}

std::set<std::string> fields_of(const Error& e) {
  std::set<std::string> out;
  for (const auto& d : e.details) out.insert(d.field);
  return out;
}

TEST(JsonBody, WrongOrMissingContentTypeIs415) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "", "application/jsonx",
                           "application/merge-patch+json"}) {
    auto r = parse_json_object(json_request("{}", type));
    ASSERT_FALSE(r) << "'" << type << "'";
    EXPECT_EQ(r.error().code, Code::unsupported_media) << "'" << type << "'";
    EXPECT_EQ(status_of(r.error().code), 415);
  }
}

TEST(JsonBody, JsonWithParametersIsAccepted) {
  for (const char* type : {"application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
                           "application/json ; charset=utf-8"}) {
    auto r = parse_json_object(json_request(R"({"a":1})", type));
    ASSERT_TRUE(r) << "'" << type << "': " << r.error().message;
    EXPECT_EQ((*r)["a"], 1);
  }
}

TEST(JsonBody, MergePatchOnlyForMergePatchBodies) {
  auto patch = parse_json_object(json_request(R"({"name":null})", "application/merge-patch+json"), BodyKind::merge_patch);
  ASSERT_TRUE(patch) << patch.error().message;
  EXPECT_TRUE((*patch)["name"].is_null());
  EXPECT_TRUE(parse_json_object(json_request("{}", "application/json"), BodyKind::merge_patch));
  auto create = parse_json_object(json_request("{}", "application/merge-patch+json"), BodyKind::create);
  ASSERT_FALSE(create);
  EXPECT_EQ(create.error().code, Code::unsupported_media);
}

TEST(JsonBody, MalformedJsonIs400) {
  for (const char* body : {"", "{", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "nul", "{\"a\":1} trailing"}) {
    auto r = parse_json_object(json_request(body));
    ASSERT_FALSE(r) << "'" << body << "'";
    EXPECT_EQ(r.error().code, Code::malformed) << "'" << body << "'";
    EXPECT_EQ(status_of(r.error().code), 400);
  }
}

TEST(JsonBody, InvalidUtf8Is400) {
  for (const char* body : {"{\"a\":\"\xff\"}", "{\"a\":\"\xc3\"}", "{\"\xed\xa0\x80\":1}"}) {
    auto r = parse_json_object(json_request(body));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Code::malformed);
  }
}

TEST(JsonBody, NonObjectBodyIs400) {
  for (const char* body : {"[]", "[{\"a\":1}]", "\"text\"", "42", "null", "true"}) {
    auto r = parse_json_object(json_request(body));
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, Code::malformed) << body;
  }
}

TEST(Fields, AllProblemsAreListedAtOnce) {
  Json body = Json::parse(R"({"name": 5, "extra": 1, "flag": null, "tags": ["a", 2], "active": "yes",
                              "due": "tomorrow", "email": "a@example.com"})");
  Fields f(body, {"name", "email", "flag", "tags", "active", "due", "language"});
  EXPECT_FALSE(f.text("name"));
  EXPECT_EQ(f.text("email", true), "a@example.com");
  EXPECT_FALSE(f.text("language", true));
  EXPECT_FALSE(f.boolean("flag"));
  EXPECT_FALSE(f.texts("tags"));
  EXPECT_FALSE(f.boolean("active"));
  EXPECT_FALSE(f.time_ms("due"));
  auto r = f.finish();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::invalid_argument);
  EXPECT_EQ(status_of(r.error().code), 422);
  EXPECT_EQ(fields_of(r.error()), (std::set<std::string>{"name", "extra", "language", "flag", "tags", "active", "due"}));
  auto problems = problems_of(r.error());
  EXPECT_TRUE(problems.contains({"extra", "is not a known field"}));
  EXPECT_TRUE(problems.contains({"name", "must be a string, not a number"}));
  EXPECT_TRUE(problems.contains({"language", "is required"}));
  EXPECT_TRUE(problems.contains({"flag", "cannot be null"}));
  EXPECT_TRUE(problems.contains({"active", "must be a boolean, not a string"}));
  EXPECT_EQ(r.error().details.size(), 7u);
}

TEST(Fields, ValidValuesAreReturned) {
  Json body = Json::parse(R"({"name": "Alice", "active": false, "tags": ["a", "b"], "due": "2026-11-23T21:22:00.123+08:00"})");
  Fields f(body, {"name", "active", "tags", "due", "optional"});
  EXPECT_EQ(f.text("name", true), "Alice");
  EXPECT_EQ(f.boolean("active"), false);
  EXPECT_EQ(f.texts("tags"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(f.time_ms("due"), 1795440120123);
  EXPECT_FALSE(f.text("optional")) << "absent and optional";
  EXPECT_TRUE(f.finish());
}

// Regression: problems a route found itself were dropped when no field had one of its own.
TEST(Fields, TheRoutesOwnProblemsFailTheBodyEvenWhenEveryFieldIsWellFormed) {
  Json body = Json::parse(R"({"decision": "maybe"})");
  Fields f(body, {"decision"});
  EXPECT_EQ(f.text("decision", true), "maybe");
  auto r = f.finish({{"decision", "must be approve or reject"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(problems_of(r.error()), (std::set<std::pair<std::string, std::string>>{{"decision", "must be approve or reject"}}));
}

TEST(Fields, NullForARequiredFieldIsReportedAsRequired) {
  Json body = Json::parse(R"({"name": null})");
  Fields f(body, {"name"});
  EXPECT_FALSE(f.text("name", true));
  auto r = f.finish();
  ASSERT_FALSE(r);
  EXPECT_EQ(problems_of(r.error()), (std::set<std::pair<std::string, std::string>>{{"name", "is required"}}));
}

TEST(Fields, WrongTypesNameTheTypeSent) {
  Json body = Json::parse(R"({"a": true, "b": [], "c": {}, "d": 1.5})");
  Fields f(body, {"a", "b", "c", "d"});
  f.text("a");
  f.text("b");
  f.text("c");
  f.boolean("d");
  auto r = f.finish();
  ASSERT_FALSE(r);
  EXPECT_EQ(problems_of(r.error()), (std::set<std::pair<std::string, std::string>>{
                                        {"a", "must be a string, not a boolean"},
                                        {"b", "must be a string, not an array"},
                                        {"c", "must be a string, not an object"},
                                        {"d", "must be a boolean, not a number"},
                                    }));
}

Request list_request(std::multimap<std::string, std::string> query) {
  Request r;
  r.method = "GET";
  r.path = "/api/v1/users";
  r.query = std::move(query);
  return r;
}

TEST(PageParams, DefaultLimitIs50) {
  auto p = page_params(list_request({}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->first, 50);
  EXPECT_EQ(p->second, "");
}

TEST(PageParams, LimitBounds) {
  EXPECT_EQ(page_params(list_request({{"limit", "1"}}))->first, 1);
  EXPECT_EQ(page_params(list_request({{"limit", "500"}}))->first, 500);
  for (const char* bad : {"0", "501", "abc", "-1", "", "10x", " 10", "1e2", "99999999999999999999"}) {
    auto p = page_params(list_request({{"limit", bad}}));
    ASSERT_FALSE(p) << "'" << bad << "'";
    EXPECT_EQ(p.error().code, Code::invalid_argument);
    EXPECT_EQ(fields_of(p.error()), std::set<std::string>{"limit"});
  }
}

TEST(PageParams, CursorRoundTripsThroughPageResponse) {
  init_crypto();
  for (const std::string& after :
       std::vector<std::string>{"usr_01jd8x", "2026-11-23T13:22:00.123Z|usr_1", std::string("bin\0ary\xff", 8)}) {
    auto response = page_response(Json::array({1, 2}), after);
    EXPECT_EQ(response.status, 200);
    auto body = Json::parse(response.body);
    EXPECT_EQ(body["items"], Json::array({1, 2}));
    ASSERT_TRUE(body["next_cursor"].is_string());
    auto cursor = body["next_cursor"].get<std::string>();
    EXPECT_EQ(cursor.find(after), std::string::npos) << "the cursor is opaque";
    auto p = page_params(list_request({{"cursor", cursor}, {"limit", "10"}}));
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->first, 10);
    EXPECT_EQ(p->second, after);
  }
}

TEST(PageParams, LastPageHasNullCursor) {
  auto body = Json::parse(page_response(Json::array(), std::nullopt).body);
  EXPECT_TRUE(body["next_cursor"].is_null());
  EXPECT_TRUE(body["items"].is_array());
  EXPECT_TRUE(page_params(list_request({{"cursor", ""}}))) << "an empty cursor is the first page";
}

TEST(PageParams, ForgedCursorAndBadLimitAreReportedTogether) {
  init_crypto();
  auto p = page_params(list_request({{"cursor", "not a cursor!"}, {"limit", "0"}}));
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, Code::invalid_argument);
  EXPECT_EQ(fields_of(p.error()), (std::set<std::string>{"cursor", "limit"}));
}

Request with_if_match(std::string value) {
  Request r;
  r.method = "PATCH";
  if (!value.empty()) r.headers["if-match"] = std::move(value);
  return r;
}

TEST(IfMatch, MissingIsPreconditionRequired) {
  auto v = required_if_match(with_if_match(""));
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, Code::precondition_required);
  EXPECT_EQ(status_of(v.error().code), 428);
}

TEST(IfMatch, StrongAndWeakEtags) {
  EXPECT_EQ(required_if_match(with_if_match("\"v3\"")), 3);
  EXPECT_EQ(required_if_match(with_if_match("W/\"v3\"")), 3);
  EXPECT_EQ(required_if_match(with_if_match("\"v1234567890\"")), 1234567890);
  EXPECT_EQ(required_if_match(with_if_match(etag_of(42))), 42);
  EXPECT_EQ(etag_of(7), "\"v7\"");
}

TEST(IfMatch, GarbageIsFailedPrecondition) {
  for (const char* value : {"garbage", "v3", "\"v\"", "\"3\"", "\"vx\"", "\"v3", "v3\"", "\"v3x\"", "*", "w/\"v3\"",
                            "\"v3\", \"v4\"", "\"v 3\""}) {
    auto v = required_if_match(with_if_match(value));
    ASSERT_FALSE(v) << value;
    EXPECT_EQ(v.error().code, Code::failed_precondition) << value;
    EXPECT_EQ(status_of(v.error().code), 412);
  }
}

// ---------------------------------------------------------------------------------------------
// message.h

TEST(Message, StatusForEveryCode) {
  const std::vector<std::pair<Code, int>> table = {
      {Code::invalid_argument, 422}, {Code::malformed, 400},         {Code::unauthenticated, 401},
      {Code::permission_denied, 403}, {Code::not_found, 404},        {Code::conflict, 409},
      {Code::failed_precondition, 412}, {Code::precondition_required, 428}, {Code::too_large, 413},
      {Code::unsupported_media, 415}, {Code::rate_limited, 429},     {Code::unavailable, 503},
      {Code::internal, 500},
  };
  ASSERT_EQ(table.size(), static_cast<std::size_t>(Code::internal) + 1) << "a new Code needs a row here";
  for (auto [code, status] : table) EXPECT_EQ(status_of(code), status) << default_slug(code);
}

Json body_of(const Response& r) { return Json::parse(r.body); }

TEST(Message, ErrorResponseShape) {
  Error e(Code::invalid_argument, "Some fields are invalid.");
  e.details = {{"email", "is required"}, {"name", "must be a string"}};
  auto r = error_response(e, "en");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.content_type, "application/json");
  auto body = body_of(r);
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body.size(), 1u) << body.dump();
  const auto& err = body.at("error");
  EXPECT_EQ(err.size(), 3u) << body.dump();
  EXPECT_EQ(err.at("code"), "validation_failed");
  EXPECT_EQ(err.at("message"), "Some fields are invalid.");
  EXPECT_EQ(err.at("details"), Json::parse(R"([{"field":"email","problem":"is required"},
                                               {"field":"name","problem":"must be a string"}])"));
}

// ONB-11: a Chinese reader's field problems are in Chinese where the table knows them; a value
// inside one (a number, a list, an id) is kept; the rest stays as written.
TEST(Message, FieldProblemsFollowTheCallersLanguage) {
  Error e(Code::invalid_argument, "Some fields are invalid.");
  e.details = {{"name", "is required"}, {"email", "must be an e-mail address"}, {"group_by", "allowed: type, channel"},
               {"team_id", "no such team: team_42"}, {"calendar_id", "no such calendar"}, {"limit", "must be a whole number from 1 to 500"},
               {"answers.reason", "必填"}, {"colour", "a problem no table knows"}, {"owner", "no such wizard"},
               {"actions", "the actions depend on each other in a circle, so none could ever start: a → b → a"}};
  auto zh = body_of(error_response(e, "zh-CN"))["error"]["details"];
  std::vector<std::string> problems;
  for (const auto& d : zh) problems.push_back(d["problem"]);
  EXPECT_EQ(problems, (std::vector<std::string>{"必填", "必须是电子邮件地址", "可选值：type, channel", "不存在此团队：team_42",
                                                "不存在此工作日历", "必须是 1 到 500 之间的整数", "必填", "a problem no table knows",
                                                "no such wizard", "这些行动相互循环等待，永远无法开始：a → b → a"}));
  auto en = body_of(error_response(e, "en"))["error"]["details"];
  EXPECT_EQ(en[0]["problem"], "is required") << "English readers get the English";
  EXPECT_EQ(zh[3]["field"], "team_id") << "fields are names, never translated";
}

TEST(Message, DetailsAreAnEmptyArrayWhenNone) {
  auto body = body_of(error_response(Error(Code::not_found, "No such user."), "en"));
  EXPECT_TRUE(body["error"]["details"].is_array());
  EXPECT_TRUE(body["error"]["details"].empty());
  EXPECT_EQ(body["error"]["code"], "not_found");
}

TEST(Message, ExplicitSlugWins) {
  auto body = body_of(error_response(Error(Code::unauthenticated, "Wrong e-mail or password.", "invalid_credentials"), "en"));
  EXPECT_EQ(body["error"]["code"], "invalid_credentials");
  EXPECT_EQ(body["error"]["message"], "Wrong e-mail or password.");
}

TEST(Message, InternalNeverLeaksItsMessage) {
  for (const char* language : {"en", "zh-CN"}) {
    auto r = error_response(Error(Code::internal, "SQLITE_CORRUPT: database disk image is malformed at /var/lib/tandem"),
                            language);
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body.find("SQLITE"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("/var/lib"), std::string::npos) << r.body;
    EXPECT_EQ(body_of(r)["error"]["code"], "internal");
  }
  EXPECT_EQ(body_of(error_response(Error(Code::internal, "secret"), "en"))["error"]["message"],
            "Something went wrong on our side.");
}

TEST(Message, ChineseMessageForKnownSlug) {
  auto body = body_of(error_response(Error(Code::not_found, "No such user."), "zh-CN"));
  EXPECT_EQ(body["error"]["code"], "not_found") << "codes are not translated";
  EXPECT_EQ(body["error"]["message"], "未找到该资源。");
  body = body_of(error_response(Error(Code::unauthenticated, "Wrong e-mail or password.", "invalid_credentials"), "zh-CN"));
  EXPECT_EQ(body["error"]["message"], "电子邮件地址或密码错误。");
  body = body_of(error_response(Error(Code::not_found, "No such user."), "en"));
  EXPECT_EQ(body["error"]["message"], "No such user.");
}

TEST(Message, UnknownSlugKeepsEnglishInChinese) {
  auto body = body_of(error_response(Error(Code::conflict, "You cannot deactivate yourself.", "self_deactivation"), "zh-CN"));
  EXPECT_EQ(body["error"]["message"], "You cannot deactivate yourself.");
}

std::vector<std::string> header_values(const Response& r, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [n, v] : r.headers)
    if (n == name) out.push_back(v);
  return out;
}

TEST(Message, RetryAfterForRateLimited) {
  Error e(Code::rate_limited, "Too many requests; slow down.");
  e.retry_after_seconds = 7;
  auto r = error_response(e, "en");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(header_values(r, "Retry-After"), std::vector<std::string>{"7"});
  e.retry_after_seconds = 0;
  EXPECT_EQ(header_values(error_response(e, "en"), "Retry-After"), std::vector<std::string>{"1"}) << "never 0";
  EXPECT_TRUE(header_values(error_response(Error(Code::unavailable, "down"), "en"), "Retry-After").empty());
}

TEST(Message, InvalidUtf8InAMessageStillYieldsJson) {
  auto r = error_response(Error(Code::invalid_argument, "bad value \xff"), "en");
  EXPECT_TRUE(Json::accept(r.body)) << r.body;
}

// ---------------------------------------------------------------------------------------------
// rate_limit.h

Time start_time() { return from_millis(1795440120000); }

TEST(RateLimit, AllowsNThenRefusesWithSecondsToWait) {
  ManualClock clock(start_time());
  RateLimiter limiter(clock);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.acquire("login|1.2.3.4", 5), 0) << "request " << i + 1;
  int wait = limiter.acquire("login|1.2.3.4", 5);
  EXPECT_GT(wait, 0);
  EXPECT_EQ(wait, 12) << "5 per minute: one token every 12 s";
  EXPECT_GT(limiter.acquire("login|1.2.3.4", 5), 0) << "still refused without time passing";
}

TEST(RateLimit, RefillsAfterTimePasses) {
  ManualClock clock(start_time());
  RateLimiter limiter(clock);
  for (int i = 0; i < 60; ++i) ASSERT_EQ(limiter.acquire("k", 60), 0);
  ASSERT_GT(limiter.acquire("k", 60), 0);
  clock.advance(999ms);
  EXPECT_GT(limiter.acquire("k", 60), 0) << "not yet a whole token";
  clock.advance(1ms);
  EXPECT_EQ(limiter.acquire("k", 60), 0) << "one token per second";
  EXPECT_GT(limiter.acquire("k", 60), 0);
  clock.advance(10min);
  for (int i = 0; i < 60; ++i) EXPECT_EQ(limiter.acquire("k", 60), 0) << "full again, capped at 60: " << i;
  EXPECT_GT(limiter.acquire("k", 60), 0) << "the bucket holds no more than per_minute";
}

TEST(RateLimit, WaitShrinksAsTimePasses) {
  ManualClock clock(start_time());
  RateLimiter limiter(clock);
  ASSERT_EQ(limiter.acquire("k", 1), 0);
  EXPECT_EQ(limiter.acquire("k", 1), 60);
  clock.advance(45s);
  EXPECT_EQ(limiter.acquire("k", 1), 15);
  clock.advance(15s);
  EXPECT_EQ(limiter.acquire("k", 1), 0);
}

TEST(RateLimit, KeysAreIndependent) {
  ManualClock clock(start_time());
  RateLimiter limiter(clock);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(limiter.acquire("login|1.1.1.1", 3), 0);
  EXPECT_GT(limiter.acquire("login|1.1.1.1", 3), 0);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.acquire("login|2.2.2.2", 3), 0);
  EXPECT_EQ(limiter.acquire("other|1.1.1.1", 3), 0);
  EXPECT_GT(limiter.acquire("login|1.1.1.1", 3), 0);
}

// ---------------------------------------------------------------------------------------------
// static_files.h

TEST(StaticFiles, ContentTypes) {
  EXPECT_EQ(content_type_for("/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("/assets/app-3f2a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("/assets/app.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("/assets/app.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("/assets/app.js.map"), "application/json");
  EXPECT_EQ(content_type_for("/logo.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("/logo.png"), "image/png");
  EXPECT_EQ(content_type_for("/photo.jpg"), "image/jpeg");
  EXPECT_EQ(content_type_for("/photo.jpeg"), "image/jpeg");
  EXPECT_EQ(content_type_for("/favicon.ico"), "image/x-icon");
  EXPECT_EQ(content_type_for("/font.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("/font.woff"), "font/woff");
  EXPECT_EQ(content_type_for("/robots.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for("/site.webmanifest"), "application/manifest+json");
  EXPECT_EQ(content_type_for("/data.json"), "application/json");
  EXPECT_EQ(content_type_for("/archive.tar.gz"), "application/octet-stream");
  EXPECT_EQ(content_type_for("/noextension"), "application/octet-stream");
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "tandem-static-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    base_ = pattern;
    web_ = base_ / "web";
    fs::create_directories(web_ / "assets");
    write(web_ / "index.html", "<!doctype html><title>Tandem</title>");
    write(web_ / "assets" / "app-3f2a.js", "console.log('tandem')");
    write(web_ / "assets" / "app-3f2a.css", "body{}");
    write(web_ / "favicon.ico", "ICO");
    write(base_ / "secret.txt", "do not serve");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(base_, ec);
  }
  static void write(const fs::path& p, std::string_view text) { std::ofstream(p, std::ios::binary) << text; }

  std::optional<Response> get(std::string path, std::string method = "GET") {
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    return serve_static(web_.string(), r);
  }
  static std::string header(const Response& r, std::string_view name) {
    for (const auto& [n, v] : r.headers)
      if (n == name) return v;
    return "<absent>";
  }

  fs::path base_, web_;
};

TEST_F(StaticFilesTest, IndexIsRevalidated) {
  for (const char* path : {"/", "/index.html"}) {
    auto r = get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "<!doctype html><title>Tandem</title>");
    EXPECT_EQ(r->content_type, "text/html; charset=utf-8");
    EXPECT_EQ(header(*r, "Cache-Control"), "no-cache");
    EXPECT_EQ(header(*r, "X-Content-Type-Options"), "nosniff");
  }
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutable) {
  auto r = get("/assets/app-3f2a.js");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "console.log('tandem')");
  EXPECT_EQ(r->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(header(*r, "Cache-Control"), "public, max-age=31536000, immutable");
  auto css = get("/assets/app-3f2a.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
}

TEST_F(StaticFilesTest, OtherFilesAreRevalidated) {
  auto r = get("/favicon.ico");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->content_type, "image/x-icon");
  EXPECT_EQ(header(*r, "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, ClientSideRoutesFallBackToIndex) {
  for (const char* path : {"/tickets", "/tickets/42", "/users/usr_1/edit", "/assets"}) {
    auto r = get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->body, "<!doctype html><title>Tandem</title>") << path;
    EXPECT_EQ(r->content_type, "text/html; charset=utf-8") << path;
    EXPECT_EQ(header(*r, "Cache-Control"), "no-cache") << path;
  }
}

TEST_F(StaticFilesTest, HeadIsServedOtherMethodsAreNot) {
  EXPECT_TRUE(get("/assets/app-3f2a.js", "HEAD"));
  EXPECT_FALSE(get("/assets/app-3f2a.js", "POST"));
  EXPECT_FALSE(get("/", "DELETE"));
}

TEST_F(StaticFilesTest, MissingFileWithExtensionIsNotFound) {
  EXPECT_FALSE(get("/assets/missing.js"));
  EXPECT_FALSE(get("/missing.png"));
}

TEST_F(StaticFilesTest, TraversalIsRefused) {
  for (const char* path : {"/../etc/passwd", "/../secret.txt", "/assets/../../secret.txt", "/..", "/assets/..",
                           "/..%2fsecret.txt"}) {
    auto r = get(path);
    EXPECT_FALSE(r) << path << " served " << (r ? r->body : "");
  }
  auto nul = get(std::string("/index.html\0.js", 15));
  EXPECT_FALSE(nul);
}

TEST_F(StaticFilesTest, ApiPathsAreNeverServed) {
  fs::create_directories(web_ / "api");
  write(web_ / "api" / "data.json", "{}");
  for (const char* path : {"/api/v1/users", "/api/", "/api/data.json", "/api/unknown"}) EXPECT_FALSE(get(path)) << path;
}

TEST_F(StaticFilesTest, NothingServedWithoutAWebDir) {
  Request r;
  r.method = "GET";
  r.path = "/";
  EXPECT_FALSE(serve_static("", r));
}

TEST_F(StaticFilesTest, NothingServedWithoutAnIndex) {
  fs::remove(web_ / "index.html");
  EXPECT_FALSE(get("/"));
  EXPECT_FALSE(get("/tickets/42"));
  EXPECT_TRUE(get("/favicon.ico"));
}

TEST_F(StaticFilesTest, SymlinkOutOfTheWebDirIsNotFollowed) {
  std::error_code ec;
  fs::create_directory_symlink(base_, web_ / "escape", ec);
  ASSERT_FALSE(ec) << "cannot create a symlink: " << ec.message();
  auto r = get("/escape/secret.txt");
  EXPECT_FALSE(r) << "served " << (r ? r->body : "");
}

// BUG (http/static_files.cpp serve_static): "inside the web dir" is checked as a string prefix,
// so a symlink into a sibling directory whose name starts with the web dir's name
// (web → web-private) passes while a symlink anywhere else is refused.
TEST_F(StaticFilesTest, SymlinkIntoSiblingSharingTheNamePrefixIsNotFollowed) {
  fs::create_directories(base_ / "web-private");
  write(base_ / "web-private" / "secret.txt", "private");
  std::error_code ec;
  fs::create_directory_symlink(base_ / "web-private", web_ / "escape", ec);
  ASSERT_FALSE(ec) << "cannot create a symlink: " << ec.message();
  auto r = get("/escape/secret.txt");
  EXPECT_FALSE(r) << "served " << (r ? r->body : "");
}

TEST(Multipart, BoundaryComesFromTheContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc").value(), "abc");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"").value(), "a b");
  EXPECT_EQ(multipart_boundary("application/json").error().code, Code::unsupported_media);
  EXPECT_EQ(multipart_boundary("multipart/form-data").error().code, Code::malformed);
}

TEST(Multipart, PartsKeepNamesFileNamesAndBytes) {
  std::string body =
      std::string("preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"public\"\r\n\r\nfalse\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"q\\\".bin\"\r\n"
      "Content-Type: image/png\r\n\r\n") +
      std::string("\x00\x01\r\n--X", 7) + "\r\n--XyZ--\r\n";
  auto parts = parse_multipart(body, "XyZ");
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "public");
  EXPECT_EQ((*parts)[0].data, "false");
  EXPECT_EQ((*parts)[1].filename, "a \"q\".bin");
  EXPECT_EQ((*parts)[1].content_type, "image/png");
  EXPECT_EQ((*parts)[1].data, std::string_view("\x00\x01\r\n--X", 7)) << "a near-boundary inside the data stays data";
}

TEST(Multipart, BrokenFramingIsMalformedNotACrash) {
  for (std::string body : {"", "--b", "--b\r\n", "--b\r\nContent-Disposition: form-data; name=x\r\n\r\nno end",
                           "--b\r\nX: y\r\n\r\ndata\r\n--b--", "--bjunk", "nothing here"}) {
    auto parts = parse_multipart(body, "b");
    ASSERT_FALSE(parts) << body;
    EXPECT_EQ(parts.error().code, Code::malformed) << body;
  }
}

}  // namespace
}  // namespace tandem::http
