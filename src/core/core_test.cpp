// Unit tests for the core module: ids, time, configuration and the libsodium wrappers.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/id.h"
#include "core/network.h"
#include "core/versioned_cache.h"

namespace tandem {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// 2026-11-23T13:22:00.123Z
Time sample_time() {
  return Time(std::chrono::sys_days{std::chrono::year{2026} / 11 / 23}.time_since_epoch() + 13h + 22min + 123ms);
}

// A directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "tandem-core-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) std::abort();
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// ---------------------------------------------------------------------------------------------
// core/id.h

constexpr std::string_view kIdAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";

TEST(Id, HasPrefixUnderscoreAnd26CrockfordDigits) {
  init_crypto();
  auto id = new_id("usr", sample_time());
  ASSERT_EQ(id.size(), 3u + 1u + 26u) << id;
  EXPECT_TRUE(id.starts_with("usr_")) << id;
  for (char c : id.substr(4)) EXPECT_NE(kIdAlphabet.find(c), std::string_view::npos) << "bad digit " << c << " in " << id;
  // 130 bits of digits carry 128 bits: the top two are zero, so the first digit is at most 7.
  EXPECT_LE(id[4], '7') << id;
  EXPECT_TRUE(is_id(id, "usr"));
}

TEST(Id, IdsAreUniqueWithinOneMillisecond) {
  init_crypto();
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(new_id("org", sample_time()));
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Id, SameMillisecondSharesTheTimeDigits) {
  init_crypto();
  // 2 zero bits + 48 bits of time = the first 10 digits.
  auto a = new_id("t", sample_time());
  auto b = new_id("t", sample_time());
  EXPECT_EQ(a.substr(0, 2 + 10), b.substr(0, 2 + 10));
  EXPECT_NE(a.substr(2 + 10), b.substr(2 + 10));
}

TEST(Id, IdsMadeLaterSortAfter) {
  init_crypto();
  ManualClock clock(sample_time());
  std::string previous = new_id("tkt", clock.now());
  for (int i = 0; i < 200; ++i) {
    // Steps of 1 ms, then larger ones that carry into higher digits.
    clock.advance(i < 100 ? 1ms : std::chrono::milliseconds(1LL << ((i - 100) % 40)));
    auto next = new_id("tkt", clock.now());
    EXPECT_LT(previous, next) << "step " << i;
    previous = next;
  }
}

TEST(Id, EpochAndFarFutureBothSortCorrectly) {
  init_crypto();
  auto early = new_id("x", from_millis(0));
  auto late = new_id("x", from_millis((1LL << 48) - 1));  // the largest 48-bit time
  EXPECT_TRUE(early.starts_with("x_0000000000")) << early;
  EXPECT_LT(early, late);
  EXPECT_TRUE(is_id(early, "x"));
  EXPECT_TRUE(is_id(late, "x"));
}

TEST(Id, IsIdRejectsWrongShapes) {
  init_crypto();
  auto id = new_id("usr", sample_time());
  std::string body = id.substr(4);
  EXPECT_FALSE(is_id(id, "org")) << "other prefix";
  EXPECT_FALSE(is_id(id, "us")) << "shorter prefix";
  EXPECT_FALSE(is_id(id, "usrx"));
  EXPECT_FALSE(is_id("usr" + body, "usr")) << "no underscore";
  EXPECT_FALSE(is_id("usr-" + body, "usr")) << "other separator";
  EXPECT_FALSE(is_id("usr_" + body.substr(1), "usr")) << "25 digits";
  EXPECT_FALSE(is_id(id + "0", "usr")) << "27 digits";
  EXPECT_FALSE(is_id("", "usr"));
  EXPECT_FALSE(is_id("usr_", "usr"));
  for (char bad : {'i', 'l', 'o', 'u', 'A', 'Z', '-', '_', ' '}) {
    std::string altered = id;
    altered.back() = bad;
    EXPECT_FALSE(is_id(altered, "usr")) << "digit '" << bad << "'";
  }
  std::string upper = id;
  std::transform(upper.begin() + 4, upper.end(), upper.begin() + 4, [](unsigned char c) { return std::toupper(c); });
  if (upper != id) {
    EXPECT_FALSE(is_id(upper, "usr")) << "upper case";
  }
}

// ---------------------------------------------------------------------------------------------
// core/clock.h

TEST(Clock, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(to_rfc3339(sample_time()), "2026-11-23T13:22:00.123Z");
  EXPECT_EQ(to_rfc3339(from_millis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(to_rfc3339(from_millis(-1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(to_rfc3339(from_millis(253'402'300'799'999)), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(to_rfc3339(from_millis(253'402'300'800'000)), "10000-01-01T00:00:00.000Z");
}

TEST(Clock, MillisRoundTrip) {
  EXPECT_EQ(to_millis(from_millis(1795440120123)), 1795440120123);
  EXPECT_EQ(to_millis(sample_time()), 1795440120123);
}

TEST(Clock, Rfc3339RoundTrip) {
  ManualClock clock(sample_time());
  for (int i = 0; i < 50; ++i) {
    Time parsed;
    auto text = to_rfc3339(clock.now());
    ASSERT_TRUE(parse_rfc3339(text, parsed)) << text;
    EXPECT_EQ(parsed, clock.now()) << text;
    clock.advance(std::chrono::milliseconds(7919LL * i * i + 1));
  }
}

TEST(Clock, ParsesWithoutFractionAndWithShortFraction) {
  Time t;
  ASSERT_TRUE(parse_rfc3339("2026-11-23T13:22:00Z", t));
  EXPECT_EQ(t, sample_time() - 123ms);
  ASSERT_TRUE(parse_rfc3339("2026-11-23T13:22:00.1Z", t));
  EXPECT_EQ(t, sample_time() - 23ms);
  ASSERT_TRUE(parse_rfc3339("2026-11-23T13:22:00.123z", t));
  EXPECT_EQ(t, sample_time());
}

TEST(Clock, OffsetsAreConvertedToUtc) {
  Time t;
  ASSERT_TRUE(parse_rfc3339("2026-11-23T21:22:00.123+08:00", t));
  EXPECT_EQ(t, sample_time());
  EXPECT_EQ(to_rfc3339(t), "2026-11-23T13:22:00.123Z");
  ASSERT_TRUE(parse_rfc3339("2026-11-23T07:52:00.123-05:30", t));
  EXPECT_EQ(t, sample_time());
  ASSERT_TRUE(parse_rfc3339("2026-11-23T13:22:00.123+00:00", t));
  EXPECT_EQ(t, sample_time());
  // Across midnight and a date boundary.
  ASSERT_TRUE(parse_rfc3339("2026-11-24T05:22:00.123+16:00", t));
  EXPECT_EQ(t, sample_time());
}

TEST(Clock, GarbageIsRejectedAndOutputUntouched) {
  const Time sentinel = from_millis(42);
  for (const char* text : {"", "Z", "yesterday", "2026-11-23", "2026-11-23T13:22:00", "13:22:00Z",
                           "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-23T25:00:00Z",
                           "2026-11-23T13:61:00Z", "2026-11-23T13:22:00+0800", " 2026-11-23T13:22:00Z",
                           "2026/11/23T13:22:00Z", "1795440120123"}) {
    Time t = sentinel;
    EXPECT_FALSE(parse_rfc3339(text, t)) << "'" << text << "'";
    EXPECT_EQ(t, sentinel) << "'" << text << "'";
  }
}

TEST(Clock, TrailingJunkIsRejected) {
  for (const char* text : {"2026-11-23T13:22:00Zjunk", "2026-11-23T13:22:00ZZ", "2026-11-23T13:22:00.123Z ",
                           "2026-11-23T13:22:00+08:00x", "2026-11-23T13:22:00+08:00Z", "2026-11-23T13:22:00Z\n"}) {
    Time t;
    EXPECT_FALSE(parse_rfc3339(text, t)) << "'" << text << "'";
  }
}

// BUG (core/clock.cpp parse_rfc3339): RFC 3339 §5.6 allows any number of fraction digits
// (time-secfrac = "." 1*DIGIT); date::parse into a millisecond time_point stops after three, so
// the common microsecond form (Python's isoformat, PostgreSQL) is rejected as a whole.
TEST(Clock, ParseRfc3339AcceptsMoreThanThreeFractionDigits) {
  Time t;
  ASSERT_TRUE(parse_rfc3339("2026-11-23T13:22:00.123456Z", t));
  EXPECT_EQ(t, sample_time());
  ASSERT_TRUE(parse_rfc3339("2026-11-23T21:22:00.123456789+08:00", t));
  EXPECT_EQ(t, sample_time());
}

// BUG (core/clock.cpp parse_rfc3339): the header promises "false on anything else", but
// date::parse is more lenient than RFC 3339: %Ez accepts an offset without minutes, `in >> z`
// skips whitespace before the Z, and %F accepts a signed year.
TEST(Clock, ParseRfc3339RejectsNearMissesThatAreNotRfc3339) {
  for (const char* text : {"2026-11-23T13:22:00+08", "2026-11-23T13:22:00 Z", "+2026-11-23T13:22:00Z"}) {
    Time t;
    EXPECT_FALSE(parse_rfc3339(text, t)) << "'" << text << "' was accepted as " << to_rfc3339(t);
  }
}

TEST(Clock, DaysRoundTripAndOnlyRealDaysParse) {
  using namespace std::chrono;
  auto day = parse_day("2026-03-09");
  ASSERT_TRUE(day);
  EXPECT_EQ(*day, sys_days(year(2026) / 3 / 9));
  EXPECT_EQ(day_text(*day), "2026-03-09");
  EXPECT_EQ(day_text(sys_days(year(1999) / 12 / 31)), "1999-12-31");
  EXPECT_TRUE(parse_day("2028-02-29")) << "a leap day";
  for (const char* text : {"2026-02-30", "2027-02-29", "2026-13-01", "2026-3-09", "2026/03/09", "2026-03-09Z", "20260309", "", "2026-03-0x",
                           " 2026-03-9"})
    EXPECT_FALSE(parse_day(text)) << "'" << text << "'";
}

// ---------------------------------------------------------------------------------------------
// core/config.h

EnvLookup fake_env(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const char* name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

std::set<std::string> detail_fields(const Error& e) {
  std::set<std::string> out;
  for (const auto& d : e.details) out.insert(d.field);
  return out;
}

TEST(Config, DefaultsWithoutFileOrEnvironment) {
  auto c = load_config("", fake_env({}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->listen_host(), "127.0.0.1");
  EXPECT_EQ(c->listen_port(), 8080);
  EXPECT_EQ(c->data_dir, "./data");
  EXPECT_EQ(c->database, "sqlite");
  EXPECT_EQ(c->web_dir, "");
  EXPECT_EQ(c->admin_email, "");
  EXPECT_EQ(c->admin_password, "");
  EXPECT_EQ(c->log_level, "info");
  EXPECT_EQ(c->io_threads, 0);
  EXPECT_EQ(c->write_threads, 64);
  EXPECT_EQ(c->db_readers, 8);
  EXPECT_EQ(c->sqlite_synchronous, "FULL");
  EXPECT_EQ(c->body_limit, std::size_t{1} << 20);
  EXPECT_EQ(c->read_timeout, 30s);
  EXPECT_EQ(c->idle_timeout, 75s);
  EXPECT_EQ(c->shutdown_grace, 20s);
  EXPECT_EQ(c->login_attempts, 5);
  EXPECT_EQ(c->login_rate_per_minute, 20);
  EXPECT_FALSE(c->trust_proxy);
  EXPECT_EQ(c->password_cost, "interactive");
}

TEST(Config, MissingTomlFileIsNotAnError) {
  TempDir dir;
  auto c = load_config((dir.path() / "absent.toml").string(), fake_env({}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
}

struct EnvOverride {
  const char* name;
  const char* value;
  std::function<bool(const Config&)> applied;
};

TEST(Config, EachEnvironmentVariableOverridesItsSetting) {
  const std::vector<EnvOverride> cases = {
      {"TANDEM_LISTEN", "0.0.0.0:9090", [](const Config& c) { return c.listen == "0.0.0.0:9090"; }},
      {"TANDEM_DATA_DIR", "/var/lib/tandem", [](const Config& c) { return c.data_dir == "/var/lib/tandem"; }},
      {"TANDEM_DATABASE", "postgresql://db/tandem", [](const Config& c) { return c.database == "postgresql://db/tandem"; }},
      {"TANDEM_DATABASE", "postgres://db/tandem", [](const Config& c) { return c.database == "postgres://db/tandem"; }},
      {"TANDEM_WEB_DIR", "/srv/web", [](const Config& c) { return c.web_dir == "/srv/web"; }},
      {"TANDEM_ADMIN_EMAIL", "root@example.com", [](const Config& c) { return c.admin_email == "root@example.com"; }},
      {"TANDEM_ADMIN_PASSWORD", "s3cret-pass", [](const Config& c) { return c.admin_password == "s3cret-pass"; }},
      {"TANDEM_LOG", "debug", [](const Config& c) { return c.log_level == "debug"; }},
      {"TANDEM_LOG", "off", [](const Config& c) { return c.log_level == "off"; }},
      {"TANDEM_IO_THREADS", "4", [](const Config& c) { return c.io_threads == 4; }},
      {"TANDEM_WRITE_THREADS", "32", [](const Config& c) { return c.write_threads == 32; }},
      {"TANDEM_DB_READERS", "3", [](const Config& c) { return c.db_readers == 3; }},
      {"TANDEM_SQLITE_SYNCHRONOUS", "NORMAL", [](const Config& c) { return c.sqlite_synchronous == "NORMAL"; }},
      {"TANDEM_BODY_LIMIT", "2048", [](const Config& c) { return c.body_limit == 2048; }},
      {"TANDEM_ATTACHMENT_LIMIT", "4096", [](const Config& c) { return c.attachment_limit == 4096; }},
      {"TANDEM_READ_TIMEOUT", "5", [](const Config& c) { return c.read_timeout == 5s; }},
      {"TANDEM_IDLE_TIMEOUT", "120", [](const Config& c) { return c.idle_timeout == 120s; }},
      {"TANDEM_SHUTDOWN_GRACE", "0", [](const Config& c) { return c.shutdown_grace == 0s; }},
      {"TANDEM_LOGIN_ATTEMPTS", "3", [](const Config& c) { return c.login_attempts == 3; }},
      {"TANDEM_LOGIN_RATE", "100", [](const Config& c) { return c.login_rate_per_minute == 100; }},
      {"TANDEM_TRUST_PROXY", "true", [](const Config& c) { return c.trust_proxy; }},
      {"TANDEM_TRUST_PROXY", "1", [](const Config& c) { return c.trust_proxy; }},
      {"TANDEM_PASSWORD_COST", "minimal", [](const Config& c) { return c.password_cost == "minimal"; }},
      {"TANDEM_CURRENCY", "EUR", [](const Config& c) { return c.currency == "EUR"; }},
  };
  for (const auto& o : cases) {
    SCOPED_TRACE(std::string(o.name) + "=" + o.value);
    auto c = load_config("", fake_env({{o.name, o.value}}));
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_TRUE(o.applied(*c));
    if (std::string_view(o.name) != "TANDEM_LISTEN") {
      EXPECT_EQ(c->listen, "127.0.0.1:8080") << "other settings untouched";
    }
  }
}

TEST(Config, MailOutNeedsBothARelayAndAnAddress) {
  auto on = load_config("", fake_env({{"TANDEM_SMTP_URL", "smtps://relay.example:465"},
                                      {"TANDEM_MAIL_FROM", "support@desk.example"},
                                      {"TANDEM_SMTP_USER", "desk"},
                                      {"TANDEM_SMTP_PASSWORD", "pw"},
                                      {"TANDEM_SMTP_REQUIRE_TLS", "true"},
                                      {"TANDEM_MAIL_FROM_NAME", "校园服务台"},
                                      {"TANDEM_PUBLIC_URL", "https://desk.example/"}}));
  ASSERT_TRUE(on) << on.error().message;
  EXPECT_EQ(on->smtp_url, "smtps://relay.example:465");
  EXPECT_EQ(on->mail_from, "support@desk.example");
  EXPECT_EQ(on->smtp_user, "desk");
  EXPECT_EQ(on->smtp_password, "pw");
  EXPECT_TRUE(on->smtp_require_tls);
  EXPECT_EQ(on->mail_from_name, "校园服务台");
  EXPECT_EQ(on->public_url, "https://desk.example") << "no trailing slash, so links join cleanly";

  auto half = load_config("", fake_env({{"TANDEM_SMTP_URL", "smtp://relay:25"}}));
  ASSERT_FALSE(half);
  EXPECT_EQ(detail_fields(half.error()), std::set<std::string>{"TANDEM_MAIL_FROM"});
  auto bad = load_config("", fake_env({{"TANDEM_SMTP_URL", "http://relay"},
                                       {"TANDEM_MAIL_FROM", "Desk <support@desk.example>"},
                                       {"TANDEM_PUBLIC_URL", "desk.example"},
                                       {"TANDEM_SMTP_REQUIRE_TLS", "yes"}}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(detail_fields(bad.error()),
            (std::set<std::string>{"TANDEM_SMTP_URL", "TANDEM_MAIL_FROM", "TANDEM_PUBLIC_URL", "TANDEM_SMTP_REQUIRE_TLS"}));
  auto off = load_config("", fake_env({}));
  ASSERT_TRUE(off);
  EXPECT_TRUE(off->smtp_url.empty());
}

TEST(Config, TrustProxyFalseValuesTurnItOff) {
  for (const char* v : {"false", "0"}) {
    auto c = load_config("", fake_env({{"TANDEM_TRUST_PROXY", v}}));
    ASSERT_TRUE(c) << v;
    EXPECT_FALSE(c->trust_proxy) << v;
  }
}

TEST(Config, EveryInvalidValueIsListedAtOnce) {
  auto c = load_config("", fake_env({
                               {"TANDEM_LISTEN", "nowhere"},
                               {"TANDEM_DATABASE", "mysql://db"},
                               {"TANDEM_LOG", "loud"},
                               {"TANDEM_IO_THREADS", "abc"},
                               {"TANDEM_WRITE_THREADS", "0"},
                               {"TANDEM_DB_READERS", "257"},
                               {"TANDEM_SQLITE_SYNCHRONOUS", "OFF"},
                               {"TANDEM_BODY_LIMIT", "10"},
                               {"TANDEM_READ_TIMEOUT", "5s"},
                               {"TANDEM_IDLE_TIMEOUT", "-1"},
                               {"TANDEM_SHUTDOWN_GRACE", "3601"},
                               {"TANDEM_LOGIN_ATTEMPTS", ""},
                               {"TANDEM_LOGIN_RATE", "1e3"},
                               {"TANDEM_TRUST_PROXY", "yes"},
                               {"TANDEM_PASSWORD_COST", "cheap"},
                               {"TANDEM_CURRENCY", "eur"},
                               {"TANDEM_DATA_DIR", "/ok"},  // valid: must not be listed
                           }));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, Code::invalid_argument);
  EXPECT_EQ(detail_fields(c.error()),
            (std::set<std::string>{"TANDEM_LISTEN", "TANDEM_DATABASE", "TANDEM_LOG", "TANDEM_IO_THREADS",
                                   "TANDEM_WRITE_THREADS", "TANDEM_DB_READERS", "TANDEM_SQLITE_SYNCHRONOUS",
                                   "TANDEM_BODY_LIMIT", "TANDEM_READ_TIMEOUT", "TANDEM_IDLE_TIMEOUT",
                                   "TANDEM_SHUTDOWN_GRACE", "TANDEM_LOGIN_ATTEMPTS", "TANDEM_LOGIN_RATE",
                                   "TANDEM_TRUST_PROXY", "TANDEM_PASSWORD_COST", "TANDEM_CURRENCY"}));
  EXPECT_EQ(c.error().details.size(), 16u);
}

TEST(Config, NumericBoundsAreInclusive) {
  EXPECT_TRUE(load_config("", fake_env({{"TANDEM_IO_THREADS", "256"}})));
  EXPECT_FALSE(load_config("", fake_env({{"TANDEM_IO_THREADS", "257"}})));
  EXPECT_TRUE(load_config("", fake_env({{"TANDEM_BODY_LIMIT", "1024"}})));
  EXPECT_FALSE(load_config("", fake_env({{"TANDEM_BODY_LIMIT", "1023"}})));
  EXPECT_FALSE(load_config("", fake_env({{"TANDEM_IO_THREADS", " 4"}})));
  EXPECT_FALSE(load_config("", fake_env({{"TANDEM_IO_THREADS", "4 "}})));
}

TEST(Config, TomlFileIsReadAndEnvironmentOverridesIt) {
  TempDir dir;
  auto path = dir.path() / "tandem.toml";
  std::ofstream(path) << R"([server]
listen = "0.0.0.0:7000"
data_dir = "/srv/tandem"
io_threads = 6
trust_proxy = true

[database]
readers = 4

[log]
level = "warn"

[security]
password_cost = "minimal"
)";
  auto from_file = load_config(path.string(), fake_env({}));
  ASSERT_TRUE(from_file) << from_file.error().message;
  EXPECT_EQ(from_file->listen, "0.0.0.0:7000");
  EXPECT_EQ(from_file->data_dir, "/srv/tandem");
  EXPECT_EQ(from_file->io_threads, 6);
  EXPECT_TRUE(from_file->trust_proxy);
  EXPECT_EQ(from_file->db_readers, 4);
  EXPECT_EQ(from_file->log_level, "warn");
  EXPECT_EQ(from_file->password_cost, "minimal");
  EXPECT_EQ(from_file->write_threads, 64) << "not in the file: default kept";

  auto overridden = load_config(path.string(), fake_env({{"TANDEM_LISTEN", "[::1]:9000"}, {"TANDEM_IO_THREADS", "2"},
                                                         {"TANDEM_TRUST_PROXY", "false"}}));
  ASSERT_TRUE(overridden) << overridden.error().message;
  EXPECT_EQ(overridden->listen, "[::1]:9000");
  EXPECT_EQ(overridden->io_threads, 2);
  EXPECT_FALSE(overridden->trust_proxy);
  EXPECT_EQ(overridden->log_level, "warn") << "file value kept where the environment is silent";
  EXPECT_EQ(overridden->data_dir, "/srv/tandem");
}

TEST(Config, InvalidTomlValuesAreListedByTheirTomlPath) {
  TempDir dir;
  auto path = dir.path() / "tandem.toml";
  std::ofstream(path) << "[server]\nio_threads = 9999\n[log]\nlevel = \"chatty\"\n";
  auto c = load_config(path.string(), fake_env({{"TANDEM_DATABASE", "oracle"}}));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, Code::invalid_argument);
  EXPECT_EQ(detail_fields(c.error()), (std::set<std::string>{"server.io_threads", "log.level", "TANDEM_DATABASE"}));
}

TEST(Config, UnparsableTomlIsAnError) {
  TempDir dir;
  auto path = dir.path() / "tandem.toml";
  std::ofstream(path) << "[server\nlisten = \n";
  auto c = load_config(path.string(), fake_env({}));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, Code::invalid_argument);
  EXPECT_NE(c.error().message.find(path.string()), std::string::npos) << c.error().message;
}

TEST(Config, ListenHostAndPort) {
  Config c;
  c.listen = "[::1]:9000";
  EXPECT_EQ(c.listen_host(), "::1");
  EXPECT_EQ(c.listen_port(), 9000);
  c.listen = "0.0.0.0:0";
  EXPECT_EQ(c.listen_host(), "0.0.0.0");
  EXPECT_EQ(c.listen_port(), 0);
  c.listen = "localhost:65535";
  EXPECT_EQ(c.listen_host(), "localhost");
  EXPECT_EQ(c.listen_port(), 65535);
  c.listen = "localhost:65536";
  EXPECT_EQ(c.listen_port(), 0);
  c.listen = "localhost";
  EXPECT_EQ(c.listen_port(), 0);
  c.listen = "localhost:http";
  EXPECT_EQ(c.listen_port(), 0);
}

TEST(Config, ListenValidation) {
  auto v6 = load_config("", fake_env({{"TANDEM_LISTEN", "[::1]:9000"}}));
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->listen_host(), "::1");
  EXPECT_EQ(v6->listen_port(), 9000);
  EXPECT_TRUE(load_config("", fake_env({{"TANDEM_LISTEN", "127.0.0.1:0"}}))) << "port 0: pick any (tests)";
  for (const char* bad : {"localhost", "localhost:", "localhost:99999", "localhost:-1", "[::1]"}) {
    auto c = load_config("", fake_env({{"TANDEM_LISTEN", bad}}));
    ASSERT_FALSE(c) << bad;
    EXPECT_EQ(detail_fields(c.error()), std::set<std::string>{"TANDEM_LISTEN"}) << bad;
  }
}

// ---------------------------------------------------------------------------------------------
// core/crypto.h

TEST(Crypto, RandomTokenIsUnpaddedBase64UrlOfTheRightLength) {
  init_crypto();
  EXPECT_EQ(random_token().size(), 43u);  // 32 bytes
  EXPECT_EQ(random_token(12).size(), 16u);
  EXPECT_EQ(random_token(1).size(), 2u);
  for (int i = 0; i < 50; ++i) {
    auto t = random_token();
    for (char c : t)
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << "'" << c << "' in " << t;
  }
}

TEST(Crypto, Base64DecodesPaddedUnpaddedAndWrappedText) {
  EXPECT_EQ(base64_decode("aGVsbG8="), "hello");
  EXPECT_EQ(base64_decode("aGVsbG8"), "hello") << "padding may be left out";
  EXPECT_EQ(base64_decode("aGVs\r\nbG8="), "hello") << "line breaks as mail and JSON encoders wrap";
  EXPECT_EQ(base64_decode("5YWF55S15qGp"), "充电桩");
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_FALSE(base64_decode("aGVsbG8=!"));
  EXPECT_FALSE(base64_decode("a-_b")) << "base64url is another alphabet";
  EXPECT_FALSE(base64_decode("aGVsbG8==="));
}

TEST(Crypto, RandomTokensDiffer) {
  init_crypto();
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(random_token(16));
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Crypto, RandomBytesFillsTheBuffer) {
  init_crypto();
  std::array<std::uint8_t, 64> a{}, b{};
  random_bytes(a);
  random_bytes(b);
  EXPECT_NE(a, b);
  EXPECT_NE(a, (std::array<std::uint8_t, 64>{}));
}

TEST(Crypto, Sha256KnownVectors) {
  init_crypto();
  // FIPS 180-2 appendix B.1 and the empty message.
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // Embedded NUL bytes are hashed, not a terminator.
  EXPECT_NE(sha256_hex(std::string_view("a\0b", 3)), sha256_hex("a"));
}

// RFC 4231 test cases 2 and 6 (a key longer than the hash's block).
TEST(Crypto, HmacSha256KnownVectors) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hmac_sha256_hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Crypto, ConstantTimeEqual) {
  init_crypto();
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("token-123", "token-123"));
  EXPECT_FALSE(constant_time_equal("token-123", "token-124"));
  EXPECT_FALSE(constant_time_equal("Token-123", "token-123"));
  EXPECT_FALSE(constant_time_equal("token-123", "token-1234")) << "a prefix is not equal";
  EXPECT_FALSE(constant_time_equal("", "x"));
}

TEST(Crypto, PasswordHashVerifiesAndRejectsWrongPassword) {
  init_crypto();
  auto hash = hash_password("correct horse battery", PasswordCost::minimal);
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_TRUE(verify_password(*hash, "correct horse battery"));
  EXPECT_FALSE(verify_password(*hash, "correct horse batterY"));
  EXPECT_FALSE(verify_password(*hash, "correct horse battery "));
  EXPECT_FALSE(verify_password(*hash, ""));
  EXPECT_FALSE(verify_password("not a hash", "correct horse battery"));
  EXPECT_FALSE(verify_password("", "correct horse battery"));
}

TEST(Crypto, PasswordHashesAreSalted) {
  init_crypto();
  auto a = hash_password("same password", PasswordCost::minimal);
  auto b = hash_password("same password", PasswordCost::minimal);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(verify_password(*b, "same password"));
}

}  // namespace
}  // namespace tandem

namespace tandem {
namespace {

TEST(Config, SessionAndLockoutDurationsAreSettings) {
  std::map<std::string, std::string> vars{{"TANDEM_SESSION_HOURS", "8"}, {"TANDEM_LOCKOUT_MINUTES", "30"}};
  EnvLookup env = [&](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  auto config = load_config("", env);
  ASSERT_TRUE(config);
  EXPECT_EQ(config->session_lifetime, std::chrono::hours(8));
  EXPECT_EQ(config->lockout, std::chrono::minutes(30));
  vars["TANDEM_SESSION_HOURS"] = "0";
  auto refused = load_config("", env);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().details.at(0).field, "TANDEM_SESSION_HOURS");
}

TEST(VersionedCache, KeepsAValueOnlyUnderTheVersionItWasFilledUnder) {
  VersionedCache<std::string> cache(64);
  cache.put("session-a", 7, "alice");
  ASSERT_NE(cache.find("session-a", 7), nullptr);
  EXPECT_EQ(*cache.find("session-a", 7), "alice");
  EXPECT_EQ(cache.find("session-a", 8), nullptr) << "a newer version must not see an older fact";
  EXPECT_EQ(cache.find("session-a", 6), nullptr);
  EXPECT_EQ(cache.find("session-b", 7), nullptr);
  cache.put("session-a", 8, "alice, renamed");
  EXPECT_EQ(*cache.find("session-a", 8), "alice, renamed");
  EXPECT_EQ(cache.find("session-a", 7), nullptr);
}

TEST(VersionedCache, NeverHoldsMoreThanItsCapacity) {
  VersionedCache<int> cache(160);
  for (int i = 0; i < 10'000; ++i) cache.put("key" + std::to_string(i), 1, i);
  EXPECT_LE(cache.size(), 160u);
  EXPECT_GT(cache.size(), 0u);
  cache.put("latest", 1, 42);
  ASSERT_NE(cache.find("latest", 1), nullptr) << "the value just put is kept";
  EXPECT_EQ(*cache.find("latest", 1), 42);
}

TEST(VersionedCache, AValueHandedOutOutlivesItsEviction) {
  VersionedCache<std::string> cache(16);
  cache.put("k", 1, "kept");
  auto held = cache.find("k", 1);
  for (int i = 0; i < 1'000; ++i) cache.put("other" + std::to_string(i), 1, "x");
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(*held, "kept");
}

// DESK-5: the local network a webhook may not reach unless the operator allows it.
TEST(Network, LiteralHostsInTheLocalNetworkAreKnownBeforeAnyLookup) {
  for (auto host : {"127.0.0.1", "127.1", "2130706433", "0x7f.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255",
                    "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255",
                    "[::1]", "::", "[::ffff:127.0.0.1]", "::ffff:10.0.0.1", "fd00::1", "fe80::1", "ff02::1",
                    "localhost", "LocalHost", "api.localhost", "localhost.", "127.0.0.1."})
    EXPECT_EQ(host_in_local_network(host), std::optional(true)) << host;
  for (auto host : {"93.184.216.34", "172.32.0.1", "100.128.0.1", "8.8.8.8", "[2001:db8::1]", "2606:4700::1111",
                    "::ffff:8.8.8.8"})
    EXPECT_EQ(host_in_local_network(host), std::optional(false)) << host;
  for (auto host : {"example.com", "hooks.example.cn", "localhost.example.com"})
    EXPECT_EQ(host_in_local_network(host), std::nullopt) << host << " is decided when it resolves";
}

TEST(Network, TheHostOfAUrlIsReadPastUserInfoAndBeforeThePort) {
  EXPECT_EQ(url_host("https://hooks.example.com/fleet?x=1"), "hooks.example.com");
  EXPECT_EQ(url_host("http://user:pw@127.0.0.1:8080/a"), "127.0.0.1");
  EXPECT_EQ(url_host("http://good.example@10.0.0.1/"), "10.0.0.1");
  EXPECT_EQ(url_host("http://[::1]:9000/x"), "[::1]");
  EXPECT_EQ(url_host("http://example.com#frag"), "example.com");
  EXPECT_EQ(url_host("no scheme"), "");
}

TEST(Network, ResolvedAddressesAreJudgedByFamily) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &v4.sin_addr);
  EXPECT_TRUE(in_local_network(reinterpret_cast<const sockaddr&>(v4)));
  inet_pton(AF_INET, "93.184.216.34", &v4.sin_addr);
  EXPECT_FALSE(in_local_network(reinterpret_cast<const sockaddr&>(v4)));
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "::ffff:169.254.169.254", &v6.sin6_addr);
  EXPECT_TRUE(in_local_network(reinterpret_cast<const sockaddr&>(v6)));
  inet_pton(AF_INET6, "2001:db8::1", &v6.sin6_addr);
  EXPECT_FALSE(in_local_network(reinterpret_cast<const sockaddr&>(v6)));
  sockaddr other{};
  other.sa_family = AF_UNIX;
  EXPECT_TRUE(in_local_network(other)) << "a local socket is this machine";
}

}  // namespace
}  // namespace tandem
