-- SQLite counts its search documents apart from the full-text table; PostgreSQL's ticket_search
-- has its own key and needs no counter.
SELECT 1;
