-- DESK-5, REL-2: the service catalog. Services, request types and entitlement rules are
-- provider configuration kept as checked JSON definitions (usecase/catalog reads them, with
-- their translations); position orders services and request types (ties by id).
CREATE TABLE services (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE request_types (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE entitlements (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- A submitted request: the ticket it became, what it was for and for whom, the checked answers
-- and the price as it was when submitted. Quotas count a type's requests per user or
-- organisation over a window.
CREATE TABLE ticket_requests (
  ticket_id TEXT PRIMARY KEY REFERENCES tickets (id),
  request_type_id TEXT NOT NULL,
  beneficiary_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  answers TEXT NOT NULL,
  price_cents INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX ticket_requests_by_user ON ticket_requests (request_type_id, beneficiary_id, created_at);
CREATE INDEX ticket_requests_by_organization ON ticket_requests (request_type_id, organization_id, created_at);
