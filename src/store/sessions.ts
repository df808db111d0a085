// The sessions table: browser sessions by the keyed hash of their token.
import type { Db } from './db.ts';
import type { UserRow } from './schema.ts';

export async function insertSession(db: Db, values: { hash: string; user_id: number; created_at: string; expires_at: string }): Promise<void> {
  await db.insertInto('sessions').values(values).execute();
}

export async function deleteSessionByHash(db: Db, hash: string): Promise<void> {
  await db.deleteFrom('sessions').where('hash', '=', hash).execute();
}

/** Ends every session of a user. */
export async function deleteUserSessions(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** The session's user with the session's expiry. */
export async function findSessionUser(db: Db, hash: string): Promise<(UserRow & { session_expires_at: string }) | undefined> {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select('sessions.expires_at as session_expires_at')
    .where('sessions.hash', '=', hash)
    .executeTakeFirst();
}
