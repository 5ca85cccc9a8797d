#include "domain/migration/rt.h"

#include <gtest/gtest.h>

namespace tandem::migration {
namespace {

TEST(Base64, DecodesWithLineBreaksAndPadding) {
  EXPECT_EQ(decode_base64("6Zeo56aB5Y2h5Yi35LiN5byA5YGc6L2m5Zy65aSn6Zeo44CC\n"), "门禁卡刷不开停车场大门。");
  EXPECT_EQ(decode_base64("aGk="), "hi");
  EXPECT_EQ(decode_base64("aA=="), "h");
  EXPECT_EQ(decode_base64("aGVs\r\nbG8="), "hello");
  EXPECT_EQ(decode_base64(""), "");
  for (auto bad : {"aGk", "a===", "aG=k", "a*bc", "aGk=a"}) EXPECT_FALSE(decode_base64(bad)) << bad;
}

TEST(RtWords, StatusesBecomeIncidentStates) {
  EXPECT_EQ(incident_state_from_rt("new"), "new");
  EXPECT_EQ(incident_state_from_rt("open"), "in_progress");
  EXPECT_EQ(incident_state_from_rt("stalled"), "waiting_for_user");
  EXPECT_EQ(incident_state_from_rt("resolved"), "resolved");
  EXPECT_EQ(incident_state_from_rt("rejected"), "cancelled");
  EXPECT_FALSE(incident_state_from_rt("deleted"));
  EXPECT_FALSE(incident_state_from_rt("Open")) << "RT's statuses are lower case";
}

TEST(RtWords, TheInterfaceHeaderNamesTheChannel) {
  EXPECT_EQ(channel_from_rt_headers("Subject: x\nX-RT-Interface: Email\nMIME-Version: 1.0"), tickets::Channel::email);
  EXPECT_EQ(channel_from_rt_headers("X-RT-Interface: REST\n"), tickets::Channel::api);
  EXPECT_EQ(channel_from_rt_headers("X-RT-Interface: Web"), tickets::Channel::portal);
  EXPECT_EQ(channel_from_rt_headers("Subject: none"), tickets::Channel::portal);
  EXPECT_TRUE(is_rt_unset_time("1970-01-01T00:00:00Z"));
  EXPECT_FALSE(is_rt_unset_time("2026-12-07T00:15:39Z"));
}

}  // namespace
}  // namespace tandem::migration
