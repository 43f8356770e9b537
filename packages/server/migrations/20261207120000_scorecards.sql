-- 绩效考评 (issue 7): the indicators and weights a county or city sets for a year's scorecards.
-- The most specific region enclosing the region scored wins; without one the default of
-- packages/domain/src/scorecards.ts applies. See docs/rules.md (绩效考评).
-- migrate:up
create table scorecard_configs (
  region_code text not null references regions (code),
  year integer not null check (year between 2000 and 2100),
  -- [{key, weight, target}], weights adding up to 100 (checked by ScorecardConfigInput)
  indicators jsonb not null,
  updated_at timestamptz not null default now(),
  updated_by uuid references users (id),
  primary key (region_code, year)
);

-- migrate:down
drop table scorecard_configs;
