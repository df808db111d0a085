// Issue 18 item 4: sessions a user can see and end, through Grafana's auth-token API, and the
// idle and absolute lifetimes and rotation that end or renew them. Time is moved by writing the
// session's own timestamps into the past, never by waiting.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type Reply, type TestRoster } from '../helpers/roster.ts';

const FIREFOX = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

function sessionCookie(r: Reply): string | undefined {
  const set = [r.headers['set-cookie'] ?? []].flat().map(String);
  const c = set.find((v) => v.startsWith('grafana_session='));
  return c ? c.split(';')[0] : undefined;
}

describe('sessions: list, revoke, lifetimes, rotation', () => {
  let t: TestRoster;
  let aliceId: number;
  before(async () => {
    t = await startRoster({ ROSTER_SESSION_IDLE_LIFETIME: '2h', ROSTER_SESSION_MAX_LIFETIME: '1d', ROSTER_SESSION_ROTATION_INTERVAL: '10m' });
    const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'alice', email: 'alice@example.com', password: 'alice-password' } });
    assert.equal(r.status, 200, r.text);
    aliceId = r.body.id;
  });
  after(() => t.close());

  const signIn = async (ua: string, ip = '192.0.2.1') => {
    const r = await t.roster.app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress: ip,
      headers: { 'content-type': 'application/json', 'user-agent': ua },
      payload: JSON.stringify({ user: 'alice', password: 'alice-password' }),
    });
    assert.equal(r.statusCode, 200, r.body);
    const cookie = sessionCookie({ status: r.statusCode, body: undefined, text: r.body, headers: r.headers as Reply['headers'] });
    assert.ok(cookie);
    return cookie;
  };
  const as = (cookie: string, ua = FIREFOX) => ({ cookie, headers: { 'user-agent': ua } });
  const sessionsTable = () => t.roster.ctx.db.selectFrom('sessions').selectAll().where('user_id', '=', aliceId).orderBy('id').execute();
  const past = (ms: number) => new Date(Date.now() - ms).toISOString();

  it('lists the caller’s sessions with Grafana’s fields; isActive marks this one', async () => {
    const a = await signIn(FIREFOX, '192.0.2.7');
    const b = await signIn(IPHONE, '198.51.100.9');
    const r = await t.request('GET', '/api/user/auth-tokens', as(a));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.length, 2);
    const [first, second] = r.body;
    assert.deepEqual(Object.keys(first).sort(), ['browser', 'browserVersion', 'clientIp', 'createdAt', 'device', 'id', 'isActive', 'os', 'osVersion', 'seenAt']);
    assert.deepEqual([first.isActive, first.browser, first.browserVersion, first.os, first.clientIp], [true, 'Firefox', '126.0', 'Linux', '192.0.2.7']);
    assert.deepEqual([second.isActive, second.browser, second.os, second.osVersion, second.device, second.clientIp], [false, 'Mobile Safari', 'iOS', '17.4', 'iPhone', '198.51.100.9']);
    // The other session sees itself as the active one.
    const fromB = await t.request('GET', '/api/user/auth-tokens', as(b, IPHONE));
    assert.deepEqual(
      fromB.body.map((s: { isActive: boolean }) => s.isActive),
      [false, true],
    );
    // No token, hash or secret in the answer.
    assert.doesNotMatch(r.text, new RegExp(a.split('=')[1]));
  });

  it('revoking: another session ends at once; the active one and unknown ids are refused with Grafana’s messages', async () => {
    await t.roster.ctx.db.deleteFrom('sessions').execute();
    const a = await signIn(FIREFOX);
    const b = await signIn(IPHONE);
    const list = (await t.request('GET', '/api/user/auth-tokens', as(a))).body as { id: number; isActive: boolean }[];
    const mine = list.find((s) => s.isActive)!;
    const other = list.find((s) => !s.isActive)!;
    let r = await t.request('POST', '/api/user/revoke-auth-token', { ...as(a), body: { authTokenId: mine.id } });
    assert.deepEqual([r.status, r.body.message], [400, 'Cannot revoke active user auth token']);
    r = await t.request('POST', '/api/user/revoke-auth-token', { ...as(a), body: { authTokenId: 999999 } });
    assert.deepEqual([r.status, r.body.message], [404, 'User auth token not found']);
    r = await t.request('POST', '/api/user/revoke-auth-token', { ...as(a), body: { authTokenId: other.id } });
    assert.deepEqual([r.status, r.body], [200, { message: 'User auth token revoked' }]);
    assert.equal((await t.request('GET', '/api/user', as(b, IPHONE))).status, 401, 'the revoked session is gone');
    assert.equal((await t.request('GET', '/api/user', as(a))).status, 200);
    const trail = await t.roster.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'user.session.revoke').execute();
    assert.equal(trail.length, 1);
    assert.equal(trail[0].object_id, String(aliceId));
  });

  it('a user cannot revoke someone else’s session by id', async () => {
    await t.roster.ctx.db.deleteFrom('sessions').execute();
    const aliceCookie = await signIn(FIREFOX);
    const adminLogin = await t.request('POST', '/login', { body: { user: 'admin', password: 'admin-secret' } });
    const adminCookie = sessionCookie(adminLogin)!;
    const adminSessions = (await t.request('GET', '/api/user/auth-tokens', { cookie: adminCookie })).body as { id: number }[];
    const r = await t.request('POST', '/api/user/revoke-auth-token', { ...as(aliceCookie), body: { authTokenId: adminSessions[0].id } });
    assert.deepEqual([r.status, r.body.message], [404, 'User auth token not found']);
    assert.equal((await t.request('GET', '/api/user', { cookie: adminCookie })).status, 200);
  });

  it('admin API: list, revoke one, log out everywhere; not yourself; unknown users 404; others 403', async () => {
    await t.roster.ctx.db.deleteFrom('sessions').execute();
    const a = await signIn(FIREFOX);
    const b = await signIn(IPHONE);
    let r = await t.request('GET', `/api/admin/users/${aliceId}/auth-tokens`, t.admin);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.length, 2);
    assert.ok(
      r.body.every((s: { isActive: boolean }) => !s.isActive),
      'none of them is the admin’s',
    );
    r = await t.request('POST', `/api/admin/users/${aliceId}/revoke-auth-token`, { ...t.admin, body: { authTokenId: r.body[0].id } });
    assert.deepEqual([r.status, r.body], [200, { message: 'User auth token revoked' }]);
    assert.equal((await t.request('GET', '/api/user', as(a))).status, 401);
    assert.equal((await t.request('GET', '/api/user', as(b, IPHONE))).status, 200);

    assert.equal((await t.request('GET', `/api/admin/users/${aliceId}/auth-tokens`, as(b, IPHONE))).status, 403, 'not a server admin');
    assert.equal((await t.request('POST', `/api/admin/users/${aliceId}/logout`, as(b, IPHONE))).status, 403);
    r = await t.request('GET', '/api/admin/users/424242/auth-tokens', t.admin);
    assert.deepEqual([r.status, r.body.message], [404, 'User not found']);
    r = await t.request('POST', '/api/admin/users/424242/logout', t.admin);
    assert.deepEqual([r.status, r.body.message], [404, 'User not found']);
    r = await t.request('POST', '/api/admin/users/1/logout', t.admin);
    assert.deepEqual([r.status, r.body.message], [400, 'You cannot logout yourself']);
    r = await t.request('POST', `/api/admin/users/${aliceId}/logout`, t.admin);
    assert.deepEqual([r.status, r.body], [200, { message: 'User logged out' }]);
    assert.equal((await t.request('GET', '/api/user', as(b, IPHONE))).status, 401);
    assert.equal((await sessionsTable()).length, 0);
    const trail = await t.roster.ctx.db
      .selectFrom('audit_events')
      .select(['action', 'actor_login'])
      .where('action', 'in', ['user.logout', 'user.session.revoke'])
      .where('actor_login', '=', 'admin')
      .execute();
    assert.deepEqual(trail.map((e) => e.action).sort(), ['user.logout', 'user.session.revoke']);
  });

  it('idle lifetime: a session unused for longer is gone; used within it, it lives on', async () => {
    await t.roster.ctx.db.deleteFrom('sessions').execute();
    const a = await signIn(FIREFOX);
    const b = await signIn(IPHONE);
    const [sa, sb] = await sessionsTable();
    // 2h idle: one was last seen 3 hours ago, the other 1 hour ago.
    await t.roster.ctx.db
      .updateTable('sessions')
      .set({ seen_at: past(3 * 3600_000) })
      .where('id', '=', sa.id)
      .execute();
    await t.roster.ctx.db
      .updateTable('sessions')
      .set({ seen_at: past(3600_000), rotated_at: new Date().toISOString() })
      .where('id', '=', sb.id)
      .execute();
    assert.equal((await t.request('GET', '/api/user', as(a))).status, 401);
    assert.equal((await t.request('GET', '/api/user', as(b, IPHONE))).status, 200);
    const rows = await sessionsTable();
    assert.deepEqual(
      rows.map((s) => s.id),
      [sb.id],
      'the idle one was deleted',
    );
    assert.ok(Date.parse(rows[0].seen_at!) > Date.now() - 60_000, 'the live one was seen now');
  });

  it('absolute lifetime: a session past it is gone however recently used', async () => {
    await t.roster.ctx.db.deleteFrom('sessions').execute();
    const a = await signIn(FIREFOX);
    const [s] = await sessionsTable();
    assert.equal(Date.parse(s.expires_at) - Date.parse(s.created_at), 24 * 3600_000, 'ROSTER_SESSION_MAX_LIFETIME=1d');
    await t.roster.ctx.db
      .updateTable('sessions')
      .set({ expires_at: past(1000) })
      .where('id', '=', s.id)
      .execute();
    assert.equal((await t.request('GET', '/api/user', as(a))).status, 401);
    assert.equal((await sessionsTable()).length, 0);
  });

  it('rotation: a token older than the interval is replaced; the new cookie works, the old one only within the grace', async () => {
    await t.roster.ctx.db.deleteFrom('sessions').execute();
    const old = await signIn(FIREFOX);
    let r = await t.request('GET', '/api/user', as(old));
    assert.equal(sessionCookie(r), undefined, 'a fresh token is not rotated');
    const [s] = await sessionsTable();
    await t.roster.ctx.db
      .updateTable('sessions')
      .set({ rotated_at: past(11 * 60_000) })
      .where('id', '=', s.id)
      .execute();
    r = await t.request('GET', '/api/user', as(old));
    assert.equal(r.status, 200);
    const next = sessionCookie(r);
    assert.ok(next && next !== old, 'a new token in the cookie');
    const setCookie = String([r.headers['set-cookie']].flat()[0]);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    const [rotated] = await sessionsTable();
    assert.equal(rotated.id, s.id, 'the same session');
    assert.notEqual(rotated.hash, s.hash);
    assert.equal(rotated.prev_hash, s.hash);
    assert.equal((await t.request('GET', '/api/user', as(next))).status, 200);
    assert.equal((await t.request('GET', '/api/user', as(old))).status, 200, 'the old token within the grace');
    // The grace has passed: the old token names nothing, the new one still works.
    await t.roster.ctx.db
      .updateTable('sessions')
      .set({ rotated_at: past(2 * 60_000) })
      .where('id', '=', s.id)
      .execute();
    assert.equal((await t.request('GET', '/api/user', as(old))).status, 401);
    assert.equal((await t.request('GET', '/api/user', as(next))).status, 200);
    // Still one session, listed once.
    assert.equal((await t.request('GET', '/api/user/auth-tokens', as(next))).body.length, 1);
  });

  it('bad session settings stop the server with a message naming the setting', async () => {
    const { loadConfig } = await import('../../src/config.ts');
    assert.throws(() => loadConfig({}, { ROSTER_SESSION_IDLE_LIFETIME: 'forever' }), /ROSTER_SESSION_IDLE_LIFETIME must be a duration/);
    assert.throws(() => loadConfig({}, { ROSTER_SESSION_ROTATION_INTERVAL: '0m' }), /ROSTER_SESSION_ROTATION_INTERVAL/);
    assert.equal(loadConfig({}, { ROSTER_SESSION_MAX_LIFETIME: '12h' }).sessionMaxMs, 12 * 3600_000);
  });
});
