#include <gtest/gtest.h>

#include <set>

#include "domain/catalog/approval.h"
#include "domain/catalog/entitlement.h"
#include "domain/catalog/form.h"

namespace tandem::catalog {
namespace {

LocalizedText text(std::string en, std::string zh = {}) {
  std::vector<std::pair<std::string, std::string>> t{{"en", std::move(en)}};
  if (!zh.empty()) t.emplace_back("zh-CN", std::move(zh));
  return *LocalizedText::make("label", std::move(t), 200);
}

FormField field(std::string key, FieldType type, bool required = false) {
  FormField f;
  f.key = std::move(key);
  f.type = type;
  f.label = text(f.key);
  f.required = required;
  return f;
}

FormField choice(std::string key, std::vector<std::string> values, bool required = true, FieldType type = FieldType::choice) {
  auto f = field(std::move(key), type, required);
  for (auto& v : values) f.options.push_back({v, {}, Money()});
  return f;
}

std::map<std::string, std::string> problems(const Error& e) {
  std::map<std::string, std::string> out;
  for (const auto& d : e.details) out[d.field] = d.problem;
  return out;
}

// The laptop form of the university IT catalog: a model, a reason, and a dock asked only for
// the larger model.
Form laptop_form() {
  auto model = choice("model", {"13-inch", "15-inch"});
  model.options[1].price = *Money::parse("200");
  auto dock = choice("dock", {"none", "usb_c"}, true);
  dock.show_when = ShowWhen{"model", {"15-inch"}};
  dock.options[1].price = *Money::parse("89.90");
  auto reason = field("reason", FieldType::text, true);
  reason.label = text("Reason", "理由");
  auto made = Form::make({model, dock, reason, field("budget", FieldType::money), field("needed_by", FieldType::date)});
  EXPECT_TRUE(made) << (made ? "" : made.error().details.front().field);
  return *made;
}

// REL-2: every wrong answer is named at once, each field by its key.
TEST(Form, NamesEveryWrongOrMissingAnswerAtOnce) {
  auto form = laptop_form();
  auto checked = form.check({{"model", Answer::of_text("17-inch")}, {"budget", Answer::of_text("12.345")},
                             {"needed_by", Answer::of_text("2026-02-30")}, {"colour", Answer::of_text("red")}},
                            "en");
  ASSERT_FALSE(checked);
  auto p = problems(checked.error());
  EXPECT_EQ(p.size(), 5u);
  EXPECT_EQ(p["answers.model"], "must be one of: 13-inch, 15-inch");
  EXPECT_EQ(p["answers.reason"], "is required");
  EXPECT_EQ(p["answers.budget"], "must be an amount such as \"12.50\"");
  EXPECT_EQ(p["answers.needed_by"], "must be a date such as 2026-12-01");
  EXPECT_EQ(p["answers.colour"], "is not a field of this form");
}

// ONB-11: the same problems in the user's language.
TEST(Form, SpeaksTheUsersLanguage) {
  auto checked = laptop_form().check({{"reason", Answer::of_text("   ")}}, "zh-CN");
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().message, "部分回答无效。");
  auto p = problems(checked.error());
  EXPECT_EQ(p["answers.model"], "必填");
  EXPECT_EQ(p["answers.reason"], "必填");
}

TEST(Form, AFieldsOwnMessageReplacesTheBuiltInOneInTheReadersLanguage) {
  auto seats = field("seats", FieldType::number, true);
  seats.min = 1;
  seats.max = 9;
  seats.message = text("Cars have 1 to 9 seats", "座位数为 1 到 9");
  auto form = *Form::make({seats});
  EXPECT_EQ(problems(form.check({{"seats", Answer::of_number(12, "12")}}, "zh-CN").error())["answers.seats"], "座位数为 1 到 9");
  EXPECT_EQ(problems(form.check({}, "en").error())["answers.seats"], "Cars have 1 to 9 seats");
  EXPECT_TRUE(form.check({{"seats", Answer::of_number(9, "9")}}, "en"));
}

// Conditional visibility: a hidden field is not required, and an answer to it is not kept.
TEST(Form, AHiddenFieldIsNeitherRequiredNorKept) {
  auto form = laptop_form();
  auto small = form.check({{"model", Answer::of_text("13-inch")}, {"reason", Answer::of_text("broken")},
                           {"dock", Answer::of_text("usb_c")}},
                          "en");
  ASSERT_TRUE(small);
  EXPECT_FALSE(small->contains("dock"));
  EXPECT_EQ(form.price_of(*small), Money());

  auto large = form.check({{"model", Answer::of_text("15-inch")}, {"reason", Answer::of_text("broken")}}, "en");
  ASSERT_FALSE(large);
  EXPECT_EQ(problems(large.error())["answers.dock"], "is required");
}

// Option prices add up into the request's price; money answers are kept with two decimals.
TEST(Form, PricesTheOptionsChosenAndKeepsMoneyExact) {
  auto form = laptop_form();
  auto checked = form.check({{"model", Answer::of_text("15-inch")}, {"dock", Answer::of_text("usb_c")},
                             {"reason", Answer::of_text("new hire")}, {"budget", Answer::of_number(1500.5, "1500.5")}},
                            "en");
  ASSERT_TRUE(checked);
  EXPECT_EQ(form.price_of(*checked).to_string(), "289.90");
  EXPECT_EQ(checked->at("budget"), Answer::of_text("1500.50"));
}

TEST(Form, ChecksEachTypesShape) {
  auto many = choice("extras", {"mouse", "bag"}, false, FieldType::multi_choice);
  many.options[0].price = *Money::parse("10");
  auto note = field("note", FieldType::text);
  note.max_length = 5;
  auto form = *Form::make({many, note, field("count", FieldType::number), field("owner", FieldType::user),
                           field("details", FieldType::long_text)});
  auto bad = form.check({{"extras", Answer::of_text("mouse")}, {"note", Answer::of_text("too long")},
                         {"count", Answer::of_text("3")}, {"owner", Answer::of_list({"x"})}, {"details", Answer{Answer::Kind::other}}},
                        "en");
  ASSERT_FALSE(bad);
  auto p = problems(bad.error());
  EXPECT_EQ(p["answers.extras"], "must be a list of options from: mouse, bag");
  EXPECT_EQ(p["answers.note"], "must be at most 5 bytes");
  EXPECT_EQ(p["answers.count"], "must be a number");
  EXPECT_EQ(p["answers.owner"], "must be the id of a user");
  EXPECT_EQ(p["answers.details"], "must be text");

  auto good = form.check({{"extras", Answer::of_list({"mouse", "mouse", "bag"})}, {"count", Answer::of_number(3, "3.0")}}, "en");
  ASSERT_TRUE(good);
  EXPECT_EQ(good->at("extras").list, (std::vector<std::string>{"mouse", "bag"}));
  EXPECT_EQ(good->at("count").text, "3");
  EXPECT_EQ(form.price_of(*good).to_string(), "10.00");
}

TEST(Form, RefusesAMalformedDefinitionNamingEachProblem) {
  auto dup = field("reason", FieldType::text);
  auto empty_choice = choice("model", {});
  auto bad_show = field("dock", FieldType::text);
  bad_show.show_when = ShowWhen{"later", {"x"}};
  auto later = choice("later", {"x", "x"});
  auto range = field("n", FieldType::number);
  range.min = 5;
  range.max = 1;
  auto options_on_text = field("Bad Key", FieldType::text);
  options_on_text.options.push_back({"a", {}, Money()});
  auto made = Form::make({field("reason", FieldType::text), dup, empty_choice, bad_show, later, range, options_on_text});
  ASSERT_FALSE(made);
  auto p = problems(made.error());
  EXPECT_EQ(p["form.fields[1].key"], "\"reason\" is the key of an earlier field");
  EXPECT_EQ(p["form.fields[2].options"], "a choice needs at least one option");
  EXPECT_EQ(p["form.fields[3].show_when.field"], "must be the key of an earlier choice or multi_choice field");
  EXPECT_EQ(p["form.fields[4].options[1].value"], "\"x\" is offered twice");
  EXPECT_EQ(p["form.fields[5].max"], "must not be below min");
  EXPECT_TRUE(p.contains("form.fields[6].key"));
  EXPECT_EQ(p["form.fields[6].options"], "only choice and multi_choice fields have options");

  auto shows = choice("model", {"a"});
  auto dock = field("dock", FieldType::text);
  dock.show_when = ShowWhen{"model", {"b"}};
  EXPECT_EQ(problems(Form::make({shows, dock}).error())["form.fields[1].show_when.equals"], "\"b\" is not an option of \"model\"");
}

TEST(FieldType, ReadsAndWritesEveryName) {
  for (auto name : {"text", "long_text", "number", "money", "choice", "multi_choice", "date", "user", "file"})
    EXPECT_EQ(to_string(*parse_field_type(name)), name);
  EXPECT_FALSE(parse_field_type("picture"));
}

// REL-2: a file field names uploads — one, or a list up to its max_files — kept as a list.
TEST(Form, AFileFieldTakesUploadIdsUpToItsMostFiles) {
  auto photo = field("photo", FieldType::file, true);
  auto papers = field("papers", FieldType::file);
  papers.max_files = 3;
  auto form = *Form::make({photo, papers});
  auto one = form.check({{"photo", Answer::of_text("upl_1")}, {"papers", Answer::of_list({"upl_2", "upl_3", "upl_2"})}}, "en");
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one->at("photo").list, (std::vector<std::string>{"upl_1"}));
  EXPECT_EQ(one->at("papers").list, (std::vector<std::string>{"upl_2", "upl_3"}));
  auto bad = form.check({{"photo", Answer::of_list({"upl_1", "upl_2"})}, {"papers", Answer::of_number(4, "4")}}, "zh-CN");
  ASSERT_FALSE(bad);
  auto p = problems(bad.error());
  EXPECT_EQ(p["answers.photo"], "必须是上传文件的 ID，或至多 1 个 ID 的列表");
  EXPECT_EQ(p["answers.papers"], "必须是上传文件的 ID，或至多 3 个 ID 的列表");
  EXPECT_EQ(problems(form.check({}, "en").error())["answers.photo"], "is required");

  auto text = field("note", FieldType::text);
  text.max_files = 2;
  auto many = field("scans", FieldType::file);
  many.max_files = kMaxFilesPerField + 1;
  auto made = Form::make({text, many});
  ASSERT_FALSE(made);
  EXPECT_EQ(problems(made.error())["form.fields[0].max_files"], "only file fields have max_files");
  EXPECT_EQ(problems(made.error())["form.fields[1].max_files"], "must be at most 10");
}

// DESK-5: the entitlement matrix — organisation × tier × role decides what a reader sees and
// may request.
TEST(Entitlements, OrganisationAndRoleDecideWhatIsSeenTierAndRequirementsWhatMayBeRequested) {
  using identity::Role;
  Entitlements rules({
      {"r1", "svc_laptops", "org_uni", std::nullopt, "", {}},           // the whole service, for Uni
      {"r2", "rt_phone", "", Role::customer, "", {}},                   // one type, any org's customers
      {"r3", "rt_premium_car", "org_club", std::nullopt, "tier_regular", {}},
      {"r4", "rt_premium_car", "org_club", std::nullopt, "tier_gold", {"req_licence"}},
  });
  CatalogReader uni_user{"org_uni", {Role::user}, {}, {}};
  CatalogReader other_user{"org_other", {Role::user}, {}, {}};
  CatalogReader other_customer{"org_other", {Role::customer}, {}, {}};
  CatalogReader occasional{"org_club", {Role::user}, {"tier_occasional"}, {}};
  CatalogReader regular{"org_club", {Role::user}, {"tier_regular"}, {}};

  auto laptop = rules.of_request_type("svc_laptops", "rt_laptop", uni_user);
  EXPECT_TRUE(laptop.visible && laptop.eligible);
  EXPECT_FALSE(rules.of_request_type("svc_laptops", "rt_laptop", other_user).visible);
  EXPECT_TRUE(rules.of_service("svc_laptops", uni_user).visible);
  EXPECT_FALSE(rules.of_service("svc_laptops", other_user).visible);

  EXPECT_FALSE(rules.of_request_type("svc_phones", "rt_phone", other_user).visible);
  EXPECT_TRUE(rules.of_request_type("svc_phones", "rt_phone", other_customer).eligible);
  EXPECT_FALSE(rules.of_request_type("svc_phones", "rt_unruled", other_customer).visible);

  auto premium = rules.of_request_type("svc_cars", "rt_premium_car", occasional);
  EXPECT_TRUE(premium.visible);
  EXPECT_FALSE(premium.eligible);
  EXPECT_EQ(premium.missing, (std::vector<Missing>{{Missing::Kind::tier, "tier_regular"}}));  // the rule needing least
  auto upgraded = rules.of_request_type("svc_cars", "rt_premium_car", regular);
  EXPECT_TRUE(upgraded.eligible);
  EXPECT_TRUE(upgraded.missing.empty());
  CatalogReader gold{"org_club", {Role::user}, {"tier_gold"}, {"req_licence"}};
  EXPECT_TRUE(rules.of_request_type("svc_cars", "rt_premium_car", gold).eligible);
  CatalogReader gold_unlicensed{"org_club", {Role::user}, {"tier_gold"}, {}};
  // Each rule needs one more thing: the earlier rule is the one named.
  EXPECT_EQ(rules.of_request_type("svc_cars", "rt_premium_car", gold_unlicensed).missing,
            (std::vector<Missing>{{Missing::Kind::tier, "tier_regular"}}));
}

// A rule naming a group holds for its members only, whatever else they hold.
TEST(Entitlements, AGroupRuleShowsItsItemsToTheGroupsMembersOnly) {
  using identity::Role;
  Entitlements rules({{"r1", "rt_pool_car", "org_club", std::nullopt, "", {}, "grp_drivers"},
                      {"r2", "rt_van", "", Role::customer, "", {}, "grp_fleet"}});
  CatalogReader driver{"org_club", {Role::user}, {}, {}, {"grp_drivers"}};
  CatalogReader walker{"org_club", {Role::user}, {}, {}, {"grp_walkers"}};
  CatalogReader fleet_user{"org_club", {Role::user}, {}, {}, {"grp_fleet"}};
  CatalogReader fleet_customer{"org_club", {Role::customer}, {}, {}, {"grp_fleet"}};
  EXPECT_TRUE(rules.of_request_type("svc_cars", "rt_pool_car", driver).eligible);
  EXPECT_FALSE(rules.of_request_type("svc_cars", "rt_pool_car", walker).visible);
  EXPECT_FALSE(rules.of_request_type("svc_cars", "rt_van", fleet_user).visible) << "the role is needed too";
  EXPECT_TRUE(rules.of_request_type("svc_cars", "rt_van", fleet_customer).visible);
}

TEST(Entitlements, NoRuleMeansNobodyOnTheConsumerSideSeesIt) {
  Entitlements none;
  EXPECT_FALSE(none.of_request_type("svc", "rt", {"org", {identity::Role::customer}, {}, {}}).visible);
}

// DESK-5: any-of steps are decided by the first decision; all-of steps need every approver;
// one rejection rejects either.
TEST(Approval, AStepIsDecidedByAnyOrByAllOfItsApprovers) {
  using D = Decision;
  auto state = [](bool all, std::vector<D> d) { return step_state(all, d); };
  EXPECT_EQ(state(false, {D::pending, D::pending}), StepState::pending);
  EXPECT_EQ(state(false, {D::pending, D::approved}), StepState::approved);
  EXPECT_EQ(state(false, {D::rejected, D::pending}), StepState::rejected);
  EXPECT_EQ(state(true, {D::approved, D::pending}), StepState::pending);
  EXPECT_EQ(state(true, {D::approved, D::approved}), StepState::approved);
  EXPECT_EQ(state(true, {D::approved, D::rejected}), StepState::rejected);
  EXPECT_EQ(state(true, {}), StepState::pending) << "a step no one can decide never passes";
  for (auto name : {"role", "user", "team", "customer"}) EXPECT_EQ(to_string(*parse_approver_kind(name)), name);
  EXPECT_EQ(parse_decision("approve"), D::approved);
  EXPECT_EQ(parse_decision("reject"), D::rejected);
  EXPECT_FALSE(parse_decision("maybe"));
}

}  // namespace
}  // namespace tandem::catalog
