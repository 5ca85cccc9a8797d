-- Which search documents belong to which ticket (docs/adr/0003): a caller who sees only their
-- own tickets searches only those tickets' documents, found through this table, instead of
-- walking every matching document of the store and discarding other people's.
CREATE TABLE ticket_search_docs (
  ticket_id TEXT NOT NULL,
  doc INTEGER NOT NULL,
  internal INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, doc)
) WITHOUT ROWID;
INSERT INTO ticket_search_docs (ticket_id, doc, internal) SELECT ticket_id, rowid, internal FROM ticket_search;
