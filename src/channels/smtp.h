// REL-1: mail out through the configured relay — composed with GMime (RFC 2047 headers, the
// text in UTF-8, quoted-printable or base64 as its bytes need) and handed over by libcurl's
// SMTP client (STARTTLS when the relay offers it, or required; AUTH when a user is given).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "core/clock.h"
#include "usecase/mail_out.h"

namespace tandem::channels {

// The message as the relay gets it: RFC 5322 with CRLF line ends, 7-bit clean.
std::string compose_mail(const usecase::OutgoingMessage& m, std::int64_t date_unix_seconds);

struct SmtpOptions {
  std::string url;  // smtp://host:port or smtps://host:port
  std::string user, password;
  bool require_tls = false;  // refuse to send in clear when the relay does not offer STARTTLS
  std::chrono::milliseconds timeout{30'000};
};

// Thread-safe: each mail uses an easy handle of its own. A relay that refuses with a 5xx code
// refused for good; everything else (no connection, 4xx, a timeout) is tried again later.
class SmtpMailSender final : public usecase::MailSender {
 public:
  SmtpMailSender(SmtpOptions options, const Clock& clock);
  usecase::SendOutcome send(const usecase::OutgoingMessage& message) override;

 private:
  SmtpOptions options_;
  const Clock& clock_;
};

}  // namespace tandem::channels
