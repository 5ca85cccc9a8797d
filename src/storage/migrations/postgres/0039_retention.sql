-- OFF-1: what an organisation's retention policy keeps of a person who left. Their contact
-- details (name, e-mail addresses, phone numbers) copied aside at the offboarding's archive step
-- when the policy says so, out of reach of the erasure that follows, and deleted when kept_until
-- passes. The policy itself is a setting (key retention:<organisation id>).
CREATE TABLE person_archives (
  offboarding_id TEXT PRIMARY KEY REFERENCES offboardings (id),
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  user_id TEXT NOT NULL,
  contact TEXT NOT NULL,
  kept_until BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX person_archives_by_expiry ON person_archives (kept_until);
-- The files a person uploaded, found at their erasure when the policy erases them.
CREATE INDEX attachments_by_uploader ON attachments (uploaded_by);
