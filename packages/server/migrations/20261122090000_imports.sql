-- Census import (摸底排查) of elder records from .xlsx, issue 3. One row per upload, with its
-- progress and summary; the per-row report (errors, and what each update changed) beside it.
-- migrate:up
create table imports (
  id uuid primary key,
  kind text not null default 'elders' check (kind in ('elders')),
  mode text not null check (mode in ('all_or_nothing', 'valid_only')),
  status text not null default 'running' check (status in ('running', 'done', 'failed')),
  phase text not null default 'checking' check (phase in ('checking', 'writing', 'finished')),
  file_name text,
  file_bytes integer not null,
  -- The uploader's jurisdiction when uploading: who may see the import.
  jurisdiction text not null,
  created_by uuid,
  created_by_username text,
  rows_read integer not null default 0,
  valid_rows integer not null default 0,
  invalid_rows integer not null default 0,
  created_count integer not null default 0,
  updated_count integer not null default 0,
  unchanged_count integer not null default 0,
  skipped_count integer not null default 0,
  -- Chinese field label -> number of updated records in which it changed.
  changed_fields jsonb not null default '{}',
  -- {code, message} when the file as a whole was refused.
  failure jsonb,
  report_lines integer not null default 0,
  started_at timestamptz not null default now(),
  -- Touched after every batch: a running import not touched for minutes was interrupted.
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
create index imports_jurisdiction_idx on imports (jurisdiction text_pattern_ops, started_at);

create table import_report_lines (
  import_id uuid not null references imports (id),
  seq integer not null,
  kind text not null check (kind in ('error', 'updated')),
  -- The spreadsheet row (1 = the header row); null for the file as a whole.
  row_number integer,
  -- The Chinese column header.
  column_name text,
  message text not null,
  primary key (import_id, seq)
);

-- migrate:down
drop table import_report_lines;
drop table imports;
