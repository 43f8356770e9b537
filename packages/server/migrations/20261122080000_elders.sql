-- The elder ledger (台账), issue 3. Per-elder tables carry elder_id and the 6-digit county code
-- (Citus-ready: the county code is the distribution key candidate).
-- migrate:up
create table elders (
  id uuid primary key,
  county_code text not null check (county_code ~ '^[0-9]{6}$'),
  village_code text not null references regions (code),
  name text not null,
  name_initials text not null,
  gender text not null check (gender in ('male', 'female')),
  birth_date date not null,
  id_hash text not null,
  id_enc text not null,
  id_masked text not null,
  phone_enc text,
  phone_masked text,
  categories text[] not null default '{}',
  tier text not null check (tier in ('high_risk', 'key', 'general')),
  status text not null default 'active' check (status in ('active', 'moved', 'institution', 'hospital', 'deceased')),
  status_since date not null,
  contradiction_count integer not null default 0,
  data jsonb not null,
  evaluation jsonb not null,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  created_by uuid,
  updated_at timestamptz not null default now(),
  updated_by uuid
);
create unique index elders_id_hash_key on elders (id_hash);
create index elders_village_status_idx on elders (village_code text_pattern_ops, status);
create index elders_township_name_birth_idx on elders (substr(village_code, 1, 9), name, birth_date);
create index elders_initials_idx on elders (name_initials text_pattern_ops);
create index elders_categories_idx on elders using gin (categories);

create table elder_status_history (
  id uuid primary key,
  elder_id uuid not null references elders (id),
  county_code text not null,
  status text not null check (status in ('active', 'moved', 'institution', 'hospital', 'deceased')),
  effective_date date not null,
  village_code text not null references regions (code),
  note text,
  recorded_at timestamptz not null default now(),
  recorded_by uuid
);
create index elder_status_history_elder_idx on elder_status_history (elder_id, effective_date);
create index audit_log_entity_idx on audit_log (entity, entity_id, at);

-- migrate:down
drop index audit_log_entity_idx;
drop table elder_status_history;
drop table elders;
