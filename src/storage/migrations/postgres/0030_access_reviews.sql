-- ONB-12: access reviews — every grant an organisation's people hold, as it stood when the review
-- was opened, each confirmed or revoked by its customer. Kept whole as a record (grants as one
-- JSON list, under the review's version).
CREATE TABLE access_reviews (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  opened_by TEXT NOT NULL,
  grants TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX access_reviews_by_organization ON access_reviews (organization_id, id);
