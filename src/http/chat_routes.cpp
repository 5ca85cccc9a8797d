// REL-3: chats read afterwards — the transcript, the list, the bot's results. The conversation
// itself runs over the WebSocket GET /api/v1/chat (server.cpp's ChatSession).
#include "http/chat_json.h"
#include "http/report_formats.h"
#include "http/routes.h"

namespace tandem::http {

Json chat_message_json(const usecase::ChatMessageView& m) {
  Json j = {{"id", m.message.id},
            {"author", m.message.author},
            {"author_id", m.message.author_id ? Json(*m.message.author_id) : Json(nullptr)},
            {"author_name", m.author_name},
            {"text", m.message.body},
            {"created_at", time_text(m.message.created_at)}};
  if (m.message.article_id) {
    j["article"] = {{"id", *m.message.article_id},
                    {"title", m.article_title.value_or("")},
                    {"confidence", double(m.message.confidence.value_or(0)) / 100.0}};
  }
  return j;
}

Json chat_json(const usecase::ChatView& v, bool with_messages) {
  const auto& c = v.chat;
  auto text = [](const std::optional<std::string>& t) { return t ? Json(*t) : Json(nullptr); };
  Json j = {{"id", c.id},
            {"organization_id", c.organization_id},
            {"user_id", c.user_id},
            {"user_name", v.user_name},
            {"language", c.language},
            {"state", c.state},
            {"outcome", text(c.outcome)},
            {"handoff_reason", text(c.handoff_reason)},
            {"agent_id", text(c.agent_id)},
            {"agent_name", text(v.agent_name)},
            {"ticket_id", text(c.ticket_id)},
            {"ticket_subject", text(v.ticket_subject)},
            {"promised_at", nullable_time(c.promised_at)},
            {"created_at", time_text(c.created_at)},
            {"updated_at", time_text(c.updated_at)},
            {"handed_off_at", nullable_time(c.handed_off_at)},
            {"ended_at", nullable_time(c.ended_at)}};
  if (with_messages) {
    Json messages = Json::array();
    for (const auto& m : v.messages) messages.push_back(chat_message_json(m));
    j["messages"] = std::move(messages);
  }
  return j;
}

std::string chat_frame(const usecase::ChatDelivery& d) {
  Json j = d.message ? Json{{"type", "message"}, {"chat_id", d.chat.chat.id}, {"message", chat_message_json(*d.message)}}
                     : Json{{"type", "chat"}, {"chat", chat_json(d.chat, d.with_messages)}};
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string chat_error_frame(const Error& e, std::string_view language) {
  auto response = error_response(e, language);
  auto body = Json::parse(response.body, nullptr, false);
  Json j = {{"type", "error"}, {"status", response.status}, {"error", body.is_object() ? body["error"] : Json::object()}};
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

namespace {

Json chat_row_json(const storage::Chat& c) {
  usecase::ChatView v;
  v.chat = c;
  Json j = chat_json(v, false);
  // Names are read with one chat at a time (GET …/{id}); a list carries ids.
  j.erase("user_name");
  j.erase("agent_name");
  j.erase("ticket_subject");
  return j;
}

}  // namespace

void register_chat_routes(Router& router, const RouteContext& context) {
  const auto& s = context.services;
  const RouteOptions signed_in{};
  // The chat is a WebSocket (http/server.cpp hands upgrades to a ChatSession); a plain GET is
  // told how to open it.
  router.add("GET", "/api/v1/chat", signed_in, [](Request&) -> Result<Response> {
    return fail(Code::malformed, "Open /api/v1/chat as a WebSocket (Upgrade: websocket); agents add ?as=agent.", "upgrade_required");
  });

  router.add("GET", "/api/v1/chats", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    storage::ChatFilter filter;
    Error e(Code::invalid_argument, "Some query parameters are invalid.");
    if (auto state = r.query_value("state")) {
      if (*state != "bot" && *state != "agent" && *state != "ended") e.details.push_back({"state", "must be bot, agent or ended"});
      filter.state = *state;
    }
    if (auto agent = r.query_value("agent_id")) filter.agent_id = *agent == "me" ? r.actor().user_id : *agent;
    for (const auto& [key, _] : r.query)
      if (key != "state" && key != "agent_id" && key != "limit" && key != "cursor") e.details.push_back({key, "is not a filter of chats"});
    if (!e.details.empty()) return fail(std::move(e));
    ASSIGN_OR_RETURN(auto page, usecase::list_chats(s, r.actor(), filter, {paging.first, paging.second}));
    Json items = Json::array();
    for (const auto& c : page.items) items.push_back(chat_row_json(c));
    return page_response(std::move(items), page.next_after);
  });

  router.add("GET", "/api/v1/chats/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto v, usecase::get_chat(s, r.actor(), r.param("id")));
    return json_response(200, chat_json(v, true));
  });

  // REL-3: the bot's resolution and hand-off rates over the chats started in [from, to).
  router.add("GET", "/api/v1/reports/bot", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto window, report_window(r, s.clock.now()));
    auto format = report_format_of(r);
    auto [from, to] = window;
    ASSIGN_OR_RETURN(auto report, usecase::chat_report(s, r.actor(), to_millis(from), to_millis(to)));
    const auto& n = report.counts;
    Json body{{"from", to_rfc3339(from)},
              {"to", to_rfc3339(to)},
              {"chats", n.chats},
              {"resolved_by_bot", n.resolved_by_bot},
              {"handed_off", n.handed_off},
              {"handed_to_agent", n.to_agent},
              {"handed_to_ticket", n.to_ticket},
              {"tickets_asked_for", n.tickets_asked},
              {"abandoned", n.abandoned},
              {"open", n.open},
              {"resolution_rate", report.resolution_rate},
              {"handoff_rate", report.handoff_rate}};
    // One row: the period and each figure, in the JSON's order.
    feedback::Table table{"Bot", {}, {{}}};
    for (auto key : {"from", "to", "chats", "resolved_by_bot", "handed_off", "handed_to_agent", "handed_to_ticket", "tickets_asked_for",
                     "abandoned", "open", "resolution_rate", "handoff_rate"}) {
      table.columns.emplace_back(key);
      const auto& v = body[key];
      if (v.is_string()) table.rows[0].emplace_back(v.get<std::string>());
      else if (v.is_number_integer()) table.rows[0].emplace_back(v.get<std::int64_t>());
      else table.rows[0].emplace_back(feedback::rounded(v.get<double>()));
    }
    return report_response(format, "bot", to_rfc3339(to).substr(0, 10), std::move(body), {&table, 1});
  });
}

}  // namespace tandem::http
