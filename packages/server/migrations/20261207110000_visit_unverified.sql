-- A visit a spot check (抽查) could not verify is flagged and no longer counts toward the visit
-- rate (issue 7); the visit itself is kept.
-- migrate:up
alter table visits add column unverified boolean not null default false;

-- migrate:down
alter table visits drop column unverified;
