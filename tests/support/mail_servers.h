// The throwaway Postfix and Dovecot that scripts/with-mail-servers.sh starts on loopback, as the
// tests reach them: SMTP in, IMAP out (any user of customer.test, password "secret").
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace tandem::testing {

struct MailServers {
  int smtp = 0, imap = 0;
  std::string user;  // the system user Postfix runs mailgate as
  std::string dir;   // where tandem.env tells mailgate which store to file into
};

// nullopt when the suites run without them (not as root).
std::optional<MailServers> mail_servers();

// Hands `raw` to Postfix as a mail program would; false (and a test failure) when refused.
bool smtp_send(int port, const std::string& from, const std::string& to, const std::string& raw);

// The mailbox's message `uid`, or nullopt while it has none by that number.
std::optional<std::string> imap_fetch(int port, const std::string& user, int uid);

// Polls `ready` until it holds or a minute has passed: mail servers keep their own pace.
bool eventually(const std::function<bool()>& ready);

}  // namespace tandem::testing
