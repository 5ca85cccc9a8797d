-- Nothing to change: FTS5 walks a term's documents in rowid order, newest first, by itself.
-- PostgreSQL's 0015 gives its search an index to walk them the same way.
SELECT 1;
