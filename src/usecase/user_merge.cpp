#include "usecase/user_merge.h"

#include <algorithm>

#include "storage/chats.h"
#include "storage/ratings.h"
#include "storage/feedback_items.h"
#include "storage/surveys.h"
#include "storage/channels.h"
#include "storage/outgoing_mail.h"
#include "storage/sessions.h"
#include "storage/tickets.h"
#include "usecase/tickets.h"
#include "usecase/validation.h"

namespace tandem::usecase {

Result<MergeOutcome> merge_users(const Services& s, const identity::Actor& actor, std::string_view survivor_id,
                                 std::string_view duplicate_id) {
  TRY(authorize(actor, "user.merge"));
  Problems p;
  if (duplicate_id.empty()) p.add("from_user_id", "is required");
  else if (duplicate_id == survivor_id) p.add("from_user_id", "must be another user than the one kept");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<MergeOutcome> {
    // Both rows locked, in id order, so that merges crossing each other wait instead of
    // interleaving (PostgreSQL; SQLite's writes are one at a time).
    auto [first, second] = std::minmax(survivor_id, duplicate_id);
    for (auto id : {first, second}) TRY(storage::users::credentials_by_id(c, id, storage::Lock::for_update));
    auto scope = storage::Scope::for_actor(actor);
    ASSIGN_OR_RETURN(auto survivor, storage::users::find(c, scope, survivor_id));
    if (!survivor) return fail(Code::not_found, "No such user.");
    ASSIGN_OR_RETURN(auto duplicate, storage::users::find(c, scope, duplicate_id));
    if (!duplicate) {
      p.add("from_user_id", "no such user");
      return fail(p.error());
    }
    if (identity::is_staff(survivor->roles) || identity::is_staff(duplicate->roles))
      p.add("from_user_id", "staff accounts are not merged: deactivate the one not used");
    else if (duplicate->organization_id != survivor->organization_id) p.add("from_user_id", "must be of the same organisation");
    if (p.any()) return fail(p.error());
    if (!survivor->active) return fail(Code::conflict, "The user kept is deactivated: activate it first.", "user_inactive");
    if (!duplicate->active) return fail(Code::conflict, "The duplicate is closed already.", "user_inactive");

    auto now = to_millis(s.clock.now());
    auto before = storage::canonical(*duplicate);
    MergeOutcome out;
    // Tickets: raised by or for the duplicate, or watched by them.
    ASSIGN_OR_RETURN(auto ids, storage::ticket_store::of_person(c, duplicate->id));
    for (const auto& id : ids) {
      ASSIGN_OR_RETURN(auto t, storage::ticket_store::find(c, storage::Scope::system(), id, storage::Lock::for_update));
      if (!t) continue;
      bool theirs = t->requester_id == duplicate->id || t->on_behalf_of == duplicate->id;
      if (theirs) TRY(hand_over_ticket(c, s, actor, id, duplicate->id, survivor->id));
      if (std::ranges::find(t->watchers, duplicate->id) != t->watchers.end()) {
        ASSIGN_OR_RETURN(auto fresh, storage::ticket_store::find(c, storage::Scope::system(), id, storage::Lock::for_update));
        std::erase(fresh->watchers, duplicate->id);
        if (std::ranges::find(fresh->watchers, survivor->id) == fresh->watchers.end()) fresh->watchers.push_back(survivor->id);
        std::ranges::sort(fresh->watchers);
        fresh->version += 1;
        fresh->updated_at = now;
        TRY(storage::ticket_store::update(c, *fresh, false));
        theirs = true;
      }
      out.tickets += theirs;
    }
    // Identities: the duplicate lets go of them first (each is one person's only).
    auto moving = duplicate->identities;
    duplicate->identities.clear();
    duplicate->active = false;
    duplicate->version += 1;
    duplicate->updated_at = now;
    TRY(storage::users::update(c, *duplicate));
    TRY(storage::sessions::revoke_all(c, duplicate->id, ""));
    for (auto& i : moving) {
      bool held = std::ranges::any_of(survivor->identities, [&](const storage::Identity& x) {
        return x.kind == i.kind && x.normalized == i.normalized;
      });
      if (held) continue;
      survivor->identities.push_back(std::move(i));
      out.identities += 1;
    }
    survivor->version += 1;
    survivor->updated_at = now;
    TRY(storage::users::update(c, *survivor));
    TRY(storage::channel_messages::move_sender(c, duplicate->id, survivor->id));
    TRY(storage::outgoing_mail::move_recipient(c, duplicate->id, survivor->id));
    TRY(storage::chats::move_user(c, duplicate->id, survivor->id));
    TRY(storage::ratings::move_user(c, duplicate->id, survivor->id));
    TRY(storage::survey_invitations::move_user(c, duplicate->id, survivor->id));
    TRY(storage::survey_responses::move_user(c, duplicate->id, survivor->id));
    TRY(storage::feedback_items::move_submitter(c, duplicate->id, survivor->id));
    TRY(record(c, s, actor,
               {"user.merged", "user", survivor->id, survivor->organization_id, before,
                storage::canonical(*survivor) + "merged_from=" + duplicate->id + "\ntickets=" + std::to_string(out.tickets) +
                    "\nidentities=" + std::to_string(out.identities) + "\n"}));
    out.user = std::move(*survivor);
    return out;
  });
}

}  // namespace tandem::usecase
