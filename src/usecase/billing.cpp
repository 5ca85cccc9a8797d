#include "usecase/billing.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/id.h"
#include "domain/billing/settlement.h"
#include "storage/definitions.h"
#include "storage/organizations.h"
#include "storage/subscriptions.h"
#include "storage/users.h"
#include "usecase/catalog_definitions.h"
#include "usecase/offerings.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using catalog::Money;
using catalog_definitions::text_json;
using identity::Actor;
using Json = nlohmann::json;

constexpr std::int64_t kMaxQuantity = 1'000'000;

std::string usage_label(const std::string& kind, std::int64_t quantity, const TierView& tier) {
  auto en = fmt::format("{} × {} ({})", kind, quantity, tier.name.in("en"));
  auto zh = fmt::format("{} × {}（{}）", kind, quantity, tier.name.in("zh-CN"));
  return Json{{"en", en}, {"zh-CN", zh}}.dump();
}

}  // namespace

std::optional<storage::Charge> request_charge(const Services& s, const storage::Ticket& t,
                                              const std::string& request_type_id,
                                              const catalog::LocalizedText& name, Money price,
                                              const std::string& beneficiary_id) {
  if (price == Money()) return std::nullopt;
  storage::Charge c;
  c.id = new_id("chg", s.clock.now());
  c.organization_id = t.organization_id;
  c.user_id = beneficiary_id;
  c.source = "request";
  c.ticket_id = t.id;
  c.kind = request_type_id;
  c.label = text_json(name).dump();
  c.unit_cents = c.amount_cents = price.in_cents();
  c.occurred_at = c.created_at = t.created_at;
  return c;
}

Result<storage::Charge> record_usage(const Services& s, const Actor& actor, const NewUsage& in) {
  TRY(authorize(actor, "charge.record"));
  Problems p;
  if (in.kind.empty() || in.kind.size() > 64)
    p.add("kind", "is required: the kind of usage as the tiers price it, e.g. booking");
  if (in.quantity < 1 || in.quantity > kMaxQuantity)
    p.add("quantity", "must be a whole number from 1 to 1000000");
  if (in.reference && (in.reference->empty() || in.reference->size() > 200))
    p.add("reference", "must be 1–200 bytes");
  auto now = to_millis(s.clock.now());
  auto at = in.occurred_at.value_or(now);
  if (at > now + 60'000) p.add("occurred_at", "must not be in the future");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::Charge> {
    Problems q;
    ASSIGN_OR_RETURN(auto org,
                     storage::organizations::find(c, storage::Scope::system(), in.organization_id));
    if (!org) q.add("organization_id", "no such organisation");
    if (in.user_id) {
      ASSIGN_OR_RETURN(auto user, storage::users::find(c, storage::Scope::system(), *in.user_id));
      if (!user || user->organization_id != in.organization_id)
        q.add("user_id", "no such user in the organisation");
    }
    if (q.any()) return fail(q.error());
    if (in.reference) {
      ASSIGN_OR_RETURN(auto earlier,
                       storage::charges::find_by_reference(c, in.organization_id, *in.reference));
      if (earlier)
        return fail(Code::conflict, "This usage was recorded already, as " + earlier->id + ".",
                    "already_recorded");
    }
    ASSIGN_OR_RETURN(auto tier_ids, storage::subscriptions::tiers_held(
                                        c, in.organization_id, in.user_id.value_or(""), at));
    std::optional<TierView> priced_by;
    Money unit;
    for (const auto& id : tier_ids) {
      ASSIGN_OR_RETURN(auto stored,
                       storage::definitions::find(c, storage::DefinitionKind::tier, id));
      if (!stored) continue;
      auto tier = tier_view(std::move(*stored));
      auto price = tier.usage_prices.find(in.kind);
      if (price != tier.usage_prices.end() && (!priced_by || price->second < unit))
        unit = price->second, priced_by = std::move(tier);
    }
    if (!priced_by) {
      Problems r;
      r.add("kind", "no tier the " + std::string(in.user_id ? "user or their " : "") +
                        "organisation held then prices " + in.kind);
      return fail(r.error());
    }
    storage::Charge charge;
    charge.id = new_id("chg", s.clock.now());
    charge.organization_id = in.organization_id;
    charge.user_id = in.user_id;
    charge.source = "usage";
    charge.kind = in.kind;
    charge.reference = in.reference;
    charge.label = usage_label(in.kind, in.quantity, *priced_by);
    charge.quantity = in.quantity;
    charge.unit_cents = unit.in_cents();
    charge.amount_cents = unit.times(in.quantity).in_cents();
    charge.occurred_at = at;
    charge.created_at = now;
    TRY(storage::charges::insert(c, charge));
    TRY(record(c, s, actor,
               {"charge.record", "charge", charge.id, charge.organization_id, std::nullopt,
                storage::canonical(charge)}));
    return charge;
  });
}

Result<storage::Page<storage::Charge>> list_charges(const Services& s, const Actor& actor,
                                                    const storage::charges::Filter& filter,
                                                    const storage::PageRequest& page) {
  TRY(authorize(actor, "charge.read"));
  return s.db.read([&](storage::Connection& c) {
    return storage::charges::list(c, storage::Scope::for_actor(actor), filter, page);
  });
}

Result<InvoiceRun> run_invoices(const Services& s, const Actor& actor,
                                const std::string& period_text) {
  TRY(authorize(actor, "invoice.run"));
  auto period = billing::parse_period(period_text);
  auto now = to_millis(s.clock.now());
  Problems p;
  if (!period)
    p.add("period", "is required: a month as YYYY-MM");
  else if (period->start > now)
    p.add("period", "has not begun yet");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<InvoiceRun> {
    InvoiceRun run{*period, {}, {}, 0};
    // The period's drafts come apart first: their charges are billable again, once.
    ASSIGN_OR_RETURN(auto drafts, storage::invoices::drafts_of_period(c, period->name));
    for (const auto& draft : drafts) {
      TRY(storage::charges::detach_from(c, draft.id));
      TRY(storage::invoices::remove_draft(c, draft.id));
    }
    ASSIGN_OR_RETURN(auto subscriptions,
                     storage::subscriptions::overlapping(c, period->start, period->end));
    ASSIGN_OR_RETURN(auto charges, storage::charges::billable(c, period->end));
    ASSIGN_OR_RETURN(auto stored_tiers,
                     storage::definitions::all(c, storage::DefinitionKind::tier));
    std::map<std::string, TierView> tiers;
    for (auto& t : stored_tiers) {
      auto id = t.id;
      tiers.emplace(id, tier_view(std::move(t)));
    }
    // What each organisation owes, by organisation id.
    std::map<std::string, std::vector<billing::HeldTier>> held;
    std::map<std::string, std::vector<const storage::Charge*>> charged;
    // OFF-2: time paid ahead (a prepayment) or settled (a leaver's final invoice) is not
    // charged again.
    ASSIGN_OR_RETURN(auto paid_lines, storage::invoices::paid_fees(c, std::nullopt, period->start, period->end));
    std::vector<billing::PaidFee> paid;
    for (const auto& l : paid_lines)
      paid.push_back({l.subscription_id, "", l.user_id, Money::cents(l.amount_cents), l.from, l.to});
    for (const auto& sub : subscriptions) {
      auto tier = tiers.find(sub.tier_id);
      if (tier == tiers.end()) continue;
      billing::HeldTier h{sub.id, sub.tier_id, sub.user_id, tier->second.monthly_fee, sub.starts_at, sub.ends_at};
      for (auto& part : billing::unpaid_parts(h, paid)) held[sub.organization_id].push_back(std::move(part));
    }
    for (const auto& charge : charges) charged[charge.organization_id].push_back(&charge);
    std::set<std::string> owing;
    for (const auto& [org, _] : held) owing.insert(org);
    for (const auto& [org, _] : charged) owing.insert(org);
    for (const auto& draft : drafts) run.removed += !owing.contains(draft.organization_id);
    for (const auto& org : owing) {
      ASSIGN_OR_RETURN(auto existing, storage::invoices::of_period(c, org, period->name));
      if (existing) {  // issued: the drafts are gone
        ASSIGN_OR_RETURN(auto full,
                         storage::invoices::find(c, storage::Scope::system(), existing->id));
        run.issued.push_back(std::move(*full));
        continue;
      }
      storage::Invoice invoice;
      invoice.id = new_id("inv", s.clock.now());
      invoice.organization_id = org;
      invoice.period = period->name;
      invoice.created_at = now;
      auto fees = billing::fee_lines(*period, held[org]);
      for (const auto& fee : fees) {
        const auto& tier = tiers.at(fee.tier_id);
        invoice.lines.push_back({invoice.id, std::int64_t(invoice.lines.size()), "tier_fee",
                                 fee.subscription_id, text_json(tier.name).dump(), fee.user_id, 1,
                                 tier.monthly_fee.in_cents(), fee.amount.in_cents(), fee.from,
                                 fee.to});
      }
      for (const auto* charge : charged[org])
        invoice.lines.push_back({invoice.id, std::int64_t(invoice.lines.size()), charge->source,
                                 charge->id, charge->label, charge->user_id, charge->quantity,
                                 charge->unit_cents, charge->amount_cents, std::nullopt,
                                 std::nullopt});
      Money total;
      for (const auto& line : invoice.lines) total = total + Money::cents(line.amount_cents);
      invoice.total_cents = total.in_cents();
      if (invoice.lines.empty()) continue;
      TRY(storage::invoices::insert(c, invoice));
      for (const auto* charge : charged[org])
        TRY(storage::charges::attach(c, charge->id, invoice.id));
      TRY(record(c, s, actor,
                 {"invoice.draft", "invoice", invoice.id, org, std::nullopt,
                  storage::canonical(invoice)}));
      run.drafts.push_back(std::move(invoice));
    }
    return run;
  });
}

Result<storage::Invoice> get_invoice(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "invoice.read"));
  return s.db.read([&](storage::Connection& c) -> Result<storage::Invoice> {
    ASSIGN_OR_RETURN(auto found, storage::invoices::find(c, storage::Scope::for_actor(actor), id));
    if (!found) return fail(Code::not_found, "No such invoice.");
    return std::move(*found);
  });
}

Result<storage::Page<storage::Invoice>> list_invoices(const Services& s, const Actor& actor,
                                                      const storage::invoices::Filter& filter,
                                                      const storage::PageRequest& page) {
  TRY(authorize(actor, "invoice.read"));
  return s.db.read([&](storage::Connection& c) {
    return storage::invoices::list(c, storage::Scope::for_actor(actor), filter, page);
  });
}

Result<storage::Invoice> issue_invoice(const Services& s, const Actor& actor, std::string_view id,
                                       std::int64_t expected_version) {
  TRY(authorize(actor, "invoice.run"));
  return s.db.write([&](storage::Connection& c) -> Result<storage::Invoice> {
    ASSIGN_OR_RETURN(auto found, storage::invoices::find(c, storage::Scope::for_actor(actor), id,
                                                         storage::Lock::for_update));
    if (!found) return fail(Code::not_found, "No such invoice.");
    if (found->version != expected_version)
      return fail(Code::failed_precondition, "The invoice was changed by someone else; reload it.");
    if (found->state != "draft") return fail(Code::conflict, "The invoice is issued already.");
    auto period = billing::parse_period(found->period);
    if (period && to_millis(s.clock.now()) < period->end)
      return fail(Code::conflict,
                  "The month " + found->period +
                      " has not ended: more may be charged to it. Issue it once it has.");
    ASSIGN_OR_RETURN(bool stale, storage::invoices::is_stale(c, found->id));
    if (stale)
      return fail(Code::conflict,
                  "This draft was overtaken since it was drafted (a charge voided or settled, or a fee paid "
                  "meanwhile); run the month again first.");
    auto before = storage::canonical(*found);
    auto invoice = std::move(*found);
    ASSIGN_OR_RETURN(invoice.number, storage::invoices::next_number(c));
    invoice.state = "issued";
    invoice.issued_at = to_millis(s.clock.now());
    invoice.version += 1;
    TRY(storage::invoices::update(c, invoice));
    TRY(record(c, s, actor,
               {"invoice.issue", "invoice", invoice.id, invoice.organization_id, before,
                storage::canonical(invoice)}));
    return invoice;
  });
}

}  // namespace tandem::usecase
