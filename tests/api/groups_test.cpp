// Groups of a customer organisation's people over HTTP on every store: a customer keeps their own
// organisation's groups, the provider's administrators and relationship managers any customer's;
// a group holds only its organisation's people and is seen by no other organisation.
#include "api/api_fixture.h"

namespace tandem::testing {
namespace {

class GroupsTest : public ApiTest {
 protected:
  void SetUp() override {
    club_ = create_org("Greenway Car-share Club");
    other_ = create_org("Other");
    chen_ = create_user("chen@club.test", "user", id(club_));
    li_ = create_user("li@club.test", "user", id(club_));
    create_user("cust@club.test", "customer", id(club_));
    create_user("cust@other.test", "customer", id(other_));
    outsider_ = create_user("wu@other.test", "user", id(other_));
    create_user("agent@p.test", "agent");
  }
  Json club_, other_, chen_, li_, outsider_;
};

TEST_P(GroupsTest, ACustomerKeepsTheirOwnOrganisationsGroups) {
  auto cust = login("cust@club.test");
  auto created = cust.post(
      "/api/v1/groups", {{"name", "Fleet drivers 车队司机"}, {"member_ids", {id(li_), id(chen_)}}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto group = created.json();
  EXPECT_EQ(group["organization_id"], club_["id"]) << "their own organisation by default";
  auto members = group["member_ids"].get<std::vector<std::string>>();
  EXPECT_EQ(members.size(), 2u);
  EXPECT_TRUE(std::is_sorted(members.begin(), members.end()));
  EXPECT_EQ(created.header("location"), "/api/v1/groups/" + id(group));

  // Bad input names every problem and writes nothing.
  auto before = audit_count();
  auto bad = cust.post("/api/v1/groups", {{"name", "Fleet drivers 2"},
                                          {"member_ids", {id(outsider_), id(chen_), id(chen_)}},
                                          {"organization_id", id(other_)}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  auto p = problems(bad);
  EXPECT_TRUE(p.contains("organization_id")) << bad.body;
  EXPECT_TRUE(p.contains("member_ids")) << bad.body;
  EXPECT_EQ(problems(cust.post("/api/v1/groups", {{"name", "x"}, {"colour", "green"}}))["colour"],
            "is not a known field");
  auto taken = cust.post("/api/v1/groups", {{"name", "Fleet drivers 车队司机"}});
  ASSERT_EQ(taken.status, 422) << taken.body;
  EXPECT_EQ(problems(taken)["name"], "another group of the organisation has this name");
  auto stranger = cust.post("/api/v1/groups", {{"name", "Mixed"}, {"member_ids", {id(outsider_)}}});
  ASSERT_EQ(stranger.status, 422);
  EXPECT_EQ(problems(stranger)["member_ids"],
            "not a member of the group's organisation: " + id(outsider_));
  EXPECT_EQ(audit_count(), before);

  // Changed with its ETag; a stale one is refused.
  auto path = "/api/v1/groups/" + id(group);
  auto etag = cust.get(path).header("etag");
  auto changed =
      cust.patch(path, {{"member_ids", {id(chen_)}}, {"description", "May book the vans"}}, etag);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json()["member_ids"], Json::array({id(chen_)}));
  EXPECT_EQ(cust.patch(path, {{"name", "Drivers"}}, etag).status, 412);
  auto moved = cust.patch(path, {{"organization_id", id(other_)}}, changed.header("etag"));
  EXPECT_EQ(moved.status, 422) << "a group stays in its organisation";

  // The provider names the organisation; only a customer organisation holds groups.
  auto missing = admin_.post("/api/v1/groups", {{"name", "Board"}});
  EXPECT_EQ(problems(missing)["organization_id"],
            "is required: the customer organisation the group belongs to");
  auto orgs = admin_.get("/api/v1/organizations").json()["items"];
  std::string provider;
  for (const auto& o : orgs)
    if (o["kind"] == "provider") provider = o["id"];
  auto staff_group =
      admin_.post("/api/v1/groups", {{"name", "Staff"}, {"organization_id", provider}});
  EXPECT_EQ(problems(staff_group)["organization_id"], "no such customer organisation");
  auto board = admin_.post("/api/v1/groups", {{"name", "Board"},
                                              {"organization_id", id(other_)},
                                              {"external_id", "entra-7f3a"},
                                              {"member_ids", {id(outsider_)}}});
  ASSERT_EQ(board.status, 201) << board.body;
  EXPECT_EQ(board.json()["external_id"], "entra-7f3a");

  // Each organisation lists its own; staff list any, by organisation.
  auto listed = cust.get("/api/v1/groups").json()["items"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], group["id"]);
  auto agent = login("agent@p.test");
  EXPECT_EQ(agent.get("/api/v1/groups").json()["items"].size(), 2u);
  auto of_other = agent.get("/api/v1/groups?organization_id=" + id(other_)).json()["items"];
  ASSERT_EQ(of_other.size(), 1u);
  EXPECT_EQ(of_other[0]["id"], board.json()["id"]);
  EXPECT_EQ(agent.get("/api/v1/groups?colour=green").status, 422);
  auto first = agent.get("/api/v1/groups?limit=1").json();
  ASSERT_TRUE(first["next_cursor"].is_string());
  auto second =
      agent.get("/api/v1/groups?limit=1&cursor=" + first["next_cursor"].get<std::string>()).json();
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_NE(second["items"][0]["id"], first["items"][0]["id"]);

  // Removed, with an audit trail of every change.
  ASSERT_EQ(cust.del(path).status, 204);
  EXPECT_EQ(cust.get(path).status, 404);
  auto audit = admin_.get("/api/v1/audit?limit=20").body;
  for (auto action : {"group.create", "group.update", "group.delete"})
    EXPECT_NE(audit.find(action), std::string::npos) << action;
}

// Tenancy: another organisation's people, plain users and agents neither see nor change a group.
TEST_P(GroupsTest, NoOneOutsideTheOrganisationSeesOrChangesItsGroups) {
  auto group =
      admin_
          .post("/api/v1/groups",
                {{"name", "Drivers"}, {"organization_id", id(club_)}, {"member_ids", {id(chen_)}}})
          .json();
  auto path = "/api/v1/groups/" + id(group);
  auto etag = "\"v" + std::to_string(group["version"].get<int>()) + "\"";
  auto other_cust = login("cust@other.test");
  auto chen = login("chen@club.test");
  auto wu = login("wu@other.test");
  auto agent = login("agent@p.test");
  EXPECT_TRUE(other_cust.get("/api/v1/groups").json()["items"].empty());
  EXPECT_TRUE(
      other_cust.get("/api/v1/groups?organization_id=" + id(club_)).json()["items"].empty());
  expect_answers({
      {"reading it",
       [&](HttpClient& c) { return c.get(path); },
       {{&other_cust, 404}, {&chen, 404}, {&wu, 404}, {&agent, 200}}},
      {"listing",
       [&](HttpClient& c) { return c.get("/api/v1/groups"); },
       {{&chen, 403}, {&wu, 403}}},
      {"creating",
       [&](HttpClient& c) {
         return c.post("/api/v1/groups", {{"name", "Mine"}});
       },
       {{&chen, 403}, {&agent, 403}}},
      {"changing it",
       [&](HttpClient& c) {
         return c.patch(path, {{"name", "Taken over"}}, etag);
       },
       {{&other_cust, 404}, {&chen, 403}, {&agent, 403}}},
      {"removing it",
       [&](HttpClient& c) { return c.del(path); },
       {{&other_cust, 404}, {&chen, 403}, {&agent, 403}}},
  });
}

INSTANTIATE_TEST_SUITE_P(Stores, GroupsTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
