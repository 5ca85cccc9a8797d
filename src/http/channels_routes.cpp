// Channels (REL-1, REL-3, DESK-10): administrators configure them; their hooks deliver.
#include "channels/hooks.h"
#include "http/dto.h"
#include "http/json_body.h"
#include "http/routes.h"
#include "usecase/channels.h"
#include "usecase/mail_out.h"

namespace tandem::http {
namespace {

Json channel_json(const storage::Channel& c) {
  return {{"id", c.id},
          {"kind", channels::to_string(c.kind)},
          {"name", c.name},
          {"address", c.address ? Json(*c.address) : Json(nullptr)},
          {"format", channels::to_string(c.format)},
          {"organization_id", c.organization_id ? Json(*c.organization_id) : Json(nullptr)},
          {"requester_id", c.requester_id ? Json(*c.requester_id) : Json(nullptr)},
          {"active", c.active},
          {"hook_path", channels::has_hook(c.kind) ? Json("/api/v1/hooks/" + c.id) : Json(nullptr)},
          {"version", c.version},
          {"created_at", time_text(c.created_at)},
          {"updated_at", time_text(c.updated_at)}};
}

Response with_secret(int status, const usecase::ChannelWithSecret& created) {
  auto body = channel_json(created.channel);
  // A mailbox's password is its owner's, not a secret Tandem made: it is not sent back.
  if (created.channel.kind != channels::Kind::imap) body["secret"] = created.secret;
  Response out = json_response(status, body);
  out.set_header("ETag", etag_of(created.channel.version));
  return out;
}

Json delivery_json(const storage::ChannelDelivery& d) {
  auto text = [](const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); };
  return {{"id", d.id},           {"outcome", d.outcome},       {"status", d.status},  {"reason", d.reason},
          {"message_id", text(d.message_id)}, {"ticket_id", text(d.ticket_id)}, {"payload", text(d.payload)},
          {"created_at", time_text(d.created_at)}};
}

Json outgoing_json(const storage::OutgoingMail& m) {
  auto time = [](const std::optional<std::int64_t>& t) { return t ? Json(time_text(*t)) : Json(nullptr); };
  return {{"id", m.id},
          {"ticket_id", m.ticket_id.empty() ? Json(nullptr) : Json(m.ticket_id)},
          {"broadcast_id", m.broadcast_id ? Json(*m.broadcast_id) : Json(nullptr)},
          {"survey_id", m.survey_id ? Json(*m.survey_id) : Json(nullptr)},
          {"event_id", m.event_id},
          {"user_id", m.user_id},
          {"organization_id", m.organization_id},
          {"kind", m.kind},
          {"message_id", m.message_id},
          {"state", m.state},
          {"attempts", m.attempts},
          {"next_at", m.state == "queued" ? time(m.next_at) : Json(nullptr)},
          {"recipient", m.recipient.empty() ? Json(nullptr) : Json(m.recipient)},
          {"last_error", m.last_error.empty() ? Json(nullptr) : Json(m.last_error)},
          {"created_at", time_text(m.created_at)},
          {"sent_at", time(m.sent_at)}};
}

std::string lower(std::string name) {
  for (auto& ch : name) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return name;
}

}  // namespace

void register_channel_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};
  const RouteOptions shows_secret{Auth::required, Csrf::checked, 0, 0, "secret"};

  router.add("POST", "/api/v1/channels", shows_secret, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"kind", "name", "address", "format", "organization_id", "secret"});
    usecase::NewChannel in;
    in.kind = f.text("kind", true).value_or("");
    in.name = f.text("name", true).value_or("");
    in.address = f.text("address");
    in.format = f.text("format");
    in.organization_id = f.text("organization_id");
    in.secret = f.text("secret");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto created, usecase::create_channel(s, r.actor(), in));
    return with_secret(201, created);
  });
  router.add("GET", "/api/v1/channels", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::list_channels(s, r.actor(), {paging.first, paging.second}));
    Json items = Json::array();
    for (const auto& c : page.items) items.push_back(channel_json(c));
    return page_response(std::move(items), page.next_after);
  });
  router.add("GET", "/api/v1/channels/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto c, usecase::get_channel(s, r.actor(), r.param("id")));
    Response out = json_response(200, channel_json(c));
    out.set_header("ETag", etag_of(c.version));
    return out;
  });
  router.add("PATCH", "/api/v1/channels/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, {"name", "address", "organization_id", "active"});
    usecase::ChannelPatch patch;
    patch.name = f.text("name");
    patch.address = f.nullable_text("address");
    patch.organization_id = f.nullable_text("organization_id");
    patch.active = f.boolean("active");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto c, usecase::update_channel(s, r.actor(), r.param("id"), version, patch));
    Response out = json_response(200, channel_json(c));
    out.set_header("ETag", etag_of(c.version));
    return out;
  });
  router.add("POST", "/api/v1/channels/{id}/secret", shows_secret, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto rotated, usecase::rotate_channel_secret(s, r.actor(), r.param("id")));
    return with_secret(200, rotated);
  });
  router.add("GET", "/api/v1/channels/{id}/deliveries", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::channel_deliveries(s, r.actor(), r.param("id"), {paging.first, paging.second}));
    Json items = Json::array();
    for (const auto& d : page.items) items.push_back(delivery_json(d));
    return page_response(std::move(items), page.next_after);
  });

  // REL-1: the outbox of mail out, for administrators.
  router.add("GET", "/api/v1/outgoing-mail", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::list_outgoing_mail(s, r.actor(), r.query_value("state").value_or(""), r.query_value("ticket_id").value_or(""),
                                                            {paging.first, paging.second}));
    Json items = Json::array();
    for (const auto& m : page.items) items.push_back(outgoing_json(m));
    return page_response(std::move(items), page.next_after);
  });
  router.add("POST", "/api/v1/outgoing-mail/{id}/retry", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto m, usecase::retry_outgoing_mail(s, r.actor(), r.param("id")));
    return json_response(200, outgoing_json(m));
  });

  // The sender proves itself by the channel's secret, so no session or CSRF token applies; the
  // body is read as sent, since that is what was signed.
  const RouteOptions by_channel{Auth::none, Csrf::exempt, 6000};
  router.add("POST", "/api/v1/hooks/{id}", by_channel, [&s](Request& r) -> Result<Response> {
    channels::HookRequest in;
    in.channel_id = r.param("id");
    in.signature = r.header(lower("X-Tandem-Signature"));
    in.authorization = r.header("authorization");
    in.telegram_token = r.header(lower("X-Telegram-Bot-Api-Secret-Token"));
    in.twilio_signature = r.header(lower("X-Twilio-Signature"));
    in.body = r.body;
    ASSIGN_OR_RETURN(auto answer, channels::receive_hook(s, in));
    const auto& f = answer.filed;
    return json_response(answer.status, {{"outcome", f.outcome},
                                         {"ticket_id", f.ticket_id ? Json(*f.ticket_id) : Json(nullptr)},
                                         {"event_id", f.event_id ? Json(*f.event_id) : Json(nullptr)},
                                         {"reason", f.reason}});
  });
}

}  // namespace tandem::http
