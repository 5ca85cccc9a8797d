// Tandem served in-process on a free port over a TestStore, with a clock the test moves; and
// Tandem as a separate process, for tests that signal or kill it.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>

#include "core/clock.h"
#include "http/metrics.h"
#include "http/pipeline.h"
#include "http/rate_limit.h"
#include "http/router.h"
#include "http/server.h"
#include "support/http_client.h"
#include "support/test_store.h"
#include "usecase/context.h"

namespace tandem::testing {

inline constexpr const char* kAdminEmail = "admin@tandem.test";
inline constexpr const char* kAdminPassword = "Adm1n-passw0rd!";

struct TestServerOptions {
  int login_attempts = 5;
  int login_rate_per_minute = 1000;
  std::size_t body_limit = 1 << 20;
  std::size_t attachment_limit = 2 << 20;
  std::string web_dir;
  bool webhook_local_network = false;  // the receivers of webhook tests listen on loopback
  usecase::MailOut mail_out;           // REL-1: off, as without a relay
};

class TestServer {
 public:
  explicit TestServer(const std::string& store_kind, TestServerOptions options = {});
  ~TestServer();

  std::uint16_t port() const { return port_; }
  HttpClient client() const { return HttpClient(port_); }
  HttpClient admin() const;  // logged in as the first administrator
  ManualClock& clock() { return clock_; }
  storage::Database& db() { return *db_; }
  const usecase::Services& services() const { return *services_; }
  const http::Router& router() const { return router_; }
  const TestStore& store() const { return store_; }

 private:
  TestStore store_;
  usecase::EventBus events_;
  ManualClock clock_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<usecase::Services> services_;
  http::Metrics metrics_;
  http::Router router_;
  std::unique_ptr<http::RateLimiter> limiter_;
  std::unique_ptr<http::Pipeline> pipeline_;
  std::unique_ptr<http::Server> server_;
  std::uint16_t port_ = 0;
};

// `tandem serve` as a child process on a free port.
class ServerProcess {
 public:
  ServerProcess(const TestStore& store, std::map<std::string, std::string> extra_env = {});
  ~ServerProcess();
  // Starts (again) and waits for /healthz.
  void start();
  std::uint16_t port() const { return port_; }
  // Sends `signal` and waits for the exit status (-1 when killed by a signal).
  int stop(int signal);
  // Runs another subcommand with the same environment (and `input` on its standard input, when
  // given); returns its exit code.
  int run_cli(const std::vector<std::string>& args, std::string* output = nullptr, const std::string* input = nullptr,
              std::map<std::string, std::string> env = {});

 private:
  std::vector<std::string> environment() const;
  const TestStore& store_;
  std::map<std::string, std::string> extra_env_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

std::uint16_t free_port();

}  // namespace tandem::testing
