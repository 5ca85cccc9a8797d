#include "usecase/fulfilment.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "core/id.h"
#include "core/network.h"
#include "storage/billing.h"
#include "storage/teams.h"
#include "storage/ticket_requests.h"
#include "usecase/catalog_definitions.h"
#include "usecase/sla_policies.h"
#include "usecase/ticket_draft.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using namespace drafting;
using namespace catalog_definitions;
using catalog::TaskState;

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kClaimMs = 60'000;       // a worker's hold on a delivery it sends
constexpr std::int64_t kCallbackWindowS = 300;  // a callback's timestamp is this close to now
constexpr std::size_t kNoteLimit = 4000;
constexpr std::array<std::string_view, 6> kTaskParts = {"key",   "name",      "team_id",
                                                        "after", "due_hours", "endpoint_id"};
constexpr std::array<std::string_view, 5> kEndpointFields = {"name", "url", "description", "order",
                                                             "active"};

// A request's procedure runs in fulfilment and goes on while staff wait for the requester: the
// wait is about something asked of them, not about the work (DESK-5).
bool under_way(const storage::Ticket& t) {
  return t.status == "fulfilment" || t.status == "waiting_for_user";
}

TaskState state_of(const storage::RequestTask& row) {
  return catalog::parse_task_state(row.state).value_or(TaskState::waiting);
}

std::string task_name(const storage::RequestTask& row) {
  auto name = Json::parse(row.name, nullptr, false);
  return std::string(stored_text(name.is_object() ? name : Json::object()).in("en"));
}

Json task_event(const storage::RequestTask& row) {
  return Json{{"task", row.key}, {"name", Json::parse(row.name, nullptr, false)}};
}

// The webhook delivery of an automated task just opened: one id for every attempt, the same body.
Result<void> queue_delivery(storage::Connection& c, const Services& s, const storage::Ticket& t,
                            const storage::RequestTask& row, std::int64_t now) {
  ASSIGN_OR_RETURN(auto request, storage::ticket_requests::find(c, Scope::system(), t.id));
  storage::WebhookDelivery d;
  d.id = new_id("dlv", s.clock.now());
  d.ticket_id = t.id;
  d.task_key = row.key;
  d.endpoint_id = row.endpoint_id;
  d.organization_id = t.organization_id;
  Json req = nullptr;
  if (request)
    req = {{"request_type_id", request->request_type_id},
           {"beneficiary_id", request->beneficiary_id},
           {"answers", Json::parse(request->answers, nullptr, false)},
           {"price", catalog::Money::cents(request->price_cents).to_string()}};
  d.payload = dump(
      Json{{"delivery_id", d.id},
           {"event", "task.opened"},
           {"ticket",
            {{"id", t.id},
             {"number", t.number},
             {"subject", t.subject},
             {"organization_id", t.organization_id},
             {"requester_id", t.requester_id}}},
           {"request", req},
           {"task",
            {{"key", row.key},
             {"name", Json::parse(row.name, nullptr, false)},
             {"due_at", row.due_at ? Json(to_rfc3339(from_millis(*row.due_at))) : Json(nullptr)}}},
           {"callback", "/api/v1/webhook-deliveries/" + d.id + "/callback"}});
  d.next_at = now;
  d.created_at = now;
  return storage::webhook_deliveries::insert(c, d);
}

// The tasks of one request as one change sees them: which rows it changed, and what follows
// from a task finishing.
class RequestTasks {
 public:
  RequestTasks(const Services& s, storage::Ticket& t, std::vector<storage::RequestTask> rows,
               TimelineDraft& draft)
      : s_(s), t_(t), rows_(std::move(rows)), changed_(rows_.size(), false), draft_(draft) {}

  std::vector<storage::RequestTask>& rows() { return rows_; }
  storage::RequestTask* find(std::string_view key) {
    for (std::size_t i = 0; i < rows_.size(); ++i)
      if (rows_[i].key == key) return &rows_[i];
    return nullptr;
  }
  void mark(const storage::RequestTask& row) { changed_[std::size_t(&row - rows_.data())] = true; }

  // Opens every waiting task whose dependencies are finished: an automated one goes to its
  // endpoint at once (in_progress), the others to their team.
  void open_ready() {
    std::vector<catalog::TaskTemplate> shape;
    std::vector<TaskState> states;
    for (const auto& row : rows_) {
      auto after = Json::parse(row.after, nullptr, false);
      shape.push_back(
          {row.key,
           {},
           row.team_id,
           after.is_array() ? after.get<std::vector<std::string>>() : std::vector<std::string>{},
           0,
           ""});
      states.push_back(state_of(row));
    }
    auto now = draft_.now();
    for (auto i : catalog::ready_tasks(shape, states)) {
      auto& row = rows_[i];
      bool automated = !row.endpoint_id.empty();
      row.state =
          std::string(catalog::to_string(automated ? TaskState::in_progress : TaskState::open));
      row.opened_at = now;
      row.due_at = row.due_hours > 0 ? std::optional(now + row.due_hours * kHourMs) : std::nullopt;
      changed_[i] = true;
      if (automated) opened_automated_.push_back(row.key);
      auto data = task_event(row);
      data["automated"] = automated;
      if (row.due_at) data["due_at"] = to_rfc3339(from_millis(*row.due_at));
      draft_.add("task_opened", Visibility::public_, task_name(row), data);
    }
  }

  // Everything not finished is cancelled: the request ended without it.
  void cancel_unfinished() {
    Json cancelled = Json::array();
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      auto& row = rows_[i];
      if (catalog::finished(state_of(row))) continue;
      row.state = "cancelled";
      row.finished_at = draft_.now();
      if (row.note.empty())
        row.note = "The request ended (" + t_.status + ") before this task was done.";
      changed_[i] = true;
      settled_.push_back(row.key);
      cancelled.push_back(row.key);
    }
    if (!cancelled.empty())
      draft_.add("tasks_cancelled", Visibility::internal, "",
                 Json{{"tasks", cancelled}, {"status", t_.status}});
  }

  // A task finished by hand (or cancelled): its webhook, not yet accepted, is not sent again.
  void settle_deliveries(const std::string& key) { settled_.push_back(key); }

  // After a task finished, or the request came back from waiting: the tasks ready open; with
  // every task finished the request is resolved.
  void follow_finish() {
    if (under_way(t_)) open_ready();
    std::vector<TaskState> states;
    for (const auto& row : rows_) states.push_back(state_of(row));
    if (t_.status != "fulfilment" || !catalog::procedure_complete(states)) return;
    const auto& flow = tk::Workflows::builtin().of(t_.type);
    constexpr auto kResolution = "Every fulfilment task is done. / 所有履行任务均已完成。";
    enter_state(t_, flow, "resolved", draft_.now());
    draft_.add("status_changed", Visibility::public_, kResolution,
               Json{{"from", "fulfilment"}, {"to", "resolved"}, {"resolution", kResolution}});
  }

  // Writes the changed rows (a new version each), queues the deliveries of automated tasks just
  // opened and drops those of tasks just cancelled.
  Result<void> write(storage::Connection& c) {
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      if (!changed_[i]) continue;
      rows_[i].version += 1;
      rows_[i].updated_at = draft_.now();
      TRY(storage::request_tasks::update(c, rows_[i]));
    }
    for (const auto& key : opened_automated_)
      TRY(queue_delivery(c, s_, t_, *find(key), draft_.now()));
    if (!settled_.empty()) {
      ASSIGN_OR_RETURN(auto deliveries, storage::webhook_deliveries::of_ticket(c, t_.id));
      for (auto& d : deliveries)
        if (d.state == "pending" &&
            std::find(settled_.begin(), settled_.end(), d.task_key) != settled_.end()) {
          d.state = "failed";
          d.next_at = std::nullopt;
          d.last_error = "the task was finished or cancelled before the webhook was accepted";
          TRY(storage::webhook_deliveries::update(c, d));
        }
    }
    return {};
  }

 private:
  const Services& s_;
  storage::Ticket& t_;
  std::vector<storage::RequestTask> rows_;
  std::vector<bool> changed_;
  TimelineDraft& draft_;
  std::vector<std::string> opened_automated_;
  std::vector<std::string> settled_;  // tasks whose pending deliveries are no longer to be sent
};

// The ticket and its tasks (`rows`, read in this transaction), changed together and written
// with the timeline and an audit entry. Answers the tasks as written.
template <class Change>
Result<std::vector<storage::RequestTask>> change_request(storage::Connection& c, const Services& s,
                                                         const Actor& actor, storage::Ticket& t,
                                                         std::vector<storage::RequestTask> rows,
                                                         Outbox& outbox, tk::Channel channel,
                                                         Change change) {
  ASSIGN_OR_RETURN(auto timeframes, current_timeframes(s));
  auto before = canonical(t);
  TimelineDraft draft(s, actor, t, channel, outbox);
  RequestTasks tasks(s, t, std::move(rows), draft);
  TRY(change(tasks, draft));
  TRY(draft.settle_sla(c, *timeframes));
  t.version += 1;
  t.updated_at = draft.now();
  TRY(storage::ticket_store::update(c, t, false));
  TRY(tasks.write(c));
  TRY(draft.append_all(c));
  TRY(record(c, s, actor,
             {"request.task", "ticket", t.id, t.organization_id, before, canonical(t)}));
  return std::move(tasks.rows());
}

// ---- webhook endpoints ---------------------------------------------------------------------

struct CheckedEndpoint {
  Json definition;
  WebhookEndpointView view;
};

std::optional<CheckedEndpoint> check_endpoint(const Services& s, const Json& def,
                                              storage::StoredDefinition& stored, Problems& p) {
  WebhookEndpointView v;
  auto text = [&](const char* key) {
    auto it = def.find(key);
    return it != def.end() && it->is_string() ? std::optional(it->get<std::string>())
                                              : std::nullopt;
  };
  auto name = text("name");
  if (!name || trimmed(*name).empty() || name->size() > 200)
    p.add("name", "is required: 1–200 bytes");
  else
    stored.name = trimmed(*name);
  auto url = text("url");
  bool web = url && (url->starts_with("http://") || url->starts_with("https://")) &&
             url->size() <= 2000 && url->find_first_of(" \t\r\n") == std::string::npos &&
             url->find("://") + 3 < url->size();
  if (!web)
    p.add("url", "is required: an http:// or https:// address of at most 2000 bytes");
  else if (!s.webhooks_reach_local_network && host_in_local_network(url_host(*url)) == true)
    p.add("url", "points into the local network (loopback, private or link-local addresses), "
                 "which webhooks do not reach unless the operator allows it "
                 "(TANDEM_WEBHOOK_LOCAL_NETWORK=true)");
  else
    v.url = *url;
  if (auto d = def.find("description"); d != def.end() && !d->is_null()) {
    if (!d->is_string() || d->get<std::string>().size() > 4000)
      p.add("description", "must be text of at most 4000 bytes");
    else
      v.description = d->get<std::string>();
  }
  if (p.any()) return std::nullopt;
  return CheckedEndpoint{Json{{"url", v.url}, {"description", v.description}}, std::move(v)};
}

WebhookEndpointView endpoint_view(storage::StoredDefinition stored) {
  auto def = Json::parse(stored.definition, nullptr, false);
  WebhookEndpointView v{std::move(stored), def.value("url", ""), def.value("description", "")};
  return v;
}

// A body of the endpoint's fields made into its definition (name in its column).
Json endpoint_definition(storage::StoredDefinition& stored, const std::string& body_json,
                         Problems& p) {
  auto body = fields_object(body_json, p);
  refuse_unknown(body, kEndpointFields, "a webhook endpoint", p);
  take_order_and_active(body, stored, p);
  auto def = Json::parse(stored.definition);
  def["name"] = stored.name;
  def.merge_patch(body);
  return def;
}

std::string new_secret() { return "whsec_" + random_token(32); }

}  // namespace

// ---- the procedure in a request type -------------------------------------------------------

std::vector<catalog::TaskTemplate> tasks_of(const Json& def, std::string_view language,
                                            Problems& p) {
  std::vector<catalog::TaskTemplate> out;
  auto list = def.find("tasks");
  if (list == def.end() || list->is_null()) return out;
  if (!list->is_array()) {
    p.add("tasks",
          "must be a list of tasks: {\"key\", \"name\", \"team_id\", \"after\"?, \"due_hours\"?, "
          "\"endpoint_id\"?}");
    return out;
  }
  Problems shape;
  for (std::size_t i = 0; i < list->size() && i <= catalog::kMaxTasks; ++i) {
    const auto& v = (*list)[i];
    auto at = "tasks[" + std::to_string(i) + "]";
    if (!v.is_object()) {
      shape.add(at, "must be an object with key, name and team_id");
      continue;
    }
    for (const auto& [key, _] : v.items())
      if (std::find(kTaskParts.begin(), kTaskParts.end(), key) == kTaskParts.end())
        shape.add(
            at + "." + key,
            "is not a part of a task; parts: key, name, team_id, after, due_hours, endpoint_id");
    catalog::TaskTemplate t;
    if (auto k = v.find("key"); k != v.end() && k->is_string()) t.key = k->get<std::string>();
    if (auto n = v.find("name"); n != v.end() && !n->is_null())
      t.name = text_of(*n, at + ".name", language, 200, shape).value_or(LocalizedText());
    if (auto team = v.find("team_id"); team != v.end() && team->is_string())
      t.team_id = team->get<std::string>();
    if (auto a = v.find("after"); a != v.end() && !a->is_null()) {
      if (a->is_array() &&
          std::all_of(a->begin(), a->end(), [](const Json& e) { return e.is_string(); }))
        t.after = a->get<std::vector<std::string>>();
      else
        shape.add(at + ".after", "must be a list of the keys of tasks done before this one");
    }
    if (auto h = v.find("due_hours"); h != v.end() && !h->is_null()) {
      if (h->is_number_integer())
        t.due_hours = h->get<std::int64_t>();
      else
        shape.add(at + ".due_hours", "must be a whole number of hours");
    }
    if (auto e = v.find("endpoint_id"); e != v.end() && !e->is_null()) {
      if (e->is_string() && !e->get<std::string>().empty())
        t.endpoint_id = e->get<std::string>();
      else
        shape.add(at + ".endpoint_id", "must be the id of a webhook endpoint");
    }
    out.push_back(std::move(t));
  }
  // The procedure as a whole is checked even when some tasks are malformed, so that one answer
  // names every problem; a part already faulted is not faulted again.
  std::set<std::string> faulted;
  for (const auto& d : shape.details()) faulted.insert(d.field), p.add(d.field, d.problem);
  if (out.size() == list->size())
    if (auto checked = catalog::check_procedure(out); !checked)
      for (const auto& d : checked.error().details)
        if (!faulted.contains(d.field)) p.add(d.field, d.problem);
  if (list->size() > catalog::kMaxTasks) p.add("tasks", "must be at most 30 tasks");
  return out;
}

Json tasks_json(const std::vector<catalog::TaskTemplate>& tasks) {
  if (tasks.empty()) return nullptr;
  Json out = Json::array();
  for (const auto& t : tasks) {
    Json task = {{"key", t.key},
                 {"name", text_json(t.name)},
                 {"team_id", t.team_id},
                 {"after", t.after},
                 {"due_hours", t.due_hours}};
    if (!t.endpoint_id.empty()) task["endpoint_id"] = t.endpoint_id;
    out.push_back(std::move(task));
  }
  return out;
}

Result<void> check_task_references(storage::Connection& c,
                                   const std::vector<catalog::TaskTemplate>& tasks, Problems& p) {
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    auto at = "tasks[" + std::to_string(i) + "]";
    ASSIGN_OR_RETURN(auto team, storage::teams::find(c, tasks[i].team_id));
    if (!team) p.add(at + ".team_id", "no such team");
    if (tasks[i].endpoint_id.empty()) continue;
    ASSIGN_OR_RETURN(auto endpoint,
                     storage::definitions::find(c, Kind::webhook_endpoint, tasks[i].endpoint_id));
    if (!endpoint || !endpoint->active)
      p.add(at + ".endpoint_id", "no such active webhook endpoint");
  }
  return {};
}

// ---- a request's tasks ---------------------------------------------------------------------

std::vector<storage::RequestTask> start_tasks(const Services& s,
                                              const std::vector<catalog::TaskTemplate>& procedure,
                                              storage::Ticket& t, TimelineDraft& draft) {
  std::vector<storage::RequestTask> rows;
  for (std::size_t i = 0; i < procedure.size(); ++i) {
    const auto& tt = procedure[i];
    storage::RequestTask row;
    row.ticket_id = t.id;
    row.key = tt.key;
    row.position = std::int64_t(i);
    row.organization_id = t.organization_id;
    row.name = text_json(tt.name).dump();
    row.team_id = tt.team_id;
    row.after = Json(tt.after).dump();
    row.due_hours = tt.due_hours;
    row.endpoint_id = tt.endpoint_id;
    row.updated_at = draft.now();
    rows.push_back(std::move(row));
  }
  if (t.status != "fulfilment") return rows;
  RequestTasks tasks(s, t, std::move(rows), draft);
  tasks.open_ready();
  return std::move(tasks.rows());
}

Result<void> write_new_tasks(storage::Connection& c, const Services& s, const storage::Ticket& t,
                             const std::vector<storage::RequestTask>& rows) {
  for (const auto& row : rows) {
    TRY(storage::request_tasks::insert(c, row));
    if (!row.endpoint_id.empty() && row.opened_at)
      TRY(queue_delivery(c, s, t, row, *row.opened_at));
  }
  return {};
}

Result<void> follow_status(storage::Connection& c, const Services& s, storage::Ticket& t,
                           std::string_view from, TimelineDraft& draft) {
  // DESK-11: a request that ends unfulfilled owes nothing (unless its charge was invoiced).
  if (t.status == "rejected" || t.status == "cancelled")
    TRY(storage::charges::void_of_ticket(c, t.id));
  ASSIGN_OR_RETURN(auto rows, storage::request_tasks::of_ticket(c, t.id));
  if (rows.empty()) return {};
  RequestTasks tasks(s, t, std::move(rows), draft);
  const auto& flow = tk::Workflows::builtin().of(t.type);
  auto category = flow.category_of(t.status);
  if (t.status == "fulfilment" && flow.category_of(from) == tk::StateCategory::waiting)
    tasks.follow_finish();
  else if (t.status == "fulfilment")
    tasks.open_ready();
  else if (category == tk::StateCategory::resolved || category == tk::StateCategory::closed)
    tasks.cancel_unfinished();
  return tasks.write(c);
}

Result<std::vector<storage::RequestTask>> request_tasks(const Services& s, const Actor& actor,
                                                        std::string_view ticket_id) {
  TRY(authorize(actor, "ticket.read"));
  return s.db.read([&](storage::Connection& c) -> Result<std::vector<storage::RequestTask>> {
    ASSIGN_OR_RETURN(auto found, storage::ticket_store::find(c, Scope::for_actor(actor), ticket_id,
                                                             storage::Lock::none));
    if (!found) return fail(Code::not_found, "No such request.");
    return storage::request_tasks::of_ticket(c, ticket_id);
  });
}

Result<storage::RequestTask> update_task(const Services& s, const Actor& actor,
                                         std::string_view ticket_id, std::string_view key,
                                         const TaskPatch& patch) {
  TRY(authorize(actor, "fulfilment.work"));
  Problems p;
  if (patch.note && patch.note->size() > kNoteLimit) p.add("note", "must be at most 4000 bytes");
  if (p.any()) return fail(p.error());
  return write_publishing(
      s, [&](storage::Connection& c, Outbox& outbox) -> Result<storage::RequestTask> {
        ASSIGN_OR_RETURN(auto found,
                         storage::ticket_store::find(c, Scope::for_actor(actor), ticket_id,
                                                     storage::Lock::for_update));
        if (!found) return fail(Code::not_found, "No such request.");
        ASSIGN_OR_RETURN(auto rows, storage::request_tasks::of_ticket(c, ticket_id));
        auto row =
            std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.key == key; });
        if (row == rows.end()) return fail(Code::not_found, "No such task.");
        if (patch.expected_version != row->version)
          return fail(Code::failed_precondition,
                      "The task was changed by someone else; reload it.");
        auto from = state_of(*row);
        bool moved = patch.state && *patch.state != from;
        bool assigned = patch.assignee_id && *patch.assignee_id != row->assignee_id;
        bool noted = patch.note && trimmed(*patch.note) != row->note;
        if (!moved && !assigned && !noted) return *row;  // nothing changes: no new version
        if (moved && !under_way(*found))
          return fail(Code::conflict,
                      "The request is " + found->status +
                          ": its tasks move only while it is in fulfilment or waiting for the "
                          "requester.");
        if (moved && !catalog::may_move(from, *patch.state))
          return fail(Code::conflict,
                      "A task cannot move from " + std::string(catalog::to_string(from)) + " to " +
                          std::string(catalog::to_string(*patch.state)) + ".",
                      "task_transition");
        if (assigned && *patch.assignee_id) {
          ASSIGN_OR_RETURN(auto user,
                           storage::users::find(c, Scope::system(), **patch.assignee_id));
          if (!user || !user->active || !identity::is_staff(user->roles)) {
            Problems q;
            q.add("assignee_id", "must be an active member of the provider's staff");
            return fail(q.error());
          }
        }
        auto t = std::move(*found);
        ASSIGN_OR_RETURN(
            auto written,
            change_request(c, s, actor, t, std::move(rows), outbox, tk::Channel::portal,
                           [&](RequestTasks& tasks, TimelineDraft& draft) -> Result<void> {
                             auto* task = tasks.find(key);
                             if (moved) {
                               task->state = std::string(catalog::to_string(*patch.state));
                               if (catalog::finished(*patch.state))
                                 task->finished_at = draft.now(), task->finished_by = actor.user_id;
                               else
                                 task->finished_at = std::nullopt, task->finished_by = std::nullopt;
                             }
                             if (assigned) task->assignee_id = *patch.assignee_id;
                             if (noted) task->note = trimmed(*patch.note);
                             tasks.mark(*task);
                             // The requester hears of its progress; who works it and their notes
                             // stay with staff.
                             if (moved) {
                               auto data = task_event(*task);
                               data["from"] = catalog::to_string(from);
                               data["to"] = task->state;
                               draft.add("task_updated", Visibility::public_, "", data);
                             }
                             if (assigned || noted) {
                               auto data = task_event(*task);
                               if (assigned) data["assignee_id"] = nullable(task->assignee_id);
                               draft.add("task_noted", Visibility::internal,
                                         noted ? task->note : "", data);
                             }
                             if (moved && catalog::finished(*patch.state)) {
                               if (!task->endpoint_id.empty()) tasks.settle_deliveries(task->key);
                               tasks.follow_finish();
                             }
                             return {};
                           }));
        return *std::find_if(written.begin(), written.end(),
                             [&](const auto& r) { return r.key == key; });
      });
}

Result<storage::Page<storage::RequestTask>> list_tasks(const Services& s, const Actor& actor,
                                                       const storage::TaskQuery& q,
                                                       const storage::PageRequest& page) {
  TRY(authorize(actor, "fulfilment.work"));
  return s.db.read(
      [&](storage::Connection& c) { return storage::request_tasks::list(c, q, page); });
}

// ---- webhook endpoints ---------------------------------------------------------------------

Result<CreatedEndpoint> create_webhook_endpoint(const Services& s, const Actor& actor,
                                                const std::string& body_json) {
  TRY(authorize(actor, "catalog.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<CreatedEndpoint> {
    Problems p;
    auto stored = new_definition(s, "whe");
    auto def = endpoint_definition(stored, body_json, p);
    auto checked = check_endpoint(s, def, stored, p);
    if (p.any()) return fail(p.error());
    stored.definition = checked->definition.dump();
    auto secret = new_secret();
    TRY(storage::webhook_secrets::put(c, stored.id, secret));
    ASSIGN_OR_RETURN(auto view,
                     insert_definition(c, s, actor, Kind::webhook_endpoint, "webhook_endpoint",
                                       std::move(stored), std::move(checked->view)));
    return CreatedEndpoint{std::move(view), std::move(secret)};
  });
}

Result<std::vector<WebhookEndpointView>> list_webhook_endpoints(const Services& s,
                                                                const Actor& actor) {
  return list_definitions(s, actor, "catalog.manage", Kind::webhook_endpoint, endpoint_view);
}

Result<WebhookEndpointView> get_webhook_endpoint(const Services& s, const Actor& actor,
                                                 std::string_view id) {
  return get_definition(s, actor, "catalog.manage", Kind::webhook_endpoint, id,
                        "No such webhook endpoint.", endpoint_view);
}

Result<WebhookEndpointView> update_webhook_endpoint(const Services& s, const Actor& actor,
                                                    std::string_view id,
                                                    std::int64_t expected_version,
                                                    const std::string& body_json) {
  TRY(authorize(actor, "catalog.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<WebhookEndpointView> {
    ASSIGN_OR_RETURN(auto stored, load_current(c, Kind::webhook_endpoint, id, expected_version,
                                               "No such webhook endpoint."));
    auto before = storage::canonical(Kind::webhook_endpoint, stored);
    Problems p;
    auto def = endpoint_definition(stored, body_json, p);
    auto checked = check_endpoint(s, def, stored, p);
    if (p.any()) return fail(p.error());
    stored.definition = checked->definition.dump();
    return update_definition(c, s, actor, Kind::webhook_endpoint, "webhook_endpoint",
                             std::move(stored), before, std::move(checked->view));
  });
}

Result<void> delete_webhook_endpoint(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "catalog.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto stored,
                     load_definition(c, Kind::webhook_endpoint, id, "No such webhook endpoint."));
    ASSIGN_OR_RETURN(auto type, first_naming(c, Kind::request_type, stored.id, {"tasks/*/endpoint_id"}));
    if (type)
      return fail(Code::conflict, "A task of the request type \"" + type->name +
                                      "\" calls this endpoint; change it first, "
                                      "or retire the endpoint with \"active\": false.");
    TRY(storage::webhook_secrets::remove(c, stored.id));
    return remove_definition(c, s, actor, Kind::webhook_endpoint, "webhook_endpoint", stored);
  });
}

Result<CreatedEndpoint> rotate_webhook_secret(const Services& s, const Actor& actor,
                                              std::string_view id) {
  TRY(authorize(actor, "catalog.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<CreatedEndpoint> {
    ASSIGN_OR_RETURN(auto stored,
                     load_definition(c, Kind::webhook_endpoint, id, "No such webhook endpoint."));
    auto secret = new_secret();
    TRY(storage::webhook_secrets::put(c, stored.id, secret));
    // The audit entry says the secret changed, never what it is.
    TRY(record(
        c, s, actor,
        {"webhook_endpoint.rotate_secret", "webhook_endpoint", stored.id, actor.organization_id,
         std::nullopt, "webhook_endpoint\nid=" + stored.id + "\nsecret=rotated\n"}));
    return CreatedEndpoint{endpoint_view(std::move(stored)), std::move(secret)};
  });
}

// ---- deliveries ----------------------------------------------------------------------------

std::string webhook_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body) {
  std::string signed_text;
  signed_text.reserve(timestamp.size() + 1 + body.size());
  signed_text.append(timestamp).append(".").append(body);
  return "sha256=" + hmac_sha256_hex(secret, signed_text);
}

std::string callback_signature(std::string_view secret, std::string_view timestamp,
                               std::string_view delivery_id, std::string_view body) {
  std::string signed_body(delivery_id);
  signed_body.append(".").append(body);
  return webhook_signature(secret, timestamp, signed_body);
}

namespace {

// The actor of what automation does on a request's timeline.
Actor automation_actor() { return system_actor(); }

// The delivery and its request's ticket, locked ticket first — the order every writer of a
// request's tasks and deliveries takes, so that none waits for another in a circle.
struct LockedDelivery {
  storage::Ticket ticket;
  storage::WebhookDelivery delivery;
};
Result<std::optional<LockedDelivery>> lock_delivery(storage::Connection& c, std::string_view id) {
  ASSIGN_OR_RETURN(auto seen, storage::webhook_deliveries::find(c, id, storage::Lock::none));
  if (!seen) return std::optional<LockedDelivery>();
  ASSIGN_OR_RETURN(auto ticket, storage::ticket_store::find(c, Scope::system(), seen->ticket_id,
                                                            storage::Lock::for_update));
  ASSIGN_OR_RETURN(auto delivery,
                   storage::webhook_deliveries::find(c, id, storage::Lock::for_update));
  if (!ticket || !delivery) return std::optional<LockedDelivery>();
  return std::optional<LockedDelivery>(LockedDelivery{std::move(*ticket), std::move(*delivery)});
}

// A delivery's last attempt failed: the task goes back to its team, on the timeline.
Result<void> give_up(storage::Connection& c, const Services& s, storage::Ticket& t,
                     const storage::WebhookDelivery& d, Outbox& outbox) {
  ASSIGN_OR_RETURN(auto rows, storage::request_tasks::of_ticket(c, t.id));
  auto row =
      std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.key == d.task_key; });
  // Finished by hand meanwhile: nothing goes back.
  if (row == rows.end() || state_of(*row) != TaskState::in_progress) return {};
  auto written = change_request(
      c, s, automation_actor(), t, std::move(rows), outbox, tk::Channel::api,
      [&](RequestTasks& tasks, TimelineDraft& draft) -> Result<void> {
        auto* task = tasks.find(d.task_key);
        task->state = "open";
        tasks.mark(*task);
        auto data = task_event(*task);
        data["delivery_id"] = d.id;
        data["attempts"] = d.attempts;
        draft.add("task_automation_failed", Visibility::internal,
                  "The webhook was not accepted after " + std::to_string(d.attempts) +
                      " attempts (" + d.last_error + "); the task is back with its team.",
                  data);
        return {};
      });
  if (!written) return std::unexpected(written.error());
  return {};
}

// What became of one attempt, once recorded.
enum class Attempt { settled_meanwhile, sent, retrying, given_up };

// Sends one claimed delivery and records what its receiver answered.
Result<Attempt> attempt(const Services& s, WebhookSender& sender,
                        const storage::WebhookDelivery& claimed, const std::string& url,
                        const std::string& secret) {
  PostOutcome answer;
  if (url.empty() || secret.empty()) {
    answer.error = "the endpoint was removed or retired";
  } else {
    auto timestamp = std::to_string(to_millis(s.clock.now()) / 1000);
    answer =
        sender.post({url,
                     {{"Content-Type", "application/json"},
                      {kDeliveryHeader, claimed.id},
                      {kTimestampHeader, timestamp},
                      {kSignatureHeader, webhook_signature(secret, timestamp, claimed.payload)}},
                     claimed.payload});
  }
  bool accepted = answer.status >= 200 && answer.status < 300;
  return write_publishing(s, [&](storage::Connection& c, Outbox& outbox) -> Result<Attempt> {
    ASSIGN_OR_RETURN(auto locked, lock_delivery(c, claimed.id));
    // A callback that came while it was sent, a task finished or cancelled meanwhile, or a claim
    // that lapsed and another worker took: this attempt records nothing.
    if (!locked || locked->delivery.state != "pending" ||
        locked->delivery.claimed_until != claimed.claimed_until)
      return Attempt::settled_meanwhile;
    auto& d = locked->delivery;
    auto done_at = to_millis(s.clock.now());
    d.attempts += 1;
    d.claimed_until = 0;
    d.last_status = answer.status ? std::optional<std::int64_t>(answer.status) : std::nullopt;
    d.last_error = accepted        ? ""
                   : answer.status ? "the receiver answered " + std::to_string(answer.status)
                                   : answer.error;
    if (accepted) {
      d.state = "delivered";
      d.delivered_at = done_at;
      d.next_at = std::nullopt;
      TRY(storage::webhook_deliveries::update(c, d));
      return Attempt::sent;
    }
    if (auto delay = catalog::retry_delay_ms(int(d.attempts))) {
      d.next_at = done_at + *delay;
      TRY(storage::webhook_deliveries::update(c, d));
      return Attempt::retrying;
    }
    d.state = "failed";
    d.next_at = std::nullopt;
    TRY(storage::webhook_deliveries::update(c, d));
    TRY(give_up(c, s, locked->ticket, d, outbox));
    return Attempt::given_up;
  });
}

}  // namespace

Result<DeliveryRun> deliver_webhooks(const Services& s, WebhookSender& sender, int limit,
                                     const std::function<bool()>& stopping) {
  DeliveryRun run;
  // One at a time: each is claimed just before it is sent, so no claim lapses while others of a
  // batch wait their turn behind a slow receiver.
  for (int i = 0; i < limit && !(stopping && stopping()); ++i) {
    struct Claimed {
      storage::WebhookDelivery delivery;
      std::string url, secret;
    };
    auto now = to_millis(s.clock.now());
    ASSIGN_OR_RETURN(
        auto claimed, s.db.write([&](storage::Connection& c) -> Result<std::optional<Claimed>> {
          ASSIGN_OR_RETURN(auto due,
                           storage::webhook_deliveries::claim_due(c, now, now + kClaimMs, 1));
          if (due.empty()) return std::optional<Claimed>();
          auto& d = due.front();
          ASSIGN_OR_RETURN(auto endpoint,
                           storage::definitions::find(c, Kind::webhook_endpoint, d.endpoint_id));
          ASSIGN_OR_RETURN(auto secret, storage::webhook_secrets::find(c, d.endpoint_id));
          Claimed one{std::move(d), "", secret.value_or("")};
          if (endpoint && endpoint->active) one.url = endpoint_view(std::move(*endpoint)).url;
          return std::optional<Claimed>(std::move(one));
        }));
    if (!claimed) break;
    ASSIGN_OR_RETURN(auto outcome,
                     attempt(s, sender, claimed->delivery, claimed->url, claimed->secret));
    run.sent += outcome == Attempt::sent;
    run.failed += outcome == Attempt::retrying;
    run.given_up += outcome == Attempt::given_up;
  }
  return run;
}

Result<storage::WebhookDelivery> complete_delivery(const Services& s,
                                                   const DeliveryCallback& callback) {
  auto now = to_millis(s.clock.now());
  std::int64_t stamp = 0;
  auto [end, ec] = std::from_chars(callback.timestamp.data(),
                                   callback.timestamp.data() + callback.timestamp.size(), stamp);
  if (ec != std::errc() || end != callback.timestamp.data() + callback.timestamp.size() ||
      std::abs(now / 1000 - stamp) > kCallbackWindowS)
    return fail(Code::unauthenticated, std::string("The callback needs a ") + kTimestampHeader +
                                           " header: Unix seconds within five minutes of now.");
  auto body = Json::parse(callback.body, nullptr, false);
  Problems p;
  std::string outcome, note;
  if (!body.is_object()) {
    p.add("body", "must be a JSON object: {\"outcome\": \"done\" or \"failed\", \"note\"?}");
  } else {
    outcome = body.value("outcome", Json()).is_string() ? body["outcome"].get<std::string>() : "";
    if (outcome != "done" && outcome != "failed")
      p.add("outcome", "is required: done (the task is fulfilled) or failed (hand it to its team)");
    if (auto n = body.find("note"); n != body.end() && !n->is_null()) {
      if (!n->is_string() || n->get<std::string>().size() > kNoteLimit)
        p.add("note", "must be text of at most 4000 bytes");
      else
        note = trimmed(n->get<std::string>());
    }
    for (const auto& [key, _] : body.items())
      if (key != "outcome" && key != "note")
        p.add(key, "is not a field of a callback; fields: outcome, note");
  }
  return write_publishing(
      s, [&](storage::Connection& c, Outbox& outbox) -> Result<storage::WebhookDelivery> {
        ASSIGN_OR_RETURN(auto locked, lock_delivery(c, callback.delivery_id));
        // An unknown delivery and a wrong signature answer alike: no one learns which ids exist.
        constexpr auto kRefused = "The callback's signature does not match its delivery.";
        if (!locked) return fail(Code::unauthenticated, kRefused);
        auto& d = locked->delivery;
        ASSIGN_OR_RETURN(auto secret, storage::webhook_secrets::find(c, d.endpoint_id));
        // The delivery's id is signed too: a callback made for one delivery completes no other.
        if (!secret || !constant_time_equal(
                           callback.signature,
                           callback_signature(*secret, callback.timestamp, d.id, callback.body)))
          return fail(Code::unauthenticated, kRefused);
        if (p.any()) return fail(p.error());
        if (d.state == "completed") {
          if (d.outcome == outcome) return d;  // the receiver retried its callback
          return fail(Code::conflict, "This delivery was already completed as " + d.outcome + ".");
        }
        d.state = "completed";
        d.outcome = outcome;
        d.completed_at = now;
        d.next_at = std::nullopt;
        TRY(storage::webhook_deliveries::update(c, d));
        auto& t = locked->ticket;
        ASSIGN_OR_RETURN(auto rows, storage::request_tasks::of_ticket(c, t.id));
        auto row = std::find_if(rows.begin(), rows.end(),
                                [&](const auto& r) { return r.key == d.task_key; });
        // Staff finished it by hand meanwhile, or the request ended: the callback is recorded only.
        if (row == rows.end() || catalog::finished(state_of(*row))) return d;
        TRY(change_request(
            c, s, automation_actor(), t, std::move(rows), outbox, tk::Channel::api,
            [&](RequestTasks& tasks, TimelineDraft& draft) -> Result<void> {
              auto* task = tasks.find(d.task_key);
              auto data = task_event(*task);
              tasks.mark(*task);
              if (outcome == "done") {
                data["from"] = task->state;
                data["to"] = "done";
                task->state = "done";
                task->finished_at = draft.now();
                task->note = note;
                draft.add("task_updated", Visibility::public_, "", data);
                auto internal = task_event(*task);
                internal["delivery_id"] = d.id;
                draft.add("task_noted", Visibility::internal, note, internal);
                tasks.follow_finish();
              } else {
                task->state = "open";
                data["delivery_id"] = d.id;
                draft.add(
                    "task_automation_failed", Visibility::internal,
                    note.empty()
                        ? "The automation could not fulfil the task; it is back with its team."
                        : note,
                    data);
              }
              return {};
            }));
        return d;
      });
}

Result<std::vector<storage::WebhookDelivery>> request_deliveries(const Services& s,
                                                                 const Actor& actor,
                                                                 std::string_view ticket_id) {
  TRY(authorize(actor, "fulfilment.work"));
  return s.db.read([&](storage::Connection& c) -> Result<std::vector<storage::WebhookDelivery>> {
    ASSIGN_OR_RETURN(auto found, storage::ticket_store::find(c, Scope::for_actor(actor), ticket_id,
                                                             storage::Lock::none));
    if (!found) return fail(Code::not_found, "No such request.");
    return storage::webhook_deliveries::of_ticket(c, ticket_id);
  });
}

}  // namespace tandem::usecase
