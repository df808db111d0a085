// Issue 18 item 3: TOTP two-factor authentication with codes computed here (otpauth, RFC 6238):
// enrolment, recovery codes, password sign-ins that need the code, wrong and reused codes refused
// and throttled, the admin's reset, and PostHog's enforce_2fa holding password sessions off an
// org until the member enrols (tokens unaffected).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as OTPAuth from 'otpauth';
import { startRoster, type Creds, type Reply, type TestRoster } from '../helpers/roster.ts';
import { MAX_FAILED_LOGINS } from '../../src/domain/login-throttle.ts';
import { openSecretBox, SecretBox } from '../../src/domain/secret-box.ts';

const cookieOf = (r: Reply) => String([r.headers['set-cookie']].flat()[0]).split(';')[0];
const totp = (secret: string) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
/** The code of the time step `offset` steps from now. */
const codeAt = (secret: string, offset = 0) => totp(secret).generate({ timestamp: Date.now() + offset * 30_000 });

describe('two-factor authentication', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  const makeUser = async (login: string) => {
    const r = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, email: `${login}@example.com`, password: `${login}-password` } });
    assert.equal(r.status, 200, r.text);
    return r.body.id as number;
  };
  const signIn = (user: string, otp?: string, password = `${user}-password`) => t.request('POST', '/login', { body: otp === undefined ? { user, password } : { user, password, otp } });
  const sessionOf = async (user: string, otp?: string): Promise<Creds> => {
    const r = await signIn(user, otp);
    assert.equal(r.status, 200, r.text);
    return { cookie: cookieOf(r) };
  };
  /** Enrols `login` (signed in with a session) and answers the secret and the recovery codes. */
  const enrol = async (creds: Creds, login: string) => {
    const start = await t.request('POST', '/api/roster/v1/user/two-factor/enrolment', { ...creds, body: { password: `${login}-password` } });
    assert.equal(start.status, 200, start.text);
    const code = codeAt(start.body.secret);
    const confirm = await t.request('POST', '/api/roster/v1/user/two-factor/confirm', { ...creds, body: { code } });
    assert.equal(confirm.status, 200, confirm.text);
    return { secret: start.body.secret as string, recoveryCodes: confirm.body.recoveryCodes as string[], start: start.body, used: code };
  };

  it('enrolment: a secret with its otpauth URL and QR code; a wrong code does not confirm; the right one answers ten recovery codes once', async () => {
    const id = await makeUser('tess');
    const creds = await sessionOf('tess');
    let status = await t.request('GET', '/api/roster/v1/user/two-factor', creds);
    assert.deepEqual(status.body, { enabled: false, pending: false, recoveryCodesLeft: 0, requiredBy: [], held: false });
    const wrongPassword = await t.request('POST', '/api/roster/v1/user/two-factor/enrolment', { ...creds, body: { password: 'not-it' } });
    assert.deepEqual([wrongPassword.status, wrongPassword.body.error.code], [400, 'user.password-mismatch'], 'the password is asked again');
    const start = await t.request('POST', '/api/roster/v1/user/two-factor/enrolment', { ...creds, body: { password: 'tess-password' } });
    assert.equal(start.status, 200, start.text);
    const { secret, otpauthUrl, qrCode } = start.body;
    assert.match(secret, /^[A-Z2-7]{32}$/);
    const url = new URL(otpauthUrl);
    assert.equal(url.protocol, 'otpauth:');
    assert.equal(url.searchParams.get('secret'), secret);
    assert.equal(url.searchParams.get('issuer'), 'Roster');
    assert.match(decodeURIComponent(url.pathname), /Roster:tess$/);
    assert.match(qrCode, /^data:image\/png;base64,[A-Za-z0-9+/=]{200,}$/);

    // Encrypted at rest: the stored value is not the secret, and opens to it with the server's box.
    const row = await t.roster.ctx.db.selectFrom('user_totp').selectAll().where('user_id', '=', id).executeTakeFirstOrThrow();
    assert.ok(!row.secret_enc.includes(secret));
    assert.equal(t.roster.ctx.secretBox.open(row.secret_enc), secret);
    assert.equal(row.confirmed_at, null);
    status = await t.request('GET', '/api/roster/v1/user/two-factor', creds);
    assert.equal(status.body.pending, true);

    const wrong = String((Number(codeAt(secret)) + 1) % 1_000_000).padStart(6, '0');
    let r = await t.request('POST', '/api/roster/v1/user/two-factor/confirm', { ...creds, body: { code: wrong } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'two-factor.code-invalid');
    r = await t.request('POST', '/api/roster/v1/user/two-factor/confirm', { ...creds, body: { code: codeAt(secret) } });
    assert.equal(r.status, 200, r.text);
    const codes: string[] = r.body.recoveryCodes;
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const c of codes) assert.match(c, /^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const stored = await t.roster.ctx.db.selectFrom('recovery_codes').selectAll().where('user_id', '=', id).execute();
    assert.equal(stored.length, 10);
    for (const s of stored) assert.ok(!codes.some((c) => s.code_hash.includes(c.replace('-', ''))), 'only hashes are stored');
    status = await t.request('GET', '/api/roster/v1/user/two-factor', creds);
    assert.deepEqual(status.body, { enabled: true, pending: false, recoveryCodesLeft: 10, requiredBy: [], held: false });
    // Enrolled: no second enrolment, no second confirmation.
    assert.equal((await t.request('POST', '/api/roster/v1/user/two-factor/enrolment', { ...creds, body: { password: 'tess-password' } })).status, 409);
    const audit = await t.roster.ctx.db.selectFrom('audit_events').select(['action', 'actor_login']).where('action', '=', 'user.2fa.enable').execute();
    assert.deepEqual(audit, [{ action: 'user.2fa.enable', actor_login: 'tess' }]);
  });

  it('sign-in of an enrolled user: the code is required; wrong and reused codes are refused; a recovery code works once', async () => {
    await makeUser('uma');
    const { secret, recoveryCodes, used } = await enrol(await sessionOf('uma'), 'uma');
    let r = await signIn('uma');
    assert.deepEqual([r.status, r.body.messageId], [401, 'auth.second-factor-required']);
    assert.match(r.body.message, /Second factor required/);
    assert.equal(r.headers['set-cookie'], undefined, 'no session without the code');
    r = await signIn('uma', '000000');
    assert.deepEqual([r.status, r.body.messageId], [401, 'auth.second-factor-invalid']);
    r = await signIn('uma', codeAt(secret), 'wrong-password');
    assert.deepEqual([r.status, r.body.message], [401, 'Invalid username or password'], 'the password is checked first');
    // The code that confirmed enrolment is spent (even when the clock has moved on a step since,
    // within the window it would still be accepted in). The next step's code passes once.
    r = await signIn('uma', used);
    assert.deepEqual([r.status, r.body.messageId], [401, 'auth.second-factor-invalid'], 'a code already used is refused');
    const next = codeAt(secret, 1);
    r = await signIn('uma', next);
    assert.equal(r.status, 200, r.text);
    assert.equal((await t.request('GET', '/api/user', { cookie: cookieOf(r) })).body.login, 'uma');
    r = await signIn('uma', next);
    assert.deepEqual([r.status, r.body.messageId], [401, 'auth.second-factor-invalid'], 'the same code twice');

    r = await signIn('uma', recoveryCodes[0].toUpperCase());
    assert.equal(r.status, 200, 'a recovery code, in any case');
    r = await signIn('uma', recoveryCodes[0]);
    assert.deepEqual([r.status, r.body.messageId], [401, 'auth.second-factor-invalid'], 'a recovery code works once');
    const creds = { cookie: cookieOf(await signIn('uma', recoveryCodes[1])) };
    assert.equal((await t.request('GET', '/api/roster/v1/user/two-factor', creds)).body.recoveryCodesLeft, 8);

    const trail = await t.roster.ctx.db
      .selectFrom('audit_events')
      .select(['action', 'actor_login', 'after'])
      .where('actor_login', '=', 'uma')
      .where('action', 'in', ['user.login.failed', 'user.2fa.recovery-code-used'])
      .execute();
    assert.equal(trail.filter((e) => e.action === 'user.login.failed').length, 4);
    assert.ok(trail.filter((e) => e.action === 'user.login.failed').every((e) => JSON.parse(e.after!).reason === 'second-factor'));
    assert.equal(trail.filter((e) => e.action === 'user.2fa.recovery-code-used').length, 2);

    // Basic auth carries no code: an enrolled account is told so, on every face.
    const basic = await t.request('GET', '/api/user', { basic: ['uma', 'uma-password'] });
    assert.deepEqual([basic.status, basic.body.messageId], [401, 'auth.second-factor-required']);
    const ph = await t.request('GET', '/api/users/@me/', { basic: ['uma', 'uma-password'] });
    assert.deepEqual([ph.status, ph.body.code], [401, '2fa_required']);
  });

  it('wrong codes are throttled like passwords: the account blocks, even with the right code', async () => {
    await makeUser('vera');
    const { secret } = await enrol(await sessionOf('vera'), 'vera');
    await t.roster.ctx.db.deleteFrom('login_attempts').execute();
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) assert.equal((await signIn('vera', '999999')).body.messageId, 'auth.second-factor-invalid');
    const r = await signIn('vera', codeAt(secret, 1));
    assert.equal(r.status, 401);
    assert.match(r.body.message, /temporarily blocked/);
    // Asking without a code counts nothing and clears nothing.
    await t.roster.ctx.db.deleteFrom('login_attempts').execute();
    for (let i = 0; i < 10; i++) assert.equal((await signIn('vera')).body.messageId, 'auth.second-factor-required');
    assert.equal((await signIn('vera', codeAt(secret, 1))).status, 200);
  });

  it('turning it off needs a code; an admin reset removes it (audited) and only a server admin may', async () => {
    const id = await makeUser('wren');
    const creds = await sessionOf('wren');
    const { recoveryCodes } = await enrol(creds, 'wren');
    let r = await t.request('POST', '/api/roster/v1/user/two-factor/disable', { ...creds, body: { code: '123456' } });
    assert.equal(r.status, 400);
    r = await t.request('POST', '/api/roster/v1/user/two-factor/disable', { ...creds, body: { code: recoveryCodes[3] } });
    assert.deepEqual([r.status, r.body], [200, { message: 'Two-factor authentication turned off' }]);
    assert.equal((await signIn('wren')).status, 200, 'the password alone again');

    const again = await enrol({ cookie: cookieOf(await signIn('wren')) }, 'wren');
    assert.equal((await signIn('wren')).body.messageId, 'auth.second-factor-required');
    const other = await makeUser('xena');
    r = await t.request('DELETE', `/api/roster/v1/users/${id}/two-factor`, await sessionOf('xena'));
    assert.equal(r.status, 403);
    r = await t.request('DELETE', `/api/roster/v1/users/${id}/two-factor`, t.admin);
    assert.deepEqual([r.status, r.body], [200, { message: 'Two-factor authentication reset' }]);
    assert.equal((await signIn('wren')).status, 200);
    assert.equal((await t.request('DELETE', '/api/roster/v1/users/987654/two-factor', t.admin)).status, 404);
    const trail = await t.roster.ctx.db.selectFrom('audit_events').select(['action', 'actor_login', 'object_id']).where('action', 'in', ['user.2fa.reset', 'user.2fa.disable']).execute();
    assert.deepEqual(
      trail.map((e) => [e.action, e.actor_login, e.object_id]),
      [
        ['user.2fa.disable', 'wren', String(id)],
        ['user.2fa.reset', 'admin', String(id)],
      ],
    );
    assert.ok(again.secret && other);
  });

  it('PostHog enforce_2fa: password sessions and Basic are held off the org until enrolment; personal keys and other orgs are not', async () => {
    const yuriId = await makeUser('yuri');
    const org = await t.request('POST', '/api/orgs', { ...t.admin, body: { name: 'Strict Co' } });
    const orgId = org.body.orgId as number;
    assert.equal((await t.request('POST', `/api/orgs/${orgId}/users`, { ...t.admin, body: { loginOrEmail: 'yuri', role: 'Admin' } })).status, 200);
    const before = await sessionOf('yuri');
    const key = await t.request('POST', '/api/personal_api_keys/', { ...before, body: { label: 'ci', scopes: ['organization:read'], scoped_organizations: [], scoped_teams: [] } });
    assert.equal(key.status, 201, key.text);
    const uuid = (await t.request('GET', '/api/organizations/', before)).body.results.find((o: { name: string }) => o.name === 'Strict Co').id;
    const r0 = await t.request('PATCH', `/api/organizations/${uuid}/`, { ...before, body: { enforce_2fa: true } });
    assert.equal(r0.status, 200, r0.text);

    const inOrg = (c: Creds) => ({ ...c, headers: { ...(c.headers ?? {}), 'x-grafana-org-id': String(orgId) } });
    const session = await sessionOf('yuri');
    let r = await t.request('GET', '/api/org', inOrg(session));
    assert.equal(r.status, 403);
    assert.match(r.body.message, /requires two-factor authentication/);
    r = await t.request('GET', '/api/org', inOrg({ basic: ['yuri', 'yuri-password'] }));
    assert.equal(r.status, 403, 'Basic is a password sign-in too');
    r = await t.request('GET', `/api/organizations/${uuid}/`, session);
    assert.equal(r.status, 403);
    assert.match(r.body.detail, /requires two-factor authentication/);
    r = await t.request('GET', `/api/organizations/${uuid}/members/`, session);
    assert.equal(r.status, 403);
    // The personal key is unaffected.
    r = await t.request('GET', `/api/organizations/${uuid}/`, { bearer: key.body.value });
    assert.equal(r.status, 200, r.text);
    // Their own account and other orgs still work, and the status names the org.
    assert.equal((await t.request('GET', '/api/user', session)).status, 200);
    assert.equal((await t.request('GET', '/api/org', { ...session, headers: { 'x-grafana-org-id': '1' } })).status, 200);
    const status = (await t.request('GET', '/api/roster/v1/user/two-factor', session)).body;
    assert.deepEqual([status.requiredBy, status.held], [[orgId], true]);
    const viaKey = (await t.request('GET', '/api/roster/v1/user/two-factor', { basic: ['yuri', 'yuri-password'] })).body;
    assert.equal(viaKey.held, true, 'Basic is held too');
    // The server admin created the org, so is a member too: held off it like any member, not elsewhere.
    assert.equal((await t.request('GET', `/api/orgs/${orgId}`, t.admin)).status, 403);
    assert.equal((await t.request('GET', '/api/orgs/1', t.admin)).status, 200);

    await enrol(session, 'yuri');
    assert.equal((await t.request('GET', '/api/roster/v1/user/two-factor', session)).body.held, false);
    r = await t.request('GET', '/api/org', inOrg(session));
    assert.equal(r.status, 200, 'enrolled: the same session now passes');
    r = await t.request('GET', `/api/organizations/${uuid}/members/`, session);
    assert.equal(r.status, 200);
    assert.ok(yuriId);
  });

  it('the secret box: values sealed under the database key still open once ROSTER_SECRET_KEY is set; a missing key fails with a clear message', async () => {
    const dbOnly = await openSecretBox(t.roster.ctx.db, undefined);
    const sealed = dbOnly.seal('JBSWY3DPEHPK3PXP');
    const withKey = await openSecretBox(t.roster.ctx.db, 'k'.repeat(40));
    assert.equal(withKey.open(sealed), 'JBSWY3DPEHPK3PXP');
    const underKey = withKey.seal('JBSWY3DPEHPK3PXP');
    assert.notEqual(underKey.split('.')[1], sealed.split('.')[1], 'sealed under the configured key');
    assert.throws(() => dbOnly.open(underKey), /ROSTER_SECRET_KEY changed or removed/);
    // Tampering is detected (GCM).
    const parts = underKey.split('.');
    // One bit of the ciphertext flipped (replacing a byte with a fixed one changed nothing 1 time in 256).
    const tampered = Buffer.from(parts[3], 'base64url');
    tampered[0]! ^= 1;
    parts[3] = tampered.toString('base64url');
    assert.throws(() => withKey.open(parts.join('.')));
    assert.ok(withKey instanceof SecretBox);
    const { loadConfig } = await import('../../src/config.ts');
    assert.throws(() => loadConfig({}, { ROSTER_SECRET_KEY: 'short' }), /ROSTER_SECRET_KEY must be at least 32 characters/);
  });
});
