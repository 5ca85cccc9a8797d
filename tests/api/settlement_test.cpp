// OFF-2 over HTTP on every store: the money side of leaving. A member who paid their month ahead
// and leaves mid-month gets a credit note for the whole days left; an organisation that paid its
// year ahead leaves with its usage, an exit fee and the rest of the year settled on one document;
// a month paid in arrears is charged to the leaving hour; nothing owed is a final invoice of zero;
// the monthly run never charges settled or prepaid time again; only the provider ends a customer.
#include <date/date.h>

#include "api/api_fixture.h"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;
using namespace date::literals;

std::string at(date::year_month_day day, std::chrono::hours hour = 0h) {
  return date::format("%FT%TZ", date::sys_days(day) + hour);
}

class SettlementTest : public ApiTest {
 protected:
  void SetUp() override {
    // 16 November 2030, 10:00 UTC: October is behind, November (30 days) half gone.
    auto target = date::sys_days(2030_y / 11 / 16) + 10h;
    server_.clock().advance(std::chrono::duration_cast<std::chrono::milliseconds>(target - server_.clock().now()));
    admin_ = server_.admin();
    club_ = create_org("Greenway Car-share Club");
    other_ = create_org("Other Org");
    member_ = create_user("member@club.test", "user", id(club_), "Passw0rd-test!", {{"language", "zh-CN"}});
    treasurer_ = create_user("treasurer@club.test", "customer", id(club_));
    create_user("cust@other.test", "customer", id(other_));
    create_user("agent@provider.test", "agent", "");
    auto service = post("/api/v1/services", {{"name", "Car sharing"}});
    auto offering = post("/api/v1/offerings", {{"service_id", id(service)}, {"name", "Membership"}, {"tier_change", "now"}});
    regular_ = post("/api/v1/offering-tiers", {{"offering_id", id(offering)},
                                               {"name", {{"en", "Regular"}, {"zh-CN", "常规会员"}}},
                                               {"monthly_fee", "99.00"},
                                               {"usage_prices", {{"booking", "2.00"}}}});
    free_ = post("/api/v1/offering-tiers", {{"offering_id", id(offering)}, {"name", "Summer"}, {"monthly_fee", "0.00"}});
    post("/api/v1/entitlements", {{"service_id", id(service)}, {"organization_id", id(club_)}});
  }

  Json post(const std::string& path, const Json& body) {
    auto r = admin_.post(path, body);
    EXPECT_EQ(r.status, 201) << path << ": " << r.body;
    return r.json();
  }

  Json subscribe(const Json& tier, const std::optional<std::string>& user_id, const std::string& from) {
    Json body = {{"tier_id", id(tier)}, {"organization_id", id(club_)}, {"starts_at", from}};
    if (user_id) body["user_id"] = *user_id;
    return post("/api/v1/subscriptions", body);
  }

  // October run and issued: the month before is paid.
  void issue_october() {
    auto run = admin_.post("/api/v1/invoices/run?period=2030-10", Json::object());
    ASSERT_EQ(run.status, 200) << run.body;
    auto drafts = run.json()["drafts"];
    ASSERT_EQ(drafts.size(), 1u) << run.body;
    for (const auto& d : drafts) {
      auto issued = admin_.post("/api/v1/invoices/" + d["id"].get<std::string>() + "/issue", Json::object(),
                                {{"If-Match", d["etag"].get<std::string>()}});
      ASSERT_EQ(issued.status, 200) << issued.body;
    }
  }

  Json finish_all(const Json& record) {
    Json last = record;
    for (auto key : {"users", "notify", "settlement", "export", "record"}) {
      auto r = admin_.post("/api/v1/offboardings/" + id(record) + "/steps/" + key + "/transitions", {{"to", "done"}});
      EXPECT_EQ(r.status, 200) << key << ": " << r.body;
      last = r.json();
    }
    return last;
  }

  static std::string summary(const Json& settlement) {
    std::string out;
    for (const auto& l : settlement["lines"])
      out += l["kind"].get<std::string>() + " " + l["amount"]["amount"].get<std::string>() + "; ";
    return out + "total " + settlement["total"]["amount"].get<std::string>();
  }

  Json club_, other_, member_, treasurer_, regular_, free_;
};

// The car-share story (OFF-2, seed 7.6): a member who paid November ahead leaves on the 16th and
// is credited the 14 whole days left, on a numbered credit note the club's customer can read.
TEST_P(SettlementTest, AMemberLeavingMidMonthIsCreditedTheDaysLeftOfAPrepaidMonth) {
  auto sub = subscribe(regular_, id(member_), at(2030_y / 10 / 1));
  issue_october();
  auto prepaid = admin_.post("/api/v1/prepayments", {{"subscription_id", id(sub)}, {"from", "2030-11"}, {"months", 1}});
  ASSERT_EQ(prepaid.status, 201) << prepaid.body;
  EXPECT_EQ(prepaid.json()["purpose"], "prepayment");
  EXPECT_EQ(prepaid.json()["state"], "issued");
  EXPECT_EQ(prepaid.json()["total"], "99.00") << "the monthly fee × 1";
  EXPECT_EQ(admin_.post("/api/v1/prepayments", {{"subscription_id", id(sub)}, {"from", "2030-11"}, {"months", 2}}).status, 409)
      << "November is paid already";

  auto record = admin_.post("/api/v1/users/" + id(member_) + "/offboarding", {{"reason", "graduated"}});
  ASSERT_EQ(record.status, 201) << record.body;
  auto settlement = record.json()["settlement"];
  EXPECT_EQ(summary(settlement), "prepaid_credit -46.20; total -46.20") << "99.00 × 14 / 30, half to even";
  EXPECT_EQ(settlement["total"]["currency"], "CNY");
  EXPECT_EQ(settlement["document"]["kind"], "credit_note");
  EXPECT_EQ(settlement["lines"][0]["description"], "Unused prepaid fee: Regular (2030-11-17 – 2030-11-30)");
  create_user("rm@provider.test", "relationship_manager", "", "Passw0rd-test!", {{"language", "zh-CN"}});
  auto in_chinese = login("rm@provider.test").get("/api/v1/offboardings/" + id(record.json())).json()["settlement"];
  EXPECT_EQ(in_chinese["lines"][0]["description"], "预付费用退还：常规会员 (2030-11-17 – 2030-11-30)") << "in the reader's language";
  EXPECT_EQ(in_chinese["total"], settlement["total"]);

  auto treasurer = login("treasurer@club.test");
  auto note = treasurer.get("/api/v1/invoices/" + settlement["document"]["id"].get<std::string>());
  ASSERT_EQ(note.status, 200) << note.body;
  EXPECT_EQ(note.json()["purpose"], "settlement");
  EXPECT_EQ(note.json()["kind"], "credit_note");
  EXPECT_EQ(note.json()["total"], "-46.20");
  EXPECT_TRUE(note.json()["number"].is_number_integer());
  EXPECT_EQ(login("cust@other.test").get("/api/v1/invoices/" + id(note.json())).status, 404);

  // November's run charges the member nothing more: the month was paid and settled.
  auto november = admin_.post("/api/v1/invoices/run?period=2030-11", Json::object());
  ASSERT_EQ(november.status, 200) << november.body;
  EXPECT_EQ(november.json()["drafts"].size(), 0u) << november.json().dump();
}

// A year paid at once; usage not yet invoiced; an exit fee agreed. The organisation leaves: its
// people lose access at once, and one credit note settles all of it.
TEST_P(SettlementTest, AnOrganisationLeavingSettlesItsPrepaidYearUsageAndExitFeeOnOneDocument) {
  auto sub = subscribe(regular_, std::nullopt, at(2030_y / 9 / 1));
  auto year = admin_.post("/api/v1/prepayments", {{"subscription_id", id(sub)}, {"from", "2030-09"}, {"months", 12}, {"amount", "1000.00"}});
  ASSERT_EQ(year.status, 201) << year.body;
  auto october = admin_.post("/api/v1/invoices/run?period=2030-10", Json::object());
  EXPECT_EQ(october.json()["drafts"].size(), 0u) << "the prepaid year is not charged again: " << october.body;
  ASSERT_EQ(admin_.post("/api/v1/usage-records", {{"organization_id", id(club_)}, {"user_id", id(member_)}, {"kind", "booking"},
                                                 {"quantity", 2}, {"occurred_at", at(2030_y / 11 / 3)}})
                .status,
            201);
  auto member = login("member@club.test");
  ASSERT_EQ(member.get("/api/v1/me").status, 200);

  auto start = admin_.post("/api/v1/organizations/" + id(club_) + "/offboarding",
                           {{"reason", "contract not renewed"},
                            {"exit_payments", {{{"description", "Early termination"}, {"amount", "150.00"}}}}});
  ASSERT_EQ(start.status, 201) << start.body;
  EXPECT_EQ(start.json()["kind"], "organization");
  EXPECT_TRUE(start.json()["settlement"]["document"].is_null()) << "shown as things stand; issued at its step";
  EXPECT_EQ(member.get("/api/v1/me").status, 401) << "the member's access ended with the start";
  EXPECT_EQ(server_.client().login("treasurer@club.test", "Passw0rd-test!").status, 401);
  auto people = admin_.get("/api/v1/offboardings?organization_id=" + id(club_) + "&limit=10").json()["items"];
  std::size_t personal = 0;
  for (const auto& p : people) personal += p["kind"] == "user" && p["facts"]["part_of"] == start.json()["id"];
  EXPECT_EQ(personal, 2u) << "each person has a record of their own";
  EXPECT_EQ(admin_.post("/api/v1/organizations/" + id(club_) + "/offboarding", {{"reason", "again"}}).status, 409);

  // Nobody but the provider's managers takes it further; another organisation learns nothing of it.
  auto step = "/api/v1/offboardings/" + id(start.json()) + "/steps/notify/transitions";
  auto other = login("cust@other.test");
  EXPECT_EQ(other.get("/api/v1/offboardings/" + id(start.json())).status, 404);
  EXPECT_EQ(other.post(step, {{"to", "done"}}).status, 404);
  EXPECT_EQ(login("agent@provider.test").post(step, {{"to", "done"}}).status, 403);
  auto done = finish_all(start.json());
  EXPECT_EQ(done["status"], "completed");
  auto settlement = done["settlement"];
  // 17 November 2030 to 1 September 2031: 288 of the year's 365 days; 1000 × 288 / 365 = 789.04.
  EXPECT_EQ(summary(settlement), "charge 4.00; exit_payment 150.00; prepaid_credit -789.04; total -635.04");
  EXPECT_EQ(settlement["document"]["kind"], "credit_note");
  auto document = admin_.get("/api/v1/invoices/" + settlement["document"]["id"].get<std::string>()).json();
  EXPECT_EQ(document["offboarding_id"], start.json()["id"]);
  EXPECT_EQ(document["lines"].size(), 3u);
  EXPECT_EQ(admin_.get("/api/v1/charges?organization_id=" + id(club_)).json()["items"][0]["invoice_id"], document["id"])
      << "the usage is settled on it, not left for a monthly run";
  auto november = admin_.post("/api/v1/invoices/run?period=2030-11", Json::object());
  EXPECT_EQ(november.json()["drafts"].size(), 0u) << november.body;
}

// Paid in arrears: the month is charged to the leaving hour, like its invoice would have been.
TEST_P(SettlementTest, AMonthInArrearsIsChargedToTheLeavingHour) {
  subscribe(regular_, std::nullopt, at(2030_y / 10 / 1));
  issue_october();
  auto start = admin_.post("/api/v1/organizations/" + id(club_) + "/offboarding", {{"reason", "moving on"}});
  ASSERT_EQ(start.status, 201) << start.body;
  auto settlement = finish_all(start.json())["settlement"];
  // 15 days and 10 hours of November's 30 days: 99.00 × 370 / 720 = 50.875 → 50.88.
  EXPECT_EQ(summary(settlement), "tier_fee 50.88; total 50.88");
  EXPECT_EQ(settlement["document"]["kind"], "invoice");
}

TEST_P(SettlementTest, NothingOwedEitherWayIsAFinalInvoiceOfZero) {
  subscribe(free_, std::nullopt, at(2030_y / 6 / 1));
  auto start = admin_.post("/api/v1/organizations/" + id(club_) + "/offboarding", {{"reason", "合同到期"}});
  ASSERT_EQ(start.status, 201) << start.body;
  auto settlement = finish_all(start.json())["settlement"];
  EXPECT_EQ(summary(settlement), "total 0.00");
  EXPECT_EQ(settlement["document"]["kind"], "invoice");
  auto document = admin_.get("/api/v1/invoices/" + settlement["document"]["id"].get<std::string>());
  EXPECT_EQ(document.json()["total"], "0.00");
}

// Only the provider ends a customer's service; bad input is refused and changes nothing.
TEST_P(SettlementTest, OnlyTheProviderOffboardsAnOrganisationAndBadInputChangesNothing) {
  auto sub = subscribe(regular_, std::nullopt, at(2030_y / 10 / 1));
  auto treasurer = login("treasurer@club.test");
  auto other = login("cust@other.test");
  auto agent = login("agent@provider.test");
  auto before = audit_count();
  auto path = "/api/v1/organizations/" + id(club_) + "/offboarding";
  EXPECT_EQ(other.post(path, {{"reason", "not mine"}}).status, 404);
  EXPECT_EQ(treasurer.post(path, {{"reason", "we leave"}}).status, 403);
  EXPECT_EQ(agent.post(path, {{"reason", "no"}}).status, 403);
  EXPECT_EQ(admin_.post(path, Json::object()).status, 422);
  auto bad = admin_.post(path, {{"reason", "x"}, {"exit_payments", {{{"description", "Fee"}, {"amount", "12.345"}}}}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(problems(bad).count("exit_payments[0].amount"), 1u) << bad.body;
  EXPECT_EQ(admin_.post(path, {{"reason", "x"}, {"exit_payments", {{{"description", "Fee"}, {"amount", 12.5}}}}}).status, 422)
      << "money is never a float";
  auto provider = admin_.get("/api/v1/me").json()["organization_id"].get<std::string>();
  EXPECT_EQ(admin_.post("/api/v1/organizations/" + provider + "/offboarding", {{"reason", "x"}}).status, 409);
  // Prepayments: the provider's to record, whole months, a decimal amount.
  EXPECT_EQ(treasurer.post("/api/v1/prepayments", {{"subscription_id", id(sub)}, {"from", "2030-12"}}).status, 403);
  EXPECT_EQ(agent.post("/api/v1/prepayments", {{"subscription_id", id(sub)}, {"from", "2030-12"}}).status, 403);
  EXPECT_EQ(other.post("/api/v1/prepayments", {{"subscription_id", id(sub)}, {"from", "2030-12"}}).status, 403);
  EXPECT_EQ(problems(admin_.post("/api/v1/prepayments", {{"subscription_id", id(sub)}, {"from", "2030-12"}, {"months", 0}})).count("months"), 1u);
  EXPECT_EQ(problems(admin_.post("/api/v1/prepayments", {{"subscription_id", id(sub)}, {"from", "December"}})).count("from"), 1u);
  EXPECT_EQ(problems(admin_.post("/api/v1/prepayments", {{"subscription_id", id(sub)}, {"from", "2030-12"}, {"amount", "-1.00"}})).count("amount"), 1u);
  EXPECT_EQ(problems(admin_.post("/api/v1/prepayments", {{"subscription_id", "sub_nope"}, {"from", "2030-12"}})).count("subscription_id"), 1u);
  EXPECT_EQ(audit_count(), before) << "no refused call wrote anything";
  EXPECT_EQ(login("member@club.test").get("/api/v1/me").status, 200) << "nobody lost access";
  EXPECT_EQ(admin_.get("/api/v1/offboardings?organization_id=" + id(club_)).json()["items"].size(), 0u);
}

// OFF-4: before leaving from the portal, a member is offered the cheaper tiers of what they hold
// (the car-share story: the tier without a monthly fee for the summer); leaving by themselves
// ends their access at once and settles what they paid ahead.
TEST_P(SettlementTest, AMemberLeavingByThemselvesIsOfferedACheaperTierFirst) {
  auto sub = subscribe(regular_, id(member_), at(2030_y / 10 / 1));
  issue_october();
  ASSERT_EQ(admin_.post("/api/v1/prepayments", {{"subscription_id", id(sub)}, {"from", "2030-11"}, {"months", 1}}).status, 201);
  auto member = login("member@club.test");
  auto offers = member.get("/api/v1/me/leaving");
  ASSERT_EQ(offers.status, 200) << offers.body;
  auto list = offers.json()["offers"];
  ASSERT_EQ(list.size(), 1u) << offers.body;
  EXPECT_EQ(list[0]["tier_id"], id(free_));
  EXPECT_EQ(list[0]["monthly_fee"], (Json{{"amount", "0.00"}, {"currency", "CNY"}}));
  EXPECT_EQ(list[0]["current"]["name"], "常规会员") << "in the member's language";
  EXPECT_TRUE(login("treasurer@club.test").get("/api/v1/me/leaving").json()["offers"].empty()) << "holds no tier of their own";

  EXPECT_EQ(member.post("/api/v1/me/leaving", Json::object()).status, 422);
  EXPECT_EQ(login("agent@provider.test").post("/api/v1/me/leaving", {{"reason", "x"}}).status, 403);
  auto left = member.post("/api/v1/me/leaving", {{"reason", "graduated, leaving town"}});
  ASSERT_EQ(left.status, 201) << left.body;
  EXPECT_EQ(left.json()["subject_id"], id(member_));
  EXPECT_EQ(left.json()["settlement"]["document"]["kind"], "credit_note");
  EXPECT_EQ(left.json()["settlement"]["total"]["amount"], "-46.20");
  EXPECT_EQ(member.get("/api/v1/me").status, 401) << "access ends at once";
}

// Settled once: a member who left alone is not credited again when the organisation leaves, and a
// month's draft overtaken by a settlement or a prepayment is refused until the month is run again.
TEST_P(SettlementTest, NothingIsSettledOrChargedTwice) {
  auto own = subscribe(regular_, id(member_), at(2030_y / 10 / 1));
  issue_october();
  ASSERT_EQ(admin_.post("/api/v1/prepayments", {{"subscription_id", id(own)}, {"from", "2030-11"}, {"months", 1}}).status, 201);
  auto club_sub = subscribe(regular_, std::nullopt, at(2030_y / 11 / 1));
  // November's draft holds the club's own fee (the member's month is paid).
  auto november = admin_.post("/api/v1/invoices/run?period=2030-11", Json::object()).json();
  auto drafts = november["drafts"];
  ASSERT_EQ(drafts.size(), 1u) << november.dump();
  // A prepayment now overtakes the draft: issuing it would charge November twice.
  ASSERT_EQ(admin_.post("/api/v1/prepayments", {{"subscription_id", id(club_sub)}, {"from", "2030-11"}, {"months", 1}}).status, 201);
  server_.clock().advance(std::chrono::hours(24 * 14 + 14));  // 1 December, 00:00: November may be issued
  admin_ = server_.admin();                                     // a session of two weeks ago has ended
  auto stale = admin_.post("/api/v1/invoices/" + drafts[0]["id"].get<std::string>() + "/issue", Json::object(),
                           {{"If-Match", drafts[0]["etag"].get<std::string>()}});
  EXPECT_EQ(stale.status, 409) << stale.body;
  auto rerun = admin_.post("/api/v1/invoices/run?period=2030-11", Json::object()).json();
  EXPECT_EQ(rerun["drafts"].size(), 0u) << "both fees are paid: nothing left to charge: " << rerun.dump();
  EXPECT_EQ(admin_.post("/api/v1/prepayments", {{"subscription_id", id(club_sub)}, {"from", "2030-10"}, {"months", 1}}).status, 422)
      << "no month before the subscription begins";

  // At midnight on 1 December the member leaves alone, then the club: November was paid for both
  // and nothing of December held yet, so nothing is owed either way.
  auto member_left = admin_.post("/api/v1/users/" + id(member_) + "/offboarding", {{"reason", "graduated"}});
  ASSERT_EQ(member_left.status, 201) << member_left.body;
  EXPECT_TRUE(member_left.json()["settlement"].is_null()) << "nothing to settle: " << member_left.body;
  auto club_left = admin_.post("/api/v1/organizations/" + id(club_) + "/offboarding", {{"reason", "closing"}});
  ASSERT_EQ(club_left.status, 201) << club_left.body;
  auto settlement = finish_all(club_left.json())["settlement"];
  EXPECT_EQ(summary(settlement), "total 0.00") << settlement.dump();
}

// The member's own year paid ahead is credited once: by the member's leaving, not again by the
// organisation's.
TEST_P(SettlementTest, AMemberSettledAloneIsNotCreditedAgainWhenTheOrganisationLeaves) {
  auto own = subscribe(regular_, id(member_), at(2030_y / 11 / 1));
  ASSERT_EQ(admin_.post("/api/v1/prepayments", {{"subscription_id", id(own)}, {"from", "2030-11"}, {"months", 12}, {"amount", "1000.00"}})
                .status,
            201);
  auto member_left = admin_.post("/api/v1/users/" + id(member_) + "/offboarding", {{"reason", "graduated"}}).json();
  EXPECT_EQ(member_left["settlement"]["document"]["kind"], "credit_note") << member_left.dump();
  auto club_left = admin_.post("/api/v1/organizations/" + id(club_) + "/offboarding", {{"reason", "closing"}});
  ASSERT_EQ(club_left.status, 201) << club_left.body;
  EXPECT_EQ(summary(finish_all(club_left.json())["settlement"]), "total 0.00");
}

INSTANTIATE_TEST_SUITE_P(Stores, SettlementTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
