-- SQLite needs a table mapping tickets to their search documents (docs/adr/0003); here
-- ticket_search's primary key (ticket_id, event_id) already finds a ticket's documents.
SELECT 1;
