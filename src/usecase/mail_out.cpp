#include "usecase/mail_out.h"

#include <nlohmann/json.hpp>

#include "core/id.h"
#include "domain/channels/mail.h"
#include "domain/channels/notification_mail.h"
#include "storage/broadcasts.h"
#include "storage/definitions.h"
#include "storage/users.h"
#include "usecase/catalog_definitions.h"
#include "usecase/mail.h"
#include "usecase/ratings.h"
#include "usecase/surveys.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using storage::OutgoingMail;
using storage::Scope;

// Long enough for a slow relay to answer; a sender that died is replaced after it.
constexpr std::int64_t kClaimMs = 120'000;
// References name the conversation's newest mails, not all of a long one.
constexpr int kReferences = 10;

std::string domain_of(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string("localhost") : std::string(address.substr(at + 1));
}

// "support@example.com" → "support+t42-1a2b3c4d@example.com": a reply threads by its address
// even when the subject lost the tag.
std::string reply_address(std::string_view from, std::int64_t number, std::string_view signature) {
  auto at = from.rfind('@');
  if (at == std::string_view::npos) return std::string(from);
  return std::string(from.substr(0, at)) + "+t" + std::to_string(number) + "-" + std::string(signature) + std::string(from.substr(at));
}

// What is sent, or why nothing can be.
struct Prepared {
  std::optional<OutgoingMessage> message;
  std::string recipient;
  std::string why_not;
};

// A mail that is no reply in a ticket's conversation (a broadcast, a survey's): to the person,
// in their language, threading nothing.
Prepared unthreaded(const Services& s, const OutgoingMail& m, const storage::User& user, channels::RenderedMail rendered) {
  OutgoingMessage out;
  out.from_address = s.mail_out.from_address;
  out.from_name = s.mail_out.from_name;
  out.to_address = user.email;
  out.to_name = user.name;
  out.subject = std::move(rendered.subject);
  out.text = std::move(rendered.text);
  out.message_id = m.message_id;
  out.language = user.language.starts_with("zh") ? "zh-CN" : "en";
  return Prepared{std::move(out), user.email, ""};
}

// REL-5: a broadcast's mail, in the recipient's language; no reference, no thread.
Result<Prepared> prepare_broadcast(const Services& s, const OutgoingMail& m) {
  return s.db.read([&](storage::Connection& c) -> Result<Prepared> {
    ASSIGN_OR_RETURN(auto b, storage::broadcasts::find(c, *m.broadcast_id));
    ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::system(), m.user_id));
    if (!b) return Prepared{std::nullopt, "", "the broadcast is gone"};
    if (!user || !user->active) return Prepared{std::nullopt, "", "the recipient's account is closed"};
    if (user->email.empty()) return Prepared{std::nullopt, "", "the recipient has no e-mail address"};
    auto title = catalog_definitions::stored_text(nlohmann::json::parse(b->title, nullptr, false));
    auto body = catalog_definitions::stored_text(nlohmann::json::parse(b->body, nullptr, false));
    channels::NotificationFacts facts;
    facts.kind = "broadcast";
    facts.language = user->language;
    facts.recipient_name = user->name;
    facts.subject = std::string(title.in(user->language));
    facts.text = std::string(body.in(user->language));
    if (b->service_id) {
      ASSIGN_OR_RETURN(auto service, storage::definitions::find(c, storage::DefinitionKind::service, *b->service_id));
      if (service) {
        auto definition = nlohmann::json::parse(service->definition, nullptr, false);
        auto name = definition.is_object() ? catalog_definitions::stored_text(definition.value("name", nlohmann::json::object()))
                                           : catalog::LocalizedText();
        facts.author = name.empty() ? service->name : std::string(name.in(user->language));
      }
    }
    if (facts.author.empty()) facts.author = s.mail_out.from_name.empty() ? "Tandem" : s.mail_out.from_name;
    if (!s.mail_out.public_url.empty()) facts.link = s.mail_out.public_url + "/notifications";
    return unthreaded(s, m, *user, channels::render_notification(facts));
  });
}

// FDB-1: a survey's invitation or reminder, in the recipient's language; no thread. Nothing goes
// once the person answered, or the survey closed, before the mail did.
Result<Prepared> prepare_survey(const Services& s, const OutgoingMail& m) {
  return s.db.read([&](storage::Connection& c) -> Result<Prepared> {
    ASSIGN_OR_RETURN(auto survey, storage::surveys::find(c, *m.survey_id));
    ASSIGN_OR_RETURN(auto invitation, storage::survey_invitations::find(c, *m.survey_id, m.user_id));
    ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::system(), m.user_id));
    if (!survey || !invitation) return Prepared{std::nullopt, "", "the survey or the invitation is gone"};
    if (invitation->answered_on) return Prepared{std::nullopt, "", "the person answered the survey"};
    if (survey_state(*survey, to_millis(s.clock.now())) != feedback::SurveyState::open)
      return Prepared{std::nullopt, "", "the survey is not open"};
    if (!user || !user->active || user->left_at) return Prepared{std::nullopt, "", "the recipient's account is closed"};
    // Asked as one organisation's person, answered only as one: one who moved is not asked.
    if (user->organization_id != invitation->organization_id) return Prepared{std::nullopt, "", "the recipient moved organisation"};
    if (user->email.empty()) return Prepared{std::nullopt, "", "the recipient has no e-mail address"};
    channels::NotificationFacts facts;
    facts.kind = m.kind;
    facts.language = user->language;
    facts.recipient_name = user->name;
    facts.subject = std::string(catalog_definitions::stored_text(nlohmann::json::parse(survey->title, nullptr, false)).in(user->language));
    facts.text = std::string(catalog_definitions::stored_text(nlohmann::json::parse(survey->intro, nullptr, false)).in(user->language));
    facts.author = s.mail_out.from_name.empty() ? "Tandem" : s.mail_out.from_name;
    if (!s.mail_out.public_url.empty()) facts.link = s.mail_out.public_url + "/surveys/" + survey->id;
    return unthreaded(s, m, *user, channels::render_notification(facts));
  });
}

Result<Prepared> prepare(const Services& s, const OutgoingMail& m) {
  if (m.broadcast_id) return prepare_broadcast(s, m);
  if (m.survey_id) return prepare_survey(s, m);
  ASSIGN_OR_RETURN(auto key, mail_reference_key(s));
  std::optional<std::string> rating_key;  // read before the mail's read: it may be made on first use
  if (m.kind == "status_changed" && !s.mail_out.public_url.empty()) {
    ASSIGN_OR_RETURN(rating_key, rating_link_key(s));
  }
  return s.db.read([&](storage::Connection& c) -> Result<Prepared> {
    ASSIGN_OR_RETURN(auto ticket, storage::ticket_store::find(c, Scope::system(), m.ticket_id));
    ASSIGN_OR_RETURN(auto event, storage::outgoing_mail::event_of(c, m));
    ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::system(), m.user_id));
    if (!ticket || !event) return Prepared{std::nullopt, "", "the ticket or its change is gone"};
    if (!user || !user->active) return Prepared{std::nullopt, "", "the recipient's account is closed"};
    if (user->email.empty()) return Prepared{std::nullopt, "", "the recipient has no e-mail address"};
    ASSIGN_OR_RETURN(auto author, storage::users::find(c, Scope::system(), event->actor_id));
    ASSIGN_OR_RETURN(auto references, storage::outgoing_mail::thread_ids(c, m.ticket_id, m.user_id, m.created_at, kReferences));

    auto signature = channels::reference_signature(key, ticket->id);
    channels::NotificationFacts facts;
    facts.kind = m.kind;
    facts.language = user->language;
    facts.recipient_name = user->name;
    facts.number = ticket->number;
    facts.subject = ticket->subject;
    facts.reference_tag = channels::subject_tag(ticket->number, signature);
    facts.author = author ? author->name : "";
    facts.text = m.kind == "created" ? "" : event->body;
    auto data = nlohmann::json::parse(event->data, nullptr, false);
    if (data.is_object()) facts.status = data.value("to", "");
    if (!s.mail_out.public_url.empty()) facts.link = s.mail_out.public_url + "/tickets/" + ticket->id;
    // FDB-1: the person a resolved ticket served is asked to rate it, in one click.
    bool served = user->id == ticket->requester_id || user->id == ticket->affected_user_id();
    if (rating_key && ticket->resolved_at && served && data.is_object() &&
        data.value("to", "") == ticket->status) {
      facts.rating_link = s.mail_out.public_url + "/r/" + rating_link_token(s, *rating_key, ticket->id, user->id);
    }
    auto rendered = channels::render_notification(facts);

    OutgoingMessage out;
    out.from_address = s.mail_out.from_address;
    out.from_name = s.mail_out.from_name;
    out.to_address = user->email;
    out.to_name = user->name;
    out.reply_to = reply_address(s.mail_out.from_address, ticket->number, signature);
    out.subject = std::move(rendered.subject);
    out.text = std::move(rendered.text);
    out.message_id = m.message_id;
    out.references = std::move(references);
    out.language = user->language.starts_with("zh") ? "zh-CN" : "en";
    // RFC 3834: a receipt answers the person's mail; the rest is made by the desk on its own.
    out.auto_submitted = m.kind == "created" ? "auto-replied" : "auto-generated";
    return Prepared{std::move(out), user->email, ""};
  });
}

enum class Attempt { settled_meanwhile, sent, retrying, given_up, dropped };

// Records what became of one claimed mail, unless its claim lapsed and another sender has it.
Result<Attempt> record_attempt(const Services& s, const OutgoingMail& claimed, const Prepared& prepared, const SendOutcome& outcome) {
  return s.db.write([&](storage::Connection& c) -> Result<Attempt> {
    ASSIGN_OR_RETURN(auto locked, storage::outgoing_mail::find(c, claimed.id, storage::Lock::for_update));
    if (!locked || locked->state != "queued" || locked->claimed_until != claimed.claimed_until) return Attempt::settled_meanwhile;
    auto& m = *locked;
    auto now = to_millis(s.clock.now());
    m.claimed_until = 0;
    m.recipient = prepared.recipient;
    if (!prepared.message) {
      m.state = "failed";
      m.next_at.reset();
      m.last_error = prepared.why_not;
      TRY(storage::outgoing_mail::update(c, m));
      return Attempt::dropped;
    }
    m.attempts += 1;
    if (outcome.kind == SendOutcome::Kind::sent) {
      m.state = "sent";
      m.sent_at = now;
      m.next_at.reset();
      m.last_error.clear();
      TRY(storage::outgoing_mail::update(c, m));
      return Attempt::sent;
    }
    m.last_error = outcome.error;
    auto delay = outcome.kind == SendOutcome::Kind::temporary ? channels::mail_retry_delay_ms(int(m.attempts)) : std::nullopt;
    if (delay) {
      m.next_at = now + *delay;
      TRY(storage::outgoing_mail::update(c, m));
      return Attempt::retrying;
    }
    m.state = "failed";
    m.next_at.reset();
    TRY(storage::outgoing_mail::update(c, m));
    return Attempt::given_up;
  });
}

}  // namespace

Result<void> queue_mail(storage::Connection& c, const Services& s, const storage::Ticket& ticket, const storage::TicketEvent& event,
                        const std::string& user_id, const std::string& kind) {
  if (!s.mail_out.enabled) return {};
  OutgoingMail m;
  auto now = s.clock.now();
  m.id = new_id("mal", now);
  m.ticket_id = ticket.id;
  m.event_id = event.id;
  m.user_id = user_id;
  m.organization_id = ticket.organization_id;
  m.kind = kind;
  m.message_id = m.id + "@" + domain_of(s.mail_out.from_address);
  m.next_at = to_millis(now);
  m.created_at = to_millis(now);
  return storage::outgoing_mail::insert(c, m);
}

namespace {

// Queues a mail about `subject_id` (a broadcast's, a survey's) to `user_id`, due now.
Result<int> queue_unthreaded(storage::Connection& c, const Services& s, OutgoingMail m, std::string_view subject_id,
                             const std::string& user_id, const std::string& organization_id, std::string_view kind) {
  if (!s.mail_out.enabled) return 0;
  auto now = s.clock.now();
  m.id = new_id("mal", now);
  m.event_id = std::string(subject_id);
  m.user_id = user_id;
  m.organization_id = organization_id;
  m.kind = std::string(kind);
  m.message_id = m.id + "@" + domain_of(s.mail_out.from_address);
  m.next_at = to_millis(now);
  m.created_at = to_millis(now);
  TRY(storage::outgoing_mail::insert(c, m));
  return 1;
}

}  // namespace

Result<int> queue_broadcast_mail(storage::Connection& c, const Services& s, std::string_view broadcast_id, const std::string& user_id,
                                 const std::string& organization_id) {
  OutgoingMail m;
  m.broadcast_id = std::string(broadcast_id);
  return queue_unthreaded(c, s, std::move(m), broadcast_id, user_id, organization_id, "broadcast");
}

Result<int> queue_survey_mail(storage::Connection& c, const Services& s, std::string_view survey_id, const std::string& user_id,
                              const std::string& organization_id, std::string_view kind) {
  OutgoingMail m;
  m.survey_id = std::string(survey_id);
  return queue_unthreaded(c, s, std::move(m), survey_id, user_id, organization_id, kind);
}

Result<MailRun> send_outgoing_mail(const Services& s, MailSender& sender, int limit, const std::function<bool()>& stopping) {
  MailRun run;
  // One at a time: each is claimed just before it goes, so no claim lapses while others wait.
  for (int i = 0; i < limit && !(stopping && stopping()); ++i) {
    auto now = to_millis(s.clock.now());
    ASSIGN_OR_RETURN(auto due, s.db.write([&](storage::Connection& c) { return storage::outgoing_mail::claim_due(c, now, now + kClaimMs, 1); }));
    if (due.empty()) break;
    const auto& claimed = due.front();
    ASSIGN_OR_RETURN(auto prepared, prepare(s, claimed));
    SendOutcome outcome;
    if (prepared.message) outcome = sender.send(*prepared.message);
    ASSIGN_OR_RETURN(auto attempt, record_attempt(s, claimed, prepared, outcome));
    run.sent += attempt == Attempt::sent;
    run.failed += attempt == Attempt::retrying;
    run.given_up += attempt == Attempt::given_up;
    run.dropped += attempt == Attempt::dropped;
  }
  return run;
}

Result<storage::Page<OutgoingMail>> list_outgoing_mail(const Services& s, const identity::Actor& actor, const std::string& state,
                                                       const std::string& ticket_id, const storage::PageRequest& page) {
  TRY(authorize(actor, "channel.manage"));
  if (!state.empty() && state != "queued" && state != "sent" && state != "failed") {
    Problems p;
    p.add("state", "one of queued, sent, failed");
    return fail(p.error());
  }
  return s.db.read([&](storage::Connection& c) { return storage::outgoing_mail::list(c, state, ticket_id, page); });
}

Result<OutgoingMail> retry_outgoing_mail(const Services& s, const identity::Actor& actor, std::string_view id) {
  TRY(authorize(actor, "channel.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<OutgoingMail> {
    ASSIGN_OR_RETURN(auto m, storage::outgoing_mail::find(c, id, storage::Lock::for_update));
    if (!m) return fail(Code::not_found, "No such mail.");
    if (m->state != "failed") return fail(Code::conflict, "Only a failed mail is sent again; this one is " + m->state + ".");
    auto before = "outgoing_mail\nstate=" + m->state + "\n";
    m->state = "queued";
    m->attempts = 0;
    m->claimed_until = 0;
    m->next_at = to_millis(s.clock.now());
    TRY(storage::outgoing_mail::update(c, *m));
    TRY(record(c, s, actor, {"outgoing_mail.retry", "outgoing_mail", m->id, m->organization_id, before, "outgoing_mail\nstate=queued\n"}));
    return *m;
  });
}

}  // namespace tandem::usecase
