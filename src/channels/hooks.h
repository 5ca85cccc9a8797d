// REL-1, DESK-10: POST /api/v1/hooks/{channel_id} — what a messaging, telephony or monitoring
// system sends. Each channel authenticates its deliveries its own way: Tandem's signature
// (X-Tandem-Signature: t=<unix seconds>,v1=<HMAC-SHA256 of "<t>.<body>">, five minutes either
// way), Telegram's secret token header, Alertmanager's bearer secret. A refused delivery
// changes nothing but the channel's delivery log.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "usecase/channels.h"

namespace tandem::channels {

struct HookRequest {
  std::string channel_id;
  std::string signature;       // X-Tandem-Signature
  std::string authorization;   // Authorization
  std::string telegram_token;  // X-Telegram-Bot-Api-Secret-Token
  std::string twilio_signature;  // X-Twilio-Signature
  std::string body;            // as sent, byte for byte
};

struct HookAnswer {
  int status = 200;  // 201 a new ticket, 202 waiting in the delivery log, 200 otherwise
  usecase::Filed filed;
};

Result<HookAnswer> receive_hook(const usecase::Services& s, const HookRequest& request);

// The readers of each format, for their tests. Problems name the body's fields.
// Tandem's own: {"message_id","from","name"?,"text","ticket_id"?}.
Result<usecase::InboundMessage> read_generic_message(const nlohmann::json& body);
// A Telegram Bot API update: its message, or nullopt for an update that carries none (an edit,
// a callback, a member joining).
Result<std::optional<usecase::InboundMessage>> read_telegram_update(const nlohmann::json& body);
// Alertmanager's webhook, version 4.
Result<AlertGroup> read_alertmanager(const nlohmann::json& body);

// Twilio's voice status callback (application/x-www-form-urlencoded): a finished call (completed,
// busy, no-answer, failed, canceled), or nullopt for a call still under way.
struct FormField {
  std::string name, value;
};
std::vector<FormField> read_form(std::string_view body);
Result<std::optional<usecase::InboundCall>> read_twilio_call(const std::vector<FormField>& form);
// Twilio's request signature: base64 of HMAC-SHA1 under the account's auth token of the URL it
// called followed by each POST parameter's name and value, sorted by name.
std::string twilio_signature(std::string_view auth_token, std::string_view url, std::vector<FormField> form);

}  // namespace tandem::channels
