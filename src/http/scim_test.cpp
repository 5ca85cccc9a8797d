// ONB-13: SCIM filters and PATCH operations over resources as JSON, with the bodies Entra ID and
// Okta send.
#include <gtest/gtest.h>

#include "http/scim_patch.h"
#include "http/scim_resources.h"

namespace tandem::http::scim {
namespace {

Json person() {
  return Json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "id": "usr_1", "externalId": "Ab-1", "userName": "Zhao.Lan@A.test", "displayName": "赵兰", "active": true,
    "name": {"formatted": "赵兰", "givenName": "Lan", "familyName": "Zhao"},
    "emails": [{"value": "zhao.lan@a.test", "type": "work", "primary": true},
               {"value": "lan@home.test", "type": "other", "primary": false}],
    "phoneNumbers": [{"value": "+8613800137733", "type": "mobile"}],
    "meta": {"resourceType": "User", "lastModified": "2026-12-01T08:00:00Z", "version": "W/\"3\""}
  })");
}

bool matches_text(const std::string& filter, const Json& resource = person()) {
  auto f = parse_filter(filter);
  EXPECT_TRUE(f) << filter << ": " << (f ? "" : f.error().message);
  return f && matches(*f, resource);
}

TEST(ScimFilter, ComparesAsTheRfcSays) {
  EXPECT_TRUE(matches_text(R"(userName eq "zhao.lan@a.test")")) << "userName is not case-exact";
  EXPECT_TRUE(matches_text(R"(USERNAME Eq "ZHAO.LAN@A.TEST")")) << "names and operators in any case";
  EXPECT_FALSE(matches_text(R"(externalId eq "ab-1")")) << "externalId is case-exact";
  EXPECT_TRUE(matches_text(R"(externalId eq "Ab-1")"));
  EXPECT_TRUE(matches_text(R"(emails.value eq "lan@home.test")")) << "any element of a multi-valued attribute";
  EXPECT_TRUE(matches_text(R"(emails[type eq "work" and value co "zhao"])"));
  EXPECT_FALSE(matches_text(R"(emails[type eq "work" and value co "home"])")) << "both on the same element";
  EXPECT_TRUE(matches_text(R"(name.familyName sw "zh" and not (active eq false))"));
  EXPECT_TRUE(matches_text(R"(title pr or displayName ew "兰")"));
  EXPECT_FALSE(matches_text(R"(title pr)"));
  EXPECT_TRUE(matches_text(R"(meta.lastModified gt "2026-11-30T00:00:00Z")"));
  EXPECT_FALSE(matches_text(R"(meta.lastModified lt "2026-11-30T00:00:00Z")"));
  EXPECT_TRUE(matches_text(R"(urn:ietf:params:scim:schemas:core:2.0:User:userName eq "zhao.lan@a.test")"));
  EXPECT_TRUE(matches_text(R"(active eq true)"));
  EXPECT_TRUE(matches_text(R"(userName ne "other@a.test")"));
  EXPECT_TRUE(matches_text(R"(displayName eq "赵兰")"));
  EXPECT_TRUE(matches_text(R"(displayName eq "\u8d75\u5170")")) << "JSON escapes in strings";
  EXPECT_TRUE(matches_text(R"((userName eq "x" or userName eq "zhao.lan@a.test") and active eq true)"));
}

TEST(ScimFilter, EntraSendsBooleansAsText) {
  auto resource = person();
  resource["active"] = "False";
  EXPECT_TRUE(matches_text("active eq false", resource));
}

TEST(ScimFilter, AnythingElseIsAnInvalidFilter) {
  for (std::string bad : {R"(userName zz "nobody")", R"(userName eq)", R"(userName eq "open)", R"((userName eq "x")",
                          R"(emails[type eq "work")", R"(userName eq "x" and)", R"(active gt true)", R"(userName co 3)",
                          R"(eq "x")", R"(not userName eq "x")", R"(1bad eq "x")", R"(userName eq "x" extra)"}) {
    auto f = parse_filter(bad);
    ASSERT_FALSE(f) << bad;
    EXPECT_EQ(f.error().slug, "invalidFilter") << bad;
  }
}

TEST(ScimFilter, NestingIsBoundedButNotTheNumberOfGroups) {
  std::string deep = std::string(40, '(') + R"(userName eq "x")" + std::string(40, ')');
  auto f = parse_filter(deep);
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().slug, "invalidFilter");
  std::string many = R"((userName eq "x"))";
  for (int i = 0; i < 40; ++i) many += R"( or (userName eq "x"))";
  EXPECT_TRUE(parse_filter(many)) << "forty groups side by side nest one deep";
}

TEST(ScimFilter, TellsWhichEqualitiesEveryMatchNeeds) {
  auto f = parse_filter(R"(userName eq "a@b.test" and (active eq true or title pr) and emails.value eq "c@d.test")");
  ASSERT_TRUE(f);
  auto eq = required_equalities(*f);
  ASSERT_EQ(eq.size(), 2u);
  EXPECT_EQ(eq[0], (std::pair<std::string, std::string>{"userName", "a@b.test"}));
  EXPECT_EQ(eq[1], (std::pair<std::string, std::string>{"emails.value", "c@d.test"}));
  auto either = parse_filter(R"(userName eq "a@b.test" or userName eq "c@d.test")");
  ASSERT_TRUE(either);
  EXPECT_TRUE(required_equalities(*either).empty()) << "an 'or' names no single value every match has";
}

Json patch_of(const std::string& operations) {
  return Json::parse(R"({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": )" + operations + "}");
}

TEST(ScimPatch, DeactivatesAsEntraAndOktaSendIt) {
  auto entra = person();
  ASSERT_TRUE(apply_patch(entra, patch_of(R"([{"op": "Replace", "path": "active", "value": "False"}])")));
  EXPECT_EQ(entra["active"], "False");
  EXPECT_EQ(user_input(entra)->active, false) << "read back as a boolean";
  auto okta = person();
  ASSERT_TRUE(apply_patch(okta, patch_of(R"([{"op": "replace", "value": {"active": false}}])")));
  EXPECT_EQ(okta["active"], false);
}

TEST(ScimPatch, ChangesAttributesByPath) {
  auto r = person();
  auto ok = apply_patch(r, patch_of(R"([
      {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "lan.zhao@a.test"},
      {"op": "add", "path": "phoneNumbers[type eq \"work\"].value", "value": "+86 10 6275 1234"},
      {"op": "replace", "path": "name.givenName", "value": "兰"},
      {"op": "replace", "value": {"displayName": "赵 兰", "name.familyName": "赵"}},
      {"op": "remove", "path": "emails[type eq \"other\"]"},
      {"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Fleet"}
  ])"));
  ASSERT_TRUE(ok) << ok.error().message;
  ASSERT_EQ(r["emails"].size(), 1u);
  EXPECT_EQ(r["emails"][0]["value"], "lan.zhao@a.test");
  ASSERT_EQ(r["phoneNumbers"].size(), 2u) << "an element the filter describes is made when none matches";
  EXPECT_EQ(r["phoneNumbers"][1], (Json{{"type", "work"}, {"value", "+86 10 6275 1234"}}));
  EXPECT_EQ(r["name"]["givenName"], "兰");
  EXPECT_EQ(r["name"]["familyName"], "赵");
  EXPECT_EQ(r["displayName"], "赵 兰");
  EXPECT_EQ(r["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["department"], "Fleet");
  ASSERT_TRUE(apply_patch(r, patch_of(R"([{"op": "replace", "value": {"urn:ietf:params:scim:schemas:core:2.0:User": {"displayName": "兰"}}}])")));
  EXPECT_EQ(r["displayName"], "兰") << "the core schema's URN names the resource itself";
}

TEST(ScimPatch, AddsAndRemovesGroupMembersEveryWayProvidersDo) {
  Json group = {{"displayName", "Fleet drivers"}, {"members", Json::array({{{"value", "usr_1"}}})}};
  ASSERT_TRUE(apply_patch(group, patch_of(R"([{"op": "add", "path": "members", "value": [{"value": "usr_2"}, {"value": "usr_1"}]}])")));
  EXPECT_EQ(group["members"].size(), 2u) << "a member already there is not added twice";
  ASSERT_TRUE(apply_patch(group, patch_of(R"([{"op": "remove", "path": "members[value eq \"usr_1\"]"}])")));  // Okta
  ASSERT_EQ(group["members"].size(), 1u);
  EXPECT_EQ(group["members"][0]["value"], "usr_2");
  ASSERT_TRUE(apply_patch(group, patch_of(R"([{"op": "Remove", "path": "members", "value": [{"value": "usr_2"}]}])")));  // Entra
  EXPECT_TRUE(group["members"].empty());
  ASSERT_TRUE(apply_patch(group, patch_of(R"([{"op": "replace", "path": "members", "value": [{"value": "usr_3"}]}])")));
  EXPECT_EQ(group["members"], Json::parse(R"([{"value": "usr_3"}])"));
  ASSERT_TRUE(apply_patch(group, patch_of(R"([{"op": "remove", "path": "members"}])")));
  EXPECT_FALSE(group.contains("members"));
}

TEST(ScimPatch, RefusesWhatIsNotAPatchAndChangesNothing) {
  struct Case {
    std::string body, slug;
  };
  for (const auto& c : std::vector<Case>{
           {R"({"Operations": [{"op": "move", "path": "active", "value": false}]})", "invalidSyntax"},
           {R"({"Operations": []})", "invalidSyntax"},
           {R"({"schemas": ["urn:other"], "Operations": [{"op": "add", "path": "title", "value": "x"}]})", "invalidSyntax"},
           {R"({"Operations": [{"op": "remove"}]})", "noTarget"},
           {R"({"Operations": [{"op": "replace", "path": "active"}]})", "invalidSyntax"},
           {R"({"Operations": [{"op": "replace", "path": "emails[type eq ]", "value": "x"}]})", "invalidFilter"},
           {R"({"Operations": [{"op": "replace", "path": "a..b", "value": "x"}]})", "invalidPath"},
           {R"({"Operations": [{"op": "replace", "value": "x"}]})", "invalidValue"},
           // Elements that are not objects (the schemas' strings) have no sub-attributes.
           {R"({"Operations": [{"op": "replace", "path": "schemas[value ne \"x\"].foo", "value": 1}]})", "invalidPath"},
           {R"({"Operations": [{"op": "remove", "path": "schemas[value ne \"x\"].foo"}]})", "invalidPath"},
           {R"({"Operations": [{"op": "add", "value": {"displayName.foo": 1}}]})", "invalidPath"},
           // The first operation would apply; the second fails, so neither is kept.
           {R"({"Operations": [{"op": "replace", "path": "displayName", "value": "x"}, {"op": "bad"}]})", "invalidSyntax"},
       }) {
    auto r = person();
    auto result = apply_patch(r, Json::parse(c.body));
    ASSERT_FALSE(result) << c.body;
    EXPECT_EQ(result.error().slug, c.slug) << c.body;
    EXPECT_EQ(r, person()) << c.body;
  }
}

TEST(ScimResources, ReadsAPersonWithEveryProblemNamed) {
  auto in = user_input(person());
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(in->user_name, "Zhao.Lan@A.test");
  EXPECT_EQ(in->name, "赵兰") << "displayName first";
  ASSERT_EQ(in->other_emails.size(), 1u) << "the userName is the primary address, the others are further ones";
  EXPECT_EQ(in->other_emails[0].value, "lan@home.test");
  ASSERT_EQ(in->phones.size(), 1u);
  EXPECT_EQ(in->external_id, "Ab-1");

  auto okta = Json::parse(R"({"userName": "yan@b.test", "name": {"givenName": "Yan", "familyName": "Bo"}, "locale": "zh-Hans-CN"})");
  auto named = user_input(okta);
  ASSERT_TRUE(named);
  EXPECT_EQ(named->name, "Yan Bo") << "given and family name when there is no displayName";
  EXPECT_EQ(named->language, "zh-CN");

  auto bad = user_input(Json::parse(R"({"userName": "not an address", "active": "maybe", "emails": [{"value": "x"}],
                                        "phoneNumbers": [{"value": "call me"}]})"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().slug, "invalidValue");
  std::set<std::string> fields;
  for (const auto& d : bad.error().details) fields.insert(d.field);
  EXPECT_EQ(fields, (std::set<std::string>{"userName", "active", "emails", "phoneNumbers"}));
}

TEST(ScimResources, ErrorsTakeScimsShape) {
  auto taken = error_response(Error(Code::conflict, "An identity is already in use by another user.", "identity_taken"));
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.content_type, "application/scim+json");
  auto body = Json::parse(taken.body);
  EXPECT_EQ(body["schemas"][0], kErrorSchema);
  EXPECT_EQ(body["status"], "409") << "a string, as RFC 7644 §3.12 has it";
  EXPECT_EQ(body["scimType"], "uniqueness");
  auto invalid = error_response(Error(Code::invalid_argument, "Some fields are invalid."));
  EXPECT_EQ(invalid.status, 400) << "SCIM has no 422";
  EXPECT_EQ(Json::parse(invalid.body)["scimType"], "invalidValue");
  auto missing = error_response(Error(Code::not_found, "No such user."));
  EXPECT_EQ(missing.status, 404);
  EXPECT_FALSE(Json::parse(missing.body).contains("scimType"));
}

}  // namespace
}  // namespace tandem::http::scim
