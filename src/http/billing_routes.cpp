// DESK-11: charges and invoices — usage posted by the provider's systems (a booking), the charge
// lines an organisation has run up, the monthly invoice run, and issuing an invoice. Amounts are
// decimal strings; labels are written in the caller's language.
#include "domain/billing/invoice.h"
#include "http/definition_routes.h"
#include "http/dto.h"
#include "http/routes.h"
#include "usecase/billing.h"
#include "usecase/settlement.h"

namespace tandem::http {
namespace {

using catalog::Money;

Json money(std::int64_t cents) { return Money::cents(cents).to_string(); }

Json label_of(const std::string& stored, const Request& r) {
  return stored_text_in(stored, r.actor().language);
}

Json charge_json(const storage::Charge& c, const Request& r) {
  return {{"id", c.id},
          {"organization_id", c.organization_id},
          {"user_id", c.user_id ? Json(*c.user_id) : Json(nullptr)},
          {"source", c.source},
          {"ticket_id", c.ticket_id ? Json(*c.ticket_id) : Json(nullptr)},
          {"kind", c.kind},
          {"reference", c.reference ? Json(*c.reference) : Json(nullptr)},
          {"label", label_of(c.label, r)},
          {"quantity", c.quantity},
          {"unit_price", money(c.unit_cents)},
          {"amount", money(c.amount_cents)},
          {"occurred_at", time_text(c.occurred_at)},
          {"voided", c.voided},
          {"invoice_id", c.invoice_id ? Json(*c.invoice_id) : Json(nullptr)},
          {"created_at", time_text(c.created_at)}};
}

Json invoice_json(const storage::Invoice& i, const Request& r, bool with_lines) {
  Json out = {{"id", i.id},
              {"organization_id", i.organization_id},
              {"period", i.period},
              {"purpose", i.purpose},
              {"kind", i.purpose == "settlement" && i.total_cents < 0 ? "credit_note" : "invoice"},
              {"currency", i.currency},
              {"offboarding_id", i.offboarding_id ? Json(*i.offboarding_id) : Json(nullptr)},
              {"state", i.state},
              {"number", i.number ? Json(*i.number) : Json(nullptr)},
              {"total", money(i.total_cents)},
              {"version", i.version},
              {"etag", etag_of(i.version)},
              {"created_at", time_text(i.created_at)},
              {"issued_at", nullable_time(i.issued_at)}};
  if (!with_lines) return out;
  Json lines = Json::array();
  for (const auto& l : i.lines)
    lines.push_back({{"kind", l.kind},
                     {"source_id", l.source_id},
                     {"label", label_of(l.label, r)},
                     {"user_id", l.user_id ? Json(*l.user_id) : Json(nullptr)},
                     {"quantity", l.quantity},
                     {"unit_price", money(l.unit_cents)},
                     {"amount", money(l.amount_cents)},
                     {"from", nullable_time(l.from)},
                     {"to", nullable_time(l.to)}});
  out["lines"] = std::move(lines);
  return out;
}

}  // namespace

void register_billing_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  router.add("POST", "/api/v1/usage-records", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"organization_id", "user_id", "kind", "quantity", "occurred_at", "reference"});
    usecase::NewUsage in;
    in.organization_id = f.text("organization_id", true).value_or("");
    in.user_id = f.text("user_id");
    in.kind = f.text("kind", true).value_or("");
    in.quantity = f.integer("quantity").value_or(1);
    in.occurred_at = f.time_ms("occurred_at");
    in.reference = f.text("reference");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto charge, usecase::record_usage(s, r.actor(), in));
    return json_response(201, charge_json(charge, r));
  });

  router.add("GET", "/api/v1/charges", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto page, page_params(r));
    TRY(known_query_parameters(r, {"organization_id", "period", "limit", "cursor"}));
    storage::charges::Filter filter;
    filter.organization_id = r.query_value("organization_id");
    if (auto period = r.query_value("period")) {
      auto parsed = billing::parse_period(*period);
      if (!parsed) {
        Error e(Code::invalid_argument, "Some query parameters are invalid.");
        e.details.push_back({"period", "must be a month as YYYY-MM"});
        return fail(std::move(e));
      }
      filter.from = parsed->start;
      filter.to = parsed->end;
    }
    ASSIGN_OR_RETURN(auto found,
                     usecase::list_charges(s, r.actor(), filter, {page.first, page.second}));
    Json items = Json::array();
    for (const auto& c : found.items) items.push_back(charge_json(c, r));
    return page_response(std::move(items), found.next_after);
  });

  router.add("POST", "/api/v1/invoices/run", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(known_query_parameters(r, {"period"}));
    ASSIGN_OR_RETURN(auto run,
                     usecase::run_invoices(s, r.actor(), r.query_value("period").value_or("")));
    Json drafts = Json::array(), issued = Json::array();
    for (const auto& i : run.drafts) drafts.push_back(invoice_json(i, r, true));
    for (const auto& i : run.issued) issued.push_back(invoice_json(i, r, false));
    return json_response(200, Json{{"period", run.period.name},
                                   {"from", time_text(run.period.start)},
                                   {"to", time_text(run.period.end)},
                                   {"drafts", drafts},
                                   {"issued", issued},
                                   {"drafts_removed", run.removed}});
  });
  // OFF-2: a tier's fee paid ahead, for whole months (a year at once).
  router.add("POST", "/api/v1/prepayments", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"subscription_id", "from", "months", "amount"});
    usecase::NewPrepayment in;
    in.subscription_id = f.text("subscription_id", true).value_or("");
    in.from = f.text("from", true).value_or("");
    in.months = f.integer("months").value_or(12);
    in.amount = f.text("amount");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto invoice, usecase::record_prepayment(s, r.actor(), in));
    return versioned_response(201, invoice_json(invoice, r, true), invoice, "/api/v1/invoices");
  });
  router.add("GET", "/api/v1/invoices", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto page, page_params(r));
    TRY(known_query_parameters(r, {"organization_id", "period", "state", "purpose", "limit", "cursor"}));
    storage::invoices::Filter filter{r.query_value("organization_id"), r.query_value("period"),
                                     r.query_value("state"), r.query_value("purpose")};
    ASSIGN_OR_RETURN(auto found,
                     usecase::list_invoices(s, r.actor(), filter, {page.first, page.second}));
    Json items = Json::array();
    for (const auto& i : found.items) items.push_back(invoice_json(i, r, false));
    return page_response(std::move(items), found.next_after);
  });
  router.add("GET", "/api/v1/invoices/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto found, usecase::get_invoice(s, r.actor(), r.param("id")));
    return versioned_response(200, invoice_json(found, r, true), found, "/api/v1/invoices");
  });
  router.add(
      "POST", "/api/v1/invoices/{id}/issue", signed_in, [&s](Request& r) -> Result<Response> {
        ASSIGN_OR_RETURN(auto version, required_if_match(r));
        ASSIGN_OR_RETURN(auto issued, usecase::issue_invoice(s, r.actor(), r.param("id"), version));
        return versioned_response(200, invoice_json(issued, r, true), issued, "/api/v1/invoices");
      });
}

}  // namespace tandem::http
