#include "usecase/webhooks.h"

#include "core/crypto.h"
#include "core/id.h"
#include "core/network.h"
#include "domain/catalog/fulfilment.h"
#include "domain/channels/outbound.h"
#include "storage/fulfilment.h"
#include "storage/organizations.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using identity::Actor;
using Json = nlohmann::json;
using storage::Scope;

constexpr std::int64_t kClaimMs = 60'000;  // a worker's hold on a delivery it sends

Error not_found_webhook() { return Error(Code::not_found, "No such webhook."); }

// The fields as they will be stored, every problem named.
void check(Problems& p, const Services& s, const storage::Webhook& w) {
  if (w.name.empty() || w.name.size() > 200) p.add("name", "is required: 1–200 bytes");
  if (auto problem = channels::url_problem(w.url)) p.add("url", *problem);
  else if (!w.local_network && !s.webhooks_reach_local_network && host_in_local_network(url_host(w.url)) == true)
    p.add("url", "points into the local network (loopback, private or link-local addresses): set local_network to true to allow "
                 "this webhook there");
  if (auto problem = channels::events_problem(w.events)) p.add("events", *problem);
}

Result<void> check_organization(storage::Connection& c, Problems& p, const std::optional<std::string>& id) {
  if (!id) return {};
  ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, Scope::system(), *id));
  if (!org || org->kind != identity::OrganizationKind::consumer) p.add("organization_id", "no such customer organisation");
  return {};
}

void apply(storage::Webhook& w, const WebhookInput& in) {
  if (in.name) w.name = trimmed(*in.name);
  if (in.url) w.url = *in.url;
  if (in.events) w.events = *in.events;
  if (in.organization_id) w.organization_id = *in.organization_id;
  if (in.local_network) w.local_network = *in.local_network;
  if (in.active) w.active = *in.active;
}

Result<storage::Webhook> locked_webhook(storage::Connection& c, std::string_view id) {
  ASSIGN_OR_RETURN(auto found, storage::webhook_store::find(c, id, storage::Lock::for_update));
  if (!found) return fail(not_found_webhook());
  return std::move(*found);
}

storage::EventDelivery delivery_for(const Services& s, const storage::Webhook& w, std::string_view event, std::string_view organization_id,
                                    std::string_view event_id, const Json& data) {
  auto now = s.clock.now();
  storage::EventDelivery d;
  d.id = new_id("whd", now);
  d.webhook_id = w.id;
  d.event = std::string(event);
  d.organization_id = std::string(organization_id);
  d.created_at = to_millis(now);
  d.next_at = d.created_at;
  Json body{{"id", d.id}, {"event_id", event_id}, {"type", event}, {"created_at", to_rfc3339(now)}, {"data", data}};
  d.payload = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return d;
}

}  // namespace

Result<WebhookWithSecret> create_webhook(const Services& s, const Actor& actor, const WebhookInput& in) {
  TRY(authorize(actor, "webhook.manage"));
  storage::Webhook w;
  apply(w, in);
  Problems p;
  if (!in.events) p.add("events", "is required: the event types to post, e.g. [\"ticket.created\", \"booking.late\"]");
  check(p, s, w);
  return s.db.write([&](storage::Connection& c) -> Result<WebhookWithSecret> {
    TRY(check_organization(c, p, w.organization_id));
    if (p.any()) return fail(p.error());
    auto now = s.clock.now();
    w.id = new_id("whk", now);
    w.created_at = w.updated_at = to_millis(now);
    WebhookWithSecret out{w, random_token(32)};
    TRY(storage::webhook_store::insert(c, w));
    TRY(storage::webhook_secrets::put(c, w.id, out.secret));
    TRY(record(c, s, actor, {"webhook.create", "webhook", w.id, "", std::nullopt, storage::canonical(w)}));
    return out;
  });
}

Result<storage::Page<storage::Webhook>> list_webhooks(const Services& s, const Actor& actor, const storage::PageRequest& page) {
  TRY(authorize(actor, "webhook.manage"));
  return s.db.read([&](storage::Connection& c) { return storage::webhook_store::list(c, page); });
}

Result<storage::Webhook> get_webhook(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "webhook.manage"));
  ASSIGN_OR_RETURN(auto w, s.db.read([&](storage::Connection& c) { return storage::webhook_store::find(c, id); }));
  if (!w) return fail(not_found_webhook());
  return *w;
}

Result<storage::Webhook> update_webhook(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                        const WebhookInput& patch) {
  TRY(authorize(actor, "webhook.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<storage::Webhook> {
    ASSIGN_OR_RETURN(auto w, locked_webhook(c, id));
    if (w.version != expected_version) return fail(Code::failed_precondition, "The webhook changed since you read it.", "version_mismatch");
    auto before = storage::canonical(w);
    apply(w, patch);
    Problems p;
    check(p, s, w);
    if (patch.organization_id) TRY(check_organization(c, p, w.organization_id));
    if (p.any()) return fail(p.error());
    w.version += 1;
    w.updated_at = to_millis(s.clock.now());
    TRY(storage::webhook_store::update(c, w));
    TRY(record(c, s, actor, {"webhook.update", "webhook", w.id, "", before, storage::canonical(w)}));
    return w;
  });
}

Result<WebhookWithSecret> rotate_outbound_webhook_secret(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "webhook.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<WebhookWithSecret> {
    ASSIGN_OR_RETURN(auto w, locked_webhook(c, id));
    WebhookWithSecret out{w, random_token(32)};
    out.webhook.version += 1;
    out.webhook.updated_at = to_millis(s.clock.now());
    TRY(storage::webhook_store::update(c, out.webhook));
    TRY(storage::webhook_secrets::put(c, w.id, out.secret));
    TRY(record(c, s, actor, {"webhook.rotate_secret", "webhook", w.id, "", std::nullopt, std::nullopt}));
    return out;
  });
}

Result<storage::Page<storage::EventDelivery>> webhook_deliveries(const Services& s, const Actor& actor, std::string_view id,
                                                                 std::string_view state, const storage::PageRequest& page) {
  TRY(get_webhook(s, actor, id));
  if (!state.empty() && state != "pending" && state != "delivered" && state != "failed") {
    Problems p;
    p.add("state", "allowed: pending, delivered, failed");
    return fail(p.error());
  }
  return s.db.read([&](storage::Connection& c) { return storage::event_deliveries::list(c, id, state, page); });
}

Result<storage::EventDelivery> redeliver_event(const Services& s, const Actor& actor, std::string_view webhook_id,
                                               std::string_view delivery_id) {
  TRY(authorize(actor, "webhook.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<storage::EventDelivery> {
    ASSIGN_OR_RETURN(auto d, storage::event_deliveries::find(c, delivery_id, storage::Lock::for_update));
    if (!d || d->webhook_id != webhook_id) return fail(Code::not_found, "No such delivery of this webhook.");
    if (d->state != "failed")
      return fail(Code::conflict, d->state == "pending" ? "This delivery is still being tried." : "This delivery was already taken.",
                  "not_failed");
    d->state = "pending";
    d->attempts = 0;
    d->next_at = to_millis(s.clock.now());
    d->claimed_until = 0;
    TRY(storage::event_deliveries::update(c, *d));
    TRY(record(c, s, actor, {"webhook.redeliver", "webhook", d->webhook_id, "", std::nullopt, "delivery=" + d->id + "\n"}));
    return *d;
  });
}

Result<storage::EventDelivery> ping_webhook(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "webhook.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<storage::EventDelivery> {
    ASSIGN_OR_RETURN(auto found, storage::webhook_store::find(c, id));
    if (!found) return fail(not_found_webhook());
    auto d = delivery_for(s, *found, "webhook.ping", "", new_id("evt", s.clock.now()),
                          Json{{"webhook_id", found->id}, {"name", found->name}});
    TRY(storage::event_deliveries::insert(c, d));
    return d;
  });
}

Result<int> queue_event(storage::Connection& c, const Services& s, std::string_view event, std::string_view organization_id,
                        const EventData& data) {
  ASSIGN_OR_RETURN(auto webhooks, storage::webhook_store::active(c));
  int queued = 0;
  std::optional<Json> everything, organisation_only;
  std::string event_id;
  for (const auto& w : webhooks) {
    if (!channels::hears({w.active, w.events, w.organization_id}, event, organization_id)) continue;
    auto& cached = w.organization_id ? organisation_only : everything;
    if (!cached) {
      ASSIGN_OR_RETURN(auto made, data(w.organization_id.has_value()));
      cached = std::move(made);
    }
    if (cached->is_null()) continue;
    if (event_id.empty()) event_id = new_id("evt", s.clock.now());
    TRY(storage::event_deliveries::insert(c, delivery_for(s, w, event, organization_id, event_id, *cached)));
    ++queued;
  }
  return queued;
}

Result<std::int64_t> prune_event_deliveries(const Services& s) {
  constexpr std::int64_t kDay = 24 * 3'600'000;
  auto now = to_millis(s.clock.now());
  return s.db.write([&](storage::Connection& c) -> Result<std::int64_t> {
    ASSIGN_OR_RETURN(auto delivered, storage::event_deliveries::remove_older(c, "delivered", now - 30 * kDay));
    ASSIGN_OR_RETURN(auto failed, storage::event_deliveries::remove_older(c, "failed", now - 90 * kDay));
    return delivered + failed;
  });
}

Result<DeliveryRun> deliver_events(const Services& s, WebhookSender& sender, int limit, const std::function<bool()>& stopping) {
  DeliveryRun run;
  for (int i = 0; i < limit && !(stopping && stopping()); ++i) {
    struct Claimed {
      storage::EventDelivery delivery;
      std::optional<storage::Webhook> webhook;
      std::string secret;
    };
    auto now = to_millis(s.clock.now());
    ASSIGN_OR_RETURN(auto claimed, s.db.write([&](storage::Connection& c) -> Result<std::optional<Claimed>> {
      ASSIGN_OR_RETURN(auto due, storage::event_deliveries::claim_due(c, now, now + kClaimMs, 1));
      if (due.empty()) return std::optional<Claimed>();
      ASSIGN_OR_RETURN(auto webhook, storage::webhook_store::find(c, due.front().webhook_id));
      ASSIGN_OR_RETURN(auto secret, storage::webhook_secrets::find(c, due.front().webhook_id));
      return std::optional<Claimed>(Claimed{std::move(due.front()), std::move(webhook), secret.value_or("")});
    }));
    if (!claimed) break;
    const auto& d = claimed->delivery;
    PostOutcome answer;
    // A ping tries a webhook that is switched off too; an event waits for nothing once it is off.
    bool switched_off = !claimed->webhook || claimed->secret.empty() || (!claimed->webhook->active && d.event != "webhook.ping");
    if (switched_off) {
      answer.error = "the webhook was switched off";
    } else {
      auto timestamp = std::to_string(to_millis(s.clock.now()) / 1000);
      OutboundPost post{claimed->webhook->url,
                        {{"Content-Type", "application/json"},
                         {kDeliveryHeader, d.id},
                         {"Tandem-Event", d.event},
                         {kTimestampHeader, timestamp},
                         {kSignatureHeader, webhook_signature(claimed->secret, timestamp, d.payload)}},
                        d.payload};
      post.local_network_allowed = claimed->webhook->local_network;
      answer = sender.post(post);
    }
    bool accepted = answer.status >= 200 && answer.status < 300;
    ASSIGN_OR_RETURN(auto outcome, s.db.write([&](storage::Connection& c) -> Result<int> {
      ASSIGN_OR_RETURN(auto locked, storage::event_deliveries::find(c, d.id, storage::Lock::for_update));
      // Sent again by hand meanwhile, or a claim that lapsed and another worker took: this
      // attempt records nothing.
      if (!locked || locked->state != "pending" || locked->claimed_until != d.claimed_until) return 0;
      auto e = *locked;
      auto done_at = to_millis(s.clock.now());
      e.attempts += 1;
      e.claimed_until = 0;
      e.last_status = answer.status ? std::optional<std::int64_t>(answer.status) : std::nullopt;
      e.last_error = accepted ? "" : answer.status ? "the receiver answered " + std::to_string(answer.status) : answer.error;
      int result = 1;
      if (accepted) {
        e.state = "delivered";
        e.delivered_at = done_at;
        e.next_at = std::nullopt;
      } else if (auto delay = catalog::retry_delay_ms(int(e.attempts)); delay && !switched_off) {
        e.next_at = done_at + *delay;
        result = 2;
      } else {
        e.state = "failed";
        e.next_at = std::nullopt;
        result = 3;
      }
      TRY(storage::event_deliveries::update(c, e));
      return result;
    }));
    run.sent += outcome == 1;
    run.failed += outcome == 2;
    run.given_up += outcome == 3;
  }
  return run;
}

}  // namespace tandem::usecase
