// Issue 18 item 5: password reset by email through a real SMTP server (in-process smtp-server).
// Asking answers the same for any name; the mailed code works once, expires, ends every session,
// and wrong codes are refused, audited and counted against the client address.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type Reply, type TestRoster } from '../helpers/roster.ts';
import { resetLinkCode, TestSmtp } from '../helpers/smtp.ts';
import { MAX_FAILED_LOGINS_PER_IP } from '../../src/domain/login-throttle.ts';
import { randomBytes } from 'node:crypto';

const cookieOf = (r: Reply) => String([r.headers['set-cookie']].flat()[0]).split(';')[0];

describe('password reset by email', () => {
  let t: TestRoster;
  const smtp = new TestSmtp();
  let robinId: number;
  before(async () => {
    await smtp.start();
    t = await startRoster({ ROSTER_SMTP_URL: smtp.url(), ROSTER_SMTP_FROM: 'Roster <roster@example.com>' }, { mail: { pollMs: 100, retryBaseMs: 100 } });
    const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'robin', email: 'robin@example.com', password: 'old-password-1' } });
    robinId = r.body.id;
    for (const login of ['sam', 'dis']) await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, email: `${login}@example.com`, password: `${login}-password-1` } });
    await t.request('POST', `/api/admin/users/${(await t.request('GET', '/api/users/lookup?loginOrEmail=dis', t.admin)).body.id}/disable`, t.admin);
  });
  after(async () => {
    await t.close();
    await smtp.stop();
  });
  const ask = (userOrEmail: string) => t.request('POST', '/api/user/password/send-reset-email', { body: { userOrEmail } });
  const forget = async () => {
    await t.roster.ctx.db.deleteFrom('password_resets').execute();
    await t.roster.ctx.db.deleteFrom('login_attempts').execute();
  };

  it('the same answer for an account, an unknown name and a disabled account; mail only to the account', async () => {
    const known = await ask('robin@example.com');
    const unknown = await ask('nobody@example.com');
    const disabled = await ask('dis');
    for (const r of [known, unknown, disabled]) assert.deepEqual([r.status, r.body], [200, { message: 'Email sent' }]);
    const m = await smtp.waitFor('robin@example.com');
    assert.equal(m.subject, 'Reset your Roster password');
    const { code } = resetLinkCode(m);
    assert.match(m.text, /^http:\/\/roster\.test\/user\/password\/reset\?code=/m);
    assert.equal(smtp.count('nobody@example.com'), 0);
    assert.equal(smtp.count('dis@example.com'), 0);
    // Only the code's keyed hash is stored.
    const rows = await t.roster.ctx.db.selectFrom('password_resets').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0].code_hash, code);
    assert.equal(rows[0].code_hash, t.roster.ctx.hasher.hash(code));
    // A second request right away sends no second mail (same answer).
    assert.equal((await ask('robin')).status, 200);
    assert.equal((await t.roster.ctx.db.selectFrom('password_resets').selectAll().execute()).length, 1);
    await forget();
  });

  it('the code sets the new password once, ends every session, and is spent', async () => {
    const before = smtp.count('robin@example.com');
    const session = await t.request('POST', '/login', { body: { user: 'robin', password: 'old-password-1' } });
    const cookie = cookieOf(session);
    assert.equal((await t.request('GET', '/api/user', { cookie })).status, 200);
    await ask('robin');
    const { code } = resetLinkCode(await smtp.waitFor('robin@example.com', { skip: before }));

    let r = await t.request('POST', '/api/user/password/reset', { body: { code, newPassword: 'new-password-1', confirmPassword: 'new-password-2' } });
    assert.deepEqual([r.status, r.body.message], [400, 'Passwords do not match']);
    r = await t.request('POST', '/api/user/password/reset', { body: { code, newPassword: 'short', confirmPassword: 'short' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'New password is too short');
    r = await t.request('POST', '/api/user/password/reset', { body: { code, newPassword: 'new-password-1', confirmPassword: 'new-password-1' } });
    assert.deepEqual([r.status, r.body], [200, { message: 'User password changed' }]);

    assert.equal((await t.request('GET', '/api/user', { cookie })).status, 401, 'the session before the reset is over');
    assert.equal((await t.request('GET', '/api/user', { basic: ['robin', 'old-password-1'] })).status, 401);
    assert.equal((await t.request('GET', '/api/user', { basic: ['robin', 'new-password-1'] })).status, 200);
    r = await t.request('POST', '/api/user/password/reset', { body: { code, newPassword: 'newer-password-1', confirmPassword: 'newer-password-1' } });
    assert.deepEqual([r.status, r.body.message], [400, 'Invalid or expired reset password code'], 'a used code is refused');
    const trail = await t.roster.ctx.db.selectFrom('audit_events').select(['action', 'actor_login', 'object_id']).where('action', 'like', 'user.password.reset%').orderBy('id').execute();
    assert.ok(trail.some((e) => e.action === 'user.password.reset' && e.actor_login === 'robin' && e.object_id === String(robinId)));
    // A spent code is gone, so its failure names no account.
    assert.ok(
      trail.some((e) => e.action === 'user.password.reset-failed' && e.object_id === 'unknown'),
      'the reused code is audited as a failure',
    );
    await forget();
  });

  it('an expired code is refused', async () => {
    const before = smtp.count('sam@example.com');
    await ask('sam');
    const { code } = resetLinkCode(await smtp.waitFor('sam@example.com', { skip: before }));
    await t.roster.ctx.db
      .updateTable('password_resets')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .execute();
    const r = await t.request('POST', '/api/user/password/reset', { body: { code, newPassword: 'sam-password-2', confirmPassword: 'sam-password-2' } });
    assert.deepEqual([r.status, r.body.message], [400, 'Invalid or expired reset password code']);
    assert.equal((await t.request('GET', '/api/user', { basic: ['sam', 'sam-password-1'] })).status, 200, 'the password is unchanged');
    await forget();
  });

  it('wrong codes are throttled per client address like failed sign-ins', async () => {
    const from = (ip: string, code: string) =>
      t.roster.app.inject({
        method: 'POST',
        url: '/api/user/password/reset',
        remoteAddress: ip,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ code, newPassword: 'x-password-1', confirmPassword: 'x-password-1' }),
      });
    // Well-formed codes that are not any code: each is looked up and counted.
    const wrong = (i: number) => randomBytes(32).toString('base64url').slice(0, 40) + String(i).padStart(3, '0');
    for (let i = 0; i < MAX_FAILED_LOGINS_PER_IP; i++) assert.equal((await from('203.0.113.5', wrong(i))).statusCode, 400);
    const before = smtp.count('sam@example.com');
    await ask('sam');
    const { code } = resetLinkCode(await smtp.waitFor('sam@example.com', { skip: before }));
    const blocked = await from('203.0.113.5', code);
    assert.equal(blocked.statusCode, 429, 'even the right code, from that address');
    assert.match(JSON.parse(blocked.body).message, /Too many consecutive incorrect login attempts/);
    assert.equal((await from('203.0.113.6', code)).statusCode, 200, 'another address is not blocked');
    // The block is the address's, not a login's: nobody's account budget was spent.
    const rows = await t.roster.ctx.db.selectFrom('login_attempts').select('login').distinct().execute();
    assert.equal(rows.length, 1);
    assert.match(rows[0].login, /no-account/);
    await forget();
  });

  it('without SMTP the server says it cannot send mail (412), for every name alike', async () => {
    const plain = await startRoster();
    try {
      for (const name of ['admin', 'nobody']) {
        const r = await plain.request('POST', '/api/user/password/send-reset-email', { body: { userOrEmail: name } });
        assert.equal(r.status, 412);
        assert.match(r.body.message, /cannot send mail/);
      }
    } finally {
      await plain.close();
    }
  });
});
