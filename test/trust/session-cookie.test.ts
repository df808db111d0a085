// Issue 15 item 4: the session cookie is Secure when Roster is served over https (its public URL,
// or X-Forwarded-Proto from a trusted proxy only), and a malformed cookie is no cookie (401, never 500).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, startRoster, type TestRoster } from '../helpers/roster.ts';
import { setCookieOf } from './sign-in.ts';

/** Signs the admin in from `remoteAddress` with extra headers; the Set-Cookie header. */
async function loginCookie(t: TestRoster, remoteAddress: string, headers: Record<string, string> = {}): Promise<string> {
  const r = await t.roster.app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress,
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ user: 'admin', password: ADMIN_PASSWORD }),
  });
  assert.equal(r.statusCode, 200, r.body);
  return setCookieOf(r.headers);
}

const isSecure = (setCookie: string) => /;\s*Secure/i.test(setCookie);

describe('session cookie: Secure', () => {
  it('is Secure when ROSTER_PUBLIC_URL is https, also on logout', async () => {
    const t = await startRoster({ ROSTER_PUBLIC_URL: 'https://roster.example' });
    try {
      const c = await loginCookie(t, '127.0.0.1');
      assert.ok(isSecure(c), c);
      assert.match(c, /HttpOnly/i);
      assert.match(c, /SameSite=Lax/i);
      const out = await t.roster.app.inject({ method: 'GET', url: '/logout' });
      assert.ok(isSecure(setCookieOf(out.headers)));
    } finally {
      await t.close();
    }
  });

  it('with an http public URL: not Secure over http, Secure with X-Forwarded-Proto https from a trusted proxy only', async () => {
    const t = await startRoster({ ROSTER_TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.7' });
    try {
      assert.ok(!isSecure(await loginCookie(t, '127.0.0.1')));
      assert.ok(isSecure(await loginCookie(t, '10.1.2.3', { 'x-forwarded-proto': 'https' })), 'CIDR entry');
      assert.ok(isSecure(await loginCookie(t, '192.0.2.7', { 'x-forwarded-proto': 'https' })), 'single address');
      assert.ok(!isSecure(await loginCookie(t, '127.0.0.1', { 'x-forwarded-proto': 'https' })), 'untrusted sender');
    } finally {
      await t.close();
    }
  });

  it('without ROSTER_TRUSTED_PROXIES, X-Forwarded-Proto is ignored', async () => {
    const t = await startRoster();
    try {
      assert.ok(!isSecure(await loginCookie(t, '10.1.2.3', { 'x-forwarded-proto': 'https' })));
    } finally {
      await t.close();
    }
  });

  it('ROSTER_TRUSTED_PROXIES must be IPs or CIDRs', async () => {
    await assert.rejects(startRoster({ ROSTER_TRUSTED_PROXIES: 'proxy.local' }), /ROSTER_TRUSTED_PROXIES/);
    await assert.rejects(startRoster({ ROSTER_TRUSTED_PROXIES: '10.0.0.0/33' }), /ROSTER_TRUSTED_PROXIES/);
  });
});

describe('session cookie: malformed', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  const MALFORMED = ['grafana_session=%E0%A4%A', 'grafana_session=%', 'grafana_session="unterminated', 'grafana_session=a%00b', 'grafana_session'];

  it('is treated as absent: 401 on every face, never 500', async () => {
    for (const cookie of MALFORMED) {
      const g = await t.request('GET', '/api/user', { cookie });
      assert.equal(g.status, 401, `${cookie}: ${g.text}`);
      assert.equal(g.body.messageId, 'auth.unauthorized');
      const r = await t.request('GET', '/api/roster/v1/orgs/1/settings', { cookie });
      assert.equal(r.status, 401, `${cookie}: ${r.text}`);
      const p = await t.request('GET', '/api/users/@me', { cookie });
      assert.equal(p.status, 401, `${cookie}: ${p.text}`);
    }
  });

  it('does not get in the way of another credential', async () => {
    const r = await t.request('GET', '/api/user', { ...t.admin, cookie: MALFORMED[0] });
    assert.equal(r.status, 200, r.text);
  });

  it('logout with a malformed cookie still clears it', async () => {
    const r = await t.request('GET', '/logout', { cookie: MALFORMED[0] });
    assert.equal(r.status, 302, r.text);
    assert.match(setCookieOf(r.headers), /grafana_session=;/);
  });
});
