// REL-1: the outbox of mail we send. Rows are queued in the transaction of the change they tell
// of and claimed by a sender for a while before it talks to the relay, so that several senders
// (threads, nodes) never send one twice at once and a sender that died is taken over.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.h"
#include "storage/scope.h"
#include "storage/tickets.h"

namespace tandem::storage {

struct OutgoingMail {
  std::string id;
  std::string ticket_id;  // empty for a broadcast's mail
  std::optional<std::string> broadcast_id;  // REL-5: the broadcast it tells of
  std::optional<std::string> survey_id;     // FDB-1: the survey it invites to or reminds of
  std::string event_id;
  std::string user_id;  // the recipient
  std::string organization_id;
  std::string kind;        // created, reply, status_changed, major_incident_update, broadcast, survey_invitation, survey_reminder
  std::string message_id;  // without <>
  std::string state = "queued";  // queued, sent, failed
  std::int64_t attempts = 0;
  std::optional<std::int64_t> next_at;
  std::int64_t claimed_until = 0;
  std::string recipient;  // the address it went to, once tried
  std::string last_error;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> sent_at;
};

namespace outgoing_mail {
Result<void> insert(Connection& c, const OutgoingMail& m);
Result<std::optional<OutgoingMail>> find(Connection& c, std::string_view id, Lock lock = Lock::none);
// Queued mail due at `now` and not claimed by another sender, soonest first; each is claimed
// until `claim_until` in the same transaction (PostgreSQL skips rows others hold).
Result<std::vector<OutgoingMail>> claim_due(Connection& c, std::int64_t now, std::int64_t claim_until, int limit);
Result<void> update(Connection& c, const OutgoingMail& m);
// Newest first; `state` and `ticket_id` narrow when not empty. Unscoped: the provider's log.
Result<Page<OutgoingMail>> list(Connection& c, std::string_view state, std::string_view ticket_id, const PageRequest& page);
// The Message-IDs of the ticket's mail to and from `user_id` before `before` (ms) — theirs, and
// ours that were sent — oldest first, at most `limit` (the newest): what a mail names in
// References so that mail programs thread it.
Result<std::vector<std::string>> thread_ids(Connection& c, std::string_view ticket_id, std::string_view user_id, std::int64_t before,
                                            int limit);
// REL-1: a merged person's mail is the survivor's, so its Message-IDs keep threading for them.
Result<void> move_recipient(Connection& c, std::string_view from_user, std::string_view to_user);
// The event the mail tells of (its kind, text, data and actor); nullopt when it is gone.
Result<std::optional<TicketEvent>> event_of(Connection& c, const OutgoingMail& m);
// The ticket whose mail had this Message-ID: a reply to our mail threads by it.
Result<std::optional<std::string>> ticket_of_message(Connection& c, std::string_view message_id);
}  // namespace outgoing_mail

}  // namespace tandem::storage
