// REL-4: the router's text, split, labels and explanations.
#include "domain/routing/routing.h"

#include <gtest/gtest.h>

namespace tandem::routing {
namespace {

TEST(Routing, ATicketIsKnownByItsSearchTermsChineseAsCharacterPairs) {
  EXPECT_EQ(ticket_text("Printer JAM", "打印机卡纸"), "printer jam 打印 印机 机卡 卡纸 纸");
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "w" + std::to_string(i) + " ";
  auto text = ticket_text("", many);
  EXPECT_EQ(std::count(text.begin(), text.end(), ' ') + 1, std::ptrdiff_t(kMaxTerms));
  EXPECT_TRUE(text.ends_with("w399"));
}

TEST(Routing, OneInFiveIsHeldOutAlwaysTheSameOnes) {
  int out = 0;
  for (int i = 0; i < 10'000; ++i) out += held_out("tkt_" + std::to_string(i));
  EXPECT_NEAR(out, 2000, 150);
  EXPECT_EQ(held_out("tkt_42"), held_out("tkt_42"));
}

TEST(Routing, LabelsKeepTheirBlanksThroughFastTextsLine) {
  EXPECT_EQ(example_line("Access & accounts", "password reset"), "__label__Access%20&%20accounts password reset");
  EXPECT_EQ(label_of("__label__Access%20&%20accounts"), "Access & accounts");
  EXPECT_EQ(label_of(example_line("50% off\tnow", "").substr(0, example_line("50% off\tnow", "").size() - 1)), "50% off now");
  EXPECT_EQ(label_of("__label__team_01"), "team_01");
}

TEST(Routing, TheDriversAreTheTermsWhoseAbsenceCostsTheMost) {
  auto d = drivers({"printer", "the", "toner", "printer"}, 0.9, {0.5, 0.91, 0.7, 0.6}, 2);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].term, "printer");
  EXPECT_NEAR(d[0].weight, 0.4, 1e-9);
  EXPECT_EQ(d[1].term, "toner");
  EXPECT_TRUE(drivers({"a"}, 0.5, {0.6}, 3).empty()) << "a term that only hurt drove nothing";
  Accuracy a{3, 4};
  EXPECT_DOUBLE_EQ(a.ratio(), 0.75);
  EXPECT_DOUBLE_EQ(Accuracy{}.ratio(), 0.0);
}

}  // namespace
}  // namespace tandem::routing
