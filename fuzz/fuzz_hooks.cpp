// REL-1, DESK-10: what messaging, telephony and monitoring systems post to a channel's hook. Any
// body, as Tandem's JSON, a Telegram update, an Alertmanager group or a Twilio form, is read or
// refused field by field — never a crash or an exception.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "channels/hooks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  auto form = tandem::channels::read_form(body);
  (void)tandem::channels::read_twilio_call(form);
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded()) return 0;
  auto generic = tandem::channels::read_generic_message(json);
  if (!generic && generic.error().details.empty()) __builtin_trap();  // a refusal names its fields
  (void)tandem::channels::read_telegram_update(json);
  (void)tandem::channels::read_alertmanager(json);
  return 0;
}
