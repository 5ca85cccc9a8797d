#include "usecase/you_said.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "core/id.h"
#include "domain/tickets/attachment.h"
#include "storage/organizations.h"
#include "storage/surveys.h"
#include "storage/tickets.h"
#include "storage/users.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using identity::Actor;
using storage::Scope;

constexpr std::size_t kTextLimit = 2000;
constexpr std::array<std::string_view, 5> kSources = {"portal", "survey", "comment", "complaint", "community"};

void check_text(Problems& p, const char* field, const std::string& text, bool required) {
  if (!tickets::valid_utf8(text)) p.add(field, "must be UTF-8 text");
  else if (required && trimmed(text).empty()) p.add(field, "is required: what you would like us to change");
  else if (tickets::utf8_length(text) > kTextLimit) p.add(field, "must be at most 2000 characters");
}

// "Faster replies on weekends…": the item as its giver recognises it in a notification.
std::string excerpt(std::string_view text) {
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++n > 40) return out + "…";
    out += text[i];
  }
  return out;
}

std::string_view status_words(std::string_view status, bool zh) {
  if (status == "accepted") return zh ? "已采纳" : "accepted";
  if (status == "in_progress") return zh ? "正在进行" : "in progress";
  if (status == "done") return zh ? "已完成" : "done";
  if (status == "rejected") return zh ? "不予实施" : "not going ahead";
  return zh ? "已提议" : "proposed";
}

Result<void> tell(storage::Connection& c, const Services& s, const storage::FeedbackItem& item, std::string kind,
                  const std::function<std::string(bool zh)>& summary) {
  if (!item.submitter_id) return {};
  ASSIGN_OR_RETURN(auto person, storage::users::find(c, Scope::system(), *item.submitter_id));
  if (!person || !person->active || person->left_at || person->organization_id != item.organization_id) return {};
  storage::Notification n;
  n.id = new_id("ntf", s.clock.now());
  n.user_id = person->id;
  n.event_id = item.id;
  n.kind = std::move(kind);
  n.summary = summary(person->language.starts_with("zh"));
  n.created_at = to_millis(s.clock.now());
  n.feedback_id = item.id;
  return storage::notifications::insert(c, n);
}

}  // namespace

Result<storage::FeedbackItem> give_feedback(const Services& s, const Actor& actor, const FeedbackInput& in) {
  TRY(authorize(actor, "feedback.give"));
  Problems p;
  check_text(p, "text", in.text, true);
  auto source = in.source.value_or("portal");
  if (std::ranges::find(kSources, source) == kSources.end()) p.add("source", "allowed: portal, survey, comment, complaint, community");
  if (in.source_id && (in.source_id->empty() || in.source_id->size() > 100)) p.add("source_id", "must be an id");
  bool staff = actor.staff();
  if (!staff && (in.organization_id || in.submitter_id))
    p.add(in.organization_id ? "organization_id" : "submitter_id", "is for staff who take feedback down for someone");
  // People say it in the portal; where else it came from is staff's to record.
  if (!staff && (source != "portal" || in.source_id)) p.add(in.source_id ? "source_id" : "source", "is for staff who take feedback down");
  if (staff && !in.organization_id) p.add("organization_id", "is required: the organisation the feedback is from");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::FeedbackItem> {
    auto scope = Scope::for_actor(actor);
    storage::FeedbackItem f;
    f.organization_id = staff ? *in.organization_id : actor.organization_id;
    f.submitter_id = staff ? in.submitter_id : std::optional<std::string>(actor.user_id);
    if (staff) {
      ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, scope, f.organization_id));
      if (!org || org->kind != identity::OrganizationKind::consumer) p.add("organization_id", "no such customer organisation");
      if (f.submitter_id) {
        ASSIGN_OR_RETURN(auto person, storage::users::find(c, scope, *f.submitter_id));
        if (!person || person->organization_id != f.organization_id) p.add("submitter_id", "no such person of the organisation");
      }
    }
    // A ticket it came from must be one the giver reads, of the organisation.
    if (in.source_id && (source == "comment" || source == "complaint")) {
      ASSIGN_OR_RETURN(auto t, storage::ticket_store::find(c, scope, *in.source_id));
      if (!t || t->organization_id != f.organization_id) p.add("source_id", "no such ticket of the organisation");
    } else if (in.source_id && source == "survey") {
      ASSIGN_OR_RETURN(auto survey, storage::surveys::find(c, *in.source_id));
      bool concerns = survey && (survey->organization_ids.empty() ||
                                 std::ranges::find(survey->organization_ids, f.organization_id) != survey->organization_ids.end());
      if (!concerns) p.add("source_id", "no such survey of the organisation");
    }
    if (p.any()) return fail(p.error());
    f.id = new_id("fbk", s.clock.now());
    f.source = source;
    f.source_id = in.source_id;
    f.text = trimmed(in.text);
    f.created_by = actor.user_id;
    f.created_at = f.updated_at = to_millis(s.clock.now());
    TRY(storage::feedback_items::insert(c, f));
    TRY(record(c, s, actor, {"feedback.create", "feedback", f.id, f.organization_id, std::nullopt, canonical(f)}));
    return f;
  });
}

Result<storage::FeedbackWithImprovement> update_feedback(const Services& s, const Actor& actor, std::string_view id,
                                                        std::int64_t expected_version, const FeedbackPatch& patch) {
  TRY(authorize(actor, "feedback.manage"));
  Problems p;
  if (patch.status && *patch.status != "new" && *patch.status != "declined")
    p.add("status", "allowed: new, declined (an item is linked by giving its improvement_id)");
  if (patch.status && patch.improvement_id && *patch.improvement_id)
    p.add("status", "an item linked to an improvement is linked: leave status out");
  if (patch.public_note) check_text(p, "public_note", *patch.public_note, false);
  if (patch.status == "declined" && trimmed(patch.public_note.value_or("")).empty())
    p.add("public_note", "is required to decline: why, in words the person reads");
  if (!patch.improvement_id && !patch.status && !patch.public_note) p.add("body", "changes nothing: give improvement_id, status or public_note");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::FeedbackWithImprovement> {
    ASSIGN_OR_RETURN(auto found, storage::feedback_items::find(c, Scope::for_actor(actor), id, storage::Lock::for_update));
    if (!found) return fail(Code::not_found, "No such feedback.");
    auto f = std::move(*found);
    if (f.version != expected_version) return fail(Code::failed_precondition, "The feedback changed since you read it.", "version_mismatch");
    auto before = canonical(f);
    auto old_improvement = f.improvement_id;
    auto old_status = f.status;
    std::optional<storage::Improvement> improvement;
    if (patch.improvement_id) {
      if (*patch.improvement_id) {
        ASSIGN_OR_RETURN(improvement, storage::improvements::find(c, **patch.improvement_id));
        if (!improvement) {
          p.add("improvement_id", "no such improvement");
          return fail(p.error());
        }
        f.improvement_id = improvement->id;
        f.status = "linked";
      } else {
        f.improvement_id.reset();
        f.status = "new";
      }
    }
    if (patch.status) {
      f.status = *patch.status;
      f.improvement_id.reset();
    }
    if (patch.public_note) f.public_note = trimmed(*patch.public_note);
    f.version += 1;
    f.updated_at = to_millis(s.clock.now());
    TRY(storage::feedback_items::update(c, f));
    TRY(record(c, s, actor, {"feedback.update", "feedback", f.id, f.organization_id, before, canonical(f)}));
    // The giver hears when it is linked (to another improvement too) and when it is declined.
    auto said = excerpt(f.text);
    if (improvement && f.improvement_id != old_improvement)
      TRY(tell(c, s, f, "feedback_linked", [&](bool zh) {
        return zh ? fmt::format("您的意见“{}”已纳入一项改进，目前{}。{}", said, status_words(improvement->status, true), f.public_note)
                  : fmt::format("Your feedback “{}” is now part of an improvement, {}. {}", said, status_words(improvement->status, false),
                                f.public_note);
      }));
    else if (f.status == "declined" && old_status != "declined")
      TRY(tell(c, s, f, "feedback_declined", [&](bool zh) {
        return zh ? fmt::format("您的意见“{}”暂不采纳。{}", said, f.public_note) : fmt::format("We will not act on your feedback “{}”. {}", said, f.public_note);
      }));
    storage::FeedbackWithImprovement out{f, std::nullopt, std::nullopt};
    if (f.improvement_id) {
      if (!improvement) {
        ASSIGN_OR_RETURN(improvement, storage::improvements::find(c, *f.improvement_id));
      }
      if (improvement) out.improvement_title = improvement->title, out.improvement_status = improvement->status;
    }
    return out;
  });
}

Result<storage::Page<storage::FeedbackWithImprovement>> list_feedback(const Services& s, const Actor& actor, storage::FeedbackFilter filter,
                                                                      const storage::PageRequest& page) {
  TRY(authorize(actor, "feedback.give"));
  if (!actor.staff()) filter.own_or_linked_for = actor.user_id;
  return s.db.read([&](storage::Connection& c) { return storage::feedback_items::list(c, Scope::for_actor(actor), filter, page); });
}

Result<void> tell_feedback_givers(storage::Connection& c, const Services& s, const storage::Improvement& improvement) {
  ASSIGN_OR_RETURN(auto items, storage::feedback_items::of_improvement(c, improvement.id));
  for (const auto& f : items) {
    if (f.status != "linked") continue;
    auto said = excerpt(f.text);
    TRY(tell(c, s, f, "feedback_progress", [&](bool zh) {
      return zh ? fmt::format("您提出的“{}”：相关改进现在{}。", said, status_words(improvement.status, true))
                : fmt::format("You said “{}”: what we are doing about it is now {}.", said, status_words(improvement.status, false));
    }));
  }
  return {};
}

}  // namespace tandem::usecase
