-- Who visits whom and how often (issue 4): visitors, assignments, visit policies (versioned),
-- campaigns, and the visits table the schedule is computed from (issue 5 records into it).
-- Per-elder tables carry elder_id and the 6-digit county code (Citus-ready).
-- migrate:up
create table visitors (
  id uuid primary key,
  region_code text not null references regions (code),
  name text not null,
  type text not null check (
    type in ('cadre', 'grid_worker', 'volunteer', 'neighbour', 'relative', 'social_worker', 'care_staff', 'other')
  ),
  phone_enc text,
  phone_masked text,
  id_hash text,
  id_enc text,
  id_masked text,
  user_id uuid unique references users (id),
  status text not null default 'active' check (status in ('active', 'left')),
  left_on date,
  note text,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  created_by uuid,
  updated_at timestamptz not null default now(),
  updated_by uuid
);
create index visitors_region_idx on visitors (region_code text_pattern_ops, status);
create unique index visitors_id_hash_key on visitors (id_hash) where id_hash is not null;

-- An assignment holds from start_date (inclusive) to end_date (exclusive); end_date null = open.
create table assignments (
  id uuid primary key,
  elder_id uuid not null references elders (id),
  county_code text not null,
  visitor_id uuid not null references visitors (id),
  role text not null check (role in ('primary', 'backup')),
  start_date date not null,
  end_date date,
  end_reason text,
  created_at timestamptz not null default now(),
  created_by uuid,
  ended_at timestamptz,
  ended_by uuid,
  check (end_date is null or end_date >= start_date)
);
-- At most one open primary per elder (overlaps of dated history are checked by the service).
create unique index assignments_open_primary_key on assignments (elder_id) where role = 'primary' and end_date is null;
create unique index assignments_open_pair_key on assignments (elder_id, visitor_id) where end_date is null;
create index assignments_elder_idx on assignments (elder_id, start_date);
create index assignments_visitor_idx on assignments (visitor_id, start_date);

-- A policy is its region and identity; what it says lives in versions, each from a date.
create table visit_policies (
  id uuid primary key,
  region_code text not null references regions (code),
  preset text,
  created_at timestamptz not null default now(),
  created_by uuid
);
create index visit_policies_region_idx on visit_policies (region_code text_pattern_ops);

create table visit_policy_versions (
  policy_id uuid not null references visit_policies (id),
  version integer not null check (version >= 1),
  effective_from date not null,
  retired boolean not null default false,
  name text not null,
  tiers text[] not null default '{}',
  categories text[] not null default '{}',
  cadence jsonb not null,
  counted_methods text[] not null,
  in_person_every text check (in_person_every in ('month', 'quarter', 'year')),
  template_key text not null,
  entry_grace_days integer not null default 3 check (entry_grace_days between 0 and 31),
  note text,
  created_at timestamptz not null default now(),
  created_by uuid,
  primary key (policy_id, version),
  unique (policy_id, effective_from)
);

create table campaigns (
  id uuid primary key,
  region_code text not null references regions (code),
  name text not null,
  kind text not null check (
    kind in ('extreme_weather', 'public_health', 'festival', 'flood_season', 'heating_season', 'major_event', 'other')
  ),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  within_value integer not null check (within_value >= 1),
  within_unit text not null check (within_unit in ('hours', 'days')),
  tiers text[] not null default '{}',
  categories text[] not null default '{}',
  counted_methods text[] not null,
  checklist jsonb not null default '[]',
  note text,
  status text not null default 'active' check (status in ('active', 'cancelled')),
  cancelled_at timestamptz,
  cancelled_by uuid,
  created_at timestamptz not null default now(),
  created_by uuid,
  check (ends_at > starts_at)
);
create index campaigns_region_idx on campaigns (region_code text_pattern_ops, ends_at);

-- Visits (巡访/探访记录): the id is made by the client (UUIDv7), so a retry is the same record.
-- visited_at is when it happened, entered_at when it reached the server (late entry is honest).
create table visits (
  id uuid primary key,
  elder_id uuid not null references elders (id),
  county_code text not null,
  village_code text not null,
  visitor_id uuid references visitors (id),
  visited_at timestamptz not null,
  entered_at timestamptz not null default now(),
  method text not null check (method in ('in_person', 'phone', 'video', 'other')),
  template_key text not null,
  template_version integer not null,
  answers jsonb not null default '{}',
  entered_by uuid
);
-- Covering indexes: the schedule reads visits by elder (worklists) and by county and time (counts)
-- with index-only scans.
create index visits_elder_time_idx on visits (elder_id, visited_at) include (id, entered_at, method);
create index visits_county_time_idx on visits (county_code, visited_at) include (elder_id, entered_at, method, village_code);
-- What the schedule needs of the elders of a region, without reading their records.
create index elders_schedule_idx on elders (village_code text_pattern_ops) include (id, tier, categories, status, status_since);
-- Elders who left a region during a period are still due there for the part before they left.
create index elder_status_history_village_idx on elder_status_history (village_code text_pattern_ops, effective_date);

-- migrate:down
drop index elders_schedule_idx;
drop index elder_status_history_village_idx;
drop table visits;
drop table campaigns;
drop table visit_policy_versions;
drop table visit_policies;
drop table assignments;
drop table visitors;
