-- The visits entered in the last minutes, for the visit-rate rollup's safety net
-- (rollups.repository.ts refreshWindowsOfVisitsSince): visits are appended in entry order, so a
-- BRIN index finds them in the last block ranges at almost no cost per insert (a b-tree would add
-- a fourth index write to every recorded visit).
-- migrate:up
create index visits_entered_at_brin on visits using brin (entered_at);

-- migrate:down
drop index visits_entered_at_brin;
