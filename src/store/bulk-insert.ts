// Multi-row inserts with explicit ids for bulk loading (cli/bulk-seed.ts), and what keeping the
// database consistent and fast after such a load takes.
import { sql, type Insertable } from 'kysely';
import type { Db, Dialect } from './db.ts';
import type { OrgMemberTable, OrgTable, UserTable } from './schema.ts';
import { foldGramDeltas, insertCountingGrams } from './user-grams.ts';

/** One past the highest id in the table (1 when empty). */
export async function nextRowId(db: Db, table: 'users' | 'orgs'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export async function insertOrgRows(db: Db, rows: Insertable<OrgTable>[]): Promise<void> {
  await db.insertInto('orgs').values(rows).execute();
}

/**
 * Users with explicit ids, in one statement; in a transaction. Contiguous ids (as the seed gives)
 * have their search counts made by one statement (store/user-grams.ts), others by the triggers.
 */
export async function insertUserRows(db: Db, dialect: Dialect, rows: (Insertable<UserTable> & { id: number })[]): Promise<void> {
  const insert = () => db.insertInto('users').values(rows).execute();
  const contiguous = rows.every((r, i) => r.id === rows[0]!.id + i);
  if (rows.length === 0 || !contiguous) await insert();
  else await insertCountingGrams(db, dialect, rows[0]!.id, rows.length, insert);
}

export async function insertMemberRows(db: Db, rows: Insertable<OrgMemberTable>[]): Promise<void> {
  await db.insertInto('org_members').values(rows).execute();
}

/** Keeps PostgreSQL's serial sequence ahead of explicit ids (SQLite's AUTOINCREMENT follows by itself). */
export async function syncIdSequence(db: Db, dialect: Dialect, table: 'users' | 'orgs'): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select coalesce(max(id), 1) from ${sql.table(table)}))`.execute(db);
}

/**
 * PostgreSQL: the load's user-gram deltas folded (a server would fold them soon after), then VACUUM
 * ANALYZE. VACUUM sets the visibility map, without which counts and deep pages cannot be
 * index-only scans until autovacuum gets to the freshly loaded tables.
 */
export async function settleAfterLoad(db: Db, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await foldGramDeltas(db);
  await sql`vacuum analyze`.execute(db);
}
