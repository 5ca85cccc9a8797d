// REL-1: mail in. An RFC 5322 message read with GMime — its headers decoded (RFC 2047, any
// charset iconv knows: GB18030/GBK, Big5…), its text from the plain part or else from the HTML
// (which is sanitised), its files (winmail.dat stays a file) — and `tandem mailgate`, which an
// MTA pipes each message to.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "usecase/mail.h"

namespace tandem::channels {

// nullopt when the bytes are not a message at all. A message without a Message-ID gets one made
// from its content's digest, so that the same bytes piped twice are one message.
std::optional<usecase::IncomingMail> read_mail(std::string_view raw);

// The exit codes of sendmail's sysexits.h that MTAs act on.
inline constexpr int kMailTaken = 0;       // taken, or deliberately ignored (a repeat, an auto-reply)
inline constexpr int kMailTryLater = 75;   // EX_TEMPFAIL: the MTA keeps it and tries again

struct MailgateResult {
  int exit_code = kMailTaken;
  std::string line;  // what happened, for the MTA's log
};
MailgateResult mailgate(const usecase::Services& s, std::string_view raw, const std::optional<std::string>& channel_id,
                        std::size_t attachment_limit);

}  // namespace tandem::channels
