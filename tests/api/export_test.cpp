// OFF-2 portability over HTTP on every store: an organisation's export is a zip of JSON and CSV
// per kind of record and its tickets' files, for its customer (without the provider's internal
// notes) or an administrator (with them); nothing of another organisation, no password hash;
// refused to anyone else. The zip is read back with libzip.
#include "api/api_fixture.h"
#include "api/zip_files.h"

#include <cctype>
#include <map>
#include <random>

namespace tandem::testing {
namespace {

class ExportTest : public ApiTest {
 protected:
  void SetUp() override {
    club_ = create_org("Greenway Car-share Club");
    other_ = create_org("Other Org");
    create_user("li@club.test", "user", id(club_), "Passw0rd-test!", {{"name", "李华"}, {"phones", {"+86 138 0013 7000"}}});
    create_user("cust@club.test", "customer", id(club_));
    create_user("cust@other.test", "customer", id(other_));
    create_user("wu@other.test", "user", id(other_));
    create_user("agent@p.test", "agent");
  }
  Json club_, other_;
};

TEST_P(ExportTest, TheCustomerTakesItsDataWithoutTheProvidersNotes) {
  auto li = login("li@club.test");
  auto ticket = li.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "停车场门禁卡失效 CLUB-MARK"}, {"description", "刷不开。"}}).json();
  ASSERT_EQ(li.post("/api/v1/tickets/" + id(ticket) + "/comments", {{"body", "Still broken, 还是不行"}}).status, 201);
  auto agent = login("agent@p.test");
  ASSERT_EQ(agent.post("/api/v1/tickets/" + id(ticket) + "/comments", {{"body", "INTERNAL-MARK suspect the reader"}, {"public", false}}).status,
            201);
  std::string upload = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"card.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                       "FILE-CONTENT-MARK\r\n--B--\r\n";
  ASSERT_EQ(li.request("POST", "/api/v1/tickets/" + id(ticket) + "/attachments", upload,
                       {{"content-type", "multipart/form-data; boundary=B"}}).status, 201);
  auto wu = login("wu@other.test");
  wu.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "OTHER-MARK"}, {"description", "x"}});

  auto cust = login("cust@club.test");
  auto r = cust.get("/api/v1/organizations/" + id(club_) + "/export");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  EXPECT_EQ(r.header("content-type"), "application/zip");
  EXPECT_NE(r.header("content-disposition").find("attachment; filename=\"tandem-export-" + id(club_)), std::string::npos);
  auto files = unzip(r.body);
  ASSERT_TRUE(files.contains("tickets.json")) << r.body.size();
  ASSERT_TRUE(files.contains("tickets.csv"));
  ASSERT_TRUE(files.contains("users.csv"));
  auto tickets = Json::parse(files["tickets.json"]);
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0]["subject"], "停车场门禁卡失效 CLUB-MARK");
  EXPECT_TRUE(tickets[0]["created_at"].get<std::string>().ends_with("Z")) << "times in RFC 3339";
  EXPECT_NE(files["tickets.csv"].find("CLUB-MARK"), std::string::npos);
  EXPECT_NE(files["ticket_events.json"].find("还是不行"), std::string::npos);
  EXPECT_NE(files["identities.json"].find("+86 138 0013 7000"), std::string::npos);
  std::string all;
  for (const auto& [name, content] : files) all += name + "\n" + content;
  EXPECT_EQ(all.find("OTHER-MARK"), std::string::npos) << "nothing of another organisation";
  EXPECT_EQ(all.find("wu@other.test"), std::string::npos);
  EXPECT_EQ(all.find("INTERNAL-MARK"), std::string::npos) << "the provider's internal notes stay";
  EXPECT_EQ(all.find("argon2"), std::string::npos) << "no password hash";
  bool file_found = false;
  for (const auto& [name, content] : files)
    if (name.starts_with("attachments/") && name.ends_with("-card.txt")) file_found = content == "FILE-CONTENT-MARK";
  EXPECT_TRUE(file_found) << "the tickets' files, as uploaded";

  // An administrator's export has the internal notes too.
  auto full = unzip(admin_.get("/api/v1/organizations/" + id(club_) + "/export").body);
  EXPECT_NE(full["ticket_events.json"].find("INTERNAL-MARK"), std::string::npos);
  EXPECT_TRUE(full.contains("recovery_tasks.json"));
  EXPECT_FALSE(files.contains("recovery_tasks.json"));
}

TEST_P(ExportTest, NobodyElseExportsTheOrganisation) {
  auto path = "/api/v1/organizations/" + id(club_) + "/export";
  EXPECT_EQ(login("cust@other.test").get(path).status, 404);
  EXPECT_EQ(login("li@club.test").get(path).status, 403) << "a user of the organisation is not its customer";
  EXPECT_EQ(login("agent@p.test").get(path).status, 403);
  EXPECT_EQ(server_.client().get(path).status, 401);
  EXPECT_EQ(admin_.get("/api/v1/organizations/org_nope/export").status, 404);
  auto provider = admin_.get("/api/v1/me").json()["organization_id"].get<std::string>();
  EXPECT_EQ(admin_.get("/api/v1/organizations/" + provider + "/export").status, 412) << "the provider is not a customer";
  // CSV cells a spreadsheet would run as formulas are made inert.
  auto li = login("li@club.test");
  li.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "=HYPERLINK(\"x\")"}, {"description", "d"}});
  auto files = unzip(admin_.get(path).body);
  EXPECT_NE(files["tickets.csv"].find("\"'=HYPERLINK(\"\"x\"\")\""), std::string::npos) << files["tickets.csv"];
  EXPECT_EQ(Json::parse(files["tickets.json"])[0]["subject"], "=HYPERLINK(\"x\")") << "the JSON keeps the text exactly";
}

// The zip leaves as it is made: chunked, with no length known in advance. A client that hangs up
// in the middle stops the export's work, and the server goes on serving whole exports.
TEST_P(ExportTest, TheZipIsSentAsItIsMadeAndAClientHangingUpStopsIt) {
  auto li = login("li@club.test");
  auto ticket = li.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "photos of the damage"}, {"description", "d"}}).json();
  // Twelve megabytes that do not compress, in files under the upload limit: more than the server
  // queues and the sockets hold.
  std::map<std::string, std::string> photos;
  std::mt19937 random(5);
  for (int i = 0; i < 7; ++i) {
    std::string photo((1800 << 10), '\0');
    for (auto& ch : photo) ch = char(random());
    auto name = "damage-" + std::to_string(i) + ".bin";
    std::string upload = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\n"
                         "Content-Type: application/octet-stream\r\n\r\n" + photo + "\r\n--B--\r\n";
    ASSERT_EQ(li.request("POST", "/api/v1/tickets/" + id(ticket) + "/attachments", upload,
                         {{"content-type", "multipart/form-data; boundary=B"}}).status, 201);
    photos["-" + name] = std::move(photo);
  }
  auto cust = login("cust@club.test");
  auto path = "/api/v1/organizations/" + id(club_) + "/export";

  auto request = "GET " + path + " HTTP/1.1\r\nHost: x\r\nCookie: tandem_session=" + cust.session() + "\r\n\r\n";
  auto start = raw_exchange(server_.port(), request, 10'000, nullptr, 64 * 1024);
  ASSERT_TRUE(start.starts_with("HTTP/1.1 200")) << start.substr(0, 200);
  auto head = start.substr(0, start.find("\r\n\r\n"));
  for (auto& ch : head) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_NE(head.find("transfer-encoding: chunked"), std::string::npos) << head;
  EXPECT_EQ(head.find("content-length"), std::string::npos) << head;

  for (int i = 0; i < 3; ++i) {
    auto r = cust.get(path);
    ASSERT_EQ(r.status, 200);
    auto files = unzip(r.body);
    std::size_t whole = 0;
    for (const auto& [name, content] : files)
      for (const auto& [suffix, photo] : photos) whole += name.ends_with(suffix) && content == photo;
    EXPECT_EQ(whole, photos.size()) << "export " << i << " after the hang-up: " << r.body.size() << " bytes";
  }
  // Only an export that reached its end is recorded as taken.
  auto audit = admin_.get("/api/v1/audit?action=organization.export&target_id=" + id(club_)).json()["items"];
  EXPECT_EQ(audit.size(), 3u) << audit.dump();
}

INSTANTIATE_TEST_SUITE_P(Stores, ExportTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
