// Migration 0020 on a database that has lived: the outbox's positions carry over, and the next
// position continues after the last one ever given, also when retention had deleted every event
// (a feed cursor must never see a position twice). On SQLite `seq` then is the row id.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { DB_KIND, freshDatabase } from '../helpers/roster.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { appendEvent, pruneEvents, selectEvents, sequenceEvents } from '../../src/store/events.ts';

const MIGRATION = '0020-events-seq-rowid';
const event = (type: string) => ({ at: new Date().toISOString(), type, org_id: null, data: '{}' });

describe(`outbox positions across migration ${MIGRATION} (${DB_KIND})`, () => {
  let store: Store;
  let drop: () => Promise<void>;
  before(async () => {
    const database = await freshDatabase();
    drop = database.drop;
    store = await openStore(database.url, { poolSize: 1 });
  });
  after(async () => {
    await store?.close();
    await drop?.();
  });

  it('keeps the events, and never gives a position twice after the outbox was emptied', async () => {
    // The database as it was before the migration: every other one applied.
    await sql`create table schema_migrations (name text primary key, applied_at text not null)`.execute(store.db);
    await sql`insert into schema_migrations (name, applied_at) values (${MIGRATION}, '')`.execute(store.db);
    await migrate(store);
    await sql`delete from events`.execute(store.db);
    for (const t of ['a', 'b', 'c', 'd']) await appendEvent(store.db, event(t));
    if (DB_KIND === 'postgres') await sql`update events set seq = id`.execute(store.db);
    const before = await selectEvents(store.db, { after: 0, limit: 10 });
    assert.deepEqual(
      before.map((e) => e.type),
      ['a', 'b', 'c', 'd'],
    );
    // Retention deletes the first two; the last ever given is d's.
    const [, second, , last] = before.map((e) => e.seq);
    await sql`delete from events where seq <= ${second}`.execute(store.db);

    await sql`delete from schema_migrations where name = ${MIGRATION}`.execute(store.db);
    assert.deepEqual(await migrate(store), [MIGRATION]);
    const kept = await selectEvents(store.db, { after: 0, limit: 10 });
    assert.deepEqual(
      kept.map((e) => [e.seq, e.type]),
      before.slice(2).map((e) => [e.seq, e.type]),
    );

    // Retention deletes every event; the next one still comes after d.
    assert.equal(await pruneEvents(store.db, new Date(Date.now() + 60_000).toISOString(), 100), 2);
    assert.deepEqual(await selectEvents(store.db, { after: 0, limit: 10 }), []);
    await appendEvent(store.db, event('e'));
    await sequenceEvents(store.db, DB_KIND);
    const [next] = await selectEvents(store.db, { after: 0, limit: 10 });
    assert.equal(next.type, 'e');
    assert.ok(next.seq > last, `${next.seq} after ${last}`);
  });

  it('the pruner stops at the first event inside the window', async () => {
    await sql`delete from events`.execute(store.db);
    const old = new Date(Date.now() - 120_000).toISOString();
    for (const t of ['old-1', 'old-2']) await appendEvent(store.db, { ...event(t), at: old });
    await appendEvent(store.db, event('new'));
    await appendEvent(store.db, { ...event('old-late'), at: old });
    await sequenceEvents(store.db, DB_KIND);
    assert.equal(await pruneEvents(store.db, new Date(Date.now() - 60_000).toISOString(), 100), 2);
    assert.deepEqual(
      (await selectEvents(store.db, { after: 0, limit: 10 })).map((e) => e.type),
      ['new', 'old-late'],
    );
  });

  it('on SQLite the position is the row id, given by the insert (no trigger)', { skip: DB_KIND !== 'sqlite' }, async () => {
    const triggers = await sql<{ name: string }>`select name from sqlite_master where type = 'trigger' and tbl_name = 'events'`.execute(store.db);
    assert.deepEqual(triggers.rows, []);
    const mismatched = await sql<{ n: number }>`select count(*) as n from events where seq is null or seq != id`.execute(store.db);
    assert.equal(Number(mismatched.rows[0].n), 0);
  });
});
