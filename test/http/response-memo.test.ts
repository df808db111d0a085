// Memoized list answers (src/http/memo/response-memo.ts): served again for the same caller and URL,
// never to another caller, dropped by every write through this process, and gone within TTL_MS
// after a change made elsewhere.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { TTL_MS } from '../../src/http/memo/expiring-memo.ts';

describe('response memo', () => {
  let t: TestRoster;
  let bobId: number;
  const bob = { basic: ['bob', 'bob-pass-1'] as [string, string] };
  const logins = (body: { login: string }[]) => body.map((u) => u.login).sort();

  before(async () => {
    t = await startRoster();
    const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'bob', email: 'bob@example.com', password: 'bob-pass-1' } });
    assert.equal(r.status, 200);
    bobId = r.body.id;
  });
  after(() => t.close());

  it('serves a repeated list read from the memo until TTL_MS has passed', async () => {
    // The first answer of a URL is not kept, the second is.
    await t.request('GET', '/api/org/users', t.admin);
    const first = await t.request('GET', '/api/org/users', t.admin);
    assert.deepEqual(logins(first.body), ['admin', 'bob']);
    // Straight to the database, as another Roster process would: nothing here drops the memo.
    await t.roster.ctx.db.updateTable('users').set({ name: 'Robert' }).where('id', '=', bobId).execute();
    const again = await t.request('GET', '/api/org/users', t.admin);
    assert.deepEqual(again.body, first.body, 'the memoized answer');
    await new Promise((r) => setTimeout(r, TTL_MS + 100));
    const later = await t.request('GET', '/api/org/users', t.admin);
    assert.equal(later.body.find((u: { login: string }) => u.login === 'bob').name, 'Robert');
  });

  it('a write through any face is seen by the next list read of every face', async () => {
    const orgUuid = (await t.request('GET', '/api/organizations/@current', t.admin)).body.id;
    const reads = async () => ({
      grafana: logins((await t.request('GET', '/api/org/users', t.admin)).body),
      search: logins((await t.request('GET', '/api/org/users/search', t.admin)).body.orgUsers),
      oncall: (await t.request('GET', '/api/v1/users/', t.admin)).body.results.map((u: { username: string }) => u.username).sort(),
      posthog: (await t.request('GET', `/api/organizations/${orgUuid}/members/`, t.admin)).body.results.map((m: { user: { email: string } }) => m.user.email).sort(),
    });
    assert.deepEqual(await reads(), await reads());
    const carol = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'carol', email: 'carol@example.com', password: 'carol-pass-1' } });
    assert.equal(carol.status, 200);
    const after = await reads();
    assert.ok(after.grafana.includes('carol') && after.search.includes('carol') && after.oncall.includes('carol'), JSON.stringify(after));
    assert.ok(after.posthog.includes('carol@example.com'));
    // Removed through the PostHog face; gone from the Grafana face's next answer.
    const members = (await t.request('GET', `/api/organizations/${orgUuid}/members/`, t.admin)).body.results;
    const carolUuid = members.find((m: { user: { email: string } }) => m.user.email === 'carol@example.com').user.uuid;
    assert.equal((await t.request('DELETE', `/api/organizations/${orgUuid}/members/${carolUuid}/`, t.admin)).status, 204);
    assert.ok(!logins((await t.request('GET', '/api/org/users', t.admin)).body).includes('carol'));
  });

  it('never serves one caller the answer memoized for another', async () => {
    const org2 = await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Second Org' } });
    assert.equal(org2.status, 200);
    assert.equal((await t.request('POST', `/api/orgs/${org2.body.orgId}/users`, { ...t.admin, body: { loginOrEmail: 'bob', role: 'Admin' } })).status, 200);
    await t.request('GET', '/api/org/users', t.admin);
    const mainOrg = await t.request('GET', '/api/org/users', t.admin); // kept (asked for twice)
    assert.ok(logins(mainOrg.body).includes('admin'));
    // Same URL, another caller (a Viewer in org 1): refused, not handed the Admin's list.
    assert.equal((await t.request('GET', '/api/org/users', bob)).status, 403);
    // Same caller and URL in another org: that org's members.
    const second = await t.request('GET', '/api/org/users', { ...bob, headers: { 'x-grafana-org-id': String(org2.body.orgId) } });
    assert.equal(second.status, 200);
    assert.deepEqual(logins(second.body), ['admin', 'bob']);
    assert.deepEqual(
      second.body.map((u: { orgId: number }) => u.orgId),
      [org2.body.orgId, org2.body.orgId],
    );
  });
});
