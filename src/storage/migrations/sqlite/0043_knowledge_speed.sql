-- REL-2: suggestions follow typing, and a query word matches as a prefix (docs/adr/0003). FTS5 reads
-- a prefix's matches all at once unless it keeps an index of prefixes of that length: 3 to 6
-- characters cover most words typed ("car" 26 → 5 ms over 300,000 documents, bench/RESULTS.md).
-- The index is made again with them.
CREATE VIRTUAL TABLE knowledge_search_next USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0', prefix = '3 4 5 6');
INSERT INTO knowledge_search_next (rowid, terms) SELECT rowid, terms FROM knowledge_search;
DROP TABLE knowledge_search;
ALTER TABLE knowledge_search_next RENAME TO knowledge_search;
-- A document readable by every signed-in user (its owner has no audience) says so, so that a
-- search does not ask the audience table about each of its candidates.
ALTER TABLE knowledge_docs ADD COLUMN unrestricted INTEGER NOT NULL DEFAULT 0;
UPDATE knowledge_docs SET unrestricted = 1 WHERE NOT EXISTS (SELECT 1 FROM audiences a WHERE a.owner_id = knowledge_docs.owner_id);
