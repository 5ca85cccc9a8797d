// OFF-3 over HTTP on every store: provider switching. A customer's export imported into a new
// installation exports again the same (ids, people, timelines, files); a dry run answers what
// would happen and changes nothing; the real run must name the dry run's digest; running it again
// creates nothing; the documented CSV layout brings tickets with their replies, notes and status
// changes; nobody but an administrator imports, and an import never takes over someone of
// another organisation.
#include <algorithm>

#include "api/api_fixture.h"
#include "api/zip_files.h"

namespace tandem::testing {
namespace {

std::string form(const std::map<std::string, std::string>& fields, const std::string& file_name, const std::string& bytes) {
  std::string body;
  for (const auto& [name, value] : fields)
    body += "--B\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
  body += "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file_name +
          "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n--B--\r\n";
  return body;
}

HttpResponse import(HttpClient& c, const std::string& format, const std::string& bytes, std::optional<std::string> confirm = std::nullopt,
                    std::map<std::string, std::string> fields = {}) {
  fields["format"] = format;
  fields["dry_run"] = confirm ? "false" : "true";
  if (confirm) fields["confirm"] = *confirm;
  return c.request("POST", "/api/v1/imports", form(fields, format == "csv" ? "tickets.csv" : "export.zip", bytes),
                   {{"content-type", "multipart/form-data; boundary=B"}});
}

std::string counts(const Json& report) {
  std::string out;
  for (auto kind : {"organizations", "users", "tickets", "events", "attachments"}) {
    const auto& n = report["counts"][kind];
    out += std::string(kind) + " " + std::to_string(n["created"].get<int>()) + "/" + std::to_string(n["merged"].get<int>()) + "/" +
           std::to_string(n["rejected"].get<int>()) + "; ";
  }
  return out;
}

// The records of one kind as an export lists them, without what a new installation gives anew.
std::vector<std::string> records(const std::map<std::string, std::string>& zip, const std::string& kind) {
  auto it = zip.find(kind + ".json");
  if (it == zip.end()) return {};
  auto all = Json::parse(it->second);
  std::vector<std::string> rows;
  for (auto& r : all) {
    if (kind == "identities") r.erase("id"), r.erase("created_at");
    if (kind == "tickets") r.erase("number");  // the new provider's numbers
    rows.push_back(r.dump());
  }
  std::sort(rows.begin(), rows.end());  // an export lists them by id, and some ids are new
  return rows;
}

class ImportTest : public ApiTest {
 protected:
  void SetUp() override {
    club_ = create_org("Greenway Car-share Club 绿道");
    create_user("li@club.test", "user", id(club_), "Passw0rd-test!", {{"name", "李华"}, {"phones", {"+86 138 0013 7000"}}, {"language", "zh-CN"}});
    create_user("cust@club.test", "customer", id(club_));
  }

  // The club's own export: two tickets, a conversation, a file.
  std::string club_export() {
    auto li = login("li@club.test");
    auto one = li.post("/api/v1/tickets", {{"type", "incident"}, {"subject", "停车场门禁卡失效"}, {"description", "刷不开。"}}).json();
    EXPECT_EQ(li.post("/api/v1/tickets/" + id(one) + "/comments", {{"body", "Still broken, 还是不行"}}).status, 201);
    auto cust = login("cust@club.test");
    EXPECT_EQ(cust.post("/api/v1/tickets/" + id(one) + "/comments", {{"body", "We will send a new card."}}).status, 201);
    std::string upload = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"card.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                         "the card's number is 0042\r\n--B--\r\n";
    EXPECT_EQ(li.request("POST", "/api/v1/tickets/" + id(one) + "/attachments", upload, {{"content-type", "multipart/form-data; boundary=B"}})
                  .status,
              201);
    EXPECT_EQ(li.post("/api/v1/tickets", {{"type", "consultation"}, {"subject", "How do I book for a weekend?"}, {"description", "?"}}).status,
              201);
    auto r = cust.get("/api/v1/organizations/" + id(club_) + "/export");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body;
  }

  Json club_;
};

TEST_P(ImportTest, AnExportImportedIntoANewInstallationExportsAgainTheSame) {
  auto exported = club_export();
  TestServer fresh(GetParam());
  auto admin = fresh.admin();
  auto before = admin.get("/api/v1/audit?limit=1").json()["items"][0]["seq"];

  auto dry = import(admin, "tandem", exported);
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_TRUE(dry.json()["dry_run"].get<bool>());
  auto events = std::to_string(Json::parse(unzip(exported)["ticket_events.json"]).size());
  EXPECT_EQ(counts(dry.json()), "organizations 1/0/0; users 2/0/0; tickets 2/0/0; events " + events + "/0/0; attachments 1/0/0; ");
  EXPECT_EQ(admin.get("/api/v1/audit?limit=1").json()["items"][0]["seq"], before) << "the dry run changed nothing";
  EXPECT_EQ(admin.get("/api/v1/organizations").json()["items"].size(), 1u) << "only the provider";

  auto digest = dry.json()["digest"].get<std::string>();
  auto real = import(admin, "tandem", exported, digest);
  ASSERT_EQ(real.status, 200) << real.body;
  EXPECT_EQ(counts(real.json()), counts(dry.json())) << "the real run did what the dry run said";

  // The people can sign in once they set a password; their records are the same.
  auto again = unzip(admin.get("/api/v1/organizations/" + id(club_) + "/export").body);
  auto first = unzip(exported);
  for (auto kind : {"organization", "users", "identities", "tickets", "ticket_events", "attachments", "ticket_watchers"})
    EXPECT_EQ(records(again, kind), records(first, kind)) << kind;
  for (const auto& [name, bytes] : first)
    if (name.starts_with("attachments/")) {
      EXPECT_EQ(again[name], bytes) << name;
    }

  // Running it again creates nothing.
  auto rerun = import(admin, "tandem", exported, digest);
  ASSERT_EQ(rerun.status, 200) << rerun.body;
  EXPECT_EQ(counts(rerun.json()), "organizations 0/1/0; users 0/2/0; tickets 0/2/0; events 0/0/0; attachments 0/0/0; ");
  auto tickets = admin.get("/api/v1/tickets?limit=50").json()["items"];
  EXPECT_EQ(tickets.size(), 2u);
  // Imported text is searchable like any other.
  EXPECT_EQ(admin.get("/api/v1/search?q=" + url_quoted("门禁卡")).json()["items"].size(), 1u);
}

TEST_P(ImportTest, AnExportBroughtBackToItsOwnInstallationMergesEverything) {
  auto exported = club_export();
  auto dry = import(admin_, "tandem", exported);
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(counts(dry.json()), "organizations 0/1/0; users 0/2/0; tickets 0/2/0; events 0/0/0; attachments 0/0/0; ");
}

TEST_P(ImportTest, TheCsvLayoutBringsTicketsWithTheirHistory) {
  auto other = create_org("Other Org 2");
  create_user("taken@other.test", "user", id(other));
  std::string csv =
      "ticket,kind,created_at,organization,author_email,author_name,type,status,subject,body\r\n"
      "T-1,ticket,2026-03-01T09:00:00Z,Greenway Car-share Club 绿道,li@club.test,李华,incident,new,\"Card fails, again\",刷不开。\r\n"
      "T-1,reply,2026-03-01T10:00:00Z,Greenway Car-share Club 绿道,desk@old-provider.test,Old Desk,,,,\"We are on it.\"\r\n"
      "T-1,note,2026-03-01T10:05:00Z,Greenway Car-share Club 绿道,desk@old-provider.test,Old Desk,,,,Reader at gate 2.\r\n"
      "T-1,status,2026-03-02T08:00:00Z,Greenway Car-share Club 绿道,desk@old-provider.test,Old Desk,,resolved,,\r\n"
      "T-2,ticket,2026-03-05T09:00:00Z,Eastside Scooters,new.person@eastside.test,New Person,service_request,new,Helmet,\r\n"
      "T-3,ticket,2026-03-05T09:00:00Z,Eastside Scooters,taken@other.test,,incident,new,Not mine,\r\n"
      "T-4,ticket,2026-03-05T09:00:00Z,Eastside Scooters,new.person@eastside.test,,incident,flying,Bad state,\r\n"
      "T-5,comment,2026-03-05T09:00:00Z,Eastside Scooters,new.person@eastside.test,,,,,\r\n";
  auto dry = import(admin_, "csv", csv);
  ASSERT_EQ(dry.status, 200) << dry.body;
  // The club and its Li merge; Eastside and its person are new; the old desk's agent comes in as
  // a person of the club (the old provider's people are not this provider's staff); someone of
  // another organisation here is never taken over, so their ticket is refused.
  EXPECT_EQ(counts(dry.json()), "organizations 1/1/0; users 2/1/1; tickets 2/0/3; events 5/0/0; attachments 0/0/0; ");
  std::set<std::string> reasons;
  auto listed = dry.json()["rejected"];
  for (const auto& p : listed) reasons.insert(p["source_id"].get<std::string>() + ": " + p["reason"].get<std::string>());
  EXPECT_EQ(reasons.size(), 4u) << dry.body;
  EXPECT_TRUE(reasons.contains("T-5: line 9: kind must be ticket, reply, note or status")) << dry.body;
  EXPECT_TRUE(reasons.contains("taken@other.test: the e-mail address belongs to someone of another organisation here")) << dry.body;
  EXPECT_TRUE(reasons.contains("Eastside Scooters\nT-3: its requester is not among the people imported")) << dry.body;
  EXPECT_TRUE(reasons.contains("Eastside Scooters\nT-4: 'flying' is not a state of incident tickets")) << dry.body;

  auto real = import(admin_, "csv", csv, dry.json()["digest"].get<std::string>());
  ASSERT_EQ(real.status, 200) << real.body;
  auto li = login("li@club.test");
  auto mine = li.get("/api/v1/tickets?limit=10").json()["items"];
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0]["subject"], "Card fails, again");
  EXPECT_EQ(mine[0]["status"], "resolved");
  auto timeline = li.get("/api/v1/tickets/" + id(mine[0]) + "/timeline").json()["items"];
  std::string seen;
  for (const auto& e : timeline) seen += e["kind"].get<std::string>() + " ";
  EXPECT_EQ(seen, "created comment status_changed ") << "the note is the provider's: " << timeline.dump();
  EXPECT_EQ(counts(import(admin_, "csv", csv, dry.json()["digest"].get<std::string>()).json()),
            "organizations 0/2/0; users 0/3/1; tickets 0/2/3; events 0/0/0; attachments 0/0/0; ")
      << "again: nothing new";
}

// Request Tracker 5's REST2 answers, recorded from Debian's request-tracker5 (tests/fixtures/rt5):
// four tickets with their conversations, internal comments, status changes and files, a Chinese
// one among them, one mailed in GB2312.
TEST_P(ImportTest, ARequestTrackersTicketsComeWithTheirConversationsAndFiles) {
  auto rt = zip_directory(std::filesystem::path(TANDEM_FIXTURES) / "rt5", server_.store().data_dir() + "/rt5.zip");
  ASSERT_FALSE(rt.empty());
  EXPECT_EQ(problems(import(admin_, "rt", rt)).count("organization"), 1u) << "RT has no organisations: one is named";
  std::map<std::string, std::string> to{{"organization", "Greenway Car-share Club 绿道"}};
  auto dry = import(admin_, "rt", rt, std::nullopt, to);
  ASSERT_EQ(dry.status, 200) << dry.body;
  // Li and María are the club's people; RT's agents (root, John Smith) come in unable to sign in.
  auto report = dry.json();
  EXPECT_EQ(report["counts"]["organizations"]["merged"], 1);
  EXPECT_EQ(report["counts"]["tickets"]["created"], 4) << dry.body;
  EXPECT_EQ(report["counts"]["attachments"]["created"], 2) << "damage-notes.txt and scratch.png";
  auto real = import(admin_, "rt", rt, report["digest"].get<std::string>(), to);
  ASSERT_EQ(real.status, 200) << real.body;

  auto li = login("li@club.test");  // li.hua@club.example in RT is another address: a person of its own
  auto staff = admin_.get("/api/v1/tickets?organization_id=" + id(club_) + "&limit=50").json()["items"];
  std::map<std::string, Json> by_subject;
  for (const auto& t : staff) by_subject[t["subject"].get<std::string>()] = t;
  ASSERT_TRUE(by_subject.contains("停车场门禁卡失效")) << staff.dump();
  auto gate = by_subject["停车场门禁卡失效"];
  EXPECT_EQ(gate["status"], "in_progress") << "RT's open";
  EXPECT_EQ(gate["description"], "门禁卡刷不开停车场大门。");
  auto timeline = admin_.get("/api/v1/tickets/" + id(gate) + "/timeline?limit=100").json()["items"];
  std::string kinds;
  for (const auto& e : timeline) kinds += e["kind"].get<std::string>() + (e.value("public", true) ? "" : "(internal)") + " ";
  EXPECT_EQ(kinds, "created comment status_changed note(internal) comment ") << timeline.dump();
  // RT's agents keep their names on what they wrote, and cannot sign in here.
  auto people = admin_.get("/api/v1/users?organization_id=" + id(club_) + "&limit=50").json()["items"];
  std::map<std::string, bool> active;
  for (const auto& p : people) active[p["name"].get<std::string>()] = p["active"].get<bool>();
  EXPECT_FALSE(active.at("John Smith"));
  EXPECT_TRUE(active.at("李华"));
  EXPECT_TRUE(active.at("maria.k@example.org")) << "known to RT only by the address she mailed from";
  // The damage report's two files are attachments of its ticket, bytes as RT kept them.
  std::string damage;
  for (const auto& [subject, t] : by_subject)
    if (subject.starts_with("Damage report")) damage = id(t);
  ASSERT_FALSE(damage.empty()) << staff.dump();
  std::string files;
  auto damage_timeline = admin_.get("/api/v1/tickets/" + damage + "/timeline?limit=100").json()["items"];
  for (const auto& e : damage_timeline) {
    if (e["kind"] != "attachment") continue;
    const auto& a = e["data"];
    files += a["name"].get<std::string>() + " ";
    auto bytes = admin_.get("/api/v1/attachments/" + a["attachment_id"].get<std::string>());
    EXPECT_EQ(bytes.status, 200) << bytes.body;
    if (a["name"] == "scratch.png") {
      EXPECT_TRUE(bytes.body.starts_with("\x89PNG")) << "decoded from base64";
      EXPECT_EQ(a["content_type"], "image/png");
    }
  }
  EXPECT_EQ(files, "damage-notes.txt scratch.png ") << damage_timeline.dump();
  // Again: nothing new.
  auto again = import(admin_, "rt", rt, report["digest"].get<std::string>(), to).json();
  EXPECT_EQ(again["counts"]["tickets"]["created"], 0);
  EXPECT_EQ(again["counts"]["tickets"]["merged"], 4);
  EXPECT_EQ(again["counts"]["users"]["created"], 0);
}

// Tenancy: the same Request Tracker imported for a second organisation never ties that
// organisation's tickets to the first one's people — someone of the first is refused there, and
// the tickets they raised with them.
TEST_P(ImportTest, ASecondOrganisationNeverGetsTheFirstOnesPeople) {
  auto rt = zip_directory(std::filesystem::path(TANDEM_FIXTURES) / "rt5", server_.store().data_dir() + "/rt5.zip");
  for (auto organization : {"Org One", "Org Two"}) {
    std::map<std::string, std::string> to{{"organization", organization}};
    auto dry = import(admin_, "rt", rt, std::nullopt, to);
    ASSERT_EQ(dry.status, 200) << dry.body;
    auto real = import(admin_, "rt", rt, dry.json()["digest"].get<std::string>(), to);
    ASSERT_EQ(real.status, 200) << real.body;
    if (std::string(organization) == "Org Two") {
      EXPECT_EQ(real.json()["counts"]["tickets"]["created"], 0) << "every requester is Org One's: " << real.body;
      EXPECT_GE(real.json()["counts"]["users"]["rejected"].get<int>(), 3) << real.body;
    }
  }
  auto orgs = admin_.get("/api/v1/organizations?limit=50").json()["items"];
  std::map<std::string, std::string> by_name;
  for (const auto& o : orgs) by_name[o["name"].get<std::string>()] = id(o);
  auto theirs = admin_.get("/api/v1/tickets?organization_id=" + by_name.at("Org Two")).json()["items"];
  EXPECT_TRUE(theirs.empty()) << theirs.dump();
  // The digest names the organisation too: Org One's dry run does not run an import for Org Two.
  auto dry = import(admin_, "rt", rt, std::nullopt, {{"organization", "Org One"}});
  EXPECT_EQ(import(admin_, "rt", rt, dry.json()["digest"].get<std::string>(), {{"organization", "Org Three"}}).status, 412);
}

TEST_P(ImportTest, OnlyAnAdministratorImportsAndBadRunsChangeNothing) {
  create_user("agent@p.test", "agent");
  auto agent = login("agent@p.test");
  auto cust = login("cust@club.test");
  std::string csv = "ticket,kind,created_at,organization,author_email,author_name,type,status,subject,body\r\n"
                    "T-1,ticket,2026-03-01T09:00:00Z,New Org,a@new.test,A,incident,new,Hello,Hi\r\n";
  auto before = audit_count();
  EXPECT_EQ(import(cust, "csv", csv).status, 403);
  EXPECT_EQ(import(agent, "csv", csv).status, 403);
  EXPECT_EQ(problems(import(admin_, "zendesk", csv)).count("format"), 1u);
  EXPECT_EQ(import(admin_, "tandem", "not a zip").status, 422);
  EXPECT_EQ(import(admin_, "csv", "\"open").status, 400);
  EXPECT_EQ(problems(import(admin_, "csv", "ticket,subject\r\n")).count("kind"), 1u) << "the layout's columns are named";
  EXPECT_EQ(import(admin_, "csv", csv, std::string(64, '0')).status, 412) << "a real run names its dry run's digest";
  auto no_confirm = admin_.request("POST", "/api/v1/imports", form({{"format", "csv"}, {"dry_run", "false"}}, "t.csv", csv),
                                   {{"content-type", "multipart/form-data; boundary=B"}});
  EXPECT_EQ(problems(no_confirm).count("confirm"), 1u) << no_confirm.body;
  EXPECT_EQ(audit_count(), before) << "nothing was written";
  EXPECT_EQ(admin_.get("/api/v1/organizations").json()["items"].size(), 2u) << "no New Org";
}

INSTANTIATE_TEST_SUITE_P(Stores, ImportTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
