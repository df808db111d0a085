// PostgreSQL: a transaction's BEGIN goes out with its first statement (src/store/pg-begin.ts).
// What goes on the wire is checked on the wrapper itself; that transactions still behave as
// transactions (atomic, rolled back on error, typed as before) on a real PostgreSQL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { DB_KIND, freshDatabase } from '../helpers/roster.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { beginWithFirstStatement } from '../../src/store/pg-begin.ts';

describe('BEGIN with the first statement: what is sent', () => {
  function recorder() {
    const sent: [string, unknown[]][] = [];
    const query = beginWithFirstStatement(async (text, values) => {
      sent.push([text, values]);
      return (text.includes(';') ? [{ rows: [] }, { rows: [{ text }] }] : { rows: [{ text }] }) as any;
    });
    return { sent, query };
  }

  it('sends BEGIN and an integer-only first statement as one query, the rest as they come', async () => {
    const { sent, query } = recorder();
    await query('begin', []);
    const first = await query('select id from orgs where id = $1 and owner = $2 for update', [7, -3]);
    assert.equal(first.rows[0].text, "begin;\nselect id from orgs where id = '7' and owner = '-3' for update");
    await query('update orgs set name = $1 where id = $2', ['x', 7]);
    await query('commit', []);
    assert.deepEqual(sent, [
      ["begin;\nselect id from orgs where id = '7' and owner = '-3' for update", []],
      ['update orgs set name = $1 where id = $2', ['x', 7]],
      ['commit', []],
    ]);
  });

  it('sends BEGIN on its own before a first statement that cannot be written out', async () => {
    for (const [text, values] of [
      ['select id from users where login = $1', ['alice']],
      ['select id from users where score = $1', [1.5]],
      ['select id from users where id = $1', [2 ** 60]],
      ["select id from users where id = $1 and kind = 'a$1'", [5]],
    ] as [string, unknown[]][]) {
      const { sent, query } = recorder();
      await query('begin', []);
      await query(text, values);
      assert.deepEqual(sent, [
        ['begin', []],
        [text, values],
      ]);
    }
  });

  it('an empty transaction sends nothing; statements outside transactions are untouched', async () => {
    const { sent, query } = recorder();
    await query('begin', []);
    await query('rollback', []);
    await query('begin', []);
    await query('commit', []);
    await query('select 1 where 2 = $1', [2]);
    assert.deepEqual(sent, [['select 1 where 2 = $1', [2]]]);
  });
});

describe('BEGIN with the first statement on PostgreSQL', { skip: DB_KIND !== 'postgres' && 'PostgreSQL only' }, () => {
  let database: { url: string; drop(): Promise<void> };
  let store: Store;
  let db: Kysely<any>;
  before(async () => {
    database = await freshDatabase();
    // One connection: every transaction below reuses the connection the one before it left.
    store = openStore(database.url, { poolSize: 1 });
    db = store.db as Kysely<any>;
    await sql`create table things (id integer primary key, name text not null)`.execute(db);
    await db.insertInto('things').values({ id: 1, name: '5' }).execute();
  });
  after(async () => {
    await store.close();
    await database.drop();
  });

  it('a transaction begun with an integer lookup is one transaction: a failure undoes it all', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('things').select('name').where('id', '=', 1).forUpdate().executeTakeFirst();
        assert.equal(row?.name, '5');
        await trx.insertInto('things').values({ id: 2, name: 'two' }).execute();
        throw new Error('abort');
      }),
      /abort/,
    );
    assert.equal((await db.selectFrom('things').select('id').execute()).length, 1);
  });

  it('a written-out integer is typed by its column, as a parameter was (text compared with 5)', async () => {
    const row = await db.transaction().execute((trx) => trx.selectFrom('things').select('id').where('name', '=', 5 as any).executeTakeFirst());
    assert.deepEqual(row, { id: 1 });
  });

  it('a failing first statement rolls back and leaves the connection usable', async () => {
    await assert.rejects(db.transaction().execute((trx) => sql`select id from no_such_table where id = ${1}`.execute(trx)), /no_such_table/);
    // Left in the aborted transaction, the connection would refuse every statement from here on.
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('things').values({ id: 3, name: 'three' }).execute();
    });
    assert.deepEqual(await db.selectFrom('things').select('id').orderBy('id').execute(), [{ id: 1 }, { id: 3 }]);
  });

  it('commits what a transaction begun with a merged BEGIN wrote', async () => {
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('things').select('id').where('id', '=', 3).forUpdate().execute();
      await trx.updateTable('things').set({ name: 'THREE' }).where('id', '=', 3).execute();
    });
    assert.deepEqual(await db.selectFrom('things').select('name').where('id', '=', 3).executeTakeFirst(), { name: 'THREE' });
  });
});
