// OFF-1, OFF-2: offboarding records and their steps, and the assets people hold; OFF-2, OFF-3:
// an organisation's export, and imports from another desk.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/id.h"
#include "http/multipart.h"
#include "usecase/importer.h"

#include "http/dto.h"
#include "http/routes.h"
#include "usecase/assets.h"
#include "usecase/offboarding.h"
#include "usecase/organization_export.h"
#include "usecase/retention.h"
#include "usecase/settlement.h"

namespace tandem::http {
namespace {

Json to_json(const storage::Asset& a) {
  return {{"id", a.id},
          {"organization_id", a.organization_id},
          {"name", a.name},
          {"kind", a.kind},
          {"assigned_to", a.assigned_to ? Json(*a.assigned_to) : Json(nullptr)},
          {"state", a.state},
          {"note", a.note},
          {"version", a.version},
          {"created_at", time_text(a.created_at)},
          {"updated_at", time_text(a.updated_at)}};
}

// OFF-2: the settlement as the reader reads it: each line described in their language — what it
// is and the days it covers.
Json settlement_view(const Json& stored, const std::string& language) {
  if (!stored.is_object()) return nullptr;
  Json out = stored;
  auto day = [](const Json& ms) { return time_text(ms.get<std::int64_t>()).substr(0, 10); };
  for (auto& line : out["lines"]) {
    auto what = line.contains("label") ? stored_text_in(line["label"].dump(), language).get<std::string>() : std::string();
    if (line.contains("from") && line.contains("to"))
      what += " (" + day(line["from"]) + " – " + time_text(line["to"].get<std::int64_t>() - 1).substr(0, 10) + ")";
    if (line.value("kind", "") == "prepaid_credit") what = (language == "zh-CN" ? "预付费用退还：" : "Unused prepaid fee: ") + what;
    line["description"] = what;
    if (line.contains("from")) line["from"] = time_text(line["from"].get<std::int64_t>());
    if (line.contains("to")) line["to"] = time_text(line["to"].get<std::int64_t>());
    line.erase("label");
  }
  return out;
}

Json to_json(const storage::Offboarding& o, const std::string& language) {
  Json steps = Json::parse(o.steps, nullptr, false);
  Json facts = Json::parse(o.facts, nullptr, false);
  Json settlement = nullptr;
  if (facts.is_object() && facts.contains("settlement")) {
    settlement = settlement_view(facts["settlement"], language);
    facts.erase("settlement");  // shown once, as read
  }
  if (steps.is_array())
    for (auto& step : steps)
      if (step.contains("done_at") && step["done_at"].is_number_integer()) step["done_at"] = time_text(step["done_at"].get<std::int64_t>());
  return {{"id", o.id},
          {"kind", o.kind},
          {"subject_id", o.subject_id},
          {"organization_id", o.organization_id},
          {"reason", o.reason},
          {"effective_at", time_text(o.effective_at)},
          {"status", o.status},
          {"steps", steps},
          {"settlement", settlement},
          {"facts", facts},
          {"created_by", o.created_by},
          {"created_at", time_text(o.created_at)},
          {"completed_at", o.completed_at ? Json(time_text(*o.completed_at)) : Json(nullptr)},
          {"version", o.version}};
}

// Exports made at once, in the whole process: each holds a worker thread while it is read and
// sent, however slowly its client takes it. More wait their turn.
constexpr int kExportsAtOnce = 4;
std::atomic<int> exports_running{0};
struct ExportSlot {
  int taken = exports_running.fetch_add(1) + 1;
  ~ExportSlot() { exports_running.fetch_sub(1); }
};

Response retention_response(const usecase::RetentionPolicy& p) {
  auto r = json_response(200, {{"archive_contact", p.archive_contact},
                               {"archive_days", p.archive_days},
                               {"uploads", usecase::to_string(p.uploads)},
                               {"version", p.version}});
  r.set_header("ETag", etag_of(p.version));
  return r;
}

Response record_response(int status, const storage::Offboarding& o, const Request& request) {
  auto r = json_response(status, to_json(o, request.actor().language));
  r.set_header("ETag", etag_of(o.version));
  if (status == 201) r.set_header("Location", "/api/v1/offboardings/" + o.id);
  return r;
}

}  // namespace

void register_offboarding_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  // Offboarding ---------------------------------------------------------------------------------
  router.add("POST", "/api/v1/users/{id}/offboarding", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "offboarding.manage"));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"reason", "effective_at"});
    usecase::OffboardingStart in;
    in.reason = f.text("reason", true).value_or("");
    in.effective_at = f.time_ms("effective_at");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto o, usecase::start_user_offboarding(s, r.actor(), r.param("id"), in));
    return record_response(201, o, r);
  });
  // OFF-4, OFF-1: a person leaving by themselves is offered a cheaper tier first, then leaves.
  router.add("GET", "/api/v1/me/leaving", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto offers, usecase::offers_before_leaving(s, r.actor()));
    auto money = [&](catalog::Money m) { return usecase::money_json(m, s.currency); };
    Json items = Json::array();
    for (const auto& o : offers)
      items.push_back({{"subscription_id", o.subscription_id},
                       {"tier_id", o.tier_id},
                       {"name", stored_text_in(o.name, r.actor().language)},
                       {"monthly_fee", money(o.monthly_fee)},
                       {"current", {{"tier_id", o.current_tier_id},
                                    {"name", stored_text_in(o.current_name, r.actor().language)},
                                    {"monthly_fee", money(o.current_fee)}}}});
    return json_response(200, Json{{"offers", items}});
  });
  router.add("POST", "/api/v1/me/leaving", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"reason"});
    auto reason = f.text("reason", true).value_or("");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto o, usecase::leave_by_oneself(s, r.actor(), reason));
    return record_response(201, o, r);
  });

  // OFF-2: a customer organisation leaves, with its settlement.
  router.add("POST", "/api/v1/organizations/{id}/offboarding", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "offboarding.manage"));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"reason", "effective_at", "exit_payments"});
    usecase::OrganizationOffboardingStart in;
    in.reason = f.text("reason", true).value_or("");
    in.effective_at = f.time_ms("effective_at");
    if (body.contains("exit_payments")) {
      const auto& list = body["exit_payments"];
      if (!list.is_array()) {
        f.problem("exit_payments", "must be a list of {\"description\", \"amount\"}");
      } else {
        for (std::size_t i = 0; i < list.size(); ++i) {
          const auto& e = list[i];
          auto field = "exit_payments[" + std::to_string(i) + "]";
          if (!e.is_object() || !e.contains("description") || !e["description"].is_string() || !e.contains("amount") ||
              !e["amount"].is_string() || e.size() != 2)
            f.problem(field, "must be {\"description\": text, \"amount\": a decimal string such as \"-50.00\"}");
          else
            in.exit_payments.push_back({e["description"].get<std::string>(), e["amount"].get<std::string>()});
        }
      }
    }
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto o, usecase::start_organization_offboarding(s, r.actor(), r.param("id"), in));
    return record_response(201, o, r);
  });
  router.add("GET", "/api/v1/offboardings", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(known_query_parameters(r, {"organization_id", "subject_id", "status", "limit", "cursor"}));
    ASSIGN_OR_RETURN(auto p, page_params(r));
    storage::OffboardingFilter filter{r.query_value("organization_id"), r.query_value("subject_id"), r.query_value("status")};
    ASSIGN_OR_RETURN(auto page, usecase::list_offboardings(s, r.actor(), filter, storage::PageRequest{p.first, p.second}));
    Json items = Json::array();
    for (const auto& o : page.items) items.push_back(to_json(o, r.actor().language));
    return page_response(std::move(items), page.next_after);
  });
  router.add("GET", "/api/v1/offboardings/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto o, usecase::get_offboarding(s, r.actor(), r.param("id")));
    return record_response(200, o, r);
  });
  router.add("POST", "/api/v1/offboardings/{id}/steps/{key}/transitions", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "offboarding.manage"));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"to", "handover_to", "note"});
    usecase::StepCompletion in;
    in.to = f.text("to", true).value_or("");
    in.handover_to = f.text("handover_to");
    in.note = f.text("note").value_or("");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto o, usecase::finish_offboarding_step(s, r.actor(), r.param("id"), r.param("key"), in));
    return record_response(200, o, r);
  });

  // OFF-1: the organisation's retention policy, and what it keeps of a person who left.
  router.add("GET", "/api/v1/organizations/{id}/retention", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto policy, usecase::get_retention_policy(s, r.actor(), r.param("id")));
    return retention_response(policy);
  });
  router.add("PUT", "/api/v1/organizations/{id}/retention", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"archive_contact", "archive_days", "uploads"});
    usecase::RetentionPolicy in;
    in.archive_contact = f.boolean("archive_contact").value_or(false);
    auto days = f.integer("archive_days");
    if (days && (*days < 1 || *days > 3650)) f.problem("archive_days", "must be from 1 to 3650 days");
    else if (days) in.archive_days = int(*days);
    if (auto uploads = f.text("uploads")) {
      if (auto rule = usecase::parse_uploads_rule(*uploads)) in.uploads = *rule;
      else f.problem("uploads", "allowed: keep, erase");
    }
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto policy, usecase::set_retention_policy(s, r.actor(), r.param("id"), in, version));
    return retention_response(policy);
  });
  router.add("GET", "/api/v1/offboardings/{id}/archive", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto kept, usecase::offboarding_archive(s, r.actor(), r.param("id")));
    return json_response(200, {{"offboarding_id", kept.offboarding_id},
                               {"user_id", kept.user_id},
                               {"contact", Json::parse(kept.contact, nullptr, false)},
                               {"kept_until", time_text(kept.kept_until)},
                               {"archived_at", time_text(kept.created_at)}});
  });

  // OFF-2: the organisation's export, a zip sent as it is read. Who may take it and whether the
  // organisation exists are settled before the first byte, so those answers keep their status.
  RouteOptions long_read{};
  long_read.own_transactions = true;
  router.add("GET", "/api/v1/organizations/{id}/export", long_read, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto prepared, usecase::prepare_export(s, r.actor(), r.param("id")));
    auto slot = std::make_shared<ExportSlot>();  // held until the zip is sent, or not made (HEAD)
    if (slot->taken > kExportsAtOnce) {
      Error busy(Code::rate_limited, "Several exports are being made; try again in a minute.", "exports_busy");
      busy.retry_after_seconds = 30;
      return std::unexpected(std::move(busy));
    }
    Response response;
    response.content_type = "application/zip";
    response.produce = [write = std::move(prepared.write), slot](const auto& out) -> Result<void> {
      TRY(write(out));
      return {};
    };
    response.set_header("Content-Disposition", "attachment; filename=\"" + prepared.file_name + "\"");
    response.set_header("X-Content-Type-Options", "nosniff");
    return response;
  });

  // OFF-3: an import, dry run first. The file arrives as multipart (up to the attachment limit;
  // larger ones through `tandem import`), is kept in a temporary file while it is read, and goes.
  RouteOptions upload;
  upload.body_limit = ctx.attachment_limit;
  router.add("POST", "/api/v1/imports", upload, [&s](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "organization.import"));
    ASSIGN_OR_RETURN(auto boundary, multipart_boundary(r.header("content-type")));
    ASSIGN_OR_RETURN(auto parts, parse_multipart(r.body, boundary));
    usecase::ImportRequest in;
    ASSIGN_OR_RETURN(auto file, the_file(parts, [&](const FormPart& part) -> std::optional<std::string> {
      if (part.name == "format") {
        in.format = std::string(part.data);
      } else if (part.name == "dry_run") {
        if (part.data != "true" && part.data != "false") return "must be true or false";
        in.dry_run = part.data == "true";
      } else if (part.name == "confirm") {
        in.confirm = std::string(part.data);
      } else if (part.name == "organization") {
        in.organization = std::string(part.data);
      } else {
        return "is not a known field";
      }
      return std::nullopt;
    }));
    namespace fs = std::filesystem;
    auto dir = fs::path(s.attachments_dir).parent_path() / "imports";
    std::error_code ec;
    fs::create_directories(dir, ec);
    struct Removed {
      fs::path path;
      ~Removed() {
        std::error_code ignored;
        fs::remove(path, ignored);
      }
    } temporary{dir / new_id("imp", s.clock.now())};
    {
      std::ofstream out(temporary.path, std::ios::binary);
      out.write(file->data.data(), std::streamsize(file->data.size()));
      if (!out) return fail(Code::unavailable, "The file cannot be kept while it is read.");
    }
    ASSIGN_OR_RETURN(auto report, usecase::import_file(s, r.actor(), temporary.path, in));
    Json counts = Json::object();
    for (const auto& [kind, n] : report.counts) counts[kind] = {{"created", n.created}, {"merged", n.merged}, {"rejected", n.rejected}};
    Json rejected = Json::array();
    for (const auto& p : report.rejected) rejected.push_back({{"kind", p.kind}, {"source_id", p.source_id}, {"reason", p.reason}});
    return json_response(200, Json{{"format", report.format},
                                   {"dry_run", report.dry_run},
                                   {"digest", report.digest},
                                   {"counts", counts},
                                   {"rejected", rejected},
                                   {"dropped_references", report.dropped_references}});
  });

  // Assets --------------------------------------------------------------------------------------
  router.add("GET", "/api/v1/assets", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(known_query_parameters(r, {"organization_id", "assigned_to", "state", "limit", "cursor"}));
    ASSIGN_OR_RETURN(auto p, page_params(r));
    storage::AssetFilter filter{r.query_value("organization_id"), r.query_value("assigned_to"), r.query_value("state")};
    if (filter.state && *filter.state != "assigned" && *filter.state != "returned" && *filter.state != "written_off") {
      Error e(Code::invalid_argument, "Some query parameters are invalid.");
      e.details.push_back({"state", "allowed: assigned, returned, written_off"});
      return fail(std::move(e));
    }
    ASSIGN_OR_RETURN(auto page, usecase::list_assets(s, r.actor(), filter, storage::PageRequest{p.first, p.second}));
    Json items = Json::array();
    for (const auto& a : page.items) items.push_back(to_json(a));
    return page_response(std::move(items), page.next_after);
  });
  router.add("POST", "/api/v1/assets", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "asset.manage"));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"name", "kind", "assigned_to", "organization_id", "note"});
    usecase::AssetInput in{f.text("name"), f.text("kind"), f.text("assigned_to"), f.text("organization_id"), f.text("note")};
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto a, usecase::create_asset(s, r.actor(), in));
    auto response = json_response(201, to_json(a));
    response.set_header("Location", "/api/v1/assets/" + a.id);
    response.set_header("ETag", etag_of(a.version));
    return response;
  });
  router.add("GET", "/api/v1/assets/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto a, usecase::get_asset(s, r.actor(), r.param("id")));
    auto response = json_response(200, to_json(a));
    response.set_header("ETag", etag_of(a.version));
    return response;
  });
  router.add("POST", "/api/v1/assets/{id}/transitions", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "asset.manage"));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"to", "note"});
    auto to = f.text("to", true);
    auto note = f.text("note");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto a, usecase::settle_asset(s, r.actor(), r.param("id"), *to, note.value_or("")));
    return json_response(200, to_json(a));
  });
}

}  // namespace tandem::http
