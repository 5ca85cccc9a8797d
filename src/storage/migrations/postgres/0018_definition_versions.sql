-- Caches of definitions (the agreed timeframes, the catalog) hold while these counters do: every
-- insert, change or removal of a definition raises its kind's counter in the same transaction,
-- so one indexed read tells a node whether anything changed, wherever it was changed. (Before,
-- a count and sums over whole tables told it: a scan of thousands of request types per read.)
CREATE TABLE definition_versions (
  kind TEXT PRIMARY KEY,
  version BIGINT NOT NULL
);
