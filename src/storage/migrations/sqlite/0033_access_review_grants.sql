-- ONB-12: a review's grants as rows, not one JSON list: an organisation of any size is reviewed
-- whole, read a page at a time, and a decision writes one grant (and one audit entry about it)
-- instead of rewriting every grant of the review.
CREATE TABLE access_review_grants (
  review_id TEXT NOT NULL REFERENCES access_reviews (id),
  ordinal INTEGER NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  decision TEXT,
  decided_by TEXT,
  decided_at INTEGER,
  PRIMARY KEY (review_id, id)
);
CREATE UNIQUE INDEX access_review_grants_in_order ON access_review_grants (review_id, ordinal);
INSERT INTO access_review_grants (review_id, ordinal, id, kind, subject, decision, decided_by, decided_at)
  SELECT r.id, CAST(j.key AS INTEGER), json_extract(j.value, '$.id'), json_extract(j.value, '$.kind'),
         json_extract(j.value, '$.subject'), json_extract(j.value, '$.decision'), json_extract(j.value, '$.decided_by'),
         json_extract(j.value, '$.decided_at')
  FROM access_reviews r, json_each(r.grants) j;
ALTER TABLE access_reviews ADD COLUMN grant_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE access_reviews ADD COLUMN decided_count INTEGER NOT NULL DEFAULT 0;
UPDATE access_reviews SET
  grant_count = (SELECT COUNT(*) FROM access_review_grants g WHERE g.review_id = access_reviews.id),
  decided_count = (SELECT COUNT(*) FROM access_review_grants g WHERE g.review_id = access_reviews.id AND g.decision IS NOT NULL);
ALTER TABLE access_reviews DROP COLUMN grants;
