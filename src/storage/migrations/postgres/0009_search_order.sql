-- Search ranks the newest matching documents (docs/adr/0003): `doc` orders them by age.
ALTER TABLE tickets ADD COLUMN search_doc BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ticket_search ADD COLUMN doc BIGSERIAL;
CREATE INDEX ticket_search_by_doc ON ticket_search (doc);
