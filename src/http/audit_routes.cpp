#include "http/dto.h"
#include "http/routes.h"
#include "usecase/audit.h"

namespace tandem::http {

void register_audit_routes(Router& router, const RouteContext& ctx) {
  router.add("GET", "/api/v1/audit", {}, [&s = ctx.services](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    storage::AuditFilter filter;
    filter.actor_id = r.query_value("actor_id").value_or("");
    filter.action = r.query_value("action").value_or("");
    filter.target_type = r.query_value("target_type").value_or("");
    filter.target_id = r.query_value("target_id").value_or("");
    filter.organization_id = r.query_value("organization_id").value_or("");
    Error e(Code::invalid_argument, "Some query parameters are invalid.");
    auto time_param = [&](const char* name, std::optional<std::int64_t>& out) {
      if (auto v = r.query_value(name)) {
        Time t;
        if (parse_rfc3339(*v, t)) out = to_millis(t);
        else e.details.push_back({name, "must be an RFC 3339 time"});
      }
    };
    time_param("since", filter.since);
    time_param("until", filter.until);
    storage::PageRequest page{paging.first, paging.second};
    if (!page.after.empty() && page.after.find_first_not_of("0123456789") != std::string::npos)
      e.details.push_back({"cursor", "is not a cursor this server gave out"});
    if (!e.details.empty()) return fail(std::move(e));
    ASSIGN_OR_RETURN(auto result, usecase::list_audit(s, r.actor(), filter, page));
    return list_response(result);
  });
}

}  // namespace tandem::http
