// Queues (issue "Service desk core" §6): saved filters with counts, and their tickets.
#include "http/dto.h"
#include "http/routes.h"
#include "usecase/queues.h"

namespace tandem::http {

void register_queue_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  router.add("GET", "/api/v1/queues", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::list_queues(s, r.actor(), {paging.first, paging.second}));
    return list_response(page);
  });

  router.add("POST", "/api/v1/queues", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"name", "filter", "shared"});
    usecase::NewQueue q;
    q.name = f.text("name", true).value_or("");
    q.shared = f.boolean("shared").value_or(false);
    if (auto it = body.find("filter"); it != body.end()) {
      if (!it->is_object()) f.problem("filter", "must be an object of ticket-list query parameters");
      else
        for (const auto& [k, v] : it->items()) {
          if (v.is_string()) q.filter[k] = v.get<std::string>();
          else f.problem("filter." + k, "must be a string, as in a query parameter");
        }
    }
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto created, usecase::create_queue(s, r.actor(), q));
    Response out = json_response(201, to_json(created));
    out.set_header("Location", "/api/v1/queues/" + created.queue.id);
    return out;
  });

  router.add("GET", "/api/v1/queues/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto q, usecase::get_queue(s, r.actor(), r.param("id")));
    return json_response(200, to_json(q));
  });

  router.add("DELETE", "/api/v1/queues/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::delete_queue(s, r.actor(), r.param("id")));
    return no_content();
  });

  router.add("GET", "/api/v1/queues/{id}/tickets", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::queue_tickets(s, r.actor(), r.param("id"), {paging.first, paging.second}));
    return list_response(page);
  });
}

}  // namespace tandem::http
