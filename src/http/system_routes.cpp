#include "http/json_body.h"
#include "http/routes.h"

namespace tandem::http {

void register_system_routes(Router& router, const RouteContext& ctx) {
  ctx.metrics.add_gauge("tandem_db_queue_depth",
                        "Writes waiting for the store (SQLite) or callers waiting for a connection (PostgreSQL).",
                        [&db = ctx.services.db] { return double(db.queue_depth()); });
  const RouteOptions open{Auth::none, Csrf::exempt};
  router.add("GET", "/healthz", open, [](Request&) -> Result<Response> { return json_response(200, {{"status", "ok"}}); });
  router.add("GET", "/readyz", open, [&s = ctx.services](Request&) -> Result<Response> {
    if (auto ping = s.db.ping(); !ping) return fail(Code::unavailable, "The store is not reachable.");
    return json_response(200, {{"status", "ready"}});
  });
  router.add("GET", "/metrics", open, [&m = ctx.metrics](Request&) -> Result<Response> {
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = m.render();
    return r;
  });
  router.add("GET", "/api/v1/openapi.json", open, [](Request&) -> Result<Response> {
    Response r;
    r.body = std::string(openapi_document());
    r.set_header("Cache-Control", "no-cache");
    return r;
  });
}

}  // namespace tandem::http
