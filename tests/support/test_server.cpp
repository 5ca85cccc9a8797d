#include "support/test_server.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#include <boost/asio.hpp>
#include <cstdio>
#include <fstream>
#include <thread>

#include "http/routes.h"
#include "usecase/auth.h"

namespace tandem::testing {

TestServer::TestServer(const std::string& store_kind, TestServerOptions options)
    : store_(store_kind), clock_(SystemClock().now()) {
  db_ = store_.open();
  services_ = std::make_unique<usecase::Services>(
      usecase::Services{*db_, clock_, PasswordCost::minimal, options.login_attempts, std::chrono::minutes(15),
                        std::chrono::hours(24)});
  services_->attachments_dir = (std::filesystem::path(store_.data_dir()) / "attachments").string();
  services_->events = &events_;
  services_->webhooks_reach_local_network = options.webhook_local_network;
  services_->mail_out = options.mail_out;
  auto admin = usecase::ensure_first_admin(*services_, kAdminEmail, kAdminPassword);
  if (!admin) throw std::runtime_error("first admin: " + admin.error().message);
  http::register_all_routes(router_, http::RouteContext{*services_, metrics_, options.login_rate_per_minute, options.attachment_limit, options.body_limit});
  router_.attach_metrics(metrics_);
  limiter_ = std::make_unique<http::RateLimiter>(clock_);
  pipeline_ = std::make_unique<http::Pipeline>(router_, *services_, metrics_, *limiter_, http::PipelineOptions{options.web_dir});
  http::ServerOptions server_options;
  server_options.port = 0;
  server_options.io_threads = 2;
  server_options.write_threads = 8;
  server_options.body_limit = options.body_limit;
  server_options.read_timeout = std::chrono::seconds(5);
  server_ = std::make_unique<http::Server>(server_options, *pipeline_);
  auto port = server_->start();
  if (!port) throw std::runtime_error("server start: " + port.error().message);
  port_ = *port;
}

TestServer::~TestServer() {
  server_->shutdown(std::chrono::seconds(5));
  db_->close();
}

HttpClient TestServer::admin() const {
  auto c = client();
  auto r = c.login(kAdminEmail, kAdminPassword);
  if (r.status != 200) throw std::runtime_error("admin login failed: " + r.body);
  return c;
}

std::uint16_t free_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

ServerProcess::ServerProcess(const TestStore& store, std::map<std::string, std::string> extra_env)
    : store_(store), extra_env_(std::move(extra_env)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop(SIGKILL);
}

std::vector<std::string> ServerProcess::environment() const {
  std::map<std::string, std::string> env = {
      {"TANDEM_LISTEN", "127.0.0.1:" + std::to_string(port_)},
      {"TANDEM_DATA_DIR", store_.data_dir()},
      {"TANDEM_DATABASE", store_.url()},
      {"TANDEM_ADMIN_EMAIL", kAdminEmail},
      {"TANDEM_ADMIN_PASSWORD", kAdminPassword},
      {"TANDEM_LOG", "warn"},
      {"TANDEM_PASSWORD_COST", "minimal"},
      {"PATH", "/usr/bin:/bin"},
  };
  for (const auto& [k, v] : extra_env_) env[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

namespace {
pid_t spawn(const std::vector<std::string>& args, const std::vector<std::string>& env, const std::string& dir,
            int stdout_fd, int stdin_fd = -1) {
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(126);
    if (stdin_fd >= 0) dup2(stdin_fd, 0);
    if (stdout_fd >= 0) {
      dup2(stdout_fd, 1);
      dup2(stdout_fd, 2);
    }
    std::vector<char*> argv, envp;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}
}  // namespace

void ServerProcess::start() {
  if (port_ == 0) port_ = free_port();
  auto log = store_.data_dir() + "/server.log";
  int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  pid_ = spawn({TANDEM_BINARY, "serve"}, environment(), store_.data_dir(), fd);
  ::close(fd);
  HttpClient probe(port_);
  for (int i = 0; i < 300; ++i) {
    if (probe.get("/healthz").status == 200) return;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("tandem serve exited at start; see " + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling for readiness, not timing
  }
  throw std::runtime_error("tandem serve did not become healthy");
}

int ServerProcess::stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int ServerProcess::run_cli(const std::vector<std::string>& args, std::string* output, const std::string* input,
                           std::map<std::string, std::string> env) {
  std::vector<std::string> argv{TANDEM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  auto path = store_.data_dir() + "/cli.out";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int in_fd = -1;
  if (input) {
    auto in_path = store_.data_dir() + "/cli.in";
    std::ofstream(in_path, std::ios::binary) << *input;
    in_fd = ::open(in_path.c_str(), O_RDONLY);
  }
  auto environment_now = environment();
  for (const auto& [k, v] : env) {  // `env` replaces what the server runs with
    std::erase_if(environment_now, [&](const std::string& e) { return e.starts_with(k + "="); });
    environment_now.push_back(k + "=" + v);
  }
  pid_t pid = spawn(argv, environment_now, store_.data_dir(), fd, in_fd);
  ::close(fd);
  if (in_fd >= 0) ::close(in_fd);
  int status = 0;
  waitpid(pid, &status, 0);
  if (output) {
    std::ifstream in(path);
    output->assign(std::istreambuf_iterator<char>(in), {});
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace tandem::testing
