// The user-gram counts of migration 0021 (store/user-grams.ts): filled from the users that exist
// when it runs, moved only by changes to the searched columns, read by key, and on PostgreSQL
// exact under concurrent writers that share grams, before and after the background fold.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { DB_KIND, freshDatabase, startRoster } from '../helpers/roster.ts';
import { assertGramsExact } from '../helpers/gram-reference.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { countGram, foldGramDeltas, gramCountsQuery } from '../../src/store/user-grams.ts';

// 0022 builds on 0021's tables and 0023 replaces a function of 0022: all three are left out, then applied.
const SKIPPED = ['0021-user-grams', '0022-user-trigrams', '0023-user-trigrams-delete-plan'];
const NOW = '2026-01-01T00:00:00.000Z';
let seq = 0;
const user = (login: string, email: string, name: string) => {
  const n = ++seq;
  return { uid: `u${n}`, public_id: `U${n}`, uuid: `uuid-${n}`, login, email, name, created_at: NOW, updated_at: NOW, last_seen_at: NOW };
};

describe(`user gram counts (${DB_KIND})`, () => {
  let store: Store;
  let db: Kysely<any>;
  let drop: () => Promise<void>;
  before(async () => {
    const database = await freshDatabase();
    drop = database.drop;
    store = await openStore(database.url, { poolSize: 12 });
    db = store.db as Kysely<any>;
  });
  after(async () => {
    await store?.close();
    await drop?.();
  });

  it('the migration counts the users that exist when it runs', async () => {
    // The database as it was before the migration: every other one applied.
    await sql`create table schema_migrations (name text primary key, applied_at text not null)`.execute(db);
    for (const name of SKIPPED) await sql`insert into schema_migrations (name, applied_at) values (${name}, '')`.execute(db);
    await migrate(store);
    await db
      .insertInto('users')
      .values([user('karen', 'karen@example.com', 'Karen Ö'), user('seed1', 'seed1@example.com', 'Seed %_\\'), user('x'.repeat(300), 'ß@é.com', 'ab'.repeat(200))])
      .execute();
    await sql`delete from schema_migrations where name in (${sql.join(SKIPPED)})`.execute(db);
    assert.deepEqual(await migrate(store), SKIPPED);
    await assertGramsExact(db, 'filled');
    assert.equal(await countGram(db, ''), 3);
    assert.equal(await countGram(db, '@'), 3);
    assert.equal(await countGram(db, 'xxxxx'), 1);
    // The triggers take over from there.
    await db
      .insertInto('users')
      .values(user('later', 'later@example.com', ''))
      .execute();
    await db.updateTable('users').set({ name: 'renamed' }).where('login', '=', 'karen').execute();
    await db.deleteFrom('users').where('login', '=', 'seed1').execute();
    await assertGramsExact(db, 'after writes');
  });

  it('an update of other columns (last_seen_at on many requests) runs no count trigger', async () => {
    const { id } = await db
      .insertInto('users')
      .values(user('seen', 'seen@example.com', 'Seen'))
      .returning('id')
      .executeTakeFirstOrThrow();
    if (DB_KIND === 'sqlite') {
      // SQLite codes a trigger into an UPDATE's program (a Program opcode) only when the update
      // sets one of the trigger's columns.
      const programs = async (set: string) =>
        (await sql<{ opcode: string }>`explain update users set ${sql.raw(set)} = 'x' where id = ${id}`.execute(db)).rows.filter((r) => r.opcode === 'Program').length;
      assert.equal(await programs('last_seen_at'), 0);
      assert.ok((await programs('name')) >= 2, 'the FTS5 trigger and the gram trigger');
    } else {
      const r = await sql<{
        cols: string[];
        qual: boolean;
      }>`select array(select a.attname::text from unnest(t.tgattr) c join pg_attribute a on a.attrelid = t.tgrelid and a.attnum = c order by a.attname) as cols,
        t.tgqual is not null as qual from pg_trigger t where t.tgname = 'user_grams_au'`.execute(db);
      assert.deepEqual(r.rows, [{ cols: ['email', 'login', 'name'], qual: true }]);
      const deltas = async () => Number((await sql<{ n: string }>`select count(*) as n from user_gram_deltas`.execute(db)).rows[0]!.n);
      const before = await deltas();
      await db.updateTable('users').set({ last_seen_at: '2026-02-02' }).where('id', '=', id).execute();
      assert.equal(await deltas(), before);
    }
    await db.updateTable('users').set({ last_seen_at: '2026-02-03', name: 'Seen' }).where('id', '=', id).execute();
    await db.updateTable('users').set({ name: 'Seen again' }).where('id', '=', id).execute();
    await assertGramsExact(db, 'updates');
  });

  it('the count reads the counts by key', async () => {
    const q = gramCountsQuery(['see']).compile(db);
    if (DB_KIND === 'sqlite') {
      const plan = (await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]))).rows.map((r) => r.detail).join('\n');
      assert.match(plan, /SEARCH user_grams USING PRIMARY KEY \(gram=\?\)/);
      assert.match(plan, /SEARCH user_gram_deltas USING (COVERING )?INDEX user_gram_deltas_gram \(gram=\?\)/);
      assert.doesNotMatch(plan, /SCAN user_gram/);
      return;
    }
    await db.transaction().execute(async (trx) => {
      // The tables are tiny: without sequential scans the planner shows whether it can use the keys.
      await sql`set local enable_seqscan = off`.execute(trx);
      const plan = (await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${q.sql}`, [...q.parameters]))).rows.map((r) => r['QUERY PLAN']).join('\n');
      assert.match(plan, /Index (Only )?Scan using user_grams_pkey on user_grams/);
      assert.match(plan, /Index Scan on user_gram_deltas_gram|Index (Only )?Scan using user_gram_deltas_gram/);
    });
  });

  it('PostgreSQL: concurrent creations and deletions sharing grams finish, exact before and after the fold', { skip: DB_KIND !== 'postgres' }, async () => {
    await db.deleteFrom('users').execute();
    await foldGramDeltas(db);
    const created: number[] = [];
    // Every transaction holds its delta rows a while, so many are open at once; all share "@",
    // ".com" and the digits. A trigger that updated count rows would have them wait on each other.
    const create = (i: number) =>
      db.transaction().execute(async (trx) => {
        const { id } = await trx
          .insertInto('users')
          .values(user(`c${i % 37}-${i}`, `c${i}@example.com`, `Name ${i % 11}`))
          .returning('id')
          .executeTakeFirstOrThrow();
        await sql`select pg_sleep(0.005)`.execute(trx);
        created.push(id);
      });
    const remove = () =>
      db.transaction().execute(async (trx) => {
        const id = created.shift();
        if (id === undefined) return;
        await trx.deleteFrom('users').where('id', '=', id).execute();
        await sql`select pg_sleep(0.005)`.execute(trx);
      });
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      work.push(create(i));
      if (i % 3 === 2) work.push(remove());
      if (i % 50 === 25) work.push(foldGramDeltas(db), foldGramDeltas(db));
    }
    const failed = (await Promise.allSettled(work)).filter((r) => r.status === 'rejected');
    assert.deepEqual(failed, []);
    await assertGramsExact(db, 'before the fold');
    assert.ok(Number((await sql<{ n: string }>`select count(*) as n from user_gram_deltas`.execute(db)).rows[0]!.n) > 0);
    await foldGramDeltas(db);
    assert.equal(Number((await sql<{ n: string }>`select count(*) as n from user_gram_deltas`.execute(db)).rows[0]!.n), 0);
    await assertGramsExact(db, 'after the fold');
    assert.equal(await countGram(db, '@'), await countGram(db, ''));
  });

  it('PostgreSQL: a server counts a new user at once and folds the deltas in the background', { skip: DB_KIND !== 'postgres', timeout: 60_000 }, async () => {
    const t = await startRoster({}, { foldGramsEveryMs: 20 });
    try {
      const served = t.roster.store.db as Kysely<any>;
      const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'gram-fold', email: 'gram-fold@example.com', password: 'gram-fold-1' } });
      assert.equal(r.status, 200);
      const search = await t.request('GET', '/api/users/search?query=m-fo', t.admin);
      assert.equal(search.body.totalCount, 1);
      // The folder runs every 20 ms; without it the wait ends at the test's timeout, a failure.
      const pending = async () => Number((await sql<{ n: string }>`select count(*) as n from user_gram_deltas`.execute(served)).rows[0]!.n);
      while ((await pending()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(await countGram(served, 'm-fo'), 1);
      await assertGramsExact(served, 'served');
    } finally {
      await t.close();
    }
  });
});
