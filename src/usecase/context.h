// What every use case needs: the store, the clock, and who is acting. Use cases follow one shape
// (STYLE.md §5): authorise → load → decide (domain) → write in one transaction with the audit
// entry. They are shared by the HTTP handlers, the command line and the demo loader.
#pragma once

#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>

#include "core/clock.h"
#include "core/crypto.h"
#include "domain/identity/access.h"
#include "storage/database.h"
#include "storage/scope.h"
#include "usecase/directory_cache.h"
#include "usecase/events.h"

namespace tandem::usecase {

// REL-1: mail out through a relay (usecase/mail_out.h). Off unless a relay is configured.
struct MailOut {
  bool enabled = false;
  std::string from_address;  // From, and Reply-To with the ticket's reference
  std::string from_name = "Tandem";
  std::string public_url;  // links to tickets in mail; empty: none
};

struct Services {
  storage::Database& db;
  const Clock& clock;
  PasswordCost password_cost = PasswordCost::interactive;
  int login_attempts = 5;
  std::chrono::minutes lockout{15};
  std::chrono::hours session_lifetime{24 * 14};
  std::string attachments_dir = "./data/attachments";  // content-addressed files (storage/attachments.h)
  EventBus* events = nullptr;  // live updates; none for the command line
  std::shared_ptr<DirectoryCache> directory_cache = std::make_shared<DirectoryCache>();
  // Uploads share it, the sweep of unreferenced files takes it alone (usecase/attachments.h).
  std::shared_ptr<std::shared_mutex> attachment_files = std::make_shared<std::shared_mutex>();
  // DESK-5: webhook endpoints may name loopback, private and link-local addresses (core/network.h).
  bool webhooks_reach_local_network = false;
  // DESK-11, OFF-2: the provider's currency (ISO 4217), written on every invoice it issues.
  std::string currency = "CNY";
  MailOut mail_out;
};

// The actor of the command line and start-up: an administrator that is no user.
identity::Actor system_actor();

// Appends the audit entry of a change inside the writing transaction (OPS-2).
struct Change {
  std::string action;
  std::string target_type;
  std::string target_id;
  std::string organization_id;
  std::optional<std::string> before;  // canonical forms; nullopt when absent
  std::optional<std::string> after;
};
Result<void> record(storage::Connection& c, const Services& s, const identity::Actor& actor, const Change& change);

Result<void> authorize(const identity::Actor& actor, std::string_view action);

}  // namespace tandem::usecase
