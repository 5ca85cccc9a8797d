// The service desk's use cases (DESK-1, DESK-2, DESK-6, REL-1, REL-6): raise, read, list,
// change and move tickets, comment, log calls, read the timeline, search. Each authorises,
// loads through the caller's Scope, decides with the domain, and writes the ticket row, its
// timeline events and the audit entry in one transaction.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/tickets/ticket.h"
#include "storage/recovery_tasks.h"
#include "storage/tickets.h"
#include "usecase/context.h"

namespace tandem::usecase {
namespace drafting {
class TimelineDraft;  // usecase/ticket_draft.h
}

struct NewTicket {
  tickets::Type type = tickets::Type::incident;
  std::optional<std::string> request_type_id;  // DESK-5: raised through the catalog (SLA policies may ask)
  std::string subject;
  std::string description;
  std::optional<tickets::Channel> channel;  // staff may name any; consumers their own channel
  std::optional<std::string> service_id;
  std::optional<tickets::Level> impact, urgency;
  std::optional<std::string> on_behalf_of;  // DESK-6
  // More to decide in the same transaction before the ticket row is written — a catalog
  // request's entitlement, quota and waivers; events it adds join the ticket's timeline — and
  // rows to write after it (the request's answers). An error from either undoes the creation.
  std::function<Result<void>(storage::Connection&, storage::Ticket&, drafting::TimelineDraft&)> decide;
  std::function<Result<void>(storage::Connection&, const storage::Ticket&)> write_after;
  // What the channel knew of it, kept in the "created" entry's data (a mail's authentication
  // results).
  std::vector<std::pair<std::string, std::string>> facts;
};

// A ticket as `actor` is shown it. The desk's own triage — category, team, assignee, tags — is
// for staff, as its changes are on the timeline: rules set it from users' flags (REL-6), which
// consumers must not read back. Consumers get these fields empty, and may not filter by them.
storage::Ticket as_seen_by(const identity::Actor& actor, storage::Ticket ticket);

// Where a request came from when it does not say: the portal for a browser session, the API
// for a personal access token.
Result<storage::Ticket> create_ticket(const Services& s, const identity::Actor& actor, const NewTicket& ticket,
                                      tickets::Channel arrived_through);
// The query parameters of a ticket list or a queue: status, type and priority (comma lists),
// organization_id, team_id, assignee_id (a user id, "me" or "none"), requester_id, tag, sort
// (-created_at, created_at, -updated_at, -priority). Unknown keys, an organisation the actor
// may not see and (for consumers) the staff-only team_id, assignee_id and tag are refused,
// every problem at once.
using FilterParams = std::map<std::string, std::string>;
inline constexpr std::string_view kFilterKeys[] = {"status",       "type", "priority", "organization_id", "team_id",
                                                   "assignee_id", "requester_id", "tag", "sort"};
Result<storage::TicketFilter> ticket_filter(const identity::Actor& actor, const FilterParams& params);

Result<storage::Ticket> get_ticket(const Services& s, const identity::Actor& actor, std::string_view id);
Result<storage::Page<storage::Ticket>> list_tickets(const Services& s, const identity::Actor& actor,
                                                    const storage::TicketFilter& filter, const storage::PageRequest& page);

struct TicketPatch {
  std::optional<std::string> subject, description, category;
  std::optional<std::optional<std::string>> service_id, team_id, assignee_id;  // null clears
  std::optional<tickets::Level> impact, urgency;
  std::optional<tickets::Priority> priority;  // a hand-set priority wins over the matrix
  std::optional<std::vector<std::string>> tags, watchers;
  std::optional<bool> major_incident;  // DESK-7, staff only
  std::vector<std::string> fields() const;
};
// The consumer side may change subject, description and watchers; staff every field.
// `expected_version` nullopt applies the patch to whatever is current (bulk updates).
Result<storage::Ticket> update_ticket(const Services& s, const identity::Actor& actor, std::string_view id,
                                      std::optional<std::int64_t> expected_version, const TicketPatch& patch);

// Bulk update (issue §6): the same patch on up to 100 tickets, each in its own transaction.
inline constexpr std::size_t kBulkLimit = 100;
struct BulkResult {
  std::string id;
  Result<storage::Ticket> outcome;
};
Result<std::vector<BulkResult>> bulk_update_tickets(const Services& s, const identity::Actor& actor,
                                                    const std::vector<std::string>& ids, const TicketPatch& patch);

struct TransitionInput {
  std::string to;
  std::optional<std::string> resolution, recovery_action, credited_to;
  std::optional<std::int64_t> expected_version;  // from If-Match, when sent
};
Result<storage::Ticket> transition_ticket(const Services& s, const identity::Actor& actor, std::string_view id,
                                          const TransitionInput& input);

struct NewComment {
  std::string body;
  storage::Visibility visibility = storage::Visibility::public_;
  // Rows to write with the comment (a channel's record of the message it came in); an error
  // undoes the comment.
  std::function<Result<void>(storage::Connection&, const storage::Ticket&, const storage::TicketEvent&)> write_after;
  // What the channel knew of it, kept in the entry's data (a mail's folded quote, its sender's
  // authentication results).
  std::vector<std::pair<std::string, std::string>> facts;
};
// A requester's reply to a ticket waiting for them moves it back to work (the workflow's
// requester transition out of the waiting state).
Result<storage::TicketEvent> add_comment(const Services& s, const identity::Actor& actor, std::string_view id,
                                         const NewComment& comment, tickets::Channel arrived_through);

// REL-1: a message the timeline keeps without letting it act — mail from someone who is not
// one of the ticket's people, or a machine's reply. Internal (staff read it), flagged with why;
// the ticket's state and promises do not move, and nobody is notified.
struct ForeignMessage {
  std::string body;
  tickets::Channel channel = tickets::Channel::email;
  std::string from;    // the sender as they wrote it
  std::string reason;  // why it may not act
  std::vector<std::pair<std::string, std::string>> facts;
  std::function<Result<void>(storage::Connection&, const storage::TicketEvent&)> write_after;
};
Result<storage::TicketEvent> record_foreign_message(const Services& s, std::string_view ticket_id, const ForeignMessage& message);

// REL-1: an agent records a phone call on the ticket.
struct NewCall {
  std::string summary;
  std::int64_t duration_seconds = 0;
  std::string direction = "inbound";  // inbound or outbound
  std::optional<std::string> phone;
  storage::Visibility visibility = storage::Visibility::internal;
  // Rows to write with the entry (a telephony channel's record of the call); an error undoes it.
  std::function<Result<void>(storage::Connection&, const storage::TicketEvent&)> write_after;
};
Result<storage::TicketEvent> log_call(const Services& s, const identity::Actor& actor, std::string_view id,
                                      const NewCall& call);

Result<storage::Page<storage::TicketEvent>> ticket_timeline(const Services& s, const identity::Actor& actor,
                                                            std::string_view id, const storage::PageRequest& page);

// Links (DESK-7): `kind` is what the other ticket is to this one: parent, child or related.
// Consumers may relate two tickets they both see; parent and child links are for staff.
struct LinkInput {
  std::string ticket_id;
  std::string kind;
};
Result<storage::TicketLink> link_tickets(const Services& s, const identity::Actor& actor, std::string_view id,
                                         const LinkInput& link);
Result<std::vector<storage::TicketLink>> ticket_links(const Services& s, const identity::Actor& actor, std::string_view id);

// The caller's own notifications (DESK-4): newest first.
Result<storage::Page<storage::Notification>> list_notifications(const Services& s, const identity::Actor& actor,
                                                                bool unread_only, const storage::PageRequest& page);
Result<std::int64_t> unread_notifications(const Services& s, const identity::Actor& actor);
Result<storage::Notification> mark_notification_read(const Services& s, const identity::Actor& actor, std::string_view id);
Result<std::int64_t> mark_all_notifications_read(const Services& s, const identity::Actor& actor);

// DESK-8: the recovery tasks that moments of truth open, for staff; `assignee_id` "me" is the
// caller's own.
Result<storage::Page<storage::RecoveryTask>> list_recovery_tasks(const Services& s, const identity::Actor& actor,
                                                                 storage::RecoveryFilter filter, const storage::PageRequest& page);
Result<storage::RecoveryTask> complete_recovery_task(const Services& s, const identity::Actor& actor, std::string_view id,
                                                     const std::string& note);

// The subscriber of the live stream: the actor with what filtering needs (a representative's
// represented users, read once when the stream opens).
Result<identity::Actor> stream_subscriber(const Services& s, const identity::Actor& actor);

struct SearchPage {
  std::vector<storage::SearchHit> hits;
  std::optional<std::int64_t> next_offset;
};
Result<SearchPage> search_tickets(const Services& s, const identity::Actor& actor, std::string_view query, int limit,
                                  std::int64_t offset);

// Limits of free text, in bytes.
inline constexpr std::size_t kSubjectLimit = 200;
inline constexpr std::size_t kTextLimit = 65536;

// OFF-1: a leaving person's open ticket handed to someone else, inside the caller's write: who
// raised it or whom it is for moves from `from_user` to `to_user`, and a public `handed_over`
// event says so on the timeline (and to the ticket's people); a member of staff's assignment
// moves to `to_user`, or (empty) back to the team's queue, said by an internal event. Audited.
Result<void> hand_over_ticket(storage::Connection& c, const Services& s, const identity::Actor& actor, std::string_view id,
                              const std::string& from_user, const std::string& to_user);

}  // namespace tandem::usecase
