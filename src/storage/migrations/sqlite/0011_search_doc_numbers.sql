-- The rowid of the next search document (docs/adr/0003), counted apart from the full-text table
-- so that the table itself is written once per group commit, after every write of the batch
-- has run: an FTS5 table writes its pending changes out at every savepoint, and each write of
-- a batch is one.
CREATE TABLE search_doc_numbers (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  last INTEGER NOT NULL
);
INSERT INTO search_doc_numbers (singleton, last)
  SELECT 1, COALESCE((SELECT rowid FROM ticket_search ORDER BY rowid DESC LIMIT 1), 0);
