-- Ticket numbers from a sequence: the one-row counter was locked from a creation's first
-- statement to its commit, so concurrent creations on PostgreSQL ran one after another
-- (bench/RESULTS.md). A sequence hands out numbers without a lock; a creation that fails
-- leaves a gap, which the number (a human reference, not a count) tolerates.
CREATE SEQUENCE ticket_number_sequence;
SELECT setval('ticket_number_sequence', (SELECT last FROM ticket_numbers WHERE singleton = 1) + 1, false);
DROP TABLE ticket_numbers;
