// Issue 6 part 4: three separate Roster processes on one PostgreSQL behave as one. A change made
// through one process (role change, token deletion, org rename) is seen by the others within
// 1 s, although each process memoizes credentials and the current org (http/memo/expiring-memo.ts):
// LISTEN/NOTIFY drops the other processes' memos at once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, DB_KIND, freshDatabase, type Creds } from '../helpers/roster.ts';
import pg from 'pg';
import { serve, within, type Served } from './spawn.ts';

const admin: Creds = { basic: ['admin', ADMIN_PASSWORD] };

describe('three processes on one PostgreSQL', { skip: DB_KIND !== 'postgres' && 'separate processes share a database only on PostgreSQL (SQLite: see workers.test.ts)' }, () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let a: Served, b: Served, c: Served;

  before(async () => {
    db = await freshDatabase();
    // The first one migrates and creates the admin; the other two start on the ready database.
    a = await serve(db.url, 4820);
    [b, c] = await Promise.all([serve(db.url, 4821), serve(db.url, 4822)]);
  });
  after(async () => {
    const codes = await Promise.all([a, b, c].filter(Boolean).map((s) => s.stop()));
    assert.deepEqual(
      codes,
      codes.map(() => 0),
    );
    await db.drop();
  });

  it('a role change through one process is seen by the others within 1 s', async (t) => {
    const created = await a.request('POST', '/api/admin/users', { ...admin, body: { name: 'Bob', login: 'bob', email: 'bob@example.com', password: 'bob-password-1' } });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const bobId = created.body.id as number;
    const bob: Creds = { basic: ['bob', 'bob-password-1'] };
    assert.equal((await a.request('PATCH', `/api/org/users/${bobId}`, { ...admin, body: { role: 'Admin' } })).status, 200);
    // Bob's role is memoized in b and c once they answered him as an Admin.
    for (const s of [b, c]) await within(1000, async () => (await s.request('GET', '/api/org/users/lookup', bob)).status === 200);

    assert.equal((await a.request('PATCH', `/api/org/users/${bobId}`, { ...admin, body: { role: 'Viewer' } })).status, 200);
    const ms = await Promise.all([b, c].map((s) => within(1000, async () => (await s.request('GET', '/api/org/users/lookup', bob)).status === 403)));
    t.diagnostic(`seen after ${ms.map((m) => m.toFixed(0)).join(' / ')} ms`);
  });

  it('a service-account token deleted through one process stops working on the others within 1 s', async (t) => {
    const sa = await a.request('POST', '/api/serviceaccounts', { ...admin, body: { name: 'robot', role: 'Admin' } });
    assert.equal(sa.status, 201, JSON.stringify(sa.body));
    const token = await a.request('POST', `/api/serviceaccounts/${sa.body.id}/tokens`, { ...admin, body: { name: 'ci' } });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    const bearer: Creds = { bearer: token.body.key };
    for (const s of [b, c]) assert.equal((await s.request('GET', '/api/org', bearer)).status, 200);

    const del = await a.request('DELETE', `/api/serviceaccounts/${sa.body.id}/tokens/${token.body.id}`, admin);
    assert.equal(del.status, 200, JSON.stringify(del.body));
    const ms = await Promise.all([b, c].map((s) => within(1000, async () => (await s.request('GET', '/api/org', bearer)).status === 401)));
    t.diagnostic(`seen after ${ms.map((m) => m.toFixed(0)).join(' / ')} ms`);
  });

  it('an org renamed through one process has its new name on the others within 1 s', async (t) => {
    // GET /api/org is memoized per process.
    for (const s of [b, c]) assert.equal((await s.request('GET', '/api/org', admin)).body.name, 'Main Org.');
    assert.equal((await a.request('PUT', '/api/org', { ...admin, body: { name: 'Renamed Org' } })).status, 200);
    const ms = await Promise.all([b, c].map((s) => within(1000, async () => (await s.request('GET', '/api/org', admin)).body.name === 'Renamed Org')));
    t.diagnostic(`seen after ${ms.map((m) => m.toFixed(0)).join(' / ')} ms`);
  });

  it('listeners reconnect after their connections are killed, and changes propagate again', async (t) => {
    const admin_ = new pg.Client({ connectionString: db.url });
    await admin_.connect();
    try {
      const listeners = async () =>
        (await admin_.query(`select count(*)::int as n from pg_stat_activity where application_name = 'roster-invalidation' and datname = current_database()`)).rows[0].n as number;
      assert.equal(await listeners(), 3);
      await admin_.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'roster-invalidation' and datname = current_database()`);
      await within(10_000, async () => (await listeners()) === 3);
    } finally {
      await admin_.end();
    }
    for (const s of [b, c]) assert.equal((await s.request('GET', '/api/org', admin)).body.name, 'Renamed Org');
    assert.equal((await a.request('PUT', '/api/org', { ...admin, body: { name: 'Renamed Again' } })).status, 200);
    const ms = await Promise.all([b, c].map((s) => within(1000, async () => (await s.request('GET', '/api/org', admin)).body.name === 'Renamed Again')));
    t.diagnostic(`seen after ${ms.map((m) => m.toFixed(0)).join(' / ')} ms`);
  });
});
