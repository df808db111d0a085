// The user_identities table: which user an OpenID provider's subject signs in as.
import type { Db } from './db.ts';

export async function findIdentity(db: Db, issuer: string, subject: string): Promise<{ id: number; user_id: number } | undefined> {
  return db.selectFrom('user_identities').select(['id', 'user_id']).where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst();
}

export async function insertIdentity(db: Db, userId: number, issuer: string, subject: string, ts: string): Promise<void> {
  await db.insertInto('user_identities').values({ user_id: userId, issuer, subject, created_at: ts, last_login_at: ts }).execute();
}

export async function stampIdentityLogin(db: Db, id: number, ts: string): Promise<void> {
  await db.updateTable('user_identities').set({ last_login_at: ts }).where('id', '=', id).execute();
}

/** The issuers a user signs in through (the console marks such users). */
export async function identityIssuersOf(db: Db, userId: number): Promise<string[]> {
  return (await db.selectFrom('user_identities').select('issuer').where('user_id', '=', userId).orderBy('id').execute()).map((r) => r.issuer);
}
