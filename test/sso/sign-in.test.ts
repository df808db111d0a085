// docs/sso.md: single sign-on through a real OpenID provider (oidc-provider, in-process): first
// sign-in creates and links the user, later ones bring name, email, roles and orgs in line with
// the claims; the role expression, strict mode and the GrafanaAdmin gate.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { finishAtRoster, signInOverHttp, startProvider, toProviderAndBack, type TestProvider } from '../helpers/oidc.ts';

const PUBLIC = 'http://roster.test';

async function me(t: TestRoster, cookie: string) {
  return (await t.request('GET', '/api/user', { cookie })).body;
}

async function orgsOf(t: TestRoster, userId: number) {
  const r = await t.request('GET', `/api/users/${userId}/orgs`, t.admin);
  return (r.body as { orgId: number; name: string; role: string }[]).map((o) => `${o.name}:${o.role}`).sort();
}

describe('single sign-on: sign-up, linking and updates', () => {
  let op: TestProvider;
  let t: TestRoster;
  before(async () => {
    op = await startProvider(`${PUBLIC}/login/generic_oauth`);
    t = await startRoster(
      op.env({
        ROSTER_PUBLIC_URL: PUBLIC,
        ROSTER_OIDC_GROUPS_ATTRIBUTE_PATH: 'groups',
        ROSTER_OIDC_ROLE_ATTRIBUTE_PATH: "contains(groups[*], 'admins') && 'Admin' || contains(groups[*], 'editors') && 'Editor' || 'Viewer'",
      }),
    );
  });
  after(async () => {
    await t.close();
    await op.close();
  });

  it('the first sign-in creates the user without a password, links it, and signs the browser in', async () => {
    op.accounts.set('sub-ann', { email: 'ann@example.com', name: 'Ann Example', preferred_username: 'ann', groups: ['editors'] });
    const { res, cookie } = await signInOverHttp(t, op, 'sub-ann');
    assert.equal(res.status, 302, res.text);
    assert.equal(res.headers.location, '/');
    assert.ok(cookie, 'session cookie set');
    const u = await me(t, cookie!);
    assert.equal(u.login, 'ann');
    assert.equal(u.email, 'ann@example.com');
    assert.equal(u.name, 'Ann Example');
    assert.deepEqual(await orgsOf(t, u.id), ['Main Org.:Editor']);
    // No password: a password sign-in with any password is refused.
    const pw = await t.request('POST', '/login', { body: { user: 'ann', password: 'anything-at-all' } });
    assert.equal(pw.status, 401);
  });

  it('a later sign-in updates name, email and role from the claims, and stays the same user', async () => {
    const before = await signInOverHttp(t, op, 'sub-ann');
    const id = (await me(t, before.cookie!)).id;
    op.accounts.set('sub-ann', { email: 'ann.new@example.com', name: 'Ann Renamed', preferred_username: 'ann', groups: ['admins'] });
    const { cookie } = await signInOverHttp(t, op, 'sub-ann');
    const u = await me(t, cookie!);
    assert.equal(u.id, id);
    assert.equal(u.email, 'ann.new@example.com');
    assert.equal(u.name, 'Ann Renamed');
    assert.deepEqual(await orgsOf(t, id), ['Main Org.:Admin']);
  });

  it('a role lowered by a later sign-in holds at once for the sessions the user already has', async () => {
    op.accounts.set('sub-cy', { email: 'cy@example.com', preferred_username: 'cy', groups: ['admins'] });
    const first = await signInOverHttp(t, op, 'sub-cy');
    assert.equal((await t.request('GET', '/api/roster/v1/audit?orgId=1', { cookie: first.cookie })).status, 200);
    op.accounts.set('sub-cy', { email: 'cy@example.com', preferred_username: 'cy', groups: [] });
    await signInOverHttp(t, op, 'sub-cy');
    assert.equal((await t.request('GET', '/api/roster/v1/audit?orgId=1', { cookie: first.cookie })).status, 403);
  });

  it('an existing user with the same email is never taken over by an unlinked identity', async () => {
    const made = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'bob', email: 'bob@example.com', password: 'bob-password' } });
    assert.equal(made.status, 200);
    op.accounts.set('sub-mallory', { email: 'bob@example.com', name: 'Not Bob', preferred_username: 'bob' });
    const { res, cookie } = await signInOverHttp(t, op, 'sub-mallory');
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/login');
    assert.match(res.body.message, /exists but is not linked/);
    assert.equal(cookie, undefined);
    const bob = await t.request('GET', `/api/users/${made.body.id}`, t.admin);
    assert.equal(bob.body.name, '');
  });

  it('audits the sign-up and sign-in', async () => {
    const r = await t.request('GET', '/api/roster/v1/audit?action=user.sso.login', t.admin);
    assert.equal(r.status, 200, r.text);
    const events = (r.body.events ?? r.body) as { action: string; face: string; after: { created: boolean } }[];
    assert.ok(events.length >= 2);
    assert.ok(events.every((e) => e.face === 'sso'));
    assert.ok(events.some((e) => e.after.created));
  });

  it("an org's enforce_2fa holds password sessions, not single sign-on ones: the identity provider's own MFA stands for the second factor", async () => {
    const { cookie } = await signInOverHttp(t, op, 'sub-ann');
    const orgId = (await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Strict SSO Co' } })).body.orgId as number;
    assert.equal((await t.request('POST', `/api/orgs/${orgId}/users`, { ...t.admin, body: { loginOrEmail: 'ann.new@example.com', role: 'Viewer' } })).status, 200);
    const uuid = (await t.request('GET', '/api/organizations/', t.admin)).body.results.find((o: { name: string }) => o.name === 'Strict SSO Co').id;
    const on = await t.request('PATCH', `/api/organizations/${uuid}/`, { ...t.admin, body: { enforce_2fa: true } });
    assert.equal(on.status, 200, on.text);
    const inOrg = { 'x-grafana-org-id': String(orgId) };
    // The admin signed in with a password and has no second factor: held off the org.
    assert.equal((await t.request('GET', '/api/org', { ...t.admin, headers: inOrg })).status, 403);
    const r = await t.request('GET', '/api/org', { cookie: cookie!, headers: inOrg });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.id, orgId);
  });
});

describe('single sign-on: logs', () => {
  it('never hold the code, the state or the session of a sign-in', async () => {
    const op = await startProvider(`${PUBLIC}/login/generic_oauth`);
    const lines: string[] = [];
    const t = await startRoster(op.env({ ROSTER_PUBLIC_URL: PUBLIC, ROSTER_LOG_LEVEL: 'debug' }), { logStream: { write: (l: string) => void lines.push(l) } });
    try {
      op.accounts.set('sub-log', { email: 'log@example.com', preferred_username: 'loguser' });
      const { callback, browser } = await toProviderAndBack(t, op, 'sub-log');
      const res = await finishAtRoster(t, callback, browser);
      assert.equal(res.headers.location, '/');
      const u = new URL(callback);
      const log = lines.join('');
      assert.ok(log.includes('/login/generic_oauth'), 'requests are logged at debug');
      for (const secret of [u.searchParams.get('code')!, u.searchParams.get('state')!, browser.roster.get('grafana_session')!]) assert.ok(!log.includes(secret));
    } finally {
      await t.close();
      await op.close();
    }
  });
});
