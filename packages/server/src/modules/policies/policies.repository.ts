import { regionCodePath, type PolicyRule } from '@tanfang/domain';
import { sql, type Insertable, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Executor } from '../../context.js';
import { escapeLike } from '../../db/like.js';
import type { VisitPoliciesTable, VisitPolicyVersionsTable } from '../../db/schema.js';

/** A policy row (its identity and region). */
export type PolicyRow = Selectable<VisitPoliciesTable>;
/** A policy version row (what the policy says from a date on). */
export type PolicyVersionRow = Selectable<VisitPolicyVersionsTable>;
/** A policy version as inserted (cadence already serialised). */
export type NewPolicyVersion = Insertable<VisitPolicyVersionsTable>;

/**
 * `column` (a region code) lies within `code` or is one of the regions enclosing it: the records
 * seen from `code` looking down and up.
 */
export function withinOrAbove(column: string, code: string): RawBuilder<SqlBool> {
  const ref = sql.ref(column);
  const within = sql<SqlBool>`${ref} like ${`${escapeLike(code)}%`}`;
  const above = regionCodePath(code);
  return above.length === 0 ? within : sql<SqlBool>`(${within} or ${ref} in (${sql.join(above)}))`;
}

/** Which policies a list shows: the region's own and enclosing ones, seen from a jurisdiction. */
export interface PolicyScope {
  /** The region asked about: its policies and the ones above it. */
  region: string;
  /** The actor's jurisdiction: only policies within it or above it are visible. */
  jurisdiction: string;
}

/** One policy by id (anywhere; the caller checks visibility). */
export function findPolicy(db: Executor, id: string): Promise<PolicyRow | undefined> {
  return db.selectFrom('visit_policies').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The policies within `scope.region` or above it that are within or above the jurisdiction. */
export function listPolicies(db: Executor, scope: PolicyScope): Promise<PolicyRow[]> {
  return db
    .selectFrom('visit_policies')
    .selectAll()
    .where(withinOrAbove('region_code', scope.region))
    .where(withinOrAbove('region_code', scope.jurisdiction))
    .orderBy('region_code')
    .orderBy('id')
    .execute();
}

/** Every version of these policies, newest first within each policy. */
export function listVersions(db: Executor, policyIds: string[]): Promise<PolicyVersionRow[]> {
  if (policyIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('visit_policy_versions')
    .selectAll()
    .where('policy_id', 'in', policyIds)
    .orderBy('policy_id')
    .orderBy('version', 'desc')
    .execute();
}

/** The latest version of a policy (by version number). */
export function findLatestVersion(
  db: Executor,
  policyId: string,
): Promise<PolicyVersionRow | undefined> {
  return db
    .selectFrom('visit_policy_versions')
    .selectAll()
    .where('policy_id', '=', policyId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Inserts a policy (identity and region). */
export async function insertPolicy(
  db: Executor,
  row: Insertable<VisitPoliciesTable>,
): Promise<void> {
  await db.insertInto('visit_policies').values(row).execute();
}

/** Appends a version to a policy. */
export async function insertVersion(db: Executor, row: NewPolicyVersion): Promise<void> {
  await db.insertInto('visit_policy_versions').values(row).execute();
}

/**
 * Serialises applications of one preset to one region until the transaction ends, so two
 * concurrent requests cannot both find it unapplied.
 */
export async function lockPresetApplication(
  db: Executor,
  regionCode: string,
  preset: string,
): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`preset:${preset}:${regionCode}`}))`.execute(
    db,
  );
}

/**
 * Policies of a region made from a preset that are still in force on or after `date`: their latest
 * version is not a retirement, or retires them only after `date`.
 */
export function findPresetPoliciesInForce(
  db: Executor,
  regionCode: string,
  preset: string,
  date: string,
): Promise<Pick<PolicyRow, 'id'>[]> {
  return db
    .selectFrom('visit_policies as p')
    .innerJoin('visit_policy_versions as v', 'v.policy_id', 'p.id')
    .select('p.id')
    .where('p.region_code', '=', regionCode)
    .where('p.preset', '=', preset)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('visit_policy_versions as l')
            .select('l.version')
            .whereRef('l.policy_id', '=', 'p.id')
            .whereRef('l.version', '>', 'v.version'),
        ),
      ),
    )
    .where((eb) => eb.or([eb('v.retired', '=', false), eb('v.effective_from', '>', date)]))
    .execute();
}

/** A version row as the schedule engine reads it. */
export function toPolicyRule(v: PolicyVersionRow & { region_code: string }): PolicyRule {
  return {
    policyId: v.policy_id,
    version: v.version,
    regionCode: v.region_code,
    effectiveFrom: v.effective_from,
    retired: v.retired,
    name: v.name,
    tiers: v.tiers as PolicyRule['tiers'],
    categories: v.categories as PolicyRule['categories'],
    cadence: v.cadence as PolicyRule['cadence'],
    countedMethods: v.counted_methods as PolicyRule['countedMethods'],
    inPersonEvery: v.in_person_every as PolicyRule['inPersonEvery'],
    templateKey: v.template_key,
    entryGraceDays: v.entry_grace_days,
  };
}

function ruleQuery(db: Executor) {
  return db
    .selectFrom('visit_policy_versions as v')
    .innerJoin('visit_policies as p', 'p.id', 'v.policy_id')
    .selectAll('v')
    .select('p.region_code')
    .orderBy(sql`length(p.region_code)`)
    .orderBy('p.region_code')
    .orderBy('v.policy_id')
    .orderBy('v.version');
}

/**
 * Every version (retired ones included) of every policy that may apply to elders in any of these
 * regions: those whose region is one of the regions or encloses one. One query; ordered by region
 * (outermost first), policy and version.
 */
export async function listPolicyRulesFor(
  db: Executor,
  regionCodes: string[],
): Promise<PolicyRule[]> {
  const codes = [...new Set(regionCodes.flatMap(regionCodePath))];
  if (codes.length === 0) return [];
  const rows = await ruleQuery(db).where('p.region_code', 'in', codes).execute();
  return rows.map(toPolicyRule);
}

/**
 * Every version of every policy within `prefix` or enclosing it: all the rules that may apply
 * anywhere in a jurisdiction. One query.
 */
export async function listPolicyRulesWithin(db: Executor, prefix: string): Promise<PolicyRule[]> {
  const rows = await ruleQuery(db).where(withinOrAbove('p.region_code', prefix)).execute();
  return rows.map(toPolicyRule);
}
