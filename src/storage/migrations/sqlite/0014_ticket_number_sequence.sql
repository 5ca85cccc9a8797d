-- Nothing to change: SQLite has one writer, so its one-row counter (ticket_numbers) costs no
-- waiting. PostgreSQL's 0014 moves its ticket numbers to a sequence.
SELECT 1;
