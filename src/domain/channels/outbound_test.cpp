// OPS-3, REL-5: outbound webhooks' URLs, event lists and audiences.
#include <gtest/gtest.h>

#include "domain/channels/outbound.h"

namespace tandem::channels {
namespace {

TEST(OutboundWebhooks, AUrlIsHttpOrHttpsWithAHostAndNoCredentials) {
  for (auto good : {"https://sms.example/hooks/tandem", "http://10.0.0.5:8080/x?y=1", "https://[2001:db8::1]:8443/", "https://gw.example"})
    EXPECT_FALSE(url_problem(good)) << good;
  for (auto bad : {"ftp://gw.example/", "https://", "https:///path", "https://:443/", "https://user:pw@gw.example/",
                   "https://token@gw.example/", "https://gw.example/a b", "https://gw.example/\r\nX: y", "gw.example/hook",
                   "https://[]/"})
    EXPECT_TRUE(url_problem(bad)) << bad;
  EXPECT_TRUE(url_problem("https://gw.example/" + std::string(2000, 'a')));
}

TEST(OutboundWebhooks, EventsAreKnownNamedOnceAndNotThePing) {
  EXPECT_FALSE(events_problem({"ticket.created", "booking.late"}));
  EXPECT_TRUE(events_problem({}));
  EXPECT_TRUE(events_problem({"ticket.deleted"}));
  EXPECT_TRUE(events_problem({"ticket.created", "ticket.created"}));
  EXPECT_TRUE(events_problem({"webhook.ping"}));
  for (auto e : webhook_events()) EXPECT_TRUE(is_webhook_event(e));
  EXPECT_FALSE(is_webhook_event("ticket"));
}

TEST(OutboundWebhooks, AWebhookHearsItsEventsOfItsOrganisationWhileActive) {
  WebhookAudience everyone{true, {"ticket.created"}, std::nullopt};
  WebhookAudience club{true, {"ticket.created", "booking.late"}, "org_club"};
  EXPECT_TRUE(hears(everyone, "ticket.created", "org_club"));
  EXPECT_TRUE(hears(everyone, "ticket.created", ""));
  EXPECT_FALSE(hears(everyone, "booking.late", "org_club")) << "not subscribed";
  EXPECT_TRUE(hears(club, "booking.late", "org_club"));
  EXPECT_FALSE(hears(club, "booking.late", "org_other")) << "another organisation's event";
  EXPECT_FALSE(hears(club, "ticket.created", "")) << "an event about no organisation reaches unrestricted webhooks only";
  club.active = false;
  EXPECT_FALSE(hears(club, "booking.late", "org_club"));
}

}  // namespace
}  // namespace tandem::channels
