-- Corrections of visits (更正, issue 5 item 7): a visit is amended in place within a window after
-- it was entered, and each version it replaced is kept in full in visit_revisions. Visits are
-- never deleted. Per-elder tables carry elder_id and the 6-digit county code (Citus-ready).
-- migrate:up

-- The version a visit is at (1 until first amended; optimistic concurrency), and its last change.
alter table visits add column revision integer not null default 1 check (revision >= 1);
alter table visits add column amended_at timestamptz;
alter table visits add column amended_by uuid;

-- Each earlier version of a visit: what it said, and who replaced it with the next one, when and
-- why. Revision N holds version N; the visit row holds the newest.
create table visit_revisions (
  elder_id uuid not null references elders (id),
  visit_id uuid not null references visits (id),
  county_code text not null,
  revision integer not null check (revision >= 1),
  visited_at timestamptz not null,
  method text not null check (method in ('in_person', 'phone', 'video', 'other')),
  visitor_id uuid references visitors (id),
  template_key text not null,
  template_version integer not null,
  answers jsonb not null,
  emergency boolean not null,
  emergency_note text,
  amended_at timestamptz not null,
  amended_by uuid not null,
  reason text not null,
  primary key (elder_id, visit_id, revision)
);

-- migrate:down
drop table visit_revisions;
alter table visits drop column amended_by;
alter table visits drop column amended_at;
alter table visits drop column revision;
