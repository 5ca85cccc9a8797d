// ONB-13: SCIM 2.0 over HTTP on every store, with the request bodies Entra ID and Okta send: a
// token per organisation that sees and changes only its organisation's people; create, read,
// filter, page, replace, patch, deactivate, delete; groups; the error schema.
#include "api/api_fixture.h"

namespace tandem::testing {
namespace {

constexpr const char* kScim = "application/scim+json";
constexpr const char* kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr const char* kErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";
constexpr const char* kPatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

Json entra_user(const std::string& email, const std::string& given, const std::string& family, const std::string& external_id) {
  return {{"schemas", {kUserSchema}},
          {"externalId", external_id},
          {"userName", email},
          {"active", true},
          {"displayName", given + " " + family},
          {"emails", {{{"primary", true}, {"type", "work"}, {"value", email}}}},
          {"meta", {{"resourceType", "User"}}},
          {"name", {{"formatted", given + " " + family}, {"familyName", family}, {"givenName", given}}},
          {"phoneNumbers", {{{"type", "mobile"}, {"value", "+86 138 0013 7733"}}}}};
}

Json okta_user(const std::string& email, const std::string& given, const std::string& family) {
  return {{"schemas", {kUserSchema}},
          {"userName", email},
          {"name", {{"givenName", given}, {"familyName", family}}},
          {"emails", {{{"primary", true}, {"value", email}, {"type", "work"}}}},
          {"displayName", given + " " + family},
          {"locale", "en-US"},
          {"active", true}};
}

Json patch_body(Json operations) { return {{"schemas", {kPatchSchema}}, {"Operations", std::move(operations)}}; }

class ScimTest : public ApiTest {
 protected:
  void SetUp() override {
    club_ = create_org("Greenway Car-share Club");
    other_ = create_org("Other Org");
    li_ = create_user("li@club.test", "user", id(club_));
    create_user("wu@other.test", "user", id(other_));
    club_scim_ = token_for(id(club_));
    other_scim_ = token_for(id(other_));
  }

  std::string token_for(const std::string& org) {
    auto r = admin_.post("/api/v1/scim-tokens", {{"organization_id", org}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("token", "");
  }

  HttpResponse scim(const std::string& token, const std::string& method, const std::string& path, const Json& body = nullptr) {
    auto c = server_.client();
    std::map<std::string, std::string> headers{{"Authorization", "Bearer " + token}, {"Accept", kScim}};
    if (!body.is_null()) headers["Content-Type"] = kScim;
    return c.request(method, "/scim/v2" + path, body.is_null() ? "" : body.dump(), headers);
  }
  HttpResponse filtered(const std::string& token, const std::string& filter) {
    return scim(token, "GET", "/Users?filter=" + url_quoted(filter));
  }
  static bool is_scim_error(const HttpResponse& r, int status) {
    auto body = r.json();
    return r.status == status && r.header("content-type").find(kScim) != std::string::npos && body.is_object() &&
           body["schemas"] == Json::array({kErrorSchema}) && body["status"] == std::to_string(status);
  }

  Json club_, other_, li_;
  std::string club_scim_, other_scim_;
};

TEST_P(ScimTest, TokensAreMadeByAdministratorsForACustomerOrganisationAndShownOnce) {
  auto made = admin_.post("/api/v1/scim-tokens", {{"organization_id", id(club_)}, {"name", "Entra ID"}});
  ASSERT_EQ(made.status, 201) << made.body;
  auto token = made.json();
  EXPECT_TRUE(token["token"].get<std::string>().starts_with("tdm_scim_"));
  auto listed = admin_.get("/api/v1/scim-tokens?organization_id=" + id(club_));
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json()["items"].size(), 2u) << "the fixture's and this one";
  EXPECT_EQ(listed.body.find(token["token"].get<std::string>()), std::string::npos) << "the secret is never shown again";

  create_user("cust@club.test", "customer", id(club_));
  auto cust = login("cust@club.test");
  EXPECT_EQ(cust.post("/api/v1/scim-tokens", {{"organization_id", id(club_)}}).status, 403);
  // Nobody but an administrator lists or revokes them, even of their own organisation.
  create_user("agent@p.test", "agent");
  auto agent = login("agent@p.test");
  for (auto* caller : {&cust, &agent}) {
    EXPECT_EQ(caller->get("/api/v1/scim-tokens?organization_id=" + id(club_)).status, 403);
    EXPECT_EQ(caller->del("/api/v1/scim-tokens/" + id(token)).status, 403);
  }
  EXPECT_EQ(server_.client().get("/api/v1/scim-tokens?organization_id=" + id(club_)).status, 401);
  EXPECT_EQ(admin_.get("/api/v1/scim-tokens").status, 422) << "organization_id is required";
  auto provider = admin_.get("/api/v1/me").json()["organization_id"].get<std::string>();
  auto own = admin_.post("/api/v1/scim-tokens", {{"organization_id", provider}});
  EXPECT_EQ(own.status, 422) << "provisioning is for customer organisations";
  auto bad = admin_.post("/api/v1/scim-tokens", {{"organization_id", "org_nope"}, {"colour", "red"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(problems(bad)["colour"], "is not a known field");
  EXPECT_EQ(admin_.post("/api/v1/scim-tokens", {{"organization_id", "org_nope"}}).status, 404);

  // Deleting a token ends it at once.
  EXPECT_EQ(scim(token["token"], "GET", "/Users").status, 200);
  EXPECT_EQ(admin_.del("/api/v1/scim-tokens/" + id(token)).status, 204);
  EXPECT_TRUE(is_scim_error(scim(token["token"], "GET", "/Users"), 401));
}

TEST_P(ScimTest, WithoutAValidTokenEveryScimCallIs401) {
  auto anonymous = server_.client().request("GET", "/scim/v2/Users", "", {{"Accept", kScim}});
  EXPECT_TRUE(is_scim_error(anonymous, 401)) << anonymous.body;
  EXPECT_EQ(anonymous.header("www-authenticate").rfind("Bearer", 0), 0u);
  EXPECT_TRUE(is_scim_error(scim("tdm_scim_not-a-real-token", "GET", "/ServiceProviderConfig"), 401));
  // A personal access token is not a SCIM token.
  auto pat = admin_.post("/api/v1/tokens", {{"name", "mine"}}).json()["token"].get<std::string>();
  EXPECT_TRUE(is_scim_error(scim(pat, "GET", "/Users"), 401));
}

TEST_P(ScimTest, DiscoveryDocumentsSayWhatIsSupported) {
  auto config = scim(club_scim_, "GET", "/ServiceProviderConfig");
  ASSERT_EQ(config.status, 200);
  EXPECT_NE(config.header("content-type").find(kScim), std::string::npos);
  EXPECT_EQ(config.json()["patch"]["supported"], true);
  EXPECT_EQ(config.json()["filter"]["supported"], true);
  EXPECT_EQ(config.json()["bulk"]["supported"], false);
  auto types = scim(club_scim_, "GET", "/ResourceTypes").json();
  EXPECT_EQ(types["totalResults"], 2);
  EXPECT_EQ(scim(club_scim_, "GET", "/ResourceTypes/User").json()["endpoint"], "/Users");
  auto schema = scim(club_scim_, "GET", std::string("/Schemas/") + kUserSchema);
  ASSERT_EQ(schema.status, 200);
  EXPECT_NE(schema.body.find("userName"), std::string::npos);
  EXPECT_TRUE(is_scim_error(scim(club_scim_, "GET", "/Schemas/urn:nothing"), 404));
}

TEST_P(ScimTest, CreatesFindsAndReadsAPersonAsEntraSendsIt) {
  auto before = audit_count();
  auto created = scim(club_scim_, "POST", "/Users", entra_user("Zhao.Lan@club.test", "Lan", "Zhao", "e-1"));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_NE(created.header("content-type").find(kScim), std::string::npos);
  auto zhao = created.json();
  EXPECT_EQ(zhao["active"], true);
  EXPECT_EQ(zhao["userName"], "Zhao.Lan@club.test");
  EXPECT_EQ(zhao["externalId"], "e-1");
  EXPECT_EQ(zhao["displayName"], "Lan Zhao");
  EXPECT_EQ(zhao["phoneNumbers"][0]["value"], "+86 138 0013 7733");
  EXPECT_EQ(created.header("location"), "/scim/v2/Users/" + id(zhao));
  EXPECT_EQ(created.header("etag"), zhao["meta"]["version"]);
  EXPECT_GT(audit_count(), before) << "audited like any directory change";

  // The directory has the person, in the organisation, as a user, with the phone as an identity.
  auto person = admin_.get("/api/v1/users/" + id(zhao)).json();
  EXPECT_EQ(person["organization_id"], club_["id"]);
  EXPECT_EQ(person["roles"], Json::array({"user"}));
  EXPECT_EQ(person["external_id"], "e-1");
  EXPECT_NE(person.dump().find("+86 138 0013 7733"), std::string::npos);

  for (const auto& filter : {std::string(R"(userName eq "zhao.lan@club.test")"), std::string(R"(externalId eq "e-1")"),
                             std::string(R"(emails.value eq "ZHAO.LAN@club.test")"),
                             std::string(R"(emails[type eq "work" and value eq "zhao.lan@club.test"])"),
                             std::string(R"(userName eq "zhao.lan@club.test" and active eq true)"),
                             std::string(R"(displayName sw "Lan")")}) {
    auto found = filtered(club_scim_, filter);
    ASSERT_EQ(found.status, 200) << filter << found.body;
    EXPECT_EQ(found.json()["totalResults"], 1) << filter;
    EXPECT_EQ(found.json()["Resources"][0]["id"], zhao["id"]) << filter;
    EXPECT_EQ(found.json()["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:ListResponse");
  }
  EXPECT_EQ(filtered(club_scim_, R"(userName eq "nobody@club.test")").json()["totalResults"], 0);
  EXPECT_EQ(filtered(club_scim_, R"(externalId eq "E-1")").json()["totalResults"], 0) << "externalId is case-exact";
  auto read = scim(club_scim_, "GET", "/Users/" + id(zhao) + "?attributes=userName");
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.json()["userName"], "Zhao.Lan@club.test");
  EXPECT_FALSE(read.json().contains("emails")) << "only the attributes asked for, with id and schemas";
  EXPECT_TRUE(read.json().contains("id"));

  // The same person again, or another person with the address: 409 uniqueness, nothing written.
  before = audit_count();
  auto again = scim(club_scim_, "POST", "/Users", okta_user("zhao.lan@CLUB.test", "Lan", "Zhao"));
  EXPECT_TRUE(is_scim_error(again, 409)) << again.body;
  EXPECT_EQ(again.json()["scimType"], "uniqueness");
  auto taken_id = scim(club_scim_, "POST", "/Users", entra_user("other@club.test", "O", "Ther", "e-1"));
  EXPECT_TRUE(is_scim_error(taken_id, 409)) << "externalId is unique in the organisation";
  auto elsewhere = scim(other_scim_, "POST", "/Users", okta_user("zhao.lan@club.test", "Lan", "Zhao"));
  EXPECT_TRUE(is_scim_error(elsewhere, 409)) << "an e-mail belongs to one person across organisations";
  EXPECT_EQ(audit_count(), before);
}

TEST_P(ScimTest, BadRequestsGetTheErrorSchemaAndChangeNothing) {
  auto before = audit_count();
  auto filter = filtered(club_scim_, R"(userName zz "nobody")");
  EXPECT_TRUE(is_scim_error(filter, 400));
  EXPECT_EQ(filter.json()["scimType"], "invalidFilter");
  auto no_name = scim(club_scim_, "POST", "/Users", {{"schemas", {kUserSchema}}, {"displayName", "Nobody"}});
  EXPECT_TRUE(is_scim_error(no_name, 400)) << no_name.body;
  EXPECT_EQ(no_name.json()["scimType"], "invalidValue");
  EXPECT_NE(no_name.json()["detail"].get<std::string>().find("userName"), std::string::npos);
  auto not_json = server_.client().request("POST", "/scim/v2/Users", "{nope",
                                           {{"Authorization", "Bearer " + club_scim_}, {"Content-Type", kScim}});
  EXPECT_TRUE(is_scim_error(not_json, 400));
  EXPECT_EQ(not_json.json()["scimType"], "invalidSyntax");
  auto wrong_type = server_.client().request("POST", "/scim/v2/Users", "userName=x",
                                             {{"Authorization", "Bearer " + club_scim_}, {"Content-Type", "text/plain"}});
  EXPECT_TRUE(is_scim_error(wrong_type, 415));
  auto bad_patch = scim(club_scim_, "PATCH", "/Users/" + id(li_), patch_body({{{"op", "move"}, {"path", "active"}}}));
  EXPECT_TRUE(is_scim_error(bad_patch, 400));
  EXPECT_EQ(bad_patch.json()["scimType"], "invalidSyntax");
  auto bad_count = scim(club_scim_, "GET", "/Users?count=ten");
  EXPECT_TRUE(is_scim_error(bad_count, 400));
  EXPECT_TRUE(is_scim_error(scim(club_scim_, "GET", "/Users/usr_nope"), 404));
  // Paths and methods SCIM does not have are answered in SCIM's shape too, never with a web page.
  EXPECT_TRUE(is_scim_error(scim(club_scim_, "GET", "/Nothing"), 404));
  EXPECT_TRUE(is_scim_error(scim(club_scim_, "DELETE", "/ServiceProviderConfig"), 405));
  EXPECT_EQ(audit_count(), before);
}

TEST_P(ScimTest, PagesByStartIndexAndCount) {
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(scim(club_scim_, "POST", "/Users", okta_user(fmt::format("p{}@club.test", i), "P", std::to_string(i))).status, 201);
  // li plus four: five people, in one order (the order they joined) however they are paged.
  std::vector<std::string> seen;
  for (int start = 1; start <= 5; start += 2) {
    auto page = scim(club_scim_, "GET", fmt::format("/Users?startIndex={}&count=2", start)).json();
    EXPECT_EQ(page["totalResults"], 5);
    EXPECT_EQ(page["startIndex"], start);
    EXPECT_EQ(page["itemsPerPage"], page["Resources"].size());
    for (const auto& r : page["Resources"]) seen.push_back(r["id"]);
  }
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 5u) << "no one twice";
  auto counted = scim(club_scim_, "GET", "/Users?count=0").json();
  EXPECT_EQ(counted["totalResults"], 5);
  EXPECT_TRUE(counted["Resources"].empty());
  auto p_users = url_quoted(R"(userName sw "p")");
  auto first = scim(club_scim_, "GET", "/Users?startIndex=1&count=1&filter=" + p_users).json();
  auto second = scim(club_scim_, "GET", "/Users?startIndex=2&count=1&filter=" + p_users).json();
  EXPECT_EQ(second["totalResults"], 4) << "a filter counts every match, whatever the window";
  ASSERT_EQ(first["Resources"].size(), 1u);
  ASSERT_EQ(second["Resources"].size(), 1u);
  EXPECT_NE(first["Resources"][0]["id"], second["Resources"][0]["id"]);
  EXPECT_TRUE(second["Resources"][0]["userName"].get<std::string>().starts_with("p"));
}

TEST_P(ScimTest, ATokenSeesAndChangesOnlyItsOrganisation) {
  auto yan = scim(other_scim_, "POST", "/Users", okta_user("yan@other.test", "Yan", "Bo")).json();
  auto before = audit_count();
  EXPECT_TRUE(is_scim_error(scim(club_scim_, "GET", "/Users/" + id(yan)), 404));
  EXPECT_TRUE(is_scim_error(scim(club_scim_, "PATCH", "/Users/" + id(yan),
                                 patch_body({{{"op", "replace"}, {"path", "active"}, {"value", false}}})),
                            404));
  EXPECT_TRUE(is_scim_error(scim(club_scim_, "PUT", "/Users/" + id(yan), okta_user("yan@other.test", "Y", "B")), 404));
  EXPECT_TRUE(is_scim_error(scim(club_scim_, "DELETE", "/Users/" + id(yan)), 404));
  EXPECT_EQ(filtered(club_scim_, R"(userName eq "yan@other.test")").json()["totalResults"], 0);
  auto all = scim(club_scim_, "GET", "/Users?count=500");
  EXPECT_EQ(all.body.find("other.test"), std::string::npos);
  auto scan = filtered(club_scim_, R"(userName ew "other.test")");
  EXPECT_EQ(scan.json()["totalResults"], 0) << "a filter that scans scans only the organisation";
  EXPECT_EQ(scim(other_scim_, "GET", "/Users/" + id(yan)).json()["active"], true);
  // Nor can the token reach the provider's staff or make them.
  auto staff = scim(club_scim_, "GET", "/Users/" + admin_.get("/api/v1/me").json()["id"].get<std::string>());
  EXPECT_TRUE(is_scim_error(staff, 404));
  // Groups too.
  auto group = scim(other_scim_, "POST", "/Groups", {{"displayName", "Other drivers"}, {"members", {{{"value", id(yan)}}}}}).json();
  EXPECT_TRUE(is_scim_error(scim(club_scim_, "GET", "/Groups/" + id(group)), 404));
  EXPECT_EQ(scim(club_scim_, "GET", "/Groups").json()["totalResults"], 0);
  auto stranger = scim(club_scim_, "POST", "/Groups", {{"displayName", "Mixed"}, {"members", {{{"value", id(yan)}}}}});
  EXPECT_TRUE(is_scim_error(stranger, 400)) << "members are the organisation's people";
  EXPECT_EQ(audit_count(), before + 1) << "only the other organisation's own group was written";
}

TEST_P(ScimTest, DeactivationEndsASignedInPersonsAccessOnTheirNextCall) {
  create_user("kim@club.test", "user", id(club_));
  auto li = login("li@club.test");
  auto kim = login("kim@club.test");
  auto token = li.post("/api/v1/tokens", {{"name", "script"}}).json()["token"].get<std::string>();
  auto script = server_.client();
  script.use_token(token);
  ASSERT_EQ(li.get("/api/v1/me").status, 200);
  ASSERT_EQ(script.get("/api/v1/me").status, 200);
  ASSERT_EQ(kim.get("/api/v1/me").status, 200);

  // Okta's form.
  auto found = filtered(club_scim_, R"(emails.value eq "li@club.test")").json()["Resources"][0];
  auto okta = scim(club_scim_, "PATCH", "/Users/" + id(found), patch_body({{{"op", "replace"}, {"value", {{"active", false}}}}}));
  ASSERT_EQ(okta.status, 200) << okta.body;
  EXPECT_EQ(okta.json()["active"], false);
  EXPECT_EQ(li.get("/api/v1/me").status, 401) << "the browser's session ended";
  EXPECT_EQ(script.get("/api/v1/me").status, 401) << "and the access token";
  EXPECT_EQ(server_.client().login("li@club.test", "Passw0rd-test!").status, 401);
  auto still = scim(club_scim_, "GET", "/Users/" + id(found));
  ASSERT_EQ(still.status, 200) << "a deactivated person stays readable";
  EXPECT_EQ(still.json()["active"], false);

  // Entra ID's form, with the boolean as text.
  auto kim_id = filtered(club_scim_, R"(userName eq "kim@club.test")").json()["Resources"][0]["id"].get<std::string>();
  auto entra = scim(club_scim_, "PATCH", "/Users/" + kim_id,
                    patch_body({{{"op", "Replace"}, {"path", "active"}, {"value", "False"}}}));
  ASSERT_EQ(entra.status, 200) << entra.body;
  EXPECT_EQ(kim.get("/api/v1/me").status, 401);

  // And back: reactivated, the person signs in again.
  auto back = scim(club_scim_, "PATCH", "/Users/" + kim_id, patch_body({{{"op", "replace"}, {"path", "active"}, {"value", true}}}));
  ASSERT_EQ(back.status, 200);
  EXPECT_EQ(server_.client().login("kim@club.test", "Passw0rd-test!").status, 200);
}

TEST_P(ScimTest, ReplacesAndPatchesAttributesWithVersions) {
  auto zhao = scim(club_scim_, "POST", "/Users", entra_user("zhao@club.test", "Lan", "Zhao", "e-9")).json();
  auto path = "/Users/" + id(zhao);
  auto patched = scim(club_scim_, "PATCH", path, patch_body({
      {{"op", "Replace"}, {"path", "displayName"}, {"value", "赵兰"}},
      {{"op", "Add"}, {"path", "emails[type eq \"other\"].value"}, {"value", "lan@home.test"}},
      {{"op", "Replace"}, {"path", "preferredLanguage"}, {"value", "zh-CN"}},
      {{"op", "Remove"}, {"path", "phoneNumbers[type eq \"mobile\"]"}},
  }));
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto now = patched.json();
  EXPECT_EQ(now["displayName"], "赵兰");
  EXPECT_EQ(now["preferredLanguage"], "zh-CN");
  EXPECT_FALSE(now.contains("phoneNumbers"));
  EXPECT_NE(now["emails"].dump().find("lan@home.test"), std::string::npos);
  EXPECT_EQ(filtered(club_scim_, R"(emails.value eq "lan@home.test")").json()["totalResults"], 1)
      << "a further e-mail is an identity of the person";
  EXPECT_NE(now["meta"]["version"], zhao["meta"]["version"]);

  // If-Match with an old version: 412, nothing changed.
  auto stale = server_.client().request("PATCH", "/scim/v2" + path,
                                        patch_body({{{"op", "replace"}, {"path", "displayName"}, {"value", "x"}}}).dump(),
                                        {{"Authorization", "Bearer " + club_scim_},
                                         {"Content-Type", kScim},
                                         {"If-Match", zhao["meta"]["version"].get<std::string>()}});
  EXPECT_TRUE(is_scim_error(stale, 412)) << stale.body;
  EXPECT_EQ(scim(club_scim_, "GET", path).json()["displayName"], "赵兰");

  // PUT replaces: what is left out is cleared.
  auto body = okta_user("lan.zhao@club.test", "Lan", "Zhao");
  auto put = scim(club_scim_, "PUT", path, body);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json()["userName"], "lan.zhao@club.test");
  EXPECT_EQ(put.json()["emails"].size(), 1u);
  EXPECT_FALSE(put.json().contains("externalId"));
  EXPECT_EQ(filtered(club_scim_, R"(userName eq "zhao@club.test")").json()["totalResults"], 0);

  // A PATCH that would leave a bad person is refused whole.
  auto before = audit_count();
  auto bad = scim(club_scim_, "PATCH", path, patch_body({{{"op", "replace"}, {"path", "displayName"}, {"value", "ok"}},
                                                         {{"op", "replace"}, {"path", "userName"}, {"value", "not-mail"}}}));
  EXPECT_TRUE(is_scim_error(bad, 400)) << bad.body;
  EXPECT_EQ(audit_count(), before);
  EXPECT_EQ(scim(club_scim_, "GET", path).json()["displayName"], "Lan Zhao");
}

TEST_P(ScimTest, DeleteEndsAccessAndThePersonLeavesProvisioningsView) {
  auto dan = scim(club_scim_, "POST", "/Users", okta_user("dan@club.test", "Dan", "Delete")).json();
  EXPECT_EQ(scim(club_scim_, "DELETE", "/Users/" + id(dan)).status, 204);
  EXPECT_TRUE(is_scim_error(scim(club_scim_, "GET", "/Users/" + id(dan)), 404));
  EXPECT_EQ(filtered(club_scim_, R"(userName eq "dan@club.test")").json()["totalResults"], 0);
  EXPECT_TRUE(is_scim_error(scim(club_scim_, "DELETE", "/Users/" + id(dan)), 404));
  // The directory keeps the record, inactive, with when they left; their tickets stay theirs.
  auto record = admin_.get("/api/v1/users/" + id(dan)).json();
  EXPECT_EQ(record["active"], false);
  EXPECT_TRUE(record["left_at"].is_string());
}

TEST_P(ScimTest, GroupsWithMembersAsProvidersPushThem) {
  auto kim = scim(club_scim_, "POST", "/Users", okta_user("kim@club.test", "Min", "Kim")).json();
  auto created = scim(club_scim_, "POST", "/Groups",
                      {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}, {"displayName", "车队司机 Fleet drivers"},
                       {"externalId", "g-1"}, {"members", Json::array()}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto group = created.json();
  auto path = "/Groups/" + id(group);
  auto added = scim(club_scim_, "PATCH", path,
                    patch_body({{{"op", "Add"}, {"path", "members"}, {"value", {{{"value", id(kim)}}, {{"value", id(li_)}}}}}}));
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(added.json()["members"].size(), 2u);
  // The directory's group, usable by entitlement rules, has them.
  auto directory = admin_.get("/api/v1/groups/" + id(group)).json();
  EXPECT_EQ(directory["member_ids"].size(), 2u);
  EXPECT_EQ(directory["external_id"], "g-1");

  auto removed = scim(club_scim_, "PATCH", path,
                      patch_body({{{"op", "remove"}, {"path", "members[value eq \"" + id(li_) + "\"]"}}}));
  ASSERT_EQ(removed.status, 200);
  EXPECT_EQ(removed.json()["members"], Json::parse(R"([{"value":")" + id(kim) + R"(","type":"User","$ref":"/scim/v2/Users/)" +
                                                   id(kim) + R"("}])"));
  auto renamed = scim(club_scim_, "PATCH", path, patch_body({{{"op", "replace"}, {"value", {{"displayName", "Drivers"}}}}}));
  EXPECT_EQ(renamed.json()["displayName"], "Drivers");
  auto by_name = scim(club_scim_, "GET", "/Groups?filter=" + url_quoted(R"(displayName eq "Drivers")") + "&excludedAttributes=members");
  ASSERT_EQ(by_name.json()["totalResults"], 1);
  EXPECT_FALSE(by_name.json()["Resources"][0].contains("members"));
  auto put = scim(club_scim_, "PUT", path, {{"displayName", "Drivers"}, {"members", {{{"value", id(li_)}}}}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json()["members"].size(), 1u);
  EXPECT_EQ(scim(club_scim_, "DELETE", path).status, 204);
  EXPECT_TRUE(is_scim_error(scim(club_scim_, "GET", path), 404));
}

TEST_P(ScimTest, DeactivationStartsTheOffboardingAndADeletedPersonMayComeBack) {
  auto kim = scim(club_scim_, "POST", "/Users", okta_user("kim@club.test", "Min", "Kim")).json();
  auto off = scim(club_scim_, "PATCH", "/Users/" + id(kim), patch_body({{{"op", "replace"}, {"value", {{"active", false}}}}}));
  ASSERT_EQ(off.status, 200) << off.body;
  auto records = admin_.get("/api/v1/offboardings?subject_id=" + id(kim)).json()["items"];
  ASSERT_EQ(records.size(), 1u) << "OFF-1: deactivation by the identity provider starts the person's offboarding";
  EXPECT_EQ(records[0]["status"], "open");
  // Reactivated, the person came back: the offboarding is cancelled. Deactivated again, a new one starts.
  EXPECT_EQ(scim(club_scim_, "PUT", "/Users/" + id(kim), okta_user("kim@club.test", "Min", "Kim")).json()["active"], true);
  auto cancelled = admin_.get("/api/v1/offboardings?subject_id=" + id(kim)).json();
  ASSERT_EQ(cancelled["items"].size(), 1u) << cancelled;
  EXPECT_EQ(cancelled["items"][0]["status"], "cancelled") << cancelled;
  auto again = scim(club_scim_, "PATCH", "/Users/" + id(kim), patch_body({{{"op", "replace"}, {"path", "active"}, {"value", false}}}));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["active"], false);
  auto both = admin_.get("/api/v1/offboardings?subject_id=" + id(kim)).json()["items"];
  ASSERT_EQ(both.size(), 2u);
  std::set<std::string> statuses{both[0]["status"].get<std::string>(), both[1]["status"].get<std::string>()};
  EXPECT_EQ(statuses, (std::set<std::string>{"open", "cancelled"}));

  // A PUT that leaves `active` out keeps it as it is.
  auto body = okta_user("kim@club.test", "Min", "Kim");
  body.erase("active");
  EXPECT_EQ(scim(club_scim_, "PUT", "/Users/" + id(kim), body).json()["active"], false);

  // Deleted, then provisioned again (Okta's unassign and reassign): the same person comes back.
  ASSERT_EQ(scim(club_scim_, "DELETE", "/Users/" + id(kim)).status, 204);
  auto back = scim(club_scim_, "POST", "/Users", okta_user("kim@club.test", "Min", "Kim"));
  ASSERT_EQ(back.status, 201) << back.body;
  EXPECT_EQ(back.json()["id"], kim["id"]);
  EXPECT_EQ(back.json()["active"], true);
  EXPECT_EQ(filtered(club_scim_, R"(userName eq "kim@club.test")").json()["totalResults"], 1);
}

TEST_P(ScimTest, TypedAddressesAndNumbersKeepTheirTypes) {
  auto body = entra_user("typed@club.test", "Ty", "Ped", "e-t");
  body["phoneNumbers"] = {{{"type", "work"}, {"value", "+86 10 6275 1234"}}, {{"type", "mobile"}, {"value", "+86 138 0013 7000"}}};
  auto created = scim(club_scim_, "POST", "/Users", body).json();
  auto path = "/Users/" + id(created);
  auto changed = scim(club_scim_, "PATCH", path,
                      patch_body({{{"op", "Replace"}, {"path", "phoneNumbers[type eq \"mobile\"].value"}, {"value", "+86 138 0013 7001"}}}));
  ASSERT_EQ(changed.status, 200) << changed.body;
  std::map<std::string, std::string> by_type;
  auto now = changed.json();
  for (const auto& p : now["phoneNumbers"]) by_type[p["type"].get<std::string>()] = p["value"].get<std::string>();
  EXPECT_EQ(by_type["work"], "+86 10 6275 1234") << "only the mobile number changed";
  EXPECT_EQ(by_type["mobile"], "+86 138 0013 7001");
  // Created inactive, in one step.
  auto off = okta_user("inactive@club.test", "In", "Active");
  off["active"] = false;
  auto made = scim(club_scim_, "POST", "/Users", off);
  ASSERT_EQ(made.status, 201);
  EXPECT_EQ(made.json()["active"], false);
  // A group's displayName is unique: 409 uniqueness.
  ASSERT_EQ(scim(club_scim_, "POST", "/Groups", {{"displayName", "Drivers"}}).status, 201);
  auto twice = scim(club_scim_, "POST", "/Groups", {{"displayName", "Drivers"}});
  EXPECT_TRUE(is_scim_error(twice, 409)) << twice.body;
  EXPECT_EQ(twice.json()["scimType"], "uniqueness");
}

// ONB-13: an organisation's groups give roles as its administrator maps them, and each person its
// identity provider creates starts the organisation's new_user onboarding plan.
TEST_P(ScimTest, GroupsGiveRolesByTheMappingAndANewPersonStartsTheirPlan) {
  auto tmpl = admin_.post("/api/v1/onboarding-templates",
                          {{"name", "New member"},
                           {"control_method", "project"},
                           {"actions", {{{"key", "welcome"},
                                         {"title", "Welcome call"},
                                         {"dimension", "organizations_people"},
                                         {"performed_by", "provider"},
                                         {"owner_role", "relationship_manager"},
                                         {"due_offset_days", 0},
                                         {"depends_on", Json::array()}}}}});
  ASSERT_EQ(tmpl.status, 201) << tmpl.body;
  auto path = "/api/v1/organizations/" + id(club_) + "/provisioning";
  auto unset = admin_.get(path);
  ASSERT_EQ(unset.status, 200) << unset.body;
  EXPECT_TRUE(unset.json()["group_roles"].empty());
  // Bad settings are refused and change nothing; only administrators set them.
  create_user("cust@club.test", "customer", id(club_));
  auto club_customer = login("cust@club.test");
  EXPECT_EQ(club_customer.get(path).status, 403);
  EXPECT_EQ(club_customer.request("PUT", path, Json{{"group_roles", Json::array()}}.dump(),
                                  {{"content-type", "application/json"}, {"if-match", unset.header("etag")}})
                .status,
            403);
  create_user("agent@provider.test", "agent");
  EXPECT_EQ(login("agent@provider.test").get(path).status, 403);
  EXPECT_EQ(login("wu@other.test").get(path).status, 403);
  EXPECT_EQ(admin_.get("/api/v1/organizations/org_nope/provisioning").status, 404);
  EXPECT_EQ(admin_.get(path).json()["version"], 1) << "none of the refused calls set anything";
  EXPECT_EQ(admin_.request("PUT", path, Json{{"group_roles", {{{"group", "Ops"}, {"role", "agent"}}}}}.dump(),
                           {{"content-type", "application/json"}, {"if-match", unset.header("etag")}})
                .status,
            422)
      << "provider roles are not the identity provider's to give";
  EXPECT_EQ(admin_.request("PUT", path, Json{{"new_user_template_id", "tpl_nope"}}.dump(),
                           {{"content-type", "application/json"}, {"if-match", unset.header("etag")}})
                .status,
            422);
  auto set = admin_.request("PUT", path,
                            Json{{"group_roles", {{{"group", "Club managers"}, {"role", "customer"}}}}, {"new_user_template_id", id(tmpl.json())}}.dump(),
                            {{"content-type", "application/json"}, {"if-match", unset.header("etag")}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(admin_.request("PUT", path, Json{{"group_roles", Json::array()}}.dump(),
                           {{"content-type", "application/json"}, {"if-match", unset.header("etag")}})
                .status,
            412)
      << "a stale version";

  auto made = scim(club_scim_, "POST", "/Users",
                   {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}}, {"userName", "mei@club.test"}, {"name", {{"formatted", "Mei"}}}});
  ASSERT_EQ(made.status, 201) << made.body;
  auto mei = made.json()["id"].get<std::string>();
  auto plans = admin_.get("/api/v1/plans?organization_id=" + id(club_)).json()["items"];
  ASSERT_EQ(plans.size(), 1u) << plans.dump();
  EXPECT_EQ(plans[0]["user_id"], mei);
  EXPECT_EQ(plans[0]["scenario"], "new_user");

  auto roles = [&] { return admin_.get("/api/v1/users/" + mei).json()["roles"]; };
  EXPECT_EQ(roles(), Json::array({"user"}));
  auto group = scim(club_scim_, "POST", "/Groups",
                    {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}, {"displayName", "Club managers"}, {"members", {{{"value", mei}}}}});
  ASSERT_EQ(group.status, 201) << group.body;
  EXPECT_EQ(roles(), Json::array({"customer"})) << "the group's role";
  auto removed = scim(club_scim_, "PATCH", "/Groups/" + group.json()["id"].get<std::string>(),
                      {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                       {"Operations", {{{"op", "remove"}, {"path", "members[value eq \"" + mei + "\"]"}}}}});
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(roles(), Json::array({"user"})) << "out of the group, the role goes";
  // A role the mapping does not name, given by hand, stays whatever the groups say.
  auto mei_now = admin_.get("/api/v1/users/" + mei);
  ASSERT_EQ(admin_.patch("/api/v1/users/" + mei, {{"roles", {"user", "representative"}}}, mei_now.header("etag")).status, 200);
  auto back = scim(club_scim_, "PATCH", "/Groups/" + group.json()["id"].get<std::string>(),
                   {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                    {"Operations", {{{"op", "add"}, {"path", "members"}, {"value", {{{"value", mei}}}}}}}});
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(roles(), Json::array({"customer", "representative"})) << "the group's role, and the one given by hand";
  EXPECT_EQ(admin_.get("/api/v1/users/" + id(li_)).json()["roles"], Json::array({"user"})) << "nobody else changed";
}

INSTANTIATE_TEST_SUITE_P(Stores, ScimTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
