#include "usecase/mail.h"

#include <nlohmann/json.hpp>

#include "core/id.h"
#include "core/log.h"
#include "domain/tickets/workflow.h"
#include "storage/outgoing_mail.h"
#include "storage/settings.h"
#include "storage/tickets.h"
#include "storage/users.h"
#include "usecase/attachments.h"
#include "usecase/tickets.h"

namespace tandem::usecase {
namespace {

namespace tk = ::tandem::tickets;
using identity::Actor;
using storage::Scope;

constexpr std::string_view kKeySetting = "mail:reference_key";
// More mail than this from one person in an hour is a loop (an auto-responder that ignores RFC
// 3834 answering our notifications): the rest of the hour's is kept in the log only.
constexpr std::int64_t kMailsPerSenderHour = 30;

// The log's entry for this mail and how it ended.
storage::ChannelDelivery delivery_of(const Services& s, const storage::Channel& channel, const Filed& f, int status, const std::string& message_id) {
  auto d = new_delivery(s, channel, f.outcome, status, f.reason);
  d.message_id = message_id;
  d.ticket_id = f.ticket_id;
  return d;
}

Result<void> log(const Services& s, const storage::Channel& channel, const Filed& f, int status, const std::string& message_id,
                 std::optional<std::string> payload = std::nullopt) {
  auto d = delivery_of(s, channel, f, status, message_id);
  d.payload = std::move(payload);
  return log_delivery(s, d);
}

// What a person would read of the mail, for the delivery log of one nobody could take.
std::string summary_of(const IncomingMail& m) {
  std::string out = "From: " + m.from_name + " <" + m.from_address + ">\nSubject: " + m.subject + "\nMessage-ID: " + m.message_id + "\n\n";
  out += m.text.size() > 20'000 ? m.text.substr(0, 20'000) + "…" : m.text;
  return out;
}

// The ticket a mail answers: our signed reference first, then the Message-IDs it names.
Result<std::optional<storage::Ticket>> thread_of(const Services& s, const IncomingMail& m) {
  ASSIGN_OR_RETURN(auto key, mail_reference_key(s));
  std::vector<channels::TicketReference> references;
  if (auto r = channels::reference_in_subject(m.subject)) references.push_back(*r);
  for (const auto& address : m.recipients)
    if (auto r = channels::reference_in_address(address)) references.push_back(*r);
  return s.db.read([&](storage::Connection& c) -> Result<std::optional<storage::Ticket>> {
    for (const auto& r : references) {
      ASSIGN_OR_RETURN(auto id, storage::ticket_store::id_of_number(c, r.number));
      if (id && constant_time_equal(channels::reference_signature(key, *id), r.signature))
        return storage::ticket_store::find(c, Scope::system(), *id);
    }
    std::vector<std::string> ids = m.in_reply_to;
    ids.insert(ids.end(), m.references.rbegin(), m.references.rend());  // the newest they name first
    for (const auto& id : ids) {
      ASSIGN_OR_RETURN(auto ticket_id, storage::channel_messages::ticket_of_message(c, id));
      if (!ticket_id) {
        ASSIGN_OR_RETURN(ticket_id, storage::outgoing_mail::ticket_of_message(c, id));  // a reply to our mail
      }
      if (ticket_id) return storage::ticket_store::find(c, Scope::system(), *ticket_id);
    }
    return std::optional<storage::Ticket>();
  });
}

std::vector<std::pair<std::string, std::string>> facts_of(const IncomingMail& m) {
  std::vector<std::pair<std::string, std::string>> facts{{"from", m.from_address}, {"message_id", m.message_id}};
  if (!m.authentication_results.empty()) facts.emplace_back("authentication", m.authentication_results);
  return facts;
}

// The files too large to keep, by name and size: named on the delivery, not kept.
std::vector<std::string> too_large(const IncomingMail& m, std::size_t limit) {
  std::vector<std::string> out;
  for (const auto& f : m.attachments)
    if (f.bytes.size() > limit) out.push_back(f.name + " (" + std::to_string(f.bytes.size()) + " bytes)");
  return out;
}

std::string with_left_out(std::string reason, const std::vector<std::string>& left_out) {
  for (const auto& name : left_out) reason += "; too large to keep: " + name;
  return reason;
}

// Files are added after the message, each on its own. The message is taken by then, so a file
// that cannot be kept is named in the channel's log — never a reason for the MTA to send the
// whole mail again, which would be a repeat.
void attach(const Services& s, const storage::Channel& channel, const Actor& actor, const std::string& ticket_id, const IncomingMail& m,
            std::size_t limit, const std::vector<MailFile>& more) {
  auto keep = [&](const MailFile& f) {
    if (f.bytes.size() > limit) return;
    auto added = add_attachment(s, actor, ticket_id, Upload{f.name, f.bytes, storage::Visibility::public_}, tk::Channel::email);
    if (added) return;
    Filed f_log{"filed", ticket_id, std::nullopt, false, "the file " + f.name + " was not kept: " + added.error().message};
    if (auto logged = log(s, channel, f_log, 200, m.message_id); !logged)
      log_message(LogLevel::error, "mail " + m.message_id + ": " + f_log.reason + " (" + logged.error().message + ")");
  };
  for (const auto& f : m.attachments) keep(f);
  for (const auto& f : more) keep(f);
}

// A text the timeline can hold: the first kTextLimit bytes (cut at a character), and the whole
// as a file beside it when it is longer; "(no text)" for a mail of files alone.
std::pair<std::string, std::vector<MailFile>> bounded(const std::string& text) {
  if (text.empty()) return {"(no text)", {}};
  if (text.size() <= kTextLimit - 100) return {text, {}};
  std::size_t cut = kTextLimit - 100;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return {text.substr(0, cut) + "\n\n[… the whole text is in message.txt]", {{"message.txt", "text/plain", text}}};
}

}  // namespace

Result<std::string> stored_secret(const Services& s, std::string_view setting_name) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    ASSIGN_OR_RETURN(auto setting, s.db.read([&](storage::Connection& c) { return storage::settings::get(c, setting_name); }));
    if (setting.version > 0) {
      auto value = nlohmann::json::parse(setting.value, nullptr, false);
      if (value.is_string()) return value.get<std::string>();
    }
    auto made = s.db.write([&](storage::Connection& c) -> Result<void> {
      storage::Setting fresh{std::string(setting_name), nlohmann::json(random_token(32)).dump(), 1, to_millis(s.clock.now())};
      return storage::settings::put(c, fresh, 0);
    });
    if (!made && made.error().code != Code::failed_precondition) return std::unexpected(made.error());  // another made it: read again
  }
  return fail(Code::unavailable, "A signing key cannot be read.");
}

Result<std::string> mail_reference_key(const Services& s) { return stored_secret(s, kKeySetting); }

Result<storage::Channel> mail_channel(const Services& s, const std::optional<std::string>& channel_id) {
  if (channel_id) {
    ASSIGN_OR_RETURN(auto ch, s.db.read([&](storage::Connection& c) { return storage::channel_store::find(c, *channel_id); }));
    if (!ch || !ch->active || (ch->kind != channels::Kind::email && ch->kind != channels::Kind::imap))
      return fail(Code::not_found, "No active e-mail channel " + *channel_id + ".");
    return *ch;
  }
  return s.db.write([&](storage::Connection& c) -> Result<storage::Channel> {
    ASSIGN_OR_RETURN(auto first, storage::channel_store::first_of_kind(c, channels::Kind::email));
    if (first && !first->active)
      return fail(Code::failed_precondition, "The e-mail channel " + first->id + " is switched off: mail waits with the MTA.");
    if (first) return *first;
    storage::Channel ch;
    auto now = s.clock.now();
    ch.id = new_id("chn", now);
    ch.kind = channels::Kind::email;
    ch.name = "E-mail";
    ch.secret = random_token(32);
    ch.created_at = ch.updated_at = to_millis(now);
    TRY(storage::channel_store::insert(c, ch));
    TRY(record(c, s, system_actor(), {"channel.create", "channel", ch.id, "", std::nullopt, storage::canonical(ch)}));
    return ch;
  });
}

Result<Filed> file_mail(const Services& s, const storage::Channel& channel, const IncomingMail& m, std::size_t attachment_limit) {
  auto now = to_millis(s.clock.now());
  ASSIGN_OR_RETURN(auto seen, s.db.read([&](storage::Connection& c) { return storage::channel_messages::find(c, channel.id, m.message_id); }));
  if (seen) {
    Filed f{"duplicate", seen->ticket_id, seen->event_id, false, "Message-ID " + m.message_id + " was taken before"};
    TRY(log(s, channel, f, 200, m.message_id));
    return f;
  }
  auto automatic = channels::automatic_reason(m.headers, m.from_address, m.content_type);
  // The receiving MTA's verdict: a sender whose domain failed DMARC is not who the From says.
  bool forged = channels::fails_dmarc(m.authentication_results);
  ASSIGN_OR_RETURN(auto ticket, thread_of(s, m));
  auto sender = channels::sender_of(m.from_address);
  if (sender && sender->kind != "email") sender.reset();
  std::optional<std::string> user_id;
  if (sender) {
    // Known already, or not at all: a stranger is added only for a new ticket, below.
    ASSIGN_OR_RETURN(user_id, sender_account(s, channel, *sender, m.from_address, m.from_name, false));
  }
  std::optional<Actor> actor;
  if (user_id) {
    ASSIGN_OR_RETURN(actor, s.db.read([&](storage::Connection& c) { return storage::users::active_actor(c, *user_id); }));
  }
  if (actor && !automatic) {
    ASSIGN_OR_RETURN(auto recent, s.db.read([&](storage::Connection& c) {
      return storage::channel_messages::count_since(c, channel.id, actor->user_id, now - 3'600'000);
    }));
    if (recent >= kMailsPerSenderHour)
      automatic = "more than " + std::to_string(kMailsPerSenderHour) + " mails from " + m.from_address + " in an hour (a loop?)";
  }

  auto remember = [&](storage::Connection& c, const std::string& ticket_id, std::optional<std::string> event_id, const Filed& f,
                      int status) -> Result<void> {
    ASSIGN_OR_RETURN(bool fresh, storage::channel_messages::insert(c, {channel.id, m.message_id, ticket_id, event_id, user_id, now}));
    if (!fresh) return fail(Code::conflict, "The mail was taken meanwhile.", "duplicate_message");
    auto d = delivery_of(s, channel, f, status, m.message_id);
    d.ticket_id = ticket_id;
    return storage::channel_deliveries::insert(c, d);
  };
  auto taken_meanwhile = [&](const Error& e) { return e.slug == "duplicate_message"; };

  // Onto a ticket it answers.
  if (ticket) {
    std::optional<std::string> why_not;
    if (automatic) why_not = "written by a machine: " + *automatic;
    else if (forged) why_not = "the sender's domain failed DMARC: it may not be " + m.from_address;
    else if (!actor) why_not = m.from_address + " is not one of the ticket's people";
    else if (!get_ticket(s, *actor, ticket->id)) why_not = m.from_address + " is not one of the ticket's people";
    auto folded = channels::fold_quoted(m.text);
    auto [body, whole] = bounded(folded.text);
    if (why_not) {
      Filed f{"filed", ticket->id, std::nullopt, false, "recorded on ticket " + ticket->id + ", changing nothing: " + *why_not};
      ForeignMessage message{body, tk::Channel::email, m.from_name.empty() ? m.from_address : m.from_name + " <" + m.from_address + ">",
                             *why_not, facts_of(m), nullptr};
      if (!folded.folded.empty()) message.facts.emplace_back("folded", folded.folded);
      message.write_after = [&](storage::Connection& c, const storage::TicketEvent& e) { return remember(c, ticket->id, e.id, f, 200); };
      auto event = record_foreign_message(s, ticket->id, message);
      if (!event && taken_meanwhile(event.error())) return file_mail(s, channel, m, attachment_limit);
      TRY(event);
      f.event_id = event->id;
      return f;
    }
    Filed f{"filed", ticket->id, std::nullopt, false, with_left_out("added to ticket " + ticket->id, too_large(m, attachment_limit))};
    NewComment comment{body, storage::Visibility::public_, nullptr, facts_of(m)};
    if (!folded.folded.empty()) comment.facts.emplace_back("folded", folded.folded);
    comment.write_after = [&](storage::Connection& c, const storage::Ticket& t, const storage::TicketEvent& e) {
      return remember(c, t.id, e.id, f, 200);
    };
    auto event = add_comment(s, *actor, ticket->id, comment, tk::Channel::email);
    if (!event && taken_meanwhile(event.error())) return file_mail(s, channel, m, attachment_limit);
    TRY(event);
    f.event_id = event->id;
    attach(s, channel, *actor, ticket->id, m, attachment_limit, whole);
    return f;
  }

  if (automatic) {
    Filed f{"ignored", std::nullopt, std::nullopt, false, "written by a machine (" + *automatic + ") and answering no ticket"};
    TRY(log(s, channel, f, 200, m.message_id));
    return f;
  }
  // A new ticket, from someone known — or added to the channel's organisation for strangers.
  if (!actor && !user_id && !forged && sender) {
    ASSIGN_OR_RETURN(user_id, sender_account(s, channel, *sender, m.from_address, m.from_name));
    if (user_id) {
      ASSIGN_OR_RETURN(actor, s.db.read([&](storage::Connection& c) { return storage::users::active_actor(c, *user_id); }));
    }
  }
  if (!actor || forged) {
    Filed f{"unmatched", std::nullopt, std::nullopt, false,
            forged    ? "the sender's domain failed DMARC: it may not be " + m.from_address
            : user_id ? m.from_address + "'s account is closed"
                      : "no user has the address " + m.from_address + " and the channel adds no one"};
    TRY(log(s, channel, f, 202, m.message_id, summary_of(m)));
    return f;
  }
  Filed f{"filed", std::nullopt, std::nullopt, true, with_left_out("opened a new ticket", too_large(m, attachment_limit))};
  NewTicket t;
  auto subject = channels::clean_subject(m.subject);
  t.subject = subject.empty() ? channels::subject_from_text(m.text) : subject.substr(0, 500);
  auto [description, whole] = bounded(m.text);  // a new ticket keeps all of it: what was forwarded is the point
  t.description = description;
  t.facts = facts_of(m);
  t.write_after = [&](storage::Connection& c, const storage::Ticket& created) { return remember(c, created.id, std::nullopt, f, 201); };
  auto created = create_ticket(s, *actor, t, tk::Channel::email);
  if (!created && taken_meanwhile(created.error())) return file_mail(s, channel, m, attachment_limit);
  TRY(created);
  f.ticket_id = created->id;
  attach(s, channel, *actor, created->id, m, attachment_limit, whole);
  return f;
}

}  // namespace tandem::usecase
