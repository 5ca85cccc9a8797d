#include "core/config.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <toml++/toml.h>

namespace tandem {
namespace {

struct Setting {
  const char* env;
  const char* toml;  // dotted path in tandem.toml
  std::function<bool(Config&, const std::string&)> set;
};

bool parse_int(const std::string& s, long long& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

template <class F>
auto number(F apply, long long min, long long max) {
  return [=](Config& c, const std::string& v) {
    long long n = 0;
    if (!parse_int(v, n) || n < min || n > max) return false;
    apply(c, n);
    return true;
  };
}

auto text(std::string Config::*field) {
  return [=](Config& c, const std::string& v) { c.*field = v; return true; };
}

const std::vector<Setting>& settings() {
  static const std::vector<Setting> all = {
      {"TANDEM_LISTEN", "server.listen",
       [](Config& c, const std::string& v) { c.listen = v; return c.listen_port() != 0 || v.ends_with(":0"); }},
      {"TANDEM_DATA_DIR", "server.data_dir", text(&Config::data_dir)},
      {"TANDEM_DATABASE", "database.url",
       [](Config& c, const std::string& v) {
         c.database = v;
         return v == "sqlite" || v.starts_with("postgresql://") || v.starts_with("postgres://");
       }},
      {"TANDEM_WEB_DIR", "server.web_dir", text(&Config::web_dir)},
      {"TANDEM_ADMIN_EMAIL", "admin.email", text(&Config::admin_email)},
      {"TANDEM_ADMIN_PASSWORD", "admin.password", text(&Config::admin_password)},
      {"TANDEM_LOG", "log.level",
       [](Config& c, const std::string& v) {
         c.log_level = v;
         for (auto l : {"trace", "debug", "info", "warn", "error", "off"})
           if (v == l) return true;
         return false;
       }},
      {"TANDEM_IO_THREADS", "server.io_threads", number([](Config& c, long long n) { c.io_threads = int(n); }, 0, 256)},
      {"TANDEM_WRITE_THREADS", "server.write_threads",
       number([](Config& c, long long n) { c.write_threads = int(n); }, 1, 1024)},
      {"TANDEM_DB_READERS", "database.readers", number([](Config& c, long long n) { c.db_readers = int(n); }, 1, 256)},
      {"TANDEM_SQLITE_SYNCHRONOUS", "database.sqlite_synchronous",
       [](Config& c, const std::string& v) { c.sqlite_synchronous = v; return v == "FULL" || v == "NORMAL"; }},
      {"TANDEM_BODY_LIMIT", "server.body_limit",
       number([](Config& c, long long n) { c.body_limit = std::size_t(n); }, 1024, 1LL << 34)},
      {"TANDEM_ATTACHMENT_LIMIT", "server.attachment_limit",
       number([](Config& c, long long n) { c.attachment_limit = std::size_t(n); }, 1024, 1LL << 34)},
      {"TANDEM_READ_TIMEOUT", "server.read_timeout",
       number([](Config& c, long long n) { c.read_timeout = std::chrono::seconds(n); }, 1, 3600)},
      {"TANDEM_IDLE_TIMEOUT", "server.idle_timeout",
       number([](Config& c, long long n) { c.idle_timeout = std::chrono::seconds(n); }, 1, 3600)},
      {"TANDEM_SHUTDOWN_GRACE", "server.shutdown_grace",
       number([](Config& c, long long n) { c.shutdown_grace = std::chrono::seconds(n); }, 0, 3600)},
      {"TANDEM_LOGIN_ATTEMPTS", "security.login_attempts",
       number([](Config& c, long long n) { c.login_attempts = int(n); }, 1, 1000)},
      {"TANDEM_SESSION_HOURS", "security.session_hours",
       number([](Config& c, long long n) { c.session_lifetime = std::chrono::hours(n); }, 1, 24 * 366)},
      {"TANDEM_LOCKOUT_MINUTES", "security.lockout_minutes",
       number([](Config& c, long long n) { c.lockout = std::chrono::minutes(n); }, 1, 24 * 60)},
      {"TANDEM_LOGIN_RATE", "security.login_rate_per_minute",
       number([](Config& c, long long n) { c.login_rate_per_minute = int(n); }, 1, 100000)},
      {"TANDEM_TRUST_PROXY", "server.trust_proxy",
       [](Config& c, const std::string& v) { c.trust_proxy = v == "true" || v == "1"; return v == "true" || v == "false" || v == "1" || v == "0"; }},
      {"TANDEM_WEBHOOK_LOCAL_NETWORK", "security.webhook_local_network",
       [](Config& c, const std::string& v) {
         c.webhook_local_network = v == "true" || v == "1";
         return v == "true" || v == "false" || v == "1" || v == "0";
       }},
      {"TANDEM_PASSWORD_COST", "security.password_cost",
       [](Config& c, const std::string& v) { c.password_cost = v; return v == "interactive" || v == "minimal"; }},
      {"TANDEM_CURRENCY", "billing.currency",
       [](Config& c, const std::string& v) {
         c.currency = v;
         return v.size() == 3 && std::all_of(v.begin(), v.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
       }},
      {"TANDEM_SMTP_URL", "mail.smtp_url",
       [](Config& c, const std::string& v) {
         c.smtp_url = v;
         return v.empty() || v.starts_with("smtp://") || v.starts_with("smtps://");
       }},
      {"TANDEM_SMTP_USER", "mail.smtp_user", text(&Config::smtp_user)},
      {"TANDEM_SMTP_PASSWORD", "mail.smtp_password", text(&Config::smtp_password)},
      {"TANDEM_SMTP_REQUIRE_TLS", "mail.smtp_require_tls",
       [](Config& c, const std::string& v) {
         c.smtp_require_tls = v == "true" || v == "1";
         return v == "true" || v == "false" || v == "1" || v == "0";
       }},
      {"TANDEM_MAIL_FROM", "mail.from",
       [](Config& c, const std::string& v) {
         c.mail_from = v;
         auto at = v.find('@');
         return v.empty() || (at != std::string::npos && at > 0 && at + 1 < v.size() && v.find_first_of(" <>\"\r\n") == std::string::npos);
       }},
      {"TANDEM_MAIL_FROM_NAME", "mail.from_name", text(&Config::mail_from_name)},
      {"TANDEM_PUBLIC_URL", "server.public_url",
       [](Config& c, const std::string& v) {
         c.public_url = v;
         while (c.public_url.ends_with('/')) c.public_url.pop_back();
         return v.empty() || v.starts_with("http://") || v.starts_with("https://");
       }},
  };
  return all;
}

}  // namespace

std::string Config::listen_host() const {
  auto colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return host;
}

std::uint16_t Config::listen_port() const {
  auto colon = listen.rfind(':');
  long long port = 0;
  if (colon == std::string::npos || !parse_int(listen.substr(colon + 1), port) || port < 0 || port > 65535) return 0;
  return static_cast<std::uint16_t>(port);
}

EnvLookup process_env() {
  return [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
}

Result<Config> load_config(const std::string& toml_path, const EnvLookup& env) {
  Config config;
  Error error(Code::invalid_argument, "The configuration has invalid values.");
  if (!toml_path.empty() && std::filesystem::exists(toml_path)) {
    toml::table file;
    try {
      file = toml::parse_file(toml_path);
    } catch (const toml::parse_error& e) {
      return fail(Code::invalid_argument, "Cannot parse " + toml_path + ": " + std::string(e.description()));
    }
    for (const auto& s : settings()) {
      auto node = file.at_path(s.toml);
      if (!node) continue;
      std::string value;
      if (auto str = node.value<std::string>()) value = *str;
      else if (auto n = node.value<long long>()) value = std::to_string(*n);
      else if (auto b = node.value<bool>()) value = *b ? "true" : "false";
      if (!s.set(config, value)) error.details.push_back({s.toml, "invalid value"});
    }
  }
  for (const auto& s : settings()) {
    if (auto value = env(s.env); value && !s.set(config, *value))
      error.details.push_back({s.env, "invalid value"});
  }
  if (config.smtp_url.empty() != config.mail_from.empty())
    error.details.push_back({config.smtp_url.empty() ? "TANDEM_SMTP_URL" : "TANDEM_MAIL_FROM",
                             "mail out needs both TANDEM_SMTP_URL and TANDEM_MAIL_FROM"});
  if (!error.details.empty()) return fail(std::move(error));
  return config;
}

}  // namespace tandem
