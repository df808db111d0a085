// Server-wide key/value settings kept in the database (table meta).
import { sql } from 'kysely';
import type { Db } from './db.ts';

export async function readMeta(db: Db, key: string): Promise<string | undefined> {
  return (await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

/** Sets a key unless another process set it first; the caller reads back the value that won. */
export async function insertMetaIfAbsent(db: Db, key: string, value: string): Promise<void> {
  await db
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

/**
 * Takes SQLite's write lock for the rest of the transaction (waiting up to busy_timeout): a write
 * statement does even when it deletes nothing, and this one never does.
 */
export async function takeSqliteWriteLock(db: Db): Promise<void> {
  await db.deleteFrom('meta').where('key', '=', 'bootstrap-lock').execute();
}

/** PostgreSQL: holds an advisory lock until the transaction ends (migrations and bootstrap each use one id). */
export async function holdAdvisoryLock(db: Db, lockId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(${lockId})`.execute(db);
}
