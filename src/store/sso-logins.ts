// The sso_logins table: sign-ins sent to the provider and not back yet, by keyed hash of their state.
import type { Db } from './db.ts';

export async function insertSsoLogin(db: Db, stateHash: string, createdAt: string, expiresAt: string): Promise<void> {
  await db.insertInto('sso_logins').values({ state_hash: stateHash, created_at: createdAt, expires_at: expiresAt }).execute();
  // Sign-ins never finished are of no use once expired; trimming here keeps the table small without a job.
  await db.deleteFrom('sso_logins').where('expires_at', '<', createdAt).execute();
}

/** Deletes the sign-in and answers whether it was there and unexpired: a state is good once. */
export async function consumeSsoLogin(db: Db, stateHash: string, now: string): Promise<boolean> {
  const r = await db.deleteFrom('sso_logins').where('state_hash', '=', stateHash).where('expires_at', '>', now).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
