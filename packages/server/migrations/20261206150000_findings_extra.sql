-- The findings workflow and emergencies (issue 6): the escalation ticker reads the unacknowledged
-- emergencies by deadline through their own partial index, and the response-time statistics read
-- a region's emergencies by date. (A finding's history and disposals are read per finding, indexed
-- in 20261206120000.)
-- migrate:up
create index findings_unacked_emergency_idx on findings (deadline_at)
  where acknowledged_at is null and status in ('open', 'in_progress', 'referred')
    and (type = 'emergency' or severity = 'emergency');
create index findings_emergency_created_idx on findings (village_code text_pattern_ops, created_at)
  where type = 'emergency' or severity = 'emergency';

-- migrate:down
drop index findings_emergency_created_idx;
drop index findings_unacked_emergency_idx;
