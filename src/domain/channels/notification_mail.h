// REL-1: what the mail we send says. A ticket's change becomes a mail to a person in their
// language (zh-CN, else English), rendered from mustache templates kept as data here; and how
// long a mail the relay did not take waits before the next try.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tandem::channels {

struct NotificationFacts {
  std::string kind;      // created, reply, status_changed, major_incident_update, broadcast
  std::string language;  // the recipient's: "zh-CN", else English
  std::string recipient_name;
  std::int64_t number = 0;
  std::string subject;        // the ticket's
  std::string reference_tag;  // "[T#42-1a2b3c4d]", which threads a reply
  std::string author;         // who wrote or made the change; for a broadcast, its service
  std::string text;           // the reply, the resolution, the update
  std::string status;         // for status_changed: the state entered
  std::string link;           // the ticket in the portal; empty when no public address is set
  // FDB-1: a resolution's one-click rating link for the person it served (…/r/<token>); each
  // score is the link with ?score=N. Empty: none.
  std::string rating_link;
};

struct RenderedMail {
  std::string subject;
  std::string text;
};

// The mail of one change. Every value is put in as text (nothing the templates hold is read from
// a value), so a subject or reply holding "{{" renders as written.
RenderedMail render_notification(const NotificationFacts& facts);

// The state's name as a person reads it in the language: "resolved" → "已解决".
std::string state_label(std::string_view state, std::string_view language);

// How long to wait after `attempts_made` failed tries before the next: 1, 5, 15 minutes, 1, 4,
// 12 hours; nullopt once the last has failed (a day after the first try, mail is given up).
std::optional<std::int64_t> mail_retry_delay_ms(int attempts_made);

}  // namespace tandem::channels
