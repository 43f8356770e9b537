-- Spot checks (抽查, issue 7): per township and month a random sample of visits, stratified by
-- visitor and reproducible from the stored seed and visit list (packages/domain/src/spot-checks.ts
-- drawSample), each sampled visit checked by county or township staff. A visit not verified is
-- flagged in visits.unverified (20261207110000) and no longer counts toward the visit rate.
-- Per-elder tables carry elder_id and the 6-digit county code (Citus-ready).
-- migrate:up

create table spot_check_samples (
  id uuid primary key,
  township_code text not null references regions (code),
  county_code text not null,
  -- the month sampled, YYYY-MM (China time)
  month text not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  -- the mulberry32 seed, an unsigned 32-bit integer
  seed bigint not null check (seed between 0 and 4294967295),
  -- how many per visitor: a percent rounded up, or a fixed number; at least min_per_visitor
  rate_percent integer check (rate_percent between 1 and 100),
  per_visitor integer check (per_visitor between 1 and 100),
  min_per_visitor integer not null check (min_per_visitor between 1 and 100),
  -- the visits drawn from, as they were at the draw: [[visit id, visitor id or null], …] by id
  population jsonb not null,
  population_size integer not null,
  strata integer not null,
  drawn_by uuid not null references users (id),
  drawn_at timestamptz not null default now(),
  -- one sample per township and month
  unique (township_code, month),
  check ((rate_percent is null) <> (per_visitor is null))
);
-- A region's samples by month (lists, pass rates).
create index spot_check_samples_region_idx
  on spot_check_samples (township_code text_pattern_ops, month);

create table spot_check_items (
  id uuid primary key,
  sample_id uuid not null references spot_check_samples (id),
  visit_id uuid not null references visits (id),
  elder_id uuid not null references elders (id),
  county_code text not null,
  -- the visit's village (pass rates per village)
  village_code text not null,
  visitor_id uuid references visitors (id),
  -- the staff user who checks it
  checker_id uuid references users (id),
  result text not null default 'pending'
    check (result in ('pending', 'verified_phone', 'verified_in_person', 'not_verified')),
  note text,
  checked_at timestamptz,
  checked_by uuid references users (id),
  created_at timestamptz not null default now(),
  -- a visit is sampled once (a visit belongs to one elder: unique with the distribution column)
  unique (elder_id, visit_id),
  check (result <> 'not_verified' or note is not null)
);
create index spot_check_items_sample_idx on spot_check_items (sample_id);
create index spot_check_items_checker_idx on spot_check_items (checker_id)
  where result = 'pending';

-- Every assignment and result of an item, who did it and when (never updated, never deleted).
create table spot_check_events (
  id uuid primary key,
  item_id uuid not null references spot_check_items (id),
  elder_id uuid not null,
  county_code text not null,
  at timestamptz not null default now(),
  actor_id uuid references users (id),
  actor_name text,
  kind text not null check (kind in ('assigned', 'result')),
  from_result text,
  to_result text,
  checker_id uuid references users (id),
  note text
);
create index spot_check_events_item_idx on spot_check_events (item_id, at);

-- migrate:down
drop table spot_check_events;
drop table spot_check_items;
drop table spot_check_samples;
