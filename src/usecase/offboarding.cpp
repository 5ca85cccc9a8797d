#include "usecase/offboarding.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include <set>

#include "core/id.h"
#include "core/log.h"
#include "domain/offboarding/offboarding.h"
#include "domain/tickets/workflow.h"
#include "storage/assets.h"
#include "storage/definitions.h"
#include "storage/erasure.h"
#include "storage/organizations.h"
#include "storage/sessions.h"
#include "storage/settings.h"
#include "storage/subscriptions.h"
#include "storage/ticket_requests.h"
#include "storage/tickets.h"
#include "storage/training_attempts.h"
#include "storage/user_groups.h"
#include "storage/users.h"
#include "usecase/attachments.h"
#include "usecase/catalog_definitions.h"
#include "usecase/offerings.h"
#include "usecase/retention.h"
#include "usecase/settlement.h"
#include "usecase/tickets.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using Json = nlohmann::json;
using storage::Scope;
namespace ob = ::tandem::offboarding;

constexpr std::string_view kSecretSetting = "member_pseudonym_secret";

Json steps_json(const std::vector<ob::Step>& steps) {
  Json out = Json::array();
  for (const auto& s : steps) {
    Json j = {{"key", s.key}, {"status", ob::to_string(s.status)}};
    if (s.done_at) j["done_at"] = *s.done_at;
    if (!s.done_by.empty()) j["done_by"] = s.done_by;
    if (!s.note.empty()) j["note"] = s.note;
    out.push_back(std::move(j));
  }
  return out;
}

std::vector<ob::Step> steps_of(const storage::Offboarding& o) {
  std::vector<ob::Step> out;
  for (const auto& j : Json::parse(o.steps)) {
    ob::Step s;
    s.key = j.at("key").get<std::string>();
    s.status = ob::parse_step_status(j.at("status").get<std::string>()).value_or(ob::StepStatus::pending);
    if (j.contains("done_at")) s.done_at = j["done_at"].get<std::int64_t>();
    s.done_by = j.value("done_by", "");
    s.note = j.value("note", "");
    out.push_back(std::move(s));
  }
  return out;
}

ob::Step& step(std::vector<ob::Step>& steps, std::string_view key) {
  for (auto& s : steps)
    if (s.key == key) return s;
  throw std::logic_error("no step " + std::string(key));  // the domain's list has every key used here
}

void mark_done(std::vector<ob::Step>& steps, std::string_view key, const identity::Actor& actor, std::int64_t at, std::string note) {
  auto& s = step(steps, key);
  s.status = ob::StepStatus::done;
  s.done_at = at;
  s.done_by = actor.user_id;
  s.note = std::move(note);
}

std::string day_of(std::int64_t ms) { return to_rfc3339(from_millis(ms)).substr(0, 10); }

// The words the person is told, in their language (ONB-11).
std::string farewell(const std::string& language, std::int64_t effective_at) {
  if (language == "zh-CN") return "您对本服务的访问将于 " + day_of(effective_at) + " 结束。您未完成的工单将转交给贵组织的联系人。";
  return "Your access to the service ends on " + day_of(effective_at) + ". Your open tickets will be handed to your organisation's contact.";
}

std::string thanks(const std::string& language) {
  if (language == "zh-CN") return "感谢您一直以来的信任与合作，期待再次为您服务。";
  return "Thank you for working with us. You are welcome back at any time.";
}

bool is_open(const storage::Ticket& t) {
  auto category = tickets::Workflows::builtin().of(t.type).category_of(t.status);
  return category && (*category == tickets::StateCategory::open || *category == tickets::StateCategory::waiting);
}

// The person's open tickets (raised by them or for them), in id order.
Result<std::vector<storage::Ticket>> open_work(storage::Connection& c, const std::string& user_id) {
  ASSIGN_OR_RETURN(auto ids, storage::ticket_store::of_person(c, user_id));
  std::vector<storage::Ticket> out;
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(auto t, storage::ticket_store::find(c, Scope::system(), id));
    if (t && is_open(*t) && (t->requester_id == user_id || t->on_behalf_of == user_id)) out.push_back(std::move(*t));
  }
  return out;
}

// A member of staff's open tickets assigned to them, in id order.
Result<std::vector<storage::Ticket>> assigned_work(storage::Connection& c, const std::string& user_id) {
  std::vector<storage::Ticket> out;
  storage::TicketFilter filter;
  filter.assignee_id = user_id;
  storage::PageRequest page{500, ""};
  for (;;) {
    ASSIGN_OR_RETURN(auto batch, storage::ticket_store::list(c, Scope::system(), filter, page));
    for (auto& t : batch.items)
      if (is_open(t)) out.push_back(std::move(t));
    if (!batch.next_after) return out;
    page.after = *batch.next_after;
  }
}

Json ids_of(const auto& items) {
  Json out = Json::array();
  for (const auto& i : items) out.push_back(i.id);
  return out;
}

// Sessions, tokens and subscriptions end; the account is deactivated (the browser's next call
// gets 401: the directory version moves with the users row). A member who leaves alone and held
// a tier of their own is settled then (OFF-2: the car-share member's unused prepaid fee comes
// back); one who leaves with their organisation is settled with it.
Result<std::string> revoke_access(storage::Connection& c, const Services& s, const identity::Actor& actor, const std::string& user_id,
                                  std::int64_t at, const storage::Offboarding& o, Json& facts) {
  ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::system(), user_id));
  if (!user) return fail(Code::not_found, "No such user.");
  auto settled = [&]() -> Result<std::string> {
    if (facts.contains("part_of")) return std::string();
    SettlementRequest request{user->organization_id, user->id, at, {}, o.id};
    ASSIGN_OR_RETURN(auto preview, preview_settlement(c, s, request));
    if (preview.settlement.lines.empty()) return std::string();
    ASSIGN_OR_RETURN(auto issued, issue_settlement(c, s, actor, request));
    facts["settlement"] = settlement_json(issued);
    return std::string(issued.settlement.is_credit() ? " Credit note " : " Final invoice ") + "No. " +
           std::to_string(issued.document->number.value_or(0)) + ": " + issued.settlement.total.to_string() + " " +
           issued.currency + ".";
  };
  if (user->active) {
    auto before = canonical(*user);
    user->active = false;
    user->version += 1;
    user->updated_at = at;
    TRY(storage::users::update(c, *user));
    TRY(record(c, s, actor, {"user.deactivate", "user", user->id, user->organization_id, before, canonical(*user)}));
  }
  TRY(storage::sessions::revoke_all(c, user_id, ""));
  ASSIGN_OR_RETURN(auto ended, storage::subscriptions::end_for_user(c, user_id, at));
  ASSIGN_OR_RETURN(auto settlement, settled());
  return "Sessions and access tokens ended; account deactivated; " + std::to_string(ended) + " subscription(s) ended." + settlement;
}

Result<storage::Offboarding> load(storage::Connection& c, const identity::Actor& actor, std::string_view id) {
  ASSIGN_OR_RETURN(auto found, storage::offboardings::find(c, Scope::for_actor(actor), id, storage::Lock::for_update));
  if (!found) return fail(Code::not_found, "No such offboarding.");
  return std::move(*found);
}

Result<void> save(storage::Connection& c, const Services& s, const identity::Actor& actor, storage::Offboarding& o,
                  const std::vector<ob::Step>& steps, const Json& facts, std::string_view action, std::int64_t now) {
  auto before = canonical(o);
  o.steps = steps_json(steps).dump();
  o.facts = facts.dump();
  if (ob::all_done(steps) && o.status != "completed") {
    o.status = "completed";
    o.completed_at = now;
  }
  o.version += 1;
  TRY(storage::offboardings::update(c, o));
  return record(c, s, actor, {std::string(action), "offboarding", o.id, o.organization_id, before, canonical(o)});
}

// The person the open tickets go to: the one named, else the organisation's first customer.
Result<storage::User> handover_target(storage::Connection& c, const storage::User& leaver, const std::optional<std::string>& named) {
  if (named) {
    ASSIGN_OR_RETURN(auto to, storage::users::find(c, Scope::system(), *named));
    Problems p;
    if (!to || to->organization_id != leaver.organization_id || to->id == leaver.id || !to->active)
      p.add("handover_to", "must be another active person of the organisation");
    if (p.any()) return fail(p.error());
    return std::move(*to);
  }
  storage::UserFilter filter{leaver.organization_id, identity::Role::customer, true};
  ASSIGN_OR_RETURN(auto customers, storage::users::list(c, Scope::system(), filter, storage::PageRequest{2, ""}));
  for (auto& u : customers.items)
    if (u.id != leaver.id) return std::move(u);
  return fail(Code::conflict, "Nobody can take the open tickets: name someone in handover_to, or close them first.",
              "open_work_remains");
}

Result<std::string> hand_over_open_work(storage::Connection& c, const Services& s, const identity::Actor& actor,
                                        const storage::User& leaver, const StepCompletion& in, Json& facts) {
  ASSIGN_OR_RETURN(auto open, open_work(c, leaver.id));
  ASSIGN_OR_RETURN(auto assigned, assigned_work(c, leaver.id));
  ASSIGN_OR_RETURN(auto approvals, storage::ticket_requests::pending_for(c, leaver.id, 1));
  if (open.empty() && assigned.empty() && approvals.empty()) return std::string("No open tickets.");
  // Their own tickets and the approvals waiting on them need someone to take them; their
  // assignments go back to the team's queue unless someone is named.
  std::optional<storage::User> to;
  if (!open.empty() || !approvals.empty() || in.handover_to) {
    ASSIGN_OR_RETURN(to, handover_target(c, leaver, in.handover_to));
    if (identity::is_staff(leaver.roles) && !identity::is_staff(to->roles)) {
      Problems p;
      p.add("handover_to", "must be a member of staff: a leaver's assignments go to a colleague");
      return fail(p.error());
    }
  }
  std::set<std::string> handed;
  for (const auto& t : open) {
    TRY(hand_over_ticket(c, s, actor, t.id, leaver.id, to->id));
    handed.insert(t.id);
  }
  for (const auto& t : assigned)
    if (!handed.contains(t.id)) TRY(hand_over_ticket(c, s, actor, t.id, leaver.id, to ? to->id : ""));
  std::vector<std::string> waiting;
  if (to) {
    ASSIGN_OR_RETURN(waiting, storage::ticket_requests::hand_over_approvals(c, leaver.id, to->id));
    for (const auto& id : waiting)
      TRY(record(c, s, actor, {"request.approver_handed_over", "ticket", id, leaver.organization_id, std::nullopt, std::nullopt}));
  }
  facts["handed_over"] = {{"to", to ? Json(to->id) : Json(nullptr)},
                          {"tickets", ids_of(open)},
                          {"assigned", ids_of(assigned)},
                          {"approvals", waiting}};
  std::string done;
  if (!open.empty()) done = std::to_string(open.size()) + " open ticket(s) handed over.";
  if (!waiting.empty())
    done += (done.empty() ? "" : " ") + std::to_string(waiting.size()) + " request(s) awaiting their approval now await the successor's.";
  if (!assigned.empty())
    done += (done.empty() ? "" : " ") + std::to_string(assigned.size()) + " assigned ticket(s) " +
            (to ? "handed over." : "back in their team's queue.");
  return done;
}

// What erasure redacted, for the record being written after it (its stored copy is redacted
// already; the one in hand must be too, or saving it would write the names back).
struct Erased {
  std::string former_name;
  std::vector<std::string> needles;
};

Result<Erased> erase(storage::Connection& c, const Services& s, const storage::User& user, Json& facts, std::int64_t now) {
  // OFF-4 first: what they passed, under the pseudonym of each of their addresses.
  ASSIGN_OR_RETURN(auto passes, storage::training_attempts::passes_of(c, user.id));
  Json trainings = Json::array();
  for (const auto& p : passes) {
    auto cut = p.find('\n');
    trainings.push_back({{"training_id", p.substr(0, cut)}, {"content_digest", p.substr(cut + 1)}});
  }
  std::vector<std::string> needles{user.name};
  for (const auto& i : user.identities) {
    needles.push_back(i.value);
    if (i.normalized != i.value) needles.push_back(i.normalized);
    if (i.kind == "email") {
      ASSIGN_OR_RETURN(auto pseudonym, member_pseudonym(c, user.organization_id, i.normalized));
      TRY(storage::former_members::remember(c, {pseudonym, now, trainings.dump()}));
    }
  }
  if (!user.email.empty()) needles.push_back(user.email);
  ASSIGN_OR_RETURN(auto n, storage::erasure::next_former_number(c));
  storage::PersonErasure what{user.id, user.organization_id, "Former user " + std::to_string(n), needles, {}, now};
  // Tickets handed over are theirs no more, but what they wrote there still names them.
  const Json& known = facts;
  for (const auto& list : {known.value("/open_work"_json_pointer, Json::array()),
                           known.value("/handed_over/tickets"_json_pointer, Json::array()),
                           known.value("/assigned_work"_json_pointer, Json::array())})
    for (const auto& id : list) what.ticket_ids.push_back(id.get<std::string>());
  auto before = canonical(user);
  ASSIGN_OR_RETURN(auto count, storage::erasure::erase_person(c, what));
  ASSIGN_OR_RETURN(auto after, storage::users::find(c, Scope::system(), user.id));
  TRY(record(c, s, system_actor(), {"user.erase", "user", user.id, user.organization_id, before,
                                    after ? std::optional(canonical(*after)) : std::nullopt}));
  facts["erasure"] = {{"former_name", what.former_name}, {"tickets_redacted", count.tickets}, {"texts_redacted", count.texts}};
  return Erased{what.former_name, std::move(needles)};
}

// A person's offboarding record, their access ended now when `effective` has come. `part_of`:
// the organisation's offboarding it belongs to.
Result<storage::Offboarding> begin_user_offboarding(storage::Connection& c, const Services& s, const identity::Actor& actor,
                                                    const storage::User& user, const std::string& reason, std::int64_t effective,
                                                    const std::optional<std::string>& part_of) {
  auto now = to_millis(s.clock.now());
  auto steps = ob::steps_for(ob::Kind::user);
  ASSIGN_OR_RETURN(auto work, open_work(c, user.id));
  ASSIGN_OR_RETURN(auto assigned, assigned_work(c, user.id));
  ASSIGN_OR_RETURN(auto held, storage::assets::held_by(c, user.id));
  Json facts = {{"language", user.language},
                {"message", farewell(user.language, effective)},
                {"open_work", ids_of(work)},
                {"assets", ids_of(held)}};
  if (!assigned.empty()) facts["assigned_work"] = ids_of(assigned);
  if (part_of) facts["part_of"] = *part_of;
  storage::Offboarding o;
  o.id = new_id("off", s.clock.now());
  o.kind = "user";
  o.subject_id = user.id;
  o.organization_id = user.organization_id;
  o.reason = reason;
  o.effective_at = effective;
  o.created_by = actor.user_id;
  o.created_at = now;
  if (effective <= now) {
    ASSIGN_OR_RETURN(auto done, revoke_access(c, s, actor, user.id, now, o, facts));
    mark_done(steps, "revoke_access", actor, now, done);
  }
  o.steps = steps_json(steps).dump();
  o.facts = facts.dump();
  TRY(storage::offboardings::insert(c, o));
  TRY(record(c, s, actor, {"offboarding.start", "offboarding", o.id, o.organization_id, std::nullopt, canonical(o)}));
  return o;
}


// Every person of the organisation, 500 at a time.
Result<std::vector<storage::User>> people_of(storage::Connection& c, const std::string& organization_id) {
  std::vector<storage::User> out;
  storage::PageRequest page{500, ""};
  for (;;) {
    ASSIGN_OR_RETURN(auto batch, storage::users::list(c, Scope::system(), storage::UserFilter{organization_id, std::nullopt, std::nullopt},
                                                      page));
    for (auto& u : batch.items) out.push_back(std::move(u));
    if (!batch.next_after) return out;
    page.after = *batch.next_after;
  }
}

// Offboards each person of the organisation who has no offboarding under way and is not erased;
// the ids of the records started.
Result<Json> offboard_people(storage::Connection& c, const Services& s, const identity::Actor& actor, const storage::Offboarding& o) {
  ASSIGN_OR_RETURN(auto people, people_of(c, o.subject_id));
  Json started = Json::array();
  for (const auto& person : people) {
    if (person.erased_at) continue;
    ASSIGN_OR_RETURN(auto open, storage::offboardings::open_of(c, person.id));
    if (open) continue;
    if (!person.active && person.left_at) continue;  // left through the identity provider already
    ASSIGN_OR_RETURN(auto record, begin_user_offboarding(c, s, actor, person, o.reason, std::max(o.effective_at, o.created_at), o.id));
    started.push_back(record.id);
  }
  return started;
}

std::string notice(const std::string& language, std::int64_t effective_at) {
  if (language == "zh-CN")
    return "贵组织的服务将于 " + day_of(effective_at) + " 终止。所有用户的访问权限将在当日结束；结算单和数据导出将随后提供。感谢多年来的合作。";
  return "Your organisation's service ends on " + day_of(effective_at) +
         ". Every user's access ends that day; the settlement and the export of your data follow. Thank you for working with us.";
}

std::vector<billing::ExitPayment> exit_payments_of(const Json& facts) {
  std::vector<billing::ExitPayment> out;
  for (const auto& e : facts.value("exit_payments", Json::array()))
    out.push_back({e.at("description").get<std::string>(), *catalog::Money::parse(e.at("amount").get<std::string>())});
  return out;
}

Result<std::string> finish_organization_step(storage::Connection& c, const Services& s, const identity::Actor& actor,
                                             storage::Offboarding& o, std::string_view key, Json& facts) {
  if (key == "users") {
    ASSIGN_OR_RETURN(auto started, offboard_people(c, s, actor, o));
    for (const auto& id : started) facts["people"].push_back(id);
    ASSIGN_OR_RETURN(auto ended, storage::subscriptions::end_for_organization(c, o.subject_id, o.effective_at));
    return std::to_string(facts.value("people", Json::array()).size()) + " people offboarded, each with their own record; " +
           std::to_string(ended) + " more subscription(s) ended.";
  }
  if (key == "notify") {
    ASSIGN_OR_RETURN(auto people, people_of(c, o.subject_id));
    Json told = Json::array();
    for (const auto& p : people)
      if (!p.erased_at && std::find(p.roles.begin(), p.roles.end(), identity::Role::customer) != p.roles.end())
        told.push_back({{"user_id", p.id}, {"language", p.language}, {"message", notice(p.language, o.effective_at)}});
    auto count = told.size();
    facts["notified"] = std::move(told);
    return "Notice of the end of service kept on the record for " + std::to_string(count) + " customer contact(s), in their language.";
  }
  if (key == "settlement") {
    SettlementRequest request{o.subject_id, std::nullopt, o.effective_at, exit_payments_of(facts), o.id};
    ASSIGN_OR_RETURN(auto issued, issue_settlement(c, s, actor, request));
    facts["settlement"] = settlement_json(issued);
    return std::string(issued.settlement.is_credit() ? "Credit note" : "Final invoice") + " No. " +
           std::to_string(issued.document->number.value_or(0)) + " issued: " + issued.settlement.total.to_string() + " " +
           issued.currency + ".";
  }
  if (key == "export") {
    facts["export"] = "/api/v1/organizations/" + o.subject_id + "/export";
    return "The organisation's data (JSON, CSV and attachments) is ready to hand over: " + facts["export"].get<std::string>() + ".";
  }
  return std::string("Offboarding record complete.");
}
}  // namespace

Result<storage::Offboarding> start_user_offboarding(const Services& s, const identity::Actor& actor, std::string_view user_id,
                                                    const OffboardingStart& in) {
  TRY(authorize(actor, "offboarding.manage"));
  Problems p;
  check_text(p, "reason", in.reason, 2000);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::Offboarding> {
    ASSIGN_OR_RETURN(auto found, storage::users::find(c, Scope::for_actor(actor), user_id));
    if (!found || found->erased_at) return fail(Code::not_found, "No such user.");
    auto user = std::move(*found);
    TRY(identity::check_user_write(actor, user.organization_id, user.roles));
    if (user.id == actor.user_id) return fail(Code::conflict, "You cannot offboard yourself.", "self_offboarding");
    ASSIGN_OR_RETURN(auto open, storage::offboardings::open_of(c, user.id));
    if (open) return fail(Code::conflict, "This person's offboarding is already under way: " + *open + ".", "offboarding_open");
    auto now = to_millis(s.clock.now());
    return begin_user_offboarding(c, s, actor, user, trimmed(in.reason), std::max(now, in.effective_at.value_or(now)), std::nullopt);
  });
}

Result<storage::Offboarding> start_organization_offboarding(const Services& s, const identity::Actor& actor,
                                                            std::string_view organization_id, const OrganizationOffboardingStart& in) {
  TRY(authorize(actor, "offboarding.manage"));
  Problems p;
  check_text(p, "reason", in.reason, 2000);
  if (in.exit_payments.size() > 50) p.add("exit_payments", "must be at most 50");
  Json exits = Json::array();
  for (std::size_t i = 0; i < in.exit_payments.size() && i < 50; ++i) {
    const auto& e = in.exit_payments[i];
    auto field = "exit_payments[" + std::to_string(i) + "]";
    check_text(p, field + ".description", e.description, 200);
    auto amount = catalog::Money::parse(e.amount);
    if (!amount) p.add(field + ".amount", amount.error().message);
    else exits.push_back({{"description", trimmed(e.description)}, {"amount", amount->to_string()}});
  }
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::Offboarding> {
    ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, Scope::for_actor(actor), organization_id));
    if (!org) return fail(Code::not_found, "No such organisation.");
    if (!actor.staff()) return fail(Code::permission_denied, "Only the provider ends an organisation's service.");
    if (org->kind == identity::OrganizationKind::provider)
      return fail(Code::conflict, "The provider's own organisation cannot be offboarded.", "provider_organization");
    ASSIGN_OR_RETURN(auto open, storage::offboardings::open_of(c, org->id));
    if (open) return fail(Code::conflict, "This organisation's offboarding is already under way: " + *open + ".", "offboarding_open");

    auto now = to_millis(s.clock.now());
    storage::Offboarding o;
    o.id = new_id("off", s.clock.now());
    o.kind = "organization";
    o.subject_id = org->id;
    o.organization_id = org->id;
    o.reason = trimmed(in.reason);
    o.effective_at = std::max(now, in.effective_at.value_or(now));
    o.created_by = actor.user_id;
    o.created_at = now;
    auto steps = ob::steps_for(ob::Kind::organization);
    Json facts = {{"exit_payments", exits}};
    ASSIGN_OR_RETURN(auto people, offboard_people(c, s, actor, o));
    facts["people"] = people;
    ASSIGN_OR_RETURN(auto ended, storage::subscriptions::end_for_organization(c, org->id, o.effective_at));
    if (o.effective_at <= now)
      mark_done(steps, "users", actor, now,
                std::to_string(people.size()) + " people offboarded, each with their own record; access ended; " +
                    std::to_string(ended) + " subscription(s) ended.");
    // What the settlement would be now; it is issued when its step is done.
    ASSIGN_OR_RETURN(auto preview, preview_settlement(c, s, {org->id, std::nullopt, o.effective_at, exit_payments_of(facts), o.id}));
    facts["settlement"] = settlement_json(preview);
    o.steps = steps_json(steps).dump();
    o.facts = facts.dump();
    TRY(storage::offboardings::insert(c, o));
    TRY(record(c, s, actor, {"offboarding.start", "offboarding", o.id, o.organization_id, std::nullopt, canonical(o)}));
    return o;
  });
}

Result<std::vector<CheaperTier>> offers_before_leaving(const Services& s, const identity::Actor& actor) {
  if (actor.staff()) return std::vector<CheaperTier>();
  return s.db.read([&](storage::Connection& c) -> Result<std::vector<CheaperTier>> {
    ASSIGN_OR_RETURN(auto stored, storage::definitions::all(c, storage::DefinitionKind::tier));
    std::vector<TierView> tiers;
    for (auto& t : stored)
      if (t.active) tiers.push_back(tier_view(std::move(t)));
    ASSIGN_OR_RETURN(auto held, storage::subscriptions::of_leaver(c, actor.organization_id, actor.user_id));
    auto now = to_millis(s.clock.now());
    std::vector<CheaperTier> out;
    for (const auto& sub : held) {
      if (!sub.holds_at(now) || sub.ends_at) continue;  // ending already (a change of tier is on its way)
      auto current = std::find_if(tiers.begin(), tiers.end(), [&](const TierView& t) { return t.stored.id == sub.tier_id; });
      if (current == tiers.end()) continue;
      for (const auto& t : tiers)
        if (t.offering_id == current->offering_id && t.monthly_fee < current->monthly_fee)
          out.push_back({sub.id, current->stored.id, t.stored.id, catalog_definitions::text_json(current->name).dump(),
                         catalog_definitions::text_json(t.name).dump(), current->monthly_fee, t.monthly_fee});
    }
    std::stable_sort(out.begin(), out.end(), [](const CheaperTier& a, const CheaperTier& b) { return a.monthly_fee < b.monthly_fee; });
    return out;
  });
}

Result<storage::Offboarding> leave_by_oneself(const Services& s, const identity::Actor& actor, const std::string& reason) {
  if (actor.staff())
    return fail(Code::permission_denied, "The provider's staff leave through the provider's own offboarding.");
  Problems p;
  check_text(p, "reason", reason, 2000);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::Offboarding> {
    ASSIGN_OR_RETURN(auto found, storage::users::find(c, Scope::system(), actor.user_id));
    if (!found || found->erased_at) return fail(Code::not_found, "No such user.");
    ASSIGN_OR_RETURN(auto open, storage::offboardings::open_of(c, found->id));
    if (open) return fail(Code::conflict, "Your offboarding is already under way: " + *open + ".", "offboarding_open");
    return begin_user_offboarding(c, s, actor, *found, trimmed(reason), to_millis(s.clock.now()), std::nullopt);
  });
}

Result<storage::Offboarding> get_offboarding(const Services& s, const identity::Actor& actor, std::string_view id) {
  TRY(authorize(actor, "offboarding.read"));
  ASSIGN_OR_RETURN(auto found, s.db.read([&](storage::Connection& c) {
    return storage::offboardings::find(c, Scope::for_actor(actor), id);
  }));
  if (!found) return fail(Code::not_found, "No such offboarding.");
  return std::move(*found);
}

Result<storage::Page<storage::Offboarding>> list_offboardings(const Services& s, const identity::Actor& actor,
                                                              const storage::OffboardingFilter& filter,
                                                              const storage::PageRequest& page) {
  TRY(authorize(actor, "offboarding.read"));
  return s.db.read([&](storage::Connection& c) { return storage::offboardings::list(c, Scope::for_actor(actor), filter, page); });
}

Result<storage::Offboarding> finish_offboarding_step(const Services& s, const identity::Actor& actor, std::string_view id,
                                                     std::string_view key, const StepCompletion& in) {
  TRY(authorize(actor, "offboarding.manage"));
  Problems p;
  if (in.to != "done") p.add("to", "allowed: done");
  if (in.note.size() > 2000) p.add("note", "must be at most 2000 bytes");
  if (p.any()) return fail(p.error());
  std::vector<std::pair<std::string, std::string>> uploads_erased;  // by the erase step, per the retention policy
  auto finished = s.db.write([&](storage::Connection& c) -> Result<storage::Offboarding> {
    ASSIGN_OR_RETURN(auto o, load(c, actor, id));
    if (o.status == "cancelled")
      return fail(Code::conflict, "This offboarding was cancelled: the person came back.", "offboarding_cancelled");
    auto steps = steps_of(o);
    auto kind = o.kind == "user" ? ob::Kind::user : ob::Kind::organization;
    TRY(ob::may_finish(kind, steps, key));
    if (ob::find_step(steps, key)->status == ob::StepStatus::done) return o;
    if (kind == ob::Kind::organization) {
      if (!actor.staff()) return fail(Code::permission_denied, "Only the provider takes an organisation through leaving.");
      auto now = to_millis(s.clock.now());
      auto facts = Json::parse(o.facts);
      ASSIGN_OR_RETURN(auto done, finish_organization_step(c, s, actor, o, key, facts));
      mark_done(steps, key, actor, now, in.note.empty() ? done : in.note);
      TRY(save(c, s, actor, o, steps, facts, "offboarding.step", now));
      return o;
    }
    ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::system(), o.subject_id));
    if (!user) return fail(Code::not_found, "No such user.");
    TRY(identity::check_user_write(actor, user->organization_id, user->roles));

    auto now = to_millis(s.clock.now());
    auto facts = Json::parse(o.facts);
    std::string done = in.note;
    if (key == "communicate") {
      if (done.empty()) done = "Told, in " + user->language + ": " + facts.value("message", "");
    } else if (key == "open_work") {
      ASSIGN_OR_RETURN(auto handed, hand_over_open_work(c, s, actor, *user, in, facts));
      if (done.empty()) done = handed;
    } else if (key == "assets") {
      ASSIGN_OR_RETURN(auto held, storage::assets::held_by(c, user->id));
      if (!held.empty()) {
        std::string names;
        for (const auto& a : held) names += (names.empty() ? "" : ", ") + a.name;
        return fail(Code::conflict, "Still held: " + names + ". Mark each returned or written off first.", "assets_outstanding");
      }
      if (done.empty()) done = "Nothing held.";
    } else if (key == "revoke_access") {
      ASSIGN_OR_RETURN(auto revoked, revoke_access(c, s, actor, user->id, now, o, facts));
      if (done.empty()) done = revoked;
      o.effective_at = std::min(o.effective_at, now);
    } else if (key == "archive") {
      ASSIGN_OR_RETURN(auto kept, archive_by_policy(c, o, *user, now));
      if (done.empty()) done = kept;
    } else if (key == "thank_you") {
      facts["thank_you"] = thanks(user->language);
      if (done.empty()) done = "Thanked, in " + user->language + ".";
    } else if (key == "erase") {
      if (user->erased_at) return fail(Code::conflict, "This person's data is erased already.", "already_erased");
      ASSIGN_OR_RETURN(uploads_erased, erase_uploads_by_policy(c, *user));
      ASSIGN_OR_RETURN(auto erased, erase(c, s, *user, facts, now));
      done = "Personal data erased; the person is now " + erased.former_name + ".";
      if (!uploads_erased.empty())
        done += " " + std::to_string(uploads_erased.size()) + " files they attached erased too (retention policy).";
      facts.erase("message");
      facts.erase("thank_you");
      for (auto& step : steps) step.note = ob::redacted(step.note, erased.needles, erased.former_name);
    }
    mark_done(steps, key, actor, now, done);
    TRY(save(c, s, actor, o, steps, facts, "offboarding.step", now));
    return o;
  });
  // The erased uploads' files go once the erasure is committed, where nothing else refers to them.
  if (finished && !uploads_erased.empty()) {
    if (auto removed = remove_unused_files(s, uploads_erased); !removed)
      log_message(LogLevel::warn, "offboarding: erased uploads' files stay for the sweep: " + removed.error().message);
  }
  return finished;
}

Result<storage::PersonArchive> offboarding_archive(const Services& s, const identity::Actor& actor, std::string_view id) {
  TRY(authorize(actor, "offboarding.manage"));
  return s.db.read([&](storage::Connection& c) -> Result<storage::PersonArchive> {
    ASSIGN_OR_RETURN(auto found, storage::offboardings::find(c, Scope::for_actor(actor), id));
    if (!found) return fail(Code::not_found, "No such offboarding.");
    ASSIGN_OR_RETURN(auto kept, archive_of(c, found->id));
    if (!kept || kept->kept_until <= to_millis(s.clock.now()))
      return fail(Code::not_found, "Nothing of this person is archived: the retention policy kept nothing, or its time has passed.");
    return std::move(*kept);
  });
}

Result<void> cancel_offboarding_of(storage::Connection& c, const Services& s, const identity::Actor& actor,
                                   const std::string& user_id) {
  ASSIGN_OR_RETURN(auto open, storage::offboardings::open_of(c, user_id));
  if (!open) return {};
  ASSIGN_OR_RETURN(auto found, storage::offboardings::find(c, Scope::system(), *open, storage::Lock::for_update));
  if (!found) return {};
  auto o = std::move(*found);
  auto before = canonical(o);
  o.status = "cancelled";
  o.completed_at = to_millis(s.clock.now());
  o.version += 1;
  TRY(storage::offboardings::update(c, o));
  return record(c, s, actor, {"offboarding.cancel", "offboarding", o.id, o.organization_id, before, canonical(o)});
}

Result<int> end_due_access(const Services& s, int limit) {
  auto now = to_millis(s.clock.now());
  ASSIGN_OR_RETURN(auto due, s.db.read([&](storage::Connection& c) { return storage::offboardings::due(c, now, limit); }));
  int ended = 0;
  for (const auto& id : due) {
    bool changed = false;
    auto written = s.db.write([&](storage::Connection& c) -> Result<void> {
      ASSIGN_OR_RETURN(auto o, load(c, system_actor(), id));
      auto steps = steps_of(o);
      if (o.status != "open" || ob::find_step(steps, "revoke_access")->status == ob::StepStatus::done) return {};
      auto facts = Json::parse(o.facts);
      ASSIGN_OR_RETURN(auto done, revoke_access(c, s, system_actor(), o.subject_id, now, o, facts));
      mark_done(steps, "revoke_access", system_actor(), now, done);
      changed = true;
      return save(c, s, system_actor(), o, steps, facts, "offboarding.step", now);
    });
    // One record that cannot be written must not hold back the others due after it.
    if (!written) log_message(LogLevel::error, "offboarding " + id + ": access not ended: " + written.error().message);
    else if (changed) ++ended;
  }
  return ended;
}

Result<std::string> member_pseudonym(storage::Connection& c, std::string_view organization_id, std::string_view email) {
  ASSIGN_OR_RETURN(auto setting, storage::settings::get(c, kSecretSetting));
  if (setting.version == 0) {
    // The first to need it makes it; another node making it at the same moment wins the insert,
    // and its secret is read back.
    auto made = storage::settings::put(c, {std::string(kSecretSetting), Json(random_token(32)).dump(), 1, 0}, 0);
    if (!made && made.error().code != Code::failed_precondition) return std::unexpected(made.error());
    ASSIGN_OR_RETURN(setting, storage::settings::get(c, kSecretSetting));
  }
  auto secret = Json::parse(setting.value).get<std::string>();
  return hmac_sha256_hex(secret, std::string(organization_id) + "\n" + std::string(email));
}

Result<int> restore_former_member(storage::Connection& c, const Services& s, const std::string& user_id,
                                  const std::string& organization_id, std::string_view email) {
  ASSIGN_OR_RETURN(auto pseudonym, member_pseudonym(c, organization_id, email));
  ASSIGN_OR_RETURN(auto former, storage::former_members::find(c, pseudonym));
  if (!former) return 0;
  // Remembered once: the pseudonym goes with the restoring.
  TRY(storage::former_members::forget(c, pseudonym));
  int restored = 0;
  auto now = s.clock.now();
  for (const auto& t : Json::parse(former->trainings)) {
    storage::TrainingAttempt a;
    a.id = new_id("tra", now);
    a.training_id = t.at("training_id").get<std::string>();
    a.user_id = user_id;
    a.organization_id = organization_id;
    a.content_digest = t.at("content_digest").get<std::string>();
    a.passed = true;
    a.created_at = to_millis(now);
    TRY(storage::training_attempts::insert(c, a));
    ++restored;
  }
  TRY(record(c, s, system_actor(), {"user.training_restored", "user", user_id, organization_id, std::nullopt, std::nullopt}));
  return restored;
}

}  // namespace tandem::usecase
