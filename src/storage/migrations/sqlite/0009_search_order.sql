-- Search ranks the newest matching documents (docs/adr/0003): every new search document takes
-- the next rowid, so rowid order is age order; a ticket remembers the rowid of its text.
-- Documents written before this keep their rowids (ticket text: its number; comments:
-- negative) and rank as the oldest.
ALTER TABLE tickets ADD COLUMN search_doc INTEGER NOT NULL DEFAULT 0;
UPDATE tickets SET search_doc = number;
