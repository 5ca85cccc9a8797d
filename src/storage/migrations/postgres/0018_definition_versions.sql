-- Caches of definitions (the agreed timeframes, the catalog) hold while these counters do: every
-- insert, change or removal of a definition raises its kind's counter in the same transaction,
-- so one indexed read tells a node whether anything changed, wherever it was changed, where
-- sums over the tables would scan thousands of request types on every read.
CREATE TABLE definition_versions (
  kind TEXT PRIMARY KEY,
  version BIGINT NOT NULL
);
