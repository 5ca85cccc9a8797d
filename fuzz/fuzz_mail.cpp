// REL-1: mail from strangers. Any bytes piped to `tandem mailgate` either read as a message or
// not; one that reads has a Message-ID and text that is valid UTF-8, its files inside limits.
#include <cstdint>
#include <string>

#include "channels/mail.h"
#include "domain/tickets/attachment.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto mail = tandem::channels::read_mail(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!mail) return 0;
  if (mail->message_id.empty()) __builtin_trap();
  if (!tandem::tickets::valid_utf8(mail->text) || !tandem::tickets::valid_utf8(mail->subject) || !tandem::tickets::valid_utf8(mail->from_name)) __builtin_trap();
  return 0;
}
