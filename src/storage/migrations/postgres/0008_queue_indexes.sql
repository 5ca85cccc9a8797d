-- Queue pages (issue: service desk core §6): the common queues filter by status, assignee or
-- team and sort by priority; these indexes answer a page without sorting every match
-- (measured in bench/RESULTS.md).
CREATE INDEX tickets_queue_by_status ON tickets (status, priority_rank DESC, id);
CREATE INDEX tickets_queue_by_assignee ON tickets (assignee_id, status, priority_rank DESC, id);
CREATE INDEX tickets_queue_by_team ON tickets (team_id, status, priority_rank DESC, id);
