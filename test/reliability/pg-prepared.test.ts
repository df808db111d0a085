// PostgreSQL queries run as named prepared statements (src/store/pg-prepared.ts): each distinct
// SQL text is prepared once per connection, bounded in number, switchable off, and a schema
// change under a prepared `select *` costs one failed query, not every later one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { DB_KIND, freshDatabase } from '../helpers/roster.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { openConfiguredStore } from '../../src/store/configured-store.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';

/** The prepared statements of the store's only connection (the query itself is one of them). */
async function prepared(db: Kysely<any>): Promise<string[]> {
  const r = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db);
  return r.rows.map((x) => x.statement);
}

describe('PostgreSQL prepared statements', { skip: DB_KIND !== 'postgres' && 'PostgreSQL only' }, () => {
  let database: { url: string; drop(): Promise<void> };
  before(async () => {
    database = await freshDatabase();
  });
  after(async () => {
    await database.drop();
  });

  async function withStore(opts: { preparedStatements?: boolean }, f: (db: Kysely<any>) => Promise<void>) {
    const store: Store = await openStore(database.url, { poolSize: 1, ...opts });
    try {
      await f(store.db as Kysely<any>);
    } finally {
      await store.close();
    }
  }

  it('prepares a repeated query once and answers it as before', async () => {
    await withStore({}, async (db) => {
      await sql`create table if not exists things (id integer primary key, name text not null)`.execute(db);
      await db
        .insertInto('things')
        .values([
          { id: 1, name: 'one' },
          { id: 2, name: 'two' },
        ])
        .execute();
      for (const [id, name] of [
        [1, 'one'],
        [2, 'two'],
        [1, 'one'],
      ] as const) {
        const row = await db.selectFrom('things').select('name').where('id', '=', id).executeTakeFirst();
        assert.equal(row?.name, name);
      }
      const statements = await prepared(db);
      assert.equal(statements.filter((s) => s === 'select "name" from "things" where "id" = $1').length, 1);
      // DDL is never named.
      assert.ok(!statements.some((s) => s.startsWith('create table')));
    });
  });

  it('names nothing when switched off', async () => {
    await withStore({ preparedStatements: false }, async (db) => {
      await db.selectFrom('things').select('name').where('id', '=', 1).execute();
      assert.deepEqual(await prepared(db), []);
    });
  });

  it('ROSTER_DB_PREPARED_STATEMENTS=false reaches the store every command opens', async () => {
    const env = { ROSTER_DATABASE_URL: database.url, ROSTER_DB_POOL_SIZE: '1' };
    assert.throws(() => loadConfig({}, { ...env, ROSTER_DB_PREPARED_STATEMENTS: 'sometimes' }), ConfigError);
    for (const [setting, named] of [
      ['false', false],
      ['true', true],
    ] as const) {
      const store = await openConfiguredStore(loadConfig({}, { ...env, ROSTER_DB_PREPARED_STATEMENTS: setting }));
      try {
        const db = store.db as Kysely<any>;
        await db.selectFrom('things').select('id').where('id', '=', 2).execute();
        assert.equal((await prepared(db)).includes('select "id" from "things" where "id" = $1'), named);
      } finally {
        await store.close();
      }
    }
  });

  it('names at most 500 distinct texts; the others run unnamed and still answer', async () => {
    await withStore({}, async (db) => {
      for (let i = 0; i < 520; i++) {
        const r = await sql<{ n: number }>`select ${sql.raw(String(i))}::int + ${1}::int as n`.execute(db);
        assert.equal(r.rows[0]!.n, i + 1);
      }
      assert.ok((await prepared(db)).length <= 500);
    });
  });

  it('a column added under a prepared select * fails that query once, then runs unnamed', async () => {
    await withStore({}, async (db) => {
      const read = () => db.selectFrom('things').selectAll().where('id', '=', 1).executeTakeFirst();
      assert.deepEqual(await read(), { id: 1, name: 'one' });
      // Another process migrating meanwhile.
      await withStore({ preparedStatements: false }, async (other) => {
        await sql`alter table things add column note text not null default 'n'`.execute(other);
      });
      await assert.rejects(read(), /cached plan must not change result type/);
      assert.deepEqual(await read(), { id: 1, name: 'one', note: 'n' });
    });
  });
});
