#include "storage/tickets.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/id.h"
#include "core/table.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_map>

namespace tandem::storage {
namespace {

namespace tk = ::tandem::tickets;

constexpr std::string_view kColumns =
    "t.id, t.number, t.organization_id, t.type, t.channel, t.subject, t.description, t.requester_id, t.on_behalf_of, "
    "t.service_id, t.impact, t.urgency, t.priority, t.category, t.team_id, t.assignee_id, t.status, t.tags, t.version, "
    "t.created_at, t.updated_at, t.resolved_at, t.closed_at, t.last_seq, t.major_incident, t.sla_policy_id, t.sla_history, "
    "t.sla_next_at, t.sla_fired";
constexpr std::size_t kColumnCount = 29;


Ticket from_row(const Row& r) {
  Ticket t;
  t.id = r.text(0);
  t.number = r.integer(1);
  t.organization_id = r.text(2);
  t.type = tk::parse_type(r.text(3)).value_or(tk::Type::incident);
  t.channel = tk::parse_channel(r.text(4)).value_or(tk::Channel::portal);
  t.subject = r.text(5);
  t.description = r.text(6);
  t.requester_id = r.text(7);
  t.on_behalf_of = r.maybe_text(8);
  t.service_id = r.maybe_text(9);
  t.impact = tk::parse_level(r.text(10)).value_or(tk::Level::medium);
  t.urgency = tk::parse_level(r.text(11)).value_or(tk::Level::medium);
  t.priority = tk::parse_priority(r.text(12)).value_or(tk::Priority::medium);
  t.category = r.text(13);
  t.team_id = r.maybe_text(14);
  t.assignee_id = r.maybe_text(15);
  t.status = r.text(16);
  t.tags = split_lines(r.text(17));
  t.version = r.integer(18);
  t.created_at = r.integer(19);
  t.updated_at = r.integer(20);
  t.resolved_at = r.maybe_integer(21);
  t.closed_at = r.maybe_integer(22);
  t.last_seq = r.integer(23);
  t.major_incident = r.integer(24) != 0;
  t.sla_policy_id = r.maybe_text(25);
  t.sla_history = r.text(26);
  t.sla_next_at = r.maybe_integer(27);
  t.sla_fired = r.text(28);
  return t;
}


// Watchers of many tickets, a bounded number of ids per query: a major incident's children may
// be more than an engine takes placeholders in one statement (PostgreSQL: 65,535).
Result<void> load_watchers(Connection& c, std::vector<Ticket>& tickets) {
  constexpr std::size_t kIdsPerQuery = 500;  // well under every engine's limit
  std::map<std::string, Ticket*> by_id;
  for (auto& t : tickets) by_id[t.id] = &t;
  for (std::size_t start = 0; start < tickets.size(); start += kIdsPerQuery) {
    auto end = std::min(tickets.size(), start + kIdsPerQuery);
    std::vector<Value> params;
    std::string marks;
    for (auto i = start; i < end; ++i) {
      marks += marks.empty() ? "?" : ", ?";
      params.emplace_back(tickets[i].id);
    }
    ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT ticket_id, user_id FROM ticket_watchers WHERE ticket_id IN ({}) "
                                                    "ORDER BY ticket_id, user_id",
                                                    marks),
                                        params));
    for (const auto& r : rows) by_id.at(r.text(0))->watchers.push_back(r.text(1));
  }
  return {};
}

Result<void> write_watchers(Connection& c, const Ticket& t, bool replace) {
  if (replace) TRY(c.execute_unawaited("DELETE FROM ticket_watchers WHERE ticket_id = ?", {t.id}));
  for (const auto& w : t.watchers)
    TRY(c.execute_unawaited("INSERT INTO ticket_watchers (ticket_id, user_id) VALUES (?, ?)", {t.id, w}));
  return {};
}

// The next value of a one-row counter table. On SQLite an UPDATE and a SELECT: UPDATE … RETURNING
// builds a temporary table at every call, which made ticket creation ~1.5× slower (bench/RESULTS.md).
// On PostgreSQL one round trip; the row stays locked until the commit, so keep it off busy paths.
Result<std::int64_t> next_in_counter(Connection& c, std::string_view table) {
  Rows rows;
  if (c.dialect() == Dialect::sqlite) {
    TRY(c.execute(fmt::format("UPDATE {} SET last = last + 1 WHERE singleton = 1", table)));
    ASSIGN_OR_RETURN(rows, c.query(fmt::format("SELECT last FROM {} WHERE singleton = 1", table)));
  } else {
    ASSIGN_OR_RETURN(rows, c.query(fmt::format("UPDATE {} SET last = last + 1 WHERE singleton = 1 RETURNING last", table)));
  }
  if (rows.empty()) return fail(Code::internal, fmt::format("The counter {} is missing.", table));
  return rows[0].integer(0);
}

std::string ticket_terms(const Ticket& t) { return search::index_terms(t.subject + "\n" + t.description); }

// PostgreSQL: a search document's tsvector is built from the term list itself (no parser, no
// locale) plus two lexemes a search narrows the GIN index with (docs/adr/0003): its era,
// `~e<doc >> kSearchEraBits>`, and its ticket's organisation, `~o<id>`. Terms hold only letters,
// digits and CJK characters, so no query term can name either. Parameters: event id, internal,
// terms, ticket id.
const std::string kPgInsertDocument = fmt::format(
    "INSERT INTO ticket_search (doc, ticket_id, event_id, internal, terms) SELECT n.d, t.id, ?, ?, "
    "array_to_tsvector(string_to_array(CAST(? AS TEXT), ' ') || ARRAY['~e' || (n.d >> {}), '~o' || t.organization_id]) "
    "FROM (SELECT nextval('ticket_search_doc_seq') AS d) n JOIN tickets t ON t.id = ?",
    ticket_search::kSearchEraBits);

// SQLite: the rowid of a new search document, one past the newest, so that rowid order is age
// order (docs/adr/0003). Counted apart from the full-text table, whose rows are written at the
// commit (Connection::execute_at_commit).
Result<std::int64_t> next_search_doc(Connection& c) { return next_in_counter(c, "search_doc_numbers"); }

Result<void> index_ticket_text(Connection& c, const Ticket& t, bool replace) {
  auto terms = ticket_terms(t);
  if (c.dialect() == Dialect::sqlite) {
    if (replace) {
      ASSIGN_OR_RETURN(auto old, c.query("SELECT search_doc FROM tickets WHERE id = ?", {t.id}));
      if (!old.empty()) {
        TRY(c.execute_at_commit("DELETE FROM ticket_search WHERE rowid = ?", {old[0].integer(0)}));
        TRY(c.execute("DELETE FROM ticket_search_docs WHERE ticket_id = ? AND doc = ?", {t.id, old[0].integer(0)}));
      }
    }
    ASSIGN_OR_RETURN(auto doc, next_search_doc(c));
    TRY(c.execute_at_commit("INSERT INTO ticket_search (rowid, terms, ticket_id, event_id, internal) VALUES (?, ?, ?, '', 0)",
                            {doc, terms, t.id}));
    TRY(c.execute("INSERT INTO ticket_search_docs (ticket_id, doc, internal) VALUES (?, ?, 0)", {t.id, doc}));
    TRY(c.execute("UPDATE tickets SET search_doc = ? WHERE id = ?", {doc, t.id}));
    return {};
  }
  if (replace) TRY(c.execute_unawaited("DELETE FROM ticket_search WHERE ticket_id = ? AND event_id = ''", {t.id}));
  TRY(c.execute_unawaited(kPgInsertDocument, {std::string(), std::int64_t(0), terms, t.id}));
  return {};
}

std::int64_t rank_of(tk::Priority p) { return std::int64_t(p); }

// A keyset cursor "key:id" for the sorts whose key is not the id.
bool split_cursor(const std::string& cursor, std::int64_t& key, std::string& id) {
  auto colon = cursor.find(':');
  if (colon == std::string::npos) return false;
  auto [p, ec] = std::from_chars(cursor.data(), cursor.data() + colon, key);
  id = cursor.substr(colon + 1);
  return ec == std::errc() && p == cursor.data() + colon && !id.empty();
}

Error bad_cursor() {
  Error e(Code::invalid_argument, "Some query parameters are invalid.");
  e.details.push_back({"cursor", "is not a cursor this server gave out"});
  return e;
}

std::string in_list(std::size_t n) {
  std::string marks;
  for (std::size_t i = 0; i < n; ++i) marks += i ? ", ?" : "?";
  return marks;
}

// The conditions of the scope and the filter on tickets aliased t, parameters appended.
std::vector<std::string> filter_conditions(Dialect dialect, const Scope& scope, const TicketFilter& f,
                                           std::vector<Value>& params) {
  std::vector<std::string> where{scope.tickets_condition("t", params)};
  if (!f.statuses.empty()) {
    where.push_back(fmt::format("t.status IN ({})", in_list(f.statuses.size())));
    for (const auto& s : f.statuses) params.emplace_back(s);
  }
  if (!f.types.empty()) {
    where.push_back(fmt::format("t.type IN ({})", in_list(f.types.size())));
    for (auto v : f.types) params.emplace_back(std::string(tk::to_string(v)));
  }
  if (!f.priorities.empty()) {
    where.push_back(fmt::format("t.priority_rank IN ({})", in_list(f.priorities.size())));
    for (auto v : f.priorities) params.emplace_back(rank_of(v));
  }
  auto equals = [&](std::string_view column, const std::optional<std::string>& v) {
    if (!v) return;
    where.push_back(fmt::format("{} = ?", column));
    params.emplace_back(*v);
  };
  equals("t.organization_id", f.organization_id);
  equals("t.team_id", f.team_id);
  equals("t.assignee_id", f.assignee_id);
  if (f.unassigned) where.push_back("t.assignee_id IS NULL");
  if (f.requester_id) {
    where.push_back("(t.requester_id = ? OR t.on_behalf_of = ?)");
    params.emplace_back(*f.requester_id);
    params.emplace_back(*f.requester_id);
  }
  if (f.tag) {
    // Tags are stored one per line; match a whole line.
    // Tags are stored one per line: a whole line must match, byte for byte on both stores
    // (LIKE would fold case on SQLite only, and treat % and _ as wildcards).
    where.push_back(dialect == Dialect::sqlite ? "instr('\n' || t.tags || '\n', ?) > 0"
                                                   : "strpos('\n' || t.tags || '\n', ?) > 0");
    params.emplace_back("\n" + *f.tag + "\n");
  }
  return where;
}

}  // namespace

std::string canonical(const Ticket& t) {
  return fmt::format(
      "ticket\nid={}\nnumber={}\norganization={}\ntype={}\nchannel={}\nsubject={}\ndescription={}\nrequester={}\n"
      "on_behalf_of={}\nservice={}\nimpact={}\nurgency={}\npriority={}\ncategory={}\nteam={}\nassignee={}\nstatus={}\n"
      "tags={}\nwatchers={}\nversion={}\nsla_policy={}\n",
      t.id, t.number, t.organization_id, tk::to_string(t.type), tk::to_string(t.channel), t.subject, t.description,
      t.requester_id, t.on_behalf_of.value_or(""), t.service_id.value_or(""), tk::to_string(t.impact),
      tk::to_string(t.urgency), tk::to_string(t.priority), t.category, t.team_id.value_or(""), t.assignee_id.value_or(""),
      t.status, fmt::join(t.tags, "|"), fmt::join(t.watchers, " "), t.version, t.sla_policy_id.value_or(""));
}

namespace ticket_store {

Result<std::int64_t> next_number(Connection& c) {
  if (c.dialect() == Dialect::sqlite) return next_in_counter(c, "ticket_numbers");
  // PostgreSQL: a sequence, not a locked row (migration 0014), so creations run side by side.
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT nextval('ticket_number_sequence')"));
  return rows.at(0).integer(0);
}

Result<void> insert(Connection& c, const Ticket& t) {
  TRY(c.execute_unawaited(
      "INSERT INTO tickets (id, number, organization_id, type, channel, subject, description, requester_id, on_behalf_of, "
      "service_id, impact, urgency, priority, priority_rank, category, team_id, assignee_id, status, tags, version, "
      "created_at, updated_at, resolved_at, closed_at, last_seq, major_incident, sla_policy_id, sla_history, sla_next_at, "
      "sla_fired) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {t.id, t.number, t.organization_id, std::string(tk::to_string(t.type)), std::string(tk::to_string(t.channel)),
       t.subject, t.description, t.requester_id, optional_text(t.on_behalf_of), optional_text(t.service_id),
       std::string(tk::to_string(t.impact)), std::string(tk::to_string(t.urgency)), std::string(tk::to_string(t.priority)),
       rank_of(t.priority), t.category, optional_text(t.team_id), optional_text(t.assignee_id), t.status,
       join_lines(t.tags), t.version, t.created_at, t.updated_at, optional_integer(t.resolved_at),
       optional_integer(t.closed_at), t.last_seq, std::int64_t(t.major_incident), optional_text(t.sla_policy_id),
       t.sla_history, optional_integer(t.sla_next_at), t.sla_fired}));
  TRY(write_watchers(c, t, /*replace=*/false));
  return index_ticket_text(c, t, /*replace=*/false);
}

Result<std::optional<Ticket>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock) {
  std::vector<Value> params{std::string(id)};
  auto where = scope.tickets_condition("t", params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM tickets t WHERE t.id = ? AND {}{}", kColumns, where,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      params));
  if (rows.empty()) return std::nullopt;
  std::vector<Ticket> one{from_row(rows[0])};
  TRY(load_watchers(c, one));
  return std::move(one[0]);
}

Result<void> update(Connection& c, const Ticket& t, bool text_changed) {
  ASSIGN_OR_RETURN(
      auto n,
      c.execute("UPDATE tickets SET subject = ?, description = ?, service_id = ?, impact = ?, urgency = ?, priority = ?, "
                "priority_rank = ?, category = ?, team_id = ?, assignee_id = ?, status = ?, tags = ?, version = ?, "
                "updated_at = ?, resolved_at = ?, closed_at = ?, last_seq = ?, major_incident = ?, sla_policy_id = ?, "
                "sla_history = ?, sla_next_at = ?, sla_fired = ? WHERE id = ? AND version = ?",
                {t.subject, t.description, optional_text(t.service_id), std::string(tk::to_string(t.impact)),
                 std::string(tk::to_string(t.urgency)), std::string(tk::to_string(t.priority)), rank_of(t.priority),
                 t.category, optional_text(t.team_id), optional_text(t.assignee_id), t.status, join_lines(t.tags),
                 t.version, t.updated_at, optional_integer(t.resolved_at), optional_integer(t.closed_at), t.last_seq,
                 std::int64_t(t.major_incident), optional_text(t.sla_policy_id), t.sla_history,
                 optional_integer(t.sla_next_at), t.sla_fired, t.id, t.version - 1}));
  if (n == 0) return fail(Code::failed_precondition, "The ticket was changed by someone else; reload it.");
  TRY(write_watchers(c, t, /*replace=*/true));
  if (text_changed) TRY(index_ticket_text(c, t, /*replace=*/true));
  return {};
}

Result<std::optional<std::string>> resolved_about_since(Connection& c, std::string_view user_id, std::int64_t resolved_since,
                                                        std::string_view except_id) {
  // Each on its (person, resolved_at) index: the range holds only what was resolved since, so a
  // person with thousands of open tickets costs no more than one with none.
  std::string user(user_id), except(except_id);
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT MAX(id) FROM (SELECT id FROM tickets WHERE on_behalf_of = ? AND resolved_at >= ? "
                                      "AND id <> ? UNION ALL SELECT id FROM tickets WHERE requester_id = ? AND resolved_at >= ? "
                                      "AND on_behalf_of IS NULL AND id <> ?) AS recent",
                                      {user, resolved_since, except, user, resolved_since, except}));
  if (rows.empty()) return std::nullopt;
  return rows[0].maybe_text(0);
}

Result<std::vector<std::string>> of_person(Connection& c, std::string_view user_id) {
  std::string id(user_id);
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT id FROM tickets WHERE requester_id = ? UNION SELECT id FROM tickets WHERE on_behalf_of = ? "
                                      "UNION SELECT id FROM tickets WHERE assignee_id = ? "
                                      "UNION SELECT ticket_id FROM ticket_watchers WHERE user_id = ? "
                                      "UNION SELECT ticket_id FROM ticket_events WHERE actor_id = ?",
                                      {id, id, id, id, id}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.text(0));
  std::sort(out.begin(), out.end());
  return out;
}

Result<void> rewrite_text(Connection& c, std::string_view ticket_id, const std::string& subject, const std::string& description) {
  // The version moves: a reader holding the old text must not write it back.
  TRY(c.execute("UPDATE tickets SET subject = ?, description = ?, version = version + 1 WHERE id = ?",
                {subject, description, std::string(ticket_id)}));
  Ticket t;
  t.id = std::string(ticket_id);
  t.subject = subject;
  t.description = description;
  return index_ticket_text(c, t, /*replace=*/true);
}

Result<std::optional<std::string>> id_of_number(Connection& c, std::int64_t number) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT id FROM tickets WHERE number = ?", {number}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].text(0));
}

Result<void> hand_over(Connection& c, std::string_view ticket_id, std::string_view from_user, std::string_view to_user) {
  std::string id(ticket_id), from(from_user), to(to_user);
  TRY(c.execute("UPDATE tickets SET requester_id = ? WHERE id = ? AND requester_id = ?", {to, id, from}));
  TRY(c.execute("UPDATE tickets SET on_behalf_of = ? WHERE id = ? AND on_behalf_of = ?", {to, id, from}));
  return {};
}

Result<std::int64_t> count(Connection& c, const Scope& scope, const TicketFilter& f) {
  std::vector<Value> params;
  auto where = filter_conditions(c.dialect(), scope, f, params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT COUNT(*) FROM tickets t WHERE {}", fmt::join(where, " AND ")), params));
  return rows.empty() ? 0 : rows[0].integer(0);
}

Result<std::vector<Ticket>> measured_between(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to,
                                             const std::string& after_id, int limit) {
  std::vector<Value> params{from, to, after_id};
  auto where = scope.tickets_condition("t", params);
  params.emplace_back(std::int64_t(limit));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM tickets t WHERE t.created_at >= ? AND t.created_at < ? AND t.id > ? "
                                                  "AND t.sla_policy_id IS NOT NULL AND {} ORDER BY t.id LIMIT ?",
                                                  kColumns, where),
                                      params));
  std::vector<Ticket> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(from_row(r));
  return out;
}

Result<bool> any_under_policy(Connection& c, std::string_view policy_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT 1 FROM tickets WHERE sla_policy_id = ? LIMIT 1", {std::string(policy_id)}));
  return !rows.empty();
}

Result<std::vector<std::string>> sla_due(Connection& c, std::int64_t now, int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT id FROM tickets WHERE sla_next_at IS NOT NULL AND sla_next_at <= ? "
                                      "ORDER BY sla_next_at LIMIT ?",
                                      {now, std::int64_t(limit)}));
  std::vector<std::string> ids;
  for (const auto& r : rows) ids.push_back(r.text(0));
  return ids;
}

Result<void> touch(Connection& c, const Ticket& t) {
  TRY(c.execute_unawaited("UPDATE tickets SET updated_at = ?, last_seq = ?, sla_policy_id = ?, sla_history = ?, sla_next_at = ?, sla_fired = ? "
                "WHERE id = ?",
                {t.updated_at, t.last_seq, optional_text(t.sla_policy_id), t.sla_history, optional_integer(t.sla_next_at), t.sla_fired,
                 t.id}));
  return {};
}

Result<Page<Ticket>> list(Connection& c, const Scope& scope, const TicketFilter& f, const PageRequest& page) {
  std::vector<Value> params;
  auto where = filter_conditions(c.dialect(), scope, f, params);
  std::string order;
  if (!page.after.empty()) {
    std::int64_t key = 0;
    std::string id;
    switch (f.sort) {
      case TicketSort::newest:
        where.push_back("t.id < ?");
        params.emplace_back(page.after);
        break;
      case TicketSort::oldest:
        where.push_back("t.id > ?");
        params.emplace_back(page.after);
        break;
      case TicketSort::recently_updated:
        if (!split_cursor(page.after, key, id)) return fail(bad_cursor());
        where.push_back("(t.updated_at < ? OR (t.updated_at = ? AND t.id < ?))");
        params.insert(params.end(), {key, key, id});
        break;
      case TicketSort::priority:
        if (!split_cursor(page.after, key, id)) return fail(bad_cursor());
        where.push_back("(t.priority_rank < ? OR (t.priority_rank = ? AND t.id > ?))");
        params.insert(params.end(), {key, key, id});
        break;
    }
  }
  switch (f.sort) {
    case TicketSort::newest: order = "t.id DESC"; break;
    case TicketSort::oldest: order = "t.id"; break;
    case TicketSort::recently_updated: order = "t.updated_at DESC, t.id DESC"; break;
    case TicketSort::priority: order = "t.priority_rank DESC, t.id"; break;
  }
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM tickets t WHERE {} ORDER BY {} LIMIT ?", kColumns,
                                                  fmt::join(where, " AND "), order),
                                      params));
  std::vector<Ticket> items;
  items.reserve(rows.size());
  for (const auto& r : rows) items.push_back(from_row(r));
  auto sort = f.sort;
  auto out = make_page(std::move(items), page.limit, [sort](const Ticket& t) {
    switch (sort) {
      case TicketSort::recently_updated: return fmt::format("{}:{}", t.updated_at, t.id);
      case TicketSort::priority: return fmt::format("{}:{}", rank_of(t.priority), t.id);
      default: return t.id;
    }
  });
  TRY(load_watchers(c, out.items));
  return out;
}

}  // namespace ticket_store

namespace timeline {

Result<void> append(Connection& c, const TicketEvent& e) {
  bool internal = e.visibility == Visibility::internal;
  TRY(c.execute_unawaited("INSERT INTO ticket_events (id, ticket_id, seq, kind, actor_id, channel, internal, body, data, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {e.id, e.ticket_id, e.seq, e.kind, e.actor_id, std::string(tk::to_string(e.channel)),
                 std::int64_t(internal), e.body, e.data, e.created_at}));
  if (e.body.empty() || (e.kind != "comment" && e.kind != "note" && e.kind != "call")) return {};
  auto terms = search::index_terms(e.body);
  if (c.dialect() == Dialect::sqlite) {
    ASSIGN_OR_RETURN(auto doc, next_search_doc(c));
    TRY(c.execute_at_commit("INSERT INTO ticket_search (rowid, terms, ticket_id, event_id, internal) VALUES (?, ?, ?, ?, ?)",
                            {doc, std::move(terms), e.ticket_id, e.id, std::int64_t(internal)}));
    TRY(c.execute("INSERT INTO ticket_search_docs (ticket_id, doc, internal) VALUES (?, ?, ?)",
                  {e.ticket_id, doc, std::int64_t(internal)}));
    return {};
  }
  TRY(c.execute_unawaited(kPgInsertDocument, {e.id, std::int64_t(internal), std::move(terms), e.ticket_id}));
  return {};
}

Result<std::vector<TicketEvent>> all_of(Connection& c, std::string_view ticket_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT id, kind, internal, body, data FROM ticket_events WHERE ticket_id = ? ORDER BY seq",
                                      {std::string(ticket_id)}));
  std::vector<TicketEvent> out;
  for (const auto& r : rows) {
    TicketEvent e;
    e.id = r.text(0);
    e.ticket_id = std::string(ticket_id);
    e.kind = r.text(1);
    e.visibility = r.integer(2) != 0 ? Visibility::internal : Visibility::public_;
    e.body = r.text(3);
    e.data = r.text(4);
    out.push_back(std::move(e));
  }
  return out;
}

Result<void> rewrite(Connection& c, const TicketEvent& e) {
  TRY(c.execute("UPDATE ticket_events SET body = ?, data = ? WHERE id = ?", {e.body, e.data, e.id}));
  if (e.body.empty() || (e.kind != "comment" && e.kind != "note" && e.kind != "call")) return {};
  bool internal = e.visibility == Visibility::internal;
  auto terms = search::index_terms(e.body);
  if (c.dialect() == Dialect::sqlite) {
    ASSIGN_OR_RETURN(auto old, c.query("SELECT s.rowid FROM ticket_search s WHERE s.rowid IN "
                                       "(SELECT doc FROM ticket_search_docs WHERE ticket_id = ?) AND s.event_id = ?",
                                       {e.ticket_id, e.id}));
    for (const auto& r : old) {
      TRY(c.execute_at_commit("DELETE FROM ticket_search WHERE rowid = ?", {r.integer(0)}));
      TRY(c.execute("DELETE FROM ticket_search_docs WHERE ticket_id = ? AND doc = ?", {e.ticket_id, r.integer(0)}));
    }
    ASSIGN_OR_RETURN(auto doc, next_search_doc(c));
    TRY(c.execute_at_commit("INSERT INTO ticket_search (rowid, terms, ticket_id, event_id, internal) VALUES (?, ?, ?, ?, ?)",
                            {doc, std::move(terms), e.ticket_id, e.id, std::int64_t(internal)}));
    TRY(c.execute("INSERT INTO ticket_search_docs (ticket_id, doc, internal) VALUES (?, ?, ?)",
                  {e.ticket_id, doc, std::int64_t(internal)}));
    return {};
  }
  TRY(c.execute("DELETE FROM ticket_search WHERE ticket_id = ? AND event_id = ?", {e.ticket_id, e.id}));
  TRY(c.execute_unawaited(kPgInsertDocument, {e.id, std::int64_t(internal), std::move(terms), e.ticket_id}));
  return {};
}

Result<Page<TicketEvent>> list(Connection& c, const Scope& scope, std::string_view ticket_id, const PageRequest& page) {
  std::int64_t after = 0;
  if (!page.after.empty()) {
    auto [p, ec] = std::from_chars(page.after.data(), page.after.data() + page.after.size(), after);
    if (ec != std::errc() || p != page.after.data() + page.after.size()) return fail(bad_cursor());
  }
  std::vector<Value> params{std::string(ticket_id), after};
  auto where = scope.tickets_condition("t", params);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(
      auto rows,
      c.query(fmt::format("SELECT e.id, e.ticket_id, e.seq, e.kind, e.actor_id, e.channel, e.internal, e.body, e.data, "
                          "e.created_at FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id "
                          "WHERE e.ticket_id = ? AND e.seq > ? AND {}{} ORDER BY e.seq LIMIT ?",
                          where, scope.sees_internal() ? "" : " AND e.internal = 0"),
              params));
  std::vector<TicketEvent> items;
  for (const auto& r : rows) {
    items.push_back(TicketEvent{r.text(0), r.text(1), r.integer(2), r.text(3), r.text(4),
                                tk::parse_channel(r.text(5)).value_or(tk::Channel::portal),
                                r.integer(6) ? Visibility::internal : Visibility::public_, r.text(7), r.text(8),
                                r.integer(9)});
  }
  return make_page(std::move(items), page.limit, [](const TicketEvent& e) { return std::to_string(e.seq); });
}

}  // namespace timeline

namespace ticket_links {

Result<void> add(Connection& c, std::string_view from_id, std::string_view to_id, Kind kind, std::string_view by,
                 std::int64_t at) {
  std::string from(from_id), to(to_id);
  if (kind == Kind::related && to < from) std::swap(from, to);
  ASSIGN_OR_RETURN(auto existing, c.query("SELECT 1 FROM ticket_links WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)",
                                          {from, to, to, from}));
  if (!existing.empty()) return fail(Code::conflict, "These tickets are already linked.", "already_linked");
  if (kind == Kind::parent_of) {
    ASSIGN_OR_RETURN(auto parent, parent_of(c, to));
    if (parent) return fail(Code::conflict, "That ticket already has a parent; unlink it first.", "has_parent");
  }
  TRY(c.execute("INSERT INTO ticket_links (from_id, to_id, kind, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                {from, to, std::string(kind == Kind::parent_of ? "parent" : "related"), std::string(by), at}));
  return {};
}

Result<std::vector<TicketLink>> list(Connection& c, const Scope& scope, std::string_view ticket_id) {
  // The other ticket of each link must be one the scope may see: a link never reveals a ticket.
  std::vector<Value> params{std::string(ticket_id), std::string(ticket_id), std::string(ticket_id)};
  auto where = scope.tickets_condition("t", params);
  ASSIGN_OR_RETURN(auto rows,
                   c.query(fmt::format("SELECT l.from_id, l.to_id, l.kind, l.created_by, l.created_at FROM ticket_links l "
                                       "JOIN tickets t ON t.id = CASE WHEN l.from_id = ? THEN l.to_id ELSE l.from_id END "
                                       "WHERE (l.from_id = ? OR l.to_id = ?) AND {} ORDER BY l.created_at, t.id LIMIT 500",
                                       where),
                           params));
  std::vector<TicketLink> out;
  for (const auto& r : rows) {
    bool mine_is_from = r.text(0) == ticket_id;
    std::string kind = r.text(2) == "related" ? "related" : (mine_is_from ? "child" : "parent");
    out.push_back({std::string(ticket_id), mine_is_from ? r.text(1) : r.text(0), kind, r.text(3), r.integer(4)});
  }
  return out;
}

Result<std::optional<std::string>> parent_of(Connection& c, std::string_view ticket_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT from_id FROM ticket_links WHERE to_id = ? AND kind = 'parent'", {std::string(ticket_id)}));
  if (rows.empty()) return std::nullopt;
  return rows[0].text(0);
}

Result<std::vector<Ticket>> children_for_fan_out(Connection& c, std::string_view parent_id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM ticket_links l JOIN tickets t ON t.id = l.to_id "
                                                  "WHERE l.from_id = ? AND l.kind = 'parent' ORDER BY t.id{}",
                                                  kColumns, c.lock_clause()),
                                      {std::string(parent_id)}));
  std::vector<Ticket> out;
  for (const auto& r : rows) out.push_back(from_row(r));
  TRY(load_watchers(c, out));
  return out;
}

}  // namespace ticket_links

namespace notifications {
namespace {
constexpr std::string_view kNotificationColumns =
    "id, user_id, ticket_id, event_id, kind, summary, created_at, read_at, plan_id, requirement_id, topic_id, booking_id, broadcast_id, "
    "feedback_id";
Notification notification_from(const Row& r) {
  return {r.text(0),    r.text(1),          r.text(2),       r.text(3),       r.text(4),        r.text(5),        r.integer(6),
          r.maybe_integer(7), r.maybe_text(8), r.maybe_text(9), r.maybe_text(10), r.maybe_text(11), r.maybe_text(12),
          r.maybe_text(13)};
}
}  // namespace

Result<void> insert(Connection& c, const Notification& n) {
  auto ticket = n.ticket_id.empty() ? null_value() : Value(n.ticket_id);
  TRY(c.execute_unawaited("INSERT INTO notifications (id, user_id, ticket_id, event_id, kind, summary, created_at, read_at, plan_id, "
                          "requirement_id, topic_id, booking_id, broadcast_id, feedback_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          {n.id, n.user_id, ticket, n.event_id, n.kind, n.summary, n.created_at, optional_integer(n.read_at),
                           optional_text(n.plan_id), optional_text(n.requirement_id), optional_text(n.topic_id),
                           optional_text(n.booking_id), optional_text(n.broadcast_id), optional_text(n.feedback_id)}));
  return {};
}

Result<Page<Notification>> list(Connection& c, std::string_view user_id, bool unread_only, const PageRequest& page) {
  std::vector<Value> params{std::string(user_id)};
  std::string where = "user_id = ?";
  if (unread_only) where += " AND read_at IS NULL";
  if (!page.after.empty()) {
    where += " AND id < ?";
    params.emplace_back(page.after);
  }
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM notifications WHERE {} ORDER BY id DESC LIMIT ?",
                                                  kNotificationColumns, where),
                                      params));
  std::vector<Notification> items;
  for (const auto& r : rows) items.push_back(notification_from(r));
  return make_page(std::move(items), page.limit, [](const Notification& n) { return n.id; });
}

Result<std::int64_t> unread_count(Connection& c, std::string_view user_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL",
                                      {std::string(user_id)}));
  return rows.empty() ? 0 : rows[0].integer(0);
}

Result<std::optional<Notification>> mark_read(Connection& c, std::string_view user_id, std::string_view id, std::int64_t at) {
  TRY(c.execute("UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL",
                {at, std::string(id), std::string(user_id)}));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM notifications WHERE id = ? AND user_id = ?", kNotificationColumns),
                                      {std::string(id), std::string(user_id)}));
  if (rows.empty()) return std::nullopt;
  return notification_from(rows[0]);
}

Result<std::int64_t> mark_all_read(Connection& c, std::string_view user_id, std::int64_t at) {
  return c.execute("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", {at, std::string(user_id)});
}

}  // namespace notifications

namespace ticket_search {
namespace {

// The first era window of a PostgreSQL search, and the widest: past it the rest of the store is
// asked without eras (the term is rare there, so the GIN index alone finds it quickly).
constexpr std::int64_t kFirstEraWindow = 2;
constexpr std::int64_t kWidestEraWindow = 128;

// A PostgreSQL array literal of texts; ticket ids hold no quotes, but nothing is assumed.
std::string text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char ch : item) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out + "}";
}

// A matching document: its ticket and its score, as the database wrote it.
struct Candidate {
  std::string ticket_id;
  std::string score;
};

// PostgreSQL: the newest kSearchCandidates documents matching the tsquery `match` and `filter`,
// newest first, ranked by `query`. A GIN index cannot hand its matches over in order, and walking the documents newest
// first testing each one's terms costs as much for a common word as scanning all it passes
// (25–80 ms for 打印 over 1,800,000 documents). So the index is asked about a window of the
// newest eras at a time (`query & ('~e9' | '~e8')`): a common word fills the candidates from the
// first window or two; each further window is sized from the matches found so far; a word that
// the widest window leaves short is rare, and the rest of the store is asked at once.
Result<std::vector<Candidate>> newest_candidates(Connection& c, const std::string& query, const std::string& match,
                                                 const std::string& filter, const std::vector<Value>& filter_params) {
  std::vector<Candidate> out;
  ASSIGN_OR_RETURN(auto newest, c.query("SELECT COALESCE(MAX(doc), -1) FROM ticket_search"));
  std::int64_t next_era = newest[0].integer(0) >> kSearchEraBits;  // -1 when the store has no documents
  std::int64_t window = kFirstEraWindow;
  while (next_era >= 0 && out.size() < std::size_t(kSearchCandidates)) {
    std::int64_t wanted = kSearchCandidates - std::int64_t(out.size());
    std::int64_t lowest = window > kWidestEraWindow ? 0 : std::max<std::int64_t>(0, next_era - window + 1);
    // The rank is the query's alone: the era and organisation lexemes are no match the searcher
    // asked for.
    std::vector<Value> params{query, match};
    std::string older;
    if (lowest == 0) {
      older = " AND doc + 0 < ?";
      params.emplace_back((next_era + 1) << kSearchEraBits);
    } else {
      // The eras are a condition of their own, not one tsquery with the words: in one, GIN walks
      // every document of the window's eras (their lexemes are the rarer entries) and checks
      // each; as two, it steps between the words' matches and the window's (8.7 → 0.6 ms for a
      // 16-era window of 打印 at 1,000,000 tickets).
      std::string eras;
      for (auto era = next_era; era >= lowest; --era) eras += fmt::format("{}'~e{}'", eras.empty() ? "" : " | ", era);
      older = " AND terms @@ CAST(? AS tsquery)";
      params.emplace_back(std::move(eras));
    }
    params.insert(params.end(), filter_params.begin(), filter_params.end());
    params.emplace_back(wanted);
    // `doc + 0`: never the doc index. A prepared statement's generic plan (from its sixth run)
    // walked it backwards over millions of documents for a rare word; the GIN index and a sort
    // of its matches is the plan for every window.
    ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT ticket_id, ts_rank(terms, CAST(? AS tsquery)) FROM ticket_search "
                                                    "WHERE terms @@ CAST(? AS tsquery){}{} ORDER BY doc + 0 DESC LIMIT ?",
                                                    older, filter),
                                        params));
    for (const auto& r : rows) out.push_back({r.text(0), r.text(1)});
    std::int64_t searched = next_era - lowest + 1;
    next_era = lowest - 1;
    // Enough eras, at the density seen in this window, to fill what is still wanted, with a
    // quarter to spare; never more than eight times this window.
    std::int64_t still = kSearchCandidates - std::int64_t(out.size());
    window = rows.empty() ? searched * 8
                          : std::clamp<std::int64_t>(still * searched * 5 / (4 * std::int64_t(rows.size())) + 1, 1,
                                                     searched * 8);
  }
  return out;
}

}  // namespace

Result<std::vector<SearchHit>> find(Connection& c, const Scope& scope, const std::vector<search::QueryTerm>& terms,
                                    int limit, int offset, int listed_organization_tickets) {
  // Terms hold only letters, digits and CJK characters (search::parse_query), so quoting them
  // needs no escaping in either query language.
  std::string query;
  bool sqlite = c.dialect() == Dialect::sqlite;
  for (const auto& t : terms) {
    if (!query.empty()) query += sqlite ? " " : " & ";
    query += sqlite ? "\"" + t.text + "\"" + (t.prefix ? "*" : "") : "'" + t.text + "'" + (t.prefix ? ":*" : "");
  }
  // Only the newest kSearchCandidates matching documents the caller may see are ranked, so a
  // common word costs the same as a rare one (docs/adr/0003). Consumers' candidates are drawn
  // from their own tickets, or another organisation's would crowd them out.
  std::vector<Value> filter_params;
  std::string filter, match = query;
  // Whether the candidates are few whatever the query: a consumer's own tickets' documents, or
  // a small organisation's. The store's matches are walked newest first otherwise.
  bool few_documents = true;
  if (sqlite && scope.sees_own_tickets_only()) {
    // Few tickets: the matches are checked against the set of their newest documents by rowid
    // alone, never reading a match's stored columns to learn whose it is (which cost a user
    // seconds at 1,000,000 tickets). The unary + keeps the set a filter on the one walk of the
    // matches: as an index constraint FTS5 would restart the query, and bm25's count of the
    // term's documents, for every document in the set.
    filter = fmt::format(" AND +rowid IN (SELECT doc FROM ticket_search_docs WHERE internal = 0 AND ticket_id IN "
                         "(SELECT t2.id FROM tickets t2 WHERE {}) ORDER BY doc DESC LIMIT {})",
                         scope.tickets_condition("t2", filter_params), kOwnSearchDocuments);
  } else if (!sqlite && scope.sees_whole_organization() && is_id(scope.organization_id(), "org")) {
    // The organisation's documents carry its lexeme: the index narrows to them by itself (an
    // id of ours holds only letters, digits and '_', so it stands in the tsquery as it is).
    match = fmt::format("({}) & '~o{}'", query, scope.organization_id());
    filter = " AND internal = 0";
    few_documents = false;
  } else if (scope.sees_whole_organization()) {
    // A small organisation's tickets are listed once; a large one's matches are checked one by
    // one against the ticket they belong to (listing 1,000,000 ids cost 1–1.8 s a query).
    ASSIGN_OR_RETURN(auto size, c.query("SELECT COUNT(*) FROM (SELECT 1 FROM tickets WHERE organization_id = ? LIMIT ?) o",
                                        {scope.organization_id(), std::int64_t(listed_organization_tickets)}));
    filter = " AND internal = 0";
    if (size[0].integer(0) < listed_organization_tickets) {
      filter += " AND ticket_id IN (SELECT t2.id FROM tickets t2 WHERE " + scope.tickets_condition("t2", filter_params) + ")";
    } else {
      filter += " AND EXISTS (SELECT 1 FROM tickets t2 WHERE t2.id = ticket_search.ticket_id AND " +
                scope.tickets_condition("t2", filter_params) + ")";
      few_documents = false;
    }
  } else {
    if (!scope.sees_internal()) filter = " AND internal = 0";
    if (!scope.sees_everything())
      filter += " AND ticket_id IN (SELECT t2.id FROM tickets t2 WHERE " + scope.tickets_condition("t2", filter_params) + ")";
    few_documents = scope.sees_own_tickets_only();
  }
  // A prefix term ("print" finding "printer") makes FTS5 gather every posting of every word it
  // begins before it can hand over the newest (13 ms for `charging` at 1,000,000 tickets; 0.4 ms
  // for the word alone, read newest first). When the words as typed fill the candidates by
  // themselves, they are the candidates: a common word is ranked among its newest matches, like
  // any common word (docs/adr/0003). Few documents are read whole either way.
  if (sqlite && !few_documents && std::ranges::any_of(terms, &search::QueryTerm::prefix)) {
    std::string exact;
    for (const auto& t : terms) exact += (exact.empty() ? "\"" : " \"") + t.text + "\"";
    std::vector<Value> count_params{exact};
    count_params.insert(count_params.end(), filter_params.begin(), filter_params.end());
    count_params.emplace_back(std::int64_t(kSearchCandidates));
    ASSIGN_OR_RETURN(auto found, c.query(fmt::format("SELECT COUNT(*) FROM (SELECT 1 FROM ticket_search WHERE ticket_search MATCH ?{} "
                                                     "ORDER BY rowid DESC LIMIT ?)",
                                                     filter),
                                         count_params));
    if (found[0].integer(0) >= kSearchCandidates) query = std::move(exact);
  }
  std::vector<Value> params;
  std::string hits;
  if (!sqlite && !few_documents) {
    ASSIGN_OR_RETURN(auto candidates, newest_candidates(c, query, match, filter, filter_params));
    // The page is picked here — each ticket's best document, best first, then by id as below —
    // so that only its tickets are read: looking up all of up to 1,000 candidates' tickets to
    // show 20 was the query's cost (4.9 → 0.15 ms). The candidates are the caller's already; the
    // query below checks the scope again all the same.
    struct Best {
      double score;
      std::string ticket_id, score_text;  // the score as the database wrote it, passed back as it is
    };
    std::unordered_map<std::string, Best> best;
    for (auto& candidate : candidates) {
      double score = std::strtod(candidate.score.c_str(), nullptr);
      auto [it, added] = best.try_emplace(candidate.ticket_id, Best{score, candidate.ticket_id, candidate.score});
      if (!added && score > it->second.score) it->second = {score, std::move(candidate.ticket_id), std::move(candidate.score)};
    }
    std::vector<Best> order;
    for (auto& [id, b] : best) order.push_back(std::move(b));
    auto wanted = std::min(order.size(), std::size_t(limit) + std::size_t(offset));
    std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(wanted), order.end(), [](const Best& a, const Best& b) {
      return a.score != b.score ? a.score > b.score : a.ticket_id < b.ticket_id;
    });
    std::vector<std::string> ids, scores;
    for (std::size_t i = 0; i < wanted; ++i) {
      ids.push_back(std::move(order[i].ticket_id));
      scores.push_back(std::move(order[i].score_text));
    }
    params = {text_array(ids), text_array(scores)};
    // One row per ticket already: the database only reads the page's tickets.
    hits = "SELECT ticket_id, score FROM unnest(CAST(? AS TEXT[]), CAST(? AS FLOAT8[])) AS d (ticket_id, score)";
  } else {
    params.emplace_back(query);
    params.insert(params.end(), filter_params.begin(), filter_params.end());
    params.emplace_back(std::int64_t(kSearchCandidates));
    if (!sqlite) params.emplace_back(query);
    hits = sqlite ? fmt::format("SELECT ticket_id, MAX(score) AS score FROM (SELECT ticket_id, tandem_rank(ticket_search) AS score "
                                "FROM ticket_search WHERE ticket_search MATCH ?{} ORDER BY rowid DESC LIMIT ?) GROUP BY ticket_id",
                                filter)
                  : fmt::format("SELECT ticket_id, MAX(ts_rank(terms, q)) AS score FROM (SELECT ticket_id, terms FROM "
                                "ticket_search WHERE terms @@ CAST(? AS tsquery){} ORDER BY doc DESC LIMIT ?) d, "
                                "CAST(? AS tsquery) q GROUP BY ticket_id",
                                filter);
  }
  auto where = scope.tickets_condition("t", params);
  params.emplace_back(std::int64_t(limit));
  params.emplace_back(std::int64_t(offset));
  // SQLite's CROSS JOIN keeps the hits (at most kSearchCandidates) as the outer loop: left to
  // itself the planner walked a large organisation's tickets by the scope condition instead
  // (0.3 s a query at 1,000,000 tickets).
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {}, h.score FROM ({}) h {} tickets t ON t.id = h.ticket_id "
                                                  "WHERE {} ORDER BY h.score DESC, t.id LIMIT ? OFFSET ?",
                                                  kColumns, hits, sqlite ? "CROSS JOIN" : "JOIN", where),
                                      params));
  std::vector<Ticket> tickets;
  std::vector<double> scores;
  for (const auto& r : rows) {
    tickets.push_back(from_row(r));
    // The score is a REAL; the adapters hand non-integers over as text.
    scores.push_back(std::strtod(r.text(kColumnCount).c_str(), nullptr));
  }
  TRY(load_watchers(c, tickets));
  std::vector<SearchHit> out;
  for (std::size_t i = 0; i < tickets.size(); ++i) out.push_back({std::move(tickets[i]), scores[i]});
  return out;
}

}  // namespace ticket_search
}  // namespace tandem::storage
