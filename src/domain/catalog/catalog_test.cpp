#include <gtest/gtest.h>

#include <array>
#include <numeric>

#include "domain/catalog/localized_text.h"
#include "domain/catalog/money.h"

namespace tandem::catalog {
namespace {

LocalizedText text(std::vector<std::pair<std::string, std::string>> translations) {
  auto made = LocalizedText::make("name", std::move(translations), 200);
  EXPECT_TRUE(made) << made.error().message;
  return made ? *made : LocalizedText();
}

std::vector<std::string> fields_of(const Error& e) {
  std::vector<std::string> out;
  for (const auto& d : e.details) out.push_back(d.field);
  return out;
}

// ONB-11: read in the reader's language, else English, else whatever there is.
TEST(LocalizedText, ReadsInTheLanguageAskedThenEnglishThenAnyOther) {
  auto both = text({{"en", "Laptop"}, {"zh-CN", "笔记本电脑"}});
  EXPECT_EQ(both.in("zh-CN"), "笔记本电脑");
  EXPECT_EQ(both.in("en"), "Laptop");
  EXPECT_EQ(both.in("fr"), "Laptop");
  auto english = text({{"en", "VPN access"}});
  EXPECT_EQ(english.in("zh-CN"), "VPN access");
  EXPECT_FALSE(english.has("zh-CN"));
  auto chinese = text({{"zh-CN", "充电卡"}});
  EXPECT_EQ(chinese.in("en"), "充电卡");
  EXPECT_EQ(LocalizedText().in("en"), "");
}

TEST(LocalizedText, EveryBadTranslationIsNamedWithItsLanguage) {
  auto made = LocalizedText::make("description", {{"en", "  \t"}, {"fr", "Bonjour"}, {"zh-CN", std::string(201, 'x')}}, 200);
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().code, Code::invalid_argument);
  EXPECT_EQ(fields_of(made.error()), (std::vector<std::string>{"description.en", "description.fr", "description.zh-CN"}));
  auto none = LocalizedText::make("name", {}, 200);
  ASSERT_FALSE(none);
  EXPECT_EQ(fields_of(none.error()), std::vector<std::string>{"name"});
  auto twice = LocalizedText::make("name", {{"en", "A"}, {"en", "B"}}, 200);
  ASSERT_FALSE(twice);
  EXPECT_EQ(fields_of(twice.error()), std::vector<std::string>{"name.en"});
  EXPECT_TRUE(LocalizedText::make("name", {{"zh-CN", std::string(200, 'x')}}, 200)) << "exactly the limit is allowed";
}

TEST(LocalizedText, AnUpdateReplacesOnlyTheLanguagesItGives) {
  auto original = text({{"en", "Car booking"}, {"zh-CN", "订车"}});
  auto updated = original.with(text({{"zh-CN", "预订车辆"}}));
  EXPECT_EQ(updated.in("zh-CN"), "预订车辆");
  EXPECT_EQ(updated.in("en"), "Car booking");
  EXPECT_EQ(original.in("zh-CN"), "订车") << "with() changes a copy";
  EXPECT_EQ(text({{"en", "A"}}).with(text({{"zh-CN", "甲"}})), text({{"en", "A"}, {"zh-CN", "甲"}}));
}

// DESK-11: money is decimal.
TEST(Money, ParsesDecimalTextToTheCent) {
  struct Case {
    std::string_view text;
    std::int64_t cents;
  };
  for (auto [text, cents] : std::array<Case, 8>{{{"12", 1200},
                                                 {"12.5", 1250},
                                                 {"12.50", 1250},
                                                 {"0.05", 5},
                                                 {"-0.05", -5},
                                                 {"007.10", 710},
                                                 {"10000000000000", Money::kLimitCents},
                                                 {"0", 0}}}) {
    auto m = Money::parse(text);
    ASSERT_TRUE(m) << text;
    EXPECT_EQ(m->in_cents(), cents) << text;
  }
  for (std::string_view bad : {"", "-", "12.", ".5", "1.005", "1e3", "1,000.00", " 12", "12 ", "+3", "--1", "0x10",
                               "10000000000000.01", "99999999999999999"}) {
    auto m = Money::parse(bad);
    ASSERT_FALSE(m) << "'" << bad << "' was taken";
    EXPECT_EQ(m.error().code, Code::invalid_argument);
  }
}

TEST(Money, PrintsTwoDecimalsAlways) {
  EXPECT_EQ(Money::cents(1250).to_string(), "12.50");
  EXPECT_EQ(Money::cents(5).to_string(), "0.05");
  EXPECT_EQ(Money::cents(-5).to_string(), "-0.05");
  EXPECT_EQ(Money::cents(0).to_string(), "0.00");
  EXPECT_EQ(Money::cents(-123456).to_string(), "-1234.56");
  for (std::string_view s : {"0.00", "1.01", "-99.99", "10000000000000.00"})
    EXPECT_EQ(Money::parse(s)->to_string(), s) << "round trip";
}

// The car-share story: a monthly fee prorated to the days a tier was held.
TEST(Money, ProratesRoundingHalfAwayFromZero) {
  auto fee = Money::cents(9900);  // 99.00 a month
  EXPECT_EQ(fee.prorated(11, 30).in_cents(), 3630);   // 36.30 exactly
  EXPECT_EQ(fee.prorated(1, 31).in_cents(), 319);     // 3.1935… → 3.19
  EXPECT_EQ(Money::cents(1).prorated(1, 2).in_cents(), 1);    // 0.005 → 0.01
  EXPECT_EQ(Money::cents(-1).prorated(1, 2).in_cents(), -1);  // a credit rounds the same way
  EXPECT_EQ(Money::cents(3).prorated(1, 3).in_cents(), 1);
  EXPECT_EQ(fee.prorated(30, 30), fee);
  EXPECT_EQ(fee.prorated(0, 30).in_cents(), 0);
  // No overflow in the product: the largest amount × a large numerator.
  EXPECT_EQ(Money::cents(Money::kLimitCents).prorated(1'000'000, 2'000'000).in_cents(), Money::kLimitCents / 2);
}

// OFF-2: a settlement's credit rounds a tie to the even cent, either sign.
TEST(Money, ProratesHalfToEvenWhenAsked) {
  constexpr auto even = Money::Rounding::half_even;
  EXPECT_EQ(Money::cents(1).prorated(1, 2, even).in_cents(), 0);    // 0.005 → 0.00
  EXPECT_EQ(Money::cents(3).prorated(1, 2, even).in_cents(), 2);    // 0.015 → 0.02
  EXPECT_EQ(Money::cents(5).prorated(1, 2, even).in_cents(), 2);    // 0.025 → 0.02
  EXPECT_EQ(Money::cents(7).prorated(1, 2, even).in_cents(), 4);    // 0.035 → 0.04
  EXPECT_EQ(Money::cents(-5).prorated(1, 2, even).in_cents(), -2);  // -0.025 → -0.02
  EXPECT_EQ(Money::cents(-7).prorated(1, 2, even).in_cents(), -4);
  // Off a tie it rounds to the nearest cent like any other way.
  EXPECT_EQ(Money::cents(9900).prorated(1, 31, even).in_cents(), 319);   // 3.1935… → 3.19
  EXPECT_EQ(Money::cents(9900).prorated(16, 30, even).in_cents(), 5280);  // 52.80 exactly
  EXPECT_EQ(Money::cents(1001).prorated(1, 3, even).in_cents(), 334);     // 3.3366… → 3.34
  EXPECT_EQ(Money::cents(Money::kLimitCents).prorated(1'000'000, 2'000'000, even).in_cents(), Money::kLimitCents / 2);
}

TEST(Money, AllocationAddsUpToTheCentAndFavoursLargerRemainders) {
  auto sum = [](const std::vector<Money>& parts) {
    return std::accumulate(parts.begin(), parts.end(), Money());
  };
  std::array<std::int64_t, 3> thirds{1, 1, 1};
  auto parts = allocate(Money::cents(100), thirds);
  EXPECT_EQ(parts, (std::vector<Money>{Money::cents(34), Money::cents(33), Money::cents(33)})) << "a tie goes to the earlier part";
  std::array<std::int64_t, 3> days{11, 19, 1};
  for (std::int64_t total : {9900LL, 1LL, 0LL, -9900LL, 123457LL}) {
    auto split = allocate(Money::cents(total), days);
    EXPECT_EQ(sum(split), Money::cents(total)) << total;
    for (std::size_t i = 0; i < split.size(); ++i)  // each part is within a cent of its exact share
      EXPECT_LE(std::abs(split[i].in_cents() * 31 - total * days[i]), 31) << total << " part " << i;
  }
  std::array<std::int64_t, 2> uneven{1, 3};
  EXPECT_EQ(allocate(Money::cents(1), uneven), (std::vector<Money>{Money::cents(0), Money::cents(1)}));
  std::array<std::int64_t, 2> zero{0, 0};
  EXPECT_EQ(allocate(Money::cents(500), zero), (std::vector<Money>{Money(), Money()})) << "nothing to weigh by";
}

}  // namespace
}  // namespace tandem::catalog
