#include "usecase/importer.h"

#include <fstream>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <shared_mutex>
#include <sstream>

#include "core/crypto.h"
#include "core/id.h"
#include "domain/migration/csv.h"
#include "domain/tickets/attachment.h"
#include "domain/tickets/workflow.h"
#include "storage/attachments.h"
#include "storage/import_keys.h"
#include "storage/organizations.h"
#include "storage/tickets.h"
#include "storage/users.h"
#include "usecase/attachments.h"
#include "usecase/import_batch.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using namespace importing;

using Json = nlohmann::json;
using storage::Scope;
namespace tk = ::tandem::tickets;
namespace fs = std::filesystem;

void reject(ImportReport& report, std::string kind, std::string source_id, std::string reason) {
  report.counts[kind].rejected += 1;
  if (report.rejected.size() < kMaxListedProblems) report.rejected.push_back({std::move(kind), std::move(source_id), std::move(reason)});
}

std::int64_t time_of(const Json& v, std::int64_t fallback = 0) {
  if (!v.is_string()) return fallback;
  Time t;
  return parse_rfc3339(v.get<std::string>(), t) ? to_millis(t) : fallback;
}

std::string text_of(const Json& row, const char* key) {
  auto it = row.find(key);
  return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::string> maybe_text(const Json& row, const char* key) {
  auto it = row.find(key);
  if (it == row.end() || !it->is_string() || it->get<std::string>().empty()) return std::nullopt;
  return it->get<std::string>();
}

std::int64_t integer_of(const Json& row, const char* key) {
  auto it = row.find(key);
  return it != row.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::vector<std::string> words(std::string_view text, char by) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : text) {
    if (ch == by) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

// ---- our own export ---------------------------------------------------------------------------

Result<Json> json_entry(const ZipReader& zip, const std::string& name, bool required) {
  if (!zip.has(name)) {
    if (required) return fail(Code::invalid_argument, "This is not a Tandem export: it has no " + name + ".");
    return Json::array();
  }
  ASSIGN_OR_RETURN(auto text, zip.read(name));
  auto parsed = Json::parse(text, nullptr, false);
  if (!parsed.is_array()) return fail(Code::invalid_argument, "The export's " + name + " is not a JSON array.");
  return parsed;
}

// Each record of a JSON array as the export writes it — one record a line — so that a large kind
// is never one document in memory; an array laid out otherwise is read whole.
Result<void> each_record(const ZipReader& zip, const std::string& name, bool required, const std::function<void(const Json&)>& fn) {
  if (!zip.has(name)) {
    if (required) return fail(Code::invalid_argument, "This is not a Tandem export: it has no " + name + ".");
    return {};
  }
  ASSIGN_OR_RETURN(auto text, zip.read(name));
  std::string_view rest = text;
  bool lines = rest.starts_with("[\n") || rest.starts_with("[\r\n") || rest.starts_with("[]");
  while (lines && !rest.empty()) {
    auto end = rest.find('\n');
    auto line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    while (!line.empty() && (line.back() == ',' || line.back() == '\r')) line.remove_suffix(1);
    if (line.empty() || line == "[" || line == "]" || line == "[]") continue;
    auto record = Json::parse(line, nullptr, false);
    if (!record.is_object()) {
      lines = false;  // not one record a line after all
      break;
    }
    fn(record);
  }
  if (lines) return {};
  auto parsed = Json::parse(text, nullptr, false);
  if (!parsed.is_array()) return fail(Code::invalid_argument, "The export's " + name + " is not a JSON array.");
  for (const auto& record : parsed)
    if (record.is_object()) fn(record);
  return {};
}

Result<Batch> read_tandem(const ZipReader& zip) {
  Batch b;
  b.keep_ids = true;
  ASSIGN_OR_RETURN(auto orgs, json_entry(zip, "organization.json", true));
  if (orgs.size() != 1 || !orgs[0].is_object() || text_of(orgs[0], "id").empty())
    return fail(Code::invalid_argument, "The export's organization.json must hold one organisation.");
  b.organizations.push_back({text_of(orgs[0], "id"), text_of(orgs[0], "name"), time_of(orgs[0]["created_at"]),
                             time_of(orgs[0]["updated_at"], time_of(orgs[0]["created_at"]))});
  b.source = "tandem:" + b.organizations[0].source_id;
  const auto& org = b.organizations[0].source_id;

  ASSIGN_OR_RETURN(auto users, json_entry(zip, "users.json", true));
  ASSIGN_OR_RETURN(auto identities, json_entry(zip, "identities.json", false));
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> other_identities;
  for (const auto& i : identities)
    if (i.is_object() && text_of(i, "kind") != "email") other_identities[text_of(i, "user_id")].push_back({text_of(i, "kind"), text_of(i, "value")});
  for (const auto& u : users) {
    if (!u.is_object()) continue;
    IncomingPerson p;
    p.source_id = text_of(u, "id");
    p.organization = org;
    p.email = text_of(u, "email");
    p.name = text_of(u, "name");
    p.language = text_of(u, "language");
    p.time_zone = text_of(u, "time_zone");
    p.roles.clear();
    for (const auto& r : words(text_of(u, "roles"), ' '))
      if (auto role = identity::parse_role(r)) p.roles.push_back(*role);
    p.identities = other_identities[p.source_id];
    p.external_id = maybe_text(u, "external_id");
    p.active = integer_of(u, "active") != 0;
    p.created_at = time_of(u.value("created_at", Json()));
    p.updated_at = time_of(u.value("updated_at", Json()), p.created_at);
    b.people.push_back(std::move(p));
  }

  // The ticket side a record at a time: a large organisation is never one document in memory.
  std::map<std::string, std::size_t> index;
  TRY(each_record(zip, "tickets.json", true, [&](const Json& t) {
    IncomingTicket in;
    in.source_id = text_of(t, "id");
    in.organization = org;
    auto& x = in.ticket;
    x.id = in.source_id;
    auto type = tk::parse_type(text_of(t, "type"));
    auto channel = tk::parse_channel(text_of(t, "channel"));
    if (!type || !channel) {
      b.problems.push_back({"tickets", in.source_id, "an unknown type or channel"});
      return;
    }
    x.type = *type;
    x.channel = *channel;
    x.subject = text_of(t, "subject");
    x.description = text_of(t, "description");
    x.requester_id = text_of(t, "requester_id");
    x.on_behalf_of = maybe_text(t, "on_behalf_of");
    x.service_id = maybe_text(t, "service_id");
    x.impact = tk::parse_level(text_of(t, "impact")).value_or(tk::Level::medium);
    x.urgency = tk::parse_level(text_of(t, "urgency")).value_or(tk::Level::medium);
    x.priority = tk::parse_priority(text_of(t, "priority")).value_or(tk::Priority::medium);
    x.category = text_of(t, "category");
    x.team_id = maybe_text(t, "team_id");
    x.assignee_id = maybe_text(t, "assignee_id");
    x.status = text_of(t, "status");
    x.tags = words(text_of(t, "tags"), '\n');
    x.major_incident = integer_of(t, "major_incident") != 0;
    x.created_at = time_of(t.value("created_at", Json()));
    x.updated_at = time_of(t.value("updated_at", Json()), x.created_at);
    if (t.contains("resolved_at") && !t["resolved_at"].is_null()) x.resolved_at = time_of(t["resolved_at"]);
    if (t.contains("closed_at") && !t["closed_at"].is_null()) x.closed_at = time_of(t["closed_at"]);
    index[in.source_id] = b.tickets.size();
    b.tickets.push_back(std::move(in));
  }));
  TRY(each_record(zip, "ticket_events.json", false, [&](const Json& e) {
    auto it = index.find(text_of(e, "ticket_id"));
    if (it == index.end()) return;
    IncomingEvent ev;
    ev.source_id = text_of(e, "id");
    ev.seq = integer_of(e, "seq");
    ev.kind = text_of(e, "kind");
    ev.actor = text_of(e, "actor_id");
    ev.channel = tk::parse_channel(text_of(e, "channel")).value_or(tk::Channel::portal);
    ev.internal = integer_of(e, "internal") != 0;
    ev.body = text_of(e, "body");
    ev.data = text_of(e, "data").empty() ? "{}" : text_of(e, "data");
    ev.created_at = time_of(e.value("created_at", Json()));
    b.tickets[it->second].events.push_back(std::move(ev));
  }));
  TRY(each_record(zip, "attachments.json", false, [&](const Json& f) {
    auto it = index.find(text_of(f, "ticket_id"));
    if (it == index.end()) return;
    IncomingFile in;
    in.source_id = text_of(f, "id");
    in.event = text_of(f, "event_id");
    in.name = text_of(f, "name");
    in.content_type = text_of(f, "content_type");
    in.entry = "attachments/" + in.source_id + "-" + in.name;
    in.internal = integer_of(f, "internal") != 0;
    in.uploaded_by = text_of(f, "uploaded_by");
    in.created_at = time_of(f.value("created_at", Json()));
    b.tickets[it->second].files.push_back(std::move(in));
  }));
  TRY(each_record(zip, "ticket_watchers.json", false, [&](const Json& w) {
    auto it = index.find(text_of(w, "ticket_id"));
    if (it != index.end()) b.tickets[it->second].ticket.watchers.push_back(text_of(w, "user_id"));
  }));
  TRY(each_record(zip, "ticket_links.json", false, [&](const Json& l) {
    b.links.push_back(
        {text_of(l, "from_id"), text_of(l, "to_id"), text_of(l, "kind"), text_of(l, "created_by"), time_of(l.value("created_at", Json()))});
  }));
  return b;
}

// ---- the documented CSV layout (docs/import-csv.md) -------------------------------------------

const std::vector<std::string> kCsvColumns = {"ticket", "kind", "created_at", "organization", "author_email", "author_name",
                                              "type", "status", "subject", "body"};

Result<Batch> read_csv(std::string_view text) {
  ASSIGN_OR_RETURN(auto records, migration::parse_csv(text));
  ASSIGN_OR_RETURN(auto table, migration::CsvTable::make(std::move(records), kCsvColumns));
  Batch b;
  b.source = "csv";
  std::map<std::string, std::size_t> tickets;  // organisation \n ref → index
  std::set<std::string> orgs, emails;
  for (std::size_t row = 0; row < table.size(); ++row) {
    auto line = "line " + std::to_string(table.line_of(row));
    std::string org(table.at(row, "organization")), ref(table.at(row, "ticket")), kind(table.at(row, "kind"));
    std::string email(table.at(row, "author_email"));
    Time at;
    if (!parse_rfc3339(table.at(row, "created_at"), at)) {
      b.problems.push_back({"tickets", ref, line + ": created_at must be an RFC 3339 time"});
      continue;
    }
    if (org.empty() || ref.empty()) {
      b.problems.push_back({"tickets", ref, line + ": organization and ticket are required"});
      continue;
    }
    auto normalized = identity::normalize_email(email);
    if (!normalized) {
      b.problems.push_back({"tickets", ref, line + ": author_email is not an e-mail address"});
      continue;
    }
    if (orgs.insert(org).second) b.organizations.push_back({org, org, to_millis(at), to_millis(at)});
    if (emails.insert(*normalized).second) {
      IncomingPerson p;
      p.source_id = *normalized;
      p.organization = org;
      p.email = email;
      p.name = table.at(row, "author_name").empty() ? email : std::string(table.at(row, "author_name"));
      p.created_at = p.updated_at = to_millis(at);
      b.people.push_back(std::move(p));
    }
    auto key = org + "\n" + ref;
    auto found = tickets.find(key);
    if (kind == "ticket") {
      if (found != tickets.end()) {
        b.problems.push_back({"tickets", ref, line + ": the ticket is opened twice"});
        continue;
      }
      auto type = tk::parse_type(table.at(row, "type").empty() ? "incident" : table.at(row, "type"));
      if (!type) {
        b.problems.push_back({"tickets", ref, line + ": type must be incident, service_request, complaint, compliment or consultation"});
        continue;
      }
      IncomingTicket t;
      t.source_id = key;
      t.organization = org;
      t.ticket.type = *type;
      t.ticket.channel = tk::Channel::api;
      t.ticket.subject = table.at(row, "subject");
      t.ticket.description = table.at(row, "body");
      t.ticket.requester_id = *normalized;
      t.ticket.status = table.at(row, "status").empty() ? "new" : std::string(table.at(row, "status"));
      t.ticket.created_at = t.ticket.updated_at = to_millis(at);
      // Its opening is its first event, as a ticket raised here has.
      t.events.push_back({key + "\ncreated", "created", *normalized, 0, tk::Channel::api, false, "",
                          Json{{"subject", t.ticket.subject}, {"type", tk::to_string(*type)}, {"status", t.ticket.status}}.dump(),
                          to_millis(at)});
      tickets[key] = b.tickets.size();
      b.tickets.push_back(std::move(t));
    } else if (kind == "reply" || kind == "note" || kind == "status") {
      if (found == tickets.end()) {
        b.problems.push_back({"tickets", ref, line + ": a " + kind + " before its ticket row"});
        continue;
      }
      auto& t = b.tickets[found->second];
      IncomingEvent e;
      e.source_id = key + "\n" + std::to_string(table.line_of(row));
      e.actor = *normalized;
      e.channel = tk::Channel::api;
      e.created_at = to_millis(at);
      if (kind == "status") {
        std::string to(table.at(row, "status"));
        e.kind = "status_changed";
        e.data = Json{{"from", t.ticket.status}, {"to", to}}.dump();
        t.ticket.status = to;
      } else {
        e.kind = kind == "reply" ? "comment" : "note";
        e.internal = kind == "note";
        e.body = table.at(row, "body");
      }
      t.ticket.updated_at = std::max(t.ticket.updated_at, e.created_at);
      t.events.push_back(std::move(e));
    } else {
      b.problems.push_back({"tickets", ref, line + ": kind must be ticket, reply, note or status"});
    }
  }
  return b;
}

// ---- putting it in the store ------------------------------------------------------------------

class Apply {
 public:
  Apply(storage::Connection& c, const Services& s, const Batch& b, ImportReport& report, const ZipReader* zip, bool write_files)
      : c_(c), s_(s), b_(b), report_(report), zip_(zip), write_files_(write_files), now_(to_millis(s.clock.now())) {}

  Result<void> run() {
    for (const auto& p : b_.problems) reject(report_, p.kind, p.source_id, p.reason);
    for (const auto& o : b_.organizations) TRY(organization(o));
    for (const auto& p : b_.people) TRY(person(p));
    for (const auto& t : b_.tickets) TRY(ticket(t));
    for (const auto& l : b_.links) TRY(link(l));
    return {};
  }

 private:
  // A record already here with this id but of another organisation is never taken over.
  Result<bool> id_taken(std::string_view table, const std::string& id) {
    ASSIGN_OR_RETURN(auto owner, storage::import_keys::organization_of(c_, table, id));
    return owner.has_value();
  }

  Result<void> organization(const IncomingOrganization& o) {
    ASSIGN_OR_RETURN(auto known, storage::import_keys::find(c_, b_.source, "organizations", o.source_id));
    if (known) {
      orgs_[o.source_id] = *known;
      merged_orgs_.insert(*known);
      report_.counts["organizations"].merged += 1;
      return {};
    }
    if (o.name.empty() || o.name.size() > 200) {
      reject(report_, "organizations", o.source_id, "a name of 1–200 bytes is required");
      return {};
    }
    // The same name here: the same customer.
    storage::PageRequest page{500, ""};
    for (;;) {
      ASSIGN_OR_RETURN(auto here, storage::organizations::list(c_, Scope::system(), page));
      for (const auto& existing : here.items)
        if (existing.name == o.name && existing.kind == identity::OrganizationKind::consumer) {
          orgs_[o.source_id] = existing.id;
          merged_orgs_.insert(existing.id);
          report_.counts["organizations"].merged += 1;
          return storage::import_keys::remember(c_, b_.source, "organizations", o.source_id, existing.id, now_);
        }
      if (!here.next_after) break;
      page.after = *here.next_after;
    }
    storage::Organization org;
    ASSIGN_OR_RETURN(auto taken, id_taken("organizations", o.source_id));
    org.id = b_.keep_ids && !taken ? o.source_id : new_id("org", s_.clock.now());
    org.name = o.name;
    org.kind = identity::OrganizationKind::consumer;
    org.created_at = o.created_at ? o.created_at : now_;
    org.updated_at = o.updated_at ? o.updated_at : org.created_at;
    TRY(storage::organizations::insert(c_, org));
    TRY(record(c_, s_, system_actor(), {"organization.import", "organization", org.id, org.id, std::nullopt, canonical(org)}));
    orgs_[o.source_id] = org.id;
    report_.counts["organizations"].created += 1;
    return storage::import_keys::remember(c_, b_.source, "organizations", o.source_id, org.id, now_);
  }

  Result<void> person(const IncomingPerson& p) {
    auto org = orgs_.find(p.organization);
    if (org == orgs_.end()) {
      reject(report_, "users", p.source_id, "its organisation was not imported");
      return {};
    }
    // Imported before — into this organisation: another import of the same source into another
    // organisation is another person there.
    ASSIGN_OR_RETURN(auto known, storage::import_keys::find(c_, b_.source, "users", p.source_id));
    if (known) {
      ASSIGN_OR_RETURN(auto where, storage::import_keys::organization_of(c_, "users", *known));
      if (where == org->second) {
        people_[p.source_id] = *known;
        people_org_[p.source_id] = org->second;
        report_.counts["users"].merged += 1;
        return {};
      }
    }
    auto email = identity::normalize_email(p.email);
    if (!email) {
      reject(report_, "users", p.source_id, "no valid e-mail address");
      return {};
    }
    ASSIGN_OR_RETURN(auto owner, storage::users::owner_of_identity(c_, "email", *email));
    if (owner) {
      ASSIGN_OR_RETURN(auto existing, storage::users::find(c_, Scope::system(), *owner));
      if (!existing || existing->organization_id != org->second) {
        reject(report_, "users", p.source_id, "the e-mail address belongs to someone of another organisation here");
        return {};
      }
      people_[p.source_id] = *owner;
      people_org_[p.source_id] = org->second;
      report_.counts["users"].merged += 1;
      return storage::import_keys::remember(c_, b_.source, "users", p.source_id, *owner, now_);
    }
    storage::User u;
    ASSIGN_OR_RETURN(auto taken, id_taken("users", p.source_id));
    u.id = b_.keep_ids && !taken ? p.source_id : new_id("usr", s_.clock.now());
    u.organization_id = org->second;
    u.email = p.email;
    u.name = p.name.empty() ? p.email : p.name;
    // Imported people are the customer's people: never the new provider's staff; and someone new
    // in an organisation that was here already (matched by its name) is a user — who manages
    // it there is its customer's to say, not a file's.
    if (!merged_orgs_.contains(org->second))
      for (auto r : p.roles)
        if (!identity::is_staff({r})) u.roles.push_back(r);
    if (u.roles.empty()) u.roles = {identity::Role::user};
    u.language = identity::is_supported_language(p.language) ? p.language : "en";
    u.time_zone = p.time_zone.empty() ? "UTC" : p.time_zone;
    u.identities.push_back({"email", p.email, *email, ""});
    for (const auto& [kind, value] : p.identities) {
      auto normalized = kind == "phone" ? identity::normalize_phone(value) : Result<std::string>(value);
      if (!normalized) continue;
      ASSIGN_OR_RETURN(auto holder, storage::users::owner_of_identity(c_, kind, *normalized));
      if (!holder) u.identities.push_back({kind, value, *normalized, ""});
    }
    u.external_id = p.external_id;
    u.active = p.active;
    u.created_at = p.created_at ? p.created_at : now_;
    u.updated_at = p.updated_at ? p.updated_at : u.created_at;
    TRY(storage::users::insert(c_, u, std::nullopt));
    TRY(record(c_, s_, system_actor(), {"user.import", "user", u.id, u.organization_id, std::nullopt, canonical(u)}));
    people_[p.source_id] = u.id;
    people_org_[p.source_id] = org->second;
    report_.counts["users"].created += 1;
    return storage::import_keys::remember(c_, b_.source, "users", p.source_id, u.id, now_);
  }

  // A person of the file in the organisation, or someone here by their id: of the organisation,
  // or (where `staff` allows: who works a ticket, who wrote on it) the provider's staff on a
  // round trip. Anyone else is left out and counted: a file never ties another organisation's
  // people to this one's tickets.
  Result<std::optional<std::string>> someone(const std::string& id, const std::string& organization_id, bool staff) {
    if (id.empty()) return std::optional<std::string>();
    if (auto it = people_.find(id); it != people_.end()) {
      if (people_org_[id] == organization_id) return std::optional<std::string>(it->second);
      report_.dropped_references += 1;
      return std::optional<std::string>();
    }
    if (b_.keep_ids) {
      ASSIGN_OR_RETURN(auto here, storage::users::find(c_, Scope::system(), id));
      if (here && (here->organization_id == organization_id || (staff && identity::is_staff(here->roles))))
        return std::optional<std::string>(id);
    }
    report_.dropped_references += 1;
    return std::optional<std::string>();
  }

  Result<std::optional<std::string>> kept(std::string_view table, const std::optional<std::string>& id) {
    if (!id) return std::optional<std::string>();
    ASSIGN_OR_RETURN(auto here, storage::import_keys::organization_of(c_, table, *id));
    if (here) return id;
    report_.dropped_references += 1;
    return std::optional<std::string>();
  }

  Result<void> ticket(const IncomingTicket& in) {
    auto org = orgs_.find(in.organization);
    if (org == orgs_.end()) {
      reject(report_, "tickets", in.source_id, "its organisation was not imported");
      return {};
    }
    ASSIGN_OR_RETURN(auto known, storage::import_keys::find(c_, b_.source, "tickets", in.source_id));
    if (known) {
      tickets_[in.source_id] = *known;
      report_.counts["tickets"].merged += 1;
      return {};
    }
    // Our own export brought back: the ticket is here already.
    if (b_.keep_ids) {
      ASSIGN_OR_RETURN(auto owner, storage::import_keys::organization_of(c_, "tickets", in.source_id));
      if (owner && *owner == org->second) {
        tickets_[in.source_id] = in.source_id;
        report_.counts["tickets"].merged += 1;
        return storage::import_keys::remember(c_, b_.source, "tickets", in.source_id, in.source_id, now_);
      }
    }
    auto t = in.ticket;
    ASSIGN_OR_RETURN(auto requester, someone(t.requester_id, org->second, false));
    if (!requester) {
      reject(report_, "tickets", in.source_id, "its requester is not among the people imported");
      return {};
    }
    if (!tk::Workflows::builtin().of(t.type).category_of(t.status)) {
      reject(report_, "tickets", in.source_id, "'" + t.status + "' is not a state of " + std::string(tk::to_string(t.type)) + " tickets");
      return {};
    }
    if (t.subject.empty() || t.subject.size() > 500) {
      reject(report_, "tickets", in.source_id, "a subject of 1–500 bytes is required");
      return {};
    }
    ASSIGN_OR_RETURN(auto taken, id_taken("tickets", in.source_id));
    t.id = b_.keep_ids && !taken ? in.source_id : new_id("tkt", s_.clock.now());
    ASSIGN_OR_RETURN(t.number, storage::ticket_store::next_number(c_));
    t.organization_id = org->second;
    t.requester_id = *requester;
    if (t.on_behalf_of) {
      ASSIGN_OR_RETURN(t.on_behalf_of, someone(*t.on_behalf_of, org->second, false));
    }
    ASSIGN_OR_RETURN(t.service_id, kept("services", t.service_id));
    ASSIGN_OR_RETURN(t.team_id, kept("teams", t.team_id));
    if (t.assignee_id) {
      ASSIGN_OR_RETURN(t.assignee_id, someone(*t.assignee_id, org->second, true));
    }
    std::set<std::string> watchers;
    for (const auto& w : in.ticket.watchers) {
      ASSIGN_OR_RETURN(auto who, someone(w, org->second, false));
      if (who) watchers.insert(*who);
    }
    t.watchers.assign(watchers.begin(), watchers.end());
    t.version = 1;
    // An export's events keep their places: the provider's internal ones a customer's export
    // leaves out are gaps.
    t.last_seq = 0;
    for (const auto& e : in.events) t.last_seq = std::max(t.last_seq + 1, e.seq);  // as append numbers them
    TRY(storage::ticket_store::insert(c_, t));
    tickets_[in.source_id] = t.id;
    report_.counts["tickets"].created += 1;
    TRY(storage::import_keys::remember(c_, b_.source, "tickets", in.source_id, t.id, now_));

    // Files take their ids first: the timeline entry that shows one names it.
    std::map<std::string, std::string> event_ids, file_ids;
    for (const auto& f : in.files) {
      ASSIGN_OR_RETURN(auto taken_file, storage::import_keys::exists(c_, "attachments", f.source_id));
      file_ids[f.source_id] = b_.keep_ids && !taken_file ? f.source_id : new_id("att", s_.clock.now());
    }
    std::int64_t seq = 0;
    auto append = [&](const IncomingEvent& e) -> Result<void> {
      storage::TicketEvent ev;
      bool taken_event = false;
      if (b_.keep_ids) {
        ASSIGN_OR_RETURN(taken_event, storage::import_keys::exists(c_, "ticket_events", e.source_id));
      }
      ev.id = b_.keep_ids && !taken_event && !e.source_id.empty() ? e.source_id : new_id("evt", s_.clock.now());
      ev.ticket_id = t.id;
      ev.seq = seq = std::max(seq + 1, e.seq);
      ev.kind = e.kind;
      ASSIGN_OR_RETURN(auto actor, someone(e.actor, t.organization_id, true));
      ev.actor_id = actor.value_or("");
      ev.channel = e.channel;
      ev.visibility = e.internal ? storage::Visibility::internal : storage::Visibility::public_;
      ev.body = e.body;
      ev.data = e.data;
      if (e.kind == "attachment") {
        auto data = Json::parse(e.data, nullptr, false);
        if (data.is_object() && data.contains("attachment_id") && data["attachment_id"].is_string())
          if (auto local = file_ids.find(data["attachment_id"].get<std::string>()); local != file_ids.end()) {
            data["attachment_id"] = local->second;
            ev.data = data.dump();
          }
      }
      ev.created_at = e.created_at ? e.created_at : t.created_at;
      event_ids[e.source_id] = ev.id;
      report_.counts["events"].created += 1;
      return storage::timeline::append(c_, ev);
    };
    for (const auto& e : in.events) TRY(append(e));
    for (const auto& f : in.files) TRY(file(t, f, file_ids.at(f.source_id), event_ids));
    return {};
  }

  Result<void> file(const storage::Ticket& t, const IncomingFile& f, const std::string& id,
                    const std::map<std::string, std::string>& event_ids) {
    auto event = event_ids.find(f.event);
    bool in_zip = !f.entry.empty() && zip_ && zip_->has(f.entry);
    if (event == event_ids.end() || (!f.entry.empty() && !in_zip)) {
      reject(report_, "attachments", f.source_id, "its file or its timeline entry is not in the export");
      return {};
    }
    std::string bytes = f.bytes;
    if (in_zip) {
      ASSIGN_OR_RETURN(bytes, zip_->read(f.entry));
    }
    storage::Attachment a;
    a.id = id;
    a.ticket_id = t.id;
    a.event_id = event->second;
    a.name = tk::safe_file_name(f.name);
    a.size = std::int64_t(bytes.size());
    a.content_type = tk::sniff_content_type(bytes);  // as for an upload: never what the file says
    a.internal = f.internal;
    ASSIGN_OR_RETURN(auto uploader, someone(f.uploaded_by, t.organization_id, true));
    a.uploaded_by = uploader.value_or(t.requester_id);
    a.created_at = f.created_at ? f.created_at : t.created_at;
    a.sha256 = sha256_hex(bytes);
    if (write_files_) {
      ASSIGN_OR_RETURN(auto digest, storage::blobs::put(organisation_files(s_, t.organization_id), bytes));
      a.sha256 = digest;
    }
    report_.counts["attachments"].created += 1;
    return storage::attachments::insert(c_, a);
  }

  Result<void> link(const IncomingLink& l) {
    auto from = tickets_.find(l.from), to = tickets_.find(l.to);
    if (from == tickets_.end() || to == tickets_.end()) return {};
    auto kind = l.kind == "parent_of" ? storage::ticket_links::Kind::parent_of : storage::ticket_links::Kind::related;
    ASSIGN_OR_RETURN(auto by, someone(l.by, "", true));
    auto added = storage::ticket_links::add(c_, from->second, to->second, kind, by.value_or(""), l.created_at ? l.created_at : now_);
    if (!added && added.error().code == Code::conflict) {
      report_.counts["links"].merged += 1;
      return {};
    }
    TRY(added);
    report_.counts["links"].created += 1;
    return {};
  }

  storage::Connection& c_;
  const Services& s_;
  const Batch& b_;
  ImportReport& report_;
  const ZipReader* zip_;
  bool write_files_;
  std::int64_t now_;
  std::map<std::string, std::string> orgs_, people_, tickets_;  // source id → local id
  std::map<std::string, std::string> people_org_;               // a person's source id → their organisation here
  std::set<std::string> merged_orgs_;                            // organisations that were here already
};

Result<std::string> digest_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(Code::invalid_argument, "The file cannot be read.");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return sha256_hex(bytes.str());
}

}  // namespace

Result<ImportReport> import_file(const Services& s, const identity::Actor& actor, const fs::path& file, const ImportRequest& in) {
  TRY(authorize(actor, "organization.import"));
  Problems p;
  if (in.format != "tandem" && in.format != "csv" && in.format != "rt") p.add("format", "allowed: tandem, csv, rt");
  if (in.format == "rt" && (!in.organization || in.organization->empty() || in.organization->size() > 200))
    p.add("organization", "is required for a Request Tracker import: the name of the organisation its requesters belong to");
  if (!in.dry_run && !in.confirm) p.add("confirm", "is required for a real run: the digest its dry run answered");
  if (p.any()) return fail(p.error());
  ImportReport report;
  report.format = in.format;
  report.dry_run = in.dry_run;
  // The digest names the whole run: the file, its format and where its people go, so a real run
  // does what its dry run said.
  ASSIGN_OR_RETURN(auto file_digest, digest_of(file));
  report.digest = sha256_hex(in.format + "\n" + in.organization.value_or("") + "\n" + file_digest);
  if (!in.dry_run && *in.confirm != report.digest)
    return fail(Code::failed_precondition,
                "This is not the run the dry run checked (the file, its format or its organisation differ): run the dry run again.");

  std::optional<ZipReader> zip;
  Batch batch;
  if (in.format == "tandem" || in.format == "rt") {
    zip.emplace(file);
    if (!zip->open()) return fail(Code::invalid_argument, "The file is not a zip: a Tandem export is one, and so is a Request Tracker export.");
    if (in.format == "tandem") {
      ASSIGN_OR_RETURN(batch, read_tandem(*zip));
    } else {
      ASSIGN_OR_RETURN(batch, read_rt(*zip, *in.organization));
    }
  } else {
    std::ifstream f(file, std::ios::binary);
    std::ostringstream text;
    text << f.rdbuf();
    ASSIGN_OR_RETURN(batch, read_csv(text.str()));
  }

  // The dry run does all of it in a transaction it then undoes: what it answers is what the real
  // run would do. Files are written by the real run only, under the lock the sweep respects.
  std::shared_lock files(*s.attachment_files, std::defer_lock);
  if (!in.dry_run) files.lock();
  constexpr std::string_view kUndo = "import dry run: undone";
  auto written = s.db.write([&](storage::Connection& c) -> Result<void> {
    report.counts.clear();
    report.rejected.clear();
    report.dropped_references = 0;
    Apply apply(c, s, batch, report, zip ? &*zip : nullptr, !in.dry_run);
    TRY(apply.run());
    if (in.dry_run) return fail(Code::failed_precondition, std::string(kUndo));
    TRY(record(c, s, actor, {"import.run", "import", report.digest, "", std::nullopt, std::nullopt}));
    return {};
  });
  if (!written && !(in.dry_run && written.error().message == kUndo)) return std::unexpected(written.error());
  for (auto kind : {"organizations", "users", "tickets", "events", "attachments", "links"}) report.counts[kind];
  return report;
}

}  // namespace tandem::usecase
