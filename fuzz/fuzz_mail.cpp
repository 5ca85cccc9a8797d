// REL-1: mail from strangers. Any bytes piped to `tandem mailgate` either read as a message or
// not; one that reads has a Message-ID and text that is valid UTF-8, its files inside limits.
#include <cstdint>
#include <string>

#include "channels/mail.h"

namespace {
bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto mail = tandem::channels::read_mail(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!mail) return 0;
  if (mail->message_id.empty()) __builtin_trap();
  if (!valid_utf8(mail->text) || !valid_utf8(mail->subject) || !valid_utf8(mail->from_name)) __builtin_trap();
  return 0;
}
