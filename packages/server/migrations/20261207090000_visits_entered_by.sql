-- A user's recent entries (GET /api/visits/amendable: what they may still correct, 更正) are read
-- by who entered them and when, newest first, without scanning every visit.
-- migrate:up
create index visits_entered_by_idx on visits (entered_by, entered_at);

-- migrate:down
drop index visits_entered_by_idx;
