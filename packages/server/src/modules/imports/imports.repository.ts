import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../context.js';
import type { ImportReportLinesTable, ImportsTable } from '../../db/schema.js';

/** An import row. */
export type ImportRow = Selectable<ImportsTable>;
/** A line of an import's report. */
export type ReportLineRow = Selectable<ImportReportLinesTable>;

/** Records a new import. */
export async function insertImport(db: Executor, row: Insertable<ImportsTable>): Promise<void> {
  await db.insertInto('imports').values(row).execute();
}

/** One import by id. */
export function findImport(db: Executor, id: string): Promise<ImportRow | undefined> {
  return db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Saves an import's progress or outcome (and touches `updated_at`). */
export async function updateImport(
  db: Executor,
  id: string,
  patch: Updateable<ImportsTable>,
): Promise<void> {
  await db
    .updateTable('imports')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Appends report lines. */
export async function insertReportLines(
  db: Executor,
  lines: Insertable<ImportReportLinesTable>[],
): Promise<void> {
  for (let i = 0; i < lines.length; i += 1000) {
    await db
      .insertInto('import_report_lines')
      .values(lines.slice(i, i + 1000))
      .execute();
  }
}

/** Removes an import's lines of one kind (the updates of a write that was rolled back). */
export async function deleteReportLines(
  db: Executor,
  importId: string,
  kind: ReportLineRow['kind'],
): Promise<void> {
  await db
    .deleteFrom('import_report_lines')
    .where('import_id', '=', importId)
    .where('kind', '=', kind)
    .execute();
}

/** A page of an import's report lines of one kind, in order, after `afterSeq`. */
export function listReportLines(
  db: Executor,
  importId: string,
  kind: ReportLineRow['kind'],
  afterSeq: number,
  limit: number,
): Promise<ReportLineRow[]> {
  return db
    .selectFrom('import_report_lines')
    .selectAll()
    .where('import_id', '=', importId)
    .where('kind', '=', kind)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** How many report lines of one kind an import has. */
export async function countReportLines(
  db: Executor,
  importId: string,
  kind: ReportLineRow['kind'],
): Promise<number> {
  const r = await db
    .selectFrom('import_report_lines')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('import_id', '=', importId)
    .where('kind', '=', kind)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
