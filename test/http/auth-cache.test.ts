// Memoized credential and current-org lookups (src/http/memo/expiring-memo.ts) must never outlive a change: a write
// through this process is seen by the very next request; a write elsewhere within a second.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { newServiceAccountToken } from '../../src/domain/secrets.ts';
import { grafanaUid } from '../../src/domain/ids.ts';
import { TTL_MS } from '../../src/http/memo/expiring-memo.ts';

describe('auth cache invalidation', () => {
  let t: TestRoster;
  let userId: number;
  const alice = { basic: ['alice', 'alice-pass-1'] as [string, string] };
  before(async () => {
    t = await startRoster();
    const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'alice', email: 'alice@example.com', password: 'alice-pass-1' } });
    assert.equal(r.status, 200);
    userId = r.body.id;
  });
  after(() => t.close());

  it('sees a role change on the next request', async () => {
    assert.equal((await t.request('GET', '/api/org/users', alice)).status, 403);
    assert.equal((await t.request('PATCH', `/api/org/users/${userId}`, { ...t.admin, body: { role: 'Admin' } })).status, 200);
    assert.equal((await t.request('GET', '/api/org/users', alice)).status, 200);
    assert.equal((await t.request('PATCH', `/api/org/users/${userId}`, { ...t.admin, body: { role: 'Viewer' } })).status, 200);
    assert.equal((await t.request('GET', '/api/org/users', alice)).status, 403);
  });

  it('sees a password change on the next request', async () => {
    assert.equal((await t.request('GET', '/api/org', alice)).status, 200);
    const r = await t.request('PUT', `/api/admin/users/${userId}/password`, { ...t.admin, body: { password: 'alice-pass-2' } });
    assert.equal(r.status, 200);
    assert.equal((await t.request('GET', '/api/org', alice)).status, 401);
    assert.equal((await t.request('GET', '/api/org', { basic: ['alice', 'alice-pass-2'] })).status, 200);
    alice.basic[1] = 'alice-pass-2';
  });

  it('a verified credential, by login or by email, stops working once the password changes', async () => {
    const byEmail = { basic: ['alice@example.com', alice.basic[1]] as [string, string] };
    for (const who of [alice, byEmail, alice, byEmail]) assert.equal((await t.request('GET', '/api/org', who)).status, 200);
    assert.equal((await t.request('PUT', `/api/admin/users/${userId}/password`, { ...t.admin, body: { password: 'alice-pass-3' } })).status, 200);
    for (const who of [alice, byEmail]) assert.equal((await t.request('GET', '/api/org', who)).status, 401);
    for (const login of ['alice', 'alice@example.com']) {
      assert.equal((await t.request('GET', '/api/org', { basic: [login, 'alice-pass-3'] })).status, 200);
    }
    alice.basic[1] = 'alice-pass-3';
  });

  it('sees disabling a user on the next request', async () => {
    assert.equal((await t.request('GET', '/api/org', alice)).status, 200);
    assert.equal((await t.request('POST', `/api/admin/users/${userId}/disable`, t.admin)).status, 200);
    assert.equal((await t.request('GET', '/api/org', alice)).status, 401);
    assert.equal((await t.request('POST', `/api/admin/users/${userId}/enable`, t.admin)).status, 200);
    assert.equal((await t.request('GET', '/api/org', alice)).status, 200);
  });

  it('sees an org rename on the next request', async () => {
    assert.equal((await t.request('GET', '/api/org', alice)).body.name, 'Main Org.');
    assert.equal((await t.request('PUT', '/api/org', { ...t.admin, body: { name: 'Renamed Org' } })).status, 200);
    assert.equal((await t.request('GET', '/api/org', alice)).body.name, 'Renamed Org');
    assert.equal((await t.request('PUT', '/api/org', { ...t.admin, body: { name: 'Main Org.' } })).status, 200);
    assert.equal((await t.request('GET', '/api/org', alice)).body.name, 'Main Org.');
  });

  it('sees a token revoked by another process within the expiry', async () => {
    const { ctx } = t.roster;
    const ts = new Date().toISOString();
    const sa = await ctx.db
      .insertInto('service_accounts')
      .values({ uid: grafanaUid(), org_id: 1, name: 'cache', login: 'sa-1-cache', role: 'Viewer', created_at: ts, updated_at: ts })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = newServiceAccountToken();
    await ctx.db
      .insertInto('tokens')
      .values({ kind: 'sa', hash: ctx.hasher.hash(token), org_id: 1, service_account_id: sa.id, name: 'cache', mask: 'glsa_...', created_at: ts })
      .execute();
    assert.equal((await t.request('GET', '/api/org', { bearer: token })).status, 200);
    // Straight to the database, as another Roster process would: no request here invalidates.
    await ctx.db.updateTable('tokens').set({ revoked_at: ts }).where('service_account_id', '=', sa.id).execute();
    await new Promise((r) => setTimeout(r, TTL_MS + 100));
    assert.equal((await t.request('GET', '/api/org', { bearer: token })).status, 401);
  });
});
