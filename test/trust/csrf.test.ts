// Issue 15 item 4: a state-changing request that carries the session cookie is refused (403) when
// its Origin, Referer or Sec-Fetch-Site says another site sent it; scripts without those headers,
// Basic and token callers, and reads are unaffected. docs/sessions-and-login.md.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { signIn } from './sign-in.ts';

describe('CSRF defence for cookie-authenticated writes', () => {
  let t: TestRoster;
  let cookie: string;
  let victimId: number;
  let token: string;

  before(async () => {
    t = await startRoster(); // ROSTER_PUBLIC_URL http://roster.test
    const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'victim', password: 'victim-password' } });
    assert.equal(r.status, 200, r.text);
    victimId = r.body.id;
    cookie = await signIn(t, 'admin', t.admin.basic![1]);
    const sa = await t.request('POST', '/api/serviceaccounts', { ...t.admin, body: { name: 'robot', role: 'Admin' } });
    const tok = await t.request('POST', `/api/serviceaccounts/${sa.body.id}/tokens`, { ...t.admin, body: { name: 'robot-token' } });
    token = tok.body.key;
  });
  after(() => t.close());

  const isDisabled = async () => (await t.roster.ctx.db.selectFrom('users').select('is_disabled').where('id', '=', victimId).executeTakeFirstOrThrow()).is_disabled === 1;

  /** Disables then re-enables the victim with these headers; the status of the disable. */
  const disable = async (headers: Record<string, string>, creds: { cookie?: string; basic?: [string, string]; bearer?: string } = { cookie }) => {
    const r = await t.request('POST', `/api/admin/users/${victimId}/disable`, { ...creds, headers, rawBody: '{}', contentType: 'text/plain' });
    if (await isDisabled()) {
      await t.request('POST', `/api/admin/users/${victimId}/enable`, t.admin);
    }
    return r;
  };

  it('refuses the attack: admin cookie, Origin http://evil.example, text/plain body', async () => {
    const r = await disable({ origin: 'http://evil.example' });
    assert.equal(r.status, 403, r.text);
    assert.deepEqual(r.body, { message: 'origin not allowed' });
    assert.equal(await isDisabled(), false);
  });

  it('refuses another origin on the same host name but another scheme or port, and the opaque origin "null"', async () => {
    for (const origin of ['https://roster.test', 'http://roster.test:8080', 'null']) {
      assert.equal((await disable({ origin })).status, 403, origin);
    }
  });

  it('refuses a Referer from another origin when there is no Origin', async () => {
    assert.equal((await disable({ referer: 'http://evil.example/page' })).status, 403);
  });

  it('refuses Sec-Fetch-Site: cross-site even when Origin looks like ours', async () => {
    assert.equal((await disable({ 'sec-fetch-site': 'cross-site', origin: 'http://roster.test' })).status, 403);
  });

  it('accepts Origin = ROSTER_PUBLIC_URL, Origin = the request host, and a same-origin Referer', async () => {
    assert.equal((await disable({ origin: 'http://roster.test' })).status, 200);
    assert.equal((await disable({ host: 'roster.internal:3000', origin: 'http://roster.internal:3000' })).status, 200);
    assert.equal((await disable({ referer: 'http://roster.test/admin/users' })).status, 200);
    assert.equal((await disable({ 'sec-fetch-site': 'same-origin', origin: 'http://roster.test' })).status, 200);
  });

  it('accepts a cookie request with neither Origin nor Referer (a script holding the cookie)', async () => {
    assert.equal((await disable({})).status, 200);
  });

  it('Basic and token requests are unaffected by a foreign Origin', async () => {
    assert.equal((await disable({ origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }, t.admin)).status, 200);
    // A service account may not disable users; it may create a team in its org.
    const team = await t.request('POST', '/api/teams', { bearer: token, headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }, body: { name: 'robots' } });
    assert.equal(team.status, 200, team.text);
  });

  it('reads with the cookie are unaffected', async () => {
    const r = await t.request('GET', '/api/user', { cookie, headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } });
    assert.equal(r.status, 200, r.text);
  });

  it('each face answers 403 in its own error format', async () => {
    const evil = { cookie, headers: { origin: 'http://evil.example' } };
    const roster = await t.request('PATCH', '/api/roster/v1/orgs/1/settings', { ...evil, body: {} });
    assert.equal(roster.status, 403, roster.text);
    assert.equal(roster.body.error.code, 'auth.cross-site');
    const posthog = await t.request('POST', '/api/organizations', { ...evil, body: { name: 'Evil Org' } });
    assert.equal(posthog.status, 403, posthog.text);
    assert.equal(posthog.body.type, 'authentication_error');
    assert.match(posthog.body.detail, /CSRF Failed/);
    const org = await t.roster.ctx.db.selectFrom('orgs').select('id').where('name', '=', 'Evil Org').executeTakeFirst();
    assert.equal(org, undefined);
  });
});
