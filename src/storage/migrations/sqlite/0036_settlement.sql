-- OFF-2: invoices that are not a month's. A prepayment pays a tier's fee ahead (a year at once)
-- and is issued at once; a settlement is the final invoice or credit note of a customer or a
-- member who leaves. Both carry fee lines whose span says what time they pay for, so the monthly
-- run leaves that time alone. Only a month's invoice is one per organisation and month.
ALTER TABLE invoices ADD COLUMN purpose TEXT NOT NULL DEFAULT 'monthly';
ALTER TABLE invoices ADD COLUMN currency TEXT NOT NULL DEFAULT 'CNY';
ALTER TABLE invoices ADD COLUMN offboarding_id TEXT;
DROP INDEX invoices_by_period;
CREATE UNIQUE INDEX invoices_by_period ON invoices (organization_id, period) WHERE purpose = 'monthly';
CREATE INDEX invoices_by_organization ON invoices (organization_id, state);
CREATE INDEX invoice_lines_by_source ON invoice_lines (source_id);
