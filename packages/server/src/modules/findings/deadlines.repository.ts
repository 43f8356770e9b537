import type { DeadlineKey, DeadlineRule } from '@tanfang/domain';
import { regionCodePath } from '@tanfang/domain';
import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Executor } from '../../context.js';
import type { FollowUpDeadlinesTable } from '../../db/schema.js';

/** A region's own deadline rows. */
export type DeadlineRow = Selectable<FollowUpDeadlinesTable>;

/** The deadlines the regions enclosing a village set, merged: the most specific region wins. */
export type DeadlineOverrides = Partial<Record<DeadlineKey, DeadlineRule>>;

/**
 * A scalar subquery: the merged deadline overrides (`{key: {action, minutes}}`, most specific
 * region first) of the village `villageCode` evaluates to — for use inside a larger statement
 * (the recording path reads it with the rest of a visit's facts).
 */
export function mergedOverridesSql(
  villageCode: RawBuilder<unknown>,
): RawBuilder<DeadlineOverrides> {
  return sql<DeadlineOverrides>`(select coalesce(jsonb_object_agg(d.key,
      jsonb_build_object('action', d.action, 'minutes', d.minutes)), '{}'::jsonb)
    from (select distinct on (key) key, action, minutes from follow_up_deadlines
          where ${villageCode} like region_code || '%'
          order by key, length(region_code) desc) d)`;
}

/** The merged deadline overrides of a village. */
export async function overridesOfVillage(
  db: Executor,
  villageCode: string,
): Promise<DeadlineOverrides> {
  const { rows } = await sql<{ o: DeadlineOverrides }>`select ${mergedOverridesSql(
    sql`${villageCode}::text`,
  )} as o`.execute(db);
  return rows[0]?.o ?? {};
}

/** The rows set by a region and every region enclosing it. */
export function deadlineRowsOnPath(db: Executor, regionCode: string): Promise<DeadlineRow[]> {
  return db
    .selectFrom('follow_up_deadlines')
    .selectAll()
    .where('region_code', 'in', regionCodePath(regionCode))
    .orderBy('key')
    .execute();
}

/** Replaces a region's own deadlines with `rules` (none: it follows the enclosing regions). */
export async function replaceRegionDeadlines(
  db: Executor,
  regionCode: string,
  rules: { key: DeadlineKey; action: DeadlineRule['action']; minutes: number }[],
  userId: string,
): Promise<void> {
  await db.deleteFrom('follow_up_deadlines').where('region_code', '=', regionCode).execute();
  if (rules.length === 0) return;
  await db
    .insertInto('follow_up_deadlines')
    .values(
      rules.map((r) => ({
        region_code: regionCode,
        key: r.key,
        action: r.action,
        minutes: r.minutes,
        updated_by: userId,
      })),
    )
    .execute();
}
