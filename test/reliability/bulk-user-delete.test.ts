// Deleting users on PostgreSQL removes their trigram rows (migration 0022) by key, however many a
// statement deletes and whatever the connection deleted before (migration 0023): a plan kept from
// a bulk delete once made every later single delete on the connection scan all of user_trigrams.
// Counted with the transaction's own scan counters, so nothing here depends on timing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { DB_KIND } from '../helpers/roster.ts';
import { migratedDatabase } from '../helpers/databases.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { assertTrigramsExact } from '../helpers/gram-reference.ts';

describe('bulk user deletes on PostgreSQL', { skip: DB_KIND !== 'postgres' && "PostgreSQL only: SQLite's row trigger deletes each row's trigrams by key" }, () => {
  let database: Awaited<ReturnType<typeof migratedDatabase>>;
  let store: Store;
  let session: pg.Client;
  before(async () => {
    database = await migratedDatabase();
    store = await openStore(database.url, { poolSize: 1 });
    session = new pg.Client({ connectionString: database.url });
    await session.connect();
    const add = (prefix: string, count: number) =>
      session.query(
        `insert into users (uid, public_id, uuid, login, email, name, created_at, updated_at, last_seen_at)
         select $1 || i, upper($1) || i, $1 || '-uuid-' || i, $1 || i, $1 || i || '@example.com', 'User ' || $1 || i, now()::text, now()::text, now()::text
         from generate_series(1, $2::int) i`,
        [prefix, count],
      );
    await add('bulk', 3000);
    await add('single', 10);
    await session.query('analyze users, user_trigrams');
  });
  after(async () => {
    await session?.end();
    await store?.close();
    await database?.drop();
  });

  /** Runs `statement` in a transaction of `session`; how many sequential scans of user_trigrams it made. */
  async function trigramTableScans(statement: string): Promise<number> {
    await session.query('begin');
    try {
      await session.query(statement);
      const r = await session.query(`select seq_scan::int as scans from pg_stat_xact_user_tables where relname = 'user_trigrams'`);
      return r.rows[0].scans;
    } finally {
      await session.query('commit');
    }
  }

  it('a bulk delete, then single deletes on the same connection: every trigram row found by key, none left over', async () => {
    assert.equal(await trigramTableScans(`delete from users where login like 'bulk%'`), 0);
    for (const login of ['single1', 'single2']) assert.equal(await trigramTableScans(`delete from users where login = '${login}'`), 0, login);
    const left = await session.query(`select count(*)::int as n from users`);
    assert.equal(left.rows[0].n, 8);
    await assertTrigramsExact(store.db);
  });
});
