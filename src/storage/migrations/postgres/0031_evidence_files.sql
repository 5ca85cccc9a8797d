-- ONB-8: evidence may carry a file (a photo of a licence, a certificate). Its content lies with
-- the person's organisation's files, content-addressed like attachments, and this row is what
-- keeps the sweep of unreferenced files away from it. The reserved attachment_id goes: evidence
-- belongs to no ticket.
ALTER TABLE requirement_evidence DROP COLUMN attachment_id;
ALTER TABLE requirement_evidence ADD COLUMN file_sha256 TEXT;
ALTER TABLE requirement_evidence ADD COLUMN file_name TEXT;
ALTER TABLE requirement_evidence ADD COLUMN file_size BIGINT;
ALTER TABLE requirement_evidence ADD COLUMN file_content_type TEXT;
CREATE INDEX requirement_evidence_by_file ON requirement_evidence (organization_id, file_sha256) WHERE file_sha256 IS NOT NULL;
