-- FTS5 walks a term's documents newest first by rowid already; the eras of PostgreSQL's search
-- documents (docs/adr/0003) have no counterpart here.
SELECT 1;
