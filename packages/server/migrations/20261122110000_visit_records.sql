-- Recording visits (issue 5): uploaded form templates, proof of visit on the visits table,
-- photos and signatures (attachments), and the findings a visit raises.
-- Per-elder tables carry elder_id and the 6-digit county code (Citus-ready).
-- migrate:up

-- Templates a city uploaded; the built-ins live in the domain (BUILTIN_TEMPLATES).
create table form_templates (
  key text not null,
  version integer not null check (version >= 1),
  definition jsonb not null,
  region_code text not null references regions (code),
  created_at timestamptz not null default now(),
  created_by uuid,
  primary key (key, version)
);
create index form_templates_region_idx on form_templates (region_code text_pattern_ops);

-- Proof of visit: the device's clock, where it was, and what the recorder reported.
alter table visits add column device_time timestamptz;
alter table visits add column location jsonb;
alter table visits add column emergency boolean not null default false;
alter table visits add column emergency_note text;
-- The campaign checks in force when the visit was recorded (they were part of its form).
alter table visits add column checklist jsonb not null default '[]';
alter table visits add column recorded_by_role text;

-- Photos and signatures, uploaded before the visit (the id is made by the client) and attached
-- to it when it is recorded.
create table attachments (
  id uuid primary key,
  elder_id uuid not null references elders (id),
  county_code text not null,
  kind text not null check (kind in ('photo', 'signature')),
  mime text not null check (mime in ('image/jpeg', 'image/png', 'image/webp')),
  size integer not null check (size > 0),
  sha256 text not null,
  content bytea not null,
  visit_id uuid references visits (id),
  created_at timestamptz not null default now(),
  created_by uuid
);
create index attachments_visit_idx on attachments (visit_id);

-- Findings (发现的问题) a visit raised; the next issue follows them to their end.
create table findings (
  id uuid primary key,
  visit_id uuid not null references visits (id),
  elder_id uuid not null references elders (id),
  county_code text not null,
  village_code text not null,
  type text not null,
  severity text not null check (severity in ('low', 'medium', 'high', 'emergency')),
  title text not null,
  source text not null,
  status text not null default 'open',
  created_at timestamptz not null default now(),
  created_by uuid
);
create index findings_village_time_idx on findings (village_code text_pattern_ops, created_at);
create index findings_elder_time_idx on findings (elder_id, created_at);
create index findings_visit_idx on findings (visit_id);

-- migrate:down
drop table findings;
drop table attachments;
alter table visits drop column recorded_by_role;
alter table visits drop column checklist;
alter table visits drop column emergency_note;
alter table visits drop column emergency;
alter table visits drop column location;
alter table visits drop column device_time;
drop table form_templates;
