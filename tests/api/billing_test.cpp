// Charges and invoices over HTTP on every store (DESK-11): priced requests and usage records
// become charge lines; the monthly run bills tier fees prorated to the cent, including a tier
// changed mid-month; an invoice is a draft until issued; each organisation sees only its own.
#include <date/date.h>

#include "api/api_fixture.h"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;
using namespace date::literals;

std::string at(date::year_month_day day) { return date::format("%FT%TZ", date::sys_days(day)); }

class BillingTest : public ApiTest {
 protected:
  void SetUp() override {
    // February 2030, the 10th: January is a whole month behind, February under way.
    auto target = date::sys_days(2030_y / 2 / 10);
    server_.clock().advance(
        std::chrono::duration_cast<std::chrono::milliseconds>(target - server_.clock().now()));
    admin_ = server_.admin();
    club_ = create_org("Club");
    other_ = create_org("Other");
    member_ = create_user("member@club.test", "user", id(club_), "Passw0rd-test!",
                          {{"language", "zh-CN"}});
    create_user("treasurer@club.test", "customer", id(club_));
    create_user("b@other.test", "customer", id(other_));
    service_ = post("/api/v1/services", {{"name", "Car sharing"}});
    auto offering =
        post("/api/v1/offerings",
             {{"service_id", id(service_)}, {"name", "Membership"}, {"tier_change", "now"}});
    regular_ = post("/api/v1/offering-tiers", {{"offering_id", id(offering)},
                                               {"name", {{"en", "Regular"}, {"zh-CN", "常规会员"}}},
                                               {"monthly_fee", "30.00"},
                                               {"usage_prices", {{"booking", "2.00"}}}});
    premium_ = post("/api/v1/offering-tiers", {{"offering_id", id(offering)},
                                               {"name", "Premium"},
                                               {"monthly_fee", "50.00"},
                                               {"usage_prices", {{"booking", "1.00"}}}});
    post("/api/v1/entitlements", {{"service_id", id(service_)}, {"organization_id", id(club_)}});
    // January: Regular for ten days, then Premium (changed on the 11th).
    post("/api/v1/subscriptions", {{"tier_id", id(regular_)},
                                   {"organization_id", id(club_)},
                                   {"starts_at", at(2030_y / 1 / 1)},
                                   {"ends_at", at(2030_y / 1 / 11)}});
    premium_sub_ = post("/api/v1/subscriptions", {{"tier_id", id(premium_)},
                                                  {"organization_id", id(club_)},
                                                  {"starts_at", at(2030_y / 1 / 11)}});
  }

  Json post(const std::string& path, const Json& body) {
    auto r = admin_.post(path, body);
    EXPECT_EQ(r.status, 201) << path << ": " << r.body;
    return r.json();
  }

  HttpResponse usage(const Json& body) { return admin_.post("/api/v1/usage-records", body); }

  Json run(const std::string& period) {
    auto r = admin_.post("/api/v1/invoices/run?period=" + period, Json::object());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  // The run's draft for the organisation; null when there is none.
  static Json draft_of(const Json& run, const Json& org) {
    for (const auto& d : run["drafts"])
      if (d["organization_id"] == org["id"]) return d;
    return nullptr;
  }

  Json club_, other_, member_, service_, regular_, premium_, premium_sub_;
};

// DESK-11: fees prorated to the cent (a tier changed mid-month charges each its share), usage
// priced by the tier held when it happened, all on the month's draft.
TEST_P(BillingTest, AMonthsInvoiceBillsEachTiersShareAndTheMonthsUsage) {
  auto early = usage({{"organization_id", id(club_)},
                      {"user_id", id(member_)},
                      {"kind", "booking"},
                      {"occurred_at", at(2030_y / 1 / 5)},
                      {"reference", "bk-1"}});
  ASSERT_EQ(early.status, 201) << early.body;
  EXPECT_EQ(early.json()["amount"], "2.00") << "Regular's booking price on the 5th";
  auto later = usage({{"organization_id", id(club_)},
                      {"kind", "booking"},
                      {"quantity", 3},
                      {"occurred_at", at(2030_y / 1 / 15)},
                      {"reference", "bk-2"}});
  ASSERT_EQ(later.status, 201) << later.body;
  EXPECT_EQ(later.json()["unit_price"], "1.00") << "Premium's on the 15th";
  EXPECT_EQ(later.json()["amount"], "3.00");

  // Bad usage changes nothing.
  EXPECT_EQ(
      usage({{"organization_id", id(club_)}, {"kind", "booking"}, {"reference", "bk-1"}}).status,
      409)
      << "recorded once";
  EXPECT_EQ(problems(usage({{"organization_id", id(club_)}, {"kind", "parking"}})).count("kind"),
            1u);
  EXPECT_EQ(problems(usage({{"organization_id", id(other_)}, {"kind", "booking"}})).count("kind"),
            1u)
      << "holds no tier";
  EXPECT_EQ(
      problems(
          usage({{"organization_id", id(other_)}, {"user_id", id(member_)}, {"kind", "booking"}}))
          .count("user_id"),
      1u);
  EXPECT_EQ(problems(usage({{"organization_id", id(club_)}, {"kind", "booking"}, {"quantity", 0}}))
                .count("quantity"),
            1u);
  EXPECT_EQ(usage({{"organization_id", id(club_)},
                   {"kind", "booking"},
                   {"occurred_at", at(2030_y / 3 / 1)}})
                .status,
            422);

  auto january = run("2030-01");
  ASSERT_EQ(january["drafts"].size(), 1u)
      << "the other organisation owes nothing: " << january.dump();
  auto invoice = draft_of(january, club_);
  EXPECT_EQ(invoice["state"], "draft");
  EXPECT_TRUE(invoice["number"].is_null());
  auto lines = invoice["lines"];
  ASSERT_EQ(lines.size(), 4u) << lines.dump();
  EXPECT_EQ(lines[0]["kind"], "tier_fee");
  EXPECT_EQ(lines[0]["amount"], "9.68") << "30.00 × 10 / 31";
  EXPECT_EQ(lines[0]["label"], "Regular");
  EXPECT_EQ(lines[1]["amount"], "33.87") << "50.00 × 21 / 31";
  EXPECT_EQ(lines[1]["from"], "2030-01-11T00:00:00.000Z");
  EXPECT_EQ(lines[2]["amount"], "2.00");
  EXPECT_EQ(lines[3]["amount"], "3.00");
  EXPECT_EQ(invoice["total"], "48.55");

  // A run again rebuilds the draft: a usage recorded since is on it, nothing twice.
  ASSERT_EQ(usage({{"organization_id", id(club_)},
                   {"kind", "booking"},
                   {"occurred_at", at(2030_y / 1 / 31)}})
                .status,
            201);
  auto again = draft_of(run("2030-01"), club_);
  EXPECT_EQ(again["lines"].size(), 5u);
  EXPECT_EQ(again["total"], "49.55");
  EXPECT_EQ(admin_.get("/api/v1/invoices/" + id(invoice)).status, 404)
      << "the earlier draft is gone";
}

// DESK-11, ONB-6: a tier changed now, mid-February, splits the month; a priced request is a
// charge, voided when the request is cancelled; an issued invoice is numbered and frozen.
TEST_P(BillingTest, TierChangesRequestsAndIssuingAcrossTwoMonths) {
  auto january = draft_of(run("2030-01"), club_);
  auto issued = admin_.request("POST", "/api/v1/invoices/" + id(january) + "/issue", "",
                               {{"If-Match", january["etag"].get<std::string>()}});
  ASSERT_EQ(issued.status, 200) << issued.body;
  EXPECT_EQ(issued.json()["state"], "issued");
  EXPECT_EQ(issued.json()["number"], 1);
  auto stale = admin_.request("POST", "/api/v1/invoices/" + id(january) + "/issue", "",
                              {{"If-Match", january["etag"].get<std::string>()}});
  EXPECT_EQ(stale.status, 412);
  auto twice = admin_.request("POST", "/api/v1/invoices/" + id(january) + "/issue", "",
                              {{"If-Match", issued.header("etag")}});
  EXPECT_EQ(twice.status, 409);

  // Changed now, on 10 February: Premium for 9 days of 28, Regular for 19.
  auto change = admin_.post("/api/v1/subscriptions/" + id(premium_sub_) + "/tier-change",
                            {{"tier_id", id(regular_)}});
  ASSERT_EQ(change.status, 200) << change.body;
  // A usage recorded late for January goes on February's invoice: January's is issued.
  ASSERT_EQ(usage({{"organization_id", id(club_)},
                   {"kind", "booking"},
                   {"occurred_at", at(2030_y / 1 / 20)}})
                .status,
            201);
  auto priced = post("/api/v1/request-types",
                     {{"service_id", id(service_)}, {"name", "Charging card"}, {"price", "12.50"}});
  auto member = login("member@club.test");
  auto kept = member.post("/api/v1/requests", {{"request_type_id", id(priced)}});
  auto dropped = member.post("/api/v1/requests", {{"request_type_id", id(priced)}});
  ASSERT_EQ(kept.status, 201) << kept.body;
  ASSERT_EQ(dropped.status, 201);
  ASSERT_EQ(
      member.post("/api/v1/tickets/" + id(dropped.json()) + "/transitions", {{"to", "cancelled"}})
          .status,
      200);

  auto february_run = run("2030-02");
  ASSERT_EQ(february_run["issued"].size(), 0u);
  auto february = draft_of(february_run, club_);
  std::vector<std::string> amounts;
  for (const auto& l : february["lines"]) amounts.push_back(l["amount"].get<std::string>());
  EXPECT_EQ(amounts, (std::vector<std::string>{"16.07", "20.36", "1.00", "12.50"}))
      << february.dump();
  EXPECT_EQ(february["total"], "49.93");
  auto charges = admin_.get("/api/v1/charges?organization_id=" + id(club_) + "&period=2030-02")
                     .json()["items"];
  ASSERT_EQ(charges.size(), 2u) << charges.dump();
  int voided = 0;
  for (const auto& c : charges) voided += c["voided"].get<bool>();
  EXPECT_EQ(voided, 1) << "the cancelled request's charge";

  // January stays as issued when run again.
  auto rerun = run("2030-01");
  EXPECT_TRUE(rerun["drafts"].empty());
  ASSERT_EQ(rerun["issued"].size(), 1u);
  EXPECT_EQ(admin_.get("/api/v1/invoices/" + id(january)).json()["total"], "43.55")
      << "9.68 + 33.87, as issued";
}

// DESK-11: a charge is on one draft at a time; a month is issued once it has ended, and never
// with a charge voided since it was drafted.
TEST_P(BillingTest, DraftsNeverShareAChargeAndAStaleDraftIsNotIssued) {
  ASSERT_EQ(usage({{"organization_id", id(club_)},
                   {"kind", "booking"},
                   {"occurred_at", at(2030_y / 1 / 5)}})
                .status,
            201);
  auto january = draft_of(run("2030-01"), club_);
  ASSERT_EQ(january["lines"].size(), 3u);
  auto february = draft_of(run("2030-02"), club_);
  for (const auto& line : february["lines"])
    EXPECT_EQ(line["kind"], "tier_fee") << "January's booking stays on January's draft";
  EXPECT_EQ(admin_.get("/api/v1/invoices/" + id(january)).json()["lines"].size(), 3u);
  auto early = admin_.request("POST", "/api/v1/invoices/" + id(february) + "/issue", "",
                              {{"If-Match", february["etag"].get<std::string>()}});
  EXPECT_EQ(early.status, 409) << "February has not ended: " << early.body;

  auto priced = post("/api/v1/request-types",
                     {{"service_id", id(service_)}, {"name", "Charging card"}, {"price", "12.50"}});
  auto member = login("member@club.test");
  auto request = member.post("/api/v1/requests", {{"request_type_id", id(priced)}}).json();
  february = draft_of(run("2030-02"), club_);
  EXPECT_EQ(february["lines"].back()["amount"], "12.50");
  ASSERT_EQ(
      member.post("/api/v1/tickets/" + id(request) + "/transitions", {{"to", "cancelled"}}).status,
      200);

  server_.clock().advance(20 * 24h);  // into March
  admin_ = server_.admin();
  auto stale = admin_.request("POST", "/api/v1/invoices/" + id(february) + "/issue", "",
                              {{"If-Match", february["etag"].get<std::string>()}});
  EXPECT_EQ(stale.status, 409) << "its charge was voided since: " << stale.body;
  february = draft_of(run("2030-02"), club_);
  EXPECT_NE(february["lines"].back()["amount"], "12.50");
  auto issued = admin_.request("POST", "/api/v1/invoices/" + id(february) + "/issue", "",
                               {{"If-Match", february["etag"].get<std::string>()}});
  ASSERT_EQ(issued.status, 200) << issued.body;
  EXPECT_EQ(issued.json()["number"], 1);
}

// Tenancy and rights: a customer reads their organisation's issued invoices and charges only;
// the run and usage are the administrators'.
TEST_P(BillingTest, EachOrganisationSeesOnlyItsOwnIssuedInvoicesAndCharges) {
  ASSERT_EQ(usage({{"organization_id", id(club_)},
                   {"kind", "booking"},
                   {"occurred_at", at(2030_y / 1 / 5)}})
                .status,
            201);
  auto draft = draft_of(run("2030-01"), club_);
  auto treasurer = login("treasurer@club.test");
  auto outsider = login("b@other.test");
  auto member = login("member@club.test");
  expect_answers({
      {"a draft",
       [&](HttpClient& c) { return c.get("/api/v1/invoices/" + id(draft)); },
       {{&treasurer, 404}, {&outsider, 404}}},
      {"the run",
       [&](HttpClient& c) { return c.post("/api/v1/invoices/run?period=2030-01", Json::object()); },
       {{&treasurer, 403}, {&member, 403}}},
      {"usage",
       [&](HttpClient& c) {
         return c.post("/api/v1/usage-records",
                       {{"organization_id", id(club_)}, {"kind", "booking"}});
       },
       {{&treasurer, 403}}},
      {"invoices", [&](HttpClient& c) { return c.get("/api/v1/invoices"); }, {{&member, 403}}},
      {"charges", [&](HttpClient& c) { return c.get("/api/v1/charges"); }, {{&member, 403}}},
      {"issuing",
       [&](HttpClient& c) {
         return c.request("POST", "/api/v1/invoices/" + id(draft) + "/issue", "",
                          {{"If-Match", draft["etag"].get<std::string>()}});
       },
       {{&treasurer, 403}, {&outsider, 403}, {&member, 403}}},
  });
  EXPECT_TRUE(treasurer.get("/api/v1/invoices").json()["items"].empty())
      << "drafts are the provider's";
  auto issued = admin_.request("POST", "/api/v1/invoices/" + id(draft) + "/issue", "",
                               {{"If-Match", draft["etag"].get<std::string>()}});
  ASSERT_EQ(issued.status, 200);
  auto mine = treasurer.get("/api/v1/invoices/" + id(draft));
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json()["lines"][0]["label"], "Regular");
  EXPECT_EQ(outsider.get("/api/v1/invoices/" + id(draft)).status, 404);
  EXPECT_EQ(treasurer.get("/api/v1/invoices").json()["items"].size(), 1u);
  EXPECT_TRUE(outsider.get("/api/v1/invoices").json()["items"].empty());
  EXPECT_EQ(treasurer.get("/api/v1/charges").json()["items"].size(), 1u);
  EXPECT_TRUE(outsider.get("/api/v1/charges").json()["items"].empty());

  EXPECT_EQ(
      problems(admin_.post("/api/v1/invoices/run?period=2030-13", Json::object())).count("period"),
      1u);
  EXPECT_EQ(
      problems(admin_.post("/api/v1/invoices/run?period=2030-03", Json::object())).count("period"),
      1u)
      << "not begun";
  EXPECT_EQ(admin_.post("/api/v1/invoices/run", Json::object()).status, 422);
  EXPECT_EQ(admin_.get("/api/v1/charges?period=soon").status, 422);
}

INSTANTIATE_TEST_SUITE_P(Stores, BillingTest, ::testing::ValuesIn(store_kinds()));

}  // namespace
}  // namespace tandem::testing
