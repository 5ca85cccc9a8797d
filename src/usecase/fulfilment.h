// DESK-5, DESK-4: fulfilling a catalog request. A request type's procedure (task templates, each
// for a team, some after others) becomes the request's tasks when it is submitted; they open
// when the request reaches fulfilment and as the tasks they wait for finish, each with its own
// state, assignee and due time; the last one done resolves the request. Every step is on the
// request's timeline, so the requester hears of it.
//
// An automated task calls its webhook endpoint: the delivery is queued in the same transaction
// that opens the task, sent by a worker with an HMAC-SHA256 signature, retried with backoff
// (catalog::retry_delay_ms) under one delivery id the receiver deduplicates by, and the
// receiver's signed callback completes the task (or hands it back to its team).
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/catalog/fulfilment.h"
#include "storage/definitions.h"
#include "storage/fulfilment.h"
#include "storage/tickets.h"
#include "usecase/context.h"
#include "usecase/validation.h"

namespace tandem::usecase {

namespace drafting {
class TimelineDraft;
}

// ---- the procedure in a request type's definition ----------------------------------------

// "tasks": [{"key", "name", "team_id", "after"?, "due_hours"?, "endpoint_id"?}]; problems named
// "tasks[i].<part>". Whether teams and endpoints exist is checked with the store
// (check_task_references).
std::vector<catalog::TaskTemplate> tasks_of(const nlohmann::json& def, std::string_view language,
                                            Problems& p);
nlohmann::json tasks_json(const std::vector<catalog::TaskTemplate>& tasks);
Result<void> check_task_references(storage::Connection& c,
                                   const std::vector<catalog::TaskTemplate>& tasks, Problems& p);

// ---- a request's tasks ---------------------------------------------------------------------

// The tasks a newly submitted request gets from its type's procedure, opened at once (on the
// draft's timeline) when `t` is already in fulfilment: a request type without approval. Written
// by `write_new_tasks` once the ticket and its request are, with the deliveries of the automated
// tasks opened.
std::vector<storage::RequestTask> start_tasks(const Services& s,
                                              const std::vector<catalog::TaskTemplate>& procedure,
                                              storage::Ticket& t, drafting::TimelineDraft& draft);
Result<void> write_new_tasks(storage::Connection& c, const Services& s, const storage::Ticket& t,
                             const std::vector<storage::RequestTask>& rows);

// After a request's status changed from `from`, in the same transaction: into fulfilment, the
// tasks ready open — and back from waiting for the user with every task finished meanwhile, the
// request is resolved as the last task would have done; ended (resolved, rejected, cancelled,
// closed), the unfinished ones are cancelled; ended rejected or cancelled, its charge is voided
// (DESK-11). A reopened request stays in fulfilment for staff, however its tasks stand.
Result<void> follow_status(storage::Connection& c, const Services& s, storage::Ticket& t,
                           std::string_view from, drafting::TimelineDraft& draft);

// The tasks of a request the caller sees; not_found otherwise.
Result<std::vector<storage::RequestTask>> request_tasks(const Services& s,
                                                        const identity::Actor& actor,
                                                        std::string_view ticket_id);

// Staff work a task: take or give it (assignee_id; null to release), move it (state), say what
// was done (note). Moves follow catalog::may_move; a done task opens the ones waiting for it,
// and the last one resolves the request.
struct TaskPatch {
  std::optional<std::optional<std::string>> assignee_id;
  std::optional<catalog::TaskState> state;
  std::optional<std::string> note;
  std::int64_t expected_version = 0;
};
Result<storage::RequestTask> update_task(const Services& s, const identity::Actor& actor,
                                         std::string_view ticket_id, std::string_view key,
                                         const TaskPatch& patch);

// Staff's work list (GET /api/v1/tasks).
Result<storage::Page<storage::RequestTask>> list_tasks(const Services& s,
                                                       const identity::Actor& actor,
                                                       const storage::TaskQuery& q,
                                                       const storage::PageRequest& page);

// ---- webhooks ------------------------------------------------------------------------------

struct WebhookEndpointView {
  storage::StoredDefinition stored;
  std::string url;
  std::string description;
};
// Created with a secret of its own, shown in this answer only.
struct CreatedEndpoint {
  WebhookEndpointView endpoint;
  std::string secret;
};
Result<CreatedEndpoint> create_webhook_endpoint(const Services& s, const identity::Actor& actor,
                                                const std::string& body_json);
Result<std::vector<WebhookEndpointView>> list_webhook_endpoints(const Services& s,
                                                                const identity::Actor& actor);
Result<WebhookEndpointView> get_webhook_endpoint(const Services& s, const identity::Actor& actor,
                                                 std::string_view id);
Result<WebhookEndpointView> update_webhook_endpoint(const Services& s, const identity::Actor& actor,
                                                    std::string_view id,
                                                    std::int64_t expected_version,
                                                    const std::string& body_json);
// conflict while a request type's task names it.
Result<void> delete_webhook_endpoint(const Services& s, const identity::Actor& actor,
                                     std::string_view id);
// A new secret replaces the old at once; the answer is the only place it is shown.
Result<CreatedEndpoint> rotate_webhook_secret(const Services& s, const identity::Actor& actor,
                                              std::string_view id);

// How a delivery reaches its receiver: implemented over libcurl in channels/, wired by the app.
struct OutboundPost {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{10'000};
  // OPS-3: an administrator let this receiver be in the local network (the sender otherwise
  // refuses loopback, private and link-local addresses unless the operator allows them all).
  bool local_network_allowed = false;
};
struct PostOutcome {
  long status = 0;    // the receiver's HTTP status; 0 when there was no answer
  std::string error;  // why there was none (refused, timed out)
};
class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  virtual PostOutcome post(const OutboundPost& request) = 0;
};

// The headers a signed message carries: the signature is "sha256=" + HMAC-SHA256 under the
// endpoint's secret of "<timestamp>.<body>", the timestamp in Unix seconds. A callback signs
// "<timestamp>.<delivery id>.<body>", so that it completes the one delivery it was made for.
inline constexpr const char* kDeliveryHeader = "Tandem-Delivery";
inline constexpr const char* kTimestampHeader = "Tandem-Timestamp";
inline constexpr const char* kSignatureHeader = "Tandem-Signature";
std::string webhook_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body);
std::string callback_signature(std::string_view secret, std::string_view timestamp,
                               std::string_view delivery_id, std::string_view body);

struct DeliveryRun {
  int sent = 0;      // answered with 2xx
  int failed = 0;    // to be retried
  int given_up = 0;  // after the last attempt: the task went back to its team
};
// Sends up to `limit` deliveries due now, one at a time, until `stopping` says so. Safe on several
// nodes at once: each is claimed for a minute just before it is sent, a claim that lapsed (a node
// that died) is taken up again, and only the holder of a claim records its attempt.
Result<DeliveryRun> deliver_webhooks(const Services& s, WebhookSender& sender, int limit = 50,
                                     const std::function<bool()>& stopping = {});

// POST /api/v1/webhook-deliveries/{id}/callback: the receiver says the task is done (or failed,
// handing it back to its team). Authenticated by its signature, made within five minutes; a
// repeated callback with the same outcome answers as the first did.
struct DeliveryCallback {
  std::string delivery_id;
  std::string timestamp;
  std::string signature;
  std::string body;
};
Result<storage::WebhookDelivery> complete_delivery(const Services& s,
                                                   const DeliveryCallback& callback);
// The deliveries of a request, for staff looking into an automated task.
Result<std::vector<storage::WebhookDelivery>> request_deliveries(const Services& s,
                                                                 const identity::Actor& actor,
                                                                 std::string_view ticket_id);

}  // namespace tandem::usecase
