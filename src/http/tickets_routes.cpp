// The service desk's routes (DESK-1, DESK-2, DESK-6, REL-1): tickets, their timeline,
// comments, transitions, logged calls, and search.
#include <charconv>

#include "http/dto.h"
#include "http/routes.h"
#include "domain/tickets/attachment.h"
#include "domain/tickets/workflow.h"
#include "http/download.h"
#include "http/knowledge_json.h"
#include "http/multipart.h"
#include "usecase/attachments.h"
#include "usecase/router.h"
#include "usecase/tickets.h"

namespace tandem::http {
namespace {

namespace tk = ::tandem::tickets;

Response ticket_response(int status, const storage::Ticket& t) { return resource_response(status, t, "/api/v1/tickets"); }

// The fields of a ticket patch, shared by PATCH and bulk updates.
usecase::TicketPatch ticket_patch(Fields& f) {
  usecase::TicketPatch p;
  p.subject = f.text("subject");
  p.description = f.text("description");
  p.category = f.text("category");
  p.service_id = f.nullable_text("service_id");
  p.team_id = f.nullable_text("team_id");
  p.assignee_id = f.nullable_text("assignee_id");
  p.impact = parse_enum(f, "impact", tk::parse_level, tk::all_levels());
  p.urgency = parse_enum(f, "urgency", tk::parse_level, tk::all_levels());
  p.priority = parse_enum(f, "priority", tk::parse_priority, tk::all_priorities());
  p.tags = f.texts("tags");
  p.watchers = f.texts("watchers");
  p.major_incident = f.boolean("major_incident");
  return p;
}
const std::initializer_list<std::string_view> kPatchFields = {
    "subject", "description", "category", "service_id", "team_id", "assignee_id", "impact", "urgency", "priority", "tags",
    "watchers", "major_incident", "status"};

Result<Response> event_response(const storage::TicketEvent& e) {
  Response r = json_response(201, to_json(e));
  r.set_header("Location", "/api/v1/tickets/" + e.ticket_id + "/timeline");
  return r;
}

storage::Visibility visibility_of(Fields& f, const std::string& field, bool by_default) {
  return f.boolean(field).value_or(by_default) ? storage::Visibility::public_ : storage::Visibility::internal;
}

}  // namespace

void register_ticket_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  router.add("POST", "/api/v1/tickets", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"type", "subject", "description", "channel", "service_id", "impact", "urgency", "on_behalf_of"});
    usecase::NewTicket t;
    auto type = parse_enum(f, "type", tk::parse_type, tk::all_types(), true);
    t.subject = f.text("subject", true).value_or("");
    t.description = f.text("description").value_or("");
    t.channel = parse_enum(f, "channel", tk::parse_channel, tk::all_channels());
    t.service_id = f.text("service_id");
    t.impact = parse_enum(f, "impact", tk::parse_level, tk::all_levels());
    t.urgency = parse_enum(f, "urgency", tk::parse_level, tk::all_levels());
    t.on_behalf_of = f.text("on_behalf_of");
    TRY(f.finish());
    t.type = *type;
    ASSIGN_OR_RETURN(auto ticket, usecase::create_ticket(s, r.actor(), t, arrival_channel(r)));
    return ticket_response(201, ticket);
  });

  router.add("GET", "/api/v1/tickets", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    usecase::FilterParams params;
    for (const auto& [key, value] : r.query)
      if (key != "limit" && key != "cursor") params[key] = value;
    ASSIGN_OR_RETURN(auto filter, usecase::ticket_filter(r.actor(), params));
    ASSIGN_OR_RETURN(auto page, usecase::list_tickets(s, r.actor(), filter, {paging.first, paging.second}));
    return list_response(page);
  });

  router.add("GET", "/api/v1/tickets/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto t, usecase::get_ticket(s, r.actor(), r.param("id")));
    return ticket_response(200, t);
  });

  router.add("PATCH", "/api/v1/tickets/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, kPatchFields);
    if (body.contains("status")) f.problem("status", "change it with POST /api/v1/tickets/{id}/transitions");
    auto p = ticket_patch(f);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto t, usecase::update_ticket(s, r.actor(), r.param("id"), version, p));
    return ticket_response(200, t);
  });

  // REL-4: where the router would send the ticket, and the agent's choice (a label for training).
  router.add("GET", "/api/v1/tickets/{id}/routing-suggestion", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto suggestion, usecase::suggest_routing(s, r.actor(), r.param("id")));
    auto guess = [](const std::optional<usecase::RouteGuess>& g) -> Json {
      if (!g) return nullptr;
      Json words = Json::array();
      for (const auto& w : g->words) words.push_back({{"term", w.term}, {"weight", w.weight}});
      return {{"value", g->value}, {"confidence", g->confidence}, {"source", g->source}, {"words", words}, {"rules", g->rules}};
    };
    return json_response(200, {{"ticket_id", r.param("id")},
                               {"team", guess(suggestion.team)},
                               {"category", guess(suggestion.category)},
                               {"threshold", routing::kTrustedConfidence}});
  });
  router.add("POST", "/api/v1/tickets/{id}/routing-suggestion", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"team_id", "category"});
    usecase::RoutingChoice choice;
    choice.team_id = f.nullable_text("team_id");
    choice.category = f.text("category");
    TRY(f.finish());
    if (!r.header("if-match").empty()) {
      ASSIGN_OR_RETURN(auto version, required_if_match(r));
      choice.expected_version = version;
    }
    ASSIGN_OR_RETURN(auto t, usecase::choose_routing(s, r.actor(), r.param("id"), choice));
    return ticket_response(200, t);
  });

  router.add("POST", "/api/v1/tickets/bulk-updates", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"ids", "changes"});
    auto ids = f.texts("ids");
    if (!ids) f.problem("ids", "is required");
    usecase::TicketPatch p;
    if (auto it = body.find("changes"); it == body.end() || !it->is_object()) {
      f.problem("changes", "must be an object of ticket fields");
    } else {
      Fields changes(*it, kPatchFields);
      if (it->contains("status")) changes.problem("status", "change it with POST /api/v1/tickets/{id}/transitions");
      p = ticket_patch(changes);
      if (auto done = changes.finish(); !done)
        for (const auto& d : done.error().details) f.problem("changes." + d.field, d.problem);
    }
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto results, usecase::bulk_update_tickets(s, r.actor(), *ids, p));
    Json items = Json::array();
    for (const auto& result : results) {
      if (result.outcome) {
        items.push_back({{"id", result.id}, {"status", 200}, {"ticket", to_json(*result.outcome)}});
      } else {
        auto error = error_response(result.outcome.error(), r.language);
        items.push_back({{"id", result.id}, {"status", error.status}, {"error", Json::parse(error.body)["error"]}});
      }
    }
    return json_response(200, Json{{"results", std::move(items)}});
  });

  // DESK-1: the workflows are data; a client offers the moves its user may make from them.
  router.add("GET", "/api/v1/workflows", signed_in, [](Request&) -> Result<Response> {
    Json items = Json::array();
    for (const auto& [type, w] : tk::Workflows::builtin().all()) {
      Json states = Json::array(), transitions = Json::array();
      for (const auto& [name, category] : w.states) states.push_back({{"name", name}, {"category", tk::to_string(category)}});
      for (const auto& t : w.transitions) {
        Json performers = Json::array();
        for (auto p : t.performers) performers.push_back(tk::to_string(p));
        transitions.push_back(
            {{"from", t.from}, {"to", t.to}, {"performers", std::move(performers)}, {"needs", t.needs}, {"reopens", t.reopens}});
      }
      items.push_back({{"type", tk::to_string(type)},
                       {"initial", w.initial},
                       {"reopen_days", w.reopen_window.count()},
                       {"states", std::move(states)},
                       {"transitions", std::move(transitions)}});
    }
    return json_response(200, Json{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });

  router.add("GET", "/api/v1/tickets/{id}/timeline", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::ticket_timeline(s, r.actor(), r.param("id"), {paging.first, paging.second}));
    return list_response(page);
  });

  router.add("POST", "/api/v1/tickets/{id}/comments", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"body", "public"});
    usecase::NewComment c;
    c.body = f.text("body", true).value_or("");
    c.visibility = visibility_of(f, "public", true);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto e, usecase::add_comment(s, r.actor(), r.param("id"), c, arrival_channel(r)));
    return event_response(e);
  });

  router.add("POST", "/api/v1/tickets/{id}/calls", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    // REL-1's names (notes, duration, number), and the first ones (summary, duration_seconds,
    // phone), which the web UI and scripts written against them still send.
    Fields f(body, {"notes", "summary", "duration", "duration_seconds", "direction", "number", "phone", "public"});
    usecase::NewCall c;
    auto notes = f.text("notes"), summary = f.text("summary");
    if (!notes && !summary) f.problem("notes", "is required");
    c.summary = notes.value_or(summary.value_or(""));
    auto duration = f.integer("duration"), duration_seconds = f.integer("duration_seconds");
    if (!duration && !duration_seconds) f.problem("duration", "is required: the call's length in seconds");
    c.duration_seconds = duration.value_or(duration_seconds.value_or(0));
    c.direction = f.text("direction").value_or("inbound");
    c.phone = f.text("number");
    if (!c.phone) c.phone = f.text("phone");
    c.visibility = visibility_of(f, "public", false);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto e, usecase::log_call(s, r.actor(), r.param("id"), c));
    return event_response(e);
  });

  router.add("POST", "/api/v1/tickets/{id}/transitions", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"to", "resolution", "recovery_action", "credited_to"});
    usecase::TransitionInput in;
    in.to = f.text("to", true).value_or("");
    in.resolution = f.text("resolution");
    in.recovery_action = f.text("recovery_action");
    in.credited_to = f.text("credited_to");
    TRY(f.finish());
    if (!r.header("if-match").empty()) {
      ASSIGN_OR_RETURN(auto version, required_if_match(r));
      in.expected_version = version;
    }
    ASSIGN_OR_RETURN(auto t, usecase::transition_ticket(s, r.actor(), r.param("id"), in));
    return ticket_response(200, t);
  });

  router.add("POST", "/api/v1/tickets/{id}/links", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"ticket_id", "kind"});
    usecase::LinkInput in{f.text("ticket_id", true).value_or(""), f.text("kind", true).value_or("")};
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto link, usecase::link_tickets(s, r.actor(), r.param("id"), in));
    Response out = json_response(201, to_json(link));
    out.set_header("Location", "/api/v1/tickets/" + link.ticket_id + "/links");
    return out;
  });

  router.add("GET", "/api/v1/tickets/{id}/links", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto links, usecase::ticket_links(s, r.actor(), r.param("id")));
    return list_response(links);
  });

  router.add("GET", "/api/v1/notifications", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    auto unread = r.query_value("unread");
    if (unread && *unread != "true" && *unread != "false") {
      Error e(Code::invalid_argument, "Some query parameters are invalid.");
      e.details.push_back({"unread", "must be true or false"});
      return fail(std::move(e));
    }
    ASSIGN_OR_RETURN(auto page, usecase::list_notifications(s, r.actor(), unread && *unread == "true",
                                                            {paging.first, paging.second}));
    return list_response(page);
  });

  router.add("GET", "/api/v1/notifications/unread-count", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto n, usecase::unread_notifications(s, r.actor()));
    return json_response(200, Json{{"unread", n}});
  });

  router.add("POST", "/api/v1/notifications/{id}/read", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto n, usecase::mark_notification_read(s, r.actor(), r.param("id")));
    return json_response(200, to_json(n));
  });

  router.add("POST", "/api/v1/notifications/read-all", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto n, usecase::mark_all_notifications_read(s, r.actor()));
    return json_response(200, Json{{"marked", n}});
  });

  RouteOptions upload;
  upload.body_limit = ctx.attachment_limit;
  router.add("POST", "/api/v1/tickets/{id}/attachments", upload, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto boundary, multipart_boundary(r.header("content-type")));
    ASSIGN_OR_RETURN(auto parts, parse_multipart(r.body, boundary));
    usecase::Upload in;
    ASSIGN_OR_RETURN(auto file, the_file(parts, [&](const FormPart& part) -> std::optional<std::string> {
      if (part.name != "public") return "is not a known field";
      if (part.data != "true" && part.data != "false") return "must be true or false";
      in.visibility = part.data == "true" ? storage::Visibility::public_ : storage::Visibility::internal;
      return std::nullopt;
    }));
    in.client_name = *file->filename;
    in.bytes = file->data;
    ASSIGN_OR_RETURN(auto a, usecase::add_attachment(s, r.actor(), r.param("id"), in, arrival_channel(r)));
    Response out = json_response(201, Json{{"id", a.id},
                                           {"ticket_id", a.ticket_id},
                                           {"name", a.name},
                                           {"size", a.size},
                                           {"content_type", a.content_type},
                                           {"public", !a.internal},
                                           {"url", "/api/v1/attachments/" + a.id},
                                           {"created_at", time_text(a.created_at)}});
    out.set_header("Location", "/api/v1/attachments/" + a.id);
    return out;
  });

  // REL-2: a file for a catalog request's form, named by its id in the answers when submitted.
  router.add("POST", "/api/v1/uploads", upload, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto boundary, multipart_boundary(r.header("content-type")));
    ASSIGN_OR_RETURN(auto parts, parse_multipart(r.body, boundary));
    ASSIGN_OR_RETURN(auto file, the_file(parts, [](const FormPart&) -> std::optional<std::string> { return "is not a known field"; }));
    ASSIGN_OR_RETURN(auto u, usecase::stage_upload(s, r.actor(), *file->filename, file->data));
    return json_response(201, Json{{"id", u.id},
                                   {"name", u.name},
                                   {"size", u.size},
                                   {"content_type", u.content_type},
                                   {"created_at", time_text(u.created_at)},
                                   {"expires_at", time_text(u.created_at + usecase::kStagedUploadLifeMs)}});
  });

  router.add("GET", "/api/v1/attachments/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto d, usecase::get_attachment(s, r.actor(), r.param("id")));
    return download_response(std::move(d.attachment.content_type), d.attachment.name, std::move(d.bytes));
  });

  // The live stream is a WebSocket (http/server.cpp hands upgrades to a StreamSession); a plain
  // GET is told how to open it.
  router.add("GET", "/api/v1/stream", signed_in, [](Request&) -> Result<Response> {
    return fail(Code::malformed, "Open /api/v1/stream as a WebSocket (Upgrade: websocket).", "upgrade_required");
  });

  router.add("GET", "/api/v1/recovery-tasks", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    storage::RecoveryFilter filter;
    filter.status = r.query_value("status").value_or("");
    if (auto who = r.query_value("assignee_id"); who && !who->empty()) filter.assignee_id = std::string(*who);
    if (auto ticket = r.query_value("ticket_id"); ticket && !ticket->empty()) filter.ticket_id = std::string(*ticket);
    ASSIGN_OR_RETURN(auto page, usecase::list_recovery_tasks(s, r.actor(), std::move(filter), {paging.first, paging.second}));
    return list_response(page);
  });

  router.add("POST", "/api/v1/recovery-tasks/{id}/completion", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"note"});
    auto note = f.text("note", true).value_or("");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto task, usecase::complete_recovery_task(s, r.actor(), r.param("id"), note));
    return json_response(200, to_json(task));
  });

  // One search box (KB-1): tickets the caller may see, published articles and (COM-1) community
  // posts of their audience. `kind` narrows to one; without it the two result lists alternate,
  // each in its own order, since a ticket's score and an article's are not on one scale.
  router.add("GET", "/api/v1/search", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    Error bad(Code::invalid_argument, "Some query parameters are invalid.");
    std::int64_t offset = 0;
    if (!paging.second.empty()) {
      auto [p, ec] = std::from_chars(paging.second.data(), paging.second.data() + paging.second.size(), offset);
      if (ec != std::errc() || p != paging.second.data() + paging.second.size() || offset < 0 || offset > 1000)
        bad.details.push_back({"cursor", "is not a cursor this server gave out"});
    }
    auto kind = r.query_value("kind");
    if (kind && *kind != "ticket" && *kind != "article" && *kind != "topic") bad.details.push_back({"kind", "allowed: article, topic, ticket"});
    if (!bad.details.empty()) return fail(std::move(bad));
    int limit = r.query_value("limit") ? paging.first : 20;
    bool want_tickets = !kind || *kind == "ticket";
    bool want_knowledge = !kind || *kind != "ticket";
    // Alone, a kind pages by its own offset; together, each list is read from its start.
    int each_offset = kind ? int(offset) : 0;
    int each_limit = kind ? limit : int(offset) + limit;
    std::vector<Json> ticket_items, knowledge_items;
    bool more = false;
    Json facets = Json::object();
    if (want_tickets) {
      ASSIGN_OR_RETURN(auto page, usecase::search_tickets(s, r.actor(), r.query_value("q").value_or(""), each_limit, each_offset));
      more = more || page.next_offset.has_value();
      for (const auto& hit : page.hits) {
        const auto& t = hit.ticket;
        ticket_items.push_back({{"kind", "ticket"},
                                {"id", t.id},
                                {"number", t.number},
                                {"type", tk::to_string(t.type)},
                                {"subject", t.subject},
                                {"title", t.subject},
                                {"status", t.status},
                                {"priority", tk::to_string(t.priority)},
                                {"organization_id", t.organization_id},
                                {"updated_at", time_text(t.updated_at)},
                                {"score", hit.score}});
      }
    }
    if (want_knowledge) {
      // A topic is found by its title and opening post, or by a reply or an answer in it.
      std::vector<std::string> kinds;
      if (kind == "article") kinds = {"article"};
      if (kind == "topic") kinds = {"topic", "post", "answer"};
      usecase::KnowledgeSearch in{r.query_value("q").value_or(""), kinds, r.query_value("language"), r.query_value("service_id"),
                                  each_limit, each_offset};
      ASSIGN_OR_RETURN(auto found, usecase::search_knowledge(s, r.actor(), in));
      more = more || found.next_offset.has_value();
      for (const auto& h : found.hits) knowledge_items.push_back(knowledge_hit_json(h));
      for (auto [name, list] : {std::pair{"kind", &found.kinds}, {"language", &found.languages}, {"service_id", &found.services}}) {
        Json counts = Json::array();
        for (const auto& f : *list) counts.push_back({{"value", f.value}, {"count", f.count}});
        facets[name] = counts;
      }
    }
    Json items = Json::array();
    if (kind) {
      for (auto& item : want_tickets ? ticket_items : knowledge_items) items.push_back(std::move(item));
    } else {
      std::vector<Json> merged;
      for (std::size_t i = 0; i < std::max(ticket_items.size(), knowledge_items.size()); ++i) {
        if (i < knowledge_items.size()) merged.push_back(std::move(knowledge_items[i]));
        if (i < ticket_items.size()) merged.push_back(std::move(ticket_items[i]));
      }
      more = more || merged.size() > std::size_t(offset + limit);
      for (std::size_t i = std::size_t(offset); i < merged.size() && i < std::size_t(offset + limit); ++i) items.push_back(std::move(merged[i]));
    }
    return json_response(200, {{"items", items},
                               {"next_cursor", more ? Json(std::to_string(offset + limit)) : Json(nullptr)},
                               {"facets", facets}});
  });
}

}  // namespace tandem::http
