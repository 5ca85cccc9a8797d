-- A document readable by every signed-in user (its owner has no audience) says so, so that a
-- search does not ask the audience table about each of its candidates. (SQLite's full-text index
-- gains prefix indexes here too; PostgreSQL's GIN index answers prefixes from its entries.)
ALTER TABLE knowledge_docs ADD COLUMN unrestricted BIGINT NOT NULL DEFAULT 0;
UPDATE knowledge_docs SET unrestricted = 1 WHERE NOT EXISTS (SELECT 1 FROM audiences a WHERE a.owner_id = knowledge_docs.owner_id);
