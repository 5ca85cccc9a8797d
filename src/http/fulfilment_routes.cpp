// DESK-5: fulfilling catalog requests — a request's tasks and staff's work on them, the work
// list, the webhook endpoints of automated tasks, and the signed callback by which a receiver
// completes its task (the one route here that needs no session: its signature is its proof).
#include "http/definition_routes.h"
#include "http/dto.h"
#include "http/fulfilment_json.h"
#include "http/routes.h"
#include "usecase/fulfilment.h"

namespace tandem::http {

namespace {

Json endpoint_json(const usecase::WebhookEndpointView& v) {
  return {{"id", v.stored.id},
          {"name", v.stored.name},
          {"url", v.url},
          {"description", v.description},
          {"order", v.stored.position},
          {"active", v.stored.active},
          {"version", v.stored.version},
          {"etag", etag_of(v.stored.version)},
          {"created_at", time_text(v.stored.created_at)},
          {"updated_at", time_text(v.stored.updated_at)}};
}

Json delivery_json(const storage::WebhookDelivery& d) {
  return {{"id", d.id},
          {"ticket_id", d.ticket_id},
          {"task", d.task_key},
          {"endpoint_id", d.endpoint_id},
          {"state", d.state},
          {"attempts", d.attempts},
          {"next_attempt_at", nullable_time(d.next_at)},
          {"last_status", d.last_status ? Json(*d.last_status) : Json(nullptr)},
          {"last_error", d.last_error},
          {"outcome", d.outcome.empty() ? Json(nullptr) : Json(d.outcome)},
          {"created_at", time_text(d.created_at)},
          {"delivered_at", nullable_time(d.delivered_at)},
          {"completed_at", nullable_time(d.completed_at)}};
}

Result<std::vector<std::string>> states_of(const std::string& list) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= list.size()) {
    auto comma = list.find(',', at);
    auto one = list.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    if (!catalog::parse_task_state(one)) {
      Error e(Code::invalid_argument, "Some query parameters are invalid.");
      e.details.push_back(
          {"state",
           "'" + one +
               "' is not a task state; states: waiting, open, in_progress, done, cancelled"});
      return fail(std::move(e));
    }
    out.push_back(one);
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  return out;
}

}  // namespace

Json task_json(const storage::RequestTask& t, const Request& r) {
  Json out = {{"key", t.key},
              {"name", stored_text_in(t.name, r.actor().language)},
              {"state", t.state},
              {"automated", !t.endpoint_id.empty()},
              {"opened_at", nullable_time(t.opened_at)},
              {"due_at", nullable_time(t.due_at)},
              {"finished_at", nullable_time(t.finished_at)}};
  if (!r.actor().staff()) return out;
  out["ticket_id"] = t.ticket_id;
  out["organization_id"] = t.organization_id;
  out["team_id"] = t.team_id;
  out["after"] = Json::parse(t.after, nullptr, false);
  out["endpoint_id"] = t.endpoint_id.empty() ? Json(nullptr) : Json(t.endpoint_id);
  out["assignee_id"] = t.assignee_id ? Json(*t.assignee_id) : Json(nullptr);
  out["finished_by"] = t.finished_by ? Json(*t.finished_by) : Json(nullptr);
  out["note"] = t.note;
  out["version"] = t.version;
  out["etag"] = etag_of(t.version);
  return out;
}

Json tasks_json(const std::vector<storage::RequestTask>& tasks, const Request& r) {
  Json out = Json::array();
  for (const auto& t : tasks) out.push_back(task_json(t, r));
  return out;
}

void register_fulfilment_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  router.add(
      "GET", "/api/v1/requests/{ticket_id}/tasks", signed_in, [&s](Request& r) -> Result<Response> {
        ASSIGN_OR_RETURN(auto tasks, usecase::request_tasks(s, r.actor(), r.param("ticket_id")));
        return page_response(tasks_json(tasks, r), std::nullopt);
      });
  router.add("PATCH", "/api/v1/requests/{ticket_id}/tasks/{key}", signed_in,
             [&s](Request& r) -> Result<Response> {
               ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
               ASSIGN_OR_RETURN(auto version, required_if_match(r));
               Fields f(body, {"state", "assignee_id", "note"});
               usecase::TaskPatch patch;
               patch.expected_version = version;
               std::vector<FieldProblem> more;
               if (auto state = f.text("state")) {
                 patch.state = catalog::parse_task_state(*state);
                 if (!patch.state)
                   more.push_back({"state", "must be open, in_progress, done or cancelled"});
               }
               patch.assignee_id = f.nullable_text("assignee_id");
               patch.note = f.text("note");
               TRY(f.finish(more));
               ASSIGN_OR_RETURN(auto task, usecase::update_task(s, r.actor(), r.param("ticket_id"),
                                                                r.param("key"), patch));
               auto out = json_response(200, task_json(task, r));
               out.set_header("ETag", etag_of(task.version));
               return out;
             });
  router.add("GET", "/api/v1/requests/{ticket_id}/deliveries", signed_in,
             [&s](Request& r) -> Result<Response> {
               ASSIGN_OR_RETURN(auto deliveries,
                                usecase::request_deliveries(s, r.actor(), r.param("ticket_id")));
               Json items = Json::array();
               for (const auto& d : deliveries) items.push_back(delivery_json(d));
               return page_response(std::move(items), std::nullopt);
             });

  router.add("GET", "/api/v1/tasks", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto page, page_params(r));
    TRY(known_query_parameters(r, {"team_id", "assignee_id", "state", "limit", "cursor"}));
    storage::TaskQuery q;
    q.team_id = r.query_value("team_id");
    q.assignee_id = r.query_value("assignee_id");
    if (q.assignee_id == "me") q.assignee_id = r.actor().user_id;
    if (auto states = r.query_value("state")) {
      ASSIGN_OR_RETURN(q.states, states_of(*states));
    }
    ASSIGN_OR_RETURN(auto found, usecase::list_tasks(s, r.actor(), q, {page.first, page.second}));
    return page_response(tasks_json(found.items, r), found.next_after);
  });

  const std::string endpoints = "/api/v1/webhook-endpoints";
  RouteOptions shows_secret;
  shows_secret.secret_field = "secret";
  router.add("GET", endpoints, signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto all, usecase::list_webhook_endpoints(s, r.actor()));
    Json items = Json::array();
    for (const auto& e : all) items.push_back(endpoint_json(e));
    return page_response(std::move(items), std::nullopt);
  });
  router.add("POST", endpoints, shows_secret, [&s, endpoints](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    ASSIGN_OR_RETURN(auto created, usecase::create_webhook_endpoint(s, r.actor(), body.dump()));
    auto out = endpoint_json(created.endpoint);
    out["secret"] = created.secret;
    return versioned_response(201, out, created.endpoint.stored, endpoints);
  });
  router.add(
      "GET", endpoints + "/{id}", signed_in, [&s, endpoints](Request& r) -> Result<Response> {
        ASSIGN_OR_RETURN(auto found, usecase::get_webhook_endpoint(s, r.actor(), r.param("id")));
        return versioned_response(200, endpoint_json(found), found.stored, endpoints);
      });
  router.add(
      "PATCH", endpoints + "/{id}", signed_in, [&s, endpoints](Request& r) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
        ASSIGN_OR_RETURN(auto version, required_if_match(r));
        ASSIGN_OR_RETURN(auto updated, usecase::update_webhook_endpoint(s, r.actor(), r.param("id"),
                                                                        version, body.dump()));
        return versioned_response(200, endpoint_json(updated), updated.stored, endpoints);
      });
  router.add("DELETE", endpoints + "/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::delete_webhook_endpoint(s, r.actor(), r.param("id")));
    return no_content();
  });
  router.add(
      "POST", endpoints + "/{id}/secret", shows_secret, [&s](Request& r) -> Result<Response> {
        ASSIGN_OR_RETURN(auto rotated, usecase::rotate_webhook_secret(s, r.actor(), r.param("id")));
        auto out = endpoint_json(rotated.endpoint);
        out["secret"] = rotated.secret;
        return json_response(200, out);
      });

  // The receiver proves itself by the signature, so no session or CSRF token applies; the body
  // is read as sent, byte for byte, since that is what was signed.
  const RouteOptions signed_by_receiver{Auth::none, Csrf::exempt, 600};
  router.add("POST", "/api/v1/webhook-deliveries/{id}/callback", signed_by_receiver,
             [&s](Request& r) -> Result<Response> {
               auto lower = [](std::string name) {
                 for (auto& ch : name) ch = char(std::tolower(static_cast<unsigned char>(ch)));
                 return name;
               };
               usecase::DeliveryCallback callback{
                   r.param("id"), r.header(lower(usecase::kTimestampHeader)),
                   r.header(lower(usecase::kSignatureHeader)), r.body};
               ASSIGN_OR_RETURN(auto done, usecase::complete_delivery(s, callback));
               return json_response(200, delivery_json(done));
             });
}

}  // namespace tandem::http
