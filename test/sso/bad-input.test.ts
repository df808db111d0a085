// docs/sso.md#refused-sign-ins: every bad answer is refused with a clear message, creates
// nothing, is audited as a failed sign-in and counts against the sign-in throttle.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { finishAtRoster, newBrowser, signInOverHttp, startProvider, toProviderAndBack, type Tamper, type TestProvider } from '../helpers/oidc.ts';

const PUBLIC = 'http://roster.test';

describe('single sign-on: bad input', () => {
  let op: TestProvider;
  let t: TestRoster;
  let n = 0;
  /** A fresh provider account, allowed by the settings unless changed. */
  const account = (over: Record<string, unknown> = {}) => {
    const sub = `sub-${++n}`;
    op.accounts.set(sub, { email: `user${n}@example.com`, name: `User ${n}`, preferred_username: `user${n}`, groups: ['staff'], ...over });
    return sub;
  };
  const userExists = async (login: string) => (await t.request('GET', `/api/users/lookup?loginOrEmail=${login}`, t.admin)).status === 200;
  const failures = async () => {
    const r = await t.request('GET', '/api/roster/v1/audit?action=user.sso.login.failed&limit=500', t.admin);
    return r.body.events as { face: string; objectType: string; objectId: string; after: { reason: string; message: string } }[];
  };
  /** Refused: back to /login with the message, no session, nothing created, audited. */
  const assertRefused = async (res: { status: number; headers: Record<string, unknown>; body: { message: string } }, login: string | undefined, reason: string, message: RegExp) => {
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/login');
    assert.match(res.body.message, message);
    assert.doesNotMatch(String(res.headers['set-cookie'] ?? ''), /grafana_session=[^;]/);
    assert.match(String(res.headers['set-cookie'] ?? ''), /roster_login_error=/);
    if (login) assert.equal(await userExists(login), false, `${login} was not created`);
    const last = (await failures())[0];
    assert.equal(last.after.reason, reason);
    assert.equal(last.face, 'sso');
    assert.equal(last.objectType, 'sign-in');
  };

  before(async () => {
    op = await startProvider(`${PUBLIC}/login/generic_oauth`);
    t = await startRoster(op.env({ ROSTER_PUBLIC_URL: PUBLIC, ROSTER_OIDC_ALLOWED_DOMAINS: 'example.com', ROSTER_OIDC_ALLOWED_GROUPS: 'staff', ROSTER_OIDC_GROUPS_ATTRIBUTE_PATH: 'groups' }));
  });
  after(async () => {
    op.tamper = undefined;
    await t.close();
    await op.close();
  });

  it('a forged state (not the one this browser was sent with) is refused', async () => {
    const sub = account();
    const { callback, browser } = await toProviderAndBack(t, op, sub);
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state-value');
    const res = await finishAtRoster(t, forged.href, browser);
    await assertRefused(res, `user${n}`, 'state-mismatch', /state does not match/);
  });

  it('a callback in a browser that did not start the sign-in (no state cookie) is refused', async () => {
    const sub = account();
    const { callback } = await toProviderAndBack(t, op, sub);
    const res = await finishAtRoster(t, callback, newBrowser());
    await assertRefused(res, `user${n}`, 'state-mismatch', /not started in this browser/);
  });

  it('a replayed state is refused, even with the cookie it came with', async () => {
    const sub = account();
    const { callback, browser } = await toProviderAndBack(t, op, sub);
    const stateCookie = browser.roster.get('roster_sso_state')!;
    const ok = await finishAtRoster(t, callback, browser);
    assert.equal(ok.headers.location, '/');
    browser.roster.set('roster_sso_state', stateCookie);
    const again = await finishAtRoster(t, callback, browser);
    await assertRefused(again, undefined, 'state-used', /already used or has expired/);
  });

  const tampered: [Tamper, RegExp][] = [
    ['nonce', /nonce/],
    ['foreign-key', /signature/i],
    ['audience', /aud/],
    ['expired', /exp/],
  ];
  for (const [tamper, message] of tampered) {
    it(`an ID token with ${tamper === 'foreign-key' ? 'a signature by another key' : tamper === 'nonce' ? 'the wrong nonce' : tamper === 'audience' ? 'another audience' : 'an expiry in the past'} is refused`, async () => {
      const sub = account();
      op.tamper = tamper;
      try {
        const { res } = await signInOverHttp(t, op, sub);
        await assertRefused(res, `user${n}`, 'token-refused', message);
      } finally {
        op.tamper = undefined;
      }
    });
  }

  it('an email domain that is not allowed is refused', async () => {
    const sub = account({ email: 'someone@elsewhere.org', preferred_username: 'someone' });
    const { res } = await signInOverHttp(t, op, sub);
    await assertRefused(res, 'someone', 'domain-not-allowed', /domain "elsewhere.org" is not allowed/);
  });

  it('a user in none of the allowed groups is refused', async () => {
    const sub = account({ groups: ['contractors'] });
    const { res } = await signInOverHttp(t, op, sub);
    await assertRefused(res, `user${n}`, 'group-not-allowed', /not a member of one of the groups allowed/);
  });

  it('the provider refusing the sign-in (?error=) is refused and audited', async () => {
    const res = await t.request('GET', '/login/generic_oauth?error=access_denied&error_description=User%20cancelled');
    await assertRefused(res, undefined, 'provider-error', /refused the sign-in: User cancelled/);
  });

  it('failed sign-ins of one account are throttled like passwords: after five, even a good one is refused for a while', async () => {
    const sub = account({ groups: ['contractors'] });
    for (let i = 0; i < 5; i++) {
      const { res } = await signInOverHttp(t, op, sub);
      assert.match(res.body.message, /not a member/);
    }
    op.accounts.set(sub, { ...op.accounts.get(sub)!, groups: ['staff'] });
    const { res, session } = await signInOverHttp(t, op, sub);
    assert.equal(session, undefined);
    assert.match(res.body.message, /Too many consecutive incorrect login attempts/);
    assert.equal(await userExists(`user${n}`), false);
  });

  it('two first sign-ins of one identity at once make one user, and neither fails with a server error', async () => {
    const sub = account();
    const a = await toProviderAndBack(t, op, sub);
    const b = await toProviderAndBack(t, op, sub);
    const [ra, rb] = await Promise.all([finishAtRoster(t, a.callback, a.browser), finishAtRoster(t, b.callback, b.browser)]);
    assert.deepEqual([ra.status, rb.status], [302, 302]);
    assert.ok([ra.headers.location, rb.headers.location].includes('/'));
    const found = await t.request('GET', `/api/users/search?query=user${n}`, t.admin);
    assert.equal(found.body.totalCount, 1);
  });

  it('a good sign-in still works for another account', async () => {
    const sub = account();
    const { res, session } = await signInOverHttp(t, op, sub);
    assert.equal(res.headers.location, '/', res.text);
    assert.ok(session);
  });
});
