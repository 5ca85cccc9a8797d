#include "usecase/overrides.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "core/id.h"
#include "domain/tickets/workflow.h"
#include "storage/settings.h"
#include "usecase/calendars.h"
#include "usecase/fulfilment.h"
#include "usecase/sla_policies.h"
#include "usecase/ticket_draft.h"
#include "usecase/validation.h"
#include "usecase/you_said.h"

namespace tandem::usecase {
namespace {

using namespace drafting;
using Json = nlohmann::json;

constexpr std::string_view kReasonSetting = "override_reason_codes";
const std::vector<std::string> kDefaultReasons = {"customer_request", "vulnerable_user", "major_incident", "safety",
                                                  "service_recovery", "rule_gap",        "other"};
constexpr std::string_view kRules = "sla.first_response, sla.next_update, sla.resolution, workflow.transition, workflow.required_fields";
constexpr std::string_view kWaivedRules = "catalog.quota, catalog.eligibility";
const std::set<std::string> kImprovementStatuses = {"proposed", "accepted", "in_progress", "done", "rejected"};

std::optional<sla::Metric> sla_metric_of(std::string_view rule) {
  if (!rule.starts_with("sla.")) return std::nullopt;
  return sla::parse_metric(rule.substr(4));
}

bool is_workflow_rule(std::string_view rule) { return rule == "workflow.transition" || rule == "workflow.required_fields"; }

Result<ReasonCodes> reasons_in(storage::Connection& c) {
  ASSIGN_OR_RETURN(auto setting, storage::settings::get(c, kReasonSetting));
  if (setting.version == 0) return ReasonCodes{kDefaultReasons, 1};
  return ReasonCodes{Json::parse(setting.value).get<std::vector<std::string>>(), setting.version};
}

// How the case behind an override stands now.
std::string outcome_of(const storage::Override& o, const std::optional<Ticket>& t, const Timeframes& timeframes, Time now) {
  if (!t) return "gone";
  if (auto metric = sla_metric_of(o.rule)) {
    auto reading = read_sla(timeframes, *t, now);
    if (reading)
      for (const auto& target : reading->clock.targets)
        if (target.metric == *metric) return std::string(sla::to_string(target.state));
    return "none";
  }
  auto category = tk::Workflows::builtin().of(t->type).category_of(t->status);
  return category ? std::string(tk::to_string(*category)) : "open";
}

// The tickets the overrides name, read without a consumer's scope: only staff read overrides.
Result<std::map<std::string, std::optional<Ticket>>> tickets_of(storage::Connection& c, const std::vector<storage::Override>& overrides) {
  std::map<std::string, std::optional<Ticket>> out;
  for (const auto& o : overrides) {
    if (o.target_type != "ticket" || out.contains(o.target_id)) continue;
    ASSIGN_OR_RETURN(out[o.target_id], storage::ticket_store::find(c, Scope::system(), o.target_id, storage::Lock::none));
  }
  return out;
}

Result<std::vector<std::string>> linked_overrides(storage::Connection& c, const std::string& improvement_id) {
  storage::OverrideFilter f;
  f.improvement_id = improvement_id;
  ASSIGN_OR_RETURN(auto linked, storage::overrides::latest(c, f, kSummaryLimit));
  std::vector<std::string> ids;
  for (const auto& o : linked) ids.push_back(o.id);
  return ids;
}

// The reason code and the justification of any override, each problem named under `prefix`.
Result<void> check_reasons(const Services& s, const std::string& reason_code, const std::string& justification,
                           const std::string& prefix, Problems& p) {
  auto text = trimmed(justification);
  if (text.size() < 10 || text.size() > 4000)
    p.add(prefix + "justification", "is required: say in 10 to 4000 bytes why breaking the rule was right");
  ASSIGN_OR_RETURN(auto reasons, s.db.read([](storage::Connection& c) { return reasons_in(c); }));
  if (std::find(reasons.codes.begin(), reasons.codes.end(), reason_code) == reasons.codes.end())
    p.add(prefix + "reason_code", fmt::format("is required, one of: {}", fmt::join(reasons.codes, ", ")));
  return {};
}

}  // namespace

Result<void> check_waiver(const Services& s, const Actor& actor, const Waiver& waiver) {
  if (waiver.rule != "catalog.quota" && waiver.rule != "catalog.eligibility") {
    Problems p;
    p.add("override.rule", "is not a rule a request may waive; rules: " + std::string(kWaivedRules) +
                               " (other rules are overridden on the ticket, POST /api/v1/overrides)");
    return fail(p.error());
  }
  TRY(authorize(actor, "override.catalog"));
  Problems p;
  TRY(check_reasons(s, waiver.reason_code, waiver.justification, "override.", p));
  if (p.any()) return fail(p.error());
  return {};
}

storage::Override waiver_override(const Services& s, const Actor& actor, const Waiver& waiver, const Ticket& t, std::string details) {
  return storage::Override{new_id("ovr", s.clock.now()), waiver.rule,   "ticket",         t.id,         t.organization_id,
                           actor.user_id,                waiver.reason_code, trimmed(waiver.justification), std::move(details),
                           std::nullopt,                 to_millis(s.clock.now())};
}

Result<OverrideView> create_override(const Services& s, const Actor& actor, const OverrideInput& in) {
  auto metric = sla_metric_of(in.rule);
  bool workflow = is_workflow_rule(in.rule);
  if (!metric && !workflow) {
    Problems p;
    p.add("rule", "is not a guarded rule; rules: " + std::string(kRules) + "; " + std::string(kWaivedRules) +
                      " are waived as a request is submitted (POST /api/v1/requests, \"override\")");
    return fail(p.error());
  }
  TRY(authorize(actor, metric ? "override.sla" : "override.workflow"));
  Problems p;
  check_text(p, "target_id", in.target_id, 64);
  auto justification = trimmed(in.justification);
  TRY(check_reasons(s, in.reason_code, in.justification, "", p));
  if (metric) {
    if (!in.extend_minutes || *in.extend_minutes < 1 || *in.extend_minutes > kMaxBusinessMinutes)
      p.add("extend_minutes", "is required: the business minutes to add to the target, 1 to " + std::to_string(kMaxBusinessMinutes));
    if (in.to) p.add("to", "is for workflow rules");
  } else {
    if (!in.to || in.to->empty()) p.add("to", "is required: the state to move the ticket to");
    if (in.extend_minutes) p.add("extend_minutes", "is for SLA rules");
  }
  if (p.any()) return fail(p.error());
  ASSIGN_OR_RETURN(auto timeframes, current_timeframes(s));
  return write_publishing(s, [&](storage::Connection& c, Outbox& outbox) -> Result<OverrideView> {
    ASSIGN_OR_RETURN(auto t, load_ticket(c, actor, in.target_id, storage::Lock::for_update));
    auto before = canonical(t);
    storage::Override o{new_id("ovr", s.clock.now()), in.rule, "ticket", t.id, t.organization_id, actor.user_id, in.reason_code,
                        justification, "{}", std::nullopt, to_millis(s.clock.now())};
    TimelineDraft draft(s, actor, t, tk::Channel::portal, outbox);
    Json details;
    if (metric) {
      auto reading = read_sla(*timeframes, t, from_millis(draft.now()));
      bool agreed = reading && std::any_of(reading->clock.targets.begin(), reading->clock.targets.end(),
                                           [&](const auto& target) { return target.metric == *metric; });
      if (!agreed) {
        Problems r;
        r.add("rule", "this ticket has no agreed " + std::string(sla::to_string(*metric)) + " target to extend");
        return fail(r.error());
      }
      details = {{"extend_minutes", *in.extend_minutes}};
      sla::ClockEvent more{from_millis(draft.now()), sla::ClockEventKind::extended};
      more.metric = *metric;
      more.minutes = std::chrono::minutes(*in.extend_minutes);
      sla::append_history(t.sla_history, more);
    } else {
      const auto& flow = tk::Workflows::builtin().of(t.type);
      if (!flow.category_of(*in.to)) {
        Problems r;
        r.add("to", fmt::format("is not a state of this ticket's workflow; states: {}", fmt::join(flow.state_names(), ", ")));
        return fail(r.error());
      }
      if (*in.to == t.status) return fail(Code::conflict, "The ticket is already " + t.status + ".", "transition_not_allowed");
      if (in.rule == "workflow.required_fields") {
        // Only the fields are waived: the move itself must be one the actor may make.
        const auto* move = flow.find(t.status, *in.to);
        if (!move)
          return fail(Code::conflict, "The workflow has no move from " + t.status + " to " + *in.to + "; that is workflow.transition.",
                      "transition_not_allowed");
        std::set<std::string> provided(move->needs.begin(), move->needs.end());
        TRY(tk::decide_transition(flow, t.status, tk::Mover{actor.roles, false}, {*in.to, provided, draft.now(), t.resolved_at}));
      }
      details = {{"from", t.status}, {"to", *in.to}};
      enter_state(t, flow, *in.to, draft.now());
      draft.add("status_changed", Visibility::public_, "", Json{{"from", details["from"]}, {"to", *in.to}, {"override_id", o.id}});
      if (t.type == tk::Type::service_request)
        TRY(follow_status(c, s, t, details["from"].get<std::string>(), draft));  // DESK-5, DESK-11
      t.version += 1;
    }
    o.details = dump(details);
    draft.add("override", Visibility::internal, justification,
              Json{{"override_id", o.id}, {"rule", o.rule}, {"reason_code", o.reason_code}, {"details", details}});
    // DESK-8: a rule had to be broken for this customer — a moment to make sure they are well.
    ASSIGN_OR_RETURN(auto recovery, recovery_task_for(c, s, t, "override", draft, Json{{"override_id", o.id}, {"rule", o.rule}}));
    TRY(draft.settle_sla(c, *timeframes));
    t.updated_at = draft.now();
    if (workflow) TRY(storage::ticket_store::update(c, t, false));
    else TRY(storage::ticket_store::touch(c, t));
    TRY(storage::overrides::insert(c, o));
    if (recovery) TRY(storage::recovery_tasks::insert(c, *recovery));
    TRY(draft.append_all(c));
    TRY(record(c, s, actor, {"override.apply", "ticket", t.id, t.organization_id, before, canonical(t) + canonical(o)}));
    return OverrideView{o, outcome_of(o, t, *timeframes, s.clock.now())};
  });
}

Result<OverrideReport> override_report(const Services& s, const Actor& actor, const storage::OverrideFilter& filter,
                                       const storage::PageRequest& page) {
  TRY(authorize(actor, "override.read"));
  ASSIGN_OR_RETURN(auto timeframes, current_timeframes(s));
  auto now = s.clock.now();
  return s.db.read([&](storage::Connection& c) -> Result<OverrideReport> {
    OverrideReport report;
    ASSIGN_OR_RETURN(auto listed, storage::overrides::list(c, filter, page));
    ASSIGN_OR_RETURN(auto summarised, storage::overrides::latest(c, filter, kSummaryLimit));
    ASSIGN_OR_RETURN(auto tickets, tickets_of(c, summarised));
    ASSIGN_OR_RETURN(auto page_tickets, tickets_of(c, listed.items));
    tickets.merge(page_tickets);
    for (const auto& o : summarised) {
      ++report.by_rule[o.rule];
      ++report.by_actor[o.actor_id];
      ++report.by_reason[o.reason_code];
      ++report.by_outcome[outcome_of(o, tickets[o.target_id], *timeframes, now)];
    }
    report.summarised = int(summarised.size());
    report.page.next_after = listed.next_after;
    for (auto& o : listed.items) {
      auto outcome = outcome_of(o, tickets[o.target_id], *timeframes, now);
      report.page.items.push_back({std::move(o), std::move(outcome)});
    }
    return report;
  });
}

Result<ReasonCodes> override_reason_codes(const Services& s, const Actor& actor) {
  if (!actor.staff()) return fail(Code::permission_denied, "Only the provider's staff read the override reasons.");
  return s.db.read([&](storage::Connection& c) { return reasons_in(c); });
}

Result<ReasonCodes> set_override_reason_codes(const Services& s, const Actor& actor, const std::vector<std::string>& codes,
                                              std::int64_t expected_version) {
  TRY(authorize(actor, "override.configure"));
  Problems p;
  if (codes.empty() || codes.size() > 50) p.add("codes", "give 1 to 50 reason codes");
  std::set<std::string> seen;
  for (const auto& code : codes) {
    bool plain = !code.empty() && code.size() <= 40 &&
                 std::all_of(code.begin(), code.end(), [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'; });
    if (!plain) p.add("codes", "each is 1 to 40 of a–z, 0–9 and _; \"" + code + "\" is not");
    if (!seen.insert(code).second) p.add("codes", "\"" + code + "\" is given twice");
  }
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<ReasonCodes> {
    ASSIGN_OR_RETURN(auto setting, storage::settings::get(c, kReasonSetting));
    ASSIGN_OR_RETURN(auto before, reasons_in(c));
    if (before.version != expected_version)
      return fail(Code::failed_precondition, "The reason codes were changed by someone else; reload them.");
    storage::Setting next{std::string(kReasonSetting), Json(codes).dump(), before.version + 1, to_millis(s.clock.now())};
    TRY(storage::settings::put(c, next, setting.version));
    TRY(record(c, s, actor, {"override_reasons.set", "setting", next.name, actor.organization_id, Json(before.codes).dump(), next.value}));
    return ReasonCodes{codes, next.version};
  });
}

Result<ImprovementView> create_improvement(const Services& s, const Actor& actor, const ImprovementInput& in) {
  TRY(authorize(actor, "improvement.manage"));
  Problems p;
  check_text(p, "title", in.title.value_or(""), 200);
  if (in.description && in.description->size() > 20000) p.add("description", "must be at most 20000 bytes");
  if (in.status) p.add("status", "a new entry is proposed; change it afterwards");
  if (in.override_ids.size() > 1000) p.add("override_ids", "link at most 1000 overrides at once");
  if (std::set<std::string>(in.override_ids.begin(), in.override_ids.end()).size() != in.override_ids.size())
    p.add("override_ids", "must not repeat an override");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<ImprovementView> {
    Problems q;
    for (const auto& id : in.override_ids) {
      ASSIGN_OR_RETURN(auto found, storage::overrides::find(c, id));
      if (!found) q.add("override_ids", "no such override: " + id);
    }
    if (q.any()) return fail(q.error());
    auto now = to_millis(s.clock.now());
    storage::Improvement i{new_id("imp", s.clock.now()), trimmed(*in.title), in.description.value_or(""), "proposed", actor.user_id,
                           1, now, now};
    TRY(storage::improvements::insert(c, i));
    TRY(storage::overrides::link(c, in.override_ids, i.id));
    std::string links;
    for (const auto& id : in.override_ids) links += "override=" + id + "\n";
    TRY(record(c, s, actor, {"improvement.create", "improvement", i.id, actor.organization_id, std::nullopt, canonical(i) + links}));
    return ImprovementView{std::move(i), in.override_ids};
  });
}

Result<storage::Page<ImprovementView>> list_improvements(const Services& s, const Actor& actor, const storage::PageRequest& page) {
  TRY(authorize(actor, "improvement.read"));
  return s.db.read([&](storage::Connection& c) -> Result<storage::Page<ImprovementView>> {
    ASSIGN_OR_RETURN(auto found, storage::improvements::list(c, page));
    storage::Page<ImprovementView> out{{}, found.next_after};
    for (auto& i : found.items) {
      ASSIGN_OR_RETURN(auto ids, linked_overrides(c, i.id));
      out.items.push_back({std::move(i), std::move(ids)});
    }
    return out;
  });
}

Result<ImprovementView> get_improvement(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "improvement.read"));
  return s.db.read([&](storage::Connection& c) -> Result<ImprovementView> {
    ASSIGN_OR_RETURN(auto found, storage::improvements::find(c, id));
    if (!found) return fail(Code::not_found, "No such improvement.");
    ASSIGN_OR_RETURN(auto ids, linked_overrides(c, found->id));
    return ImprovementView{std::move(*found), std::move(ids)};
  });
}

Result<ImprovementView> update_improvement(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                           const ImprovementInput& patch) {
  TRY(authorize(actor, "improvement.manage"));
  Problems p;
  if (patch.title) check_text(p, "title", *patch.title, 200);
  if (patch.description && patch.description->size() > 20000) p.add("description", "must be at most 20000 bytes");
  if (patch.status && !kImprovementStatuses.contains(*patch.status))
    p.add("status", "allowed: proposed, accepted, in_progress, done, rejected");
  if (!patch.override_ids.empty()) p.add("override_ids", "are linked when the entry is made");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<ImprovementView> {
    ASSIGN_OR_RETURN(auto found, storage::improvements::find(c, id));
    if (!found) return fail(Code::not_found, "No such improvement.");
    auto i = std::move(*found);
    if (i.version != expected_version) return fail(Code::failed_precondition, "The improvement was changed by someone else; reload it.");
    auto before = canonical(i);
    auto status_before = i.status;
    if (patch.title) i.title = trimmed(*patch.title);
    if (patch.description) i.description = *patch.description;
    if (patch.status) i.status = *patch.status;
    i.version += 1;
    i.updated_at = to_millis(s.clock.now());
    TRY(storage::improvements::update(c, i));
    TRY(record(c, s, actor, {"improvement.update", "improvement", i.id, actor.organization_id, before, canonical(i)}));
    // FDB-2: whoever's feedback it answers hears of its progress.
    if (i.status != status_before) TRY(tell_feedback_givers(c, s, i));
    ASSIGN_OR_RETURN(auto ids, linked_overrides(c, i.id));
    return ImprovementView{std::move(i), std::move(ids)};
  });
}

}  // namespace tandem::usecase
