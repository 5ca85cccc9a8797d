#include "storage/organization_records.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace tandem::storage {
namespace {

constexpr int kChunk = 1000;
constexpr int kTicketChunk = 250;  // tickets whose rows are read at once

// One kind of record: the rows of `table` (with its alias) that `belongs` keeps to the
// organisation (one `?` for its id), read a chunk at a time in the order of `keys` — a unique
// key, so that the next chunk starts after the last row by an index and never sorts the rest.
struct Kind {
  std::string_view file;
  std::vector<std::string_view> columns;  // qualified by the table's alias
  std::string_view table;
  std::string_view belongs;
  std::vector<std::string_view> keys;
  bool staff_only = false;  // the provider's own working records
  // Rows of the organisation's tickets: `belongs` is then the column naming the ticket, and the
  // rows are read for a chunk of tickets at a time (an index walk per ticket, no sort of them all).
  bool per_ticket = false;
};

const std::vector<Kind> kKinds = {
    {"organization", {"o.id", "o.name", "o.kind", "o.created_at", "o.updated_at"}, "organizations o", "o.id = ?", {"o.id"}},
    {"users",
     {"u.id", "u.organization_id", "u.email", "u.name", "u.roles", "u.language", "u.time_zone", "u.flags", "u.active", "u.external_id",
      "u.left_at", "u.created_at", "u.updated_at"},
     "users u", "u.organization_id = ?", {"u.id"}},
    {"identities", {"i.id", "i.user_id", "i.kind", "i.value", "i.label", "i.created_at"}, "identities i",
     "i.user_id IN (SELECT id FROM users WHERE organization_id = ?)", {"i.id"}},
    {"representations", {"r.representative_id", "r.user_id"}, "representations r",
     "r.representative_id IN (SELECT id FROM users WHERE organization_id = ?)", {"r.representative_id", "r.user_id"}},
    {"groups", {"g.id", "g.name", "g.description", "g.external_id", "g.created_at", "g.updated_at"}, "user_groups g",
     "g.organization_id = ?", {"g.id"}},
    {"group_members", {"m.group_id", "m.user_id"}, "user_group_members m",
     "m.group_id IN (SELECT id FROM user_groups WHERE organization_id = ?)", {"m.group_id", "m.user_id"}},
    {"tickets",
     {"t.id", "t.number", "t.type", "t.channel", "t.subject", "t.description", "t.requester_id", "t.on_behalf_of", "t.service_id",
      "t.impact", "t.urgency", "t.priority", "t.category", "t.team_id", "t.assignee_id", "t.status", "t.tags", "t.major_incident",
      "t.created_at", "t.updated_at", "t.resolved_at", "t.closed_at"},
     "tickets t", "t.organization_id = ?", {"t.id"}},
    {"ticket_events",
     {"e.id", "e.ticket_id", "e.seq", "e.kind", "e.actor_id", "e.channel", "e.internal", "e.body", "e.data", "e.created_at"},
     "ticket_events e", "e.ticket_id", {"e.ticket_id", "e.seq"}, false, true},
    {"ticket_links", {"l.from_id", "l.to_id", "l.kind", "l.created_by", "l.created_at"}, "ticket_links l",
     "l.from_id", {"l.from_id", "l.to_id"}, false, true},
    {"ticket_watchers", {"w.ticket_id", "w.user_id"}, "ticket_watchers w",
     "w.ticket_id", {"w.ticket_id", "w.user_id"}, false, true},
    {"attachments",
     {"a.id", "a.ticket_id", "a.event_id", "a.sha256", "a.name", "a.size", "a.content_type", "a.internal", "a.uploaded_by",
      "a.created_at"},
     "attachments a", "a.ticket_id", {"a.ticket_id", "a.id"}, false, true},
    {"requests", {"q.ticket_id", "q.request_type_id", "q.beneficiary_id", "q.answers", "q.price_cents", "q.created_at"},
     "ticket_requests q", "q.organization_id = ?", {"q.ticket_id"}},
    {"request_approvals", {"p.ticket_id", "p.step", "p.approver_id", "p.decision", "p.comment", "p.decided_at"}, "request_approvals p",
     "p.ticket_id", {"p.ticket_id", "p.step", "p.approver_id"}, false, true},
    {"subscriptions", {"b.id", "b.offering_id", "b.tier_id", "b.user_id", "b.starts_at", "b.ends_at", "b.created_at"},
     "subscriptions b", "b.organization_id = ?", {"b.id"}},
    {"charges",
     {"c.id", "c.user_id", "c.source", "c.ticket_id", "c.kind", "c.reference", "c.label", "c.quantity", "c.unit_cents",
      "c.amount_cents", "c.occurred_at", "c.voided", "c.invoice_id", "c.created_at"},
     "charges c", "c.organization_id = ?", {"c.id"}},
    {"invoices", {"v.id", "v.period", "v.state", "v.number", "v.total_cents", "v.created_at", "v.issued_at"}, "invoices v",
     "v.organization_id = ?", {"v.id"}},
    {"invoice_lines",
     {"n.invoice_id", "n.position", "n.kind", "n.source_id", "n.label", "n.user_id", "n.quantity", "n.unit_cents", "n.amount_cents",
      "n.from_at", "n.to_at"},
     "invoice_lines n", "n.invoice_id IN (SELECT id FROM invoices WHERE organization_id = ?)", {"n.invoice_id", "n.position"}},
    {"onboarding_plans",
     {"p.id", "p.template_id", "p.user_id", "p.scenario", "p.status", "p.definition", "p.actions", "p.start_date", "p.accepted_by",
      "p.accepted_at", "p.review", "p.created_at", "p.updated_at"},
     "onboarding_plans p", "p.organization_id = ?", {"p.id"}},
    {"requirement_evidence",
     {"r.id", "r.requirement_id", "r.user_id", "r.note", "r.status", "r.reason", "r.decided_at", "r.expires_on", "r.file_name",
      "r.file_size", "r.created_at"},
     "requirement_evidence r", "r.organization_id = ?", {"r.id"}},
    {"training_attempts", {"a.id", "a.training_id", "a.user_id", "a.correct", "a.questions", "a.passed", "a.created_at"},
     "training_attempts a", "a.organization_id = ?", {"a.id"}},
    {"terms_acceptances", {"a.id", "a.terms_id", "a.terms_version", "a.user_id", "a.channel", "a.accepted_at"}, "terms_acceptances a",
     "a.organization_id = ?", {"a.id"}},
    {"assets", {"a.id", "a.name", "a.kind", "a.assigned_to", "a.state", "a.note", "a.created_at", "a.updated_at"}, "assets a",
     "a.organization_id = ?", {"a.id"}},
    {"offboardings",
     {"f.id", "f.kind", "f.subject_id", "f.reason", "f.effective_at", "f.status", "f.steps", "f.facts", "f.created_at",
      "f.completed_at"},
     "offboardings f", "f.organization_id = ?", {"f.id"}},
    {"access_reviews", {"r.id", "r.opened_by", "r.grant_count", "r.decided_count", "r.created_at"}, "access_reviews r",
     "r.organization_id = ?", {"r.id"}},
    {"recovery_tasks", {"k.id", "k.ticket_id", "k.signal", "k.assignee_id", "k.status", "k.note", "k.created_at", "k.done_at"},
     "recovery_tasks k", "k.organization_id = ?", {"k.id"}, true},
    // KB-1, COM-1…COM-3: what the organisation's members wrote and gave in the community and the
    // help centre — their own topics, posts, votes, answers about articles, the reputation they
    // earned and the questions the help centre answered; others' posts in their topics are not theirs.
    {"community_topics",
     {"t.id", "t.space_id", "t.kind", "t.title", "t.author_id", "t.first_post_id", "t.accepted_post_id", "t.ticket_id", "t.locked",
      "t.hidden", "t.deleted", "t.created_at"},
     "topics t", "t.author_id IN (SELECT id FROM users WHERE organization_id = ?)", {"t.id"}},
    {"community_posts", {"p.id", "p.topic_id", "p.author_id", "p.body", "p.hidden", "p.deleted", "p.score", "p.created_at", "p.edited_at"},
     "posts p", "p.author_id IN (SELECT id FROM users WHERE organization_id = ?)", {"p.id"}},
    {"community_votes", {"v.post_id", "v.user_id", "v.value", "v.created_at"}, "votes v",
     "v.user_id IN (SELECT id FROM users WHERE organization_id = ?)", {"v.post_id", "v.user_id"}},
    {"reputation", {"r.id", "r.user_id", "r.space_id", "r.points", "r.earned", "r.reason", "r.source_id", "r.created_at"},
     "reputation_events r", "r.user_id IN (SELECT id FROM users WHERE organization_id = ?)", {"r.id"}},
    {"article_feedback", {"f.article_id", "f.language", "f.number", "f.user_id", "f.helpful", "f.comment", "f.created_at"},
     "article_feedback f", "f.user_id IN (SELECT id FROM users WHERE organization_id = ?)", {"f.article_id", "f.language", "f.number", "f.user_id"}},
    {"deflections", {"d.id", "d.user_id", "d.service_id", "d.kind", "d.target_id", "d.query", "d.created_at"}, "deflections d",
     "d.organization_id = ?", {"d.id"}},
};

std::string column_name(std::string_view qualified) { return std::string(qualified.substr(qualified.find('.') + 1)); }

}  // namespace

namespace organization_records {

const std::vector<RecordKind>& kinds() {
  static const std::vector<RecordKind> all = [] {
    std::vector<RecordKind> out;
    for (const auto& k : kKinds) {
      RecordKind r{std::string(k.file), {}, k.staff_only};
      for (auto col : k.columns) r.columns.push_back(column_name(col));
      out.push_back(std::move(r));
    }
    return out;
  }();
  return all;
}

Result<void> each(Connection& c, std::size_t index, const std::string& organization_id, bool with_internal,
                  const std::function<Result<void>(const Rows&)>& chunk) {
  const auto& kind = kKinds.at(index);
  auto select = fmt::format("{}", fmt::join(kind.columns, ", "));
  // Internal notes and their files are the provider's.
  std::string internal;
  if (!with_internal && (kind.file == "ticket_events" || kind.file == "attachments"))
    internal = fmt::format(" AND {}.internal = 0", kind.file == "ticket_events" ? "e" : "a");
  auto keys = fmt::format("{}", fmt::join(kind.keys, ", "));
  if (kind.per_ticket) {
    std::string after;
    for (;;) {
      ASSIGN_OR_RETURN(auto tickets, c.query("SELECT id FROM tickets WHERE organization_id = ? AND id > ? ORDER BY id LIMIT ?",
                                             {organization_id, after, std::int64_t(kTicketChunk)}));
      if (tickets.empty()) break;
      std::vector<storage::Value> ids;
      for (const auto& t : tickets) ids.emplace_back(t.text(0));
      auto marks = placeholders(ids.size());
      ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM {} WHERE {} IN ({}){} ORDER BY {}", select, kind.table, kind.belongs,
                                                      marks, internal, keys),
                                          ids));
      TRY(chunk(rows));
      if (tickets.size() < std::size_t(kTicketChunk)) break;
      after = tickets.back().text(0);
    }
  } else {
    auto marks = placeholders(kind.keys.size());
    auto after_last = kind.keys.size() == 1 ? fmt::format(" AND {} > ?", keys) : fmt::format(" AND ({}) > ({})", keys, marks);
    std::vector<storage::Value> last;  // the keys of the last row written
    for (;;) {
      auto sql = fmt::format("SELECT {}, {} FROM {} WHERE {}{} ORDER BY {} LIMIT ?", select, keys, kind.table, kind.belongs,
                             last.empty() ? "" : after_last, keys);
      std::vector<storage::Value> params{organization_id};
      params.insert(params.end(), last.begin(), last.end());
      params.emplace_back(std::int64_t(kChunk));
      ASSIGN_OR_RETURN(auto rows, c.query(sql, params));
      TRY(chunk(rows));
      if (rows.size() < std::size_t(kChunk)) break;
      last.assign(rows.back().cells.begin() + std::ptrdiff_t(kind.columns.size()), rows.back().cells.end());
    }
  }
  return {};
}

Result<std::vector<FileRef>> files(Connection& c, const std::string& organization_id, bool with_internal) {
  ASSIGN_OR_RETURN(auto rows, c.query(std::string("SELECT a.id, a.sha256, a.name FROM attachments a JOIN tickets t ON t.id = a.ticket_id "
                                                  "WHERE t.organization_id = ?") +
                                          (with_internal ? "" : " AND a.internal = 0") + " ORDER BY a.id",
                                      {organization_id}));
  std::vector<FileRef> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.text(1), r.text(2)});
  return out;
}

}  // namespace organization_records
}  // namespace tandem::storage
