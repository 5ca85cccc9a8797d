#include "storage/billing.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kChargeColumns =
    "id, organization_id, user_id, source, ticket_id, kind, reference, label, quantity, "
    "unit_cents, amount_cents, occurred_at, voided, "
    "invoice_id, created_at";
constexpr std::string_view kInvoiceColumns =
    "id, organization_id, period, state, number, total_cents, version, created_at, issued_at, "
    "purpose, currency, offboarding_id";
constexpr std::string_view kLineColumns =
    "invoice_id, position, kind, source_id, label, user_id, quantity, unit_cents, amount_cents, "
    "from_at, to_at";

Charge charge_from(const Row& r) {
  return Charge{r.text(0),          r.text(1),        r.maybe_text(2), r.text(3),
                r.maybe_text(4),    r.text(5),        r.maybe_text(6), r.text(7),
                r.integer(8),       r.integer(9),     r.integer(10),   r.integer(11),
                r.integer(12) != 0, r.maybe_text(13), r.integer(14)};
}

Invoice invoice_from(const Row& r) {
  return Invoice{r.text(0),    r.text(1),    r.text(2),    r.text(3),          r.maybe_integer(4),
                 r.integer(5), r.integer(6), r.integer(7), r.maybe_integer(8), {},
                 r.text(9),    r.text(10),   r.maybe_text(11)};
}

// Billing is the provider's and the customer's (their organisation's) business only.
std::string scope_condition(const Scope& scope, std::vector<Value>& params) {
  if (scope.sees_everything()) return "1 = 1";
  if (!scope.sees_whole_organization()) return "1 = 0";
  params.emplace_back(scope.organization_id());
  return "organization_id = ?";
}

}  // namespace

std::string canonical(const Charge& c) {
  return fmt::format(
      "charge\nid={}\norganization_id={}\nuser_id={}\nsource={}\nticket_id={}\nkind={}\nreference={"
      "}\nquantity={}\n"
      "unit_cents={}\namount_cents={}\noccurred_at={}\nvoided={}\n",
      c.id, c.organization_id, c.user_id.value_or(""), c.source, c.ticket_id.value_or(""), c.kind,
      c.reference.value_or(""), c.quantity, c.unit_cents, c.amount_cents, c.occurred_at, c.voided);
}

std::string canonical(const Invoice& i) {
  return fmt::format(
      "invoice\nid={}\norganization_id={}\nperiod={}\nstate={}\nnumber={}\ntotal_cents={}\nlines={}"
      "\npurpose={}\ncurrency={}\n",
      i.id, i.organization_id, i.period, i.state, i.number ? std::to_string(*i.number) : "",
      i.total_cents, i.lines.size(), i.purpose, i.currency);
}

namespace charges {

Result<void> insert(Connection& c, const Charge& x) {
  TRY(c.execute(
      fmt::format("INSERT INTO charges ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  kChargeColumns),
      {x.id, x.organization_id, optional_text(x.user_id), x.source, optional_text(x.ticket_id),
       x.kind, optional_text(x.reference), x.label, x.quantity, x.unit_cents, x.amount_cents,
       x.occurred_at, std::int64_t(x.voided), optional_text(x.invoice_id), x.created_at}));
  return {};
}

Result<std::optional<Charge>> find_by_reference(Connection& c, std::string_view organization_id,
                                                std::string_view reference) {
  ASSIGN_OR_RETURN(
      auto rows,
      c.query(fmt::format("SELECT {} FROM charges WHERE organization_id = ? AND reference = ?",
                          kChargeColumns),
              {std::string(organization_id), std::string(reference)}));
  if (rows.empty()) return std::nullopt;
  return charge_from(rows[0]);
}

Result<std::int64_t> void_of_ticket(Connection& c, std::string_view ticket_id) {
  return c.execute(
      "UPDATE charges SET voided = 1 WHERE ticket_id = ? AND (invoice_id IS NULL OR invoice_id IN "
      "(SELECT id FROM invoices WHERE state = 'draft'))",
      {std::string(ticket_id)});
}

Result<std::vector<Charge>> open_of(Connection& c, std::string_view organization_id,
                                    const std::optional<std::string>& user_id) {
  std::vector<Value> params{std::string(organization_id)};
  std::string where =
      "organization_id = ? AND voided = 0 AND (invoice_id IS NULL OR invoice_id IN (SELECT id FROM invoices WHERE state = 'draft'))";
  if (user_id) where += " AND user_id = ?", params.emplace_back(*user_id);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM charges WHERE {} ORDER BY occurred_at, id",
                                                  kChargeColumns, where),
                                      params));
  std::vector<Charge> out;
  for (const auto& r : rows) out.push_back(charge_from(r));
  return out;
}

Result<std::vector<Charge>> billable(Connection& c, std::int64_t end) {
  ASSIGN_OR_RETURN(
      auto rows,
      c.query(fmt::format("SELECT {} FROM charges WHERE occurred_at < ? AND voided = 0 "
                          "AND invoice_id IS NULL ORDER BY organization_id, occurred_at, id",
                          kChargeColumns),
              {end}));
  std::vector<Charge> out;
  for (const auto& r : rows) out.push_back(charge_from(r));
  return out;
}

Result<void> attach(Connection& c, std::string_view charge_id, std::string_view invoice_id) {
  TRY(c.execute("UPDATE charges SET invoice_id = ? WHERE id = ?",
                {std::string(invoice_id), std::string(charge_id)}));
  return {};
}

Result<void> detach_from(Connection& c, std::string_view invoice_id) {
  TRY(
      c.execute("UPDATE charges SET invoice_id = NULL WHERE invoice_id = ? AND invoice_id IN "
                "(SELECT id FROM invoices WHERE state = 'draft')",
                {std::string(invoice_id)}));
  return {};
}

Result<Page<Charge>> list(Connection& c, const Scope& scope, const Filter& filter,
                          const PageRequest& page) {
  std::vector<Value> params;
  auto where = scope_condition(scope, params);
  if (filter.organization_id)
    where += " AND organization_id = ?", params.emplace_back(*filter.organization_id);
  if (filter.from) where += " AND occurred_at >= ?", params.emplace_back(*filter.from);
  if (filter.to) where += " AND occurred_at < ?", params.emplace_back(*filter.to);
  if (!page.after.empty()) where += " AND id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows,
                   c.query(fmt::format("SELECT {} FROM charges WHERE {} ORDER BY id DESC LIMIT ?",
                                       kChargeColumns, where),
                           params));
  std::vector<Charge> items;
  for (const auto& r : rows) items.push_back(charge_from(r));
  return make_page(std::move(items), page.limit, [](const Charge& x) { return x.id; });
}

}  // namespace charges

namespace invoices {

Result<void> insert(Connection& c, const Invoice& i) {
  TRY(c.execute(
      fmt::format("INSERT INTO invoices ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kInvoiceColumns),
      {i.id, i.organization_id, i.period, i.state, optional_integer(i.number), i.total_cents,
       i.version, i.created_at, optional_integer(i.issued_at), i.purpose, i.currency,
       optional_text(i.offboarding_id)}));
  for (const auto& l : i.lines)
    TRY(c.execute(
        fmt::format("INSERT INTO invoice_lines ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    kLineColumns),
        {i.id, l.position, l.kind, l.source_id, l.label, optional_text(l.user_id), l.quantity,
         l.unit_cents, l.amount_cents, optional_integer(l.from), optional_integer(l.to)}));
  return {};
}

Result<std::optional<Invoice>> find(Connection& c, const Scope& scope, std::string_view id,
                                    Lock lock) {
  std::vector<Value> params{std::string(id)};
  auto where = scope_condition(scope, params);
  // A customer reads issued invoices only: a draft may still change.
  if (!scope.sees_everything()) where += " AND state = 'issued'";
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM invoices WHERE id = ? AND {}{}",
                                                  kInvoiceColumns, where,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      params));
  if (rows.empty()) return std::nullopt;
  auto invoice = invoice_from(rows[0]);
  ASSIGN_OR_RETURN(
      auto lines,
      c.query(fmt::format("SELECT {} FROM invoice_lines WHERE invoice_id = ? ORDER BY position",
                          kLineColumns),
              {invoice.id}));
  for (const auto& r : lines)
    invoice.lines.push_back(InvoiceLine{r.text(0), r.integer(1), r.text(2), r.text(3), r.text(4),
                                        r.maybe_text(5), r.integer(6), r.integer(7), r.integer(8),
                                        r.maybe_integer(9), r.maybe_integer(10)});
  return invoice;
}

Result<std::optional<Invoice>> of_period(Connection& c, std::string_view organization_id,
                                         std::string_view period) {
  ASSIGN_OR_RETURN(
      auto rows,
      c.query(fmt::format("SELECT {} FROM invoices WHERE organization_id = ? AND period = ? "
                          "AND purpose = 'monthly'{}",
                          kInvoiceColumns, c.lock_clause()),
              {std::string(organization_id), std::string(period)}));
  if (rows.empty()) return std::nullopt;
  return invoice_from(rows[0]);
}

Result<std::vector<Invoice>> drafts_of_period(Connection& c, std::string_view period) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM invoices WHERE period = ? AND "
                                                  "state = 'draft' ORDER BY id{}",
                                                  kInvoiceColumns, c.lock_clause()),
                                      {std::string(period)}));
  std::vector<Invoice> out;
  for (const auto& r : rows) out.push_back(invoice_from(r));
  return out;
}

Result<std::vector<PaidFeeLine>> paid_fees(Connection& c, const std::optional<std::string>& organization_id,
                                           std::int64_t from, std::int64_t to) {
  std::vector<Value> params{from, to};
  std::string where = "l.kind = 'tier_fee' AND l.to_at > ? AND l.from_at < ? AND i.state = 'issued'";
  if (organization_id) where += " AND i.organization_id = ?", params.emplace_back(*organization_id);
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT l.invoice_id, l.source_id, l.user_id, l.amount_cents, l.from_at, l.to_at, l.label "
                                      "FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE " +
                                          where + " ORDER BY l.source_id, l.from_at",
                                      params));
  std::vector<PaidFeeLine> out;
  for (const auto& r : rows)
    out.push_back({r.text(0), r.text(1), r.maybe_text(2), r.integer(3), r.integer(4), r.integer(5), r.text(6)});
  return out;
}

Result<std::vector<std::string>> settled_subscriptions(Connection& c, std::string_view organization_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT DISTINCT l.source_id FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id "
                                      "WHERE i.organization_id = ? AND i.purpose = 'settlement' AND i.state = 'issued' "
                                      "AND l.kind IN ('tier_fee', 'prepaid_credit') ORDER BY l.source_id",
                                      {std::string(organization_id)}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

Result<void> remove_draft(Connection& c, std::string_view id) {
  TRY(
      c.execute("DELETE FROM invoice_lines WHERE invoice_id = ? AND invoice_id IN "
                "(SELECT id FROM invoices WHERE state = 'draft')",
                {std::string(id)}));
  TRY(c.execute("DELETE FROM invoices WHERE id = ? AND state = 'draft'", {std::string(id)}));
  return {};
}

Result<bool> is_stale(Connection& c, std::string_view id) {
  std::string draft(id);
  ASSIGN_OR_RETURN(auto charges, c.query("SELECT 1 FROM invoice_lines l JOIN charges ch ON ch.id = l.source_id "
                                         "WHERE l.invoice_id = ? AND l.kind <> 'tier_fee' "
                                         "AND (ch.voided = 1 OR ch.invoice_id IS NULL OR ch.invoice_id <> ?) LIMIT 1",
                                         {draft, draft}));
  if (!charges.empty()) return true;
  ASSIGN_OR_RETURN(auto fees, c.query("SELECT 1 FROM invoice_lines l JOIN invoice_lines p ON p.source_id = l.source_id "
                                      "JOIN invoices i ON i.id = p.invoice_id "
                                      "WHERE l.invoice_id = ? AND l.kind = 'tier_fee' AND p.kind = 'tier_fee' AND i.state = 'issued' "
                                      "AND p.from_at < l.to_at AND p.to_at > l.from_at LIMIT 1",
                                      {draft}));
  return !fees.empty();
}

Result<std::int64_t> next_number(Connection& c) {
  // Issues on PostgreSQL take their numbers one at a time (SQLite writes one at a time anyway).
  if (c.dialect() == Dialect::postgresql) TRY(c.query("SELECT pg_advisory_xact_lock(7231001)"));
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT COALESCE(MAX(number), 0) + 1 FROM invoices"));
  return rows[0].integer(0);
}

Result<void> update(Connection& c, const Invoice& i) {
  ASSIGN_OR_RETURN(auto n,
                   c.execute("UPDATE invoices SET state = ?, number = ?, issued_at = ?, version = "
                             "? WHERE id = ? AND version = ?",
                             {i.state, optional_integer(i.number), optional_integer(i.issued_at),
                              i.version, i.id, i.version - 1}));
  if (n == 0)
    return fail(Code::failed_precondition, "The invoice was changed by someone else; reload it.");
  return {};
}

Result<Page<Invoice>> list(Connection& c, const Scope& scope, const Filter& filter,
                           const PageRequest& page) {
  std::vector<Value> params;
  auto where = scope_condition(scope, params);
  if (!scope.sees_everything()) where += " AND state = 'issued'";
  for (auto [column, value] :
       {std::pair{"organization_id", &filter.organization_id}, std::pair{"period", &filter.period},
        std::pair{"state", &filter.state}, std::pair{"purpose", &filter.purpose}})
    if (*value) where += fmt::format(" AND {} = ?", column), params.emplace_back(**value);
  if (!page.after.empty()) where += " AND id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows,
                   c.query(fmt::format("SELECT {} FROM invoices WHERE {} ORDER BY id DESC LIMIT ?",
                                       kInvoiceColumns, where),
                           params));
  std::vector<Invoice> items;
  for (const auto& r : rows) items.push_back(invoice_from(r));
  return make_page(std::move(items), page.limit, [](const Invoice& i) { return i.id; });
}

}  // namespace invoices

}  // namespace tandem::storage
