// An acknowledged write is committed: another connection to the database sees it the moment the
// answer arrives, also when many writes run at once (on SQLite they share one commit, see
// src/store/group-commit.ts), and a transaction that fails among them takes only itself back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { insertOrg } from '../../src/domain/orgs.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { DB_KIND, migratedDatabase, startRoster, type TestRoster } from '../helpers/roster.ts';

/** A second, independent connection: it sees committed rows only. */
async function observer(url: string): Promise<{ orgNames(): Promise<string[]>; close(): Promise<void> }> {
  if (url.startsWith('sqlite:')) {
    const db = new SQLite(url.slice('sqlite:'.length), { readonly: true });
    return {
      orgNames: async () => (db.prepare('select name from orgs order by name').all() as { name: string }[]).map((r) => r.name),
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    orgNames: async () => (await client.query<{ name: string }>('select name from orgs order by name')).rows.map((r) => r.name),
    close: () => client.end(),
  };
}

describe(`durable writes (${DB_KIND})`, () => {
  let r: TestRoster;
  before(async () => {
    r = await startRoster();
  });
  after(() => r?.close());

  it('each answered write of many concurrent ones is visible to another connection at once', async () => {
    const seen = await observer(r.config.databaseUrl);
    try {
      const names = Array.from({ length: 40 }, (_, i) => `Durable ${String(i).padStart(2, '0')}`);
      const missing: string[] = [];
      await Promise.all(
        names.map(async (name) => {
          const res = await r.request('POST', '/api/orgs', { ...r.admin, body: { name } });
          assert.equal(res.status, 200, res.text);
          if (!(await seen.orgNames()).includes(name)) missing.push(name);
        }),
      );
      assert.deepEqual(missing, []);
    } finally {
      await seen.close();
    }
  });

  it('a membership change answered over HTTP is committed before the answer', async () => {
    const seen = await observer(r.config.databaseUrl);
    try {
      const res = await r.request('PUT', '/api/org', { ...r.admin, body: { name: 'Renamed Main Org' } });
      assert.equal(res.status, 200, res.text);
      assert.ok((await seen.orgNames()).includes('Renamed Main Org'));
    } finally {
      await seen.close();
    }
  });
});

describe(`concurrent transactions (${DB_KIND})`, () => {
  let store: Store;
  let drop: () => Promise<void>;
  let url: string;
  before(async () => {
    ({ url, drop } = await migratedDatabase());
    store = await openStore(url);
    await migrate(store);
  });
  after(async () => {
    await store?.close();
    await drop?.();
  });

  it('one failing among many rolls back only itself; the others are committed when they return', async () => {
    const seen = await observer(url);
    try {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) =>
          store.db.transaction().execute(async (trx) => {
            await insertOrg(trx, { name: `Tx ${String(i).padStart(2, '0')}` });
            if (i % 3 === 0) throw new Error(`transaction ${i} gives up`);
            const visible = (await seen.orgNames()).includes(`Tx ${String(i).padStart(2, '0')}`);
            return visible;
          }),
        ),
      );
      const kept = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [`Tx ${String(i).padStart(2, '0')}`] : []));
      assert.equal(kept.length, 20);
      for (const [i, o] of outcomes.entries()) {
        if (i % 3 === 0) assert.equal(o.status, 'rejected');
        // Inside its own transaction, nothing of it is visible to another connection yet.
        else assert.deepEqual(o, { status: 'fulfilled', value: false });
      }
      assert.deepEqual(
        (await seen.orgNames()).filter((n) => n.startsWith('Tx ')),
        kept,
      );
    } finally {
      await seen.close();
    }
  });
});
