// The sessions table: browser sessions by the keyed hash of their token.
import type { Insertable, Updateable } from 'kysely';
import type { Db } from './db.ts';
import type { SessionRow, SessionTable, UserRow } from './schema.ts';

export type { SessionRow };

export async function insertSession(db: Db, values: Insertable<SessionTable>): Promise<number> {
  const row = await db.insertInto('sessions').values(values).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function deleteSessionByHash(db: Db, hash: string): Promise<void> {
  await db.deleteFrom('sessions').where('hash', '=', hash).execute();
}

/** Answers how many rows went (0 or 1). */
export async function deleteSession(db: Db, userId: number, id: number): Promise<number> {
  const r = await db.deleteFrom('sessions').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Ends every session of a user, but `keepId` when given. */
export async function deleteUserSessions(db: Db, userId: number, keepId?: number): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepId !== undefined) q = q.where('id', '<>', keepId);
  await q.execute();
}

export async function listUserSessions(db: Db, userId: number): Promise<SessionRow[]> {
  return db.selectFrom('sessions').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

export async function findUserSession(db: Db, userId: number, id: number): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

/** The session whose token, or token before its last rotation, has this hash, with its user (one query). */
export async function findSessionUser(db: Db, hash: string): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select([
      'sessions.id as s_id',
      'sessions.hash as s_hash',
      'sessions.created_at as s_created_at',
      'sessions.expires_at as s_expires_at',
      'sessions.seen_at as s_seen_at',
      'sessions.rotated_at as s_rotated_at',
      'sessions.prev_hash as s_prev_hash',
      'sessions.client_ip as s_client_ip',
      'sessions.user_agent as s_user_agent',
      'sessions.auth_method as s_auth_method',
    ])
    .where((eb) => eb.or([eb('sessions.hash', '=', hash), eb('sessions.prev_hash', '=', hash)]))
    .executeTakeFirst();
  if (!row) return undefined;
  const { s_id, s_hash, s_created_at, s_expires_at, s_seen_at, s_rotated_at, s_prev_hash, s_client_ip, s_user_agent, s_auth_method, ...user } = row;
  const session: SessionRow = {
    id: Number(s_id),
    hash: s_hash,
    user_id: user.id,
    created_at: s_created_at,
    expires_at: s_expires_at,
    seen_at: s_seen_at,
    rotated_at: s_rotated_at,
    prev_hash: s_prev_hash,
    client_ip: s_client_ip,
    user_agent: s_user_agent,
    auth_method: s_auth_method,
  };
  return { session, user };
}

/** Updates the session while its token still has hash `hash`; false when another request rotated it first. */
export async function updateSessionIf(db: Db, id: number, hash: string, values: Updateable<SessionTable>): Promise<boolean> {
  const r = await db.updateTable('sessions').set(values).where('id', '=', id).where('hash', '=', hash).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function stampSession(db: Db, id: number, values: { seen_at: string; client_ip: string; user_agent: string | null }): Promise<void> {
  await db.updateTable('sessions').set(values).where('id', '=', id).execute();
}
