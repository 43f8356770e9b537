-- Platform: regions, users, sessions, audit log (issue 2).
-- migrate:up
create table regions (
  code text primary key check (code ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  name text not null check (length(name) between 1 and 100),
  level text not null check (level in ('province', 'city', 'county', 'township', 'village')),
  parent_code text references regions (code)
);
create index regions_parent_idx on regions (parent_code);
create index regions_code_prefix_idx on regions (code text_pattern_ops);

create table users (
  id uuid primary key,
  username text not null,
  display_name text not null,
  role text not null check (role in ('visitor', 'village', 'township', 'county', 'city', 'provider', 'auditor', 'admin')),
  jurisdiction text not null references regions (code),
  phone text,
  password_hash text not null,
  status text not null default 'active' check (status in ('active', 'disabled')),
  failed_attempts integer not null default 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_username_key on users (lower(username));
create index users_jurisdiction_idx on users (jurisdiction text_pattern_ops);

create table sessions (
  id_hash text primary key,
  user_id uuid not null references users (id),
  csrf_token text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text
);
create index sessions_user_idx on sessions (user_id);
create index sessions_expires_idx on sessions (expires_at);

create table audit_log (
  id uuid primary key,
  at timestamptz not null default now(),
  actor_id uuid,
  actor_username text,
  action text not null,
  entity text not null,
  entity_id text,
  region_code text,
  request_id text,
  ip text,
  detail jsonb
);
create index audit_log_at_idx on audit_log (at desc);
create index audit_log_region_idx on audit_log (region_code text_pattern_ops, at desc);

-- migrate:down
drop table audit_log;
drop table sessions;
drop table users;
drop table regions;
