// The SQLite reader threads (store/sqlite-reader.ts): a long read holds one thread, not every
// read behind it; answers reach the query that asked; a thread that ends is replaced; a closed
// reader refuses. SQLite only: PostgreSQL reads go through its pool.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { DB_KIND } from '../helpers/roster.ts';
import { openSqliteReader } from '../../src/store/sqlite-reader.ts';

const dir = mkdtempSync(join(tmpdir(), 'roster-reader-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function databaseFile(name: string): string {
  const path = join(dir, name);
  const db = new SQLite(path);
  db.pragma('journal_mode = WAL');
  db.exec('create table t (v integer)');
  db.close();
  return path;
}

// Counts to n inside SQLite: a read that holds its thread for a while.
const longRead = (n: number) => sql<{ n: number }>`with recursive c(i) as (select 1 union all select i + 1 from c where i < ${n}) select count(*) as n from c`;

/** The order in which a long read and a short one asked after it finish. */
async function finishOrder(threads: number): Promise<string[]> {
  const reader = openSqliteReader(databaseFile(`order-${threads}.db`), threads);
  try {
    const order: string[] = [];
    // The first query starts the first thread; the long read then waits for nothing.
    await sql`select 1`.execute(reader.db);
    const long = longRead(3_000_000)
      .execute(reader.db)
      .then(() => order.push('long'));
    const short = sql`select 1`.execute(reader.db).then(() => order.push('short'));
    await Promise.all([long, short]);
    return order;
  } finally {
    await reader.close();
  }
}

describe('SQLite reader threads', { skip: DB_KIND !== 'sqlite' }, () => {
  it('a short read asked behind a long one finishes first when a second thread may start, and after it with one thread', async () => {
    assert.deepEqual(await finishOrder(2), ['short', 'long']);
    assert.deepEqual(await finishOrder(1), ['long', 'short']);
  });

  it('each of many concurrent reads gets its own answer', async () => {
    const reader = openSqliteReader(databaseFile('many.db'), 3);
    try {
      const values = Array.from({ length: 200 }, (_, i) => i);
      const rows = await Promise.all(values.map((v) => sql<{ v: number }>`select ${v} as v`.execute(reader.db)));
      assert.deepEqual(
        rows.map((r) => r.rows[0]!.v),
        values,
      );
    } finally {
      await reader.close();
    }
  });

  it('a thread that ends is replaced by the next query, and a closed reader refuses', async () => {
    const path = join(dir, 'late.db');
    const reader = openSqliteReader(path, 1);
    // The file does not exist yet: the thread cannot open it and ends; the query is refused.
    await assert.rejects(sql`select 1`.execute(reader.db));
    databaseFile('late.db');
    assert.deepEqual((await sql<{ n: number }>`select count(*) as n from t`.execute(reader.db)).rows, [{ n: 0 }]);
    await reader.close();
    await assert.rejects(sql`select 1`.execute(reader.db), /closed/);
  });
});
