// Deployment settings (ARCHITECTURE.md "Runtime"): defaults, then tandem.toml, then TANDEM_*
// environment variables, each overriding the one before.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/error.h"

namespace tandem {

struct Config {
  std::string listen = "127.0.0.1:8080";  // TANDEM_LISTEN, [server] listen
  std::string data_dir = "./data";        // TANDEM_DATA_DIR
  std::string database = "sqlite";        // TANDEM_DATABASE: "sqlite" or a postgresql:// URL
  std::string web_dir;                    // TANDEM_WEB_DIR: the built UI; empty serves none
  std::string admin_email;                // TANDEM_ADMIN_EMAIL: first administrator
  std::string admin_password;             // TANDEM_ADMIN_PASSWORD
  std::string log_level = "info";         // TANDEM_LOG: trace, debug, info, warn, error, off
  int io_threads = 0;                     // TANDEM_IO_THREADS: 0 = four per core
  int write_threads = 64;                 // TANDEM_WRITE_THREADS: handlers of unsafe methods
  int db_readers = 8;                     // TANDEM_DB_READERS: SQLite reader pool / PG pool size
  std::string sqlite_synchronous = "FULL";  // TANDEM_SQLITE_SYNCHRONOUS: FULL or NORMAL
  std::size_t body_limit = 1 << 20;         // TANDEM_BODY_LIMIT bytes
  std::size_t attachment_limit = 25 << 20;  // TANDEM_ATTACHMENT_LIMIT bytes, for uploads
  std::chrono::seconds read_timeout{30};    // TANDEM_READ_TIMEOUT: a request must arrive within it
  std::chrono::seconds idle_timeout{75};    // TANDEM_IDLE_TIMEOUT: keep-alive connection idle
  std::chrono::seconds shutdown_grace{20};  // TANDEM_SHUTDOWN_GRACE: in-flight requests on SIGTERM
  std::chrono::hours session_lifetime{24 * 14};  // TANDEM_SESSION_HOURS
  int login_attempts = 5;                   // TANDEM_LOGIN_ATTEMPTS: failed logins before a lock
  std::chrono::minutes lockout{15};         // TANDEM_LOCKOUT_MINUTES
  int login_rate_per_minute = 20;           // per client address, login route
  bool trust_proxy = false;                 // TANDEM_TRUST_PROXY: honour X-Forwarded-Proto/-For
  std::string password_cost = "interactive";  // TANDEM_PASSWORD_COST: interactive or minimal
  bool webhook_local_network = false;       // TANDEM_WEBHOOK_LOCAL_NETWORK: webhooks may reach private addresses
  std::string currency = "CNY";             // TANDEM_CURRENCY, [billing] currency: ISO 4217 code of invoices
  // REL-1: mail out. No relay, no mail: TANDEM_SMTP_URL and TANDEM_MAIL_FROM switch it on together.
  std::string smtp_url;        // TANDEM_SMTP_URL, [mail] smtp_url: smtp://host:port or smtps://host:port
  std::string smtp_user;       // TANDEM_SMTP_USER
  std::string smtp_password;   // TANDEM_SMTP_PASSWORD
  bool smtp_require_tls = false;  // TANDEM_SMTP_REQUIRE_TLS: never send in clear
  std::string mail_from;       // TANDEM_MAIL_FROM, [mail] from: the desk's address
  std::string mail_from_name = "Tandem";  // TANDEM_MAIL_FROM_NAME
  std::string public_url;      // TANDEM_PUBLIC_URL, [server] public_url: links in mail

  std::string listen_host() const;
  std::uint16_t listen_port() const;
};

using EnvLookup = std::function<std::optional<std::string>(const char*)>;
EnvLookup process_env();

// Reads `toml_path` when it exists (empty = none), then the environment. Every bad value is
// listed in the error's details.
Result<Config> load_config(const std::string& toml_path, const EnvLookup& env);

}  // namespace tandem
