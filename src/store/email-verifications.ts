// The email_verifications table: one pending address change per user, found by its code's hash.
import type { Insertable } from 'kysely';
import type { Db } from './db.ts';
import type { EmailVerificationTable } from './schema.ts';

export async function findVerificationByCode(db: Db, codeHash: string) {
  return db.selectFrom('email_verifications').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
}

export async function pendingVerificationOf(db: Db, userId: number) {
  return db.selectFrom('email_verifications').select(['email', 'expires_at']).where('user_id', '=', userId).executeTakeFirst();
}

export async function insertVerification(db: Db, values: Insertable<EmailVerificationTable>): Promise<void> {
  await db.insertInto('email_verifications').values(values).execute();
}

/** Answers how many rows went (0 or 1). */
export async function deleteVerification(db: Db, id: number): Promise<number> {
  const r = await db.deleteFrom('email_verifications').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteVerificationsOf(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('email_verifications').where('user_id', '=', userId).execute();
}
