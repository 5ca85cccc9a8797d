// Knowledge articles over HTTP on every store (KB-1, REL-2): drafts are staff's until published;
// rendered bodies are sanitised; every save is a version with its author and a diff; a reader
// gets their language or the original; the audience decides who sees an article in every route
// (read, list, versions, feedback, search, suggestions, deflections); "was this helpful" counts
// per version; search finds Chinese by two characters and English by prefix, highlights and
// counts facets; deflections are counted per service.
#include "api/api_fixture.h"

namespace tandem::testing {
namespace {

std::string enc(const std::string& s) {
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.') out += char(ch);
    else out += fmt::format("%{:02X}", ch);
  }
  return out;
}

std::vector<std::string> ids_of(const Json& page) {
  std::vector<std::string> out;
  for (const auto& item : page["items"]) out.push_back(item["id"]);
  return out;
}

bool has(const std::vector<std::string>& ids, const std::string& id) { return std::ranges::find(ids, id) != ids.end(); }

class KnowledgeTest : public ApiTest {
 protected:
  void SetUp() override {
    org_a_ = create_org("Campus");
    org_b_ = create_org("Other Co");
    create_user("reader@a.test", "user", id(org_a_), "Passw0rd-test!", {{"language", "zh-CN"}});
    create_user("boss@a.test", "customer", id(org_a_));
    create_user("reader@b.test", "user", id(org_b_), "Passw0rd-test!", {{"language", "en"}});
    create_user("agent@p.test", "agent");
    create_user("specialist@p.test", "specialist");
  }
  Json article(const std::string& title, const std::string& body, const std::string& language = "zh-CN", Json extra = Json::object()) {
    Json doc = {{"title", title}, {"body", body}, {"language", language}};
    doc.update(extra);
    auto r = admin_.post("/api/v1/articles", doc);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  Json published(const std::string& title, const std::string& body, const std::string& language = "zh-CN", Json extra = Json::object()) {
    auto a = article(title, body, language, extra);
    auto r = admin_.post("/api/v1/articles/" + id(a) + "/publish", Json::object());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  std::vector<std::string> found(HttpClient& c, const std::string& q, const std::string& kind = "article") {
    return ids_of(c.get("/api/v1/search?kind=" + kind + "&q=" + enc(q)).json());
  }
  std::vector<std::string> suggested(HttpClient& c, const std::string& q, const std::string& more = "") {
    return ids_of(c.get("/api/v1/suggestions?q=" + enc(q) + more).json());
  }
  Json org_a_, org_b_;
};

TEST_P(KnowledgeTest, ADraftIsStaffsUntilPublished) {
  auto reader = login("reader@a.test");
  auto agent = login("agent@p.test");
  auto a = article("新门禁系统 DOORDRAFT", "下月启用，请使用校园卡。");
  auto path = "/api/v1/articles/" + id(a);
  EXPECT_EQ(a["state"], "draft");
  EXPECT_EQ(agent.get(path).status, 200);
  EXPECT_EQ(reader.get(path).status, 404);
  EXPECT_FALSE(has(ids_of(reader.get("/api/v1/articles?limit=500").json()), id(a)));
  EXPECT_TRUE(has(ids_of(agent.get("/api/v1/articles?state=draft").json()), id(a)));
  EXPECT_TRUE(found(reader, "DOORDRAFT").empty());
  EXPECT_TRUE(found(agent, "DOORDRAFT").empty()) << "search holds published articles only";
  EXPECT_TRUE(suggested(reader, "门禁").empty());

  // Draft → review → published; publishing again is a conflict.
  auto review = admin_.patch(path, {{"state", "review"}}, admin_.get(path).header("etag"));
  ASSERT_EQ(review.status, 200) << review.body;
  EXPECT_EQ(review.json()["state"], "review");
  EXPECT_EQ(reader.get(path).status, 404);
  auto pub = agent.post(path + "/publish", Json::object());
  ASSERT_EQ(pub.status, 200) << pub.body;
  EXPECT_EQ(pub.json()["state"], "published");
  EXPECT_FALSE(pub.json()["published_at"].is_null());
  EXPECT_EQ(agent.post(path + "/publish", Json::object()).status, 409);
  EXPECT_EQ(reader.get(path).status, 200);
  EXPECT_TRUE(has(found(reader, "DOORDRAFT"), id(a)));
  EXPECT_TRUE(has(suggested(reader, "门禁"), id(a)));

  // Archived: gone from readers and from search again; reopened as a draft.
  auto archived = admin_.patch(path, {{"state", "archived"}}, admin_.get(path).header("etag"));
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_EQ(reader.get(path).status, 404);
  EXPECT_TRUE(found(reader, "DOORDRAFT").empty());
  EXPECT_EQ(admin_.patch(path, {{"state", "published"}}, admin_.get(path).header("etag")).status, 422);
  auto wrong = admin_.patch(path, {{"state", "review"}}, admin_.get(path).header("etag"));
  EXPECT_EQ(wrong.status, 409);
  EXPECT_EQ(wrong.json()["error"]["code"], "invalid_transition");
  EXPECT_EQ(admin_.patch(path, {{"state", "draft"}}, admin_.get(path).header("etag")).json()["state"], "draft");
}

TEST_P(KnowledgeTest, RenderedBodiesAreSanitised) {
  auto a = published("安全 Safe", "**bold** <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(2))\n\n"
                                   "![outside](https://evil.example/t.png)\n\n![ours](/api/v1/attachments/att_1)");
  auto html = a["body_html"].get<std::string>();
  EXPECT_NE(html.find("<strong>bold</strong>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("onerror"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img src=\"https://evil.example"), std::string::npos) << html;
  EXPECT_NE(html.find("<img src=\"/api/v1/attachments/att_1\""), std::string::npos) << html;
  EXPECT_NE(a["body"].get<std::string>().find("<script>"), std::string::npos) << "the Markdown is kept as written";
  auto versions = admin_.get("/api/v1/articles/" + id(a) + "/versions").json();
  EXPECT_EQ(versions["items"][0]["body_html"], html);
}

TEST_P(KnowledgeTest, ImagesComeFromOurAttachmentsAndTheHostsAdministratorsAllow) {
  auto a = published("图片 Images", "![chart](https://img.example.edu/chart.png)\n\n![other](https://elsewhere.example/x.png)");
  auto path = "/api/v1/articles/" + id(a);
  EXPECT_EQ(a["body_html"].get<std::string>().find("<img"), std::string::npos) << "no host allowed yet";
  auto reader = login("reader@a.test");
  auto etag = admin_.get("/api/v1/knowledge/image-hosts").header("etag");
  EXPECT_EQ(reader.put("/api/v1/knowledge/image-hosts", {{"hosts", {"img.example.edu"}}}, {{"If-Match", etag}}).status, 403);
  EXPECT_EQ(login("agent@p.test").put("/api/v1/knowledge/image-hosts", {{"hosts", {"img.example.edu"}}}, {{"If-Match", etag}}).status, 403);
  EXPECT_EQ(problems(admin_.put("/api/v1/knowledge/image-hosts", {{"hosts", {"https://x/"}}}, {{"If-Match", etag}})).count("hosts"), 1u);
  auto set = admin_.put("/api/v1/knowledge/image-hosts", {{"hosts", {"IMG.example.edu"}}}, {{"If-Match", etag}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json()["hosts"], Json::array({"img.example.edu"}));
  EXPECT_EQ(admin_.put("/api/v1/knowledge/image-hosts", {{"hosts", Json::array()}}, {{"If-Match", etag}}).status, 412);
  auto html = reader.get(path).json()["body_html"].get<std::string>();
  EXPECT_NE(html.find("<img src=\"https://img.example.edu/chart.png\""), std::string::npos) << html;
  EXPECT_EQ(html.find("<img src=\"https://elsewhere.example"), std::string::npos) << html;
}

TEST_P(KnowledgeTest, EverySaveIsAVersionWithItsAuthorAndADiff) {
  auto agent = login("agent@p.test");
  auto a = published("打印机 Printing", "Step one.\nStep two.");
  auto path = "/api/v1/articles/" + id(a);
  auto agent_id = agent.get("/api/v1/me").json()["id"];
  auto edited = agent.patch(path, {{"body", "Step one.\nStep 2, changed.\nStep three."}}, admin_.get(path).header("etag"));
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json()["text_version"], 2);
  EXPECT_EQ(edited.json()["text_author_id"], agent_id);
  EXPECT_EQ(edited.json()["author_id"], a["author_id"]);
  EXPECT_EQ(edited.json()["state"], "published");
  // A stale or missing If-Match changes nothing.
  EXPECT_EQ(agent.patch(path, {{"body", "lost"}}, a["version"].dump()).status, 412);
  EXPECT_EQ(agent.patch(path, {{"body", "lost"}}, "").status, 428);

  auto versions = admin_.get(path + "/versions").json()["items"];
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0]["number"], 1);
  EXPECT_EQ(versions[0]["author_id"], a["author_id"]);
  EXPECT_EQ(versions[1]["author_id"], agent_id);
  auto diff = admin_.get(path + "/diff?from=1&to=2").json();
  Json want = Json::array({{{"op", "same"}, {"text", "# 打印机 Printing"}},
                           {{"op", "same"}, {"text", ""}},
                           {{"op", "same"}, {"text", "Step one."}},
                           {{"op", "removed"}, {"text", "Step two."}},
                           {{"op", "added"}, {"text", "Step 2, changed."}},
                           {{"op", "added"}, {"text", "Step three."}}});
  EXPECT_EQ(diff["lines"], want) << diff;
  EXPECT_EQ(problems(admin_.get(path + "/diff?from=1&to=9")).count("to"), 1u);
  // Search finds the new text, not the old one.
  auto reader = login("reader@a.test");
  EXPECT_TRUE(has(found(reader, "three"), id(a)));
  EXPECT_TRUE(found(reader, "two").empty());
}

TEST_P(KnowledgeTest, ReadersGetTheirLanguageOrTheOriginal) {
  auto zh = login("reader@a.test");
  auto en = login("reader@b.test");
  auto a = published("连接 eduroam 无线网络", "打开无线设置，选择 eduroam。");
  auto path = "/api/v1/articles/" + id(a);
  EXPECT_EQ(en.get(path).json()["language"], "zh-CN") << "no English yet: the original";
  EXPECT_EQ(problems(admin_.patch(path, {{"language", "en"}, {"title", "Connecting to eduroam"}}, admin_.get(path).header("etag")))
                .count("body"),
            1u)
      << "a new translation needs its body";
  auto translated = admin_.patch(path, {{"language", "en"}, {"title", "Connecting to eduroam"}, {"body", "Open the Wi-Fi settings."}},
                                 admin_.get(path).header("etag"));
  ASSERT_EQ(translated.status, 200) << translated.body;
  EXPECT_EQ(translated.json()["languages"], Json::array({"zh-CN", "en"}));
  auto read_en = en.get(path).json();
  EXPECT_EQ(read_en["language"], "en");
  EXPECT_EQ(read_en["title"], "Connecting to eduroam");
  EXPECT_EQ(read_en["original_language"], "zh-CN");
  EXPECT_EQ(zh.get(path).json()["title"], "连接 eduroam 无线网络");
  EXPECT_EQ(zh.get(path + "?lang=en").json()["title"], "Connecting to eduroam");
  // Both languages are searchable; one hit per article.
  EXPECT_TRUE(has(found(en, "settings"), id(a)));
  EXPECT_TRUE(has(found(zh, "无线"), id(a)));
  EXPECT_EQ(found(zh, "eduroam").size(), 1u);
}

TEST_P(KnowledgeTest, FeedbackIsCountedPerVersionAndAnsweringAgainReplaces) {
  auto reader = login("reader@a.test");
  auto boss = login("boss@a.test");
  auto a = published("VPN 超时", "重新安装客户端。");
  auto path = "/api/v1/articles/" + id(a);
  auto first = reader.post(path + "/feedback", {{"helpful", false}});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json()["feedback"], Json({{"helpful", 0}, {"unhelpful", 1}}));
  auto again = reader.post(path + "/feedback", {{"helpful", true}, {"comment", "很有用 Very useful"}});
  EXPECT_EQ(again.json()["feedback"], Json({{"helpful", 1}, {"unhelpful", 0}}));
  EXPECT_EQ(boss.post(path + "/feedback", {{"helpful", true}}).json()["feedback"], Json({{"helpful", 2}, {"unhelpful", 0}}));
  admin_.patch(path, {{"body", "先确认校园网络，再重新安装客户端。"}}, admin_.get(path).header("etag"));
  EXPECT_EQ(reader.get(path).json()["feedback"], Json({{"helpful", 0}, {"unhelpful", 0}})) << "a new version starts afresh";
  reader.post(path + "/feedback", {{"helpful", false}});
  auto versions = admin_.get(path + "/versions").json()["items"];
  EXPECT_EQ(versions[0]["feedback"], Json({{"helpful", 2}, {"unhelpful", 0}}));
  EXPECT_EQ(versions[1]["feedback"], Json({{"helpful", 0}, {"unhelpful", 1}}));
  auto bad = problems(reader.post(path + "/feedback", {{"comment", std::string(2001, 'x')}}));
  EXPECT_EQ(bad.count("helpful"), 1u);
  EXPECT_EQ(bad.count("comment"), 1u);
}

TEST_P(KnowledgeTest, TheAudienceDecidesWhoSeesAnArticleInEveryRoute) {
  auto offering = admin_.post("/api/v1/offerings", {{"name", "Gold support"}}).json();
  auto tier = admin_.post("/api/v1/offering-tiers", {{"offering_id", id(offering)}, {"name", "Gold"}, {"monthly_fee", "30"}}).json();
  ASSERT_EQ(admin_.post("/api/v1/subscriptions", {{"tier_id", id(tier)}, {"organization_id", id(org_b_)}}).status, 201);
  auto for_a = published("打印机驱动 PRINTDRV", "三楼打印机驱动。", "zh-CN", {{"audience", {{"organization_ids", {id(org_a_)}}}}});
  auto for_customers = published("账单说明 BILLNOTE", "账单每月一号出。", "zh-CN", {{"audience", {{"roles", {"customer"}}}}});
  auto for_gold = published("Gold hotline GOLDLINE", "Call the gold line.", "en", {{"audience", {{"offering_ids", {id(offering)}}}}});
  auto for_all = published("Everyone EVERYONE", "For all readers.", "en");

  auto a_user = login("reader@a.test");
  auto a_customer = login("boss@a.test");
  auto b_user = login("reader@b.test");
  auto agent = login("agent@p.test");
  struct Case {
    const Json& article;
    std::string word;
    std::vector<std::pair<HttpClient*, bool>> sees;
  };
  std::vector<Case> cases{
      {for_a, "PRINTDRV", {{&a_user, true}, {&a_customer, true}, {&b_user, false}, {&agent, true}}},
      {for_customers, "BILLNOTE", {{&a_user, false}, {&a_customer, true}, {&b_user, false}, {&agent, true}}},
      {for_gold, "GOLDLINE", {{&a_user, false}, {&a_customer, false}, {&b_user, true}, {&agent, true}}},
      {for_all, "EVERYONE", {{&a_user, true}, {&a_customer, true}, {&b_user, true}, {&agent, true}}},
  };
  for (const auto& c : cases)
    for (auto [who, sees] : c.sees) {
      auto path = "/api/v1/articles/" + id(c.article);
      SCOPED_TRACE(c.word + (sees ? " seen" : " unseen"));
      EXPECT_EQ(who->get(path).status, sees ? 200 : 404);
      EXPECT_EQ(who->get(path + "/versions").status, sees ? 200 : 404);
      EXPECT_EQ(has(ids_of(who->get("/api/v1/articles?limit=500").json()), id(c.article)), sees);
      EXPECT_EQ(has(found(*who, c.word), id(c.article)), sees);
      EXPECT_EQ(has(ids_of(who->get("/api/v1/search?q=" + c.word).json()), id(c.article)), sees);
      EXPECT_EQ(has(suggested(*who, c.word), id(c.article)), sees);
      if (!sees) {
        EXPECT_EQ(who->post(path + "/feedback", {{"helpful", true}}).status, 404);
        EXPECT_EQ(who->post("/api/v1/deflections", {{"id", id(c.article)}}).status, 404);
      }
    }
}

TEST_P(KnowledgeTest, SearchFindsChineseByTwoCharactersAndEnglishByPrefixWithHighlightsAndFacets) {
  auto reader = login("reader@a.test");
  auto service = admin_.post("/api/v1/services", {{"name", "Network"}}).json();
  auto vpn = published("宿舍 VPN 连接超时怎么办", "在宿舍连接 VPN 时如果提示超时，请先确认已连上校园网络。", "zh-CN",
                       {{"service_ids", {id(service)}}});
  auto printing = published("Printing from a laptop", "Install the printer driver, then print a test page.", "en");
  EXPECT_EQ(found(reader, "宿舍"), std::vector<std::string>{id(vpn)});
  EXPECT_EQ(found(reader, "超时"), std::vector<std::string>{id(vpn)});
  EXPECT_EQ(found(reader, "print"), std::vector<std::string>{id(printing)}) << "a word finds its longer forms";
  EXPECT_TRUE(found(reader, "rinter").empty());
  auto page = reader.get("/api/v1/search?kind=article&q=" + enc("VPN 超时")).json();
  ASSERT_EQ(page["items"].size(), 1u) << page;
  auto hit = page["items"][0];
  EXPECT_EQ(hit["kind"], "article");
  EXPECT_EQ(hit["service_ids"], Json::array({id(service)}));
  std::string marked;
  for (const auto& piece : hit["highlight"])
    if (piece["mark"].get<bool>()) marked += piece["text"].get<std::string>() + "|";
  EXPECT_EQ(marked, "VPN|超时|") << hit["highlight"];
  EXPECT_EQ(page["facets"]["kind"], Json::array({{{"value", "article"}, {"count", 1}}}));
  EXPECT_EQ(page["facets"]["language"], Json::array({{{"value", "zh-CN"}, {"count", 1}}}));
  EXPECT_EQ(page["facets"]["service_id"], Json::array({{{"value", id(service)}, {"count", 1}}}));
  // Filters.
  EXPECT_TRUE(ids_of(reader.get("/api/v1/search?kind=article&language=en&q=VPN").json()).empty());
  EXPECT_TRUE(ids_of(reader.get("/api/v1/search?kind=article&service_id=" + id(service) + "&q=print").json()).empty());
  EXPECT_EQ(problems(reader.get("/api/v1/search?kind=poem&q=x")).count("kind"), 1u);
  EXPECT_EQ(problems(reader.get("/api/v1/search?kind=article&q=%20")).count("q"), 1u);
  // One box: tickets the reader may see and articles together.
  auto ticket = reader.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "VPN 又超时了"}, {"description", "宿舍网络"}}).json();
  auto both = ids_of(reader.get("/api/v1/search?q=" + enc("宿舍")).json());
  EXPECT_TRUE(has(both, id(vpn)));
  EXPECT_TRUE(has(both, id(ticket)));
  EXPECT_EQ(ids_of(reader.get("/api/v1/search?kind=ticket&q=" + enc("宿舍")).json()), std::vector<std::string>{id(ticket)});
  auto other = login("reader@b.test");
  EXPECT_FALSE(has(ids_of(other.get("/api/v1/search?q=" + enc("宿舍")).json()), id(ticket)));
}

TEST_P(KnowledgeTest, SuggestionsPutTheServicesArticlesFirstAndDeflectionsAreCounted) {
  auto reader = login("reader@a.test");
  auto boss = login("boss@a.test");
  auto b_user = login("reader@b.test");
  auto cars = admin_.post("/api/v1/services", {{"name", "Car sharing"}}).json();
  ASSERT_EQ(admin_.post("/api/v1/entitlements", {{"service_id", id(cars)}, {"organization_id", id(org_a_)}}).status, 201);
  auto car = published("How to charge the car", "Tap the card to charge.", "en", {{"service_ids", {id(cars)}}});
  auto general = published("How to charge a phone", "Tap the phone to charge.", "en");
  auto plain = suggested(reader, "charge");
  ASSERT_EQ(plain.size(), 2u);
  EXPECT_EQ(plain[0], id(general)) << "as good a match, and newer";
  auto for_cars = suggested(reader, "charge", "&service_id=" + id(cars));
  ASSERT_EQ(for_cars.size(), 2u);
  EXPECT_EQ(for_cars[0], id(car));
  EXPECT_TRUE(suggested(reader, "").empty()) << "nothing typed yet, nothing suggested";
  EXPECT_TRUE(suggested(reader, "c").empty()) << "one character is not yet a question";
  EXPECT_TRUE(has(suggested(reader, "How do I charge the car?"), id(car))) << "a question as typed: its function words need not match";
  EXPECT_TRUE(ids_of(reader.get("/api/v1/search?kind=article&q=" + enc("How do I charge the car?")).json()).empty())
      << "search asks for every word";
  auto s = reader.get("/api/v1/suggestions?q=charge").json()["items"][0];
  EXPECT_EQ(s["kind"], "article");

  // The reader opened a suggestion and left: a deflection for the car service.
  auto d = reader.post("/api/v1/deflections", {{"id", id(car)}, {"service_id", id(cars)}, {"query", "charge"}});
  ASSERT_EQ(d.status, 201) << d.body;
  EXPECT_EQ(d.json()["target_id"], id(car));
  ASSERT_EQ(reader.post("/api/v1/deflections", {{"id", id(general)}, {"query", "charge"}}).status, 201);
  ASSERT_EQ(b_user.post("/api/v1/deflections", {{"id", id(car)}, {"service_id", id(cars)}}).status, 201);
  auto raised = reader.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "Car will not charge"}, {"service_id", id(cars)}});
  ASSERT_EQ(raised.status, 201) << raised.body;
  auto bad = problems(reader.post("/api/v1/deflections", {{"id", id(car)}, {"kind", "poem"}, {"service_id", "svc_nope"}}));
  EXPECT_EQ(bad.count("kind"), 1u);
  EXPECT_EQ(reader.post("/api/v1/deflections", {{"id", "art_nope"}}).status, 404);

  server_.clock().advance(std::chrono::minutes(1));  // the report's period ends now, exclusive
  auto report = admin_.get("/api/v1/reports/deflection").json();
  Json car_row;
  for (const auto& row : report["services"])
    if (row["service_id"] == id(cars)) car_row = row;
  EXPECT_EQ(car_row["deflections"], 2);
  EXPECT_EQ(car_row["tickets"], 1);
  EXPECT_NEAR(car_row["rate"].get<double>(), 2.0 / 3.0, 1e-9);
  EXPECT_EQ(report["total"]["deflections"], 3);
  // A customer sees their organisation's figures only.
  auto mine = boss.get("/api/v1/reports/deflection").json();
  EXPECT_EQ(mine["total"]["deflections"], 2) << mine;
  EXPECT_EQ(reader.get("/api/v1/reports/deflection").status, 403);
  EXPECT_EQ(problems(admin_.get("/api/v1/reports/deflection?from=yesterday")).count("from"), 1u);
}

TEST_P(KnowledgeTest, BadInputIsRefusedWholeAndChangesNothing) {
  auto before = audit_count();
  auto bad = problems(admin_.post("/api/v1/articles", {{"title", " "},
                                                       {"body", ""},
                                                       {"language", "fr"},
                                                       {"service_ids", {"svc_nope"}},
                                                       {"audience", {{"organization_ids", {"org_nope"}}, {"roles", {"wizard"}}}}}));
  for (auto field : {"title", "body", "language", "service_ids", "audience.organization_ids", "audience.roles"})
    EXPECT_EQ(bad.count(field), 1u) << field;
  EXPECT_EQ(problems(admin_.post("/api/v1/articles", {{"title", "t"}, {"body", "b"}, {"language", "en"}, {"audience", {{"teams", {}}}}}))
                .count("audience.teams"),
            1u);
  EXPECT_EQ(problems(admin_.post("/api/v1/articles", {{"title", "t"}, {"body", std::string(200'001, 'x')}, {"language", "en"}}))
                .count("body"),
            1u);
  EXPECT_EQ(audit_count(), before);
  EXPECT_EQ(admin_.get("/api/v1/articles?state=poem").status, 422);
}

TEST_P(KnowledgeTest, EveryRouteRefusesWhomItMust) {
  auto a = published("Routes", "Body.");
  auto draft = article("Draft", "Body.");
  auto path = "/api/v1/articles/" + id(a);
  auto anonymous = server_.client();
  auto reader = login("reader@a.test");
  auto specialist = login("specialist@p.test");
  auto etag = admin_.get(path).header("etag");
  expect_answers({
      {"POST article", [&](HttpClient& c) { return c.post("/api/v1/articles", {{"title", "x"}, {"body", "y"}, {"language", "en"}}); },
       {{&anonymous, 401}, {&reader, 403}}},
      {"list", [&](HttpClient& c) { return c.get("/api/v1/articles"); }, {{&anonymous, 401}, {&reader, 200}}},
      {"GET", [&](HttpClient& c) { return c.get(path); }, {{&anonymous, 401}, {&reader, 200}}},
      {"PATCH", [&](HttpClient& c) { return c.patch(path, {{"body", "z"}}, etag); }, {{&anonymous, 401}, {&reader, 403}}},
      {"publish", [&](HttpClient& c) { return c.post("/api/v1/articles/" + id(draft) + "/publish", Json::object()); },
       {{&anonymous, 401}, {&reader, 403}, {&specialist, 403}}},
      {"archive", [&](HttpClient& c) { return c.patch(path, {{"state", "archived"}}, etag); }, {{&specialist, 403}}},
      {"versions", [&](HttpClient& c) { return c.get(path + "/versions"); }, {{&anonymous, 401}, {&reader, 200}}},
      {"diff", [&](HttpClient& c) { return c.get(path + "/diff?to=1"); }, {{&anonymous, 401}, {&reader, 200}}},
      {"feedback", [&](HttpClient& c) { return c.post(path + "/feedback", {{"helpful", true}}); }, {{&anonymous, 401}}},
      {"suggestions", [&](HttpClient& c) { return c.get("/api/v1/suggestions?q=routes"); }, {{&anonymous, 401}, {&reader, 200}}},
      {"search", [&](HttpClient& c) { return c.get("/api/v1/search?q=routes"); }, {{&anonymous, 401}, {&reader, 200}}},
      {"deflection", [&](HttpClient& c) { return c.post("/api/v1/deflections", {{"id", id(a)}}); }, {{&anonymous, 401}}},
      {"report", [&](HttpClient& c) { return c.get("/api/v1/reports/deflection"); }, {{&anonymous, 401}, {&reader, 403}}},
  });
  // A specialist writes drafts but does not publish them.
  EXPECT_EQ(specialist.post("/api/v1/articles", {{"title", "x"}, {"body", "y"}, {"language", "en"}}).status, 201);
}

INSTANTIATE_TEST_SUITE_P(Stores, KnowledgeTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
