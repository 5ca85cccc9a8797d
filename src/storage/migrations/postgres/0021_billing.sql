-- DESK-11: charges and invoices. A charge line is what a priced request or a usage record (a
-- booking posted through the API) costs an organisation (and the user it was for); a request
-- that ends rejected or cancelled voids its charge. A monthly invoice gathers the tier fees of
-- the month, prorated, and the month's charges not yet invoiced; it is a draft, rebuilt by every
-- run, until issued, when it takes its number and changes no more.
CREATE TABLE charges (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  user_id TEXT,
  source TEXT NOT NULL,
  ticket_id TEXT,
  kind TEXT NOT NULL,
  reference TEXT,
  label TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  unit_cents BIGINT NOT NULL,
  amount_cents BIGINT NOT NULL,
  occurred_at BIGINT NOT NULL,
  voided BIGINT NOT NULL,
  invoice_id TEXT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX charges_by_reference ON charges (organization_id, reference) WHERE reference IS NOT NULL;
CREATE INDEX charges_by_time ON charges (occurred_at, organization_id);
CREATE INDEX charges_by_ticket ON charges (ticket_id);
CREATE INDEX charges_by_invoice ON charges (invoice_id);

CREATE TABLE invoices (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  period TEXT NOT NULL,
  state TEXT NOT NULL,
  number BIGINT,
  total_cents BIGINT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  issued_at BIGINT
);
CREATE UNIQUE INDEX invoices_by_period ON invoices (organization_id, period);
CREATE UNIQUE INDEX invoices_by_number ON invoices (number) WHERE number IS NOT NULL;

CREATE TABLE invoice_lines (
  invoice_id TEXT NOT NULL REFERENCES invoices (id),
  position BIGINT NOT NULL,
  kind TEXT NOT NULL,
  source_id TEXT NOT NULL,
  label TEXT NOT NULL,
  user_id TEXT,
  quantity BIGINT NOT NULL,
  unit_cents BIGINT NOT NULL,
  amount_cents BIGINT NOT NULL,
  from_at BIGINT,
  to_at BIGINT,
  PRIMARY KEY (invoice_id, position)
);
