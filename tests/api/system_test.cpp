// Health, readiness, metrics, the OpenAPI document and the web UI's static files.
#include <filesystem>
#include <fstream>

#include "api/api_fixture.h"
#include "http/routes.h"

namespace tandem::testing {
namespace {

class SystemTest : public ApiTest {};

TEST_P(SystemTest, EveryRoutedPathIsInTheOpenApiDocument) {
  auto doc = server_.client().get("/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  auto j = doc.json();
  EXPECT_TRUE(j["openapi"].get<std::string>().starts_with("3.1"));
  const auto& paths = j["paths"];
  for (const auto& route : server_.router().routes()) {
    std::string method = route->method;
    for (auto& c : method) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(paths.contains(route->pattern)) << route->pattern << " is routed but not documented";
    EXPECT_TRUE(paths[route->pattern].contains(method)) << route->method << " " << route->pattern << " is not documented";
  }
  // …and nothing documented that is not routed.
  for (const auto& [path, ops] : paths.items())
    for (const auto& [method, _] : ops.items()) {
      if (method == "parameters") continue;
      bool routed = false;
      for (const auto& route : server_.router().routes()) {
        std::string m = route->method;
        for (auto& c : m) c = static_cast<char>(std::tolower(c));
        routed = routed || (route->pattern == path && m == method);
      }
      EXPECT_TRUE(routed) << method << " " << path << " is documented but not routed";
    }
}

TEST_P(SystemTest, HealthAndReadiness) {
  auto c = server_.client();
  EXPECT_EQ(c.get("/healthz").status, 200);
  EXPECT_EQ(c.get("/readyz").status, 200);
}

TEST_P(SystemTest, MetricsCountRequestsPerRouteWithLatencyHistograms) {
  for (int i = 0; i < 3; ++i) admin_.get("/api/v1/me");
  auto m = server_.client().get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(m.body.find(R"(tandem_http_requests_total{method="GET",route="/api/v1/me",status="200"} 3)"), std::string::npos)
      << m.body.substr(0, 2000);
  EXPECT_NE(m.body.find(R"(tandem_http_request_duration_seconds_count{method="GET",route="/api/v1/me"} 3)"), std::string::npos);
  EXPECT_NE(m.body.find("tandem_db_queue_depth"), std::string::npos);
}

TEST_P(SystemTest, RequestIdIsEchoedOrMade) {
  auto given = server_.client().request("GET", "/healthz", "", {{"X-Request-Id", "trace-123"}});
  EXPECT_EQ(given.header("x-request-id"), "trace-123");
  auto made = server_.client().get("/healthz");
  EXPECT_FALSE(made.header("x-request-id").empty());
  auto hostile = server_.client().request("GET", "/healthz", "", {{"X-Request-Id", "bad id\"with quotes"}});
  EXPECT_NE(hostile.header("x-request-id"), "bad id\"with quotes");
}

TEST_P(SystemTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  std::string two = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto answer = raw_exchange(server_.port(), two);
  std::size_t count = 0;
  for (auto pos = answer.find("HTTP/1.1 200"); pos != std::string::npos; pos = answer.find("HTTP/1.1 200", pos + 1)) ++count;
  EXPECT_EQ(count, 2u) << answer;
}

INSTANTIATE_TEST_SUITE_P(Stores, SystemTest, ::testing::Values("sqlite"));

class StaticFilesTest : public ::testing::Test {
 protected:
  StaticFilesTest() : dir_(make_temp_dir("tandem-web-")) {
    std::filesystem::create_directories(dir_ + "/assets");
    std::ofstream(dir_ + "/index.html") << "<!doctype html><title>Tandem</title>";
    std::ofstream(dir_ + "/assets/app-1a2b3c.js") << "console.log('hi')";
    server_ = std::make_unique<TestServer>("sqlite", TestServerOptions{.web_dir = dir_});
  }
  ~StaticFilesTest() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(StaticFilesTest, ServesTheUiWithTypesAndCaching) {
  auto c = server_->client();
  auto index = c.get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.header("cache-control"), "no-cache");
  auto js = c.get("/assets/app-1a2b3c.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_NE(js.header("cache-control").find("immutable"), std::string::npos);
  auto route = c.get("/tickets/123");
  EXPECT_EQ(route.status, 200) << "client-side routes get index.html";
  EXPECT_NE(route.body.find("<title>Tandem"), std::string::npos);
  EXPECT_EQ(c.get("/assets/missing.js").status, 404);
  EXPECT_EQ(c.get("/../../etc/passwd").status, 404);
  EXPECT_EQ(c.get("/api/v1/unknown").status, 404) << "the API never falls back to the UI";
}

}  // namespace
}  // namespace tandem::testing
