import type { Insertable } from 'kysely';
import type { Executor } from '../../context.js';
import type { AttachmentsTable } from '../../db/schema.js';

/** An attachment's metadata (no content). */
export function findAttachment(db: Executor, id: string) {
  return db
    .selectFrom('attachments')
    .select(['id', 'elder_id', 'kind', 'mime', 'size', 'sha256', 'visit_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** An attachment's bytes and type. */
export function attachmentContent(db: Executor, id: string) {
  return db
    .selectFrom('attachments')
    .select(['id', 'elder_id', 'mime', 'content', 'sha256'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Stores an attachment unless its id exists; false when it did. */
export async function insertAttachmentIfNew(
  db: Executor,
  row: Insertable<AttachmentsTable>,
): Promise<boolean> {
  const inserted = await db
    .insertInto('attachments')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}
