// FDB-2: "you said, we did" — feedback, its link to the improvement register, and what became of it.
#include "http/dto.h"
#include "http/json_body.h"
#include "http/routes.h"
#include "usecase/you_said.h"

namespace tandem::http {
namespace {

// Staff read who gave it; the organisation's people read what was said and done, and whether it
// is their own — not who else said it.
Json feedback_json(const storage::FeedbackItem& f, const std::optional<std::string>& title, const std::optional<std::string>& status,
                   const identity::Actor& reader) {
  bool staff = reader.staff();
  Json out{{"id", f.id},
           {"organization_id", f.organization_id},
           {"source", f.source},
           {"text", f.text},
           {"status", f.status},
           // The register is the provider's: its entries' ids and titles are staff's to read.
           {"improvement", !f.improvement_id ? Json(nullptr)
                           : staff           ? Json{{"id", *f.improvement_id}, {"title", title.value_or("")}, {"status", status.value_or("")}}
                                             : Json{{"status", status.value_or("")}}},
           {"public_note", f.public_note},
           {"mine", f.submitter_id == reader.user_id},
           {"created_at", time_text(f.created_at)},
           {"updated_at", time_text(f.updated_at)}};
  if (staff) {
    out["submitter_id"] = f.submitter_id ? Json(*f.submitter_id) : Json(nullptr);
    out["source_id"] = f.source_id ? Json(*f.source_id) : Json(nullptr);
    out["created_by"] = f.created_by;
    out["version"] = f.version;
    out["etag"] = etag_of(f.version);
  }
  return out;
}

}  // namespace

void register_you_said_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  router.add("POST", "/api/v1/feedback", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"text", "source", "source_id", "organization_id", "submitter_id"});
    usecase::FeedbackInput in;
    in.text = f.text("text", true).value_or("");
    in.source = f.text("source");
    in.source_id = f.text("source_id");
    in.organization_id = f.text("organization_id");
    in.submitter_id = f.text("submitter_id");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto item, usecase::give_feedback(s, r.actor(), in));
    Response out = json_response(201, feedback_json(item, std::nullopt, std::nullopt, r.actor()));
    out.set_header("Location", "/api/v1/feedback/" + item.id);
    return out;
  });
  router.add("GET", "/api/v1/feedback", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(known_query_parameters(r, {"status", "improvement_id", "limit", "cursor"}));
    if (auto status = r.query_value("status"); status && *status != "new" && *status != "linked" && *status != "declined") {
      Error e(Code::invalid_argument, "Some query parameters are invalid.");
      e.details.push_back({"status", "allowed: new, linked, declined"});
      return fail(std::move(e));
    }
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    storage::FeedbackFilter filter{r.query_value("status"), r.query_value("improvement_id"), std::nullopt};
    ASSIGN_OR_RETURN(auto page, usecase::list_feedback(s, r.actor(), filter, {paging.first, paging.second}));
    Json items = Json::array();
    for (const auto& f : page.items) items.push_back(feedback_json(f.item, f.improvement_title, f.improvement_status, r.actor()));
    return page_response(std::move(items), page.next_after);
  });
  router.add("PATCH", "/api/v1/feedback/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, {"improvement_id", "status", "public_note"});
    usecase::FeedbackPatch patch;
    patch.improvement_id = f.nullable_text("improvement_id");
    patch.status = f.text("status");
    patch.public_note = f.text("public_note");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto updated, usecase::update_feedback(s, r.actor(), r.param("id"), version, patch));
    Response out = json_response(200, feedback_json(updated.item, updated.improvement_title, updated.improvement_status, r.actor()));
    out.set_header("ETag", etag_of(updated.item.version));
    return out;
  });
}

}  // namespace tandem::http
