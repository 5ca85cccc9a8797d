// OFF-3: Request Tracker 5's REST2 answers as an import's records. RT has queues, not customer
// organisations: every requester goes to the organisation named for the import. RT's privileged
// users (its agents) come in as people of it who cannot sign in, so that what they wrote keeps
// its author; RT_System and Nobody are nobody.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "core/clock.h"
#include "domain/migration/rt.h"
#include "domain/tickets/attachment.h"
#include "usecase/import_batch.h"

namespace tandem::usecase::importing {
namespace {

using Json = nlohmann::json;
namespace mg = ::tandem::migration;

std::string text(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  if (it->is_object()) return text(*it, "id");  // a reference: {"id", "type", "_url"}
  return "";
}

std::int64_t time_of(const std::string& t) {
  Time parsed;
  return !mg::is_rt_unset_time(t) && parse_rfc3339(t, parsed) ? to_millis(parsed) : 0;
}

// "ticket-12-history.json" → ("ticket", "12", "history").
struct FileName {
  std::string kind, id, part;
};
std::optional<FileName> file_name(std::string name) {
  if (auto slash = name.rfind('/'); slash != std::string::npos) name = name.substr(slash + 1);
  if (!name.ends_with(".json")) return std::nullopt;
  name.resize(name.size() - 5);
  auto dash = name.find('-');
  if (dash == std::string::npos) return FileName{name, "", ""};
  FileName f{name.substr(0, dash), name.substr(dash + 1), ""};
  if (auto second = f.id.find('-'); second != std::string::npos) f.part = f.id.substr(second + 1), f.id.resize(second);
  return f;
}

bool nobody(const std::string& name) { return name.empty() || name == "RT_System" || name == "Nobody"; }

}  // namespace

Result<Batch> read_rt(const ZipReader& zip, const std::string& organization) {
  std::map<std::string, Json> users;                            // by Name
  std::map<std::string, std::string> queues;                    // id → Name
  std::map<std::int64_t, Json> tickets, histories;              // by ticket id
  std::map<std::string, std::vector<Json>> parts;               // transaction id → its attachments
  std::string host;
  for (const auto& name : zip.names()) {
    auto f = file_name(name);
    if (!f) continue;
    ASSIGN_OR_RETURN(auto raw, zip.read(name));
    auto j = Json::parse(raw, nullptr, false);
    if (!j.is_object()) return fail(Code::invalid_argument, name + " is not a REST2 answer (JSON object).");
    if (host.empty()) {
      auto url = text(j, "_url");
      if (url.empty() && j.contains("_hyperlinks") && j["_hyperlinks"].is_array() && !j["_hyperlinks"].empty())
        url = text(j["_hyperlinks"][0], "_url");
      if (auto scheme = url.find("://"); scheme != std::string::npos) host = url.substr(scheme + 3, url.find('/', scheme + 3) - scheme - 3);
    }
    // The keys are read before the record is moved into its map.
    if (f->kind == "user" && f->part.empty()) {
      auto key = text(j, "Name");
      users[key] = std::move(j);
    } else if (f->kind == "queue" && f->part.empty()) {
      queues[text(j, "id")] = text(j, "Name");
    } else if (f->kind == "ticket" && f->part.empty()) {
      tickets[std::atoll(f->id.c_str())] = std::move(j);
    } else if (f->kind == "ticket" && f->part == "history") {
      histories[std::atoll(f->id.c_str())] = std::move(j);
    } else if (f->kind == "attachment" && f->part.empty()) {
      auto key = text(j, "TransactionId");
      parts[key].push_back(std::move(j));
    }
  }
  if (tickets.empty()) return fail(Code::invalid_argument, "This is not a Request Tracker export: it has no ticket-<id>.json.");
  if (organization.empty()) {
    Error e(Code::invalid_argument, "Some fields are invalid.");
    e.details.push_back({"organization", "is required for a Request Tracker import: the organisation its requesters belong to"});
    return fail(std::move(e));
  }
  for (auto& [_, list] : parts)
    std::sort(list.begin(), list.end(), [](const Json& a, const Json& b) { return std::atoll(text(a, "id").c_str()) < std::atoll(text(b, "id").c_str()); });

  Batch b;
  b.source = "rt:" + (host.empty() ? std::string("unknown") : host);
  b.organizations.push_back({organization, organization, 0, 0});
  std::set<std::string> people;
  auto person = [&](const std::string& name) -> std::string {
    if (nobody(name)) return "";
    if (people.contains(name)) return name;
    auto u = users.find(name);
    // Someone RT knows only by address (a requester who mailed in) is named by it.
    auto email = u != users.end() ? text(u->second, "EmailAddress") : (name.find('@') != std::string::npos ? name : "");
    if (email.empty()) return "";
    IncomingPerson p;
    p.source_id = name;
    p.organization = organization;
    p.email = email;
    p.name = u != users.end() && !text(u->second, "RealName").empty() ? text(u->second, "RealName") : email;
    if (u != users.end()) {
      auto lang = text(u->second, "Lang");
      std::replace(lang.begin(), lang.end(), '_', '-');
      if (!lang.empty()) p.language = lang;
      p.active = text(u->second, "Disabled") != "1" && text(u->second, "Privileged") != "1";
      p.created_at = p.updated_at = time_of(text(u->second, "Created"));
    }
    b.people.push_back(std::move(p));
    people.insert(name);
    return name;
  };
  // The message of a transaction: its first text part that is not a file.
  auto message = [&](const std::string& transaction) -> std::pair<std::string, tickets::Channel> {
    for (const auto& a : parts[transaction])
      if (text(a, "Filename").empty() && text(a, "ContentType").starts_with("text/") && a.contains("Content") && a["Content"].is_string())
        return {mg::decode_base64(a["Content"].get<std::string>()).value_or(""), mg::channel_from_rt_headers(text(a, "Headers"))};
    return {"", tickets::Channel::portal};
  };

  for (const auto& [id, t] : tickets) {
    auto source = std::to_string(id);
    auto state = mg::incident_state_from_rt(text(t, "Status"));
    if (!state) {
      b.problems.push_back({"tickets", source, "status '" + text(t, "Status") + "' is not imported"});
      continue;
    }
    IncomingTicket in;
    in.source_id = source;
    in.organization = organization;
    auto& x = in.ticket;
    x.type = tickets::Type::incident;
    x.subject = text(t, "Subject");
    x.status = *state;
    x.created_at = time_of(text(t, "Created"));
    x.updated_at = std::max(x.created_at, time_of(text(t, "LastUpdated")));
    if (auto resolved = time_of(text(t, "Resolved")); resolved && (*state == "resolved" || *state == "cancelled")) x.resolved_at = resolved;
    if (auto q = queues.find(text(t, "Queue")); q != queues.end()) x.tags = {q->second};
    if (t.contains("Requestor") && t["Requestor"].is_array() && !t["Requestor"].empty())
      x.requester_id = person(text(t["Requestor"][0], "id"));
    auto history = histories.find(id);
    if (history == histories.end() || !history->second.contains("items")) {
      b.problems.push_back({"tickets", source, "its history (ticket-" + source + "-history.json) is missing"});
      continue;
    }
    std::string status = "new";
    for (const auto& h : history->second["items"]) {
      auto type = text(h, "Type"), tx = text(h, "id"), actor = person(text(h, "Creator"));
      IncomingEvent e;
      e.source_id = tx;
      e.actor = actor;
      e.created_at = time_of(text(h, "Created"));
      if (type == "Create" || type == "Correspond" || type == "Comment") {
        auto [body, channel] = message(tx);
        e.channel = channel;
        e.body = body;
        e.kind = type == "Create" ? "created" : type == "Correspond" ? "comment" : "note";
        e.internal = type == "Comment";
        if (type == "Create") {
          x.description = body;
          x.channel = channel;
          e.body.clear();
          e.data = Json{{"subject", x.subject}, {"type", "incident"}, {"status", "new"}}.dump();
          if (x.requester_id.empty()) x.requester_id = actor;
        }
        in.events.push_back(e);
        // Each file of the message is an entry of its own that shows it, as an upload is here.
        for (const auto& a : parts[tx]) {
          if (text(a, "Filename").empty() || !a.contains("Content") || !a["Content"].is_string()) continue;
          auto bytes = mg::decode_base64(a["Content"].get<std::string>());
          if (!bytes) continue;
          IncomingFile file;
          file.source_id = text(a, "id");
          file.event = tx + "/" + file.source_id;
          file.name = tickets::safe_file_name(text(a, "Filename"));
          file.bytes = std::move(*bytes);
          file.internal = e.internal;
          file.uploaded_by = actor;
          file.created_at = e.created_at;
          IncomingEvent shown = e;
          shown.source_id = file.event;
          shown.kind = "attachment";
          shown.body = file.name;
          shown.data = Json{{"attachment_id", file.source_id},
                            {"name", file.name},
                            {"size", file.bytes.size()},
                            {"content_type", tickets::sniff_content_type(file.bytes)}}
                           .dump();
          in.events.push_back(std::move(shown));
          in.files.push_back(std::move(file));
        }
        continue;
      } else if (type == "Status") {
        auto to = mg::incident_state_from_rt(text(h, "NewValue"));
        if (!to || *to == status) continue;
        e.kind = "status_changed";
        e.data = Json{{"from", status}, {"to", *to}}.dump();
        status = *to;
      } else {
        continue;  // e-mail records, owner and field changes: RT's own bookkeeping
      }
      in.events.push_back(std::move(e));
    }
    b.tickets.push_back(std::move(in));
  }
  return b;
}

}  // namespace tandem::usecase::importing
