#include "usecase/ratings.h"

#include <algorithm>

#include "core/id.h"
#include "domain/tickets/attachment.h"
#include "domain/community/community.h"
#include "domain/feedback/feedback.h"
#include "storage/users.h"
#include "usecase/community.h"
#include "usecase/mail.h"
#include "usecase/ticket_draft.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using drafting::Json;
using drafting::TimelineDraft;
using drafting::write_publishing;
using identity::Actor;
using storage::Scope;
namespace tk = ::tandem::tickets;

constexpr std::string_view kLinkKeySetting = "feedback:rating_link_key";
constexpr std::size_t kCommentLimit = 2000;
// A score this low is a moment of truth (DESK-8).
constexpr std::int64_t kLowScore = 2;

bool served_by(const storage::Ticket& t, std::string_view user_id) { return user_id == t.requester_id || user_id == t.affected_user_id(); }

Result<void> check_input(const RatingInput& in) {
  Problems p;
  if (!in.score || *in.score < 1 || *in.score > 5) p.add("score", "is required: a whole number from 1 to 5");
  if (in.touchpoint != "resolution" && in.touchpoint != "first_response") p.add("touchpoint", "allowed: resolution, first_response");
  if (!tk::valid_utf8(in.comment)) p.add("comment", "must be UTF-8 text");  // a form's bytes are not checked on the way in
  else if (tk::utf8_length(in.comment) > kCommentLimit) p.add("comment", "must be at most 2000 characters");
  if (p.any()) return fail(p.error());
  return {};
}

// Writes the rating of `actor` (whom the ticket served) in one transaction with its timeline
// entry, the recovery task of a low score and the audit entry.
Result<Rated> write_rating(const Services& s, const Actor& actor, const Scope& scope, const RatingInput& in, std::string via,
                           const std::optional<std::string>& nonce) {
  TRY(check_input(in));
  return write_publishing(s, [&](storage::Connection& c, drafting::Outbox& outbox) -> Result<Rated> {
    ASSIGN_OR_RETURN(auto found, storage::ticket_store::find(c, scope, in.ticket_id, storage::Lock::for_update));
    if (!found) return fail(Code::not_found, "No such ticket.");
    auto t = std::move(*found);
    if (!served_by(t, actor.user_id)) return fail(Code::permission_denied, "Only the person this ticket served may rate it.", "not_served");
    // DESK-8: each touchpoint is rated once it has happened — the desk's first answer, the resolution.
    if (in.touchpoint == "first_response") {
      ASSIGN_OR_RETURN(auto answered, storage::ratings::first_public_reply_at(c, t.id));
      if (!answered) return fail(Code::conflict, "The first answer can be rated once the desk has answered.", "not_answered");
    } else if (!t.resolved_at) {
      return fail(Code::conflict, "This ticket can be rated once it is resolved.", "not_resolved");
    }
    if (nonce) {  // used up with the rating, or not at all
      ASSIGN_OR_RETURN(bool fresh, storage::ratings::use_link(c, *nonce, in.ticket_id, to_millis(s.clock.now())));
      if (!fresh) return fail(Code::failed_precondition, "This rating link has been used.", "link_used");
    }
    auto now = to_millis(s.clock.now());
    ASSIGN_OR_RETURN(auto existing, storage::ratings::find(c, t.id, in.touchpoint, actor.user_id, storage::Lock::for_update));
    Rated out;
    out.created = !existing;
    std::optional<std::string> before;
    if (existing) {
      before = canonical(*existing);
      out.rating = std::move(*existing);
      out.rating.version += 1;
    } else {
      out.rating.id = new_id("rat", s.clock.now());
      out.rating.ticket_id = t.id;
      out.rating.touchpoint = in.touchpoint;
      out.rating.user_id = actor.user_id;
      out.rating.organization_id = t.organization_id;
      out.rating.created_at = now;
      // The agent who had the ticket when it was first rated is the one rated, however it moves.
      out.rating.agent_id = t.assignee_id;
    }
    auto& r = out.rating;
    r.score = *in.score;
    r.comment = trimmed(in.comment);
    r.service_id = t.service_id;
    r.team_id = t.team_id;
    r.channel = std::string(tk::to_string(t.channel));
    r.via = std::move(via);
    r.updated_at = now;

    TimelineDraft draft(s, actor, t, tk::Channel::portal, outbox);
    draft.add("rated", storage::Visibility::internal, r.comment, Json{{"score", r.score}, {"touchpoint", r.touchpoint}});
    std::optional<storage::RecoveryTask> recovery;
    if (r.score <= kLowScore) {
      ASSIGN_OR_RETURN(recovery, drafting::recovery_task_for(c, s, t, "rating_low", draft));
    }
    TRY(storage::ticket_store::touch(c, t));
    if (out.created) TRY(storage::ratings::insert(c, r));
    else TRY(storage::ratings::update(c, r));
    if (recovery) TRY(storage::recovery_tasks::insert(c, *recovery));
    // FDB-3: the agent earns points for a good rating (by the rules); a rating changed takes back
    // what it gave first.
    if (r.agent_id && *r.agent_id != actor.user_id)
      TRY(credit_points(c, s, *r.agent_id, community::rating_reason(r.score), r.id, actor.user_id));
    TRY(draft.append_all(c));
    TRY(record(c, s, actor, {out.created ? "rating.create" : "rating.update", "rating", r.id, r.organization_id, before, canonical(r)}));
    return out;
  });
}

Result<feedback::RatingLink> read_link(const Services& s, std::string_view token) {
  ASSIGN_OR_RETURN(auto key, rating_link_key(s));
  return feedback::read_rating_link(key, token, to_millis(s.clock.now()));
}

}  // namespace

Result<Rated> rate_ticket(const Services& s, const Actor& actor, const RatingInput& in) {
  TRY(authorize(actor, "ticket.read"));
  return write_rating(s, actor, Scope::for_actor(actor), in, "portal", std::nullopt);
}

Result<storage::Page<storage::Rating>> list_ratings(const Services& s, const Actor& actor, const storage::RatingFilter& filter,
                                                    const storage::PageRequest& page) {
  TRY(authorize(actor, "ticket.read"));
  return s.db.read([&](storage::Connection& c) { return storage::ratings::list(c, Scope::for_actor(actor), filter, page); });
}

Result<std::string> rating_link_key(const Services& s) { return stored_secret(s, kLinkKeySetting); }

std::string rating_link_token(const Services& s, std::string_view key, std::string_view ticket_id, std::string_view user_id) {
  feedback::RatingLink link{std::string(ticket_id), std::string(user_id),
                            to_millis(s.clock.now()) + kRatingLinkDays * 24 * 3'600'000, random_token(12)};
  return feedback::sign_rating_link(key, link);
}

Result<RatingLinkPage> open_rating_link(const Services& s, std::string_view token) {
  ASSIGN_OR_RETURN(auto link, read_link(s, token));
  return s.db.read([&](storage::Connection& c) -> Result<RatingLinkPage> {
    ASSIGN_OR_RETURN(bool used, storage::ratings::link_used(c, link.nonce));
    if (used) return fail(Code::failed_precondition, "This rating link has been used.", "link_used");
    // The signature vouches for who may rate which ticket: the reads need no narrower scope.
    ASSIGN_OR_RETURN(auto t, storage::ticket_store::find(c, Scope::system(), link.ticket_id));
    ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::system(), link.user_id));
    // The person may have moved to another organisation since the mail, or the ticket to another
    // person: the link then shows nothing of it.
    if (!t || !user || !user->active || user->organization_id != t->organization_id || !served_by(*t, user->id))
      return fail(Code::not_found, "This ticket or its person is gone.");
    ASSIGN_OR_RETURN(auto existing, storage::ratings::find(c, t->id, "resolution", user->id));
    RatingLinkPage page{t->id, t->number, t->subject, user->name, user->language, std::nullopt};
    if (existing) page.score = existing->score;
    return page;
  });
}

Result<Rated> rate_by_link(const Services& s, std::string_view token, std::optional<std::int64_t> score, const std::string& comment) {
  ASSIGN_OR_RETURN(auto link, read_link(s, token));
  ASSIGN_OR_RETURN(auto user, s.db.read([&](storage::Connection& c) { return storage::users::find(c, Scope::system(), link.user_id); }));
  if (!user || !user->active) return fail(Code::not_found, "This ticket or its person is gone.");
  Actor actor{user->id, user->organization_id, user->roles, user->represented_user_ids, user->language};
  RatingInput in{link.ticket_id, "resolution", score, comment};
  return write_rating(s, actor, Scope::for_actor(actor), in, "link", link.nonce);
}

}  // namespace tandem::usecase
