// REL-5: who hears a broadcast, and by which channels.
#include <gtest/gtest.h>

#include "domain/channels/broadcast.h"

namespace tandem::channels {
namespace {

using Channels = std::vector<std::string>;

TEST(Broadcasts, ASubscribersChoiceStandsEvenWhenTheyAreAddressed) {
  EXPECT_EQ(channels_for(Channels{"sms"}, false), Channels{"sms"});
  EXPECT_EQ(channels_for(Channels{"sms", "email"}, true), (Channels{"sms", "email"}));
  EXPECT_TRUE(channels_for(Channels{}, true).empty()) << "they asked to hear nothing of the service";
}

TEST(Broadcasts, SomeoneAddressedWithoutASubscriptionHearsInThePortalAndByMail) {
  EXPECT_EQ(channels_for(std::nullopt, true), (Channels{"portal", "email"}));
  EXPECT_TRUE(channels_for(std::nullopt, false).empty());
}

TEST(Broadcasts, ChannelsAndKindsAreKnown) {
  EXPECT_FALSE(news_channels_problem({}));
  EXPECT_FALSE(news_channels_problem({"portal", "email", "sms", "push"}));
  EXPECT_TRUE(news_channels_problem({"fax"}));
  EXPECT_TRUE(news_channels_problem({"sms", "sms"}));
  EXPECT_TRUE(is_broadcast_kind("maintenance"));
  EXPECT_FALSE(is_broadcast_kind("outage"));
  EXPECT_EQ(broadcast_kinds().size(), 3u);
  EXPECT_EQ(news_channels().size(), 4u);
}

}  // namespace
}  // namespace tandem::channels
