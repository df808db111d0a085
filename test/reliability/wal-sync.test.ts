// SQLite batches commit without SQLite's own fsync and then sync the WAL off the event loop
// (src/store/group-commit.ts, wal-sync.ts): a transaction returns only once that sync is done,
// reads of its rows wait for it too, a failed sync fails the batch, and statements outside a
// batch still run with `synchronous = FULL`.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { DB_KIND, freshDatabase } from '../helpers/roster.ts';
import { GroupCommitDialect } from '../../src/store/group-commit.ts';
import { walSync, type WalSync } from '../../src/store/wal-sync.ts';

/** `synchronous`: 1 NORMAL, 2 FULL. */
const synchronous = (sqlite: SQLite.Database) => sqlite.pragma('synchronous', { simple: true }) as number;

function deferred() {
  let resolve!: () => void, reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

interface Sync {
  called: ReturnType<typeof deferred>;
  release: ReturnType<typeof deferred>;
  /** `synchronous` when the sync began. */
  synchronousAtCall?: number;
}

describe('SQLite WAL sync after a batch commit', { skip: DB_KIND !== 'sqlite' && 'SQLite only' }, () => {
  let database: { url: string; drop(): Promise<void> };
  let path: string;
  let sqlite: SQLite.Database;
  let wal: WalSync;
  let db: Kysely<any>;
  let dialect: GroupCommitDialect;
  /** Each sync of the WAL waits for the test to let it go. */
  let syncs: Sync[];

  before(async () => {
    database = await freshDatabase();
    path = database.url.slice('sqlite:'.length);
  });
  after(() => database.drop());

  function open() {
    sqlite = new SQLite(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    wal = walSync(path);
    syncs = [];
    const syncWal = async () => {
      const next = syncs.find((s) => !s.synchronousAtCall);
      assert.ok(next, 'a sync the test did not expect');
      next.synchronousAtCall = synchronous(sqlite);
      next.called.resolve();
      await next.release.promise;
      await wal.sync();
    };
    dialect = new GroupCommitDialect({ database: sqlite }, () => sqlite.inTransaction, true, syncWal);
    db = new Kysely<any>({ dialect });
  }
  const expectSync = () => {
    const s: Sync = { called: deferred(), release: deferred() };
    syncs.push(s);
    return s;
  };

  before(async () => {
    open();
    await sql`create table things (id integer primary key, name text not null)`.execute(db);
  });
  afterEach(() => assert.equal(synchronous(sqlite), 2, 'outside a batch SQLite syncs every commit itself'));
  after(async () => {
    await db.destroy();
    await wal.close();
  });

  it('a batch commits with NORMAL; its transactions return only after the WAL sync', async () => {
    const sync = expectSync();
    let done = false;
    const tx = db
      .transaction()
      .execute(async (trx) => {
        assert.equal((await sql<{ synchronous: number }>`pragma synchronous`.execute(trx)).rows[0].synchronous, 1);
        await trx.insertInto('things').values({ id: 1, name: 'one' }).execute();
      })
      .then(() => (done = true));
    await sync.called.promise;
    assert.equal(sync.synchronousAtCall, 2, 'FULL is back before the sync starts');
    for (let i = 0; i < 5; i++) await nextTurn();
    assert.equal(done, false, 'the transaction waits for the sync');
    // Committed (another connection sees it), not yet acknowledged.
    const other = new SQLite(path, { readonly: true });
    assert.deepEqual(other.prepare('select name from things').all(), [{ name: 'one' }]);
    other.close();
    sync.release.resolve();
    await tx;
    assert.equal(done, true);
  });

  it('settled() covers a committed batch until its sync is done', async () => {
    const sync = expectSync();
    const tx = db.transaction().execute((trx) => trx.insertInto('things').values({ id: 2, name: 'two' }).execute());
    await sync.called.promise;
    // What a request reads now includes the row: its answer waits for this (server.ts).
    const settled = dialect.driver.settled();
    assert.ok(settled, 'a batch is committed but not yet synced');
    let settledDone = false;
    void settled.then(() => (settledDone = true));
    for (let i = 0; i < 5; i++) await nextTurn();
    assert.equal(settledDone, false);
    sync.release.resolve();
    await tx;
    assert.equal(settledDone, true);
    assert.equal(dialect.driver.settled(), undefined);
  });

  it('a failed sync fails every transaction of its batch', async () => {
    const sync = expectSync();
    const txs = [3, 4].map((id) =>
      db.transaction().execute((trx) =>
        trx
          .insertInto('things')
          .values({ id, name: `n${id}` })
          .execute(),
      ),
    );
    await sync.called.promise;
    sync.release.reject(new Error('EIO: disk gone'));
    for (const tx of txs) await assert.rejects(tx, /EIO: disk gone/);
    // The next batch is fine.
    const next = expectSync();
    const tx = db.transaction().execute((trx) => trx.insertInto('things').values({ id: 5, name: 'n5' }).execute());
    await next.called.promise;
    next.release.resolve();
    await tx;
  });
});
