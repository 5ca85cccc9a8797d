-- REL-2: files given with a catalog request's form, uploaded before the request exists. Each is
-- its uploader's alone until a request names it and it becomes an attachment of that request's
-- ticket; one no request took within a day is removed with its content.
CREATE TABLE staged_uploads (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  uploaded_by TEXT NOT NULL REFERENCES users (id),
  sha256 TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX staged_uploads_by_uploader ON staged_uploads (uploaded_by, created_at);
CREATE INDEX staged_uploads_by_age ON staged_uploads (created_at);
CREATE INDEX staged_uploads_by_content ON staged_uploads (organization_id, sha256);
