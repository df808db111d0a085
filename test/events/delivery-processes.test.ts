// Webhook delivery across process lifetimes: a Roster stopped mid-delivery (its request
// abandoned, its claim left behind as a crash leaves it) loses nothing: the next process delivers
// it once the claim runs out, at least once and in order; and two processes on one PostgreSQL
// database deliver each event once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KIND, migratedDatabase, startRosterOn, type TestRoster } from '../helpers/roster.ts';
import { eventually, startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

const FAST = { pollMs: 30, retryBaseMs: 40, maxBackoffMs: 200, timeoutMs: 5000, leaseMs: 800 };
const ENV = { ROSTER_WEBHOOK_ALLOW_PRIVATE: 'true' };

async function hookAndTeams(t: TestRoster, rx: Receiver, path: string) {
  const made = await t.request('POST', '/api/roster/v1/orgs/1/webhooks', { ...t.admin, body: { url: rx.url(path), eventTypes: ['team.create'] } });
  assert.equal(made.status, 201, made.text);
  return made.body;
}

const idsAt = (rx: Receiver, path: string) => rx.received.filter((r) => r.path === path).map((r) => String(r.headers['webhook-id']));

describe('webhook delivery across processes', () => {
  let db: { url: string; drop(): Promise<void> };
  let rx: Receiver;
  before(async () => {
    db = await migratedDatabase();
    rx = await startReceiver();
  });
  after(async () => {
    await rx.close();
    await db.drop();
  });

  it('a process stopped mid-delivery loses nothing: the next one delivers, at least once, in order', async () => {
    const a = await startRosterOn(db.url, ENV, { webhooks: FAST });
    await hookAndTeams(a, rx, '/restart');
    rx.answer = (r, n) => (r.path === '/restart' && n === 1 ? 'hang' : 200);
    for (let i = 0; i < 5; i++) assert.equal((await a.request('POST', '/api/teams', { ...a.admin, body: { name: `restart-${i}` } })).status, 200);
    await eventually('the first delivery is under way', () => idsAt(rx, '/restart').length >= 1);
    await a.close();
    const b = await startRosterOn(db.url, ENV, { webhooks: FAST });
    try {
      await eventually('all five delivered by the next process', () => new Set(idsAt(rx, '/restart')).size >= 5);
      const ids = idsAt(rx, '/restart');
      // The abandoned one came again; nothing came out of order.
      assert.equal(ids[0], ids[1]);
      const distinct = [...new Set(ids)];
      assert.deepEqual(
        distinct,
        [...distinct].sort((x, y) => Number(x) - Number(y)),
      );
      const names = rx.received.filter((r) => r.path === '/restart').map((r) => JSON.parse(r.body).data.after.name);
      assert.deepEqual([...new Set(names)], ['restart-0', 'restart-1', 'restart-2', 'restart-3', 'restart-4']);
    } finally {
      await b.close();
    }
  });

  it('two processes on one PostgreSQL database deliver each event once', { skip: DB_KIND !== 'postgres' && 'SQLite: one process delivers' }, async () => {
    const a = await startRosterOn(db.url, ENV, { webhooks: { ...FAST, leaseMs: 60_000 } });
    const b = await startRosterOn(db.url, ENV, { webhooks: { ...FAST, leaseMs: 60_000 } });
    try {
      await hookAndTeams(a, rx, '/twice');
      rx.answer = () => 200;
      await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).request('POST', '/api/teams', { ...a.admin, body: { name: `both-${i}` } })));
      await eventually('30 delivered', () => new Set(idsAt(rx, '/twice')).size >= 30);
      await new Promise((r) => setTimeout(r, 300));
      const ids = idsAt(rx, '/twice');
      assert.equal(ids.length, 30, 'each event once');
      assert.deepEqual(
        ids,
        [...ids].sort((x, y) => Number(x) - Number(y)),
        'in order',
      );
    } finally {
      await a.close();
      await b.close();
    }
  });
});
