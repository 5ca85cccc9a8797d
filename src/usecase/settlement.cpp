#include "usecase/settlement.h"

#include <limits>
#include <map>
#include <set>

#include "core/id.h"
#include "storage/definitions.h"
#include "storage/subscriptions.h"
#include "usecase/catalog_definitions.h"
#include "usecase/offerings.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using Json = nlohmann::json;
using catalog::Money;
using storage::Scope;
using catalog_definitions::text_json;

constexpr std::int64_t kMaxPrepaidMonths = 36;

Result<std::map<std::string, TierView>> all_tiers(storage::Connection& c) {
  ASSIGN_OR_RETURN(auto stored, storage::definitions::all(c, storage::DefinitionKind::tier));
  std::map<std::string, TierView> out;
  for (auto& t : stored) {
    auto id = t.id;
    out.emplace(id, tier_view(std::move(t)));
  }
  return out;
}

// The statement as things stand; it writes nothing. Charges on a draft count here: issuing the
// settlement takes them, and the draft, overtaken, is refused until the month's run rebuilds it.
Result<SettlementStatement> statement_of(storage::Connection& c, const Services& s, const SettlementRequest& in) {
  ASSIGN_OR_RETURN(auto tiers, all_tiers(c));
  ASSIGN_OR_RETURN(auto settled_list, storage::invoices::settled_subscriptions(c, in.organization_id));
  std::set<std::string> settled(settled_list.begin(), settled_list.end());
  ASSIGN_OR_RETURN(auto subscriptions, storage::subscriptions::of_leaver(c, in.organization_id, in.user_id));

  billing::SettlementInput input;
  input.leaving_at = in.leaving_at;
  for (const auto& sub : subscriptions) {
    auto tier = tiers.find(sub.tier_id);
    if (tier == tiers.end() || settled.contains(sub.id)) continue;
    input.held.push_back({sub.id, sub.tier_id, sub.user_id, tier->second.monthly_fee, sub.starts_at, sub.ends_at});
  }
  std::map<std::string, std::string> tier_of;
  for (const auto& h : input.held) tier_of[h.subscription_id] = h.tier_id;
  // What they paid, of a subscription held or one gone (one that had not begun when access
  // ended is removed, and what was paid for it comes back whole).
  ASSIGN_OR_RETURN(auto paid, storage::invoices::paid_fees(c, in.organization_id, std::numeric_limits<std::int64_t>::min(),
                                                           std::numeric_limits<std::int64_t>::max()));
  std::map<std::string, std::string> paid_label;
  for (const auto& l : paid) {
    if (settled.contains(l.subscription_id) || (in.user_id && l.user_id != in.user_id)) continue;
    input.paid.push_back({l.subscription_id, tier_of[l.subscription_id], l.user_id, Money::cents(l.amount_cents), l.from, l.to, l.label});
    paid_label[l.subscription_id] = l.label;
  }
  ASSIGN_OR_RETURN(auto charges, storage::charges::open_of(c, in.organization_id, in.user_id));
  std::map<std::string, std::string> charge_labels;
  for (const auto& ch : charges) {
    input.charges.push_back({ch.id, ch.user_id, Money::cents(ch.amount_cents)});
    charge_labels[ch.id] = ch.label;
  }
  input.exit_payments = in.exit_payments;

  SettlementStatement out;
  out.settlement = billing::settle(input);
  out.currency = s.currency;
  for (const auto& line : out.settlement.lines) {
    switch (line.kind) {
      case billing::LineKind::tier_fee: out.labels.push_back(text_json(tiers.at(line.tier_id).name).dump()); break;
      case billing::LineKind::prepaid_credit: out.labels.push_back(paid_label[line.source_id]); break;
      case billing::LineKind::charge: out.labels.push_back(charge_labels[line.source_id]); break;
      case billing::LineKind::exit_payment: out.labels.push_back(Json{{"en", line.description}}.dump()); break;
    }
  }
  return out;
}

std::string period_of(std::int64_t ms) { return to_rfc3339(from_millis(ms)).substr(0, 7); }

}  // namespace

Result<storage::Invoice> record_prepayment(const Services& s, const identity::Actor& actor, const NewPrepayment& in) {
  TRY(authorize(actor, "invoice.run"));
  Problems p;
  auto first = billing::parse_period(in.from);
  if (in.subscription_id.empty()) p.add("subscription_id", "is required");
  if (!first) p.add("from", "is required: the first month paid, as YYYY-MM");
  if (in.months < 1 || in.months > kMaxPrepaidMonths) p.add("months", "must be a whole number from 1 to 36");
  std::optional<Money> agreed;
  if (in.amount) {
    auto parsed = Money::parse(*in.amount);
    if (!parsed)
      p.add("amount", parsed.error().message);
    else if (*parsed < Money())
      p.add("amount", "must not be below zero");
    else
      agreed = *parsed;
  }
  if (p.any()) return fail(p.error());
  auto last = *billing::parse_period(in.from);
  for (std::int64_t i = 1; i < in.months; ++i) last = *billing::parse_period(period_of(last.end));
  return s.db.write([&](storage::Connection& c) -> Result<storage::Invoice> {
    ASSIGN_OR_RETURN(auto sub, storage::subscriptions::find(c, Scope::system(), in.subscription_id));
    Problems q;
    if (!sub) q.add("subscription_id", "no such subscription");
    else if (sub->ends_at && *sub->ends_at < last.end) q.add("months", "the subscription ends before the last month paid");
    else if (billing::parse_period(period_of(sub->starts_at))->start > first->start)
      q.add("from", "the subscription begins in " + period_of(sub->starts_at) + ": no month before it is paid");
    if (q.any()) return fail(q.error());
    ASSIGN_OR_RETURN(auto tiers, all_tiers(c));
    auto tier = tiers.find(sub->tier_id);
    if (tier == tiers.end()) return fail(Code::failed_precondition, "The subscription's tier is gone.");
    ASSIGN_OR_RETURN(auto paid, storage::invoices::paid_fees(c, sub->organization_id, first->start, last.end));
    for (const auto& l : paid)
      if (l.subscription_id == sub->id)
        return fail(Code::conflict, "Some of these months are paid already, on " + l.invoice_id + ".", "already_paid");
    auto amount = agreed.value_or(tier->second.monthly_fee.times(in.months));
    auto now = to_millis(s.clock.now());
    storage::Invoice invoice;
    invoice.id = new_id("inv", s.clock.now());
    invoice.organization_id = sub->organization_id;
    invoice.period = first->name;
    invoice.purpose = "prepayment";
    invoice.currency = s.currency;
    invoice.state = "issued";
    ASSIGN_OR_RETURN(auto number, storage::invoices::next_number(c));
    invoice.number = number;
    invoice.issued_at = now;
    invoice.created_at = now;
    invoice.total_cents = amount.in_cents();
    invoice.lines.push_back({invoice.id, 0, "tier_fee", sub->id, text_json(tier->second.name).dump(), sub->user_id, in.months,
                             tier->second.monthly_fee.in_cents(), amount.in_cents(), first->start, last.end});
    TRY(storage::invoices::insert(c, invoice));
    TRY(record(c, s, actor, {"invoice.prepayment", "invoice", invoice.id, invoice.organization_id, std::nullopt,
                             storage::canonical(invoice)}));
    return invoice;
  });
}

Result<SettlementStatement> preview_settlement(storage::Connection& c, const Services& s, const SettlementRequest& in) {
  return statement_of(c, s, in);
}

Result<SettlementStatement> issue_settlement(storage::Connection& c, const Services& s, const identity::Actor& actor,
                                             const SettlementRequest& in) {
  ASSIGN_OR_RETURN(auto statement, statement_of(c, s, in));
  auto now = to_millis(s.clock.now());
  storage::Invoice invoice;
  invoice.id = new_id("inv", s.clock.now());
  invoice.organization_id = in.organization_id;
  invoice.period = period_of(in.leaving_at);
  invoice.purpose = "settlement";
  invoice.currency = statement.currency;
  invoice.offboarding_id = in.offboarding_id;
  invoice.state = "issued";
  ASSIGN_OR_RETURN(auto number, storage::invoices::next_number(c));
  invoice.number = number;
  invoice.issued_at = now;
  invoice.created_at = now;
  invoice.total_cents = statement.settlement.total.in_cents();
  const auto& lines = statement.settlement.lines;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    invoice.lines.push_back({invoice.id, std::int64_t(i), std::string(billing::to_string(l.kind)), l.source_id,
                             statement.labels[i], l.user_id, 1, l.amount.in_cents(), l.amount.in_cents(), l.from, l.to});
  }
  TRY(storage::invoices::insert(c, invoice));
  for (const auto& l : lines)
    if (l.kind == billing::LineKind::charge) TRY(storage::charges::attach(c, l.source_id, invoice.id));
  TRY(record(c, s, actor, {"invoice.settlement", "invoice", invoice.id, invoice.organization_id, std::nullopt,
                           storage::canonical(invoice)}));
  statement.document = std::move(invoice);
  return statement;
}

Json money_json(Money amount, const std::string& currency) { return Json{{"amount", amount.to_string()}, {"currency", currency}}; }

Json settlement_json(const SettlementStatement& statement) {
  auto money = [&](Money m) { return money_json(m, statement.currency); };
  Json lines = Json::array();
  const auto& all = statement.settlement.lines;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& l = all[i];
    Json line = {{"kind", billing::to_string(l.kind)}, {"label", Json::parse(statement.labels[i], nullptr, false)}, {"amount", money(l.amount)}};
    if (l.from) line["from"] = *l.from;
    if (l.to) line["to"] = *l.to;
    if (!l.source_id.empty()) line["source_id"] = l.source_id;
    if (l.user_id) line["user_id"] = *l.user_id;
    lines.push_back(std::move(line));
  }
  Json out = {{"lines", std::move(lines)}, {"total", money(statement.settlement.total)}, {"document", nullptr}};
  if (statement.document)
    out["document"] = {{"kind", statement.settlement.is_credit() ? "credit_note" : "invoice"},
                       {"id", statement.document->id},
                       {"number", statement.document->number ? Json(*statement.document->number) : Json(nullptr)}};
  return out;
}

}  // namespace tandem::usecase
