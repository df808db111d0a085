// Issue 15 item 5: a new password must have ROSTER_PASSWORD_MIN_LENGTH characters (default 8),
// not be whitespace only, and hold no control character, on every route that sets one, each
// answering in its face's format; passwords set before the policy still sign in.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, startRoster, type TestRoster } from '../helpers/roster.ts';
import { runCli, untilServersSeeCliWrites } from '../cli/run-cli.ts';
import { hashPassword, newGeneratedPassword } from '../../src/domain/secrets.ts';
import * as policy from '../../src/domain/password-policy.ts';
import { signIn } from './sign-in.ts';

const SHORT = 'seven77'; // 7 characters
const REFUSED_BY_POLICY = ['        ', ' \t  \u00a0   ', 'abc\u0007defgh', 'password\u0000x', 'line\nbreak1'];
const GOOD = 'eight888';

describe('password policy', () => {
  let t: TestRoster;
  let userId: number;
  before(async () => {
    t = await startRoster();
    const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'pat', password: 'pat-password-1' } });
    assert.equal(r.status, 200, r.text);
    userId = r.body.id;
  });
  after(() => t.close());

  it('POST /api/admin/users: too short is 400 "Password is missing or too short"; whitespace or control characters 400 password policy', async () => {
    const short = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'u-short', password: SHORT } });
    assert.equal(short.status, 400, short.text);
    assert.deepEqual(short.body, { message: 'Password is missing or too short' });
    for (const password of REFUSED_BY_POLICY) {
      const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'u-bad', password } });
      assert.equal(r.status, 400, JSON.stringify(password) + r.text);
      assert.equal(r.body.messageId, 'password-policy-infringe', JSON.stringify(password));
    }
    assert.equal((await t.request('GET', '/api/users/lookup?loginOrEmail=u-bad', t.admin)).status, 404);
    const ok = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'u-good', password: GOOD } });
    assert.equal(ok.status, 200, ok.text);
  });

  it('PUT /api/admin/users/:id/password: errutil 400 password-policy-too-short / -infringe', async () => {
    const short = await t.request('PUT', `/api/admin/users/${userId}/password`, { ...t.admin, body: { password: SHORT } });
    assert.equal(short.status, 400, short.text);
    assert.equal(short.body.messageId, 'password-policy-too-short');
    assert.equal(short.body.message, 'New password is too short');
    for (const password of REFUSED_BY_POLICY) {
      const r = await t.request('PUT', `/api/admin/users/${userId}/password`, { ...t.admin, body: { password } });
      assert.equal(r.status, 400, JSON.stringify(password));
      assert.equal(r.body.messageId, 'password-policy-infringe');
    }
    assert.equal((await t.request('GET', '/api/user', { basic: ['pat', 'pat-password-1'] })).status, 200, 'unchanged');
  });

  it('PUT /api/user/password (session cookie and Basic): the same answers, old password kept', async () => {
    const cookie = await signIn(t, 'pat', 'pat-password-1');
    for (const creds of [{ cookie }, { basic: ['pat', 'pat-password-1'] as [string, string] }]) {
      const short = await t.request('PUT', '/api/user/password', { ...creds, body: { oldPassword: 'pat-password-1', newPassword: SHORT } });
      assert.equal(short.status, 400, short.text);
      assert.equal(short.body.messageId, 'password-policy-too-short');
      for (const newPassword of REFUSED_BY_POLICY) {
        const r = await t.request('PUT', '/api/user/password', { ...creds, body: { oldPassword: 'pat-password-1', newPassword } });
        assert.equal(r.status, 400, JSON.stringify(newPassword));
        assert.equal(r.body.messageId, 'password-policy-infringe');
      }
    }
    assert.equal((await t.request('GET', '/api/user', { basic: ['pat', 'pat-password-1'] })).status, 200);
  });

  it('a password set before the policy (shorter than the minimum) still signs in', async () => {
    await t.roster.ctx.db
      .updateTable('users')
      .set({ password_hash: await hashPassword('old') })
      .where('id', '=', userId)
      .execute();
    // Any write request drops the memoized user rows (server.ts onSend), as a real change would.
    await t.request('POST', '/api/admin/users', { ...t.admin, body: {} });
    assert.equal((await t.request('GET', '/api/user', { basic: ['pat', 'old'] })).status, 200);
    assert.equal((await t.request('POST', '/login', { body: { user: 'pat', password: 'old' } })).status, 200);
    const changed = await t.request('PUT', '/api/user/password', { basic: ['pat', 'old'], body: { oldPassword: 'old', newPassword: 'pat-password-2' } });
    assert.equal(changed.status, 200, changed.text);
  });

  it('generated passwords satisfy the policy', () => {
    const check = (policy as { checkNewPassword?: (p: string, min: number) => void }).checkNewPassword;
    assert.equal(typeof check, 'function');
    for (let i = 0; i < 50; i++) check!(newGeneratedPassword(), 8);
  });
});

describe('ROSTER_PASSWORD_MIN_LENGTH', () => {
  it('is enforced as configured', async () => {
    const t = await startRoster({ ROSTER_PASSWORD_MIN_LENGTH: '12' });
    try {
      const short = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'eleven', password: 'eleven-char' } });
      assert.equal(short.status, 400, short.text);
      const ok = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'twelve', password: 'twelve-chars' } });
      assert.equal(ok.status, 200, ok.text);
    } finally {
      await t.close();
    }
  });

  it('must be a whole number from 1', async () => {
    await assert.rejects(startRoster({ ROSTER_PASSWORD_MIN_LENGTH: '0' }), /ROSTER_PASSWORD_MIN_LENGTH/);
    await assert.rejects(startRoster({ ROSTER_PASSWORD_MIN_LENGTH: 'eight' }), /ROSTER_PASSWORD_MIN_LENGTH/);
  });
});

describe('password policy in the CLI', () => {
  let t: TestRoster;
  const cli = (...args: string[]) => runCli(t.config.databaseUrl, args);
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('user create, user passwd, admin reset-password and seed refuse a short or blank password (exit 1)', async () => {
    let r = await cli('user', 'create', 'cli-short', '--password', SHORT);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /New password is too short/);
    r = await cli('user', 'create', 'cli-ok', '--password', GOOD, '--json');
    assert.equal(r.code, 0, r.stderr);
    r = await cli('user', 'passwd', 'cli-ok', '--password', '          ');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /doesn't comply with the password policy/);
    r = await cli('admin', 'reset-password', 'cli-ok', '--password', SHORT);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /too short/);
    r = await cli('seed', '--users', '1', '--password', SHORT);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--password: New password is too short/);
    assert.equal((await t.request('GET', '/api/user', { basic: ['cli-ok', GOOD] })).status, 200, 'unchanged');
  });

  it('a first start whose ROSTER_ADMIN_PASSWORD breaks the policy stops with one line naming the setting', async () => {
    const db = await freshDatabase();
    try {
      const bad = await runCli(db.url, ['serve', '--host', '127.0.0.1', '--port', '0', '--admin-password', SHORT]);
      assert.equal(bad.code, 1, bad.stdout);
      assert.match(bad.stderr.trim(), /^Error: ROSTER_ADMIN_PASSWORD is refused by the password policy: New password is too short/);
      assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      await db.drop();
    }
  });

  it('honours --password-min-length, and generated passwords pass it', async () => {
    let r = await cli('admin', 'reset-password', 'cli-ok', '--password', 'eleven-char', '--password-min-length', '12');
    assert.equal(r.code, 1);
    r = await cli('user', 'passwd', 'cli-ok', '--json', '--password-min-length', '12');
    assert.equal(r.code, 0, r.stderr);
    await untilServersSeeCliWrites();
    assert.equal((await t.request('GET', '/api/user', { basic: ['cli-ok', r.json().password] })).status, 200);
  });
});
