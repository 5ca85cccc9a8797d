// `tandem`: the server, the workers and the command line in one binary (ARCHITECTURE.md).
#include <CLI/CLI.hpp>

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <pthread.h>
#include <thread>

#include "core/config.h"
#include "core/crypto.h"
#include "channels/imap.h"
#include "channels/mail.h"
#include "channels/smtp.h"
#include "channels/webhook_client.h"
#include "core/log.h"
#include "http/chat_json.h"
#include "http/pipeline.h"
#include "http/routes.h"
#include "http/server.h"
#include "storage/database.h"
#include "usecase/audit.h"
#include "usecase/attachments.h"
#include "usecase/auth.h"
#include "usecase/chat.h"
#include "usecase/demo.h"
#include "usecase/importer.h"
#include "usecase/directory.h"
#include "usecase/fulfilment.h"
#include "usecase/onboarding_plans.h"
#include "usecase/requirements.h"
#include "usecase/offboarding.h"
#include "usecase/retention.h"
#include "usecase/router.h"
#include "usecase/shared_resources.h"
#include "usecase/sla_timers.h"
#include "usecase/surveys.h"
#include "usecase/webhooks.h"

namespace {

using namespace tandem;

constexpr const char* kSettingsHelp = R"(Settings (environment; the same keys in tandem.toml):
  TANDEM_LISTEN            address:port to serve on (127.0.0.1:8080)
  TANDEM_DATA_DIR          SQLite file and attachments (./data)
  TANDEM_DATABASE          "sqlite" (default) or a postgresql:// URL
  TANDEM_WEB_DIR           directory of the built web UI (none)
  TANDEM_ADMIN_EMAIL       first administrator, created when none exists
  TANDEM_ADMIN_PASSWORD    … and their password
  TANDEM_LOG               trace, debug, info, warn, error, off (info)
  TANDEM_IO_THREADS        I/O threads, 0 = four per core (0)
  TANDEM_WRITE_THREADS     threads for requests that write (16)
  TANDEM_DB_READERS        SQLite readers / PostgreSQL connections (8)
  TANDEM_SQLITE_SYNCHRONOUS FULL (acknowledged = on disk) or NORMAL (FULL)
  TANDEM_BODY_LIMIT        largest request body in bytes (1048576)
  TANDEM_ATTACHMENT_LIMIT  largest uploaded file in bytes (26214400)
  TANDEM_READ_TIMEOUT      seconds a request may take to arrive (30)
  TANDEM_IDLE_TIMEOUT      seconds a keep-alive connection may idle (75)
  TANDEM_SHUTDOWN_GRACE    seconds in-flight requests get on SIGTERM (20)
  TANDEM_LOGIN_ATTEMPTS    failed logins before an account locks (5)
  TANDEM_LOCKOUT_MINUTES   how long a locked account stays locked (15)
  TANDEM_SESSION_HOURS     how long a login lasts (336)
  TANDEM_LOGIN_RATE        login attempts per minute per client address (20)
  TANDEM_TRUST_PROXY       honour X-Forwarded-For/-Proto (false)
  TANDEM_PASSWORD_COST     interactive or minimal Argon2id cost (interactive)
  TANDEM_WEBHOOK_LOCAL_NETWORK webhooks may reach private addresses (false)
  TANDEM_CURRENCY          ISO 4217 code of invoices (CNY)
  TANDEM_SMTP_URL          mail out: the relay, smtp://host:port or smtps://… (none: no mail)
  TANDEM_MAIL_FROM         mail out: the desk's address (needed with TANDEM_SMTP_URL)
  TANDEM_MAIL_FROM_NAME    mail out: the desk's name (Tandem)
  TANDEM_SMTP_USER, TANDEM_SMTP_PASSWORD  the relay's login (none)
  TANDEM_SMTP_REQUIRE_TLS  never send mail in clear (false)
  TANDEM_PUBLIC_URL        the desk's address, for links in mail (none))";

struct Runtime {
  usecase::EventBus events;  // first: it outlives every subscriber
  Config config;
  std::unique_ptr<storage::Database> db;
  SystemClock clock;
  std::unique_ptr<usecase::Services> services;
};

int report(const Error& e) {
  std::cerr << "tandem: " << e.message << "\n";
  for (const auto& d : e.details) std::cerr << "  " << d.field << ": " << d.problem << "\n";
  return 1;
}

// `readers`: the store's reader connections, when not the configured pool (a command that runs
// one task needs one or two, and opening eight is most of a short command's time).
Result<std::unique_ptr<Runtime>> open_runtime(const std::string& config_path, std::optional<int> readers = std::nullopt) {
  auto rt = std::make_unique<Runtime>();
  ASSIGN_OR_RETURN(rt->config, load_config(config_path, process_env()));
  init_logging(rt->config.log_level);
  storage::DatabaseOptions options;
  options.url = rt->config.database;
  options.data_dir = rt->config.data_dir;
  options.readers = readers.value_or(rt->config.db_readers);
  options.synchronous_full = rt->config.sqlite_synchronous == "FULL";
  ASSIGN_OR_RETURN(rt->db, storage::open_database(options));
  TRY(storage::migrate(*rt->db));
  rt->services = std::make_unique<usecase::Services>(usecase::Services{
      *rt->db, rt->clock,
      rt->config.password_cost == "minimal" ? PasswordCost::minimal : PasswordCost::interactive,
      rt->config.login_attempts, rt->config.lockout, rt->config.session_lifetime});
  rt->services->attachments_dir = (std::filesystem::path(rt->config.data_dir) / "attachments").string();
  rt->services->webhooks_reach_local_network = rt->config.webhook_local_network;
  rt->services->currency = rt->config.currency;
  rt->services->mail_out = usecase::MailOut{!rt->config.smtp_url.empty(), rt->config.mail_from, rt->config.mail_from_name,
                                            rt->config.public_url};
  rt->services->events = &rt->events;
  return rt;
}

// `tandem mailgate --dir`: every message of a directory, oldest name first; a message taken is
// removed, one to try again stays for the next run. Exit 75 when any stays.
int mail_directory(Runtime& rt, const std::string& dir, const std::optional<std::string>& channel) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.is_regular_file()) files.push_back(entry.path());
  if (ec) {
    report(Error(Code::invalid_argument, "Cannot read " + dir + ": " + ec.message()));
    return channels::kMailTryLater;
  }
  std::ranges::sort(files);
  auto started = std::chrono::steady_clock::now();
  std::int64_t taken = 0, later = 0;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::string raw{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in.good() && !in.eof()) {  // unreadable now (permissions, a file being written): next run
      std::cerr << file.filename().string() << ": cannot be read\n";
      ++later;
      continue;
    }
    auto done = channels::mailgate(*rt.services, raw, channel, rt.config.attachment_limit);
    if (done.exit_code == channels::kMailTaken) {
      std::filesystem::remove(file, ec);
      ++taken;
    } else {
      std::cerr << file.filename().string() << ": " << done.line << "\n";
      ++later;
    }
  }
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "mailgate: " << taken << " messages taken, " << later << " to try again, in " << seconds << " s\n";
  return later == 0 ? channels::kMailTaken : channels::kMailTryLater;
}

// SIGTERM and SIGINT, which `serve` takes with sigwait on its main thread alone.
sigset_t shutdown_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

int serve(Runtime& rt) {
  const auto& config = rt.config;
  if (!config.admin_email.empty() && !config.admin_password.empty()) {
    auto created = usecase::ensure_first_admin(*rt.services, config.admin_email, config.admin_password);
    if (!created) return report(created.error());
    if (*created) log_message(LogLevel::info, "created the first administrator " + config.admin_email);
  }
  auto signals = shutdown_signals();

  http::Metrics metrics;
  http::Router router;
  http::register_all_routes(router,
                            http::RouteContext{*rt.services, metrics, config.login_rate_per_minute, config.attachment_limit, config.body_limit});
  router.attach_metrics(metrics);
  http::RateLimiter limiter(rt.clock);
  http::Pipeline pipeline(router, *rt.services, metrics, limiter, http::PipelineOptions{config.web_dir});
  http::ServerOptions options;
  options.host = config.listen_host();
  options.port = config.listen_port();
  // Reads run on the I/O threads and wait briefly on the store, so more threads than cores pay:
  // on 2 cores, 8 threads served GET /me 1.25x faster than 2 (bench/RESULTS.md).
  options.io_threads = config.io_threads > 0 ? config.io_threads
                                             : int(std::min(64u, 4 * std::max(1u, std::thread::hardware_concurrency())));
  options.write_threads = config.write_threads;
  options.body_limit = config.body_limit;
  options.read_timeout = config.read_timeout;
  options.idle_timeout = config.idle_timeout;
  options.trust_proxy = config.trust_proxy;
  http::Server server(options, pipeline);
  auto port = server.start();
  if (!port) return report(port.error());
  log_message(LogLevel::warn, "tandem serving on http://" + options.host + ":" + std::to_string(*port));
  // Files left by uploads whose transaction failed, and uploads for requests no request took
  // within their day (REL-2), go at each start and every few hours after, beside serving.
  std::jthread sweeping([&rt](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      // An hour's grace: a file `tandem mailgate` (another process) wrote is referred to by then.
      auto swept = usecase::sweep_attachment_files(*rt.services, stop, std::chrono::hours(1));
      if (!swept) log_message(LogLevel::error, "attachment sweep: " + swept.error().message);
      else if (swept->removed > 0)
        log_message(LogLevel::warn, "attachment sweep: removed " + std::to_string(swept->removed) + " unreferenced files (" +
                                        std::to_string(swept->bytes_removed) + " bytes)");
      // OPS-3: outbound webhooks' delivery log keeps a month (three for what was given up).
      if (auto pruned = usecase::prune_event_deliveries(*rt.services); !pruned)
        log_message(LogLevel::error, "webhook log: " + pruned.error().message);
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, std::chrono::hours(6), [] { return false; });
    }
  });

  // DESK-3: the SLA timers look for crossings every few seconds, at once again while a full batch
  // was due. What was announced lives in the store, so a restart announces nothing twice.
  std::jthread timers([&rt, &server](std::stop_token stop) {
    constexpr int kBatch = 200;
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      auto run = usecase::fire_sla_timers(*rt.services, kBatch);
      if (!run) log_message(LogLevel::error, "SLA timers: " + run.error().message);
      else if (run->announced > 0) log_message(LogLevel::info, "SLA timers: announced " + std::to_string(run->announced) + " crossings");
      // ONB-8: reminders before an approved requirement runs out, on the same beat.
      if (auto reminded = usecase::remind_expiring_requirements(*rt.services); !reminded)
        log_message(LogLevel::error, "requirement reminders: " + reminded.error().message);
      // REL-5: the next person to book a shared resource hears when the one before is late.
      if (auto told = usecase::alert_late_returns(*rt.services); !told)
        log_message(LogLevel::error, "late returns: " + told.error().message);
      // REL-3: chats nobody wrote in for half an hour end.
      if (auto ended = usecase::end_idle_chats(*rt.services); !ended)
        log_message(LogLevel::error, "chats: " + ended.error().message);
      else
        for (const auto& d : ended->deliveries) server.chat_hub().send(d.to, d.to_agent, http::chat_frame(d));
      // FDB-1: surveys whose time came invite their people; unanswered invitations get a reminder.
      if (auto surveyed = usecase::run_survey_schedule(*rt.services); !surveyed)
        log_message(LogLevel::error, "surveys: " + surveyed.error().message);
      else
        for (const auto& failure : surveyed->failures) log_message(LogLevel::error, "surveys: " + failure);
      // OFF-1: access ends when an offboarding's effective time comes.
      if (auto ended = usecase::end_due_access(*rt.services); !ended)
        log_message(LogLevel::error, "offboarding: " + ended.error().message);
      // OFF-1: contact details kept by a retention policy go when their time has passed.
      if (auto expired = usecase::expire_person_archives(*rt.services); !expired)
        log_message(LogLevel::error, "retention: " + expired.error().message);
      if (run && run->tickets == kBatch) continue;
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, std::chrono::seconds(5), [] { return false; });
    }
  });

  // ONB-4: plans' objectives measured again once their readings are a few minutes old — on a beat
  // of their own, as a large organisation's counts take a while and must not hold the SLA timers.
  std::jthread objectives([&rt](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    constexpr int kBatch = 20;
    while (!stop.stop_requested()) {
      auto beat = usecase::measure_plan_objectives(*rt.services, kBatch);
      if (!beat) log_message(LogLevel::error, "plan objectives: " + beat.error().message);
      else
        for (const auto& failure : beat->failures) log_message(LogLevel::error, "plan objectives: " + failure);
      if (beat && beat->taken == kBatch && beat->measured > 0) continue;
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, std::chrono::seconds(30), [] { return false; });
    }
  });

  // DESK-5, OPS-3: fulfilment tasks' webhooks and outbound webhooks' events go out within
  // seconds of being queued; a delivery whose receiver failed waits for its backoff
  // (catalog::retry_delay_ms).
  std::jthread webhooks([&rt](std::stop_token stop) {
    constexpr int kBatch = 50;
    channels::CurlWebhookSender sender(rt.config.webhook_local_network);
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      auto run = usecase::deliver_webhooks(*rt.services, sender, kBatch, [&stop] { return stop.stop_requested(); });
      if (!run) log_message(LogLevel::error, "webhooks: " + run.error().message);
      else if (run->given_up > 0) log_message(LogLevel::warn, "webhooks: gave up " + std::to_string(run->given_up) + " deliveries");
      // OPS-3, REL-5: outbound webhooks' events, on the same pace (usecase/webhooks.h).
      auto events = usecase::deliver_events(*rt.services, sender, kBatch, [&stop] { return stop.stop_requested(); });
      if (!events) log_message(LogLevel::error, "outbound webhooks: " + events.error().message);
      else if (events->given_up > 0)
        log_message(LogLevel::warn, "outbound webhooks: gave up " + std::to_string(events->given_up) +
                                        " deliveries (GET /api/v1/webhooks/{id}/deliveries?state=failed)");
      auto full = [](const usecase::DeliveryRun& r) { return r.sent + r.failed + r.given_up == kBatch; };
      if ((run && full(*run)) || (events && full(*events))) continue;
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, std::chrono::seconds(2), [] { return false; });
    }
  });

  // REL-1: mail out goes within seconds of being queued; a relay that failed waits for its
  // back-off (channels::mail_retry_delay_ms). Without a relay nothing is queued.
  std::jthread mail_out;
  if (rt.services->mail_out.enabled)
    mail_out = std::jthread([&rt](std::stop_token stop) {
      constexpr int kBatch = 20;
      channels::SmtpMailSender sender({rt.config.smtp_url, rt.config.smtp_user, rt.config.smtp_password, rt.config.smtp_require_tls},
                                      rt.clock);
      std::mutex mutex;
      std::condition_variable_any wake;
      while (!stop.stop_requested()) {
        auto run = usecase::send_outgoing_mail(*rt.services, sender, kBatch, [&stop] { return stop.stop_requested(); });
        if (!run) log_message(LogLevel::error, "mail out: " + run.error().message);
        else if (run->given_up + run->dropped > 0)
          log_message(LogLevel::warn, "mail out: gave up " + std::to_string(run->given_up + run->dropped) + " mails (GET /api/v1/outgoing-mail?state=failed)");
        if (run && run->sent + run->failed + run->given_up + run->dropped == kBatch) continue;
        std::unique_lock lock(mutex);
        wake.wait_for(lock, stop, std::chrono::seconds(1), [] { return false; });
      }
    });

  // REL-1: the mailboxes of IMAP channels are read every half minute (channels/imap.h).
  std::jthread mailboxes([&rt](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      auto polls = channels::poll_mailboxes(*rt.services, rt.config.attachment_limit);
      if (!polls) log_message(LogLevel::error, "imap: " + polls.error().message);
      bool more = false;
      for (const auto& poll : polls.value_or(std::vector<channels::MailboxPoll>{})) {
        if (!poll.error.empty()) log_message(LogLevel::warn, "imap " + poll.channel_id + ": " + poll.error);
        more = more || (poll.taken >= 200 && !poll.waiting);
      }
      if (more) continue;
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, std::chrono::seconds(30), [] { return false; });
    }
  });

  int signal = 0;
  sigwait(&signals, &signal);
  log_message(LogLevel::warn, "shutting down: finishing in-flight requests");
  sweeping.request_stop();
  sweeping.join();
  timers.request_stop();
  timers.join();
  mailboxes.request_stop();
  mailboxes.join();
  if (mail_out.joinable()) {
    mail_out.request_stop();
    mail_out.join();
  }
  objectives.request_stop();
  objectives.join();
  webhooks.request_stop();
  webhooks.join();
  server.shutdown(config.shutdown_grace);
  rt.db->close();  // commits every queued write
  log_message(LogLevel::warn, "stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  init_crypto();
  CLI::App app{"Tandem — the service relationship platform"};
  app.require_subcommand(1);
  app.footer(kSettingsHelp);
  std::string config_path = "tandem.toml";
  app.add_option("--config", config_path, "settings file (read when it exists)");
  std::string database;
  app.add_option("--database", database, "sqlite or a postgresql:// URL (overrides TANDEM_DATABASE)");

  auto* serve_cmd = app.add_subcommand("serve", "serve the API and web UI");
  serve_cmd->footer(kSettingsHelp);
  auto* migrate_cmd = app.add_subcommand("migrate", "apply pending database migrations");
  auto* demo_cmd = app.add_subcommand("demo", "load the demo: a university, a car-share club and their catalogs");
  std::int64_t demo_tickets = 0;
  int demo_comments = 5;
  std::uint32_t demo_seed = 1;
  demo_cmd->add_option("--tickets", demo_tickets, "also generate this many synthetic tickets (benchmarks)");
  demo_cmd->add_option("--comments", demo_comments, "public replies per generated ticket (5)");
  demo_cmd->add_option("--seed", demo_seed, "seed of the generator, for repeatable data sets (1)");
  std::int64_t demo_knowledge = 0;
  demo_cmd->add_option("--knowledge", demo_knowledge, "also generate this many articles and community questions (benchmarks)");
  auto* admin_cmd = app.add_subcommand("admin", "manage administrators");
  admin_cmd->require_subcommand(1);
  auto* admin_create = admin_cmd->add_subcommand("create", "create an administrator");
  std::string admin_email, password_file;
  admin_create->add_option("--email", admin_email, "their e-mail address")->required();
  admin_create->add_option("--password-file", password_file, "a file whose first line is the password")->required();
  auto* audit_cmd = app.add_subcommand("audit", "inspect the audit log");
  audit_cmd->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand("verify", "check that no audit entry was edited or removed");
  auto* import_cmd = app.add_subcommand("import", "bring organisations, people and tickets in from an export (a dry run unless --confirm)");
  std::string import_format = "tandem", import_confirm, import_file, import_organization;
  import_cmd->add_option("--format", import_format, "tandem (our export's zip), csv (docs/import-csv.md) or rt (docs/import-rt.md)");
  import_cmd->add_option("--organization", import_organization, "rt: the organisation its requesters belong to (by name)");
  import_cmd->add_option("--confirm", import_confirm, "the digest the dry run printed: run the import for real");
  import_cmd->add_option("file", import_file, "the file to import")->required();

  auto* mailgate_cmd = app.add_subcommand("mailgate", "file one mail read from standard input (an MTA pipes each message to it)");
  std::string mailgate_channel;
  mailgate_cmd->add_option("--channel", mailgate_channel, "the e-mail channel's id (default: the first e-mail channel, made on first use)");
  std::string mailgate_dir;
  mailgate_cmd->add_option("--dir", mailgate_dir,
                           "file every message in this directory (a Maildir's new/, a backlog), one file each, instead of standard "
                           "input; a message taken is removed, one to try again stays");

  auto* train_cmd = app.add_subcommand("train-router", "teach the routing classifier from resolved and labelled tickets (REL-4)");
  int train_limit = 200'000;
  train_cmd->add_option("--limit", train_limit, "the newest tickets to learn from (200000)")->check(CLI::Range(10, 10'000'000));

  CLI11_PARSE(app, argc, argv);
  if (!database.empty()) setenv("TANDEM_DATABASE", database.c_str(), 1);

  // Blocked before the runtime starts any thread (the store's writer, its pool), so every thread
  // inherits the mask: a signal arriving before sigwait waits for it instead of killing the
  // process through a thread that would take it by default.
  if (serve_cmd->parsed()) {
    auto signals = shutdown_signals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  }
  auto rt = open_runtime(config_path, mailgate_cmd->parsed() ? std::optional(2) : std::nullopt);
  if (!rt) {
    // An MTA keeps the message and tries again on 75 (EX_TEMPFAIL): nothing is lost while the
    // store is away.
    int failed = report(rt.error());
    return mailgate_cmd->parsed() ? channels::kMailTryLater : failed;
  }
  auto& runtime = **rt;

  if (serve_cmd->parsed()) return serve(runtime);
  if (migrate_cmd->parsed()) {
    std::cout << "migrations are up to date\n";
    return 0;
  }
  if (demo_cmd->parsed()) {
    auto admin = usecase::ensure_first_admin(*runtime.services, runtime.config.admin_email.empty() ? "admin@tandem.test" : runtime.config.admin_email,
                                             runtime.config.admin_password.empty() ? std::string(usecase::kDemoPassword) : runtime.config.admin_password);
    if (!admin) return report(admin.error());
    auto summary = usecase::load_demo(*runtime.services);
    if (!summary) return report(summary.error());
    if (summary->already_loaded) std::cout << "the demo is already loaded\n";
    else std::cout << "loaded the demo: " << summary->organizations << " organisations, " << summary->users
                   << " users, " << summary->teams << " teams, " << summary->tickets
                   << " tickets (password for all: " << usecase::kDemoPassword << ")\n";
    if (demo_tickets > 0) {
      auto started = std::chrono::steady_clock::now();
      auto generated = usecase::generate_tickets(*runtime.services, demo_tickets, demo_comments, demo_seed, [&](std::int64_t n) {
        if (n % 10'000 == 0 || n == demo_tickets) std::cerr << "generated " << n << " of " << demo_tickets << " tickets\n";
      });
      if (!generated) return report(generated.error());
      auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::cout << "generated " << generated->tickets << " tickets and " << generated->comments << " comments in " << seconds
                << " s\n";
    }
    if (demo_knowledge > 0) {
      auto started = std::chrono::steady_clock::now();
      auto generated = usecase::generate_knowledge(*runtime.services, demo_knowledge, demo_seed, [&](std::int64_t n) {
        if (n % 10'000 == 0 || n == demo_knowledge) std::cerr << "generated " << n << " of " << demo_knowledge << " knowledge items\n";
      });
      if (!generated) return report(generated.error());
      auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::cout << "generated " << generated->articles << " articles and " << generated->posts << " answered questions in " << seconds
                << " s\n";
    }
    return 0;
  }
  if (mailgate_cmd->parsed()) {
    auto channel = mailgate_channel.empty() ? std::nullopt : std::optional(mailgate_channel);
    if (!mailgate_dir.empty()) {
      auto done = mail_directory(runtime, mailgate_dir, channel);
      runtime.db->close();
      return done;
    }
    std::string raw{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    auto done = channels::mailgate(*runtime.services, raw, channel, runtime.config.attachment_limit);
    (done.exit_code == channels::kMailTaken ? std::cout : std::cerr) << done.line << "\n";
    runtime.db->close();  // every write committed before the MTA hears "taken"
    return done.exit_code;
  }
  if (train_cmd->parsed()) {
    auto trained = usecase::train_router(*runtime.services, [](const std::string& line) { std::cerr << line << "\n"; }, train_limit);
    if (!trained) return report(trained.error());
    for (const auto& k : *trained) {
      if (!k.model_id) {
        std::cout << k.kind << ": not trained: " << k.why_not << "\n";
        continue;
      }
      routing::Accuracy accuracy{k.held_out_right, k.held_out};
      std::cout << k.kind << ": model " << *k.model_id << " from " << k.examples << " examples; accuracy on " << k.held_out
                << " held out: " << k.held_out_right << "/" << k.held_out << " = " << std::fixed << std::setprecision(1)
                << accuracy.ratio() * 100 << "%\n";
    }
    return 0;
  }
  if (admin_create->parsed()) {
    std::ifstream in(password_file);
    std::string password;
    if (!in || !std::getline(in, password)) return report(Error(Code::invalid_argument, "Cannot read " + password_file));
    auto ok = usecase::ensure_provider(*runtime.services, "Service provider");
    if (!ok) return report(ok.error());
    usecase::NewUser admin;
    admin.draft.email = admin_email;
    admin.draft.name = "Administrator";
    admin.draft.roles = {identity::Role::admin};
    admin.password = password;
    auto created = usecase::create_user(*runtime.services, usecase::system_actor(), admin);
    if (!created) return report(created.error());
    std::cout << "created administrator " << created->id << "\n";
    return 0;
  }
  if (import_cmd->parsed()) {
    usecase::ImportRequest request{import_format, import_confirm.empty(), import_confirm.empty() ? std::nullopt : std::optional(import_confirm),
                                   import_organization.empty() ? std::nullopt : std::optional(import_organization)};
    auto imported = usecase::import_file(*runtime.services, usecase::system_actor(), import_file, request);
    if (!imported) return report(imported.error());
    std::cout << (imported->dry_run ? "dry run (nothing changed)" : "imported") << ": " << import_file << "\n";
    for (const auto& [kind, n] : imported->counts)
      std::cout << "  " << kind << ": " << n.created << (imported->dry_run ? " would be created, " : " created, ") << n.merged
                << " merged, " << n.rejected << " rejected\n";
    if (imported->dropped_references > 0)
      std::cout << "  references to what is not here (teams, services, agents), left out: " << imported->dropped_references << "\n";
    for (const auto& p : imported->rejected) std::cout << "  rejected " << p.kind << " " << p.source_id << ": " << p.reason << "\n";
    if (imported->dry_run)
      std::cout << "to import it: tandem import --format " << import_format
                << (import_organization.empty() ? "" : " --organization '" + import_organization + "'") << " --confirm "
                << imported->digest << " " << import_file << "\n";
    return 0;
  }
  if (audit_verify->parsed()) {
    auto verdict = usecase::verify_audit(*runtime.services);
    if (!verdict) return report(verdict.error());
    if (!verdict->intact) {
      std::cout << "audit log TAMPERED: " << verdict->problem << " (checked " << verdict->entries << " entries)\n";
      return 2;
    }
    std::cout << "audit log intact: " << verdict->entries << " entries\n";
    return 0;
  }
  return 0;
}
