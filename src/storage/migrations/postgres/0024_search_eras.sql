-- Search takes the newest matching documents from the GIN index a few eras at a time instead of
-- walking every document newest first and testing its terms (docs/adr/0003): each document's
-- tsvector carries the lexeme of its era, `~e<doc >> 12>` (ticket_search::kSearchEraBits), and
-- of its ticket's organisation, `~o<organization id>`, which a customer's search intersects with.
-- The walk's covering index goes; a plain index on doc finds the newest document.
UPDATE ticket_search s SET terms = s.terms || array_to_tsvector(ARRAY['~e' || (s.doc >> 12), '~o' || t.organization_id])
  FROM tickets t WHERE t.id = s.ticket_id;
CREATE INDEX ticket_search_by_doc ON ticket_search (doc);
DROP INDEX ticket_search_newest_first;
