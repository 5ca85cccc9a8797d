// The service catalog over HTTP on every store (DESK-5, REL-2, ONB-11): services and request
// types with translatable texts, entitlement rules deciding who sees what through every route,
// requests checked in the user's language, quotas, and who may change the catalog.
#include <algorithm>
#include <set>

#include <date/date.h>

#include "api/api_fixture.h"
#include "usecase/attachments.h"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;

Json laptop_form() {
  return {{"fields",
           Json::array({{{"key", "model"},
                         {"type", "choice"},
                         {"required", true},
                         {"label", {{"en", "Model"}, {"zh-CN", "型号"}}},
                         {"options", Json::array({"13-inch", {{"value", "15-inch"}, {"label", {{"en", "15 inch"}, {"zh-CN", "15 英寸"}}},
                                                              {"price", "200.00"}}})}},
                        {{"key", "reason"}, {"type", "text"}, {"required", true}, {"label", {{"en", "Reason"}, {"zh-CN", "理由"}}}}})}};
}

class CatalogTest : public ApiTest {
 protected:
  void SetUp() override {
    uni_ = create_org("Uni");
    other_ = create_org("Other");
    create_user("a1@a.test", "user", id(uni_), "Passw0rd-test!", {{"language", "zh-CN"}});
    a2_ = create_user("a2@a.test", "user", id(uni_));
    create_user("cust@a.test", "customer", id(uni_));
    create_user("b1@b.test", "user", id(other_));
    create_user("agent@p.test", "agent");
    service_ = post_ok("/api/v1/services", {{"name", {{"en", "Laptops"}, {"zh-CN", "笔记本电脑"}}}, {"description", "Devices for staff"}});
    laptop_ = post_ok("/api/v1/request-types", {{"service_id", id(service_)},
                                                {"name", {{"en", "New laptop"}, {"zh-CN", "申请新笔记本"}}},
                                                {"form", laptop_form()},
                                                {"price", "1000"}});
    secret_ = post_ok("/api/v1/request-types",
                      {{"service_id", id(service_)}, {"name", "Executive phone"}, {"form", {{"fields", Json::array()}}}});
  }

  Json post_ok(const std::string& path, const Json& body) {
    auto r = admin_.post(path, body);
    EXPECT_EQ(r.status, 201) << path << ": " << r.body;
    return r.json();
  }

  Json entitle(const Json& body) { return post_ok("/api/v1/entitlements", body); }

  HttpResponse request(HttpClient& c, const Json& type, Json answers) {
    return c.post("/api/v1/requests", {{"request_type_id", id(type)}, {"answers", std::move(answers)}});
  }

  // The request type ids a caller's catalog lists.
  std::set<std::string> catalog_ids(HttpClient& c) {
    auto r = c.get("/api/v1/catalog");
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::string> out;
    auto body = r.json();
    for (const auto& section : body["items"])
      for (const auto& t : section["request_types"]) out.insert(t["id"].get<std::string>());
    return out;
  }

  Json uni_, other_, a2_, service_, laptop_, secret_;
};

// DESK-5: the entitlement matrix — organisation × role → visible items, and every route agrees.
TEST_P(CatalogTest, EntitlementRulesDecideWhatEachCallerSeesEverywhere) {
  entitle({{"request_type_id", id(laptop_)}, {"organization_id", id(uni_)}});
  entitle({{"request_type_id", id(secret_)}, {"role", "customer"}});
  auto a1 = login("a1@a.test");
  auto cust = login("cust@a.test");
  auto b1 = login("b1@b.test");
  auto agent = login("agent@p.test");

  EXPECT_EQ(catalog_ids(a1), (std::set<std::string>{id(laptop_)}));
  EXPECT_EQ(catalog_ids(cust), (std::set<std::string>{id(laptop_), id(secret_)}));
  EXPECT_TRUE(catalog_ids(b1).empty());
  EXPECT_EQ(catalog_ids(agent), (std::set<std::string>{id(laptop_), id(secret_)})) << "staff see the whole catalog";

  // By id and in lists: an unentitled item answers as one that does not exist.
  EXPECT_EQ(a1.get("/api/v1/request-types/" + id(laptop_)).status, 200);
  EXPECT_EQ(a1.get("/api/v1/request-types/" + id(secret_)).status, 404);
  EXPECT_EQ(b1.get("/api/v1/request-types/" + id(laptop_)).status, 404);
  EXPECT_EQ(b1.get("/api/v1/services/" + id(service_)).status, 404);
  EXPECT_EQ(a1.get("/api/v1/services/" + id(service_)).status, 200) << "a service one of whose types is seen";
  EXPECT_TRUE(b1.get("/api/v1/services").json()["items"].empty());
  EXPECT_TRUE(b1.get("/api/v1/request-types").json()["items"].empty());
  auto listed = a1.get("/api/v1/request-types?service_id=" + id(service_)).json()["items"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], laptop_["id"]);

  // Requesting and naming the service on a ticket follow the same rules.
  auto refused = request(b1, laptop_, {{"model", "13-inch"}, {"reason", "x"}});
  EXPECT_EQ(refused.status, 404) << refused.body;
  EXPECT_EQ(b1.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "x"}, {"service_id", id(service_)}}).status, 422);
  auto ticket = a1.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Laptop broke"}, {"service_id", id(service_)}});
  EXPECT_EQ(ticket.status, 201) << ticket.body;
  EXPECT_EQ(ticket.json()["service_id"], service_["id"]);

  // A whole-service rule shows every type of it; a retired type disappears for consumers.
  entitle({{"service_id", id(service_)}, {"organization_id", id(other_)}});
  EXPECT_EQ(catalog_ids(b1), (std::set<std::string>{id(laptop_), id(secret_)}));
  auto etag = admin_.get("/api/v1/request-types/" + id(secret_)).header("etag");
  ASSERT_EQ(admin_.patch("/api/v1/request-types/" + id(secret_), {{"active", false}}, etag).status, 200);
  EXPECT_EQ(catalog_ids(b1), (std::set<std::string>{id(laptop_)}));
  EXPECT_EQ(b1.get("/api/v1/request-types/" + id(secret_)).status, 404);
}

// DESK-5 §3: a rule naming a group of an organisation's people shows its items to the group's
// members only — in the catalog, by id and when requesting — and keeps the group from removal.
TEST_P(CatalogTest, AGroupRuleShowsItsItemsToTheGroupsMembersOnly) {
  auto a1 = create_user("driver@a.test", "user", id(uni_));
  auto group = post_ok("/api/v1/groups", {{"name", "Laptop pool"}, {"organization_id", id(uni_)}, {"member_ids", {id(a1)}}});
  auto foreign = post_ok("/api/v1/groups", {{"name", "Theirs"}, {"organization_id", id(other_)}});
  auto mismatch = admin_.post("/api/v1/entitlements",
                              {{"request_type_id", id(laptop_)}, {"organization_id", id(uni_)}, {"group_id", id(foreign)}});
  ASSERT_EQ(mismatch.status, 422) << mismatch.body;
  EXPECT_EQ(problems(mismatch)["group_id"], "the group belongs to another organisation than organization_id");
  EXPECT_EQ(problems(admin_.post("/api/v1/entitlements", {{"request_type_id", id(laptop_)}, {"group_id", "grp_ghost"}}))["group_id"],
            "no such group");
  auto rule = entitle({{"request_type_id", id(laptop_)}, {"group_id", id(group)}});
  EXPECT_EQ(rule["group_id"], group["id"]);

  auto member = login("driver@a.test");
  auto not_member = login("a2@a.test");
  EXPECT_EQ(catalog_ids(member), (std::set<std::string>{id(laptop_)}));
  EXPECT_TRUE(catalog_ids(not_member).empty());
  EXPECT_EQ(not_member.get("/api/v1/request-types/" + id(laptop_)).status, 404);
  EXPECT_EQ(request(not_member, laptop_, {{"model", "13-inch"}, {"reason", "x"}}).status, 404);
  EXPECT_EQ(request(member, laptop_, {{"model", "13-inch"}, {"reason", "x"}}).status, 201);

  // Joining the group shows it at once; moving to another organisation leaves every group.
  auto etag = admin_.get("/api/v1/groups/" + id(group)).header("etag");
  ASSERT_EQ(admin_.patch("/api/v1/groups/" + id(group), {{"member_ids", {id(a1), id(a2_)}}}, etag).status, 200);
  EXPECT_EQ(catalog_ids(not_member), (std::set<std::string>{id(laptop_)}));
  auto user_etag = admin_.get("/api/v1/users/" + id(a1)).header("etag");
  ASSERT_EQ(admin_.patch("/api/v1/users/" + id(a1), {{"organization_id", id(other_)}}, user_etag).status, 200);
  EXPECT_EQ(admin_.get("/api/v1/groups/" + id(group)).json()["member_ids"], Json::array({id(a2_)}));
  EXPECT_TRUE(catalog_ids(member).empty());

  auto removed = admin_.del("/api/v1/groups/" + id(group));
  EXPECT_EQ(removed.status, 409) << removed.body;
  EXPECT_NE(removed.body.find(id(rule)), std::string::npos) << removed.body;
}

// REL-2: a file field names the requester's own uploads, made before submitting; they become
// attachments of the request's ticket, each upload taken once and kept for a day.
TEST_P(CatalogTest, AFileFieldAttachesTheRequestersOwnUploadsToTheTicket) {
  entitle({{"service_id", id(service_)}, {"organization_id", id(uni_)}});
  auto type = post_ok("/api/v1/request-types",
                      {{"service_id", id(service_)},
                       {"name", "Damage report"},
                       {"form", {{"fields", Json::array({{{"key", "photos"},
                                                          {"type", "file"},
                                                          {"label", {{"en", "Photos"}, {"zh-CN", "照片"}}},
                                                          {"required", true},
                                                          {"max_files", 2}}})}}}});
  auto upload = [](HttpClient& c, const std::string& name, const std::string& bytes) {
    return c.request("POST", "/api/v1/uploads",
                     "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\n\r\n" + bytes +
                         "\r\n--B--\r\n",
                     {{"content-type", "multipart/form-data; boundary=B"}});
  };
  auto submit = [&](HttpClient& c, Json photos) {
    return c.post("/api/v1/requests", {{"request_type_id", id(type)}, {"answers", {{"photos", std::move(photos)}}}});
  };
  auto owner = login("a2@a.test");
  auto other = login("a1@a.test");  // reads Chinese
  EXPECT_EQ(owner.get("/api/v1/request-types/" + id(type)).json()["form"]["fields"][0]["max_files"], 2);
  EXPECT_EQ(upload(owner, "empty.jpg", "").status, 422);
  auto anonymous = server_.client();
  EXPECT_EQ(upload(anonymous, "nobody.jpg", "bytes").status, 401);
  auto scratch = upload(owner, "scratch.jpg", "JPEG scratch bytes");
  ASSERT_EQ(scratch.status, 201) << scratch.body;
  auto dent = upload(owner, "dent.jpg", "JPEG dent bytes").json();
  EXPECT_TRUE(id(scratch.json()).starts_with("upl_"));
  EXPECT_FALSE(scratch.json()["expires_at"].is_null());

  // Another's upload is no one else's answer.
  auto stolen = submit(other, {id(scratch.json())});
  ASSERT_EQ(stolen.status, 422) << stolen.body;
  EXPECT_EQ(problems(stolen)["answers.photos"], "没有您上传的此文件（上传后一天内有效）：" + id(scratch.json()));
  EXPECT_EQ(problems(submit(owner, {id(scratch.json()), id(dent), "upl_third"}))["answers.photos"],
            "must be the id of an upload, or a list of at most 2");

  auto made = submit(owner, {id(scratch.json()), id(dent)});
  ASSERT_EQ(made.status, 201) << made.body;
  auto ticket = made.json();
  EXPECT_NE(ticket["description"].get<std::string>().find("scratch.jpg, dent.jpg"), std::string::npos) << ticket.dump();
  auto answers = owner.get("/api/v1/requests/" + id(ticket)).json()["answers"]["photos"];
  ASSERT_EQ(answers.size(), 2u) << answers.dump();
  auto file = owner.get("/api/v1/attachments/" + answers[0].get<std::string>());
  ASSERT_EQ(file.status, 200) << file.body;
  EXPECT_EQ(file.body, "JPEG scratch bytes");
  EXPECT_EQ(other.get("/api/v1/attachments/" + answers[0].get<std::string>()).status, 404) << "the ticket's rights";
  auto timeline = owner.get("/api/v1/tickets/" + id(ticket) + "/timeline?limit=50").json()["items"];
  EXPECT_EQ(std::count_if(timeline.begin(), timeline.end(), [](const Json& e) { return e["kind"] == "attachment"; }), 2);

  // Taken once; and an upload no request takes within its day is gone, content and all.
  EXPECT_EQ(submit(owner, {id(dent)}).status, 422) << "already attached";
  auto late = upload(owner, "late.jpg", "JPEG late bytes").json();
  server_.clock().advance(std::chrono::hours(25));
  owner = login("a2@a.test");
  EXPECT_EQ(submit(owner, {id(late)}).status, 422);
  auto swept = usecase::sweep_attachment_files(server_.services());
  ASSERT_TRUE(swept) << swept.error().message;
  EXPECT_EQ(swept->removed, 1) << "the late upload's content, no one else's";
  EXPECT_EQ(owner.get("/api/v1/attachments/" + answers[1].get<std::string>()).body, "JPEG dent bytes");
}

// API.md: the catalog and the request types are paged in the catalog's order; a page continues
// after the last item shown even when that item was removed meanwhile.
TEST_P(CatalogTest, TheCatalogIsPagedInItsOrderAndAPageContinuesPastARemovedItem) {
  entitle({{"service_id", id(service_)}});
  std::vector<std::string> services{id(service_)};
  for (auto name : {"Phones", "Printers", "Rooms"}) {
    auto svc = post_ok("/api/v1/services", {{"name", name}});
    entitle({{"service_id", id(svc)}});
    post_ok("/api/v1/request-types", {{"service_id", id(svc)}, {"name", std::string("New ") + name}});
    services.push_back(id(svc));
  }
  auto user = login("a2@a.test");
  auto page = [&](const std::string& query) {
    auto r = user.get("/api/v1/catalog" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  };
  std::vector<std::string> order;  // the catalog's order: position, then id
  auto whole = page("");
  for (const auto& section : whole["items"]) order.push_back(section["service"]["id"]);
  ASSERT_EQ(order.size(), 4u);
  EXPECT_EQ(std::set<std::string>(order.begin(), order.end()), std::set<std::string>(services.begin(), services.end()));
  auto first = page("?limit=2");
  ASSERT_EQ(first["items"].size(), 2u) << first.dump();
  EXPECT_EQ(first["items"][0]["service"]["id"], order[0]);
  EXPECT_EQ(first["items"][1]["service"]["id"], order[1]);
  ASSERT_TRUE(first["next_cursor"].is_string());
  // The last service shown goes; the next page starts where it stood.
  auto rules = admin_.get("/api/v1/entitlements").json();
  for (const auto& rule : rules["items"]) {
    if (rule["service_id"] == order[1]) {
      ASSERT_EQ(admin_.del("/api/v1/entitlements/" + id(rule)).status, 204);
    }
  }
  auto types = admin_.get("/api/v1/request-types?limit=500&service_id=" + order[1]).json();
  for (const auto& type : types["items"]) {
    ASSERT_EQ(admin_.del("/api/v1/request-types/" + id(type)).status, 204);
  }
  ASSERT_EQ(admin_.del("/api/v1/services/" + order[1]).status, 204);
  auto second = page("?limit=2&cursor=" + first["next_cursor"].get<std::string>());
  ASSERT_EQ(second["items"].size(), 2u) << second.dump();
  EXPECT_EQ(second["items"][0]["service"]["id"], order[2]);
  EXPECT_EQ(second["items"][1]["service"]["id"], order[3]);
  EXPECT_TRUE(second["next_cursor"].is_null());
  EXPECT_EQ(page("")["items"].size(), 3u) << "one page by default";
  EXPECT_EQ(user.get("/api/v1/catalog?limit=0").status, 422);
  EXPECT_EQ(user.get("/api/v1/catalog?sort=name").status, 422);
  EXPECT_EQ(user.get("/api/v1/catalog?cursor=bm9uc2Vuc2U").status, 422) << "not a cursor this server gave out";

  // Request types likewise.
  auto listed = user.get("/api/v1/request-types?limit=2").json();
  ASSERT_EQ(listed["items"].size(), 2u);
  auto gone = id(listed["items"][1]);
  auto rest_before = user.get("/api/v1/request-types?limit=10&cursor=" + listed["next_cursor"].get<std::string>()).json()["items"];
  auto etag = admin_.get("/api/v1/request-types/" + gone).header("etag");
  ASSERT_EQ(admin_.patch("/api/v1/request-types/" + gone, {{"active", false}}, etag).status, 200);
  auto rest = user.get("/api/v1/request-types?limit=10&cursor=" + listed["next_cursor"].get<std::string>()).json()["items"];
  EXPECT_EQ(rest, rest_before) << "the page after a retired type is the same";
}

// ONB-11: texts read back in the caller's language, with fallback, and all of them on request.
TEST_P(CatalogTest, TextsAreReadInTheCallersLanguageWithFallback) {
  entitle({{"service_id", id(service_)}, {"organization_id", id(uni_)}});
  auto zh = login("a1@a.test");
  auto en = login("a2@a.test");
  auto in_chinese = zh.get("/api/v1/catalog").json()["items"][0];
  EXPECT_EQ(in_chinese["service"]["name"], "笔记本电脑");
  EXPECT_EQ(in_chinese["service"]["description"], "Devices for staff") << "no Chinese description: English";
  std::map<std::string, std::string> names;
  for (const auto& t : in_chinese["request_types"]) names[t["id"].get<std::string>()] = t["name"].get<std::string>();
  EXPECT_EQ(names[id(laptop_)], "申请新笔记本");
  EXPECT_EQ(names[id(secret_)], "Executive phone") << "no Chinese name: English";
  EXPECT_EQ(en.get("/api/v1/catalog").json()["items"][0]["service"]["name"], "Laptops");
  EXPECT_EQ(en.get("/api/v1/catalog?lang=zh-CN").json()["items"][0]["service"]["name"], "笔记本电脑");
  EXPECT_EQ(en.get("/api/v1/catalog?lang=fr").status, 422);

  auto type = zh.get("/api/v1/request-types/" + id(laptop_)).json();
  EXPECT_EQ(type["form"]["fields"][0]["label"], "型号");
  EXPECT_EQ(type["form"]["fields"][0]["options"][1]["label"], "15 英寸");
  EXPECT_EQ(type["form"]["fields"][0]["options"][0]["label"], "13-inch") << "an option without a label shows its value";
  auto all = admin_.get("/api/v1/services/" + id(service_) + "?lang=all").json();
  EXPECT_EQ(all["name"], Json({{"en", "Laptops"}, {"zh-CN", "笔记本电脑"}}));

  // A translator sends only their language; the others stay.
  auto etag = admin_.get("/api/v1/services/" + id(service_)).header("etag");
  auto patched = admin_.patch("/api/v1/services/" + id(service_) + "?lang=all", {{"description", {{"zh-CN", "员工设备"}}}}, etag);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()["description"], Json({{"en", "Devices for staff"}, {"zh-CN", "员工设备"}}));
  EXPECT_EQ(zh.get("/api/v1/catalog").json()["items"][0]["service"]["description"], "员工设备");
}

// REL-2: every wrong answer is named, in the user's language; nothing is written.
TEST_P(CatalogTest, AnswersAreCheckedFieldByFieldInTheUsersLanguage) {
  entitle({{"service_id", id(service_)}});
  auto zh = login("a1@a.test");
  auto en = login("a2@a.test");
  auto before = audit_count();
  auto chinese = request(zh, laptop_, {{"model", "17-inch"}, {"colour", "red"}});
  ASSERT_EQ(chinese.status, 422) << chinese.body;
  auto p = problems(chinese);
  EXPECT_EQ(p["answers.model"], "必须是以下之一：13-inch, 15-inch");
  EXPECT_EQ(p["answers.reason"], "必填");
  EXPECT_EQ(p["answers.colour"], "不是此表单的字段");
  auto english = request(en, laptop_, {{"model", 13}});
  EXPECT_EQ(problems(english)["answers.model"], "must be one of: 13-inch, 15-inch");
  EXPECT_EQ(problems(english)["answers.reason"], "is required");
  EXPECT_EQ(en.post("/api/v1/requests", {{"request_type_id", id(laptop_)}, {"answers", "model"}}).status, 422);
  EXPECT_EQ(audit_count(), before);
  EXPECT_TRUE(en.get("/api/v1/tickets").json()["items"].empty());
}

// DESK-5: a request becomes a service_request ticket keeping its answers and price of the day.
TEST_P(CatalogTest, ARequestBecomesATicketWithItsAnswersAndPrice) {
  entitle({{"service_id", id(service_)}});
  auto en = login("a2@a.test");
  auto r = request(en, laptop_, {{"model", "15-inch"}, {"reason", "New hire"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto ticket = r.json();
  EXPECT_EQ(ticket["type"], "service_request");
  EXPECT_EQ(ticket["subject"], "New laptop");
  EXPECT_EQ(ticket["service_id"], service_["id"]);
  EXPECT_EQ(ticket["description"], "Model: 15 inch\nReason: New hire\n");
  auto kept = en.get("/api/v1/requests/" + id(ticket));
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(kept.json()["answers"], Json({{"model", "15-inch"}, {"reason", "New hire"}}));
  EXPECT_EQ(kept.json()["price"], "1200.00");
  EXPECT_EQ(kept.json()["request_type_id"], laptop_["id"]);

  // The price is a snapshot: a later change of the catalog does not rewrite it.
  auto etag = admin_.get("/api/v1/request-types/" + id(laptop_)).header("etag");
  ASSERT_EQ(admin_.patch("/api/v1/request-types/" + id(laptop_), {{"price", "1500.00"}}, etag).status, 200);
  EXPECT_EQ(en.get("/api/v1/requests/" + id(ticket)).json()["price"], "1200.00");

  // Another organisation's user cannot read it; a plain ticket has no request.
  auto b1 = login("b1@b.test");
  EXPECT_EQ(b1.get("/api/v1/requests/" + id(ticket)).status, 404);
  auto plain = en.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "x"}}).json();
  EXPECT_EQ(en.get("/api/v1/requests/" + id(plain)).status, 404);
  // A used request type is retired, not removed.
  EXPECT_EQ(admin_.request("DELETE", "/api/v1/request-types/" + id(laptop_)).status, 409);
}

// "One laptop per user per 36 months": the quota counts the user's live requests in the window.
TEST_P(CatalogTest, AQuotaRefusesTheRequestBeyondItUntilTheWindowMoves) {
  auto type = post_ok("/api/v1/request-types", {{"service_id", id(service_)},
                                                {"name", "Laptop refresh"},
                                                {"quota", {{"count", 1}, {"per", "user"}, {"months", 36}}}});
  entitle({{"service_id", id(service_)}});
  auto en = login("a2@a.test");
  auto zh = login("a1@a.test");
  auto first = request(en, type, Json::object());
  ASSERT_EQ(first.status, 201) << first.body;
  auto before = audit_count();
  auto second = request(en, type, Json::object());
  EXPECT_EQ(second.status, 409) << second.body;
  EXPECT_EQ(second.error_code(), "quota_exceeded");
  EXPECT_EQ(audit_count(), before) << "a refused request writes nothing";
  EXPECT_EQ(request(zh, type, Json::object()).status, 201) << "the quota is per user";

  // A cancelled request gives its place back.
  auto cancelled = en.post("/api/v1/tickets/" + id(first.json()) + "/transitions", {{"to", "cancelled"}});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  auto third = request(en, type, Json::object());
  ASSERT_EQ(third.status, 201) << third.body;
  EXPECT_EQ(request(en, type, Json::object()).status, 409);
  server_.clock().advance(std::chrono::days(37 * 31));
  auto later = login("a2@a.test");
  EXPECT_EQ(request(later, type, Json::object()).status, 201) << "36 months later";
}

// Issue §6, DESK-9: staff waive a quota for one request, with a reason and a justification;
// the waiver is an override on the ticket it let through, reported like any other.
TEST_P(CatalogTest, StaffWaiveAQuotaWithAReasonAndTheOverrideIsRecorded) {
  auto type = post_ok("/api/v1/request-types", {{"service_id", id(service_)},
                                                {"name", "Laptop refresh"},
                                                {"quota", {{"count", 1}, {"per", "user"}, {"months", 36}}}});
  entitle({{"service_id", id(service_)}});
  auto user = login("a2@a.test");
  ASSERT_EQ(request(user, type, Json::object()).status, 201);
  auto agent = login("agent@p.test");
  auto a2 = id(user.get("/api/v1/me").json());
  Json waiver = {{"rule", "catalog.quota"}, {"reason_code", "safety"}, {"justification", "Stolen on a field trip; police report filed."}};
  auto body = [&](Json override) {
    return Json{{"request_type_id", id(type)}, {"answers", Json::object()}, {"on_behalf_of", a2}, {"override", std::move(override)}};
  };
  auto before = audit_count();
  EXPECT_EQ(user.post("/api/v1/requests", body(waiver)).status, 403) << "users do not waive rules";
  auto no_reason = agent.post("/api/v1/requests", body({{"rule", "catalog.quota"}, {"reason_code", "whim"}, {"justification", "x"}}));
  ASSERT_EQ(no_reason.status, 422) << no_reason.body;
  EXPECT_TRUE(problems(no_reason).contains("override.reason_code"));
  EXPECT_TRUE(problems(no_reason).contains("override.justification"));
  EXPECT_EQ(agent.post("/api/v1/requests", body({{"rule", "sla.resolution"}, {"reason_code", "safety"},
                                                 {"justification", "Stolen on a field trip."}})).status, 422);
  EXPECT_EQ(agent.post("/api/v1/requests", {{"request_type_id", id(type)}, {"answers", Json::object()}, {"on_behalf_of", a2}}).status,
            409) << "without a waiver the quota holds for staff too";
  EXPECT_EQ(audit_count(), before);

  auto waived = agent.post("/api/v1/requests", body(waiver));
  ASSERT_EQ(waived.status, 201) << waived.body;
  auto report = admin_.get("/api/v1/overrides?rule=catalog.quota").json();
  ASSERT_EQ(report["items"].size(), 1u) << report.dump();
  EXPECT_EQ(report["items"][0]["target_id"], waived.json()["id"]);
  EXPECT_EQ(report["items"][0]["reason_code"], "safety");
  auto timeline = agent.get("/api/v1/tickets/" + id(waived.json()) + "/timeline").json()["items"];
  EXPECT_TRUE(std::any_of(timeline.begin(), timeline.end(), [](const Json& e) { return e["kind"] == "override"; })) << timeline.dump();
  auto seen_by_user = user.get("/api/v1/tickets/" + id(waived.json()) + "/timeline").body;
  EXPECT_EQ(seen_by_user.find("police report"), std::string::npos) << "the justification is internal";
  // A waiver where nothing stands in the way is refused rather than recorded.
  create_user("a3@a.test", "user", id(uni_));
  auto a3 = id(login("a3@a.test").get("/api/v1/me").json());
  auto needless = agent.post("/api/v1/requests", {{"request_type_id", id(type)}, {"answers", Json::object()}, {"on_behalf_of", a3},
                                                  {"override", waiver}});
  EXPECT_EQ(needless.status, 422) << needless.body;
}

// DESK-5: ordered approval steps, any-of and all-of, before fulfilment; every decision on the
// requester's timeline.
TEST_P(CatalogTest, ApprovalsRunInOrderAndTheLastSendsTheRequestToFulfilment) {
  create_user("rm1@p.test", "relationship_manager");
  create_user("rm2@p.test", "relationship_manager");
  auto type = post_ok("/api/v1/request-types",
                      {{"service_id", id(service_)},
                       {"name", "Laptop with approval"},
                       {"approval", {{"steps", Json::array({{{"approver", "customer"}, {"mode", "any"}},
                                                            {{"approver", "role"}, {"role", "relationship_manager"}, {"mode", "all"}}})}}}});
  EXPECT_EQ(type["approval"]["steps"].size(), 2u);
  entitle({{"service_id", id(service_)}});
  auto user = login("a2@a.test");
  auto created = request(user, type, Json::object());
  ASSERT_EQ(created.status, 201) << created.body;
  auto ticket = created.json();
  EXPECT_EQ(ticket["status"], "awaiting_approval");
  auto path = "/api/v1/requests/" + id(ticket);
  auto approval = user.get(path).json()["approval"];
  ASSERT_EQ(approval.size(), 2u);
  EXPECT_EQ(approval[0]["state"], "pending");
  EXPECT_EQ(approval[1]["approvers"].size(), 2u);

  auto cust = login("cust@a.test");
  auto rm1 = login("rm1@p.test");
  auto rm2 = login("rm2@p.test");
  auto b1 = login("b1@b.test");
  auto decide = [&](HttpClient& c, const char* decision, const char* comment = "") {
    return c.post(path + "/approvals", {{"decision", decision}, {"comment", comment}});
  };
  EXPECT_EQ(decide(rm1, "approve").status, 409) << "the second step's turn has not come";
  EXPECT_EQ(decide(b1, "approve").status, 404);
  EXPECT_TRUE(rm1.get("/api/v1/approvals").json()["items"].empty());
  ASSERT_EQ(cust.get("/api/v1/approvals").json()["items"].size(), 1u);
  EXPECT_EQ(decide(cust, "maybe").status, 422);
  auto first = decide(cust, "approve", "Budget is there");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json()["approval"][0]["state"], "approved");
  EXPECT_EQ(user.get("/api/v1/tickets/" + id(ticket)).json()["status"], "awaiting_approval");
  auto waiting = rm1.get("/api/v1/approvals").json()["items"];
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0]["ticket_id"], ticket["id"]);
  EXPECT_EQ(waiting[0]["step"], 2);
  ASSERT_EQ(decide(rm1, "approve").status, 200);
  EXPECT_EQ(decide(rm1, "approve").status, 409) << "decided already";
  EXPECT_EQ(user.get("/api/v1/tickets/" + id(ticket)).json()["status"], "awaiting_approval") << "all of them must approve";
  ASSERT_EQ(decide(rm2, "approve").status, 200);
  EXPECT_EQ(user.get("/api/v1/tickets/" + id(ticket)).json()["status"], "fulfilment");
  auto timeline = user.get("/api/v1/tickets/" + id(ticket) + "/timeline?limit=100").json()["items"];
  auto decisions = std::count_if(timeline.begin(), timeline.end(), [](const Json& e) { return e["kind"] == "approval_decided"; });
  EXPECT_EQ(decisions, 3) << "the requester sees every decision";
  EXPECT_GT(user.get("/api/v1/notifications/unread-count").json().value("unread", 0), 0);
}

// OFF-1: an approver who leaves hands the approvals waiting on them to their successor, who then
// decides; nobody's approval is skipped.
TEST_P(CatalogTest, AnApproverWhoLeavesHandsTheirApprovalsToTheirSuccessor) {
  create_user("rm1@p.test", "relationship_manager");
  create_user("rm2@p.test", "relationship_manager");
  auto type = post_ok("/api/v1/request-types",
                      {{"service_id", id(service_)},
                       {"name", "Laptop with approval"},
                       {"approval", {{"steps", Json::array({{{"approver", "role"}, {"role", "relationship_manager"}, {"mode", "all"}}})}}}});
  entitle({{"service_id", id(service_)}});
  auto requester = login("a2@a.test");
  auto ticket = request(requester, type, Json::object()).json();
  auto leaving = login("rm1@p.test").get("/api/v1/me").json();
  auto successor = create_user("rm3@p.test", "relationship_manager");
  auto record = admin_.post("/api/v1/users/" + id(leaving) + "/offboarding", {{"reason", "moved on"}});
  ASSERT_EQ(record.status, 201) << record.body;
  auto done = admin_.post("/api/v1/offboardings/" + id(record.json()) + "/steps/open_work/transitions",
                          {{"to", "done"}, {"handover_to", id(successor)}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json()["facts"]["handed_over"]["approvals"], Json::array({id(ticket)}));
  auto rm3 = login("rm3@p.test");
  auto waiting = rm3.get("/api/v1/approvals").json()["items"];
  ASSERT_EQ(waiting.size(), 1u) << "the successor has it now";
  auto path = "/api/v1/requests/" + id(ticket) + "/approvals";
  ASSERT_EQ(rm3.post(path, {{"decision", "approve"}}).status, 200);
  EXPECT_EQ(admin_.get("/api/v1/tickets/" + id(ticket)).json()["status"], "awaiting_approval") << "rm2 must approve still";
  ASSERT_EQ(login("rm2@p.test").post(path, {{"decision", "approve"}}).status, 200);
  EXPECT_EQ(admin_.get("/api/v1/tickets/" + id(ticket)).json()["status"], "fulfilment");
}

TEST_P(CatalogTest, ARejectionWithItsReasonEndsTheRequest) {
  auto type = post_ok("/api/v1/request-types", {{"service_id", id(service_)}, {"name", "Phone"},
                                                {"approval", {{"steps", Json::array({{{"approver", "customer"}}})}}}});
  entitle({{"service_id", id(service_)}});
  create_user("cust2@a.test", "customer", id(uni_));
  auto user = login("a2@a.test");
  auto ticket = request(user, type, Json::object()).json();
  auto path = "/api/v1/requests/" + id(ticket) + "/approvals";
  auto cust = login("cust@a.test");
  EXPECT_EQ(cust.post(path, {{"decision", "reject"}}).status, 422) << "a rejection says why";
  ASSERT_EQ(cust.post(path, {{"decision", "reject"}, {"comment", "Not in this year's budget"}}).status, 200);
  auto after = user.get("/api/v1/tickets/" + id(ticket)).json();
  EXPECT_EQ(after["status"], "rejected");
  EXPECT_EQ(login("cust2@a.test").post(path, {{"decision", "approve"}}).status, 409) << "the first decision decided (any)";

  // Staff may end a request waiting for approval themselves; it leaves the approvers' lists.
  auto second = request(user, type, Json::object()).json();
  ASSERT_EQ(cust.get("/api/v1/approvals").json()["items"].size(), 1u);
  auto agent = login("agent@p.test");
  auto ended = agent.post("/api/v1/tickets/" + id(second) + "/transitions", {{"to", "rejected"}, {"resolution", "Duplicate request"}});
  ASSERT_EQ(ended.status, 200) << ended.body;
  EXPECT_TRUE(cust.get("/api/v1/approvals").json()["items"].empty());
  EXPECT_EQ(cust.post("/api/v1/requests/" + id(second) + "/approvals", {{"decision", "approve"}}).status, 409);

  // A user of another organisation named as approver never sees this organisation's requests.
  auto b1_id = id(login("b1@b.test").get("/api/v1/me").json());
  auto foreign = post_ok("/api/v1/request-types", {{"service_id", id(service_)}, {"name", "Foreign approver"},
                                                   {"approval", {{"steps", Json::array({{{"approver", "user"}, {"user_id", b1_id}}})}}}});
  auto crossed = request(user, foreign, Json::object());
  EXPECT_EQ(crossed.status, 409) << crossed.body;
  EXPECT_EQ(crossed.error_code(), "no_approvers");
  EXPECT_TRUE(login("b1@b.test").get("/api/v1/approvals").json()["items"].empty());

  // A step no one can decide is refused when the request arrives, not left waiting forever.
  auto nobody = post_ok("/api/v1/request-types", {{"service_id", id(service_)}, {"name", "Partner kit"},
                                                  {"approval", {{"steps", Json::array({{{"approver", "role"}, {"role", "partner_user"}}})}}}});
  auto refused = request(user, nobody, Json::object());
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.error_code(), "no_approvers");
  auto unknown_user = admin_.post("/api/v1/request-types", {{"service_id", id(service_)}, {"name", "X"},
                                                            {"approval", {{"steps", Json::array({{{"approver", "user"}, {"user_id", "usr_nothing"}}})}}}});
  ASSERT_EQ(unknown_user.status, 422) << unknown_user.body;
  EXPECT_TRUE(problems(unknown_user).contains("approval.steps[0].user_id"));
  auto unknown_kind = admin_.post("/api/v1/request-types", {{"service_id", id(service_)}, {"name", "X"},
                                                            {"approval", {{"steps", Json::array({{{"approver", "boss"}, {"mode", "most"}}})}}}});
  ASSERT_EQ(unknown_kind.status, 422) << unknown_kind.body;
  EXPECT_TRUE(problems(unknown_kind).contains("approval.steps[0].approver"));
}

TEST_P(CatalogTest, DefinitionsAreCheckedAndNameEveryProblem) {
  auto before = audit_count();
  auto bad = admin_.post("/api/v1/request-types",
                         {{"service_id", "svc_nothing"},
                          {"name", {{"fr", "Portable"}}},
                          {"price", 12.5},
                          {"quota", {{"count", 0}, {"per", "team"}}},
                          {"channels", {"fax"}},
                          {"form", {{"fields", Json::array({{{"key", "Bad Key"}, {"type", "picture"}, {"label", "Picture"}}})}}},
                          {"colour", "red"}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  auto p = problems(bad);
  for (auto field : {"service_id", "name.fr", "price", "quota.count", "quota.per", "quota.months", "channels", "form.fields[0].key",
                     "form.fields[0].type", "colour"})
    EXPECT_TRUE(p.contains(field)) << field << " in " << bad.body;
  auto rule = admin_.post("/api/v1/entitlements", {{"service_id", id(service_)}, {"request_type_id", id(laptop_)},
                                                   {"role", "agent"}, {"tier_id", "tier_x"}, {"organization_id", "org_nothing"}});
  ASSERT_EQ(rule.status, 422) << rule.body;
  auto q = problems(rule);
  for (auto field : {"service_id", "role", "tier_id", "organization_id"}) EXPECT_TRUE(q.contains(field)) << field << " in " << rule.body;
  EXPECT_EQ(admin_.post("/api/v1/services", {{"name", "   "}}).status, 422);
  EXPECT_EQ(audit_count(), before);
  // A service in use is not removed from under its request types.
  EXPECT_EQ(admin_.request("DELETE", "/api/v1/services/" + id(service_)).status, 409);
}

// Only administrators change the catalog; every signed-in caller reads what they are entitled to.
TEST_P(CatalogTest, OnlyAdministratorsChangeTheCatalog) {
  auto rule = entitle({{"service_id", id(service_)}, {"organization_id", id(uni_)}});
  auto user = login("a2@a.test");
  auto customer = login("cust@a.test");
  auto agent = login("agent@p.test");
  auto anonymous = server_.client();
  auto service_path = "/api/v1/services/" + id(service_);
  auto etag = admin_.get(service_path).header("etag");
  expect_answers({
      {"create service", [](HttpClient& c) { return c.post("/api/v1/services", {{"name", "X"}}); },
       {{&user, 403}, {&customer, 403}, {&agent, 403}, {&anonymous, 401}}},
      {"change service", [&](HttpClient& c) { return c.patch(service_path, {{"name", "X"}}, etag); },
       {{&user, 403}, {&customer, 403}, {&agent, 403}}},
      {"remove service", [&](HttpClient& c) { return c.request("DELETE", service_path); }, {{&user, 403}, {&agent, 403}}},
      {"create request type",
       [&](HttpClient& c) { return c.post("/api/v1/request-types", {{"service_id", id(service_)}, {"name", "X"}}); },
       {{&user, 403}, {&customer, 403}, {&agent, 403}}},
      {"remove request type", [&](HttpClient& c) { return c.request("DELETE", "/api/v1/request-types/" + id(secret_)); },
       {{&customer, 403}, {&agent, 403}}},
      {"read rules", [](HttpClient& c) { return c.get("/api/v1/entitlements"); }, {{&user, 403}, {&customer, 403}, {&agent, 403}}},
      {"read a rule", [&](HttpClient& c) { return c.get("/api/v1/entitlements/" + id(rule)); }, {{&customer, 403}, {&agent, 403}}},
      {"add a rule", [&](HttpClient& c) { return c.post("/api/v1/entitlements", {{"service_id", id(service_)}}); },
       {{&customer, 403}, {&agent, 403}}},
      {"remove a rule", [&](HttpClient& c) { return c.request("DELETE", "/api/v1/entitlements/" + id(rule)); },
       {{&customer, 403}, {&agent, 403}}},
      {"catalog", [](HttpClient& c) { return c.get("/api/v1/catalog"); }, {{&anonymous, 401}, {&user, 200}, {&agent, 200}}},
  });
  // Each change is audited.
  auto removed = admin_.request("DELETE", "/api/v1/entitlements/" + id(rule));
  EXPECT_EQ(removed.status, 204);
  auto audit = admin_.get("/api/v1/audit?limit=1").json()["items"][0];
  EXPECT_EQ(audit["action"], "entitlement.delete");
  EXPECT_TRUE(catalog_ids(user).empty());
}

// DESK-5, DESK-3: a request type's agreed timeframe is the SLA policy that names it: its requests
// get the policy's targets, other requests and tickets do not, and a named type is not removed.
TEST_P(CatalogTest, AnSlaPolicyAppliesToTheRequestTypesItNames) {
  entitle({{"service_id", id(service_)}, {"organization_id", id(uni_)}});
  auto calendar = post_ok("/api/v1/calendars", {{"name", "Always"}, {"time_zone", "UTC"}, {"always_open", true}});
  auto unknown = admin_.post("/api/v1/sla-policies", {{"name", "Ghost"}, {"calendar_id", id(calendar)},
                                                      {"conditions", {{"request_type", {"rqt_nothing"}}}},
                                                      {"targets", {{"resolution", 60}}}});
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  post_ok("/api/v1/sla-policies", {{"name", "Executive phone: 3 days"}, {"order", 1}, {"calendar_id", id(calendar)},
                                   {"conditions", {{"request_type", {id(secret_)}}}}, {"targets", {{"resolution", 3 * 24 * 60}}}});
  auto user = login("a2@a.test");
  auto phone = request(user, secret_, Json::object());
  ASSERT_EQ(phone.status, 201) << phone.body;
  EXPECT_EQ(phone.json()["sla"]["policy"]["name"], "Executive phone: 3 days");
  auto laptop = request(user, laptop_, {{"model", "13-inch"}, {"reason", "old one broke"}});
  ASSERT_EQ(laptop.status, 201) << laptop.body;
  EXPECT_TRUE(laptop.json()["sla"].is_null()) << laptop.body;
  // A later change matches again and keeps the policy: the request type is read from the store.
  auto agent = login("agent@p.test");
  auto etag = agent.get("/api/v1/tickets/" + id(phone.json())).header("etag");
  auto changed = agent.patch("/api/v1/tickets/" + id(phone.json()), {{"urgency", "high"}}, etag);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json()["sla"]["policy"]["name"], "Executive phone: 3 days");
  auto unused = post_ok("/api/v1/request-types", {{"service_id", id(service_)}, {"name", "Desk phone"}});
  post_ok("/api/v1/sla-policies", {{"name", "Desk phone: a day"}, {"order", 2}, {"calendar_id", id(calendar)},
                                   {"conditions", {{"request_type", {id(unused)}}}}, {"targets", {{"resolution", 24 * 60}}}});
  auto removed = admin_.request("DELETE", "/api/v1/request-types/" + id(unused));
  EXPECT_EQ(removed.status, 409);
  EXPECT_NE(removed.body.find("Desk phone: a day"), std::string::npos) << removed.body;
}

// DESK-5, DESK-3: each catalog item says what a request raised now may expect — the targets of
// the SLA policy that would apply to it for the reader, and when they fall due in its calendar.
TEST_P(CatalogTest, EachItemShowsTheTimeframeARequestRaisedNowMayExpect) {
  entitle({{"service_id", id(service_)}});
  Json week = Json::object();
  for (auto day : {"mon", "tue", "wed", "thu", "fri"}) week[day] = Json::array({Json::array({"09:00", "17:00"})});
  auto office = post_ok("/api/v1/calendars", {{"name", "Office"}, {"time_zone", "UTC"}, {"always_open", false}, {"hours", week}});
  auto always = post_ok("/api/v1/calendars", {{"name", "Always"}, {"time_zone", "UTC"}, {"always_open", true}});
  post_ok("/api/v1/sla-policies", {{"name", "Phones: 3 days"}, {"order", 1}, {"calendar_id", id(always)},
                                   {"conditions", {{"request_type", {id(secret_)}}}}, {"targets", {{"resolution", 3 * 24 * 60}}}});
  post_ok("/api/v1/sla-policies", {{"name", "Uni's laptops: two working days"}, {"order", 2}, {"calendar_id", id(office)},
                                   {"conditions", {{"service_id", {id(service_)}}, {"organization_id", {id(uni_)}}}},
                                   {"targets", {{"first_response", 120}, {"resolution", 16 * 60}}}});
  auto timeframes = [&](HttpClient& c) {
    std::map<std::string, Json> out;
    auto body = c.get("/api/v1/catalog").json();
    for (const auto& section : body["items"])
      for (const auto& t : section["request_types"]) out[t["id"].get<std::string>()] = t["timeframe"];
    return out;
  };
  auto now = to_rfc3339(server_.clock().now());
  auto due = [&](const Json& calendar, int minutes) {
    return admin_.get("/api/v1/calendars/" + id(calendar) + "/add?start=" + url_quoted(now) + "&minutes=" + std::to_string(minutes))
        .json()["result"];
  };
  auto user = login("a2@a.test");
  auto seen = timeframes(user);
  ASSERT_TRUE(seen[id(laptop_)].is_object()) << seen[id(laptop_)].dump();
  EXPECT_EQ(seen[id(laptop_)]["calendar_id"], office["id"]);
  EXPECT_EQ(seen[id(laptop_)]["first_response_minutes"], 120);
  EXPECT_EQ(seen[id(laptop_)]["resolution_minutes"], 960);
  EXPECT_EQ(seen[id(laptop_)]["first_response_by"], due(office, 120));
  EXPECT_EQ(seen[id(laptop_)]["resolution_by"], due(office, 960)) << "counted in working hours";
  EXPECT_EQ(seen[id(secret_)]["resolution_minutes"], 3 * 24 * 60) << "the policy naming the type comes first";
  EXPECT_TRUE(seen[id(secret_)]["first_response_minutes"].is_null());
  EXPECT_EQ(seen[id(secret_)]["resolution_by"], due(always, 3 * 24 * 60));
  // Another organisation's requests fall under no policy: nothing is promised to them.
  auto other = login("b1@b.test");
  EXPECT_TRUE(timeframes(other)[id(laptop_)].is_null());

  // What the catalog said is what the request is given.
  auto laptop = request(user, laptop_, {{"model", "13-inch"}, {"reason", "old one broke"}});
  ASSERT_EQ(laptop.status, 201) << laptop.body;
  auto sla = laptop.json()["sla"];
  EXPECT_EQ(sla["policy"]["name"], "Uni's laptops: two working days") << sla.dump();
  EXPECT_NE(sla.dump().find(seen[id(laptop_)]["resolution_by"].get<std::string>()), std::string::npos) << sla.dump();
}

INSTANTIATE_TEST_SUITE_P(Stores, CatalogTest, ::testing::ValuesIn(store_kinds()));

// ONB-6: an offering's tiers with decimal prices, and who holds which when.
class OfferingTest : public CatalogTest {
 protected:
  void SetUp() override {
    CatalogTest::SetUp();
    offering_ = post_ok("/api/v1/offerings", {{"name", {{"en", "Membership"}, {"zh-CN", "会员"}}}, {"service_id", id(service_)}});
    regular_ = post_ok("/api/v1/offering-tiers", {{"offering_id", id(offering_)},
                                                  {"name", {{"en", "Regular"}, {"zh-CN", "常规"}}},
                                                  {"monthly_fee", "30"},
                                                  {"usage_prices", {{"booking", "2.00"}}}});
    occasional_ = post_ok("/api/v1/offering-tiers", {{"offering_id", id(offering_)},
                                                     {"name", {{"en", "Occasional"}, {"zh-CN", "偶尔"}}},
                                                     {"usage_prices", {{"booking", "5.50"}}}});
  }
  Json subscribe(const Json& tier, const Json& org) {
    return post_ok("/api/v1/subscriptions", {{"tier_id", id(tier)}, {"organization_id", id(org)}});
  }
  Json offering_, regular_, occasional_;
};

TEST_P(OfferingTest, TiersCarryDecimalPricesAndSubscriptionsNeverOverlap) {
  EXPECT_EQ(regular_["monthly_fee"], "30.00");
  EXPECT_EQ(occasional_["monthly_fee"], "0.00");
  EXPECT_EQ(occasional_["usage_prices"], Json({{"booking", "5.50"}}));
  auto zh = login("a1@a.test");
  // An offering is shown with its service: not before an entitlement rule shows the service.
  EXPECT_EQ(zh.get("/api/v1/offering-tiers/" + id(regular_)).status, 404);
  EXPECT_TRUE(zh.get("/api/v1/offerings").json()["items"].empty());
  entitle({{"service_id", id(service_)}, {"organization_id", id(uni_)}});
  EXPECT_EQ(zh.get("/api/v1/offering-tiers/" + id(regular_)).json()["name"], "常规");
  EXPECT_EQ(zh.get("/api/v1/offerings").json()["items"].size(), 1u);
  auto outsider = login("b1@b.test");
  EXPECT_EQ(outsider.get("/api/v1/offerings/" + id(offering_)).status, 404) << "another organisation's offering";
  EXPECT_TRUE(outsider.get("/api/v1/offering-tiers").json()["items"].empty());
  auto bad = admin_.post("/api/v1/offering-tiers", {{"offering_id", "off_nothing"}, {"name", "X"}, {"monthly_fee", "1.234"},
                                                    {"usage_prices", {{"booking", 2}}}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  auto p = problems(bad);
  for (auto field : {"offering_id", "monthly_fee", "usage_prices.booking"}) EXPECT_TRUE(p.contains(field)) << field << " in " << bad.body;

  auto held = subscribe(occasional_, uni_);
  EXPECT_EQ(held["offering_id"], offering_["id"]);
  EXPECT_TRUE(held["ends_at"].is_null());
  auto twice = admin_.post("/api/v1/subscriptions", {{"tier_id", id(regular_)}, {"organization_id", id(uni_)}});
  EXPECT_EQ(twice.status, 409) << "one tier of an offering at a time: " << twice.body;
  EXPECT_EQ(admin_.request("DELETE", "/api/v1/offering-tiers/" + id(occasional_)).status, 409) << "a held tier is kept";
  EXPECT_EQ(admin_.request("DELETE", "/api/v1/offerings/" + id(offering_)).status, 409) << "an offering with tiers is kept";

  // Tenancy: the organisation's people see its subscriptions; others see none of them.
  EXPECT_EQ(zh.get("/api/v1/subscriptions").json()["items"].size(), 1u);
  auto b1 = login("b1@b.test");
  EXPECT_TRUE(b1.get("/api/v1/subscriptions").json()["items"].empty());
  EXPECT_EQ(b1.get("/api/v1/subscriptions/" + id(held)).status, 404);
  EXPECT_EQ(zh.post("/api/v1/subscriptions", {{"tier_id", id(regular_)}, {"organization_id", id(uni_)}}).status, 403);
  EXPECT_EQ(login("cust@a.test").patch("/api/v1/subscriptions/" + id(held), {{"ends_at", "2030-01-01T00:00:00Z"}}, "\"v1\"").status,
            403);

  // Ending the first lets the next begin where it ends.
  auto now = to_rfc3339(server_.clock().now() + std::chrono::hours(1));
  auto ended = admin_.patch("/api/v1/subscriptions/" + id(held), {{"ends_at", now}}, held["etag"].get<std::string>());
  ASSERT_EQ(ended.status, 200) << ended.body;
  auto next = admin_.post("/api/v1/subscriptions", {{"tier_id", id(regular_)}, {"organization_id", id(uni_)}, {"starts_at", now}});
  EXPECT_EQ(next.status, 201) << next.body;
}

// DESK-5 × ONB-6: a rule needing a tier shows the item, says what is missing in the reader's
// language, and lets it be requested once the tier is held.
TEST_P(OfferingTest, ARuleNeedingATierNamesItUntilItIsHeld) {
  entitle({{"request_type_id", id(laptop_)}, {"organization_id", id(uni_)}, {"tier_id", id(regular_)}});
  auto held = subscribe(occasional_, uni_);
  auto zh = login("a1@a.test");
  auto entry = zh.get("/api/v1/catalog").json()["items"][0]["request_types"][0];
  EXPECT_EQ(entry["id"], laptop_["id"]);
  EXPECT_FALSE(entry["eligible"].get<bool>());
  ASSERT_EQ(entry["missing"].size(), 1u);
  EXPECT_EQ(entry["missing"][0]["kind"], "tier");
  EXPECT_EQ(entry["missing"][0]["id"], regular_["id"]);
  EXPECT_EQ(entry["missing"][0]["message"], "需要“常规”等级的订阅");
  auto refused = request(zh, laptop_, {{"model", "13-inch"}, {"reason", "旧电脑坏了"}});
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.error_code(), "not_eligible");
  auto b1 = login("b1@b.test");
  EXPECT_TRUE(catalog_ids(b1).empty()) << "another organisation still sees nothing";

  auto etag = held["etag"].get<std::string>();
  server_.clock().advance(std::chrono::minutes(1));
  ASSERT_EQ(admin_.patch("/api/v1/subscriptions/" + id(held), {{"ends_at", to_rfc3339(server_.clock().now())}}, etag).status, 200);
  subscribe(regular_, uni_);
  EXPECT_TRUE(zh.get("/api/v1/catalog").json()["items"][0]["request_types"][0]["eligible"].get<bool>());
  EXPECT_EQ(request(zh, laptop_, {{"model", "13-inch"}, {"reason", "旧电脑坏了"}}).status, 201);
}

// DESK-3 × ONB-6: an SLA policy may apply to the holders of an offering tier.
TEST_P(OfferingTest, AnSlaPolicyAppliesToTheHoldersOfATier) {
  auto calendar = post_ok("/api/v1/calendars", {{"name", "Always"}, {"time_zone", "UTC"}, {"always_open", true}});
  auto unknown = admin_.post("/api/v1/sla-policies", {{"name", "Ghost"}, {"calendar_id", id(calendar)},
                                                      {"conditions", {{"offering_tier", {"tier_nothing"}}}},
                                                      {"targets", {{"resolution", 60}}}});
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  post_ok("/api/v1/sla-policies", {{"name", "Regular members"}, {"order", 1}, {"calendar_id", id(calendar)},
                                   {"conditions", {{"offering_tier", {id(regular_)}}}}, {"targets", {{"resolution", 60}}}});
  subscribe(regular_, uni_);
  auto member = login("a2@a.test").post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Car will not unlock"}});
  ASSERT_EQ(member.status, 201) << member.body;
  EXPECT_EQ(member.json()["sla"]["policy"]["name"], "Regular members");
  auto other = login("b1@b.test").post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Car will not unlock"}});
  EXPECT_TRUE(other.json()["sla"].is_null()) << other.body;
  EXPECT_EQ(admin_.request("DELETE", "/api/v1/offering-tiers/" + id(regular_)).status, 409);
}

// ONB-6: members change tier themselves; the offering says whether now or from next month.
TEST_P(OfferingTest, AHolderChangesTierThemselvesNowOrFromNextMonth) {
  create_user("a3@a.test", "user", id(uni_));
  auto own = post_ok("/api/v1/subscriptions", {{"tier_id", id(occasional_)}, {"user_id", id(login("a3@a.test").get("/api/v1/me").json())}});
  auto member = login("a3@a.test");
  auto other = login("a2@a.test");
  auto path = "/api/v1/subscriptions/" + id(own) + "/tier-change";
  EXPECT_EQ(other.post(path, {{"tier_id", id(regular_)}}).status, 404) << "another user's subscription is not seen";
  EXPECT_EQ(member.post(path, {{"tier_id", id(occasional_)}}).status, 422) << "the tier already held";
  EXPECT_EQ(member.post(path, {{"tier_id", "tier_nothing"}}).status, 422);

  // Next period (the default): the change takes effect on the first day of next month, UTC.
  auto changed = member.post(path, {{"tier_id", id(regular_)}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  auto now = server_.clock().now();
  date::year_month_day today(date::floor<date::days>(now));
  auto first = date::sys_days((today.year() / today.month() / 1) + date::months(1));
  auto effective = to_rfc3339(Time(std::chrono::duration_cast<Time::duration>(first.time_since_epoch())));
  EXPECT_EQ(changed.json()["effective_at"], effective);
  EXPECT_EQ(changed.json()["previous"]["ends_at"], effective);
  EXPECT_EQ(changed.json()["next"]["tier_id"], regular_["id"]);
  EXPECT_EQ(member.get("/api/v1/subscriptions").json()["items"].size(), 2u);
  EXPECT_EQ(member.post(path, {{"tier_id", id(regular_)}}).status, 422) << "already chosen from then";
  // Changing one's mind before then: back to the tier held now calls the change off.
  auto back = member.post(path, {{"tier_id", id(occasional_)}});
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_TRUE(back.json()["next"]["ends_at"].is_null());
  auto mine = member.get("/api/v1/subscriptions").json()["items"];
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0]["tier_id"], occasional_["id"]);

  // "now": at once.
  auto etag = admin_.get("/api/v1/offerings/" + id(offering_)).header("etag");
  ASSERT_EQ(admin_.patch("/api/v1/offerings/" + id(offering_), {{"tier_change", "now"}}, etag).status, 200);
  auto org_sub = subscribe(regular_, other_);
  create_user("cust@b.test", "customer", id(other_));
  auto cust = login("cust@b.test");
  auto at_once = cust.post("/api/v1/subscriptions/" + id(org_sub) + "/tier-change", {{"tier_id", id(occasional_)}});
  ASSERT_EQ(at_once.status, 200) << at_once.body;
  EXPECT_EQ(at_once.json()["effective_at"], to_rfc3339(server_.clock().now()));
  auto b_user = login("b1@b.test");
  EXPECT_EQ(b_user.post("/api/v1/subscriptions/" + id(org_sub) + "/tier-change", {{"tier_id", id(regular_)}}).status, 403)
      << "a user does not change their organisation's tier";
}

// The eligibility gate is a guarded rule too: staff may let a member without the tier through.
TEST_P(OfferingTest, StaffWaiveAMissingTierForOneRequest) {
  entitle({{"request_type_id", id(laptop_)}, {"organization_id", id(uni_)}, {"tier_id", id(regular_)}});
  auto a2 = id(login("a2@a.test").get("/api/v1/me").json());
  auto agent = login("agent@p.test");
  Json body = {{"request_type_id", id(laptop_)}, {"answers", {{"model", "13-inch"}, {"reason", "broken"}}}, {"on_behalf_of", a2}};
  auto refused = agent.post("/api/v1/requests", body);
  EXPECT_EQ(refused.status, 403) << refused.body;
  body["override"] = {{"rule", "catalog.eligibility"}, {"reason_code", "customer_request"},
                      {"justification", "Membership renewal is in the post; the dean vouches."}};
  auto waived = agent.post("/api/v1/requests", body);
  ASSERT_EQ(waived.status, 201) << waived.body;
  auto report = admin_.get("/api/v1/overrides?rule=catalog.eligibility").json()["items"];
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0]["details"]["missing"][0]["id"], regular_["id"]);
  // Not seeing an item at all is no gate to waive: another organisation's user stays refused.
  auto b1 = id(login("b1@b.test").get("/api/v1/me").json());
  body["on_behalf_of"] = b1;
  auto unseen = agent.post("/api/v1/requests", body);
  EXPECT_EQ(unseen.status, 403);
  EXPECT_EQ(unseen.error_code(), "not_entitled") << "no waiver for what the user may not see";
}

// Administrators change offerings and tiers; administrators and relationship managers
// subscriptions; everyone else is refused and nothing is written.
TEST_P(OfferingTest, OnlyTheirManagersChangeOfferingsTiersAndSubscriptions) {
  auto held = subscribe(occasional_, uni_);
  auto user = login("a2@a.test");
  auto customer = login("cust@a.test");
  auto agent = login("agent@p.test");
  auto outsider = login("b1@b.test");
  auto anonymous = server_.client();
  auto offering = "/api/v1/offerings/" + id(offering_);
  auto tier = "/api/v1/offering-tiers/" + id(regular_);
  auto sub = "/api/v1/subscriptions/" + id(held);
  auto v1 = std::string("\"v1\"");
  expect_answers({
      {"create offering", [](HttpClient& c) { return c.post("/api/v1/offerings", {{"name", "X"}}); },
       {{&user, 403}, {&customer, 403}, {&agent, 403}, {&anonymous, 401}}},
      {"change offering", [&](HttpClient& c) { return c.patch(offering, {{"name", "X"}}, v1); }, {{&customer, 403}, {&agent, 403}}},
      {"remove offering", [&](HttpClient& c) { return c.request("DELETE", offering); }, {{&customer, 403}, {&agent, 403}}},
      {"create tier", [&](HttpClient& c) { return c.post("/api/v1/offering-tiers", {{"offering_id", id(offering_)}, {"name", "X"}}); },
       {{&user, 403}, {&customer, 403}, {&agent, 403}}},
      {"change tier", [&](HttpClient& c) { return c.patch(tier, {{"monthly_fee", "1.00"}}, v1); }, {{&customer, 403}, {&agent, 403}}},
      {"remove tier", [&](HttpClient& c) { return c.request("DELETE", tier); }, {{&customer, 403}, {&agent, 403}}},
      {"subscribe", [&](HttpClient& c) { return c.post("/api/v1/subscriptions", {{"tier_id", id(regular_)}, {"organization_id", id(other_)}}); },
       {{&user, 403}, {&customer, 403}, {&agent, 403}, {&outsider, 403}, {&anonymous, 401}}},
      {"end a subscription", [&](HttpClient& c) { return c.patch(sub, {{"ends_at", "2031-01-01T00:00:00Z"}}, v1); },
       {{&user, 403}, {&customer, 403}, {&agent, 403}}},
      {"remove a subscription", [&](HttpClient& c) { return c.request("DELETE", sub); },
       {{&user, 403}, {&customer, 403}, {&agent, 403}, {&outsider, 403}}},
      {"another organisation's subscription", [&](HttpClient& c) { return c.get(sub); }, {{&outsider, 404}, {&user, 200}}},
      {"its tier change", [&](HttpClient& c) { return c.post(sub + "/tier-change", {{"tier_id", id(regular_)}}); },
       {{&outsider, 404}, {&user, 403}, {&anonymous, 401}}},
  });
}

INSTANTIATE_TEST_SUITE_P(Stores, OfferingTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
