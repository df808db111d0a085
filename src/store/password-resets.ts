// The password_resets table: mailed reset codes by the keyed hash of their code.
import type { Insertable } from 'kysely';
import type { Db } from './db.ts';
import type { PasswordResetTable } from './schema.ts';

export async function insertPasswordReset(db: Db, values: Insertable<PasswordResetTable>): Promise<void> {
  await db.insertInto('password_resets').values(values).execute();
}

export async function findPasswordReset(db: Db, codeHash: string) {
  return db.selectFrom('password_resets').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
}

/** The newest reset code of a user, if any. */
export async function latestPasswordReset(db: Db, userId: number) {
  return db.selectFrom('password_resets').select(['created_at', 'expires_at']).where('user_id', '=', userId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** Answers how many rows went (0 or 1): deleting is how a code is spent. */
export async function deletePasswordReset(db: Db, id: number): Promise<number> {
  const r = await db.deleteFrom('password_resets').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deletePasswordResetsOf(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('password_resets').where('user_id', '=', userId).execute();
}

export async function deleteExpiredPasswordResets(db: Db, before: string): Promise<void> {
  await db.deleteFrom('password_resets').where('expires_at', '<', before).execute();
}
