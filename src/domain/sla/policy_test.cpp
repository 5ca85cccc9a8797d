// DESK-3: which SLA policy applies — the first in order whose conditions all hold.
#include "domain/sla/policy.h"

#include <gtest/gtest.h>

namespace tandem::sla {
namespace {

using namespace std::chrono_literals;
namespace tk = ::tandem::tickets;

Policy policy(std::string id, PolicyConditions when) {
  Policy p;
  p.id = id;
  p.name = id;
  p.calendar_id = "cal_office";
  p.when = std::move(when);
  return p;
}

const char* matched(const std::vector<Policy>& policies, const PolicyFacts& facts, bool office_open = true) {
  auto open_at = [&](const std::string& calendar, Time) { return calendar == "cal_office" && office_open; };
  const Policy* p = match_policy(policies, facts, open_at);
  return p ? p->id.c_str() : "none";
}

TEST(PolicyMatch, TheFirstPolicyWhoseConditionsAllHoldApplies) {
  PolicyConditions vulnerable;
  vulnerable.vulnerable = true;
  PolicyConditions critical_incidents;
  critical_incidents.types = {tk::Type::incident};
  critical_incidents.priorities = {tk::Priority::critical, tk::Priority::high};
  PolicyConditions night;
  night.raised_outside_hours_of = "cal_office";
  PolicyConditions phone_campus;
  phone_campus.channels = {tk::Channel::phone};
  phone_campus.organization_ids = {"org_campus"};
  PolicyConditions printing;
  printing.service_ids = {"svc_print"};
  printing.impacts = {tk::Level::high};
  PolicyConditions repairs;
  repairs.user_flags = {identity::UserFlag::priority_repair};
  std::vector<Policy> policies = {policy("vulnerable", vulnerable), policy("critical", critical_incidents), policy("night", night),
                                  policy("phone", phone_campus),    policy("printing", printing),          policy("repairs", repairs),
                                  policy("default", {})};
  PolicyFacts plain{tk::Type::service_request, tk::Channel::portal, std::nullopt, "org_other", tk::Priority::medium,
                    tk::Level::medium, {}, Time{}};
  EXPECT_STREQ(matched(policies, plain), "default");
  auto flagged = plain;
  flagged.user_flags = {identity::UserFlag::accessibility_needs};
  EXPECT_STREQ(matched(policies, flagged), "vulnerable") << "first in order wins";
  auto high = plain;
  high.type = tk::Type::incident;
  high.priority = tk::Priority::high;
  EXPECT_STREQ(matched(policies, high), "critical");
  high.type = tk::Type::complaint;
  EXPECT_STREQ(matched(policies, high), "default") << "every condition must hold";
  EXPECT_STREQ(matched(policies, plain, /*office_open=*/false), "night");
  auto phoned = plain;
  phoned.channel = tk::Channel::phone;
  EXPECT_STREQ(matched(policies, phoned), "default") << "wrong organisation";
  phoned.organization_id = "org_campus";
  EXPECT_STREQ(matched(policies, phoned), "phone");
  auto printer = plain;
  printer.impact = tk::Level::high;
  EXPECT_STREQ(matched(policies, printer), "default") << "no service named";
  printer.service_id = "svc_print";
  EXPECT_STREQ(matched(policies, printer), "printing");
  std::vector<Policy> only_repairs = {policy("repairs", repairs)};
  auto repair = plain;
  repair.user_flags = {identity::UserFlag::accessible_formats, identity::UserFlag::priority_repair};
  EXPECT_STREQ(matched(only_repairs, repair), "repairs") << "any of the flags";
  EXPECT_STREQ(matched(only_repairs, flagged), "none");
  PolicyConditions not_vulnerable;
  not_vulnerable.vulnerable = false;
  std::vector<Policy> only_plain = {policy("plain", not_vulnerable)};
  EXPECT_STREQ(matched(only_plain, plain), "plain");
  EXPECT_STREQ(matched(only_plain, flagged), "none");
  // VIP is a flag of its own, not a vulnerability.
  auto vip = plain;
  vip.user_flags = {identity::UserFlag::vip};
  EXPECT_STREQ(matched(only_plain, vip), "plain");
  EXPECT_STREQ(matched(policies, vip), "default");
  PolicyConditions vips;
  vips.user_flags = {identity::UserFlag::vip};
  std::vector<Policy> vip_first = {policy("vip", vips), policy("default", {})};
  EXPECT_STREQ(matched(vip_first, vip), "vip");
  EXPECT_STREQ(matched(vip_first, flagged), "default");
}

// ONB-6: a policy for the holders of an offering tier ("Regular" members answered faster).
TEST(PolicyMatch, ATierConditionHoldsWhenTheTicketsHolderHasOneOfTheTiers) {
  PolicyConditions members;
  members.tier_ids = {"tier_regular", "tier_gold"};
  std::vector<Policy> policies = {policy("members", members), policy("default", {})};
  PolicyFacts facts{tk::Type::incident, tk::Channel::portal, std::nullopt, "org_club", tk::Priority::medium,
                    tk::Level::medium,  {},                   Time{},       {}};
  EXPECT_STREQ(matched(policies, facts), "default") << "no tier held";
  facts.tier_ids = {"tier_occasional"};
  EXPECT_STREQ(matched(policies, facts), "default");
  facts.tier_ids = {"tier_occasional", "tier_gold"};
  EXPECT_STREQ(matched(policies, facts), "members");
}

// DESK-5: a request type's agreed timeframe is the policy that names it.
TEST(PolicyMatch, ARequestTypeConditionHoldsForRequestsOfThoseTypesOnly) {
  PolicyConditions laptops;
  laptops.request_type_ids = {"rqt_laptop"};
  std::vector<Policy> policies = {policy("laptops", laptops), policy("default", {})};
  PolicyFacts facts{tk::Type::service_request, tk::Channel::portal, std::nullopt, "org_uni", tk::Priority::medium,
                    tk::Level::medium,         {},                   Time{},       {}};
  EXPECT_STREQ(matched(policies, facts), "default") << "not raised through the catalog";
  facts.request_type_id = "rqt_vpn";
  EXPECT_STREQ(matched(policies, facts), "default");
  facts.request_type_id = "rqt_laptop";
  EXPECT_STREQ(matched(policies, facts), "laptops");
}

// A shortlist answers as match_policy does for every service and request type.
TEST(PolicyShortlist, AnswersAsTheFullMatchForEachServiceAndRequestType) {
  PolicyConditions night, laptops, printing_service, org_other, incidents;
  night.raised_outside_hours_of = "cal_office";
  laptops.request_type_ids = {"rqt_laptop"};
  printing_service.service_ids = {"svc_print"};
  org_other.organization_ids = {"org_other"};
  incidents.types = {tk::Type::incident};
  std::vector<Policy> policies = {policy("night", night),       policy("laptops", laptops), policy("org_other", org_other),
                                  policy("incidents", incidents), policy("printing", printing_service), policy("default", {})};
  PolicyFacts common{tk::Type::service_request, tk::Channel::portal, std::nullopt, "org_uni", tk::Priority::medium,
                     tk::Level::medium,         {},                   Time{},       {}};
  for (bool open : {true, false}) {
    auto open_at = [&](const std::string& calendar, Time) { return calendar == "cal_office" && open; };
    PolicyShortlist shortlist(policies, common, open_at);
    for (std::optional<std::string> service : {std::optional<std::string>(), std::optional<std::string>("svc_print"),
                                               std::optional<std::string>("svc_other")})
      for (std::optional<std::string> type : {std::optional<std::string>(), std::optional<std::string>("rqt_laptop"),
                                              std::optional<std::string>("rqt_vpn")}) {
        auto facts = common;
        facts.service_id = service;
        facts.request_type_id = type;
        auto as_view = [](const std::optional<std::string>& o) {
          return o ? std::optional<std::string_view>(*o) : std::nullopt;
        };
        EXPECT_EQ(shortlist.first_for(as_view(service), as_view(type)), match_policy(policies, facts, open_at))
            << service.value_or("-") << " " << type.value_or("-") << " open " << open;
      }
  }
}

}  // namespace
}  // namespace tandem::sla
