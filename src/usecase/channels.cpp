#include "usecase/channels.h"

#include <algorithm>
#include <cctype>

#include "core/id.h"
#include "core/log.h"
#include "domain/tickets/workflow.h"
#include "storage/organizations.h"
#include "storage/tickets.h"
#include "storage/users.h"
#include "usecase/attachments.h"
#include "usecase/tickets.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

namespace tk = ::tandem::tickets;
using identity::Actor;
using storage::Scope;

constexpr int kSenderTickets = 20;  // how many of a sender's tickets are looked at for an open one
// DESK-10, DESK-7: this many open incidents of one service begun within the window are one
// outage: the oldest becomes the major incident and the others its children.
constexpr std::size_t kAlertStorm = 3;
constexpr std::int64_t kAlertStormWindow = 30 * 60'000;

Error not_found_channel() { return Error(Code::not_found, "No such channel."); }

// An address no mail reaches (RFC 2606's .invalid), for an account that needs one: a channel's
// own account, or someone known only by a number or a handle until an agent adds theirs.
std::string unreachable_address(std::string_view prefix, std::string_view id) {
  std::string local(id);
  std::ranges::transform(local, local.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
  return std::string(prefix) + "-" + local + "@channels.invalid";
}

Result<void> check_organization(storage::Connection& c, Problems& p, const std::optional<std::string>& id) {
  if (!id) return {};
  ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, Scope::system(), *id));
  if (!org || org->kind != identity::OrganizationKind::consumer) p.add("organization_id", "no such customer organisation");
  return {};
}

void check_fields(Problems& p, std::optional<channels::Kind> kind, const std::string& name, const std::optional<std::string>& address) {
  if (name.empty() || name.size() > 200) p.add("name", "must be 1 to 200 bytes");
  if (address && (address->empty() || address->size() > 320)) p.add("address", "must be 1 to 320 bytes");
  if (address && kind && *kind == channels::Kind::email && !identity::normalize_email(*address)) p.add("address", "must be an e-mail address");
  if (kind && *kind == channels::Kind::imap && (!address || !channels::is_mailbox_url(*address)))
    p.add("address", "is required: the mailbox, as imaps://user@host/INBOX (imap:// for STARTTLS); its password is the secret");
}

bool is_open(const storage::Ticket& t) {
  auto category = tk::Workflows::builtin().of(t.type).category_of(t.status);
  return category && (*category == tk::StateCategory::open || *category == tk::StateCategory::waiting);
}

Result<std::optional<storage::Ticket>> open_ticket(const Services& s, std::string_view id) {
  ASSIGN_OR_RETURN(auto t, s.db.read([&](storage::Connection& c) { return storage::ticket_store::find(c, Scope::system(), id); }));
  if (!t || !is_open(*t)) return std::optional<storage::Ticket>();
  return t;
}

// Many incidents of one service at once are one outage (DESK-7): the oldest open one becomes the
// major incident and every other its child, so that one update reaches them all. The major
// incident's id, when there is one.
Result<std::optional<std::string>> gather_outage(const Services& s, const storage::Channel& channel, const std::string& service,
                                                 std::int64_t now) {
  ASSIGN_OR_RETURN(auto ids, s.db.read([&](storage::Connection& c) {
    return storage::channel_threads::tickets_of_service(c, channel.id, service, now - kAlertStormWindow);
  }));
  std::vector<storage::Ticket> open;
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(auto t, open_ticket(s, id));
    if (t) open.push_back(std::move(*t));
  }
  if (open.size() < kAlertStorm) return std::optional<std::string>();
  auto major = std::ranges::find_if(open, [](const storage::Ticket& t) { return t.major_incident; });
  if (major == open.end()) {
    major = open.begin();
    TicketPatch patch;
    patch.major_incident = true;
    TRY(update_ticket(s, system_actor(), major->id, std::nullopt, patch));
  }
  for (const auto& t : open) {
    if (t.id == major->id) continue;
    auto linked = link_tickets(s, system_actor(), major->id, {t.id, "child"});
    if (!linked && linked.error().code != Code::conflict) return std::unexpected(linked.error());
  }
  return std::optional<std::string>(major->id);
}

}  // namespace

storage::ChannelDelivery new_delivery(const Services& s, const storage::Channel& channel, std::string outcome, int status, std::string reason) {
  storage::ChannelDelivery d;
  d.id = new_id("dlv", s.clock.now());
  d.channel_id = channel.id;
  d.outcome = std::move(outcome);
  d.status = status;
  d.reason = std::move(reason);
  d.created_at = to_millis(s.clock.now());
  return d;
}

Result<void> log_delivery(const Services& s, const storage::ChannelDelivery& d) {
  return s.db.write([&](storage::Connection& c) { return storage::channel_deliveries::insert(c, d); });
}

Result<std::optional<std::string>> sender_account(const Services& s, const storage::Channel& channel, const channels::Sender& sender,
                                                  const std::string& from, const std::string& name, bool may_add) {
  ASSIGN_OR_RETURN(auto owner, s.db.read([&](storage::Connection& c) {
    return storage::users::owner_of_identity(c, sender.kind, sender.normalized);
  }));
  if (owner || !may_add || !channel.organization_id) return owner;
  storage::User u;
  auto now = s.clock.now();
  u.id = new_id("usr", now);
  u.organization_id = *channel.organization_id;
  u.email = sender.kind == "email" ? from : unreachable_address("sender", u.id);
  u.name = name.empty() ? from : name;
  if (u.name.size() > 200) u.name.resize(200);
  u.roles = {identity::Role::user};
  u.identities.push_back({"email", u.email, identity::normalize_email(u.email).value_or(u.email), ""});
  if (sender.kind != "email") u.identities.push_back({sender.kind, from, sender.normalized, ""});
  u.created_at = u.updated_at = to_millis(now);
  TRY(s.db.write([&](storage::Connection& c) -> Result<void> {
    TRY(storage::users::insert(c, u, std::nullopt));
    return record(c, s, system_actor(), {"user.create", "user", u.id, u.organization_id, std::nullopt, storage::canonical(u)});
  }));
  return std::optional<std::string>(u.id);
}

Result<ChannelWithSecret> create_channel(const Services& s, const Actor& actor, const NewChannel& in) {
  TRY(authorize(actor, "channel.manage"));
  Problems p;
  auto kind = channels::parse_kind(in.kind);
  if (!kind) p.add("kind", "allowed: email, imap, telephony, messaging, alertmanager");
  auto format = channels::parse_format(in.format.value_or("generic"));
  if (!format) p.add("format", "allowed: generic, telegram, twilio");
  else if (kind && !channels::speaks(*kind, *format)) p.add("format", "telegram is for messaging channels, twilio for telephony");
  auto name = trimmed(in.name);
  check_fields(p, kind, name, in.address);
  bool twilio = format == channels::Format::twilio;
  bool mailbox = kind == channels::Kind::imap;
  // Secrets another system issued: Twilio's auth token, a mailbox's password.
  bool given_secret = twilio || mailbox;
  if (given_secret && (!in.secret || in.secret->empty() || in.secret->size() > 200))
    p.add("secret", twilio ? "is required: the Twilio account's auth token" : "is required: the mailbox's password");
  if (!given_secret && in.secret)
    p.add("secret", "only Twilio and IMAP channels take one (the account's auth token, the mailbox's password); Tandem makes the others");
  if (twilio && (!in.address || !(in.address->starts_with("https://") || in.address->starts_with("http://"))))
    p.add("address", "is required: the address Twilio reaches Tandem at (https://desk.example), which its signatures cover");
  if (p.any()) return fail(p.error());
  ChannelWithSecret out;
  out.secret = given_secret ? *in.secret : random_token(32);
  return s.db.write([&](storage::Connection& c) -> Result<ChannelWithSecret> {
    TRY(check_organization(c, p, in.organization_id));
    if (p.any()) return fail(p.error());
    auto now = s.clock.now();
    storage::Channel ch;
    ch.id = new_id("chn", now);
    ch.kind = *kind;
    ch.name = name;
    ch.address = in.address;
    ch.format = *format;
    ch.secret = out.secret;
    ch.organization_id = in.organization_id;
    ch.created_at = ch.updated_at = to_millis(now);
    if (*kind == channels::Kind::alertmanager) {
      // Monitoring has no person behind it: its incidents are raised by an account of the
      // provider made for the channel, which nobody signs in as.
      ASSIGN_OR_RETURN(auto provider, storage::organizations::find_provider(c));
      if (!provider) return fail(Code::failed_precondition, "The provider organisation is missing.");
      storage::User u;
      u.id = new_id("usr", now);
      u.organization_id = provider->id;
      u.email = unreachable_address("channel", ch.id);
      u.name = name;
      u.roles = {identity::Role::specialist};
      u.identities.push_back({"email", u.email, u.email, ""});
      u.created_at = u.updated_at = ch.created_at;
      TRY(storage::users::insert(c, u, std::nullopt));
      TRY(record(c, s, actor, {"user.create", "user", u.id, u.organization_id, std::nullopt, storage::canonical(u)}));
      ch.requester_id = u.id;
    }
    TRY(storage::channel_store::insert(c, ch));
    TRY(record(c, s, actor, {"channel.create", "channel", ch.id, "", std::nullopt, storage::canonical(ch)}));
    out.channel = ch;
    return out;
  });
}

Result<storage::Page<storage::Channel>> list_channels(const Services& s, const Actor& actor, const storage::PageRequest& page) {
  TRY(authorize(actor, "channel.manage"));
  return s.db.read([&](storage::Connection& c) { return storage::channel_store::list(c, page); });
}

Result<storage::Channel> get_channel(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "channel.manage"));
  ASSIGN_OR_RETURN(auto ch, s.db.read([&](storage::Connection& c) { return storage::channel_store::find(c, id); }));
  if (!ch) return fail(not_found_channel());
  return *ch;
}

Result<storage::Channel> update_channel(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                        const ChannelPatch& patch) {
  TRY(authorize(actor, "channel.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<storage::Channel> {
    ASSIGN_OR_RETURN(auto found, storage::channel_store::find(c, id, storage::Lock::for_update));
    if (!found) return fail(not_found_channel());
    auto ch = *found;
    if (ch.version != expected_version) return fail(Code::failed_precondition, "The channel changed since you read it.", "version_mismatch");
    auto before = storage::canonical(ch);
    if (patch.name) ch.name = trimmed(*patch.name);
    // A mailbox's password goes to the host its address names: another host means a new channel,
    // made with the password meant for it.
    if (patch.address && ch.kind == channels::Kind::imap && *patch.address != ch.address.value_or("")) {
      Problems moved;
      moved.add("address", "a mailbox's address stays as made (its password is for that server): make a new channel for another mailbox");
      return fail(moved.error());
    }
    if (patch.address) ch.address = *patch.address;
    if (patch.organization_id) ch.organization_id = *patch.organization_id;
    if (patch.active) ch.active = *patch.active;
    Problems p;
    check_fields(p, ch.kind, ch.name, ch.address);
    if (patch.organization_id) TRY(check_organization(c, p, ch.organization_id));
    if (p.any()) return fail(p.error());
    ch.version += 1;
    ch.updated_at = to_millis(s.clock.now());
    TRY(storage::channel_store::update(c, ch));
    TRY(record(c, s, actor, {"channel.update", "channel", ch.id, "", before, storage::canonical(ch)}));
    return ch;
  });
}

Result<ChannelWithSecret> rotate_channel_secret(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "channel.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<ChannelWithSecret> {
    ASSIGN_OR_RETURN(auto found, storage::channel_store::find(c, id, storage::Lock::for_update));
    if (!found) return fail(not_found_channel());
    if (found->format == channels::Format::twilio)
      return fail(Code::conflict, "A Twilio channel's secret is the account's auth token, which Twilio issues: make the channel again with the new one.",
                  "secret_not_ours");
    if (found->kind == channels::Kind::imap)
      return fail(Code::conflict, "An IMAP channel's secret is the mailbox's password, which its mail server keeps: make the channel again with the new one.",
                  "secret_not_ours");
    ChannelWithSecret out{*found, random_token(32)};
    out.channel.secret = out.secret;
    out.channel.version += 1;
    out.channel.updated_at = to_millis(s.clock.now());
    TRY(storage::channel_store::update(c, out.channel));
    TRY(record(c, s, actor, {"channel.rotate_secret", "channel", out.channel.id, "", std::nullopt, std::nullopt}));
    return out;
  });
}

Result<storage::Page<storage::ChannelDelivery>> channel_deliveries(const Services& s, const Actor& actor, std::string_view id,
                                                                   const storage::PageRequest& page) {
  TRY(get_channel(s, actor, id));
  return s.db.read([&](storage::Connection& c) { return storage::channel_deliveries::list(c, id, page); });
}

Result<storage::Channel> hook_channel(const Services& s, std::string_view id) {
  ASSIGN_OR_RETURN(auto ch, s.db.read([&](storage::Connection& c) { return storage::channel_store::find(c, id); }));
  if (!ch || !ch->active || !channels::has_hook(ch->kind)) return fail(not_found_channel());
  return *ch;
}

Result<void> log_refused_delivery(const Services& s, const storage::Channel& channel, int status, std::string outcome, std::string reason) {
  return log_delivery(s, new_delivery(s, channel, std::move(outcome), status, std::move(reason)));
}

namespace {

// A message's files, added after it, each on its own: the message is taken by then, so a file that
// cannot be kept is named in the channel's log — never a reason for the sender to send the whole
// message again, which would be a repeat.
void attach_files(const Services& s, const storage::Channel& channel, const Actor& actor, const std::string& ticket_id,
                  const InboundMessage& in, tickets::Channel arrived) {
  for (const auto& f : in.files) {
    auto added = add_attachment(s, actor, ticket_id, Upload{f.name, f.bytes, storage::Visibility::public_}, arrived);
    if (added) continue;
    auto d = new_delivery(s, channel, "filed", 200, "the file " + f.name + " was not kept: " + added.error().message);
    d.message_id = in.message_id;
    d.ticket_id = ticket_id;
    if (auto logged = log_delivery(s, d); !logged)
      log_message(LogLevel::error, "message " + in.message_id + ": " + d.reason + " (" + logged.error().message + ")");
  }
}

}  // namespace

Result<Filed> file_message(const Services& s, const storage::Channel& channel, const InboundMessage& in) {
  auto duplicate = [&]() -> Result<Filed> {
    ASSIGN_OR_RETURN(auto seen, s.db.read([&](storage::Connection& c) { return storage::channel_messages::find(c, channel.id, in.message_id); }));
    Filed f{"duplicate", seen ? std::optional(seen->ticket_id) : std::nullopt, seen ? seen->event_id : std::nullopt, false,
            "message " + in.message_id + " was filed before"};
    auto d = new_delivery(s, channel, f.outcome, 200, f.reason);
    d.message_id = in.message_id;
    d.ticket_id = f.ticket_id;
    TRY(log_delivery(s, d));
    return f;
  };
  ASSIGN_OR_RETURN(auto seen, s.db.read([&](storage::Connection& c) { return storage::channel_messages::find(c, channel.id, in.message_id); }));
  if (seen) return duplicate();

  ASSIGN_OR_RETURN(auto user_id, sender_account(s, channel, in.sender, in.from, in.name));
  std::optional<Actor> actor;
  if (user_id) {
    ASSIGN_OR_RETURN(actor, s.db.read([&](storage::Connection& c) { return storage::users::active_actor(c, *user_id); }));
  }
  if (!actor) {
    Filed f{"unmatched", std::nullopt, std::nullopt, false,
            user_id ? "the sender's account is closed" : "no user has the identity " + in.from + " and the channel adds no one"};
    auto d = new_delivery(s, channel, f.outcome, 202, f.reason);
    d.message_id = in.message_id;
    d.payload = in.payload;  // nothing lost: an agent can take it from here
    TRY(log_delivery(s, d));
    return f;
  }

  // Where it goes: the ticket it names, if the sender may write there and it is open; else the
  // sender's newest open ticket from this channel.
  std::optional<std::string> target;
  std::string reason;
  if (in.ticket_id) {
    auto named = get_ticket(s, *actor, *in.ticket_id);
    if (named && is_open(*named)) target = named->id;
    else reason = "ticket " + *in.ticket_id + " is not an open ticket of the sender: ";
  }
  if (!target) {
    ASSIGN_OR_RETURN(auto recent, s.db.read([&](storage::Connection& c) {
      return storage::channel_messages::tickets_of_sender(c, channel.id, *user_id, kSenderTickets);
    }));
    for (const auto& id : recent) {
      ASSIGN_OR_RETURN(auto t, open_ticket(s, id));
      if (t && get_ticket(s, *actor, id)) {  // still theirs to write on (they may have moved)
        target = t->id;
        break;
      }
    }
  }

  Filed filed{"filed", std::nullopt, std::nullopt, !target, ""};
  auto with_files = in.files.empty() ? std::string() : " with " + std::to_string(in.files.size()) + (in.files.size() == 1 ? " file" : " files");
  auto now = to_millis(s.clock.now());
  auto remember = [&](storage::Connection& c, const std::string& ticket_id, std::optional<std::string> event_id) -> Result<void> {
    ASSIGN_OR_RETURN(bool fresh, storage::channel_messages::insert(c, {channel.id, in.message_id, ticket_id, event_id, user_id, now}));
    if (!fresh) return fail(Code::conflict, "The message was filed meanwhile.", "duplicate_message");
    auto d = new_delivery(s, channel, "filed", filed.created ? 201 : 200, filed.reason);
    d.message_id = in.message_id;
    d.ticket_id = ticket_id;
    return storage::channel_deliveries::insert(c, d);
  };
  auto arrived = channels::ticket_channel(channel.kind);
  if (target) {
    filed.reason = reason + "added to ticket " + *target + with_files;
    NewComment comment{in.text, storage::Visibility::public_, nullptr};
    comment.write_after = [&](storage::Connection& c, const storage::Ticket& t, const storage::TicketEvent& e) {
      return remember(c, t.id, e.id);
    };
    auto event = add_comment(s, *actor, *target, comment, arrived);
    if (!event && event.error().slug == "duplicate_message") return duplicate();
    TRY(event);
    filed.ticket_id = *target;
    filed.event_id = event->id;
    attach_files(s, channel, *actor, *target, in, arrived);
    return filed;
  }
  filed.reason = reason + "opened a new ticket" + with_files;
  NewTicket ticket;
  ticket.subject = channels::subject_from_text(in.text);
  ticket.description = in.text;
  ticket.write_after = [&](storage::Connection& c, const storage::Ticket& t) { return remember(c, t.id, std::nullopt); };
  auto created = create_ticket(s, *actor, ticket, arrived);
  if (!created && created.error().slug == "duplicate_message") return duplicate();
  TRY(created);
  filed.ticket_id = created->id;
  attach_files(s, channel, *actor, created->id, in, arrived);
  return filed;
}

Result<Filed> file_call(const Services& s, const storage::Channel& channel, const InboundCall& call) {
  auto logged = [&](Filed f, int status, std::optional<std::string> payload = std::nullopt) -> Result<Filed> {
    auto d = new_delivery(s, channel, f.outcome, status, f.reason);
    d.message_id = call.call_id;
    d.ticket_id = f.ticket_id;
    d.payload = std::move(payload);
    TRY(log_delivery(s, d));
    return f;
  };
  ASSIGN_OR_RETURN(auto seen, s.db.read([&](storage::Connection& c) { return storage::channel_messages::find(c, channel.id, call.call_id); }));
  if (seen) return logged({"duplicate", seen->ticket_id, seen->event_id, false, "call " + call.call_id + " was logged before"}, 200);
  ASSIGN_OR_RETURN(auto user_id, sender_account(s, channel, call.sender, call.number, ""));
  std::optional<Actor> actor;
  if (user_id) {
    ASSIGN_OR_RETURN(actor, s.db.read([&](storage::Connection& c) { return storage::users::active_actor(c, *user_id); }));
  }
  if (!actor) return logged({"unmatched", std::nullopt, std::nullopt, false, "no user has the number " + call.number}, 202, call.payload);

  std::optional<std::string> target;
  ASSIGN_OR_RETURN(auto recent, s.db.read([&](storage::Connection& c) {
    return storage::channel_messages::tickets_of_sender(c, channel.id, *user_id, kSenderTickets);
  }));
  for (const auto& id : recent) {
    ASSIGN_OR_RETURN(auto t, open_ticket(s, id));
    if (t) {
      target = t->id;
      break;
    }
  }
  bool created = !target;
  if (!target) {
    // The caller's ticket: what they rang about is for the agent to write down.
    NewTicket ticket;
    ticket.subject = (call.direction == "inbound" ? "Phone call from " : "Phone call to ") + call.number;
    ticket.description = "Call " + call.status + ", " + std::to_string(call.duration_seconds) + " s.";
    ASSIGN_OR_RETURN(auto t, create_ticket(s, *actor, ticket, tk::Channel::phone));
    target = t.id;
  }
  Filed filed{"filed", target, std::nullopt, created, (created ? "opened ticket " : "logged on ticket ") + *target};
  NewCall entry;
  entry.summary = "Call " + call.status + " (" + call.call_id + ")";
  entry.duration_seconds = std::clamp<std::int64_t>(call.duration_seconds, 0, 86'400);
  entry.direction = call.direction;
  entry.phone = call.number;
  auto now = to_millis(s.clock.now());
  entry.write_after = [&](storage::Connection& c, const storage::TicketEvent& e) -> Result<void> {
    ASSIGN_OR_RETURN(bool fresh, storage::channel_messages::insert(c, {channel.id, call.call_id, *target, e.id, user_id, now}));
    if (!fresh) return fail(Code::conflict, "The call was logged meanwhile.", "duplicate_message");
    auto d = new_delivery(s, channel, filed.outcome, created ? 201 : 200, filed.reason);
    d.message_id = call.call_id;
    d.ticket_id = target;
    return storage::channel_deliveries::insert(c, d);
  };
  auto event = log_call(s, system_actor(), *target, entry);
  if (!event && event.error().slug == "duplicate_message") return file_call(s, channel, call);
  TRY(event);
  filed.event_id = event->id;
  return filed;
}

Result<Filed> file_alert_group(const Services& s, const storage::Channel& channel, const channels::AlertGroup& group) {
  if (!channel.requester_id) return fail(Code::failed_precondition, "The channel has no account to raise incidents with.");
  ASSIGN_OR_RETURN(auto actor, s.db.read([&](storage::Connection& c) { return storage::users::active_actor(c, *channel.requester_id); }));
  if (!actor) return fail(Code::failed_precondition, "The channel's account is closed: make the channel again.");
  ASSIGN_OR_RETURN(auto thread, s.db.read([&](storage::Connection& c) {
    return storage::channel_threads::ticket_of(c, channel.id, group.group_key);
  }));
  std::optional<storage::Ticket> open;
  if (thread) {
    ASSIGN_OR_RETURN(open, open_ticket(s, *thread));
  }
  auto now = to_millis(s.clock.now());
  auto subject = channels::incident_subject(group);
  auto logged = [&](Filed f, int status) -> Result<Filed> {
    auto d = new_delivery(s, channel, f.outcome, status, f.reason);
    d.ticket_id = f.ticket_id;
    TRY(log_delivery(s, d));
    return f;
  };

  if (channels::resolved(group)) {
    if (!open) return logged({"ignored", thread, std::nullopt, false, "resolved, and no incident of the group is open"}, 200);
    // Monitoring resolves what it opened: as the system, since the workflow asks staff to take
    // an incident up before resolving it.
    auto resolve = [&] {
      return transition_ticket(s, system_actor(), open->id,
                               {"resolved", "Resolved at the source: every alert of the group is resolved. " + subject, std::nullopt,
                                std::nullopt, std::nullopt});
    };
    auto done = resolve();
    if (!done && done.error().code != Code::not_found) {
      TRY(transition_ticket(s, system_actor(), open->id, {"in_progress", std::nullopt, std::nullopt, std::nullopt, std::nullopt}));
      done = resolve();
    }
    TRY(done);
    return logged({"filed", open->id, std::nullopt, false, "resolved incident " + open->id}, 200);
  }

  auto text = channels::incident_text(group);
  if (open) {
    NewComment again{"Still firing: " + subject + "\n\n" + text, storage::Visibility::public_, nullptr};
    auto event = add_comment(s, *actor, open->id, again, tk::Channel::monitoring);
    TRY(event);
    return logged({"filed", open->id, event->id, false, "the group fired again: added to incident " + open->id}, 200);
  }
  NewTicket incident;
  incident.type = tk::Type::incident;
  incident.subject = subject;
  incident.description = text;
  std::tie(incident.impact, incident.urgency) = channels::impact_urgency(group);
  auto service = channels::service_label(group);
  // The group's conversation is claimed in the incident's own transaction: of two deliveries at
  // once (Alertmanager in a cluster), one opens the incident and the other adds to it.
  incident.write_after = [&](storage::Connection& c, const storage::Ticket& t) -> Result<void> {
    ASSIGN_OR_RETURN(bool begun, storage::channel_threads::begin(c, channel.id, group.group_key, t.id, service, now));
    if (begun) return {};
    ASSIGN_OR_RETURN(auto current, storage::channel_threads::ticket_of(c, channel.id, group.group_key));
    if (current) {
      ASSIGN_OR_RETURN(auto other, storage::ticket_store::find(c, Scope::system(), *current, storage::Lock::for_update));
      if (other && is_open(*other)) return fail(Code::conflict, "The group's incident was opened meanwhile.", "duplicate_message");
    }
    return storage::channel_threads::put(c, channel.id, group.group_key, t.id, service, now);
  };
  auto opened = create_ticket(s, *actor, incident, tk::Channel::monitoring);
  if (!opened && opened.error().slug == "duplicate_message") return file_alert_group(s, channel, group);
  ASSIGN_OR_RETURN(auto created, std::move(opened));
  std::string reason = "opened incident " + created.id;
  if (!service.empty()) {
    ASSIGN_OR_RETURN(auto major, gather_outage(s, channel, service, now));
    if (major) reason += "; one of the open incidents of " + service + " under major incident " + *major;
  }
  return logged({"filed", created.id, std::nullopt, true, reason}, 201);
}

}  // namespace tandem::usecase
