// Multi-step abuse cases across faces: a rule must hold for a sequence (leave, change, come
// back), not only for one request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeKey, makeUser, startFixture, type Fixture } from '../posthog/fixture.ts';

const cookieOf = (setCookie: unknown) => String(setCookie).split(';')[0];

describe('trust: multi-step flows', () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture();
  });
  after(() => f.t.close());

  it('a removed member keeps no way into the org: personal key, Basic with the org header', async () => {
    const t = f.t;
    const u = await makeUser(t, 'rita');
    await t.request('POST', `/api/orgs/${f.acme.id}/users`, { ...f.owner.creds, headers: { 'x-grafana-org-id': String(f.acme.id) }, body: { loginOrEmail: 'rita', role: 'Admin' } });
    const key = await makeKey(t, u.creds, ['*']);
    assert.equal((await t.request('GET', `/api/organizations/${f.acme.uuid}/`, { bearer: key })).status, 200);
    assert.equal((await t.request('DELETE', `/api/organizations/${f.acme.uuid}/members/${u.uuid}/`, f.owner.creds)).status, 204);
    assert.equal((await t.request('GET', `/api/organizations/${f.acme.uuid}/`, { bearer: key })).status, 404);
    assert.equal((await t.request('GET', `/api/organizations/${f.acme.uuid}/members/`, { bearer: key })).status, 403);
    assert.equal((await t.request('PATCH', `/api/organizations/${f.acme.uuid}/`, { bearer: key, body: { name: 'Taken' } })).status, 404);
    assert.equal((await t.request('PUT', '/api/org', { ...u.creds, headers: { 'x-grafana-org-id': String(f.acme.id) }, body: { name: 'Taken' } })).status, 403);
    // Back as a Viewer: the old Admin role does not come back with her.
    await t.request('POST', `/api/orgs/${f.acme.id}/users`, { ...f.owner.creds, headers: { 'x-grafana-org-id': String(f.acme.id) }, body: { loginOrEmail: 'rita', role: 'Viewer' } });
    assert.equal((await t.request('PATCH', `/api/organizations/${f.acme.uuid}/`, { bearer: key, body: { name: 'Taken' } })).status, 403);
    assert.equal((await t.request('GET', `/api/organizations/${f.acme.uuid}/`, f.owner.creds)).body.name, 'Acme');
  });

  it('disabling a user ends their sessions for good; an admin password reset ends them too', async () => {
    const t = f.t;
    const u = await makeUser(t, 'dora');
    const key = await makeKey(t, u.creds, ['user:read']);
    const signIn = async (password: string) => cookieOf((await t.request('POST', '/login', { body: { user: 'dora', password } })).headers['set-cookie']);
    const cookie = await signIn('dora-password');
    assert.equal((await t.request('GET', '/api/user', { cookie })).status, 200);
    assert.equal((await t.request('POST', `/api/admin/users/${u.id}/disable`, t.admin)).status, 200);
    assert.equal((await t.request('GET', '/api/user', { cookie })).status, 401);
    assert.equal((await t.request('GET', '/api/users/@me/', { bearer: key })).status, 401);
    assert.equal((await t.request('POST', `/api/admin/users/${u.id}/enable`, t.admin)).status, 200);
    assert.equal((await t.request('GET', '/api/user', { cookie })).status, 401, 'the old session stays ended');
    const again = await signIn('dora-password');
    assert.equal((await t.request('PUT', `/api/admin/users/${u.id}/password`, { ...t.admin, body: { password: 'dora-new-password' } })).status, 200);
    assert.equal((await t.request('GET', '/api/user', { cookie: again })).status, 401);
    assert.equal((await t.request('GET', '/api/user', { basic: ['dora', 'dora-password'] })).status, 401);
  });

  it('a team admin who leaves the org cannot manage the team, and is not team admin on return', async () => {
    const t = f.t;
    const inAcme = (creds: object) => ({ ...creds, headers: { 'x-grafana-org-id': String(f.acme.id) } });
    const u = await makeUser(t, 'tess');
    await t.request('POST', `/api/orgs/${f.acme.id}/users`, { ...inAcme(f.owner.creds), body: { loginOrEmail: 'tess', role: 'Viewer' } });
    const team = await t.request('POST', '/api/teams', { ...inAcme(f.owner.creds), body: { name: 'night shift' } });
    assert.equal(team.status, 200, team.text);
    const id = team.body.teamId;
    assert.equal((await t.request('POST', `/api/teams/${id}/members`, { ...inAcme(f.owner.creds), body: { userId: u.id } })).status, 200);
    assert.equal((await t.request('PUT', `/api/teams/${id}/members/${u.id}`, { ...inAcme(f.owner.creds), body: { permission: 4 } })).status, 200);
    assert.equal((await t.request('POST', `/api/teams/${id}/members`, { ...inAcme(u.creds), body: { userId: f.member.id } })).status, 200, 'a team admin manages the team');
    assert.equal((await t.request('DELETE', `/api/orgs/${f.acme.id}/users/${u.id}`, t.admin)).status, 200);
    assert.equal((await t.request('DELETE', `/api/teams/${id}/members/${f.member.id}`, inAcme(u.creds))).status, 403);
    await t.request('POST', `/api/orgs/${f.acme.id}/users`, { ...inAcme(f.owner.creds), body: { loginOrEmail: 'tess', role: 'Viewer' } });
    assert.equal((await t.request('DELETE', `/api/teams/${id}/members/${f.member.id}`, inAcme(u.creds))).status, 403);
    const members = (await t.request('GET', `/api/teams/${id}/members`, inAcme(f.owner.creds))).body.map((m: { login: string }) => m.login);
    assert.ok(members.includes('mia') && !members.includes('tess'), JSON.stringify(members));
  });

  it("a deleted user's key and session do not pass to a new user of the same login", async () => {
    const t = f.t;
    const old = await makeUser(t, 'zed');
    const key = await makeKey(t, old.creds, ['user:read']);
    const cookie = cookieOf((await t.request('POST', '/login', { body: { user: 'zed', password: 'zed-password' } })).headers['set-cookie']);
    assert.equal((await t.request('DELETE', `/api/admin/users/${old.id}`, t.admin)).status, 200);
    const fresh = await makeUser(t, 'zed');
    assert.notEqual(fresh.id, old.id);
    assert.equal((await t.request('GET', '/api/users/@me/', { bearer: key })).status, 401);
    assert.equal((await t.request('GET', '/api/user', { cookie })).status, 401);
  });
});
