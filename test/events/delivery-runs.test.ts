// The deliverer's speed rules (docs/events.md): a committed write wakes it, so an event is posted
// long before the next poll; a queue of many events goes out in runs, still in commit order and
// each once; a lease no longer than the timeout leaves runs of one event, which still deliver.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { eventually, startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

// A poll far longer than the test: only the wake-up after a write can deliver in time.
const SLOW_POLL = { pollMs: 600_000, retryBaseMs: 40, maxBackoffMs: 200, timeoutMs: 1000, leaseMs: 3000 };
const ENV = { ROSTER_WEBHOOK_ALLOW_PRIVATE: 'true' };

describe('webhook delivery runs', () => {
  let t: TestRoster;
  let rx: Receiver;
  before(async () => {
    t = await startRoster(ENV, { webhooks: SLOW_POLL });
    rx = await startReceiver();
  });
  after(async () => {
    await t.close();
    await rx.close();
  });

  const names = (path: string) => rx.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body).data.after.name as string);

  it('a write wakes the deliverer: delivered without waiting for the poll', async () => {
    const made = await t.request('POST', '/api/roster/v1/orgs/1/webhooks', { ...t.admin, body: { url: rx.url('/wake'), eventTypes: ['team.create'] } });
    assert.equal(made.status, 201, made.text);
    assert.equal((await t.request('POST', '/api/teams', { ...t.admin, body: { name: 'wake-0' } })).status, 200);
    await eventually('delivered long before the poll', () => names('/wake').length === 1, 5000);
  });

  it('a long queue goes out in order, each event once', async () => {
    const made = await t.request('POST', '/api/roster/v1/orgs/1/webhooks', { ...t.admin, body: { url: rx.url('/many'), eventTypes: ['team.create'] } });
    assert.equal(made.status, 201, made.text);
    const want = Array.from({ length: 60 }, (_, i) => `many-${i}`);
    await Promise.all(want.slice(0, 30).map((name) => t.request('POST', '/api/teams', { ...t.admin, body: { name } })));
    for (const name of want.slice(30)) await t.request('POST', '/api/teams', { ...t.admin, body: { name } });
    await eventually('all delivered', () => names('/many').length >= want.length, 10_000);
    const got = rx.received.filter((r) => r.path === '/many').map((r) => Number(r.headers['webhook-id']));
    assert.deepEqual(
      got,
      [...got].sort((a, b) => a - b),
      'commit order',
    );
    assert.equal(new Set(got).size, want.length, 'each once');
    assert.deepEqual([...names('/many')].sort(), [...want].sort());
    const db = t.roster.ctx.db;
    await eventually(
      'all marked',
      async () => (await db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', made.body.id).where('delivered_at', 'is', null).execute()).length === 0,
    );
    const rows = await db.selectFrom('webhook_deliveries').select(['attempts', 'claim_token']).where('webhook_id', '=', made.body.id).execute();
    assert.equal(rows.length, want.length);
    assert.ok(rows.every((r) => Number(r.attempts) === 1 && r.claim_token === null));
  });
});

describe('webhook delivery runs within the lease', () => {
  it('a lease no longer than the timeout (runs of one event) still delivers everything, in order', async () => {
    const rx = await startReceiver();
    const t = await startRoster(ENV, { webhooks: { pollMs: 20, retryBaseMs: 40, maxBackoffMs: 200, timeoutMs: 1000, leaseMs: 1000 } });
    try {
      const made = await t.request('POST', '/api/roster/v1/orgs/1/webhooks', { ...t.admin, body: { url: rx.url('/lease'), eventTypes: ['team.create'] } });
      assert.equal(made.status, 201, made.text);
      for (let i = 0; i < 5; i++) await t.request('POST', '/api/teams', { ...t.admin, body: { name: `lease-${i}` } });
      await eventually('all delivered', () => rx.received.filter((r) => r.path === '/lease').length >= 5);
      assert.deepEqual(
        rx.received.filter((r) => r.path === '/lease').map((r) => JSON.parse(r.body).data.after.name),
        ['lease-0', 'lease-1', 'lease-2', 'lease-3', 'lease-4'],
      );
    } finally {
      await t.close();
      await rx.close();
    }
  });
});
