import type { Database } from '@tanfang/server/db/database.js';

/**
 * A 探访人员 account for a benchmark, linked to one visitor record. Safe to run again on a data
 * set it ran on before, or one another benchmark made: the account is kept (its village and
 * password set again) and moved to this visitor.
 */
export async function visitorAccount(
  database: Database,
  a: {
    id: string;
    username: string;
    displayName: string;
    visitor: { id: string; region_code: string };
    passwordHash: string;
  },
): Promise<void> {
  await database.db
    .insertInto('users')
    .values({
      id: a.id,
      username: a.username,
      display_name: a.displayName,
      role: 'visitor',
      jurisdiction: a.visitor.region_code,
      phone: null,
      password_hash: a.passwordHash,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        jurisdiction: a.visitor.region_code,
        password_hash: a.passwordHash,
      }),
    )
    .execute();
  await database.db
    .updateTable('visitors')
    .set({ user_id: null })
    .where('user_id', '=', a.id)
    .where('id', '!=', a.visitor.id)
    .execute();
  await database.db
    .updateTable('visitors')
    .set({ user_id: a.id })
    .where('id', '=', a.visitor.id)
    .execute();
}
