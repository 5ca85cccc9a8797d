// A running server over each store, with helpers to set up organisations and people.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "storage/users.h"
#include "support/test_server.h"

namespace tandem::testing {

using Json = nlohmann::json;

// The id of a resource in an answer.
inline std::string id(const Json& j) { return j["id"].get<std::string>(); }

// The problems of an error answer (API.md), by field.
inline std::map<std::string, std::string> problems(const HttpResponse& r) {
  std::map<std::string, std::string> out;
  auto body = r.json();
  for (const auto& d : body["error"]["details"]) out[d["field"].get<std::string>()] = d["problem"].get<std::string>();
  return out;
}

// Text as a query parameter's value: letters, digits and - . : kept, the rest percent-encoded.
inline std::string url_quoted(const std::string& text) {
  std::string out;
  for (unsigned char ch : text) {
    if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == ':') out += char(ch);
    else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      out += buf;
    }
  }
  return out;
}

class ApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  explicit ApiTest(TestServerOptions options = {}) : server_(GetParam(), options), admin_(server_.admin()) {}

  Json create_org(const std::string& name) {
    auto r = admin_.post("/api/v1/organizations", {{"name", name}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  Json create_user(const std::string& email, const std::string& role, const std::string& org_id = "",
                   const std::string& password = "Passw0rd-test!", Json extra = Json::object()) {
    Json body = {{"email", email}, {"name", "Person " + email}, {"roles", {role}}, {"password", password}};
    if (!org_id.empty()) body["organization_id"] = org_id;
    for (auto& [k, v] : extra.items()) body[k] = v;
    auto r = admin_.post("/api/v1/users", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  // `count` people of the organisation (users, no password: <prefix><nnnn>@people.test), written
  // straight to the store: as many sign-ups through the API would hash as many passwords.
  void insert_people(const std::string& org_id, int count, const std::string& prefix) {
    auto written = server_.services().db.write([&](storage::Connection& c) -> Result<void> {
      for (int i = 0; i < count; ++i) {
        storage::User u;
        u.id = fmt::format("usr_{}{:05d}", prefix, i);
        u.organization_id = org_id;
        u.email = fmt::format("{}{:05d}@people.test", prefix, i);
        u.name = u.email;
        u.roles = {identity::Role::user};
        u.identities = {{"email", u.email, u.email}};
        u.created_at = u.updated_at = 1000;
        TRY(storage::users::insert(c, u, std::nullopt));
      }
      return {};
    });
    ASSERT_TRUE(written) << written.error().message;
  }
  // Files under the store's attachment directory (content of every organisation, temporary files).
  std::size_t files_on_disk() {
    std::size_t n = 0;
    std::error_code ec;
    auto dir = std::filesystem::path(server_.store().data_dir()) / "attachments";
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != std::filesystem::recursive_directory_iterator(); ++it)
      n += it->is_regular_file() ? 1 : 0;
    return n;
  }
  HttpClient login(const std::string& email, const std::string& password = "Passw0rd-test!") {
    auto c = server_.client();
    auto r = c.login(email, password);
    EXPECT_EQ(r.status, 200) << r.body;
    return c;
  }
  // The number of audit entries: every write appends one, so an unchanged count means no write.
  std::int64_t audit_count() {
    auto r = admin_.get("/api/v1/audit?limit=1");
    EXPECT_EQ(r.status, 200);
    auto items = r.json()["items"];
    return items.empty() ? 0 : items[0]["seq"].get<std::int64_t>();
  }

  // One route called by each caller that must be refused (and some that must not), with the
  // status each must get.
  struct RouteCase {
    std::string what;
    std::function<HttpResponse(HttpClient&)> call;
    std::vector<std::pair<HttpClient*, int>> expected;
  };
  // Calls every case as every caller named; the statuses must match and no call may write
  // (the cases' successful calls are reads).
  void expect_answers(const std::vector<RouteCase>& cases) {
    auto before = audit_count();
    for (const auto& c : cases)
      for (auto& [who, status] : c.expected) {
        auto r = c.call(*who);
        EXPECT_EQ(r.status, status) << c.what << ": " << r.body;
      }
    EXPECT_EQ(audit_count(), before) << "no refused call wrote anything";
  }

  TestServer server_;
  HttpClient admin_;
};

}  // namespace tandem::testing
