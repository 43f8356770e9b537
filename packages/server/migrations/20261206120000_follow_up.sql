-- From finding to resolution (issue 6): the findings workflow with owners, deadlines and a full
-- history, emergencies with their checklist and escalation ladder, service providers, referrals,
-- care services (丹东 记录表 六), dismissed entitlement hints, and alerts with a persistent outbox.
-- Per-elder tables carry elder_id and the 6-digit county code (Citus-ready).
-- migrate:up

-- Findings: an emergency may be raised by staff without a visit (after a call from the family).
alter table findings alter column visit_id drop not null;
alter table findings add column description text;
alter table findings add column owner_id uuid references users (id);
alter table findings add column deadline_at timestamptz;
alter table findings add column deadline_action text
  check (deadline_action in ('acknowledge', 'handle', 'refer'));
alter table findings add column acknowledged_at timestamptz;
alter table findings add column acknowledged_by uuid references users (id);
-- The level of the escalation ladder alerted now (emergencies): village → township → county.
alter table findings add column escalation_level text not null default 'village'
  check (escalation_level in ('village', 'township', 'county'));
alter table findings add column escalated_at timestamptz;
-- The emergency checklist: number called, family reached, the elder's situation now.
alter table findings add column emergency_checklist jsonb not null default '{}';
alter table findings add column resolved_at timestamptz;
alter table findings add column closed_at timestamptz;
alter table findings add column updated_at timestamptz not null default now();
alter table findings add constraint findings_status_check
  check (status in ('open', 'in_progress', 'referred', 'resolved', 'closed'));
-- Findings still to act on, by deadline (the escalation ticker and the alert queue).
create index findings_open_deadline_idx on findings (deadline_at)
  where status in ('open', 'in_progress', 'referred');
create index findings_owner_idx on findings (owner_id) where owner_id is not null;
-- Findings raised before this migration get the default deadlines (follow-up.ts DEFAULT_DEADLINES).
update findings set
  deadline_action = case when type = 'emergency' or severity = 'emergency' then 'acknowledge'
    when type = 'need' then 'refer' else 'handle' end,
  deadline_at = created_at + case
    when type = 'emergency' or severity = 'emergency' then interval '30 minutes'
    when type = 'safety_hazard' then interval '7 days'
    when type = 'need' then interval '14 days'
    when severity = 'high' then interval '3 days'
    when severity = 'medium' then interval '7 days'
    else interval '14 days' end;

-- Every step of a finding, who took it and when (never updated, never deleted).
create table finding_events (
  id uuid primary key,
  finding_id uuid not null references findings (id),
  elder_id uuid not null,
  county_code text not null,
  at timestamptz not null default now(),
  -- null when the system acted (an escalation)
  actor_id uuid references users (id),
  actor_name text,
  kind text not null check (kind in ('raised', 'status', 'assigned', 'acknowledged', 'checklist',
    'disposal', 'escalated', 'note', 'referral', 'deadline')),
  from_status text,
  to_status text,
  detail jsonb
);
create index finding_events_finding_idx on finding_events (finding_id, at);

-- How a finding was dealt with (处置情况记录): required before it can close.
create table finding_disposals (
  id uuid primary key,
  finding_id uuid not null references findings (id),
  elder_id uuid not null,
  county_code text not null,
  kind text not null,
  description text not null,
  handled_on date not null,
  created_at timestamptz not null default now(),
  created_by uuid references users (id)
);
create index finding_disposals_finding_idx on finding_disposals (finding_id);

-- A region's own deadlines; the most specific region wins, then the defaults in the domain.
create table follow_up_deadlines (
  region_code text not null references regions (code),
  key text not null,
  action text not null check (action in ('acknowledge', 'handle', 'refer')),
  minutes integer not null check (minutes between 5 and 129600),
  updated_at timestamptz not null default now(),
  updated_by uuid references users (id),
  primary key (region_code, key)
);

-- Who is on duty (值班) receives emergencies at once.
alter table users add column on_duty boolean not null default true;

-- Service providers (服务机构) that referrals go to.
create table service_providers (
  id uuid primary key,
  name text not null,
  kinds text[] not null,
  region_code text not null references regions (code),
  contact_name text,
  phone text,
  address text,
  status text not null default 'active' check (status in ('active', 'inactive')),
  created_at timestamptz not null default now(),
  created_by uuid references users (id),
  updated_at timestamptz not null default now()
);
create index service_providers_region_idx on service_providers (region_code text_pattern_ops);
-- A provider account belongs to one provider and sees only what was referred to it.
alter table users add column provider_id uuid references service_providers (id);

-- Referrals (需求转介) of a need to a provider.
create table referrals (
  id uuid primary key,
  finding_id uuid references findings (id),
  elder_id uuid not null references elders (id),
  county_code text not null,
  village_code text not null,
  provider_id uuid not null references service_providers (id),
  kind text not null,
  need text not null,
  status text not null default 'sent'
    check (status in ('sent', 'accepted', 'in_progress', 'completed', 'declined', 'cancelled')),
  outcome text,
  created_at timestamptz not null default now(),
  created_by uuid references users (id),
  updated_at timestamptz not null default now(),
  accepted_at timestamptz,
  completed_at timestamptz
);
create index referrals_provider_idx on referrals (provider_id, status);
create index referrals_village_idx on referrals (village_code text_pattern_ops, created_at);
create index referrals_elder_idx on referrals (elder_id, created_at);
create index referrals_finding_idx on referrals (finding_id);

create table referral_events (
  id uuid primary key,
  referral_id uuid not null references referrals (id),
  elder_id uuid not null,
  county_code text not null,
  at timestamptz not null default now(),
  actor_id uuid references users (id),
  actor_name text,
  from_status text,
  to_status text,
  note text
);
create index referral_events_referral_idx on referral_events (referral_id, at);

-- Care services (关爱服务, 丹东 记录表 六) with the elder's satisfaction.
create table care_services (
  id uuid primary key,
  elder_id uuid not null references elders (id),
  county_code text not null,
  village_code text not null,
  served_on date not null,
  content text not null,
  provider_id uuid references service_providers (id),
  provider_name text not null,
  satisfaction text not null check (satisfaction in ('satisfied', 'basically_satisfied', 'unsatisfied')),
  referral_id uuid references referrals (id),
  note text,
  created_at timestamptz not null default now(),
  created_by uuid references users (id)
);
create index care_services_elder_idx on care_services (elder_id, served_on);
create index care_services_village_idx on care_services (village_code text_pattern_ops, served_on);

-- Entitlement hints staff dismissed, with the reason (the hints themselves are computed).
create table entitlement_dismissals (
  elder_id uuid not null references elders (id),
  county_code text not null,
  rule text not null,
  reason text not null,
  dismissed_at timestamptz not null default now(),
  dismissed_by uuid references users (id),
  primary key (elder_id, rule)
);

-- Alerts sent out of the system: one per event and level of the ladder.
create table alerts (
  id uuid primary key,
  kind text not null,
  -- the region whose staff are alerted
  region_code text not null,
  elder_id uuid references elders (id),
  county_code text,
  subject_type text not null,
  subject_id uuid not null,
  title text not null,
  body text not null,
  urgency integer not null,
  created_at timestamptz not null default now(),
  unique (subject_type, subject_id, kind, region_code)
);
create index alerts_region_idx on alerts (region_code text_pattern_ops, created_at desc);

-- Outbound channels of a region: a webhook, or an SMS gateway.
create table notification_channels (
  id uuid primary key,
  region_code text not null references regions (code),
  kind text not null check (kind in ('webhook', 'sms')),
  name text not null,
  config jsonb not null,
  -- the alert kinds it carries; empty = all
  alert_kinds text[] not null default '{}',
  active boolean not null default true,
  created_at timestamptz not null default now(),
  created_by uuid references users (id)
);
create index notification_channels_region_idx on notification_channels (region_code text_pattern_ops);

-- The outbox: one delivery per alert and channel, retried with backoff until delivered.
create table alert_deliveries (
  alert_id uuid not null references alerts (id),
  channel_id uuid not null references notification_channels (id),
  payload jsonb not null,
  status text not null default 'pending'
    check (status in ('pending', 'sending', 'delivered', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  -- a sender holds a delivery until then; after a crash another takes it over
  lease_until timestamptz,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (alert_id, channel_id)
);
create index alert_deliveries_due_idx on alert_deliveries (next_attempt_at)
  where status in ('pending', 'sending');

-- migrate:down
drop table alert_deliveries;
drop table notification_channels;
drop table alerts;
drop table entitlement_dismissals;
drop table care_services;
drop table referral_events;
drop table referrals;
alter table users drop column provider_id;
drop table service_providers;
alter table users drop column on_duty;
drop table follow_up_deadlines;
drop table finding_disposals;
drop table finding_events;
drop index findings_owner_idx;
drop index findings_open_deadline_idx;
alter table findings drop constraint findings_status_check;
alter table findings drop column updated_at;
alter table findings drop column closed_at;
alter table findings drop column resolved_at;
alter table findings drop column emergency_checklist;
alter table findings drop column escalated_at;
alter table findings drop column escalation_level;
alter table findings drop column acknowledged_by;
alter table findings drop column acknowledged_at;
alter table findings drop column deadline_action;
alter table findings drop column deadline_at;
alter table findings drop column owner_id;
alter table findings drop column description;
alter table findings alter column visit_id set not null;
