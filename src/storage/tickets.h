// Tickets (DESK-1), their append-only timeline (ARCHITECTURE.md: the ticket row is a projection
// updated in the same transaction as the event), watchers and the search index. Every read of
// consumer data takes a Scope.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/search/terms.h"
#include "domain/sla/clock.h"
#include "domain/tickets/ticket.h"
#include "storage/scope.h"

namespace tandem::storage {

struct Ticket {
  std::string id;
  std::int64_t number = 0;  // human, per provider
  std::string organization_id;
  tickets::Type type = tickets::Type::incident;
  tickets::Channel channel = tickets::Channel::portal;
  std::string subject;
  std::string description;
  std::string requester_id;                 // who raised it
  std::optional<std::string> on_behalf_of;  // DESK-6: the user it was raised for
  std::optional<std::string> service_id;
  tickets::Level impact = tickets::Level::medium;
  tickets::Level urgency = tickets::Level::medium;
  tickets::Priority priority = tickets::Priority::medium;
  std::string category;
  std::optional<std::string> team_id;
  std::optional<std::string> assignee_id;
  std::string status;
  std::vector<std::string> tags;
  std::vector<std::string> watchers;  // user ids, sorted
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> resolved_at;
  std::optional<std::int64_t> closed_at;
  std::int64_t last_seq = 0;  // the timeline's last event
  bool major_incident = false;  // DESK-7: public updates reach every child ticket
  // DESK-3: the SLA policy that applied at the last change, the history the SLA clock reads
  // (sla::append_history), the next instant a target crosses a threshold, for timers, and the
  // crossings already announced.
  std::optional<std::string> sla_policy_id;
  std::string sla_history;
  std::optional<std::int64_t> sla_next_at;
  std::string sla_fired;  // crossings announced, one key a line (usecase/sla_timers.h)
  // Not stored: the clock read when the ticket was loaded for an answer (usecase/ticket_sla.h).
  std::optional<sla::Reading> sla;

  // The person the ticket is about: the user acted for, or else the requester.
  const std::string& affected_user_id() const { return on_behalf_of ? *on_behalf_of : requester_id; }
};

std::string canonical(const Ticket& ticket);

enum class Visibility { public_, internal };

struct TicketEvent {
  std::string id;
  std::string ticket_id;
  std::int64_t seq = 0;
  std::string kind;  // created, comment, note, call, status_changed, fields_changed, rule_fired
  std::string actor_id;
  tickets::Channel channel = tickets::Channel::portal;
  Visibility visibility = Visibility::public_;
  std::string body;
  std::string data = "{}";  // a JSON object with the kind's details
  std::int64_t created_at = 0;
};

enum class TicketSort { newest, oldest, recently_updated, priority };

struct TicketFilter {
  std::vector<std::string> statuses;
  std::vector<tickets::Type> types;
  std::vector<tickets::Priority> priorities;
  std::optional<std::string> organization_id;
  std::optional<std::string> team_id;
  std::optional<std::string> assignee_id;
  bool unassigned = false;
  std::optional<std::string> requester_id;
  std::optional<std::string> tag;
  TicketSort sort = TicketSort::newest;
};

struct SearchHit {
  Ticket ticket;
  double score = 0;  // larger is better
};

namespace ticket_store {
// The id of the ticket with this human number (mail's references name it).
Result<std::optional<std::string>> id_of_number(Connection& c, std::int64_t number);
// The next human ticket number; serialises concurrent creators.
Result<std::int64_t> next_number(Connection& c);
// Inserts the ticket, its watchers and its search text.
Result<void> insert(Connection& c, const Ticket& ticket);
Result<std::optional<Ticket>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock = Lock::none);
// Writes every field and the watchers, and the search text when subject or description
// changed; failed_precondition when the stored version is not `ticket.version - 1`.
Result<void> update(Connection& c, const Ticket& ticket, bool text_changed);
// How many tickets the scope sees through the filter (its sort and paging do not matter).
Result<std::int64_t> count(Connection& c, const Scope& scope, const TicketFilter& filter);
// Records new events and activity without a new version: updated_at, last_seq and the SLA
// clock's columns.
Result<void> touch(Connection& c, const Ticket& ticket);
// FDB-4: tickets raised in [from, to) measured under an SLA policy, in id order after `after_id`
// (without watchers: reports do not show them).
Result<std::vector<Ticket>> measured_between(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to,
                                             const std::string& after_id, int limit);
// DESK-3: whether any ticket is measured under the SLA policy (a scan: policies are removed rarely).
Result<bool> any_under_policy(Connection& c, std::string_view policy_id);
// DESK-3: tickets with a threshold crossing due at `now`, soonest first (the SLA timers).
Result<std::vector<std::string>> sla_due(Connection& c, std::int64_t now, int limit);
// The cursor is opaque: it encodes the sort key and id of the last ticket of the page.
Result<Page<Ticket>> list(Connection& c, const Scope& scope, const TicketFilter& filter, const PageRequest& page);
// OFF-1: the ids of the tickets a person raised, was raised for, is assigned, watches or wrote on.
Result<std::vector<std::string>> of_person(Connection& c, std::string_view user_id);
// DESK-8: the newest ticket about the person (raised for them, or by them for themselves)
// resolved at `resolved_since` or later (and perhaps closed since), other than `except_id`.
Result<std::optional<std::string>> resolved_about_since(Connection& c, std::string_view user_id, std::int64_t resolved_since,
                                                        std::string_view except_id);
// OFF-1: the subject and description rewritten (a person's data redacted), and the search text
// with them; the version moves.
Result<void> rewrite_text(Connection& c, std::string_view ticket_id, const std::string& subject, const std::string& description);
// OFF-1: the ticket's requester or person acted for moved from one person to another (the rest
// of the row, its version among it, is written by update()).
Result<void> hand_over(Connection& c, std::string_view ticket_id, std::string_view from_user, std::string_view to_user);
}  // namespace ticket_store

namespace timeline {
// Appends the event (its seq must be the ticket's last_seq + 1) and, for comments and notes,
// indexes its body for search.
Result<void> append(Connection& c, const TicketEvent& event);
// Events of a ticket the caller may see, oldest first; internal ones only for staff scopes.
Result<Page<TicketEvent>> list(Connection& c, const Scope& scope, std::string_view ticket_id, const PageRequest& page);
// OFF-1: every event of the ticket, in order, unscoped (for redaction).
Result<std::vector<TicketEvent>> all_of(Connection& c, std::string_view ticket_id);
// OFF-1: an event's body and data rewritten (a person's data redacted), its search document with them.
Result<void> rewrite(Connection& c, const TicketEvent& event);
}  // namespace timeline

// A link as one ticket sees it: `kind` is parent (the other is my parent), child, or related.
struct TicketLink {
  std::string ticket_id;
  std::string other_id;
  std::string kind;
  std::string created_by;
  std::int64_t created_at = 0;
};

namespace ticket_links {
enum class Kind { parent_of, related };
// conflict "already_linked" when the pair is linked, or "has_parent" when `to` has a parent.
Result<void> add(Connection& c, std::string_view from_id, std::string_view to_id, Kind kind, std::string_view by,
                 std::int64_t at);
// The links of `ticket_id` to tickets the scope may see, at most 500.
Result<std::vector<TicketLink>> list(Connection& c, const Scope& scope, std::string_view ticket_id);
// The parent of a ticket, if any (no scope: used to refuse cycles, never shown).
Result<std::optional<std::string>> parent_of(Connection& c, std::string_view ticket_id);
// Every child of a major incident, across organisations: for the fan-out of its public updates
// (DESK-7), which writes onto each child's own timeline; never returned to a caller.
Result<std::vector<Ticket>> children_for_fan_out(Connection& c, std::string_view parent_id);
}  // namespace ticket_links

// DESK-4, REL-5: the in-app notification centre. Each row belongs to one user, who alone reads it.
// It is about a ticket, or an onboarding plan (ONB-3) or a requirement (ONB-8): `ticket_id` is
// empty then.
struct Notification {
  std::string id;
  std::string user_id;
  std::string ticket_id;
  std::string event_id;
  std::string kind;     // reply, status_changed, major_incident_update, plan_action_moved, …
  std::string summary;  // a short public text: never from an internal event
  std::int64_t created_at = 0;
  std::optional<std::int64_t> read_at;
  std::optional<std::string> plan_id;
  std::optional<std::string> requirement_id;  // ONB-8: an approval about to run out
  std::optional<std::string> topic_id;        // COM-1: a community topic followed
  std::optional<std::string> booking_id;      // REL-5: a booking whose resource comes back late
  std::optional<std::string> broadcast_id;    // REL-5: a maintenance window, a major incident's news
  std::optional<std::string> feedback_id;     // FDB-2: what became of one's feedback
};

namespace notifications {
Result<void> insert(Connection& c, const Notification& n);
Result<Page<Notification>> list(Connection& c, std::string_view user_id, bool unread_only, const PageRequest& page);
Result<std::int64_t> unread_count(Connection& c, std::string_view user_id);
// The notification after marking it read; nullopt when the user has no such notification.
Result<std::optional<Notification>> mark_read(Connection& c, std::string_view user_id, std::string_view id, std::int64_t at);
Result<std::int64_t> mark_all_read(Connection& c, std::string_view user_id, std::int64_t at);
}  // namespace notifications

namespace ticket_search {
// How many of the newest matching documents a search ranks.
inline constexpr int kSearchCandidates = 1000;
// PostgreSQL: search documents are grouped in eras of 2^kSearchEraBits consecutive documents,
// each era a lexeme of its documents' tsvector (docs/adr/0003). Migration 0024 holds the same.
inline constexpr int kSearchEraBits = 12;
// A caller who sees only their own tickets searches the newest this many of their documents
// (ticket texts and the comments they may see).
inline constexpr int kOwnSearchDocuments = 5000;
// SQLite: a customer's organisation with fewer tickets than this has their ids listed for a
// search; a larger one has each match checked against its ticket. (PostgreSQL narrows the index
// to the organisation's documents by their organisation lexeme.)
inline constexpr int kListedOrganizationTickets = 20000;
// Tickets whose text or visible comments hold every term, best first; `offset` pages.
// `listed_organization_tickets` is for tests, which reach both of SQLite's ways of searching for
// a customer.
Result<std::vector<SearchHit>> find(Connection& c, const Scope& scope, const std::vector<search::QueryTerm>& terms,
                                    int limit, int offset, int listed_organization_tickets = kListedOrganizationTickets);
}  // namespace ticket_search

}  // namespace tandem::storage
