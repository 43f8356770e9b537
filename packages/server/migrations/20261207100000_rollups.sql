-- The visit-rate rollup (issue 7): per elder and regular window, whether and by which visit it was
-- satisfied (kept in the visit's own statement), and per village, window span and dimension the
-- counts the rate is read from. See packages/domain/src/rollup.ts and docs/rules.md (探访率).
-- migrate:up

-- One row per regular window of an elder (the schedule engine's obligation of kind 'regular').
create table compliance (
  elder_id uuid not null references elders (id),
  county_code text not null,
  -- where the elder was at the start of the window
  village_code text not null,
  window_start timestamptz not null,
  -- the deadline (exclusive)
  window_end timestamptz not null,
  period_key text not null,
  -- shorter than a quarter of its period: due only if visited
  short boolean not null,
  counted_methods text[] not null,
  entry_grace_hours integer not null,
  tier text not null,
  categories text[] not null,
  -- the earliest counting visit in the window, and whether it was entered late (补录)
  visit_id uuid,
  visited_at timestamptz,
  late boolean not null default false,
  primary key (elder_id, window_start)
);
-- Elders not visited in a span (drill-down), by village.
create index compliance_unvisited_idx on compliance (village_code text_pattern_ops, window_end)
  where visit_id is null;
create index compliance_village_idx on compliance (village_code text_pattern_ops, window_end);

-- Per village, window span and dimension ('all', 'tier:…', 'category:…'): the counts of
-- domain/rollup.ts RollupCounts. Upcoming/open/overdue/exempt are derived when read.
create table village_rollup (
  village_code text not null,
  window_start timestamptz not null,
  window_end timestamptz not null,
  dimension text not null,
  planned integer not null default 0,
  short integer not null default 0,
  on_time integer not null default 0,
  late integer not null default 0,
  short_visited integer not null default 0,
  primary key (village_code, window_start, window_end, dimension)
);
-- A region's windows of a period, read without touching the table.
create index village_rollup_read_idx on village_rollup (dimension, window_end, village_code)
  include (window_start, planned, short, on_time, late, short_visited);
-- …and a county's or a township's, by its code prefix first.
create index village_rollup_region_idx on village_rollup
  (dimension, village_code text_pattern_ops, window_end)
  include (window_start, planned, short, on_time, late, short_visited);

-- Which months have been planned for which region prefix (windows overlapping the month).
create table rollup_months (
  region_code text not null,
  month text not null,
  planned_at timestamptz not null default now(),
  primary key (region_code, month)
);

-- migrate:down
drop table rollup_months;
drop table village_rollup;
drop table compliance;
