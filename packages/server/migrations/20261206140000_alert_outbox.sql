-- The alert outbox as the dispatcher runs it (issue 6): a delivery that keeps failing is flagged
-- 'failed' for the screens but stays due (retried at the longest backoff), so the due index covers
-- it too; the time of the last attempt is shown; per-channel counts read their own index. The
-- alert queue reads the open emergencies of a jurisdiction through their own partial index.
-- migrate:up
alter table alert_deliveries add column last_attempt_at timestamptz;
drop index alert_deliveries_due_idx;
create index alert_deliveries_due_idx on alert_deliveries (next_attempt_at)
  where status in ('pending', 'sending', 'failed');
create index alert_deliveries_channel_idx on alert_deliveries (channel_id, status);
create index findings_open_emergency_idx on findings (village_code text_pattern_ops)
  where status in ('open', 'in_progress', 'referred') and (type = 'emergency' or severity = 'emergency');

-- migrate:down
drop index findings_open_emergency_idx;
drop index alert_deliveries_channel_idx;
drop index alert_deliveries_due_idx;
create index alert_deliveries_due_idx on alert_deliveries (next_attempt_at)
  where status in ('pending', 'sending');
alter table alert_deliveries drop column last_attempt_at;
