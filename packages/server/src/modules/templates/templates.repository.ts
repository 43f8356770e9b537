import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../context.js';
import type { FormTemplatesTable } from '../../db/schema.js';

/** An uploaded template row. */
export type FormTemplateRow = Selectable<FormTemplatesTable>;

/** One uploaded template version. */
export function findUploadedTemplate(
  db: Executor,
  key: string,
  version: number,
): Promise<FormTemplateRow | undefined> {
  return db
    .selectFrom('form_templates')
    .selectAll()
    .where('key', '=', key)
    .where('version', '=', version)
    .executeTakeFirst();
}

/**
 * Uploaded templates visible in a jurisdiction: uploaded by a region that encloses it (a city's
 * template for its villages) or lies within it.
 */
export function listUploadedTemplates(
  db: Executor,
  jurisdiction: string,
): Promise<FormTemplateRow[]> {
  return db
    .selectFrom('form_templates')
    .selectAll()
    .where(
      sql<boolean>`(region_code like ${`${jurisdiction}%`} or ${jurisdiction} like region_code || '%')`,
    )
    .orderBy('key')
    .orderBy('version')
    .execute();
}

/** Stores an uploaded template; false when the key and version exist already. */
export async function insertUploadedTemplate(
  db: Executor,
  row: {
    key: string;
    version: number;
    definition: string;
    region_code: string;
    created_by: string;
  },
): Promise<boolean> {
  const inserted = await db
    .insertInto('form_templates')
    .values(row)
    .onConflict((oc) => oc.columns(['key', 'version']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return inserted !== undefined;
}
