-- The visits entered in a span of time, for the visit-rate rollup's safety net
-- (rollups.repository.ts refreshWindowsOfVisitsSince), by a b-tree instead of a BRIN index. The
-- BRIN index assumed visits lie in the table in entry order; on the province data set (loaded by
-- COPY, entries of a month spread over its block ranges) a ten-second slice matched 177,000 of
-- the table's 1,230,000 blocks (830 ms, 1.4 GB read per slice), and a table whose freed space is
-- reused after updates (amendments, spot checks) drifts the same way. Entry times only grow, so
-- each insert lands on the index's rightmost leaf, which stays in memory.
-- migrate:up
drop index visits_entered_at_brin;
create index visits_entered_at_idx on visits (entered_at);

-- migrate:down
drop index visits_entered_at_idx;
create index visits_entered_at_brin on visits using brin (entered_at);
