#include "usecase/organization_export.h"

#include <zip.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "core/id.h"
#include "core/log.h"
#include "storage/organizations.h"
#include "usecase/attachments.h"

namespace tandem::usecase {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

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
};

std::string column_name(std::string_view qualified) { return std::string(qualified.substr(qualified.find('.') + 1)); }

bool is_time(const std::string& column) { return column.ends_with("_at"); }

// A cell as JSON: times in RFC 3339, numbers as numbers, text as text.
Json cell_json(const storage::Row& r, std::size_t i, const std::string& column) {
  const auto& v = r.cells[i];
  if (std::holds_alternative<std::monostate>(v)) return nullptr;
  if (auto n = std::get_if<std::int64_t>(&v)) return is_time(column) ? Json(to_rfc3339(from_millis(*n))) : Json(*n);
  return std::get<std::string>(v);
}

// RFC 4180, and a leading = + - @ made inert so that a spreadsheet does not run it as a formula.
std::string csv_cell(const Json& v) {
  if (v.is_null()) return "";
  std::string text = v.is_string() ? v.get<std::string>() : v.dump();
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@') && !v.is_number()) text = "'" + text;
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

// A zip written when it is closed, each entry read then from its file on disk: memory stays
// flat however large the export. Text is deflated at level 1 (fast; JSON and CSV shrink most of
// the way at any level); attachments, mostly compressed already, are stored.
class Zip {
 public:
  explicit Zip(const fs::path& path) {
    int error = 0;
    z_ = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  }
  ~Zip() {
    if (z_) zip_discard(z_);
  }
  Zip(const Zip&) = delete;
  Zip& operator=(const Zip&) = delete;

  Result<void> add(const std::string& name, const fs::path& source, bool compress) {
    if (!z_) return fail(Code::internal, "export: the zip cannot be created");
    auto* file = zip_source_file(z_, source.c_str(), 0, -1);
    if (!file) return fail(failure());
    auto index = zip_file_add(z_, name.c_str(), file, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (index < 0) {
      zip_source_free(file);
      return fail(failure());
    }
    if (zip_set_file_compression(z_, zip_uint64_t(index), compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, compress ? 1 : 0) != 0)
      return fail(failure());
    return {};
  }

  Result<void> close() {
    if (!z_) return fail(Code::internal, "export: the zip cannot be created");
    if (zip_close(z_) != 0) return fail(failure());
    z_ = nullptr;
    return {};
  }

 private:
  Error failure() const { return Error(Code::internal, std::string("export: ") + zip_strerror(z_)); }
  zip_t* z_ = nullptr;
};

// A directory removed with everything in it when the export ends, whichever way.
struct Scratch {
  fs::path dir;
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

// Writes `<kind>.json` and `<kind>.csv` of one kind of record; how many records.
Result<std::int64_t> write_kind(storage::Connection& c, const Kind& kind, const std::string& organization_id, bool staff,
                                const fs::path& dir) {
  std::vector<std::string> names;
  std::string select;
  for (auto col : kind.columns) {
    names.push_back(column_name(col));
    select += (select.empty() ? "" : ", ") + std::string(col);
  }
  std::ofstream json(dir / (std::string(kind.file) + ".json"), std::ios::binary);
  std::ofstream csv(dir / (std::string(kind.file) + ".csv"), std::ios::binary);
  for (std::size_t i = 0; i < names.size(); ++i) csv << (i ? "," : "") << names[i];
  csv << "\r\n";
  json << "[";
  // Internal notes and their files are the provider's: only staff export them.
  std::string internal;
  if (!staff && (kind.file == "ticket_events" || kind.file == "attachments"))
    internal = fmt::format(" AND {}.internal = 0", kind.file == "ticket_events" ? "e" : "a");
  auto keys = fmt::format("{}", fmt::join(kind.keys, ", "));
  std::int64_t count = 0;
  auto emit = [&](const storage::Rows& rows) {
    for (const auto& r : rows) {
      Json record = Json::object();
      for (std::size_t i = 0; i < names.size(); ++i) {
        auto v = cell_json(r, i, names[i]);
        csv << (i ? "," : "") << csv_cell(v);
        record[names[i]] = std::move(v);
      }
      csv << "\r\n";
      json << (count ? ",\n" : "\n") << record.dump(-1, ' ', false, Json::error_handler_t::replace);
      ++count;
    }
  };
  if (kind.per_ticket) {
    std::string after;
    for (;;) {
      ASSIGN_OR_RETURN(auto tickets, c.query("SELECT id FROM tickets WHERE organization_id = ? AND id > ? ORDER BY id LIMIT ?",
                                             {organization_id, after, std::int64_t(kTicketChunk)}));
      if (tickets.empty()) break;
      std::vector<storage::Value> ids;
      for (const auto& t : tickets) ids.emplace_back(t.text(0));
      auto marks = fmt::format("{}", fmt::join(std::vector<std::string>(ids.size(), "?"), ", "));
      ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM {} WHERE {} IN ({}){} ORDER BY {}", select, kind.table, kind.belongs,
                                                      marks, internal, keys),
                                          ids));
      emit(rows);
      if (tickets.size() < std::size_t(kTicketChunk)) break;
      after = tickets.back().text(0);
    }
  } else {
    auto marks = fmt::format("{}", fmt::join(std::vector<std::string>(kind.keys.size(), "?"), ", "));
    auto after_last = kind.keys.size() == 1 ? fmt::format(" AND {} > ?", keys) : fmt::format(" AND ({}) > ({})", keys, marks);
    std::vector<storage::Value> last;  // the keys of the last row written
    for (;;) {
      auto sql = fmt::format("SELECT {}, {} FROM {} WHERE {}{} ORDER BY {} LIMIT ?", select, keys, kind.table, kind.belongs,
                             last.empty() ? "" : after_last, keys);
      std::vector<storage::Value> params{organization_id};
      params.insert(params.end(), last.begin(), last.end());
      params.emplace_back(std::int64_t(kChunk));
      ASSIGN_OR_RETURN(auto rows, c.query(sql, params));
      emit(rows);
      if (rows.size() < std::size_t(kChunk)) break;
      last.assign(rows.back().cells.begin() + std::ptrdiff_t(names.size()), rows.back().cells.end());
    }
  }
  json << "\n]\n";
  if (!json || !csv) return fail(Code::internal, "export: cannot write " + std::string(kind.file));
  return count;
}

}  // namespace

Result<ExportFile> export_organization(const Services& s, const identity::Actor& actor, std::string_view organization_id) {
  TRY(authorize(actor, "organization.export"));
  auto now = s.clock.now();
  auto root = fs::path(s.attachments_dir).parent_path() / "exports";
  Scratch scratch{root / new_id("exp", now)};
  std::error_code ec;
  fs::create_directories(scratch.dir, ec);
  if (ec) return fail(Code::unavailable, "The export cannot be written: " + ec.message());

  ExportFile out;
  std::vector<std::pair<std::string, fs::path>> files;  // attachments: name in the zip, file on disk
  TRY(s.db.read([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, storage::Scope::for_actor(actor), organization_id));
    if (!org) return fail(Code::not_found, "No such organisation.");
    if (org->kind != identity::OrganizationKind::consumer)
      return fail(Code::failed_precondition, "Only a customer organisation is exported.");
    out.file_name = "tandem-export-" + org->id + "-" + to_rfc3339(now).substr(0, 10) + ".zip";
    for (const auto& kind : kKinds) {
      if (kind.staff_only && !actor.staff()) continue;
      ASSIGN_OR_RETURN(auto n, write_kind(c, kind, org->id, actor.staff(), scratch.dir));
      out.records += n;
    }
    // The attachments' files, under the organisation's content directory (or the older shared one).
    auto own = organisation_files(s, org->id);
    ASSIGN_OR_RETURN(auto rows, c.query(std::string("SELECT a.id, a.sha256, a.name FROM attachments a JOIN tickets t ON t.id = a.ticket_id "
                                                    "WHERE t.organization_id = ?") +
                                            (actor.staff() ? "" : " AND a.internal = 0") + " ORDER BY a.id",
                                        {org->id}));
    for (const auto& r : rows) {
      auto sha = r.text(1);
      auto path = own / sha.substr(0, 2) / sha;
      if (!fs::exists(path)) path = fs::path(s.attachments_dir) / sha.substr(0, 2) / sha;
      files.emplace_back("attachments/" + r.text(0) + "-" + r.text(2), path);
    }
    return {};
  }));

  auto zip_path = root / (scratch.dir.filename().string() + ".zip");
  auto zipped = [&]() -> Result<void> {
    Zip zip(zip_path);
    for (const auto& kind : kKinds) {
      if (kind.staff_only && !actor.staff()) continue;
      for (auto ext : {".json", ".csv"}) TRY(zip.add(std::string(kind.file) + ext, scratch.dir / (std::string(kind.file) + ext), true));
    }
    for (const auto& [name, path] : files) {
      if (!fs::exists(path)) {
        log_message(LogLevel::warn, "export: the file of " + name + " is missing");
        continue;
      }
      TRY(zip.add(name, path, false));
    }
    return zip.close();
  }();
  if (!zipped) {
    log_message(LogLevel::error, "export of " + std::string(organization_id) + " failed: " + zipped.error().message);
    fs::remove(zip_path, ec);
    return std::unexpected(zipped.error());
  }
  out.path = zip_path.string();
  out.bytes = std::int64_t(fs::file_size(zip_path, ec));
  TRY(s.db.write([&](storage::Connection& c) {
    return record(c, s, actor, {"organization.export", "organization", std::string(organization_id), std::string(organization_id),
                                std::nullopt, std::nullopt});
  }));
  return out;
}

}  // namespace tandem::usecase
