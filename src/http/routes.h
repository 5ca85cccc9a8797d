// Every module's routes, registered into one Router. Each *_routes.cpp holds one module's table.
#pragma once

#include "http/metrics.h"
#include "http/router.h"
#include "usecase/context.h"

namespace tandem::http {

struct RouteContext {
  const usecase::Services& services;
  Metrics& metrics;
  int login_rate_per_minute = 20;
  std::size_t attachment_limit = 25 << 20;  // bytes of one upload
  std::size_t body_limit = 1 << 20;         // bytes of any other body (the server's own bound)
};

void register_system_routes(Router& router, const RouteContext& context);
void register_auth_routes(Router& router, const RouteContext& context);
void register_directory_routes(Router& router, const RouteContext& context);
void register_audit_routes(Router& router, const RouteContext& context);
void register_ticket_routes(Router& router, const RouteContext& context);
void register_queue_routes(Router& router, const RouteContext& context);
void register_classification_routes(Router& router, const RouteContext& context);
void register_timeframe_routes(Router& router, const RouteContext& context);
void register_override_routes(Router& router, const RouteContext& context);
void register_catalog_routes(Router& router, const RouteContext& context);
void register_fulfilment_routes(Router& router, const RouteContext& context);
void register_billing_routes(Router& router, const RouteContext& context);
void register_onboarding_routes(Router& router, const RouteContext& context);
void register_scim_routes(Router& router, const RouteContext& context);
void register_offboarding_routes(Router& router, const RouteContext& context);
void register_knowledge_routes(Router& router, const RouteContext& context);
void register_community_routes(Router& router, const RouteContext& context);
void register_channel_routes(Router& router, const RouteContext& context);
void register_webhook_routes(Router& router, const RouteContext& context);
void register_broadcast_routes(Router& router, const RouteContext& context);
void register_resource_routes(Router& router, const RouteContext& context);
void register_chat_routes(Router& router, const RouteContext& context);
void register_feedback_routes(Router& router, const RouteContext& context);
void register_survey_routes(Router& router, const RouteContext& context);
void register_points_routes(Router& router, const RouteContext& context);
void register_insight_report_routes(Router& router, const RouteContext& context);
void register_you_said_routes(Router& router, const RouteContext& context);

inline void register_all_routes(Router& router, const RouteContext& context) {
  register_system_routes(router, context);
  register_auth_routes(router, context);
  register_directory_routes(router, context);
  register_audit_routes(router, context);
  register_ticket_routes(router, context);
  register_queue_routes(router, context);
  register_classification_routes(router, context);
  register_timeframe_routes(router, context);
  register_override_routes(router, context);
  register_catalog_routes(router, context);
  register_fulfilment_routes(router, context);
  register_billing_routes(router, context);
  register_onboarding_routes(router, context);
  register_scim_routes(router, context);
  register_offboarding_routes(router, context);
  register_knowledge_routes(router, context);
  register_community_routes(router, context);
  register_channel_routes(router, context);
  register_webhook_routes(router, context);
  register_broadcast_routes(router, context);
  register_resource_routes(router, context);
  register_chat_routes(router, context);
  register_feedback_routes(router, context);
  register_survey_routes(router, context);
  register_points_routes(router, context);
  register_insight_report_routes(router, context);
  register_you_said_routes(router, context);
}

// The OpenAPI 3.1 document served at /api/v1/openapi.json.
std::string_view openapi_document();

}  // namespace tandem::http
