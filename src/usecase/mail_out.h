// REL-1: mail out. The ticket changes a person should hear of by mail — a staff reply, a state
// they must act on or that ends their request, a major incident's news, and the receipt of a
// request that came by mail — are queued in the change's own transaction (nothing is told of a
// change that was undone, nothing lost to a crash), then sent through the relay by a worker:
// rendered in the recipient's language when it goes, carrying the ticket's signed reference
// (subject and Reply-To) and References to the conversation's earlier mail, marked
// `Auto-Submitted: auto-generated`. A relay that fails is tried again with back-off
// (channels::mail_retry_delay_ms) under the same Message-ID; one that refuses the address for
// good ends the mail as failed. Administrators read the outbox and send a failed mail again.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "storage/outgoing_mail.h"
#include "storage/tickets.h"
#include "usecase/context.h"

namespace tandem::usecase {

// A mail as the relay gets it; the channel composes the MIME.
struct OutgoingMessage {
  std::string from_address, from_name;
  std::string to_address, to_name;
  std::string reply_to;
  std::string subject;
  std::string text;
  std::string message_id;                // without <>
  std::vector<std::string> references;   // without <>, oldest first; the last is In-Reply-To
  std::string language;                  // Content-Language
  std::string auto_submitted = "auto-generated";
};

struct SendOutcome {
  enum class Kind { sent, temporary, permanent } kind = Kind::sent;
  std::string error;
};

class MailSender {
 public:
  virtual ~MailSender() = default;
  virtual SendOutcome send(const OutgoingMessage& message) = 0;
};

// REL-5: queues a broadcast's mail to `user_id` (of `organization_id`) when mail out is on; how
// many were queued (0 or 1). Inside the publication's transaction.
Result<int> queue_broadcast_mail(storage::Connection& c, const Services& s, std::string_view broadcast_id, const std::string& user_id,
                                 const std::string& organization_id);

// FDB-1: queues a survey's invitation or reminder (`kind` survey_invitation, survey_reminder) to
// `user_id` when mail out is on; how many were queued (0 or 1). Inside the caller's transaction.
Result<int> queue_survey_mail(storage::Connection& c, const Services& s, std::string_view survey_id, const std::string& user_id,
                              const std::string& organization_id, std::string_view kind);

// Queues the mail of `event` to `user_id` when mail out is on (Services::mail_out). Inside the
// change's transaction.
Result<void> queue_mail(storage::Connection& c, const Services& s, const storage::Ticket& ticket, const storage::TicketEvent& event,
                        const std::string& user_id, const std::string& kind);

struct MailRun {
  int sent = 0;
  int failed = 0;    // to be tried again
  int given_up = 0;  // refused for good, or out of tries
  int dropped = 0;   // nobody to send it to any more (no address, account closed)
};
// Sends up to `limit` due mails one at a time until `stopping` says so. Safe on several threads
// or nodes: each is claimed for a while just before it goes, a claim that lapsed is taken up
// again, and only the holder of a claim records its attempt.
Result<MailRun> send_outgoing_mail(const Services& s, MailSender& sender, int limit = 20, const std::function<bool()>& stopping = {});

// GET /api/v1/outgoing-mail (administrators): newest first, `state` and `ticket_id` narrow.
Result<storage::Page<storage::OutgoingMail>> list_outgoing_mail(const Services& s, const identity::Actor& actor, const std::string& state,
                                                                const std::string& ticket_id, const storage::PageRequest& page);
// POST /api/v1/outgoing-mail/{id}/retry: a failed mail is queued again, due now (409 otherwise).
Result<storage::OutgoingMail> retry_outgoing_mail(const Services& s, const identity::Actor& actor, std::string_view id);

}  // namespace tandem::usecase
